/* sample.c - temperature and top-k sampling from logits, log-softmax
 * (sample.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sample.h"
#include "util.h"

int
rk_sampler_init(struct rk_sampler *s, size_t n, double temperature,
                size_t top_k)
{
	memset(s, 0, sizeof *s);
	if (!n)
		return -1;
	s->n = n;
	s->temperature = temperature;
	s->top_k = top_k && top_k < n ? top_k : n;
	s->order = ereallocarray(NULL, n, sizeof *s->order);
	s->w = ereallocarray(NULL, n, sizeof *s->w);
	return 0;
}

void
rk_sampler_release(struct rk_sampler *s)
{
	free(s->order);
	free(s->w);
	memset(s, 0, sizeof *s);
}

/* the logits of a sort (qsort has no context argument) */
static _Thread_local const rk_real *sort_z;

/* z descending, then index ascending: a total order, so the result does
 * not depend on qsort's algorithm */
static int
by_z_desc(const void *a, const void *b)
{
	size_t i = *(const size_t *)a, j = *(const size_t *)b;

	if (sort_z[i] != sort_z[j])
		return sort_z[i] > sort_z[j] ? -1 : 1;
	return i < j ? -1 : i > j;
}

/* order[0..k) = the candidates, largest z first; the weights of them in
 * w[0..k) (w[0] = 1 for the largest); returns k, or 0 on a non-finite
 * logit. Argmax (T <= 0) is k = 1. */
static size_t
candidates(struct rk_sampler *s, const rk_real *z)
{
	size_t i, k = s->temperature > 0 ? s->top_k : 1, best = 0;

	for (i = 0; i < s->n; i++) {
		if (!isfinite(z[i]))
			return 0;
		if (z[i] > z[best])
			best = i;
	}
	if (k == 1) {
		s->order[0] = best;
		s->w[0] = 1;
		return 1;
	}
	for (i = 0; i < s->n; i++)
		s->order[i] = i;
	sort_z = z;
	qsort(s->order, s->n, sizeof *s->order, by_z_desc);
	for (i = 0; i < k; i++)
		s->w[i] = exp(((double)z[s->order[i]] - (double)z[best]) /
		              s->temperature);
	return k;
}

int
rk_sampler_probs(struct rk_sampler *s, double *p, const rk_real *z)
{
	size_t i, k = candidates(s, z);
	double sum = 0;

	if (!k)
		return -1;
	for (i = 0; i < k; i++)
		sum += s->w[i];
	memset(p, 0, s->n * sizeof *p);
	for (i = 0; i < k; i++)
		p[s->order[i]] = s->w[i] / sum;
	return 0;
}

long
rk_sample(struct rk_sampler *s, const rk_real *z, struct rk_rng *rng)
{
	size_t i, k = candidates(s, z);
	double sum = 0, u, run = 0;

	if (!k)
		return -1;
	if (k == 1)
		return (long)s->order[0];
	for (i = 0; i < k; i++)
		sum += s->w[i];
	u = rk_rng_uniform(rng) * sum;
	for (i = 0; i < k - 1; i++) {
		run += s->w[i];
		if (run > u)
			break;
	}
	return (long)s->order[i];
}

double
rk_log_softmax(const rk_real *z, size_t n, size_t k)
{
	double m = z[0], sum = 0;
	size_t i;

	for (i = 1; i < n; i++)
		if (z[i] > m)
			m = z[i];
	for (i = 0; i < n; i++)
		sum += exp((double)z[i] - m);
	return (double)z[k] - m - log(sum);
}

double
rk_bits_per_char(double nats, size_t nchars)
{
	return nchars ? nats / ((double)nchars * M_LN2) : 0;
}
