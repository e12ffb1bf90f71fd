/* bipolar.c - +-1 patterns. */
#include <stdlib.h>
#include <string.h>

#include "bipolar.h"
#include "util.h"

int
bip_encoding_parse(const char *s, enum bip_encoding *e)
{
	if (!strcmp(s, "auto"))
		*e = BIP_AUTO;
	else if (!strcmp(s, "pm1"))
		*e = BIP_PM1;
	else if (!strcmp(s, "01"))
		*e = BIP_01;
	else
		return -1;
	return 0;
}

/* Die at cell i of t: what is allowed, under enc, in a row of what. */
static _Noreturn void
bad_value(const struct table *t, size_t i, const char *what,
          enum bip_encoding enc, int unknowns)
{
	const char *allowed;

	if (enc == BIP_01)
		allowed = "0 or 1 with --encoding=01";
	else if (enc == BIP_PM1)
		allowed = unknowns ? "+1, -1 or 0 (unknown) with --encoding=pm1"
		                   : "+1 or -1 with --encoding=pm1";
	else
		allowed = unknowns ? "+1, -1 or 0 (unknown), or 0/1"
		                   : "+1 or -1 (or 0/1)";
	die_at(t->name, t->line[i / t->cols], i % t->cols + 1,
	       "%s values must be %s (found '%g')", what, allowed, t->v[i]);
}

size_t
bipolar_table(struct table *t, const char *what, enum bip_encoding enc,
              int unknowns)
{
	size_t i, j, n = t->rows * t->cols, zeros = 0;
	int hasm1 = 0;
	size_t first0 = 0, firstm1 = 0;
	double v;

	/* the tests ordered so that the branches are predictable: -1 and +1
	 * come in random order */
	for (i = 0; i < n; i++) {
		int is0, ism1;

		v = t->v[i];
		is0 = v == 0;
		ism1 = v == -1;
		if (!(is0 | ism1 | (v == 1)))
			bad_value(t, i, what, enc, unknowns);
		if (!zeros && is0)
			first0 = i;
		zeros += (size_t)is0;
		if (!hasm1 && ism1)
			firstm1 = i;
		hasm1 |= ism1;
	}
	if (enc == BIP_AUTO) {
		if (zeros && hasm1 && !unknowns) {
			j = first0 > firstm1 ? first0 : firstm1;
			die_at(t->name, t->line[j / t->cols], j % t->cols + 1,
			       "%ss mix 0 and -1 (found '%g'; use +-1 or 0/1 "
			       "throughout)", what, t->v[j]);
		}
		enc = zeros && !hasm1 ? BIP_01 : BIP_PM1;
	}
	if (enc == BIP_01) {
		if (hasm1)
			bad_value(t, firstm1, what, enc, unknowns);
		for (i = 0; i < n; i++)
			t->v[i] = t->v[i] == 0 ? -1 : 1;
		return 0;
	}
	if (zeros && !unknowns)
		bad_value(t, first0, what, enc, unknowns);
	return zeros;
}

size_t
bipolar_update(double *s, const double *net, size_t n)
{
	size_t i, changed = 0;
	double v;

	/* branch-free: the signs are random */
	for (i = 0; i < n; i++) {
		v = (double)((net[i] > 0) - (net[i] < 0));
		v += (double)(v == 0) * s[i];   /* phi(0) keeps s_i */
		changed += v != s[i];
		s[i] = v;
	}
	return changed;
}

uint64_t
bipolar_hash(const double *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	size_t i;

	for (i = 0; i < n; i++) {
		/* 0x9b for +1, 0x3c for -1, 0x5a for 0, branch-free */
		h ^= 0x5a ^ ((uint64_t)(s[i] > 0) * (0x5a ^ 0x9b)) ^
		     ((uint64_t)(s[i] < 0) * (0x5a ^ 0x3c));
		h *= 1099511628211ull;
	}
	return h;
}

size_t
hamming(const double *a, const double *b, size_t n)
{
	size_t i, d = 0;

	for (i = 0; i < n; i++)
		d += a[i] != b[i];
	return d;
}

void
bipolar_dist(const double *s, const double *p, size_t n, size_t *d,
             size_t *dneg)
{
	size_t i, a = 0, b = 0;

	for (i = 0; i < n; i++) {
		a += s[i] != p[i];
		b += s[i] != -p[i];
	}
	*d = a;
	*dneg = b;
}

size_t
bipolar_unknown(const double *s, size_t n)
{
	size_t i, z = 0;

	for (i = 0; i < n; i++)
		z += s[i] == 0;
	return z;
}

void
cycdet_reset(struct cycdet *c)
{
	c->n = 0;
}

size_t
cycdet_push(struct cycdet *c, uint64_t hash)
{
	size_t i;

	for (i = c->n; i-- > 0;)
		if (c->h[i] == hash)
			return c->n - i;
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 64;
		c->h = ereallocarray(c->h, c->cap, sizeof *c->h);
	}
	c->h[c->n++] = hash;
	return 0;
}

void
cycdet_release(struct cycdet *c)
{
	free(c->h);
	memset(c, 0, sizeof *c);
}

enum bip_encoding
bip_encoding_opt(const char *s)
{
	enum bip_encoding e;

	if (bip_encoding_parse(s, &e) < 0)
		usage_error("unknown encoding '%s' (auto, pm1 or 01)", s);
	return e;
}

void
bip_nearest_init(struct bip_nearest *b)
{
	b->match = b->neg = 0;
	b->best = (size_t)-1;
}

void
bip_nearest_add(struct bip_nearest *b, size_t k, size_t d, size_t dneg)
{
	if (d == 0 && b->match == 0)
		b->match = (long)k + 1;
	if (dneg == 0 && b->neg == 0)
		b->neg = -(long)k - 1;
	if (dneg < d)
		d = dneg;
	if (d < b->best)
		b->best = d;
}

long
bip_nearest_match(const struct bip_nearest *b)
{
	return b->match ? b->match : b->neg;
}
