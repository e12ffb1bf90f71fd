/* sample.h - draw a class from a softmax head's logits (text generation),
 * and the log-probabilities that bits per character are made of.
 *
 * Sampling from logits z (n values) with temperature T and top-k K:
 *   the candidates C are the K classes of largest z (K <= 0 or K >= n:
 *   all n); ties at the cut go to the lower class index;
 *   p_i = exp((z_i - z_max) / T) / sum_{j in C} exp((z_j - z_max) / T)
 *   for i in C, p_i = 0 outside C: softmax(z / T) restricted to C.
 *   One draw takes exactly one u = rk_rng_uniform(rng) in [0, 1) and
 *   returns the first i of C, taken largest z first (ties: lower index
 *   first), at which the running sum of the weights exp((z_i - z_max)/T)
 *   exceeds u times their total (the last of C if rounding leaves none). The class
 *   drawn thus depends on the logits, T, K and the generator's state only:
 *   the same seed gives the same text.
 *   T <= 0 (T -> 0) is argmax: the lowest index among the largest z, and
 *   no number is drawn from rng. T = 1 samples softmax(z) itself.
 * The logits must be finite (a sampler given NaN returns -1).
 *
 * Bits per character: a model that gives the true next symbol probability
 * p_t at each of N steps scores
 *   bpc = -(1/N) sum_t log2 p_t = (sum_t -ln p_t) / (N ln 2),
 * with ln p_t = z_k - z_max - ln sum_j exp(z_j - z_max) (rk_log_softmax,
 * in double).
 */
#ifndef RK_SAMPLE_H
#define RK_SAMPLE_H

#include <stddef.h>

#include "real.h"
#include "rng.h"

struct rk_sampler {
	size_t n;               /* classes */
	double temperature;     /* <= 0: argmax */
	size_t top_k;           /* 0 or >= n: all */
	size_t *order;          /* n: scratch, classes by z descending */
	double *w;              /* n: scratch, unnormalized weights */
};

/* A sampler over n >= 1 classes; -1 when n is 0. */
int rk_sampler_init(struct rk_sampler *s, size_t n, double temperature,
                    size_t top_k);
void rk_sampler_release(struct rk_sampler *s);
/* The distribution a draw follows (p of n values, zeros outside the
 * candidates; argmax: a single 1). 0, or -1 on a non-finite logit. */
int rk_sampler_probs(struct rk_sampler *s, double *p, const rk_real *z);
/* One class drawn from z (n logits) with rng, as above; -1 on a
 * non-finite logit. */
long rk_sample(struct rk_sampler *s, const rk_real *z, struct rk_rng *rng);

/* ln softmax(z)_k of n logits, in double (k < n). */
double rk_log_softmax(const rk_real *z, size_t n, size_t k);
/* sum of -ln p over nchars symbols to bits per character (0 for none). */
double rk_bits_per_char(double nats, size_t nchars);

#endif
