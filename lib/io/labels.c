/* labels.c - the classes of a classifier (labels.h). */
#include <stdlib.h>
#include <string.h>

#include "csvread.h"
#include "labels.h"
#include "util.h"

/* FNV-1a of the n bytes of s */
static size_t
hash_bytes(const char *s, size_t n)
{
	size_t i;
	unsigned long long h = 1469598103934665603ull;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return (size_t)h;
}

/* s without its blanks around: *n bytes from the return value */
static const char *
trim(const char *s, size_t *n)
{
	size_t len;

	s += strspn(s, " \t");
	len = strlen(s);
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	*n = len;
	return s;
}

void
rk_labels_init(struct rk_labels *l)
{
	memset(l, 0, sizeof *l);
}

void
rk_labels_release(struct rk_labels *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->name[i]);
	free(l->name);
	free(l->hash);
	memset(l, 0, sizeof *l);
}

static void
rehash(struct rk_labels *l)
{
	size_t i, h;

	free(l->hash);
	l->hcap = 16;
	while (l->hcap < 2 * l->n + 2)
		l->hcap *= 2;
	l->hash = ecalloc(l->hcap, sizeof *l->hash);
	for (i = 0; i < l->n; i++) {
		h = hash_bytes(l->name[i], strlen(l->name[i])) & (l->hcap - 1);
		while (l->hash[h])
			h = (h + 1) & (l->hcap - 1);
		l->hash[h] = i + 1;
	}
}

void
rk_labels_copy(struct rk_labels *dst, const struct rk_labels *src)
{
	size_t i;

	rk_labels_init(dst);
	dst->cap = dst->n = src->n;
	dst->name = emalloc(emul(src->n ? src->n : 1, sizeof *dst->name));
	for (i = 0; i < src->n; i++)
		dst->name[i] = estrdup(src->name[i]);
	rehash(dst);
}

static long
find_n(const struct rk_labels *l, const char *s, size_t n)
{
	size_t h, k;

	if (!l->hcap)
		return -1;
	for (h = hash_bytes(s, n) & (l->hcap - 1); (k = l->hash[h]);
	     h = (h + 1) & (l->hcap - 1))
		if (!strncmp(l->name[k - 1], s, n) && !l->name[k - 1][n])
			return (long)(k - 1);
	return -1;
}

long
rk_labels_find(const struct rk_labels *l, const char *s)
{
	size_t n;

	s = trim(s, &n);
	return find_n(l, s, n);
}

int
rk_labels_add(struct rk_labels *l, const char *s, size_t *idx,
              const char **why)
{
	size_t n;
	long k;

	s = trim(s, &n);
	if ((k = find_n(l, s, n)) >= 0) {
		*idx = (size_t)k;
		return 0;
	}
	if (memchr(s, '\n', n) || memchr(s, '\r', n)) {
		*why = "holds a line break";
		return -1;
	}
	if (n > RK_LABEL_MAXNAME) {
		*why = "is over 1000 bytes long";
		return -1;
	}
	if (l->n >= RK_LABELS_MAX) {
		*why = "is one label too many (at most 100000)";
		return -1;
	}
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		l->name = ereallocarray(l->name, l->cap, sizeof *l->name);
	}
	l->name[l->n] = emalloc(n + 1);
	memcpy(l->name[l->n], s, n);
	l->name[l->n][n] = '\0';
	*idx = l->n++;
	if (2 * l->n + 2 > l->hcap)
		rehash(l);
	else {
		size_t h = hash_bytes(s, n) & (l->hcap - 1);

		while (l->hash[h])
			h = (h + 1) & (l->hcap - 1);
		l->hash[h] = l->n;
	}
	return 0;
}

/* v: the label's value when every label is a number, else 0 */
struct key { const char *s; double v; size_t i; };

static int
cmp_key(const void *a, const void *b)
{
	const struct key *x = a, *y = b;

	if (x->v != y->v)
		return x->v < y->v ? -1 : 1;
	return strcmp(x->s, y->s);
}

void
rk_labels_sort(struct rk_labels *l, size_t *map)
{
	struct key *k = emalloc(emul(l->n ? l->n : 1, sizeof *k));
	char **name = emalloc(emul(l->n ? l->n : 1, sizeof *name));
	size_t i;
	int numeric = 1;

	for (i = 0; i < l->n; i++) {
		k[i].s = l->name[i];
		k[i].i = i;
		if (rk_parse_number(l->name[i], &k[i].v) != 0)
			numeric = 0;
	}
	for (i = 0; !numeric && i < l->n; i++)
		k[i].v = 0;
	qsort(k, l->n, sizeof *k, cmp_key);
	for (i = 0; i < l->n; i++) {
		name[i] = l->name[k[i].i];
		if (map)
			map[k[i].i] = i;
	}
	free(l->name);
	l->name = name;
	l->cap = l->n;
	free(k);
	rehash(l);
}

size_t
rk_argmax(const rk_real *p, size_t n)
{
	size_t k, best = 0;

	for (k = 1; k < n; k++)
		if (p[k] > p[best])
			best = k;
	return best;
}
