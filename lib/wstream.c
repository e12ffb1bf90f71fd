/* wstream.c - read and write the rnnkit weight stream. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "util.h"
#include "wstream.h"

#define MAXHEADER (16 * 1024 * 1024)
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
	for (i = 0; i < w->ntensors; i++)
		free(w->t[i].data);
	free(w->name);
	memset(w, 0, sizeof *w);
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
}

void
ws_set(struct rk_wstream *w, const char *key, const char *fmt, ...)
{
	char buf[1024], *p;
	va_list ap;
	size_t i;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	for (p = buf; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	for (i = 0; i < w->nkeys; i++)
		if (!strcmp(w->key[i], key)) {
			free(w->val[i]);
			w->val[i] = estrdup(buf);
			return;
		}
	add_key(w, key, buf);
}

void
ws_unset(struct rk_wstream *w, const char *key)
{
	size_t i;

	for (i = 0; i < w->nkeys; i++)
		if (!strcmp(w->key[i], key)) {
			free(w->key[i]);
			free(w->val[i]);
			memmove(w->key + i, w->key + i + 1,
			        (w->nkeys - i - 1) * sizeof *w->key);
			memmove(w->val + i, w->val + i + 1,
			        (w->nkeys - i - 1) * sizeof *w->val);
			w->nkeys--;
			return;
		}
}

const char *
ws_get(const struct rk_wstream *w, const char *key)
{
	size_t i;

	for (i = 0; i < w->nkeys; i++)
		if (!strcmp(w->key[i], key))
			return w->val[i];
	return NULL;
}

size_t
ws_get_size(const struct rk_wstream *w, const char *key, size_t min, size_t max)
{
	const char *s = ws_get(w, key);
	char *end;
	unsigned long long v;

	if (!s)
		die(EX_DATAERR, "%s: weight stream lacks '%s'", w->name, key);
	errno = 0;
	v = strtoull(s, &end, 10);
	if (!isdigit((unsigned char)*s) || *end || errno || v < min || v > max)
		die(EX_DATAERR, "%s: weight stream '%s' must be a number from "
		    "%zu to %zu (found '%s')", w->name, key, min, max, s);
	return (size_t)v;
}

static size_t
tensor_bytes(enum rk_dtype dt, size_t rows, size_t cols)
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
	for (i = 0; i < n; i++)
		if (src[i] > 0)
			dst[i / 8] |= (unsigned char)(1u << (i % 8));
}

void
rk_unpack_bits(double *dst, const unsigned char *src, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		dst[i] = (src[i / 8] >> (i % 8)) & 1 ? 1.0 : -1.0;
}

struct rk_tensor *
ws_add(struct rk_wstream *w, const char *name, enum rk_dtype dt,
       size_t rows, size_t cols, const void *data)
{
	struct rk_tensor *t;
	size_t i;

	if (w->ntensors == RK_WS_MAXTENSORS)
		die(EX_SOFTWARE, "too many tensors in a weight stream");
	t = &w->t[w->ntensors++];
	snprintf(t->name, sizeof t->name, "%s", name);
	t->dtype = dt;
	t->rows = rows;
	t->cols = cols;
	t->data = emalloc(tensor_bytes(dt, rows, cols));
	if (dt == RK_BITS) {
		size_t rb = (cols + 7) / 8;

		for (i = 0; i < rows; i++)
			rk_pack_bits((unsigned char *)t->data + i * rb,
			             (const double *)data + i * cols, cols);
	} else if (data) {
		memcpy(t->data, data, tensor_bytes(dt, rows, cols));
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
ws_need(const struct rk_wstream *w, const char *name, size_t rows, size_t cols)
{
	const struct rk_tensor *t = ws_find(w, name);

	if (!t)
		die(EX_DATAERR, "%s: weight stream lacks tensor '%s'",
		    w->name, name);
	if (t->rows != rows || t->cols != cols)
		die(EX_DATAERR, "%s: tensor '%s' is %zux%zu, expected %zux%zu",
		    w->name, name, t->rows, t->cols, rows, cols);
	return t;
}

void
ws_get_f64(const struct rk_tensor *t, double *out)
{
	size_t i, j, n = t->rows * t->cols, rb;

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
	size_t i, n = t->rows * t->cols;
	double *d;

	if (t->dtype == RK_F32) {
		memcpy(out, t->data, n * sizeof *out);
		return;
	}
	d = emalloc(emul(n, sizeof *d));
	ws_get_f64(t, d);
	for (i = 0; i < n; i++)
		out[i] = (float)d[i];
	free(d);
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
	char line[1200];
	unsigned char tr[17];
	size_t i;
	int n;

	n = snprintf(line, sizeof line, "%s %d.%d\n", RK_WS_MAGIC,
	             w->major, w->minor);
	wput(&c, line, (size_t)n);
	for (i = 0; i < w->nkeys; i++) {
		n = snprintf(line, sizeof line, "%s: %s\n", w->key[i], w->val[i]);
		wput(&c, line, (size_t)n);
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
			wput(&c, t->data, tensor_bytes(t->dtype, t->rows, t->cols));
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

struct rctx {
	struct rk_in *in;
	struct rk_wstream *w;
	uLong crc;
	uint64_t count;
};

static void
rget(struct rctx *c, void *p, size_t n, const char *what)
{
	size_t got = rk_in_readfull(c->in, p, n);

	if (got != n)
		die(EX_DATAERR, "%s: weight stream is truncated (in %s)",
		    c->w->name, what);
	c->crc = crc32(c->crc, p, (uInt)n);
	c->count += n;
}

/* n bytes into a new buffer *p that grows with the data actually read, so
 * a short stream claiming a big tensor never makes a big allocation. */
static void
rget_grow(struct rctx *c, void **p, size_t n, const char *what)
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
		rget(c, b + have, k, what);
		have += k;
	}
}

/* One header line without its newline, into buf; dies if too long. */
static void
rline(struct rctx *c, char *buf, size_t cap, size_t *total)
{
	size_t n = 0;
	char ch;

	for (;;) {
		rget(c, &ch, 1, "the header");
		if (++*total > MAXHEADER)
			die(EX_DATAERR, "%s: weight stream header is too long",
			    c->w->name);
		if (ch == '\n')
			break;
		if (n + 1 < cap)
			buf[n++] = ch;
		else
			die(EX_DATAERR, "%s: weight stream header line too long",
			    c->w->name);
	}
	buf[n] = '\0';
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

void
ws_read(struct rk_in *in, struct rk_wstream *w)
{
	struct rctx c = { in, w, crc32(0L, Z_NULL, 0), 0 };
	char line[1200], name[64], dt[16], extra;
	unsigned char tr[17], probe;
	unsigned long long rows, cols;
	size_t total = 0, i, nb;
	uLong crc;
	uint64_t count;
	int major, minor, d;

	memset(w, 0, sizeof *w);
	w->name = estrdup(in->name);
	if (!ws_sniff(in))
		die(EX_DATAERR, "%s: not an rnnkit weight stream (bad magic)",
		    w->name);
	rline(&c, line, sizeof line, &total);
	if (sscanf(line, RK_WS_MAGIC " %d.%d%c", &major, &minor, &extra) != 2)
		die(EX_DATAERR, "%s: bad weight stream version line (found '%s')",
		    w->name, line);
	if (major > RK_WS_MAJOR)
		die(EX_DATAERR, "%s: weight stream format %d.%d is newer than "
		    "this rnnkit reads (%d.x); upgrade rnnkit", w->name,
		    major, minor, RK_WS_MAJOR);
	if (major < 1)
		die(EX_DATAERR, "%s: bad weight stream version %d.%d",
		    w->name, major, minor);
	w->major = major;
	w->minor = minor;
	for (;;) {
		char *colon;

		rline(&c, line, sizeof line, &total);
		if (!strcmp(line, "end"))
			break;
		if (!strncmp(line, "tensor: ", 8)) {
			struct rk_tensor *t;

			if (sscanf(line + 8, "%63s %15s %llux%llu%c", name, dt,
			           &rows, &cols, &extra) != 4 ||
			    strlen(name) >= sizeof t->name)
				die(EX_DATAERR, "%s: bad tensor line in weight "
				    "stream header (found '%s')", w->name, line);
			for (d = 0; d < 3 && strcmp(dt, dtype_name[d]); d++)
				;
			if (d == 3)
				die(EX_DATAERR, "%s: unknown tensor type '%s'",
				    w->name, dt);
			if (rows == 0 || cols == 0)
				die(EX_DATAERR, "%s: tensor '%s' has a zero "
				    "dimension (%llux%llu)", w->name, name,
				    rows, cols);
			if (rows > RK_WS_MAXELEMS ||
			    cols > RK_WS_MAXELEMS || rows * cols > RK_WS_MAXELEMS)
				die(EX_DATAERR, "%s: tensor '%s' dimensions %llux%llu "
				    "are too large to be real", w->name, name,
				    rows, cols);
			if (w->ntensors == RK_WS_MAXTENSORS)
				die(EX_DATAERR, "%s: too many tensors", w->name);
			t = &w->t[w->ntensors++];
			strcpy(t->name, name);
			t->dtype = (enum rk_dtype)d;
			t->rows = rows;
			t->cols = cols;
			continue;
		}
		colon = strstr(line, ": ");
		if (!colon || colon == line)
			die(EX_DATAERR, "%s: bad weight stream header line "
			    "(found '%s')", w->name, line);
		*colon = '\0';
		add_key(w, line, colon + 2);
	}
	if (!ws_get(w, "kind"))
		die(EX_DATAERR, "%s: weight stream has no kind", w->name);
	for (i = 0; i < w->ntensors; i++) {
		struct rk_tensor *t = &w->t[i];

		nb = tensor_bytes(t->dtype, t->rows, t->cols);
		rget_grow(&c, &t->data, nb, t->name);
		swap_in_place(t->data, t->dtype == RK_F64 ? 8 :
		              t->dtype == RK_F32 ? 4 : 1, t->rows * t->cols);
	}
	crc = c.crc;
	count = c.count;
	rget(&c, tr, sizeof tr, "the trailer");
	if (memcmp(tr, TRAILER_TAG, 5))
		die(EX_DATAERR, "%s: weight stream trailer missing (corrupt "
		    "or wrong tensor sizes)", w->name);
	{
		uLong fcrc = 0;
		uint64_t fcount = 0;

		for (i = 0; i < 4; i++)
			fcrc |= (uLong)tr[5 + i] << (8 * i);
		for (i = 0; i < 8; i++)
			fcount |= (uint64_t)tr[9 + i] << (8 * i);
		if (fcount != count)
			die(EX_DATAERR, "%s: weight stream length mismatch "
			    "(trailer says %llu bytes, read %llu)", w->name,
			    (unsigned long long)fcount,
			    (unsigned long long)count);
		if (fcrc != crc)
			die(EX_DATAERR, "%s: weight stream checksum mismatch "
			    "(crc32 %08lx, expected %08lx): the data is corrupt",
			    w->name, (unsigned long)crc, (unsigned long)fcrc);
	}
	if (rk_in_read(in, &probe, 1))
		die(EX_DATAERR, "%s: trailing data after the weight stream",
		    w->name);
}

void
ws_expect_kind(const struct rk_wstream *w, const char *tool_use, ...)
{
	const char *kind = ws_get(w, "kind"), *k;
	va_list ap;

	va_start(ap, tool_use);
	while ((k = va_arg(ap, const char *)))
		if (!strcmp(k, kind)) {
			va_end(ap);
			return;
		}
	va_end(ap);
	die(EX_DATAERR, "%s: this is a '%s' weight stream; %s", w->name,
	    kind, tool_use);
}
