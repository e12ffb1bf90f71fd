/* test_format.c - rk_fmt_double and rk_fmt_within against the plain
 * searches they replace (try 1, 2, ... digits with "%.*g" until the string
 * reads back as v, or lands within tol of v without an exponent where plain
 * digits fit), string for string, on values of many shapes: random bits,
 * floats widened, short decimals, powers of two and their neighbours,
 * integers, subnormals, values scaled by powers of ten.
 *
 *   test_format [N]    N random values of each shape (default 10000)
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "output.h"
#include "rng.h"

static int nfail;
static long ncheck;

static void
ref_double(char *buf, double v)
{
	int p;

	if (v == 0) {
		strcpy(buf, "0");
		return;
	}
	if (fabs(v) < 9007199254740992.0 && v == floor(v)) {
		sprintf(buf, "%.0f", v);
		return;
	}
	for (p = 1; p < 17; p++) {
		snprintf(buf, 32, "%.*g", p, v);
		if (strtod(buf, NULL) == v)
			return;
	}
	snprintf(buf, 32, "%.17g", v);
}

static void
ref_within(char *buf, double v, double tol)
{
	int p;

	if (!(tol > 0) || !isfinite(v)) {
		ref_double(buf, v);
		return;
	}
	for (p = 1; p < 17; p++) {
		snprintf(buf, 32, "%.*g", p, v);
		if (strchr(buf, 'e') && fabs(v) >= 1 && fabs(v) < 1e15)
			continue;
		if (fabs(strtod(buf, NULL) - v) <= tol)
			return;
	}
	ref_double(buf, v);
}

static void
one(double v, double tol)
{
	char a[32], b[32];

	if (!isfinite(v))
		return;
	ncheck += 2;
	rk_fmt_double(a, v);
	ref_double(b, v);
	if (strcmp(a, b) != 0 && nfail++ < 20)
		printf("FAIL rk_fmt_double(%a): %s, want %s\n", v, a, b);
	rk_fmt_within(a, v, tol);
	ref_within(b, v, tol);
	if (strcmp(a, b) != 0 && nfail++ < 20)
		printf("FAIL rk_fmt_within(%a, %g): %s, want %s\n", v, tol, a, b);
}

int
main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 10000, i;
	struct rk_rng g;
	int e;

	rk_rng_seed(&g, 2026);
	one(0, 1e-3);
	one(-0.0, 1e300);
	one(1.5, INFINITY);
	one(123456.789, 1e300);
	one(1e-300, 1e-310);
	for (e = -1074; e <= 1023; e++) {       /* powers of two, neighbours */
		double p = ldexp(1, e);
		one(p, p * 1e-6);
		one(nextafter(p, 0), p * 1e-3);
		one(nextafter(p, INFINITY), p * 1e-9);
		one(-p * 3, p);
	}
	for (i = 0; i < n; i++) {
		uint64_t bits = rk_rng_u64(&g);
		double v, u = rk_rng_uniform(&g), tol = pow(10, -1 - 12 * u);
		memcpy(&v, &bits, sizeof v);
		one(v, fabs(v) * tol);                          /* random bits */
		v = (rk_rng_uniform(&g) - 0.5) * pow(10, 30 * u - 10);
		one(v, fabs(v) * tol);                          /* scaled */
		one((double)(float)v, fabs(v) * 6e-8);          /* floats */
		one(floor(v), 0.5);                             /* integers */
		one(round(v * 1000) / 1000, 5e-4);              /* short */
		one(24.6 + 1e-7 * (double)(i % 1000), 1e-7);    /* predictions */
		one(ldexp(rk_rng_uniform(&g), -1060), 0);       /* subnormal */
	}
	printf("test_format: %ld checks, %d failed\n", ncheck, nfail);
	return nfail != 0;
}
