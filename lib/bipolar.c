/* bipolar.c - +-1 patterns. */
#include <stdlib.h>
#include <string.h>

#include "bipolar.h"
#include "util.h"

void
bipolar_table(struct table *t, const char *what)
{
	size_t i, j, n = t->rows * t->cols;
	int has0 = 0, hasm1 = 0;
	size_t first0 = 0, firstm1 = 0;
	double v;

	for (i = 0; i < n; i++) {
		v = t->v[i];
		if (v != 1 && v != -1 && v != 0)
			die_at(t->name, t->line[i / t->cols], i % t->cols + 1,
			       "%s values must be +1 or -1 (or 0/1) "
			       "(found '%g')", what, v);
		if (v == 0 && !has0++)
			first0 = i;
		if (v == -1 && !hasm1++)
			firstm1 = i;
	}
	if (has0 && hasm1) {
		j = first0 > firstm1 ? first0 : firstm1;
		die_at(t->name, t->line[j / t->cols], j % t->cols + 1,
		       "%ss mix 0 and -1 (found '%g'; use +-1 or 0/1 "
		       "throughout)", what, t->v[j]);
	}
	if (has0)
		for (i = 0; i < n; i++)
			t->v[i] = t->v[i] == 0 ? -1 : 1;
}

size_t
bipolar_update(double *s, const double *net, size_t n)
{
	size_t i, changed = 0;
	double v;

	for (i = 0; i < n; i++) {
		if (net[i] > 0)
			v = 1;
		else if (net[i] < 0)
			v = -1;
		else
			continue;
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
		h ^= s[i] > 0 ? 0x9b : 0x3c;
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
