/* test_parse.c - rk_parse_number against strtod, bit for bit.
 *
 * The reference is the strtod path rk_parse_number had before its fast
 * path (blanks, the decimal alphabet, strtod reading the whole token,
 * finite): every string must get the same return code from both, and on
 * 0 the same double, compared as bits (so -0.0 differs from 0.0). Strings
 * come from a list of edge cases and from a generator of many shapes
 * (signs, blanks, leading zeros, '.', 0-25 digit mantissas, exponents
 * from -400 to 400, mantissas near 2^53, broken spellings).
 *
 *   test_parse [N]    N random strings (default 250000; 100000 under ASan)
 */
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "csvread.h"
#include "util.h"
#include "rng.h"

static int nfail, ncheck;

/* the old rk_parse_number minus its integer fast path: strtod decides */
static int
ref_parse(const char *s, double *v)
{
	const char *p;
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	for (p = s; *p && *p != ' ' && *p != '\t'; p++)
		if (!isdigit((unsigned char)*p) && !strchr("+-.eE", *p))
			goto word;
	for (; *p; p++)
		if (*p != ' ' && *p != '\t')
			return -1;
	if (p == s)
		return -1;
	*v = strtod(s, &end);
	while (*end == ' ' || *end == '\t')
		end++;
	if (end == s || *end)
		return -1;
	return isfinite(*v) ? 0 : -2;
word:
	{
		const char *w = s + (*s == '+' || *s == '-');
		size_t n = strcspn(w, " \t");

		if ((n == 3 && (!strncasecmp(w, "nan", 3) ||
		                !strncasecmp(w, "inf", 3))) ||
		    (n == 8 && !strncasecmp(w, "infinity", 8)))
			return -2;
	}
	return -1;
}

/* one string: same code, same bits; a few failures printed in full */
static void
check_one(const char *s)
{
	double a = 12345, r = 12345;
	int ra = rk_parse_number(s, &a), rr = ref_parse(s, &r);

	ncheck++;
	if (ra == rr && (ra != 0 || !memcmp(&a, &r, sizeof a)))
		return;
	if (++nfail <= 20)
		printf("FAIL '%s': rk_parse_number %d %.17g (%a), strtod %d %.17g (%a)\n",
		       s, ra, a, a, rr, r, r);
}

/* and the fast path alone: when it takes a string, strtod's value */
static int
fast_taken(const char *s)
{
	double v;

	return rk_parse_decimal_fast(s, &v) == 0;
}

static void
check(const char *label, int ok)
{
	ncheck++;
	if (!ok) {
		nfail++;
		printf("FAIL %s\n", label);
	}
}

static void
digits(struct rk_rng *g, char **q, int n)
{
	while (n-- > 0)
		*(*q)++ = (char)('0' + rk_rng_below(g, 10));
}

/* a random decimal spelling, mostly well formed */
static void
gen(struct rk_rng *g, char *b)
{
	char *q = b;
	int shape = (int)rk_rng_below(g, 8), n, i;

	if (rk_rng_below(g, 16) == 0)
		*q++ = rk_rng_below(g, 2) ? ' ' : '\t';
	i = (int)rk_rng_below(g, 4);
	if (i == 1)
		*q++ = '-';
	else if (i == 2)
		*q++ = '+';
	if (shape == 0) {
		/* a mantissa near 2^53, printed as an integer, maybe scaled */
		uint64_t m = (UINT64_C(1) << 53) - 64 + rk_rng_below(g, 128);

		if (rk_rng_below(g, 2))
			m = rk_rng_u64(g) >> rk_rng_below(g, 64);
		q += sprintf(q, "%llu", (unsigned long long)m);
		if (rk_rng_below(g, 2))
			q += sprintf(q, "e%d", (int)rk_rng_below(g, 61) - 30);
	} else if (shape == 1) {
		/* %.*g of a random double: denormals to huge, 1-19 digits */
		double x;
		uint64_t u = rk_rng_u64(g) & ~(UINT64_C(1) << 63);

		memcpy(&x, &u, sizeof x);
		if (!isfinite(x))
			x = 1e300;
		q += sprintf(q, "%.*g", 1 + (int)rk_rng_below(g, 19), x);
	} else if (shape == 2) {
		/* the bench's shape: %.6f of a value in [-2, 2] */
		q += sprintf(q, "%.*f", (int)rk_rng_below(g, 10),
		             4 * (double)(rk_rng_u64(g) >> 11) / 9007199254740992.0 - 2);
	} else {
		/* digits, point, digits, exponent, of random lengths */
		if (rk_rng_below(g, 4) == 0)
			for (n = (int)rk_rng_below(g, 4); n; n--)
				*q++ = '0';
		digits(g, &q, (int)rk_rng_below(g, shape == 3 ? 26 : 12));
		if (rk_rng_below(g, 3)) {
			*q++ = '.';
			if (rk_rng_below(g, 4) == 0)
				for (n = (int)rk_rng_below(g, 25); n; n--)
					*q++ = '0';
			digits(g, &q, (int)rk_rng_below(g, shape == 4 ? 26 : 12));
		}
		if (rk_rng_below(g, 3) == 0) {
			*q++ = rk_rng_below(g, 2) ? 'e' : 'E';
			i = (int)rk_rng_below(g, 3);
			if (i)
				*q++ = i == 1 ? '-' : '+';
			if (rk_rng_below(g, 8) == 0)
				*q++ = '0';
			q += sprintf(q, "%d", (int)rk_rng_below(g, shape == 5 ? 401 : 30));
			if (rk_rng_below(g, 16) == 0)
				q--;    /* "1e", or a shorter exponent */
		}
	}
	*q = '\0';
	if (rk_rng_below(g, 12) == 0) {
		/* broken or blank-padded: one character replaced or added */
		static const char junk[] = "+-.eE 0\tx,";
		size_t len = strlen(b), at = rk_rng_below(g, len + 1);
		char c = junk[rk_rng_below(g, sizeof junk - 1)];

		if (at < len && rk_rng_below(g, 2))
			b[at] = c;
		else {
			memmove(b + at + 1, b + at, len - at + 1);
			b[at] = c;
		}
	}
}

int
main(int argc, char **argv)
{
	static const char *edge[] = {
		"0", "-0", "+0", "0.0", "-0.0", "-0e5", "-.0", "0e0", "0e-999",
		"-0e999", "0.000000000000000000000000000000", "00000000000000000000001",
		"1", "-1", "+1", "5.", ".5", "+.5", "-.5", "-5.", "5.e1", ".5e-1",
		".", "+", "-", "+.", "-.", "e5", ".e5", "1e", "1e+", "1e-", "1e+-5",
		"--1", "+-1", "1-", "1.2.3", "1e5e5", "1e5.5", "- 1", "1 2", "",
		" ", "\t", " 1", "1 ", "\t-2.5\t ", " \t", "1\n", "\n1", "1\r",
		"inf", "-inf", "+INF", "Infinity", "nan", "NaN", "-nan", "infx",
		"0x10", "0x1p3", "1e999", "-1e999", "1e308", "1.7976931348623157e308",
		"1.7976931348623159e308", "2.2250738585072014e-308",
		"2.2250738585072011e-308", "4.9e-324", "2.4703282292062327e-324",
		"2.4703282292062328e-324", "1e-400", "-1e-400",
		"9007199254740991", "9007199254740992", "9007199254740993",
		"9007199254740994", "9007199254740995", "-9007199254740993",
		"900719925474099.3", "9007199254740993e-1", "90071992547409930e-2",
		"1e22", "1e23", "1e-22", "1e-23", "9007199254740992e22",
		"9007199254740993e22", "9007199254740992e-22", "1e-22",
		"0.1", "0.2", "0.3", "0.7", "1.1", "123456789012345678",
		"1234567890123456789", "12345678901234567890", "1234567890123456789e-5",
		"0.1234567890123456789", "0.12345678901234567890",
		"18446744073709551615", "18446744073709551616", "99999999999999999999",
		"3.14159265358979323846", "2.718281828459045", "1e0000000000000000005",
		"1e-0000000000000000005", "000000000000000000000000000001.5",
		"0.0000000000000000000001", "0.00000000000000000000001",
		"-0.976395", "0.042892", "1.000000000000000000000000000000",
		"123.456e-3", "4.35e15", "7e-10", "1E+2", "1E-2", "1.e5", "1,5",
	};
	struct rk_rng g;
	char b[256];
	long n = argc > 1 ? atol(argv[1]) : 250000, i, fast = 0;
	size_t k;
	double v;

#if defined(__SANITIZE_ADDRESS__)
	if (argc < 2)
		n = 100000;
#endif
	for (k = 0; k < sizeof edge / sizeof *edge; k++)
		check_one(edge[k]);
	/* values worked out by hand: the test can fail */
	check("0.1 is 0x1.999999999999ap-4",
	      rk_parse_number("0.1", &v) == 0 && v == 0x1.999999999999ap-4);
	check("-0.0 has the sign bit",
	      rk_parse_number("-0.0", &v) == 0 && v == 0 && signbit(v));
	check("9007199254740993 rounds to even, 2^53",
	      rk_parse_number("9007199254740993", &v) == 0 && v == 9007199254740992.0);
	check("9007199254740995 rounds to even, 2^53 + 4",
	      rk_parse_number("9007199254740995", &v) == 0 && v == 9007199254740996.0);
	check("1e23 is not 1e22 * 10 (0x1.52d02c7e14af6p+76)",
	      rk_parse_number("1e23", &v) == 0 && v == 0x1.52d02c7e14af6p+76);
	check("' 1.5e1 ' is 15", rk_parse_number(" 1.5e1 ", &v) == 0 && v == 15);
	check("1e999 is Inf (-2)", rk_parse_number("1e999", &v) == -2);
	check("1e is not a number (-1)", rk_parse_number("1e", &v) == -1);
	/* what the fast path takes, and what it leaves to strtod */
	check("fast: -0.976395, .5, 5., 1e22, 9007199254740992",
	      fast_taken("-0.976395") && fast_taken(".5") && fast_taken("5.") &&
	      fast_taken("1e22") && fast_taken("9007199254740992") &&
	      fast_taken("\t+1.25e-3 "));
	check("strtod: 1e23, 9007199254740993, 20 digits, 1e-23, 1e, inf",
	      !fast_taken("1e23") && !fast_taken("9007199254740993") &&
	      !fast_taken("12345678901234567890") && !fast_taken("1e-23") &&
	      !fast_taken("1e") && !fast_taken("inf") && !fast_taken("."));

	rk_rng_seed(&g, 20261202);
	for (i = 0; i < n; i++) {
		gen(&g, b);
		fast += fast_taken(b);
		check_one(b);
	}
	/* the generator must reach both paths, or the test proves little */
	check("the fast path took 30% to 90% of the random strings",
	      fast > n * 3 / 10 && fast < n * 9 / 10);
	printf("test_parse: %d checks, %d failed; %ld random strings, %ld on the "
	       "fast path\n", ncheck, nfail, n, fast);
	return nfail != 0;
}
