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

int
score_series(struct score *out, const double *y, size_t stride, size_t n,
             const double *pred, size_t first, size_t H, size_t P)
{
	double sse[SCORE_NMETHODS] = { 0 }, sae[SCORE_NMETHODS] = { 0 };
	double scale = 0, f[SCORE_NMETHODS], e;
	size_t r, k, L = seasonal_lag(H, P), nm = P > 1 ? 3 : 2;

	if (first >= n || n <= P || first < H || first < L)
		return -1;
	for (r = P; r < n; r++)
		scale += fabs(y[r * stride] - y[(r - P) * stride]);
	scale /= (double)(n - P);
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
