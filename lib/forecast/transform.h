/* transform.h - what the net is trained on instead of the raw series, and
 * back: logarithms, differences, seasonal differences (rnn-train(1),
 * "Transforms").
 *
 * For one column x_t, with the level u_t = ln x_t (log, logdiff, logdiff2)
 * or x_t (none, diff, diff2), the net sees
 *   y_t = u_t                                  none, log
 *   y_t = u_t - u_{t-1}                        diff, logdiff
 *   y_t = u_t - 2 u_{t-1} + u_{t-2}            diff2, logdiff2
 * and with a period P > 1, the seasonal difference of that at lag P:
 *   y_t = u_t - u_{t-P}                        none, log
 *   y_t = (u_t - u_{t-1}) - (u_{t-P} - u_{t-P-1})   diff, logdiff
 * i.e. y_t = sum_{j=0..d} c_j u_{t-j}, the polynomial (1-B)^a (1-B^P)^b in
 * the backshift B, a = 1 for diff and logdiff, 2 for diff2 and logdiff2,
 * b = 1 for P > 1, of degree
 * d = a + b P (the rows of history a value needs); c_0 = 1. Inverting
 * with the levels before t, known or forecast:
 *   u_t = y_t - sum_{j=1..d} c_j u_{t-j},  x_t = exp(u_t) (log kinds) or u_t.
 * Invariants: 1 <= period; ncoef == lag + 1 <= RK_TF_MAXLAG + 1.
 */
#ifndef RNNKIT_TRANSFORM_H
#define RNNKIT_TRANSFORM_H

#include <stddef.h>

enum rk_transform { RK_TF_NONE, RK_TF_DIFF, RK_TF_LOG, RK_TF_LOGDIFF,
	RK_TF_DIFF2, RK_TF_LOGDIFF2 };

#define RK_TF_MAXPERIOD 10000

struct rk_tf {
	enum rk_transform kind;
	size_t period;          /* 1: no seasonal difference */
	size_t lag;             /* d */
	double *c;              /* c_0..c_d, owned */
};

const char *rk_transform_name(enum rk_transform t);
/* 0, or -1: not a transform name */
int rk_transform_parse(const char *s, enum rk_transform *t);

/* Set up kind and period (1..RK_TF_MAXPERIOD): the coefficients. */
void rk_tf_init(struct rk_tf *t, enum rk_transform kind, size_t period);
void rk_tf_release(struct rk_tf *t);
/* Is it the identity (none, period 1)? */
int rk_tf_identity(const struct rk_tf *t);
/* Does it take logarithms? */
int rk_tf_is_log(const struct rk_tf *t);
/* a: how many first differences the kind takes (0, 1 or 2) */
size_t rk_tf_diffs(enum rk_transform kind);

/* The level u of a value x: 0, or -1 when a log kind meets x <= 0 (or
 * not a number). */
int rk_tf_level(const struct rk_tf *t, double x, double *u);
/* The error for a value x <= 0 under a log kind, at FILE:LINE:COL of
 * column name (65). */
_Noreturn void rk_tf_level_die(const struct rk_tf *t, const char *file,
                               size_t line, size_t col, const char *name,
                               double x);
/* x from its level u. */
double rk_tf_unlevel(const struct rk_tf *t, double u);
/* y_t from the levels u_t, u_{t-1}, ..., u_{t-d} at u[0], u[-stride], ...,
 * u[-d*stride]. */
double rk_tf_apply(const struct rk_tf *t, const double *u, size_t stride);
/* The level u_t from y_t and the levels before it: u_{t-1} at prev[0],
 * u_{t-j} at prev[-(j-1)*stride]. */
double rk_tf_invert(const struct rk_tf *t, double y, const double *prev,
                    size_t stride);

/* The automatic choice (rnn-train(1), "Transforms", --transform=auto), the
 * rule of Hyndman and Khandakar's auto.arima, fixed a priori:
 *
 * Seasonal strength of x[0..n) at period P (classical decomposition): the
 * trend T by the centred moving average of P (2xP for even P), D = x - T
 * where T is defined, S the mean of D at each phase (centred), R = D - S;
 *   F = max(0, 1 - var(R) / var(D))   (0 when var(D) is 0, or n < 3P).
 * A seasonal difference when F > RK_TF_SEAS_CRIT.
 *
 * KPSS level-stationarity statistic of x[0..n) (Kwiatkowski, Phillips,
 * Schmidt and Shin 1992): e = x - mean, S_t = e_1 + ... + e_t,
 *   eta = sum S_t^2 / (n^2 s2),
 *   s2 = (1/n) sum e_t^2 + (2/n) sum_{s=1..l} (1 - s/(l+1)) sum_t e_t e_{t-s}
 * with the Newey-West lag l = floor(4 (n/100)^(1/4)); 0 when s2 is 0.
 * A first difference when eta > RK_TF_KPSS_CRIT (its 5% critical value),
 * or on a short series when the last-value ratio below is high; then a
 * second (diff2) on a short series, with no seasonal difference, when the
 * last-value ratio of the first differences is high too.
 */
#define RK_TF_KPSS_CRIT 0.463
#define RK_TF_SEAS_CRIT 0.64

/* Flat: values whose spread (largest less smallest) is at most
 * RK_TF_FLAT times their largest magnitude are taken as constant, the
 * spread being rounding noise (0.05 has no exact double: a series
 * falling by 0.05 a step, read from decimals, has changes that differ in
 * their last bits). rk_tf_flat says whether x[0..n) is; every statistic
 * below treats such a series (rk_tf_acf_period: its changes) as
 * constant: F 0, KPSS 0, last-value ratio 0, no season. */
#define RK_TF_FLAT 1e-12
int rk_tf_flat(const double *x, size_t n);

/* The season of x[0..n) from its autocorrelation, when nothing else
 * gives one (rnn-train --period): with y the first differences of x
 * (a trend removed), e = y - mean(y), r(k) = sum_t e_t e_{t-k} / sum e_t^2,
 * the lag k in [2, min((n-1)/3, RK_TF_ACF_MAXLAG)] of the highest local
 * maximum of r (r(k) >= r(k-1), r(k) >= r(k+1)) with r(k) > RK_TF_ACF_CRIT;
 * 1 when there is none. *r_out (may be NULL): r at the lag returned (0
 * for 1). */
#define RK_TF_ACF_CRIT 0.5
#define RK_TF_ACF_MAXLAG 400
size_t rk_tf_acf_period(const double *x, size_t n, double *r_out);

double rk_tf_kpss(const double *x, size_t n);
/* The naive check of a level (--transform=auto, beside KPSS): with h =
 * RK_TF_NAIVE_HOLDOUT n rounded (at least 1) and m the mean of
 * x[0..n-h), over the last h values
 *   rho = sqrt(sum_t (x_t - m)^2 / sum_t (x_t - x_{t-1})^2),
 * the RMSE of the earlier values' mean over that of the last value
 * (one step ahead); HUGE_VAL when only the last value is exact, 0 when
 * both are (or n < h + 2). A first difference also when rho >
 * RK_TF_NAIVE_CRIT: the series has left the level it had. */
#define RK_TF_NAIVE_HOLDOUT 0.2
#define RK_TF_NAIVE_CRIT 2.0
/* ... on series of fewer rows than this only (KPSS alone above) */
#define RK_TF_NAIVE_MAXROWS 100
double rk_tf_naive_ratio(const double *x, size_t n);
double rk_tf_seasonal_strength(const double *x, size_t n, size_t period);
/* The same, and adj[0..n) = x less its season, x[t] - (S[t mod P] - mean
 * S) (left unset when n < 3P, where F is 0). */
double rk_tf_seasonal_adjust(const double *x, size_t n, size_t period,
                             double *adj);

#endif
