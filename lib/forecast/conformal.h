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
 * (those of step 1), conf_res (S * ntargets) rows of conformal_width(n)
 * values, row (h-1) * ntargets + k:
 *   n <= CONF_LEVELS: the residuals, ascending, +Inf after the n_h
 *     residuals step h has (n_h <= n);
 *   n > CONF_LEVELS: the quantile table, column L-1 the half-width q of
 *     level L = 1..99 (+Inf when n_h is too few), i.e. the only order
 *     statistics a level can ask for: the same q as the residuals give,
 *     in 99 values instead of n (a model of 20 000 rows kept 4000
 *     residuals a row, 11 MB for 8 targets and 50 steps).
 * conf_steps 0: none kept.
 *
 * Local scale (rnn-train --interval-scale=diff, the default): a growing
 * series' errors grow with it, and the validation windows, before the
 * held-out end, would give too narrow intervals there. Each residual of
 * step 1 is then divided by the scale of the window it was predicted
 * from (the normalised score of conformal regression), and a one-step
 * interval is ŷ ± q s(z), s(z) that of the window the prediction comes
 * from:
 *   s_k(z) = l_k(z) + r_k,
 *   l_k(z) = scale_c mean_{t=1..W-1} |z_t,c - z_t-1,c|,
 *   r_k = the mean of l_k over the n validation windows,
 * for target k, column c, z the window's scaled transformed values (W
 * rows) and scale_c the column's scaling (series.h): l is the mean
 * absolute change of the net's input in the data's units (of the
 * transformed values: with a difference, the change of the changes), and
 * r keeps a flat window (l = 0: intermittent counts) from giving a ratio
 * without bound, and halves the noise of l. s is a function of the
 * window (and of constants of the model), so the pairs (s, |y - ŷ|)
 * stay exchangeable and the coverage guarantee holds; adding a constant
 * to a series leaves it. Steps h > 1 keep their residuals as they are:
 * an error compounded over a recursive forecast does not follow the
 * origin's local changes (on the development set scaling them made
 * their coverage worse). In the model: conf_sref (ntargets) the r_k,
 * NULL for unscaled residuals (--interval-scale=none, a window of one
 * row, no validation window, or r = 0); in a stream "interval-scale:
 * diff" and the f64 tensor interval.scale (ntargets x 1).
 *
 * Widening (rnn-train --interval-widen=auto, the default): the
 * validation windows are a short sample of the series just before the
 * held-out end, and where the series changes its behaviour there (a
 * smooth decline that levels off, a calm stretch after a volatile one),
 * their residuals say little about what follows. Every residual of
 * target k, at every step, is then multiplied by
 *   f_k = sqrt(max(rho_k, 1 / rho_k)),
 *   rho_k = (mean_{t in V} |z_t,c - z_t-1,c|) / (mean_{t in B} |...|),
 * z the scaled transformed values of column c (as the local scale's; the
 * scale cancels), V the changes into the rows of the validation windows
 * after the first one's first row up to the last one's predicted row, B
 * those before (after the transform's history), pooled over the series;
 * f_k = 1 when either part has no change. f_k is one number for all
 * windows, so the conformal ranks are kept: it widens every interval of
 * the target by f_k, by the residuals kept in the model (rnn-predict
 * needs no change; older models have f = 1). In memory: conf_wf (NULL
 * with --interval-widen=none or no validation window). On the
 * development set (scripts/bench-forecast.sh --dev) it took the series'
 * mean distance of coverage from 80% from 23 to 17 points one-step and
 * 27 to 19 multi-step; rho itself (no square root) over-widened.
 *
 * Forecast blend (rnn-train --forecast-blend, rnn-predict(1),
 * "Forecasts"): a recursive forecast (one output per target, horizon 1,
 * fed back) may run away from the data over many steps. Step h >= 2 of
 * target k from origin row o (the last row known) is then
 *   x_h = w_k f_h + (1 - w_k) n_h,
 *   n_h = x_{o + h - P ceil(h / P)}   (the seasonal naive forecast),
 * f_h the net's recursive forecast (fed back as it is: the blend is of
 * the values written, not of the rows fed back), P = m->fc_period (1:
 * the last value; a season reaching before the series' first row: the
 * last value too). Step 1 stays the net's (the one-step prediction, and
 * its interval the scaled one above). w_k is chosen with the residuals,
 * from the same recursive forecasts of the validation windows: of w =
 * 0, 0.25, ..., 1, the one of the least sum of squared errors over every
 * step h >= 2 and window (ties: the larger), or rnn-train's fixed w; the
 * residuals of steps h >= 2 are then the blend's, so that the intervals
 * are those of the forecast written. No blend (fc_blend NULL) for a
 * direct model, without validation windows or step 2, or with
 * --forecast-blend none.
 */
#ifndef RNNKIT_CONFORMAL_H
#define RNNKIT_CONFORMAL_H

#include <stddef.h>

#include "rnnmodel.h"
#include "series.h"

/* Forecast steps kept at most, and the most forecasts made for them */
#define CONF_MAXSTEPS 100
#define CONF_MAXWORK 200000

/* Integer levels 1..CONF_LEVELS (--interval) */
#define CONF_LEVELS 99

/* The values a row of conf_res holds for n windows (above) */
size_t conformal_width(size_t n);

/* res: (rows) x n residual rows as above, counts count[h] for the rows
 * of step h (nt rows a step); returns them in conformal_width(n) values a
 * row: res itself when n <= CONF_LEVELS, else a new quantile table (res
 * is freed). */
double *conformal_compact(double *res, const size_t *count, size_t S,
                          size_t nt, size_t n);

/* Fill m's residuals from its predictions on windows val[0..nval) of ss
 * (scaled by m), step 1's divided by their windows' scales when
 * m->conf_scale (--interval-scale=diff, set by the caller) and
 * conf_sref can be had (above), all multiplied by conf_wf when
 * m->conf_widen (--interval-widen=auto; "Widening" above); nval 0, or a
 * classifier (no intervals), drops them. Dies (65) at the target's value
 * of the largest magnitude when a residual is not a finite double. */
void conformal_fit(struct rnnm *m, const struct series_set *ss,
                   const struct window *val, size_t nval);

/* m->conf_wf ("Widening" above) from the validation windows val[0..nval)
 * of ss (scaled by m): each target's f, 1 when either part has no
 * change; NULL without m->conf_widen, validation windows, or for a
 * classifier. A function of the data and the split alone (conformal_fit
 * calls it), so rnn-train can say it before training. */
void conformal_widen(struct rnnm *m, const struct series_set *ss,
                     const struct window *val, size_t nval);

/* n_h above for target k of a forecast from row o of t (data units) */
double conformal_naive(const struct rnnm *m, const struct table *t, size_t k,
                       size_t o, size_t h);
/* x_h above from the net's value net and the naive one: net itself at
 * step 1 or without a blend */
double conformal_blended(const struct rnnm *m, size_t k, size_t h, double net,
                         double naive);

/* s_k(z) above for the window of scaled values z (W, nc); 1 when m keeps
 * unscaled residuals (conf_sref NULL). */
double conformal_scale(const struct rnnm *m, const double *z, size_t nc,
                       size_t k);

/* Whether step h's residuals are relative to the scale: h = 1 with
 * conf_sref */
int conformal_scaled_step(const struct rnnm *m, size_t h);

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
