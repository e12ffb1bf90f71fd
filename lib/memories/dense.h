/* dense.h - dense associative memories (modern Hopfield networks).
 *
 * A dense memory keeps its m patterns themselves, X (m x n, row-major, one
 * pattern per row): these energies have no weight matrix. The patterns are
 * +-1 (real == 0), or any real numbers (real == 1, for the continuous
 * model only).
 *
 * Discrete (+-1 patterns, states of +1, -1, or 0 for an unknown bit),
 * with o_mu = x_mu . s the overlaps:
 *   E(s) = -sum_mu F(o_mu),  F(x) = x^K   (poly:K, K >= 2; Krotov &
 *                                          Hopfield 2016)
 *                            F(x) = e^x   (exp; Demircigil et al. 2017)
 * Neuron i takes the sign that lowers E, from the energy difference
 *   E(s_i = +1) - E(s_i = -1) = -sum_mu [F(a_mu + x_mu,i) - F(a_mu - x_mu,i)]
 *                             = -f_i,  a_mu = o_mu - x_mu,i s_i
 * (a_mu: the overlap without neuron i): s_i <- sign(f_i), and s_i is kept
 * when f_i == 0, as bipolar_update() does. exp's f_i, a sum of terms
 * +-e^k, is 0 exactly in many states (equal counts of e^k with either
 * sign) but computed with a residue of either sign: every mode takes a
 * computed |f_i| <= (m + 8) eps A, A = sum_mu G(o_mu - 2) + G(o_mu) +
 * G(o_mu + 2) (>= the sum of |terms| of any neuron's field, unknown bits
 * too), eps = DBL_EPSILON, as f_i = 0: exp() errs by < 1 ulp, the e^+-2
 * products and differences by a few more, and a sum of m terms by at most
 * m eps A. poly compares with 0 as computed (exact integers when
 * poly_exact). poly:2 is hebb: f = 4 W s with
 * W = X^T X - m I, and E = 2 E_hebb - m n for a +-1 state.
 * For a known s_i, a_mu is o_mu - 1 where x_mu,i = s_i and o_mu + 1 where
 * not, so with G = F scaled (below)
 *   f_i = sum_mu x_mu,i h_mu + s_i sum_mu d_mu,
 *   h_mu = (G(o_mu + 2) - G(o_mu - 2)) / 2,
 *   d_mu = (2 G(o_mu) - G(o_mu + 2) - G(o_mu - 2)) / 2,
 * and for an unknown s_i = 0, f_i = sum_mu x_mu,i (G(o_mu + 1) - G(o_mu - 1)):
 * sync recall is two gemms a step, O = S X^T and F = H X (b probes at once).
 * G is F divided by a positive constant per probe and step, which keeps
 * every sign: exp: G(x) = e^(x - c), c = max_mu o_mu + 2, so no term
 * exceeds 1 and nothing overflows for any n (the log-sum-exp shift); poly
 * when (n + 2)^K m < 2^52: G = F, integers, and every field is exact;
 * other poly: G(x) = (x / c)^K with c = max_mu |o_mu| + 2.
 * The printed energy is E for poly (exact when sum_mu |o_mu|^K < 2^53), and
 * for exp -lse(o) = -log sum_mu e^(o_mu) = -log(-E), which orders states
 * as E does and stays finite where e^(o_mu) would overflow.
 *
 * Continuous (Ramsauer et al. 2020), real probes xi (b x n), beta > 0:
 *   xi <- X^T softmax(beta X xi)        (X m x n here; two gemms a step)
 *   E(xi) = -lse(beta, X xi) + xi.xi / 2 + log(m) / beta + M^2 / 2,
 *   lse(beta, z) = log(sum_mu e^(beta z_mu)) / beta, M = max_mu |x_mu|.
 * softmax subtracts the largest beta z_mu first; the energy takes
 * lse - log(m)/beta = z_max + log(u)/beta, u = mean_mu e^(beta (z_mu -
 * z_max)), with log(u) as log1p(mean expm1(...)) while u > 1/2, so that
 * the two log(m)/beta (huge for small beta) never cancel. A run stops when an
 * update moves the state by at most tau = 1e-6 M (Euclidean): stable. After
 * max_iter updates the next update is computed (not applied): stable when
 * it would move the state by at most tau, else limit. match: the nearest
 * pattern (1-based) when within tau of the state, else 0; distance: the
 * Euclidean distance to the nearest pattern.
 */
#ifndef RNNKIT_DENSE_H
#define RNNKIT_DENSE_H

#include <float.h>
#include <stddef.h>
#include <stdint.h>

#include "hopfield.h"
#include "wstream.h"

struct dense {
	size_t n, m;
	int real;               /* 0: +-1 patterns, 1: real values */
	double *X;              /* m x n */
	int threads;            /* sync and continuous recall: the probes'
	                         * batches (fixed boundaries) on this many
	                         * threads, the output the same for any
	                         * number; <= 1 (dense_init), or a trace: one */
};

enum dense_kind { DENSE_POLY, DENSE_EXP };
struct dense_energy {
	enum dense_kind kind;
	int K;                  /* poly: the power, 2..DENSE_MAXK */
};
#define DENSE_MAXK 64

/* "poly:K" or "exp": 0, else -1 (a bad word or K outside 2..DENSE_MAXK). */
int dense_energy_parse(const char *s, struct dense_energy *e);

void dense_init(struct dense *d, size_t n, int real);
void dense_release(struct dense *d);
/* Append m patterns (m x n; +-1 unless d->real). */
void dense_store(struct dense *d, const double *x, size_t m);

/* Discrete energy of one state (see above: E, or -lse for exp), and the
 * resolution to which it is known (0: exact), for fmt_energy(). */
double dense_energy_of(const struct dense *d, const struct dense_energy *e,
                       const double *s);
double dense_energy_tol(const struct dense *d, const struct dense_energy *e,
                        double energy);

/* Discrete recall of b probes in place (b x n), with the modes, cycle
 * checks, statuses, trace calls and results of hop_recall(); match and
 * hamming against the stored patterns and their negations as hop_match().
 * Needs !d->real. */
void dense_recall(const struct dense *d, const struct dense_energy *e,
                  double *states, size_t b, enum hop_mode mode,
                  size_t max_iter, uint64_t seed, struct hop_result *res,
                  hop_trace_fn trace, void *ctx);

struct dense_cresult {
	size_t iters;           /* updates applied */
	enum hop_status status; /* HOP_STABLE or HOP_LIMIT */
	double energy;
	long match;             /* nearest pattern (1-based) within tau, or 0 */
	double distance;        /* to the nearest pattern */
};
/* Every squared norm |x|^2 of a pattern or probe stays within DENSE_MAXSQ,
 * and beta M max(|xi|, M) too (>= every |beta z_mu| of every step, as an
 * update is a convex combination of patterns): then no sum, product,
 * distance or energy of the continuous model overflows. */
#define DENSE_MAXSQ (DBL_MAX / 16)
/* Are the m rows of x (m x n) within DENSE_MAXSQ? 1, or 0 with *bad the
 * first row that is not. */
int dense_norms_ok(const double *x, size_t m, size_t n, size_t *bad);
/* Can the b probes x (b x n) be recalled with beta without overflow? 1,
 * or 0 with *bad the first that cannot. */
int dense_cprobes_ok(const struct dense *d, double beta, const double *x,
                     size_t b, size_t *bad);
/* Continuous recall of b real probes in place (b x n), all
 * dense_cprobes_ok. trace gets step 0 and each update (neuron -1). */
void dense_crecall(const struct dense *d, double beta, double *states,
                   size_t b, size_t max_iter, struct dense_cresult *res,
                   hop_trace_fn trace, void *ctx);
/* E of Ramsauer et al. for one state. */
double dense_cenergy(const struct dense *d, double beta, const double *xi);

/* Weight stream: kind "dense", keys neurons, patterns, values (pm1 or
 * real); tensor patterns (bits m x n for pm1, f64 m x n for real). */
void dense_to_stream(const struct dense *d, struct rk_wstream *w);
void dense_from_stream(struct dense *d, struct rk_wstream *w);

#endif
