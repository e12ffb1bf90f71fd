/* conformal.h - split conformal prediction intervals (rnn-predict(1),
 * "Intervals").
 *
 * After training, rnn-train keeps in the model the absolute residuals
 * |y - ŷ| of its predictions on the validation windows, in the data's
 * units (the scaling and the transform inverted), per target and per
 * step ahead: step 1 is the model's own prediction (the row H steps
 * after each window); with a model that --forecast can run, step h > 1 is
 * the h-th value of a recursive forecast from each validation window
 * whose h-th row is still in its series; with a direct model (rnnmodel.h,
 * --horizon 1-K) step h is the h-th step of its forecast
 * (series_forecast_direct) from each validation window: for h <= K its
 * outputs, every window having its K rows, and past K (a model that
 * predicts its inputs) the blocks fed back. An interval at level L% of a
 * prediction ŷ at step h is ŷ ± q, q the ceil((n+1) L / 100)-th smallest
 * of the n residuals of step h; with i.i.d. (exchangeable) errors it
 * covers the truth with probability at least L%.
 *
 * In the model (struct rnnm): conf_steps S >= 1 steps, conf_n n windows
 * (those of step 1), conf_res (S * ntargets) x n values, row
 * (h-1) * ntargets + k ascending, +Inf after the n_h residuals step h has
 * (n_h <= n). conf_steps 0: none kept.
 */
#ifndef RNNKIT_CONFORMAL_H
#define RNNKIT_CONFORMAL_H

#include <stddef.h>

#include "rnnmodel.h"
#include "series.h"

/* Forecast steps kept at most, and the most forecasts made for them */
#define CONF_MAXSTEPS 100
#define CONF_MAXWORK 200000

/* Fill m's residuals from its predictions on windows val[0..nval) of ss
 * (scaled by m); nval 0, or a classifier (no intervals), drops them. */
void conformal_fit(struct rnnm *m, const struct series_set *ss,
                   const struct window *val, size_t nval);

/* The windows a level L (1..99) needs: the least n with
 * ceil((n+1) L / 100) <= n. */
size_t conformal_needed(int level);

/* Residuals of step h (1-based) of target k: how many there are, and the
 * half-width q of the L% interval (+Inf when there are too few). */
size_t conformal_count(const struct rnnm *m, size_t h);
double conformal_q(const struct rnnm *m, size_t k, size_t h, int level);

/* Die (65) unless m has residuals for every level at every step
 * 1..steps; name is the model's source for messages. */
void conformal_check(const struct rnnm *m, const char *name,
                     const int *levels, size_t nlevels, size_t steps);

/* Parse "80,95": 1..nmax distinct levels in 1..99; usage error (64)
 * otherwise. Returns the count. */
size_t conformal_parse_levels(const char *opt, const char *s, int *levels,
                              size_t nmax);

#endif
