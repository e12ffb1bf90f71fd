/* transform.h - what the net is trained on instead of the raw series, and
 * back: logarithms, differences, seasonal differences (rnn-train(1),
 * "Transforms").
 *
 * For one column x_t, with the level u_t = ln x_t (log, logdiff) or x_t
 * (none, diff), the net sees
 *   y_t = u_t                                  none, log
 *   y_t = u_t - u_{t-1}                        diff, logdiff
 * and with a period P > 1, the seasonal difference of that at lag P:
 *   y_t = u_t - u_{t-P}                        none, log
 *   y_t = (u_t - u_{t-1}) - (u_{t-P} - u_{t-P-1})   diff, logdiff
 * i.e. y_t = sum_{j=0..d} c_j u_{t-j}, the polynomial (1-B)^a (1-B^P)^b in
 * the backshift B, a = 1 for the diff kinds, b = 1 for P > 1, of degree
 * d = a + b P (the rows of history a value needs); c_0 = 1. Inverting
 * with the levels before t, known or forecast:
 *   u_t = y_t - sum_{j=1..d} c_j u_{t-j},  x_t = exp(u_t) (log kinds) or u_t.
 * Invariants: 1 <= period; ncoef == lag + 1 <= RK_TF_MAXLAG + 1.
 */
#ifndef RNNKIT_TRANSFORM_H
#define RNNKIT_TRANSFORM_H

#include <stddef.h>

enum rk_transform { RK_TF_NONE, RK_TF_DIFF, RK_TF_LOG, RK_TF_LOGDIFF };

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

#endif
