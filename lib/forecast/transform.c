/* transform.c - logarithms and (seasonal) differences, and back. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "transform.h"
#include "util.h"

static const char *const tf_names[] = { "none", "diff", "log", "logdiff",
	"diff2", "logdiff2" };

const char *
rk_transform_name(enum rk_transform t)
{
	return tf_names[t];
}

int
rk_transform_parse(const char *s, enum rk_transform *t)
{
	int i = rk_name_index(tf_names, sizeof tf_names / sizeof *tf_names, s);

	if (i < 0)
		return -1;
	*t = (enum rk_transform)i;
	return 0;
}

void
rk_tf_init(struct rk_tf *t, enum rk_transform kind, size_t period)
{
	size_t a = rk_tf_diffs(kind), j, k;

	t->kind = kind;
	t->period = period;
	t->lag = a + (period > 1 ? period : 0);
	t->c = ecalloc(t->lag + 1, sizeof *t->c);
	/* (1 - B)^a (1 - B^P)^b */
	t->c[0] = 1;
	for (j = 0; j < a; j++)         /* times (1 - B) */
		for (k = j + 1; k > 0; k--)
			t->c[k] -= t->c[k - 1];
	if (period > 1)        /* times (1 - B^P), from the top down */
		for (j = t->lag; j >= period; j--)
			t->c[j] -= t->c[j - period];
}

void
rk_tf_release(struct rk_tf *t)
{
	free(t->c);
	t->c = NULL;
}

int
rk_tf_identity(const struct rk_tf *t)
{
	return t->kind == RK_TF_NONE && t->period <= 1;
}

int
rk_tf_is_log(const struct rk_tf *t)
{
	return t->kind == RK_TF_LOG || t->kind == RK_TF_LOGDIFF ||
	       t->kind == RK_TF_LOGDIFF2;
}

size_t
rk_tf_diffs(enum rk_transform kind)
{
	return kind == RK_TF_DIFF || kind == RK_TF_LOGDIFF ? 1 :
	       kind == RK_TF_DIFF2 || kind == RK_TF_LOGDIFF2 ? 2 : 0;
}

int
rk_tf_level(const struct rk_tf *t, double x, double *u)
{
	if (!rk_tf_is_log(t)) {
		*u = x;
		return 0;
	}
	if (!(x > 0))
		return -1;
	*u = log(x);
	return 0;
}

void
rk_tf_level_die(const struct rk_tf *t, const char *file, size_t line,
                size_t col, const char *name, double x)
{
	char b[32];

	die_at(file, line, col, "cannot take the logarithm of %s in column "
	       "'%s': --transform=%s needs every value > 0",
	       rk_fmt_double(b, x), name, rk_transform_name(t->kind));
}

double
rk_tf_unlevel(const struct rk_tf *t, double u)
{
	return rk_tf_is_log(t) ? exp(u) : u;
}

double
rk_tf_apply(const struct rk_tf *t, const double *u, size_t stride)
{
	double y = u[0];
	size_t j;

	for (j = 1; j <= t->lag; j++)
		if (t->c[j] != 0)
			y += t->c[j] * *(u - j * stride);
	return y;
}

double
rk_tf_invert(const struct rk_tf *t, double y, const double *prev,
             size_t stride)
{
	size_t j;

	for (j = 1; j <= t->lag; j++)
		if (t->c[j] != 0)
			y -= t->c[j] * *(prev - (j - 1) * stride);
	return y;
}

/* Whether d[0..nd) spreads no more than RK_TF_FLAT times the largest
 * magnitude of the levels x[0..n) it comes from (transform.h) */
static int
flat_about(const double *d, size_t nd, const double *x, size_t n)
{
	double lo = INFINITY, hi = -INFINITY, big = 0;
	size_t t;

	for (t = 0; t < n; t++)
		big = fabs(x[t]) > big ? fabs(x[t]) : big;
	for (t = 0; t < nd; t++) {
		lo = d[t] < lo ? d[t] : lo;
		hi = d[t] > hi ? d[t] : hi;
	}
	return nd == 0 || hi - lo <= RK_TF_FLAT * big;
}

int
rk_tf_flat(const double *x, size_t n)
{
	return flat_about(x, n, x, n);
}

double
rk_tf_kpss(const double *x, size_t n)
{
	double mean = 0, s = 0, ss = 0, s2, g;
	size_t t, j, l;

	if (n < 2 || rk_tf_flat(x, n))
		return 0;
	for (t = 0; t < n; t++)
		mean += x[t];
	mean /= (double)n;
	s2 = 0;
	for (t = 0; t < n; t++) {
		double e = x[t] - mean;

		s += e;
		ss += s * s;
		s2 += e * e;
	}
	l = (size_t)floor(4 * pow((double)n / 100, 0.25));
	for (j = 1; j <= l && j < n; j++) {
		g = 0;
		for (t = j; t < n; t++)
			g += (x[t] - mean) * (x[t - j] - mean);
		s2 += 2 * (1 - (double)j / (double)(l + 1)) * g;
	}
	s2 /= (double)n;
	if (!(s2 > 0))
		return 0;
	return ss / ((double)n * (double)n * s2);
}

double
rk_tf_naive_ratio(const double *x, size_t n)
{
	size_t h = (size_t)floor(RK_TF_NAIVE_HOLDOUT * (double)n + 0.5), t;
	double mean = 0, em = 0, el = 0;

	if (h < 1)
		h = 1;
	if (n < h + 2 || rk_tf_flat(x, n))
		return 0;
	for (t = 0; t < n - h; t++)
		mean += x[t];
	mean /= (double)(n - h);
	for (t = n - h; t < n; t++) {
		em += (x[t] - mean) * (x[t] - mean);
		el += (x[t] - x[t - 1]) * (x[t] - x[t - 1]);
	}
	if (!(el > 0))
		return em > 0 ? HUGE_VAL : 0;
	return sqrt(em / el);
}

static double
variance(const double *x, size_t n)
{
	double m = 0, v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		m += x[i];
	m /= (double)n;
	for (i = 0; i < n; i++)
		v += (x[i] - m) * (x[i] - m);
	return v / (double)n;
}

double
rk_tf_seasonal_strength(const double *x, size_t n, size_t P)
{
	return rk_tf_seasonal_adjust(x, n, P, NULL);
}

double
rk_tf_seasonal_adjust(const double *x, size_t n, size_t P, double *adj)
{
	size_t h = P / 2, t, j, nd, *cnt;
	double *d, *seas, mean = 0, vd, vr, f;

	if (P < 2 || n < 3 * P || rk_tf_flat(x, n))
		return 0;
	nd = n - 2 * h;                 /* rows h .. n-h-1 have a trend */
	d = emalloc(emul(nd, sizeof *d));
	seas = ecalloc(P, sizeof *seas);
	cnt = ecalloc(P, sizeof *cnt);
	for (t = h; t < n - h; t++) {
		double tr = 0;

		if (P % 2) {
			for (j = t - h; j <= t + h; j++)
				tr += x[j];
		} else {
			tr = (x[t - h] + x[t + h]) / 2;
			for (j = t - h + 1; j < t + h; j++)
				tr += x[j];
		}
		d[t - h] = x[t] - tr / (double)P;
		seas[t % P] += d[t - h];
		cnt[t % P]++;
	}
	for (j = 0; j < P; j++) {
		seas[j] /= (double)cnt[j];
		mean += seas[j];
	}
	mean /= (double)P;
	vd = variance(d, nd);
	/* no more than rounding noise about the trend (a straight line):
	 * no season */
	if (flat_about(d, nd, x, n))
		vd = 0;
	for (t = h; t < n - h; t++)
		d[t - h] -= seas[t % P] - mean;
	vr = variance(d, nd);
	f = vd > 0 ? 1 - vr / vd : 0;
	for (t = 0; adj && t < n; t++)
		adj[t] = x[t] - (seas[t % P] - mean);
	free(d);
	free(seas);
	free(cnt);
	return f > 0 ? f : 0;
}

size_t
rk_tf_acf_period(const double *x, size_t n, double *r_out)
{
	size_t m, K, k, t, best = 1;
	double mean = 0, s0 = 0, *e, *r, rbest = 0;
	int flat;

	if (r_out)
		*r_out = 0;
	if (n < 8)
		return 1;
	m = n - 1;
	K = (m - 1) / 3;
	if (K > RK_TF_ACF_MAXLAG)
		K = RK_TF_ACF_MAXLAG;
	if (K < 3)
		return 1;
	e = emalloc(emul(m, sizeof *e));
	r = emalloc(emul(K + 2, sizeof *r));
	for (t = 0; t < m; t++)
		mean += (e[t] = x[t + 1] - x[t]);
	mean /= (double)m;
	/* constant changes (a straight line): no season */
	flat = flat_about(e, m, x, n);
	for (t = 0; t < m; t++) {
		e[t] -= mean;
		s0 += e[t] * e[t];
	}
	if (flat)
		s0 = 0;
	for (k = 1; k <= K + 1 && s0 > 0; k++) {
		double a = 0;

		for (t = k; t < m; t++)
			a += e[t] * e[t - k];
		r[k] = a / s0;
	}
	for (k = 2; k <= K && s0 > 0; k++)
		if (r[k] > RK_TF_ACF_CRIT && r[k] > rbest &&
		    r[k] >= r[k - 1] && r[k] >= r[k + 1]) {
			rbest = r[k];
			best = k;
		}
	free(e);
	free(r);
	if (r_out)
		*r_out = rbest;
	return best;
}
