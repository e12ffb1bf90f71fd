/* test_transform.c - the transforms' polynomials (transform.h): the
 * coefficients c_0..c_d of (1-B)^a (1-B^P)^b written out by hand for every
 * kind with and without a period, their names, and rk_tf_apply /
 * rk_tf_invert as exact inverses on a series of levels. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "transform.h"

static int nfail, ncheck;

#define CHECK(c) do { ncheck++; if (!(c)) { nfail++; \
	fprintf(stderr, "%s:%d: failed: %s\n", __FILE__, __LINE__, #c); } } while (0)

/* t's coefficients are want[0..n) exactly */
static int
coef_is(const struct rk_tf *t, const double *want, size_t n)
{
	size_t j;

	if (t->lag + 1 != n)
		return 0;
	for (j = 0; j < n; j++)
		if (t->c[j] != want[j])
			return 0;
	return 1;
}

static void
check_kind(enum rk_transform k, size_t P, const double *want, size_t n)
{
	struct rk_tf t;
	double u[40], y[40], back[40];
	size_t i, d;

	rk_tf_init(&t, k, P);
	CHECK(coef_is(&t, want, n));
	d = t.lag;
	/* levels: a quadratic plus a wiggle */
	for (i = 0; i < 40; i++)
		u[i] = 0.5 * (double)(i * i) - 3.0 * (double)i + sin((double)i);
	for (i = d; i < 40; i++)
		y[i] = rk_tf_apply(&t, u + i, 1);
	/* the first d levels known, the rest recovered from y alone */
	memcpy(back, u, d * sizeof *back);
	for (i = d; i < 40; i++)
		back[i] = rk_tf_invert(&t, y[i], back + i - 1, 1);
	for (i = d; i < 40; i++)
		CHECK(fabs(back[i] - u[i]) <= 1e-9 * (1 + fabs(u[i])));
	rk_tf_release(&t);
}

/* A series falling by 0.05 a step, as read from 2-decimal text: its
 * changes differ in their last bits only. No season, no trend
 * statistic from that noise; a real season still found. */
static void
check_flat(void)
{
	double x[56], s[56], d[55], a;
	char b[16];
	size_t i;

	for (i = 0; i < 56; i++) {
		snprintf(b, sizeof b, "%.2f", 6.0 - 0.05 * (double)i);
		x[i] = strtod(b, NULL);
		s[i] = x[i] + (i % 5 == 0 ? 1 : 0);
	}
	for (i = 0; i < 55; i++)
		d[i] = x[i + 1] - x[i];
	CHECK(!rk_tf_flat(x, 56));
	CHECK(rk_tf_flat(d, 55));
	CHECK(d[0] != d[1] || d[1] != d[2] || d[2] != d[3]);  /* noise */
	CHECK(rk_tf_acf_period(x, 56, &a) == 1 && a == 0);
	CHECK(rk_tf_kpss(d, 55) == 0);
	CHECK(rk_tf_naive_ratio(d, 55) == 0);
	CHECK(rk_tf_seasonal_strength(x, 56, 5) == 0);
	CHECK(rk_tf_acf_period(s, 56, &a) == 5 && a > 0.5);
	CHECK(rk_tf_seasonal_strength(s, 56, 5) > 0.9);
}

int
main(void)
{
	check_flat();
	static const double none[] = { 1 };
	static const double diff[] = { 1, -1 };
	static const double diff2[] = { 1, -2, 1 };
	/* (1 - B^4) */
	static const double seas4[] = { 1, 0, 0, 0, -1 };
	/* (1 - B)(1 - B^4) = 1 - B - B^4 + B^5 */
	static const double diff_s4[] = { 1, -1, 0, 0, -1, 1 };
	/* (1 - B)^2 (1 - B^4) = 1 - 2B + B^2 - B^4 + 2B^5 - B^6 */
	static const double diff2_s4[] = { 1, -2, 1, 0, -1, 2, -1 };
	/* (1 - B)^2 (1 - B^2): a period shorter than the differences,
	 * 1 - 2B + B^2 - B^2 + 2B^3 - B^4 = 1 - 2B + 2B^3 - B^4 */
	static const double diff2_s2[] = { 1, -2, 0, 2, -1 };
	enum rk_transform k;
	struct rk_tf t;
	double u;

	check_kind(RK_TF_NONE, 1, none, 1);
	check_kind(RK_TF_LOG, 1, none, 1);
	check_kind(RK_TF_DIFF, 1, diff, 2);
	check_kind(RK_TF_LOGDIFF, 1, diff, 2);
	check_kind(RK_TF_DIFF2, 1, diff2, 3);
	check_kind(RK_TF_LOGDIFF2, 1, diff2, 3);
	check_kind(RK_TF_NONE, 4, seas4, 5);
	check_kind(RK_TF_DIFF, 4, diff_s4, 6);
	check_kind(RK_TF_DIFF2, 4, diff2_s4, 7);
	check_kind(RK_TF_DIFF2, 2, diff2_s2, 5);

	CHECK(rk_tf_diffs(RK_TF_NONE) == 0 && rk_tf_diffs(RK_TF_LOG) == 0);
	CHECK(rk_tf_diffs(RK_TF_DIFF) == 1 && rk_tf_diffs(RK_TF_LOGDIFF) == 1);
	CHECK(rk_tf_diffs(RK_TF_DIFF2) == 2 && rk_tf_diffs(RK_TF_LOGDIFF2) == 2);
	/* the names as the model stores them, and back */
	CHECK(!strcmp(rk_transform_name(RK_TF_DIFF2), "diff2"));
	CHECK(!strcmp(rk_transform_name(RK_TF_LOGDIFF2), "logdiff2"));
	CHECK(rk_transform_parse("logdiff2", &k) == 0 && k == RK_TF_LOGDIFF2);
	CHECK(rk_transform_parse("diff3", &k) < 0);
	CHECK(rk_transform_parse("auto", &k) < 0);     /* rnn-train's, not a kind */
	/* logdiff2 takes logarithms: x <= 0 has no level */
	rk_tf_init(&t, RK_TF_LOGDIFF2, 1);
	CHECK(rk_tf_is_log(&t));
	CHECK(rk_tf_level(&t, 0, &u) < 0);
	CHECK(rk_tf_level(&t, M_E, &u) == 0 && fabs(u - 1) < 1e-15);
	CHECK(fabs(rk_tf_unlevel(&t, 1) - M_E) < 1e-15);
	rk_tf_release(&t);
	rk_tf_init(&t, RK_TF_DIFF2, 1);
	CHECK(!rk_tf_is_log(&t) && !rk_tf_identity(&t));
	rk_tf_release(&t);

	printf("test_transform: %d checks, %d failed\n", ncheck, nfail);
	return nfail ? 1 : 0;
}
