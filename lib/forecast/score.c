/* score.c - one-step errors of a model and of the naive forecasts. */
#include <math.h>

#include "score.h"

size_t
score_period(const struct rk_tstep *st)
{
	return rk_tstep_period(st);
}

static size_t
seasonal_lag(size_t H, size_t P)
{
	return P * ((H + P - 1) / P);
}

size_t
score_first_row(size_t W, size_t H, size_t P)
{
	size_t a = W - 1 + H, b = seasonal_lag(H, P);

	return a > b ? a : b;
}

/* err(r) = forecast - y[r] for rows [first, n); scale > 0 or NaN */
static void
finish(struct score *s, double sse, double sae, size_t n, double scale)
{
	s->n = n;
	s->rmse = sqrt(sse / (double)n);
	s->mae = sae / (double)n;
	s->mase = scale > 0 ? s->mae / scale : NAN;
}

/* MASE's scale: mean |y[r] - y[r - P]| over r = P .. n-1 (n > P) */
static double
naive_scale(const double *y, size_t stride, size_t n, size_t P)
{
	double scale = 0;
	size_t r;

	for (r = P; r < n; r++)
		scale += fabs(y[r * stride] - y[(r - P) * stride]);
	return scale / (double)(n - P);
}

int
score_series(struct score *out, const double *y, size_t stride, size_t n,
             const double *pred, size_t first, size_t H, size_t P)
{
	double sse[SCORE_NMETHODS] = { 0 }, sae[SCORE_NMETHODS] = { 0 };
	double scale, f[SCORE_NMETHODS], e;
	size_t r, k, L = seasonal_lag(H, P), nm = P > 1 ? 3 : 2;

	if (first >= n || n <= P || first < H || first < L)
		return -1;
	scale = naive_scale(y, stride, n, P);
	for (r = first; r < n; r++) {
		f[SCORE_MODEL] = pred[r - first];
		f[SCORE_LAST] = y[(r - H) * stride];
		f[SCORE_SEASONAL] = y[(r - L) * stride];
		for (k = 0; k < nm; k++) {
			e = f[k] - y[r * stride];
			sse[k] += e * e;
			sae[k] += fabs(e);
		}
	}
	for (k = 0; k < nm; k++)
		finish(&out[k], sse[k], sae[k], n - first, scale);
	return 0;
}

void
score_acc_add(struct score_acc *a, const double *y, size_t stride, size_t o,
              size_t h, size_t P, double f)
{
	double fm[SCORE_NMETHODS], e, t = y[(o + h) * stride];
	size_t k;

	fm[SCORE_MODEL] = f;
	fm[SCORE_LAST] = y[o * stride];
	fm[SCORE_SEASONAL] = P > 1 ? y[(o + h - seasonal_lag(h, P)) * stride] :
	                     0;
	for (k = 0; k < SCORE_NMETHODS; k++) {
		e = fm[k] - t;
		a->sse[k] += e * e;
		a->sae[k] += fabs(e);
	}
	a->n++;
}

int
score_acc_finish(struct score *out, const struct score_acc *a,
                 const double *y, size_t stride, size_t n, size_t P)
{
	double scale;
	size_t k;

	if (!a->n || n <= P)
		return -1;
	scale = naive_scale(y, stride, n, P);
	for (k = 0; k < (P > 1 ? 3u : 2u); k++)
		finish(&out[k], a->sse[k], a->sae[k], a->n, scale);
	return 0;
}

size_t
score_confusion(size_t *conf, size_t n, const double *truth, size_t stride,
                size_t rows, const size_t *pred, size_t first)
{
	size_t r, out = 0;
	double t;

	for (r = first; r < rows; r++) {
		t = truth[r * stride];
		if (t < 0) {
			out++;
			continue;
		}
		conf[(size_t)t * n + pred[r - first]]++;
	}
	return out;
}
