/* wstream.c - read and write the rnnkit weight stream. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "util.h"
#include "wstream.h"

#define TRAILER_TAG "RKCRC"

static const char *dtype_name[] = { "f64", "f32", "bits" };

void
ws_init(struct rk_wstream *w, const char *kind)
{
	memset(w, 0, sizeof *w);
	w->major = RK_WS_MAJOR;
	w->minor = RK_WS_MINOR;
	if (kind)
		ws_set(w, "kind", "%s", kind);
}

void
ws_release(struct rk_wstream *w)
{
	size_t i;

	for (i = 0; i < w->nkeys; i++) {
		free(w->key[i]);
		free(w->val[i]);
	}
	free(w->key);
	free(w->val);
	free(w->hash);
	for (i = 0; i < w->ntensors; i++)
		free(w->t[i].data);
	free(w->name);
	memset(w, 0, sizeof *w);
}

/* Keys are found through a hash table (FNV-1a, linear probing, at most
 * half full), so reading or building a header of n keys is O(n). */
static size_t
key_hash(const char *k)
{
	size_t h = 2166136261u;

	for (; *k; k++)
		h = (h ^ (unsigned char)*k) * 16777619u;
	return h;
}

static size_t *
key_slot(const struct rk_wstream *w, const char *key)
{
	size_t i;

	if (!w->hcap)
		return NULL;
	for (i = key_hash(key) & (w->hcap - 1); w->hash[i];
	     i = (i + 1) & (w->hcap - 1))
		if (!strcmp(w->key[w->hash[i] - 1], key))
			return &w->hash[i];
	return &w->hash[i];
}

static void
rehash(struct rk_wstream *w, size_t cap)
{
	size_t i;

	free(w->hash);
	w->hcap = cap;
	w->hash = ecalloc(cap, sizeof *w->hash);
	for (i = 0; i < w->nkeys; i++)
		*key_slot(w, w->key[i]) = i + 1;
}

static long
key_index(const struct rk_wstream *w, const char *key)
{
	size_t *sl = key_slot(w, key);

	return sl && *sl ? (long)(*sl - 1) : -1;
}

static void
add_key(struct rk_wstream *w, const char *key, const char *val)
{
	if (w->nkeys == w->capkeys) {
		w->capkeys = w->capkeys ? 2 * w->capkeys : 32;
		w->key = ereallocarray(w->key, w->capkeys, sizeof *w->key);
		w->val = ereallocarray(w->val, w->capkeys, sizeof *w->val);
	}
	w->key[w->nkeys] = estrdup(key);
	w->val[w->nkeys++] = estrdup(val);
	if (2 * w->nkeys > w->hcap)
		rehash(w, w->hcap ? 2 * w->hcap : 64);
	else
		*key_slot(w, key) = w->nkeys;
}

void
ws_set(struct rk_wstream *w, const char *key, const char *fmt, ...)
{
	char *buf, *p;
	va_list ap;
	long k;
	int n;

	/* the whole value, however long: a cut one would be written and
	 * then refused by every reader (ws_check bounds the line) */
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		die(EX_SOFTWARE, "cannot format header value '%s'", key);
	buf = emalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(buf, (size_t)n + 1, fmt, ap);
	va_end(ap);
	for (p = buf; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	if ((k = key_index(w, key)) >= 0) {
		free(w->val[k]);
		w->val[k] = buf;
		return;
	}
	add_key(w, key, buf);
	free(buf);
}

void
ws_unset(struct rk_wstream *w, const char *key)
{
	long k = key_index(w, key);
	size_t i;

	if (k < 0)
		return;
	i = (size_t)k;
	free(w->key[i]);
	free(w->val[i]);
	memmove(w->key + i, w->key + i + 1,
	        (w->nkeys - i - 1) * sizeof *w->key);
	memmove(w->val + i, w->val + i + 1,
	        (w->nkeys - i - 1) * sizeof *w->val);
	w->nkeys--;
	rehash(w, w->hcap);
}

const char *
ws_get(const struct rk_wstream *w, const char *key)
{
	long k = key_index(w, key);

	return k < 0 ? NULL : w->val[k];
}

size_t
ws_get_size(const struct rk_wstream *w, const char *key, size_t min, size_t max)
{
	const char *s = ws_get(w, key);
	char *end, q[RK_QUOTE_BUF];
	unsigned long long v;

	if (!s)
		die(EX_DATAERR, "%s: weight stream lacks '%s'", w->name, key);
	errno = 0;
	v = strtoull(s, &end, 10);
	if (!isdigit((unsigned char)*s) || *end || errno || v < min || v > max)
		die(EX_DATAERR, "%s: weight stream '%s' must be a number from "
		    "%zu to %zu (found '%s')", w->name, key, min, max,
		    rk_quote(q, s, (size_t)-1));
	return (size_t)v;
}

size_t
ws_data_bytes(enum rk_dtype dt, size_t rows, size_t cols)
{
	switch (dt) {
	case RK_F64: return rows * cols * 8;
	case RK_F32: return rows * cols * 4;
	default:     return rows * ((cols + 7) / 8);
	}
}

void
rk_pack_bits(unsigned char *dst, const double *src, size_t n)
{
	size_t i;

	memset(dst, 0, (n + 7) / 8);
	/* branch-free: the signs of patterns are random */
	for (i = 0; i < n; i++)
		dst[i / 8] |= (unsigned char)((unsigned)(src[i] > 0) << (i % 8));
}

void
rk_unpack_bits(double *dst, const unsigned char *src, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		dst[i] = (src[i / 8] >> (i % 8)) & 1 ? 1.0 : -1.0;
}

void
ws_declare(struct rk_wstream *w, const char *name, enum rk_dtype dt,
           size_t rows, size_t cols)
{
	struct rk_tensor *t;

	if (w->ntensors == RK_WS_MAXTENSORS)
		die(EX_SOFTWARE, "too many tensors in a weight stream");
	t = &w->t[w->ntensors++];
	snprintf(t->name, sizeof t->name, "%s", name);
	t->dtype = dt;
	t->rows = rows;
	t->cols = cols;
	t->data = NULL;
}

struct rk_tensor *
ws_add(struct rk_wstream *w, const char *name, enum rk_dtype dt,
       size_t rows, size_t cols, const void *data)
{
	struct rk_tensor *t;
	size_t i;

	if (rows > RK_WS_MAXELEMS || cols > RK_WS_MAXELEMS ||
	    rows * cols > RK_WS_MAXELEMS)
		die(EX_SOFTWARE, "tensor '%s' (%zux%zu) is over the limit of "
		    "%zu values", name, rows, cols, RK_WS_MAXELEMS);
	ws_declare(w, name, dt, rows, cols);
	t = &w->t[w->ntensors - 1];
	t->data = emalloc(ws_data_bytes(dt, rows, cols));
	if (dt == RK_BITS) {
		size_t rb = (cols + 7) / 8;

		for (i = 0; i < rows; i++)
			rk_pack_bits((unsigned char *)t->data + i * rb,
			             (const double *)data + i * cols, cols);
	} else if (data) {
		memcpy(t->data, data, ws_data_bytes(dt, rows, cols));
	}
	return t;
}

const struct rk_tensor *
ws_find(const struct rk_wstream *w, const char *name)
{
	size_t i;

	for (i = 0; i < w->ntensors; i++)
		if (!strcmp(w->t[i].name, name))
			return &w->t[i];
	return NULL;
}

const struct rk_tensor *
ws_need(struct rk_wstream *w, const char *name, size_t rows, size_t cols)
{
	struct rk_tensor *t = (struct rk_tensor *)ws_find(w, name);

	if (!t)
		die(EX_DATAERR, "%s: weight stream lacks tensor '%s'",
		    w->name, name);
	if (t->rows != rows || t->cols != cols)
		die(EX_DATAERR, "%s: tensor '%s' is %zux%zu, expected %zux%zu",
		    w->name, name, t->rows, t->cols, rows, cols);
	t->want = 1;
	return t;
}

static void
need_data(const struct rk_tensor *t)
{
	if (!t->data)
		die(EX_SOFTWARE, "tensor '%s' used before ws_load", t->name);
}

void
ws_finite(const struct rk_wstream *w, const struct rk_tensor *t)
{
	size_t i, n = t->rows * t->cols;

	need_data(t);
	for (i = 0; i < n; i++)
		if (t->dtype == RK_F64 ? !isfinite(((const double *)t->data)[i]) :
		    t->dtype == RK_F32 ? !isfinite(((const float *)t->data)[i]) :
		    0)
			die(EX_DATAERR, "%s: tensor '%s' holds NaN or Inf",
			    w->name, t->name);
}

void
ws_get_f64(const struct rk_tensor *t, double *out)
{
	size_t i, j, n = t->rows * t->cols, rb;

	need_data(t);
	switch (t->dtype) {
	case RK_F64:
		memcpy(out, t->data, n * sizeof *out);
		break;
	case RK_F32:
		for (i = 0; i < n; i++)
			out[i] = ((const float *)t->data)[i];
		break;
	case RK_BITS:
		rb = (t->cols + 7) / 8;
		for (j = 0; j < t->rows; j++)
			rk_unpack_bits(out + j * t->cols,
			               (const unsigned char *)t->data + j * rb,
			               t->cols);
		break;
	}
}

void
ws_get_f32(const struct rk_tensor *t, float *out)
{
	size_t i, j, n = t->rows * t->cols, rb;
	const unsigned char *b = t->data;

	need_data(t);
	switch (t->dtype) {
	case RK_F32:
		memcpy(out, t->data, n * sizeof *out);
		break;
	case RK_F64:
		for (i = 0; i < n; i++)
			out[i] = (float)((const double *)t->data)[i];
		break;
	case RK_BITS:
		/* straight to floats: no temporary n doubles */
		rb = (t->cols + 7) / 8;
		for (j = 0; j < t->rows; j++)
			for (i = 0; i < t->cols; i++)
				out[j * t->cols + i] =
					(b[j * rb + i / 8] >> (i % 8)) & 1 ?
					1.0f : -1.0f;
		break;
	}
}

/* --- limits --- */

size_t
ws_cost(enum rk_dtype dt, size_t rows, size_t cols)
{
	return ws_data_bytes(dt, rows, cols) + rows * cols * 8;
}

size_t
ws_max_memory(void)
{
	const char *s = getenv("RNNKIT_MAX_MEMORY");
	unsigned long long v;
	char *end;
	int sh = 0;

	if (!s || !*s)
		return RK_WS_MAXMEMORY;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end == 'K' || *end == 'k')
		sh = 10;
	else if (*end == 'M' || *end == 'm')
		sh = 20;
	else if (*end == 'G' || *end == 'g')
		sh = 30;
	if (sh)
		end++;
	if (!isdigit((unsigned char)*s) || *end || errno || !v)
		die(EX_USAGE, "RNNKIT_MAX_MEMORY must be a number of bytes, "
		    "with an optional K, M or G (found '%s')", s);
	if (v > (unsigned long long)RK_WS_MAXMEMORY >> sh)
		return RK_WS_MAXMEMORY;
	return (size_t)(v << sh);
}

static int
key_ok(const char *k)
{
	if (!*k)
		return 0;
	for (; *k; k++)
		if (!(islower((unsigned char)*k) || isdigit((unsigned char)*k) ||
		      *k == '-'))
			return 0;
	return 1;
}

static int
tensor_name_ok(const char *k)
{
	size_t n = 0;

	for (; *k; k++, n++)
		if (!(isalnum((unsigned char)*k) || strchr("._-", *k) || *k == '_'))
			return 0;
	return n > 0 && n < sizeof ((struct rk_tensor *)0)->name;
}

/* MiB, rounded up, for messages */
static size_t
mib(size_t b)
{
	return (b >> 20) + !!(b & ((1u << 20) - 1));
}

/* cost over limit, as "N unit" each in one unit (MiB from a 16 MiB limit,
 * KiB from 16 KiB, else bytes): cost rounded up, limit down, so that
 * the two always differ (64 KiB, not "1 MiB over 1 MiB") */
static void
fmt_over(char *c, char *l, size_t len, size_t cost, size_t limit)
{
	int sh = limit >= (16u << 20) ? 20 : limit >= (16u << 10) ? 10 : 0;
	const char *u = sh == 20 ? "MiB" : sh == 10 ? "KiB" : "bytes";
	size_t mask = ((size_t)1 << sh) - 1;

	snprintf(c, len, "%zu %s", (cost >> sh) + !!(cost & mask), u);
	snprintf(l, len, "%zu %s", limit >> sh, u);
}

/* The limits on the tensors as a whole (each one is checked as it is
 * declared): values, bytes and, for a writer (cost 1), the memory a
 * reader needing every tensor takes. */
static int
check_totals(const struct rk_wstream *w, int cost, char *why, size_t len)
{
	size_t i, vals = 0, bytes = 0, mem = 0;

	for (i = 0; i < w->ntensors; i++) {
		const struct rk_tensor *t = &w->t[i];

		vals += t->rows * t->cols;
		bytes += ws_data_bytes(t->dtype, t->rows, t->cols);
		mem += ws_cost(t->dtype, t->rows, t->cols);
		if (vals > RK_WS_MAXPARAMS) {
			snprintf(why, len, "its tensors hold more than %zu "
			         "values", RK_WS_MAXPARAMS);
			return -1;
		}
		if (bytes > RK_WS_MAXDATA) {
			snprintf(why, len, "its tensor data is over %zu MiB",
			         mib(RK_WS_MAXDATA));
			return -1;
		}
	}
	if (cost && mem > RK_WS_MAXMEMORY) {
		char c[48], l[48];

		fmt_over(c, l, sizeof c, mem, RK_WS_MAXMEMORY);
		snprintf(why, len, "a reader would need %s for its tensors, "
		         "over the limit of %s", c, l);
		return -1;
	}
	return 0;
}

size_t
ws_header_bytes(const struct rk_wstream *w)
{
	size_t i, hdr = sizeof RK_WS_MAGIC + 8 + 4;

	for (i = 0; i < w->nkeys; i++)
		hdr += strlen(w->key[i]) + 2 + strlen(w->val[i]) + 1;
	for (i = 0; i < w->ntensors; i++)
		hdr += 8 + strlen(w->t[i].name) + 32;
	return hdr;
}

int
ws_check(const struct rk_wstream *w, char *why, size_t len)
{
	size_t i, j;

	if (w->nkeys > RK_WS_MAXKEYS) {
		snprintf(why, len, "it has more than %d keys", RK_WS_MAXKEYS);
		return -1;
	}
	for (i = 0; i < w->nkeys; i++) {
		size_t n = strlen(w->key[i]) + 2 + strlen(w->val[i]);

		if (!key_ok(w->key[i]) || strchr(w->val[i], '\r') ||
		    strchr(w->val[i], '\n')) {
			snprintf(why, len, "bad key or value '%s'", w->key[i]);
			return -1;
		}
		if (n > RK_WS_MAXLINE) {
			snprintf(why, len, "header line '%s' is over %d bytes",
			         w->key[i], RK_WS_MAXLINE);
			return -1;
		}
	}
	for (i = 0; i < w->ntensors; i++) {
		const struct rk_tensor *t = &w->t[i];

		if (!tensor_name_ok(t->name)) {
			snprintf(why, len, "bad tensor name '%s'", t->name);
			return -1;
		}
		if (!t->rows || !t->cols || t->rows > RK_WS_MAXELEMS ||
		    t->cols > RK_WS_MAXELEMS ||
		    t->rows * t->cols > RK_WS_MAXELEMS) {
			snprintf(why, len, "tensor '%s' (%zux%zu) is over the "
			         "limit of %zu values", t->name, t->rows,
			         t->cols, RK_WS_MAXELEMS);
			return -1;
		}
		for (j = 0; j < i; j++)
			if (!strcmp(w->t[j].name, t->name)) {
				snprintf(why, len, "tensor '%s' twice",
				         t->name);
				return -1;
			}
	}
	if (ws_header_bytes(w) > RK_WS_MAXHEADER) {
		snprintf(why, len, "its header is over %d MiB",
		         RK_WS_MAXHEADER >> 20);
		return -1;
	}
	return check_totals(w, 1, why, len);
}

void
ws_echeck(const struct rk_wstream *w, int status, const char *what)
{
	char why[256];

	if (ws_check(w, why, sizeof why) < 0)
		die(status, "%s: %s (the limits of rnnkit-weights(5))", what,
		    why);
}

/* --- writing --- */

struct wctx {
	struct rk_out *o;
	uLong crc;
	uint64_t count;
};

static void
wput(struct wctx *c, const void *p, size_t n)
{
	c->crc = crc32(c->crc, p, (uInt)n);
	c->count += n;
	rk_out_write(c->o, p, n);
}

static int
little_endian(void)
{
	const uint16_t one = 1;

	return *(const unsigned char *)&one == 1;
}

/* Write n elements of size sz, swapping to little-endian if needed. */
static void
wput_le(struct wctx *c, const void *p, size_t sz, size_t n)
{
	unsigned char tmp[8];
	const unsigned char *s = p;
	size_t i, k;

	if (little_endian() || sz == 1) {
		for (i = 0; i < n * sz; i += (size_t)1 << 20)
			wput(c, s + i, n * sz - i < ((size_t)1 << 20) ?
			     n * sz - i : (size_t)1 << 20);
		return;
	}
	for (i = 0; i < n; i++) {
		for (k = 0; k < sz; k++)
			tmp[k] = s[i * sz + sz - 1 - k];
		wput(c, tmp, sz);
	}
}

void
ws_write(struct rk_out *o, const struct rk_wstream *w)
{
	struct wctx c = { o, crc32(0L, Z_NULL, 0), 0 };
	char line[160];
	unsigned char tr[17];
	size_t i;
	int n;

	/* the tools check before their work: this is the last guard */
	ws_echeck(w, EX_SOFTWARE, "cannot write a weight stream");

	n = snprintf(line, sizeof line, "%s %d.%d\n", RK_WS_MAGIC,
	             w->major, w->minor);
	wput(&c, line, (size_t)n);
	for (i = 0; i < w->nkeys; i++) {
		/* a value may be longer than line: written as it is */
		wput(&c, w->key[i], strlen(w->key[i]));
		wput(&c, ": ", 2);
		wput(&c, w->val[i], strlen(w->val[i]));
		wput(&c, "\n", 1);
	}
	for (i = 0; i < w->ntensors; i++) {
		n = snprintf(line, sizeof line, "tensor: %s %s %zux%zu\n",
		             w->t[i].name, dtype_name[w->t[i].dtype],
		             w->t[i].rows, w->t[i].cols);
		wput(&c, line, (size_t)n);
	}
	wput(&c, "end\n", 4);
	for (i = 0; i < w->ntensors; i++) {
		const struct rk_tensor *t = &w->t[i];

		switch (t->dtype) {
		case RK_F64: wput_le(&c, t->data, 8, t->rows * t->cols); break;
		case RK_F32: wput_le(&c, t->data, 4, t->rows * t->cols); break;
		case RK_BITS:
			wput(&c, t->data, ws_data_bytes(t->dtype, t->rows, t->cols));
			break;
		}
	}
	memcpy(tr, TRAILER_TAG, 5);
	for (i = 0; i < 4; i++)
		tr[5 + i] = (unsigned char)(c.crc >> (8 * i));
	for (i = 0; i < 8; i++)
		tr[9 + i] = (unsigned char)(c.count >> (8 * i));
	rk_out_write(o, tr, sizeof tr);
}

/* --- reading --- */

static void
rget(struct rk_wstream *w, void *p, size_t n, const char *what)
{
	size_t got = rk_in_readfull(w->in, p, n);

	if (got != n)
		die(EX_DATAERR, "%s: weight stream is truncated (in %s)",
		    w->name, what);
	w->crc = crc32(w->crc, p, (uInt)n);
	w->count += n;
}

/* n bytes into a new buffer *p that grows with the data actually read, so
 * a short stream claiming a big tensor never makes a big allocation. */
static void
rget_grow(struct rk_wstream *w, void **p, size_t n, const char *what)
{
	size_t have = 0, cap = n < ((size_t)1 << 20) ? n : (size_t)1 << 20, k;
	unsigned char *b = emalloc(cap);

	*p = b;
	while (have < n) {
		if (have == cap) {
			cap = cap > n / 2 ? n : cap * 2;
			b = ereallocarray(b, cap, 1);
			*p = b;
		}
		k = cap - have;
		rget(w, b + have, k, what);
		have += k;
	}
}

/* n bytes read past, into the checksum only */
static void
rskip(struct rk_wstream *w, size_t n, const char *what)
{
	const unsigned char *p;
	size_t avail, k;

	while (n) {
		p = rk_in_buffer(w->in, &avail);
		if (!avail)
			die(EX_DATAERR, "%s: weight stream is truncated (in %s)",
			    w->name, what);
		k = avail < n ? avail : n;
		w->crc = crc32(w->crc, p, (uInt)k);
		w->count += k;
		rk_in_consume(w->in, k);
		n -= k;
	}
}

/* A header line, quoted for a message */
#define QUOTED(line) rk_quote(q, line, (size_t)-1)

/* One header line without its newline into *buf (*cap bytes, grown as
 * the line is read, to at most RK_WS_MAXLINE + 1): a chunk at a time, so
 * the header costs linear time. Refuses a line too long (quoting its
 * first bytes), a header too long, a NUL and a carriage return. */
static void
rline(struct rk_wstream *w, char **buf, size_t *cap, size_t *total)
{
	const unsigned char *p, *nl;
	size_t n = 0, avail, k, keep, c;
	char q[RK_QUOTE_BUF];

	for (;;) {
		p = rk_in_buffer(w->in, &avail);
		if (!avail)
			die(EX_DATAERR, "%s: weight stream is truncated (in "
			    "the header)", w->name);
		nl = memchr(p, '\n', avail);
		k = nl ? (size_t)(nl - p) + 1 : avail;
		keep = nl ? k - 1 : k;
		if (k > RK_WS_MAXHEADER - *total)
			die(EX_DATAERR, "%s: weight stream header is over %d "
			    "MiB", w->name, RK_WS_MAXHEADER >> 20);
		/* over the limit: only enough of it for the message */
		c = keep > RK_WS_MAXLINE - n ? RK_QUOTE_MAX + 1 : keep;
		if (n + c + 1 > *cap) {
			size_t want = *cap ? *cap : 256;

			while (want < n + c + 1)
				want *= 2;
			if (want > RK_WS_MAXLINE + 1 &&
			    n + c + 1 <= RK_WS_MAXLINE + 1)
				want = RK_WS_MAXLINE + 1;
			*buf = ereallocarray(*buf, want, 1);
			*cap = want;
		}
		if (keep > RK_WS_MAXLINE - n) {
			if (n < RK_QUOTE_MAX + 1) {
				memcpy(*buf + n, p, RK_QUOTE_MAX + 1 - n);
				n = RK_QUOTE_MAX + 1;
			}
			die(EX_DATAERR, "%s: weight stream header line is over "
			    "%d bytes (found '%s')", w->name, RK_WS_MAXLINE,
			    rk_quote(q, *buf, n));
		}
		memcpy(*buf + n, p, keep);
		n += keep;
		w->crc = crc32(w->crc, p, (uInt)k);
		w->count += k;
		*total += k;
		rk_in_consume(w->in, k);
		if (nl)
			break;
	}
	(*buf)[n] = '\0';
	if (strlen(*buf) != n)
		die(EX_DATAERR, "%s: weight stream header line holds a NUL byte "
		    "(found '%s')", w->name, QUOTED(*buf));
	if (memchr(*buf, '\r', n))
		die(EX_DATAERR, "%s: weight stream header line holds a carriage "
		    "return (CRLF line ends?) (found '%s')", w->name,
		    rk_quote(q, *buf, n));
}

/* Digits only, at most 'max': the whole of [s, s + n). -1 if not. */
static int
strict_size(const char *s, size_t n, size_t max, size_t *out)
{
	size_t i, v = 0;

	if (!n)
		return -1;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		if (v > (max - (size_t)(s[i] - '0')) / 10)
			return -2;
		v = v * 10 + (size_t)(s[i] - '0');
	}
	*out = v;
	return 0;
}

static void
swap_in_place(void *p, size_t sz, size_t n)
{
	unsigned char *s = p, t;
	size_t i, k;

	if (little_endian() || sz == 1)
		return;
	for (i = 0; i < n; i++)
		for (k = 0; k < sz / 2; k++) {
			t = s[i * sz + k];
			s[i * sz + k] = s[i * sz + sz - 1 - k];
			s[i * sz + sz - 1 - k] = t;
		}
}

int
ws_sniff(struct rk_in *in)
{
	size_t avail;
	const unsigned char *p = rk_in_peek(in, sizeof RK_WS_MAGIC - 1, &avail);

	return avail >= sizeof RK_WS_MAGIC - 1 &&
	       !memcmp(p, RK_WS_MAGIC, sizeof RK_WS_MAGIC - 1);
}

static void
read_version(struct rk_wstream *w, const char *line)
{
	const char *v = line + sizeof RK_WS_MAGIC, *dot;
	char q[RK_QUOTE_BUF];
	size_t major, minor;

	dot = strchr(v, '.');
	if (strncmp(line, RK_WS_MAGIC " ", sizeof RK_WS_MAGIC) || !dot ||
	    strict_size(v, (size_t)(dot - v), 999999, &major) < 0 ||
	    strict_size(dot + 1, strlen(dot + 1), 999999, &minor) < 0)
		die(EX_DATAERR, "%s: bad weight stream version line (found "
		    "'%s'; expected '%s %d.%d')", w->name, QUOTED(line),
		    RK_WS_MAGIC, RK_WS_MAJOR, RK_WS_MINOR);
	if (major > RK_WS_MAJOR)
		die(EX_DATAERR, "%s: weight stream format %zu.%zu is newer than "
		    "this rnnkit reads (%d.x); upgrade rnnkit", w->name,
		    major, minor, RK_WS_MAJOR);
	if (major < 1)
		die(EX_DATAERR, "%s: bad weight stream version %zu.%zu",
		    w->name, major, minor);
	w->major = (int)major;
	w->minor = (int)minor;
}

static void
read_tensor_line(struct rk_wstream *w, const char *line)
{
	char q[RK_QUOTE_BUF], name[sizeof ((struct rk_tensor *)0)->name];
	const char *p = line + 8, *sp1, *sp2, *x;
	size_t rows, cols, i;
	int d = -1, rr = -1, rc = -1;
	struct rk_tensor *t;

	sp1 = strchr(p, ' ');
	sp2 = sp1 ? strchr(sp1 + 1, ' ') : NULL;
	x = sp2 ? strchr(sp2 + 1, 'x') : NULL;
	if (x) {
		for (d = 0; d < 3; d++)
			if ((size_t)(sp2 - sp1 - 1) == strlen(dtype_name[d]) &&
			    !strncmp(sp1 + 1, dtype_name[d], (size_t)(sp2 - sp1 - 1)))
				break;
		rr = strict_size(sp2 + 1, (size_t)(x - sp2 - 1),
		                 RK_WS_MAXELEMS, &rows);
		rc = strict_size(x + 1, strlen(x + 1), RK_WS_MAXELEMS, &cols);
		/* too long: "" is no name (tensor_name_ok) */
		*name = '\0';
		if ((size_t)(sp1 - p) < sizeof name) {
			memcpy(name, p, (size_t)(sp1 - p));
			name[sp1 - p] = '\0';
		}
	}
	if (!x || rr == -1 || rc == -1 || !tensor_name_ok(name))
		die(EX_DATAERR, "%s: bad tensor line in weight stream header "
		    "(found '%s')", w->name, QUOTED(line));
	if (d == 3)
		die(EX_DATAERR, "%s: unknown tensor type in '%s' (f64, f32, "
		    "bits)", w->name, QUOTED(line));
	if (rr < 0 || rc < 0 || (!rows || !cols ? 0 :
	    rows > RK_WS_MAXELEMS / cols))
		die(EX_DATAERR, "%s: tensor '%s' (%.*s) is over the limit of "
		    "%zu values", w->name, name, (int)RK_QUOTE_MAX,
		    QUOTED(sp2 + 1), RK_WS_MAXELEMS);
	if (!rows || !cols)
		die(EX_DATAERR, "%s: tensor '%s' has a zero dimension "
		    "(%zux%zu)", w->name, name, rows, cols);
	for (i = 0; i < w->ntensors; i++)
		if (!strcmp(w->t[i].name, name))
			die(EX_DATAERR, "%s: tensor '%s' twice in the weight "
			    "stream header", w->name, name);
	if (w->ntensors == RK_WS_MAXTENSORS)
		die(EX_DATAERR, "%s: weight stream has more than %d tensors",
		    w->name, RK_WS_MAXTENSORS);
	t = &w->t[w->ntensors++];
	strcpy(t->name, name);
	t->dtype = (enum rk_dtype)d;
	t->rows = rows;
	t->cols = cols;
}

void
ws_read(struct rk_in *in, struct rk_wstream *w)
{
	char *line = NULL, q[RK_QUOTE_BUF], why[256];
	size_t total = 0, cap = 0;

	memset(w, 0, sizeof *w);
	w->name = estrdup(in->name);
	w->in = in;
	w->crc = crc32(0L, Z_NULL, 0);
	if (!ws_sniff(in)) {
		size_t avail;

		(void)rk_in_peek(in, 1, &avail);
		if (!avail)
			die(EX_DATAERR, "%s: no model (empty input)", w->name);
		die(EX_DATAERR, "%s: not an rnnkit weight stream (bad magic)",
		    w->name);
	}
	rline(w, &line, &cap, &total);
	read_version(w, line);
	for (;;) {
		char *colon;

		rline(w, &line, &cap, &total);
		if (!strcmp(line, "end"))
			break;
		if (!strncmp(line, "tensor: ", 8)) {
			read_tensor_line(w, line);
			continue;
		}
		colon = strchr(line, ':');
		if (!colon || colon[1] != ' ')
			die(EX_DATAERR, "%s: bad weight stream header line "
			    "(found '%s')", w->name, QUOTED(line));
		*colon = '\0';
		if (!key_ok(line))
			die(EX_DATAERR, "%s: bad key '%s' in weight stream header "
			    "(a-z, 0-9 and '-' only)", w->name, QUOTED(line));
		if (ws_get(w, line))
			die(EX_DATAERR, "%s: key '%s' twice in the weight stream "
			    "header", w->name, QUOTED(line));
		if (w->nkeys == RK_WS_MAXKEYS)
			die(EX_DATAERR, "%s: weight stream has more than %d keys",
			    w->name, RK_WS_MAXKEYS);
		add_key(w, line, colon + 2);
	}
	if (!ws_get(w, "kind"))
		die(EX_DATAERR, "%s: weight stream has no kind", w->name);
	if (check_totals(w, 0, why, sizeof why) < 0)
		die(EX_DATAERR, "%s: weight stream refused: %s", w->name, why);
	free(line);
	(void)q;
}

void
ws_load(struct rk_wstream *w)
{
	unsigned char tr[17], probe;
	size_t i, nb, cost = 0, max;
	uLong crc, fcrc = 0;
	uint64_t count, fcount = 0;

	if (!w->in)
		return;
	for (i = 0; i < w->ntensors; i++)
		if (w->t[i].want)
			cost += ws_cost(w->t[i].dtype, w->t[i].rows, w->t[i].cols);
	if (cost > (max = ws_max_memory())) {
		char c[48], l[48];

		fmt_over(c, l, sizeof c, cost, max);
		die(EX_DATAERR, "%s: the tensors needed take %s, over the "
		    "memory limit of %s%s", w->name, c, l,
		    getenv("RNNKIT_MAX_MEMORY") ? " (RNNKIT_MAX_MEMORY)" : "");
	}
	for (i = 0; i < w->ntensors; i++) {
		struct rk_tensor *t = &w->t[i];

		nb = ws_data_bytes(t->dtype, t->rows, t->cols);
		if (!t->want) {
			rskip(w, nb, t->name);
			continue;
		}
		rget_grow(w, &t->data, nb, t->name);
		swap_in_place(t->data, t->dtype == RK_F64 ? 8 :
		              t->dtype == RK_F32 ? 4 : 1, t->rows * t->cols);
	}
	crc = w->crc;
	count = w->count;
	rget(w, tr, sizeof tr, "the trailer");
	if (memcmp(tr, TRAILER_TAG, 5))
		die(EX_DATAERR, "%s: weight stream trailer missing (corrupt "
		    "or wrong tensor sizes)", w->name);
	for (i = 0; i < 4; i++)
		fcrc |= (uLong)tr[5 + i] << (8 * i);
	for (i = 0; i < 8; i++)
		fcount |= (uint64_t)tr[9 + i] << (8 * i);
	if (fcount != count)
		die(EX_DATAERR, "%s: weight stream length mismatch "
		    "(trailer says %llu bytes, read %llu)", w->name,
		    (unsigned long long)fcount, (unsigned long long)count);
	if (fcrc != crc)
		die(EX_DATAERR, "%s: weight stream checksum mismatch "
		    "(crc32 %08lx, expected %08lx): the data is corrupt",
		    w->name, (unsigned long)crc, (unsigned long)fcrc);
	if (rk_in_read(w->in, &probe, 1))
		die(EX_DATAERR, "%s: trailing data after the weight stream",
		    w->name);
	w->in = NULL;
}

void
ws_expect_kind(const struct rk_wstream *w, const char *tool_use, ...)
{
	const char *kind = ws_get(w, "kind"), *k;
	char q[RK_QUOTE_BUF];
	va_list ap;

	va_start(ap, tool_use);
	while ((k = va_arg(ap, const char *)))
		if (!strcmp(k, kind)) {
			va_end(ap);
			return;
		}
	va_end(ap);
	die(EX_DATAERR, "%s: this is a '%s' weight stream; %s", w->name,
	    rk_quote(q, kind, (size_t)-1), tool_use);
}
