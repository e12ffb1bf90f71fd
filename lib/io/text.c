/* text.c - raw text: UTF-8 decoding, vocabulary, the vocabulary in a
 * weight stream (text.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "text.h"
#include "util.h"

long long
rk_utf8_decode(uint32_t *out, size_t *nout, const unsigned char *s, size_t n,
               int final, size_t *bad, const char **why)
{
	size_t i = 0, k, len;
	uint32_t cp, min;

	while (i < n) {
		unsigned char c = s[i];

		if (c < 0x80) {
			out[(*nout)++] = c;
			i++;
			continue;
		}
		if (c < 0xC0) {
			*why = "continuation byte without a lead byte";
			goto fail;
		}
		if (c < 0xC2 || c > 0xF4) {
			*why = c < 0xC2 ? "overlong form" :
			       "byte that never appears in UTF-8";
			goto fail;
		}
		if (c < 0xE0) {
			len = 2;
			cp = c & 0x1F;
			min = 0x80;
		} else if (c < 0xF0) {
			len = 3;
			cp = c & 0x0F;
			min = 0x800;
		} else {
			len = 4;
			cp = c & 0x07;
			min = 0x10000;
		}
		for (k = 1; k < len; k++) {
			if (i + k == n) {
				if (!final)
					return (long long)i;
				*why = "sequence cut short by the end of the text";
				goto fail;
			}
			if ((s[i + k] & 0xC0) != 0x80) {
				*why = "sequence cut short";
				goto fail;
			}
			cp = cp << 6 | (s[i + k] & 0x3F);
			/* refuse as soon as the prefix is bad, so that a
			 * partial sequence kept for later is valid so far */
			if (k == 1 && len == 3 && c == 0xE0 && s[i + 1] < 0xA0) {
				*why = "overlong form";
				goto fail;
			}
			if (k == 1 && len == 3 && c == 0xED && s[i + 1] >= 0xA0) {
				*why = "surrogate";
				goto fail;
			}
			if (k == 1 && len == 4 && c == 0xF0 && s[i + 1] < 0x90) {
				*why = "overlong form";
				goto fail;
			}
			if (k == 1 && len == 4 && c == 0xF4 && s[i + 1] >= 0x90) {
				*why = "code point above U+10FFFF";
				goto fail;
			}
		}
		if (cp < min || cp > RK_TEXT_MAXCP ||
		    (cp >= 0xD800 && cp <= 0xDFFF)) {
			/* the definition; the prefix checks above refuse
			 * all of these earlier */
			*why = "invalid code point";
			goto fail;
		}
		out[(*nout)++] = cp;
		i += len;
	}
	return (long long)i;
fail:
	*bad = i;
	return -1;
}

size_t
rk_utf8_encode(unsigned char buf[4], uint32_t cp)
{
	if (cp < 0x80) {
		buf[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		buf[0] = (unsigned char)(0xC0 | cp >> 6);
		buf[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp >= 0xD800 && cp <= 0xDFFF)
		return 0;
	if (cp < 0x10000) {
		buf[0] = (unsigned char)(0xE0 | cp >> 12);
		buf[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
		buf[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	if (cp > RK_TEXT_MAXCP)
		return 0;
	buf[0] = (unsigned char)(0xF0 | cp >> 18);
	buf[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
	buf[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
	buf[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

/* room for at least need more symbols */
static void
grow(struct rk_text *t, size_t *cap, size_t need)
{
	if (t->n + need <= *cap)
		return;
	while (*cap < t->n + need)
		*cap = *cap ? 2 * *cap : 4096;
	t->sym = ereallocarray(t->sym, *cap, sizeof *t->sym);
}

void
rk_text_read(struct rk_text *t, const char *path, int bytes)
{
	struct rk_in in;
	unsigned char carry[8];
	size_t ncarry = 0, cap = 0, off = 0; /* off: bytes decoded so far */

	memset(t, 0, sizeof *t);
	t->bytes = bytes;
	rk_in_eopen(&in, path);
	t->name = estrdup(in.name);
	for (;;) {
		size_t avail, bad, k;
		const unsigned char *p = rk_in_buffer(&in, &avail);
		const char *why;
		long long used;

		if (!avail)
			break;
		if (off + ncarry + avail > RK_TEXT_MAXBYTES)
			die(EX_DATAERR, "%s: text over %zu bytes", t->name,
			    RK_TEXT_MAXBYTES);
		grow(t, &cap, avail + ncarry);
		if (bytes) {
			for (k = 0; k < avail; k++)
				t->sym[t->n++] = p[k];
			off += avail;
			rk_in_consume(&in, avail);
			continue;
		}
		/* a sequence split between two buffers: finish it first */
		if (ncarry) {
			size_t take = 0;

			while (ncarry < 4 && take < avail)
				carry[ncarry++] = p[take++];
			used = rk_utf8_decode(t->sym, &t->n, carry, ncarry, 0,
			                      &bad, &why);
			if (used < 0)
				die(EX_DATAERR, "%s: byte %zu: invalid UTF-8 (%s)",
				    t->name, off + bad, why);
			if (used == 0) {
				/* still incomplete: all of p was taken */
				rk_in_consume(&in, take);
				continue;
			}
			/* the carried sequence is whole; its bytes of p
			 * are used - (ncarry - take) */
			k = (size_t)used - (ncarry - take);
			off += (size_t)used;
			rk_in_consume(&in, k);
			ncarry = 0;
			continue;
		}
		used = rk_utf8_decode(t->sym, &t->n, p, avail, 0, &bad, &why);
		if (used < 0)
			die(EX_DATAERR, "%s: byte %zu: invalid UTF-8 (%s)",
			    t->name, off + bad, why);
		off += (size_t)used;
		/* a sequence cut by the end of the buffer: keep its bytes */
		for (k = (size_t)used; k < avail; k++)
			carry[ncarry++] = p[k];
		rk_in_consume(&in, avail);
	}
	if (ncarry) {
		size_t bad;
		const char *why;

		grow(t, &cap, ncarry);
		if (rk_utf8_decode(t->sym, &t->n, carry, ncarry, 1, &bad,
		                   &why) < 0)
			die(EX_DATAERR, "%s: byte %zu: invalid UTF-8 (%s)",
			    t->name, off + bad, why);
	}
	rk_in_close(&in);
}

int
rk_text_from_mem(struct rk_text *t, const char *name, const void *s, size_t n,
                 int bytes, size_t *bad, const char **why)
{
	const unsigned char *p = s;
	size_t k;

	memset(t, 0, sizeof *t);
	t->bytes = bytes;
	t->name = estrdup(name);
	t->sym = ereallocarray(NULL, n ? n : 1, sizeof *t->sym);
	if (bytes) {
		for (k = 0; k < n; k++)
			t->sym[k] = p[k];
		t->n = n;
		return 0;
	}
	if (rk_utf8_decode(t->sym, &t->n, p, n, 1, bad, why) < 0) {
		rk_text_release(t);
		return -1;
	}
	return 0;
}

void
rk_text_release(struct rk_text *t)
{
	free(t->name);
	free(t->sym);
	memset(t, 0, sizeof *t);
}

size_t
rk_text_offset(const struct rk_text *t, size_t i)
{
	size_t k, off = 0;

	if (t->bytes)
		return i;
	for (k = 0; k < i; k++) {
		uint32_t c = t->sym[k];

		off += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
	}
	return off;
}

void
rk_vocab_build(struct rk_vocab *v, int bytes, const struct rk_text *t,
               size_t ntexts)
{
	size_t nbits = bytes ? 256 : (size_t)RK_TEXT_MAXCP + 1;
	unsigned char *seen = ecalloc(nbits / 8, 1);
	size_t i, k, n = 0;

	memset(v, 0, sizeof *v);
	v->bytes = bytes;
	for (i = 0; i < ntexts; i++)
		for (k = 0; k < t[i].n; k++) {
			uint32_t s = t[i].sym[k];

			if (!(seen[s / 8] >> (s % 8) & 1)) {
				seen[s / 8] |= (unsigned char)(1u << (s % 8));
				n++;
			}
		}
	v->sym = ereallocarray(NULL, n ? n : 1, sizeof *v->sym);
	for (i = 0; i < nbits / 8; i++)
		if (seen[i])
			for (k = 0; k < 8; k++)
				if (seen[i] >> k & 1)
					v->sym[v->n++] = (uint32_t)(8 * i + k);
	free(seen);
}

/* Is s a symbol of the mode? */
static int
sym_valid(uint32_t s, int bytes)
{
	if (bytes)
		return s <= 255;
	return s <= RK_TEXT_MAXCP && !(s >= 0xD800 && s <= 0xDFFF);
}

int
rk_vocab_set(struct rk_vocab *v, int bytes, const uint32_t *sym, size_t n)
{
	size_t i;

	memset(v, 0, sizeof *v);
	for (i = 0; i < n; i++)
		if (!sym_valid(sym[i], bytes) || (i && sym[i] <= sym[i - 1]))
			return -1;
	v->bytes = bytes;
	v->n = n;
	v->sym = ereallocarray(NULL, n ? n : 1, sizeof *v->sym);
	memcpy(v->sym, sym, n * sizeof *sym);
	return 0;
}

void
rk_vocab_release(struct rk_vocab *v)
{
	free(v->sym);
	memset(v, 0, sizeof *v);
}

long
rk_vocab_class(const struct rk_vocab *v, uint32_t s)
{
	size_t lo = 0, hi = v->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v->sym[mid] < s)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < v->n && v->sym[lo] == s ? (long)lo : -1;
}

int
rk_vocab_map(const struct rk_vocab *v, const struct rk_text *t, int32_t *cls,
             size_t *missing)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		long k = rk_vocab_class(v, t->sym[i]);

		if (k < 0) {
			*missing = i;
			return -1;
		}
		cls[i] = (int32_t)k;
	}
	return 0;
}

void
rk_vocab_emap(const struct rk_vocab *v, const struct rk_text *t, int32_t *cls)
{
	char b[RK_SYM_BUF];
	size_t i;

	if (rk_vocab_map(v, t, cls, &i) < 0)
		die(EX_DATAERR, "%s: byte %zu: %s is not in the model's "
		    "vocabulary", t->name, rk_text_offset(t, i),
		    rk_sym_name(b, t->sym[i], t->bytes));
}

size_t
rk_vocab_put(const struct rk_vocab *v, size_t k, unsigned char buf[4])
{
	if (v->bytes) {
		buf[0] = (unsigned char)v->sym[k];
		return 1;
	}
	return rk_utf8_encode(buf, v->sym[k]);
}

char *
rk_sym_name(char *buf, uint32_t s, int bytes)
{
	int show = s >= 0x20 && s < 0x7F && s != '\'';

	if (bytes && show)
		snprintf(buf, RK_SYM_BUF, "'%c' (byte 0x%02X)", (int)s,
		         (unsigned)s);
	else if (bytes)
		snprintf(buf, RK_SYM_BUF, "byte 0x%02X", (unsigned)s);
	else if (show)
		snprintf(buf, RK_SYM_BUF, "'%c' (U+%04X)", (int)s, (unsigned)s);
	else
		snprintf(buf, RK_SYM_BUF, "U+%04X", (unsigned)s);
	return buf;
}

void
rk_vocab_to_stream(const struct rk_vocab *v, struct rk_wstream *w)
{
	double *d = ereallocarray(NULL, v->n ? v->n : 1, sizeof *d);
	size_t i;

	for (i = 0; i < v->n; i++)
		d[i] = v->sym[i];
	ws_set(w, "text", "%s", v->bytes ? "bytes" : "utf-8");
	ws_set(w, "vocabulary", "%zu", v->n);
	ws_add(w, "text.vocabulary", RK_F64, v->n, 1, d);
	free(d);
}

size_t
rk_vocab_need(struct rk_wstream *w)
{
	const char *s = ws_get(w, "text");
	size_t V;

	if (!s)
		return 0;
	if (strcmp(s, "utf-8") && strcmp(s, "bytes")) {
		char q[RK_QUOTE_BUF];

		die(EX_DATAERR, "%s: unknown text '%s' (utf-8 or bytes)",
		    w->name, rk_quote(q, s, (size_t)-1));
	}
	V = ws_get_size(w, "vocabulary", 1,
	                strcmp(s, "bytes") ? RK_TEXT_MAXVOCAB : 256);
	ws_need(w, "text.vocabulary", V, 1);
	return V;
}

void
rk_vocab_from_stream(struct rk_vocab *v, const struct rk_wstream *w)
{
	const struct rk_tensor *t = ws_find(w, "text.vocabulary");
	int bytes = !strcmp(ws_get(w, "text"), "bytes");
	double *d = ereallocarray(NULL, t->rows, sizeof *d);
	size_t i;

	memset(v, 0, sizeof *v);
	ws_get_f64(t, d);
	v->bytes = bytes;
	v->sym = ereallocarray(NULL, t->rows, sizeof *v->sym);
	for (i = 0; i < t->rows; i++) {
		if (!(d[i] >= 0 && d[i] <= RK_TEXT_MAXCP && d[i] == floor(d[i])) ||
		    !sym_valid((uint32_t)d[i], bytes))
			die(EX_DATAERR, "%s: text.vocabulary[%zu] is not a %s "
			    "(%.17g)", w->name, i, bytes ? "byte" :
			    "Unicode code point", d[i]);
		v->sym[i] = (uint32_t)d[i];
		if (i && v->sym[i] <= v->sym[i - 1])
			die(EX_DATAERR, "%s: text.vocabulary is not in "
			    "increasing order at %zu", w->name, i);
	}
	v->n = t->rows;
	free(d);
}
