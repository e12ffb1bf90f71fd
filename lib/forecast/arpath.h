/* arpath.h - the linear path of a forecasting model (rnn-train --linear,
 * rnn-train(1), "The linear path"): a least-squares autoregression on the
 * window, which the net then corrects.
 *
 * For a window whose net inputs are x (W, nin) (rnnm_window_x) and target
 * k, the linear path is
 *   lin_k(x) = sum_{t < W, c < nin} a_k[t nin + c] x[t][c] + a_k[W nin]
 * in the model's scaled units. It is part of the window's base
 * (series.h, rnnm_window_base): the net learns target - base and a
 * prediction is base + the net's output, so without the net's output the
 * model is the autoregression itself, and its forecasts, intervals and
 * inversions take the linear path like any base.
 *
 * Fit (rnnm_ar_fit): on the training windows w[0..n) only (never the
 * validation ones, which judge the net and give the intervals). With
 * nb_k(w) the base without the linear path (the window's last value under
 * --normalize=window, else 0), y_k(w) = z_k(w) - nb_k(w) the target so
 * based, and the features f_w = (x_w, 1), the ridge regression
 *   a_k(lambda, a0) = argmin_a sum_w (y_k(w) - a . f_w)^2
 *                     + lambda m |a' - a0'|^2
 * over m windows, a' being a without its last term (the intercept is not
 * shrunk; z-scored inputs have unit variance, so lambda m is a share of
 * the windows' sum of squares), solved by the Cholesky factor of the
 * normal equations (F'F + lambda m D) a = F'y_k + lambda m D a0.
 * The prior a0 the coefficients shrink to is 0 (a constant forecast of
 * the based target: the mean change under a difference), or the last
 * value: 1 on the window's last row of target k's own input column, 0
 * elsewhere (a random walk of the net's transformed values: under a
 * difference, the last change carried on), so a strong lambda leaves a
 * naive forecast rather than a constant one.
 * lambda from RK_AR_GRID and the prior (for each lambda, 0 then the last
 * value), or none (a = 0, no linear path), are chosen by the squared
 * error summed over targets on the holdout, the last RK_AR_HOLDOUT
 * (rounded) of each series' training windows, with a fitted on the
 * others (that error from the holdout's normal equations:
 * |y - F a|^2 = y'y - 2 a'F'y + a'F'F a; the first of equals wins). The
 * chosen pair is then fitted on all n windows. No holdout window, or no
 * other: none.
 *
 * Refit (rnnm_ar_refit, rnn-train --refit): the same ridge regression,
 * lambda and prior kept (m->ar_lambda, m->ar_last, in memory only), on
 * the windows given, the training and the validation ones, before the
 * net's refit.
 *
 * In the model (struct rnnm): ar_n = W nin + 1 terms per target, ar
 * (ntargets, ar_n), row k being a_k; ar_n 0: no linear path. In a stream:
 * "linear: ar" and the tensor linear.weight (ntargets, W nin + 1), F64.
 * Only with one output per target (no direct --horizon 1-K model).
 */
#ifndef RNNKIT_ARPATH_H
#define RNNKIT_ARPATH_H

#include <stddef.h>

#include "rnnmodel.h"
#include "series.h"

#define RK_AR_GRID { 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30, 100 }
#define RK_AR_HOLDOUT 0.2
/* The most terms a target's linear path may have (W nin + 1) */
#define RK_AR_MAXTERMS 1025
#define RK_AR_MAXTERMS_S "1025"

/* Fit m's linear path (replacing any) on windows w[0..n) of ss, scaled by
 * m, as above. Returns 0 (fitted), or 1 (none: the holdout chose none, or
 * had no windows, or the equations were singular), or -1 (none: a direct
 * model or more than RK_AR_MAXTERMS terms); why (whyn bytes) says which,
 * for "linear: " on standard error. */
int rnnm_ar_fit(struct rnnm *m, const struct series_set *ss,
                const struct window *w, size_t n, char *why, size_t whyn);

/* Fit m's linear path again, with the ridge weight and the prior
 * rnnm_ar_fit chose (m->ar_lambda, m->ar_last), on windows w[0..n) of
 * ss, e.g. the training and the validation windows. Nothing (0) without
 * a linear path fitted in this process. 0, or -1 (singular: the path is
 * left as it was). */
int rnnm_ar_refit(struct rnnm *m, const struct series_set *ss,
                  const struct window *w, size_t n);

/* lin_k for the window of scaled values z (W, nc) (0 without a linear
 * path) */
double rnnm_ar_value(const struct rnnm *m, const double *z, size_t nc,
                     size_t k);

#endif
