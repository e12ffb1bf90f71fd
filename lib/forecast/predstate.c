/* predstate.c - rnn-predict --state: the state file (predstate.h). */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "output.h"
#include "predstate.h"
#include "util.h"
#include "wstream.h"

#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL

static uint64_t
fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= b[i];
		h *= FNV_PRIME;
	}
	return h;
}

static uint64_t
fnv_str(uint64_t h, const char *s)
{
	return fnv(h, s, strlen(s) + 1);        /* the NUL separates */
}

char *
pstate_model_check(char *buf, const struct rnnm *m)
{
	struct rk_wstream w;
	uint64_t h = FNV_OFFSET;
	size_t k;
	char dims[64];

	rnnm_to_stream(m, &w);
	for (k = 0; k < w.nkeys; k++) {
		h = fnv_str(h, w.key[k]);
		h = fnv_str(h, w.val[k]);
	}
	for (k = 0; k < w.ntensors; k++) {
		const struct rk_tensor *t = &w.t[k];

		snprintf(dims, sizeof dims, "%d %zux%zu", (int)t->dtype,
		         t->rows, t->cols);
		h = fnv_str(h, t->name);
		h = fnv_str(h, dims);
		if (t->data)
			h = fnv(h, t->data, ws_data_bytes(t->dtype, t->rows, t->cols));
	}
	ws_release(&w);
	snprintf(buf, 17, "%016llx", (unsigned long long)h);
	return buf;
}

void
pstate_init(struct pstate *s, const struct rnnm *m)
{
	pstate_alloc(s, m->window, m->tf.lag, (size_t)m->net.cfg.nin);
	if (m->mode == RNNM_SEQ)
		pstate_alloc_seq(s, (size_t)m->net.cfg.nlayers,
		                 (size_t)m->net.cfg.nhid,
		                 m->net.cfg.cell == RK_LSTM);
	pstate_model_check(s->model, m);
}

void
pstate_alloc_seq(struct pstate *s, size_t nlayers, size_t nhid, int lstm)
{
	s->seq = 1;
	s->nlayers = nlayers;
	s->nhid = nhid;
	s->h = ecalloc(emul(nlayers, nhid), sizeof *s->h);
	s->c = lstm ? ecalloc(emul(nlayers, nhid), sizeof *s->c) : NULL;
}

void
pstate_alloc(struct pstate *s, size_t window, size_t lag, size_t ncols)
{
	size_t k;

	memset(s, 0, sizeof *s);
	s->window = window;
	s->lag = lag;
	s->ncols = ncols;
	s->ring = ecalloc(emul(s->window, s->ncols), sizeof *s->ring);
	s->lev = ecalloc(emul(s->lag + 1, s->ncols), sizeof *s->lev);
	s->fill = emalloc(emul(s->ncols, sizeof *s->fill));
	for (k = 0; k < s->ncols; k++)
		s->fill[k] = NAN;
	s->field = emalloc(emul(s->ncols + 2, sizeof *s->field));
	for (k = 0; k < s->ncols + 2; k++)
		s->field[k] = SIZE_MAX;
}

void
pstate_release(struct pstate *s)
{
	free(s->ring);
	free(s->lev);
	free(s->fill);
	free(s->field);
	free(s->h);
	free(s->c);
	memset(s, 0, sizeof *s);
}

void
pstate_copy(struct pstate *dst, const struct pstate *src)
{
	double *ring = dst->ring, *lev = dst->lev, *fill = dst->fill;
	size_t *field = dst->field;
	double *h = dst->h, *c = dst->c;
	size_t ns = src->nlayers * src->nhid;

	if (src->h)
		memcpy(h, src->h, ns * sizeof *h);
	if (src->c)
		memcpy(c, src->c, ns * sizeof *c);
	memcpy(ring, src->ring, src->window * src->ncols * sizeof *ring);
	memcpy(lev, src->lev, (src->lag + 1) * src->ncols * sizeof *lev);
	memcpy(fill, src->fill, src->ncols * sizeof *fill);
	memcpy(field, src->field, (src->ncols + 2) * sizeof *field);
	*dst = *src;
	dst->ring = ring;
	dst->lev = lev;
	dst->fill = fill;
	dst->field = field;
	dst->h = h;
	dst->c = c;
}

/* last-time: "SEC MON Y MO D HH MI SS OFF", each in range (years 0 to
 * 9999, as timecol.h reads them; MON = Y * 12 + MO - 1): 0, or -1. */
static int
parse_time(const char *s, struct rk_time *t)
{
	static const long long lo[9] = { -62167305600LL, 0, 0, 1, 1, 0, 0, 0,
	                                 -1440 };
	static const long long hi[9] = { 253402387200LL, 119999, 9999, 12, 31,
	                                 23, 59, 60, 1440 };
	long long v[9];
	char *end;
	size_t k;

	for (k = 0; k < 9; k++) {
		if (k && *s++ != ' ')
			return -1;
		if (!isdigit((unsigned char)*s) && *s != '-')
			return -1;
		errno = 0;
		v[k] = strtoll(s, &end, 10);
		if (errno || end == s || v[k] < lo[k] || v[k] > hi[k])
			return -1;
		s = end;
	}
	if (*s || v[1] != v[2] * 12 + v[3] - 1)
		return -1;
	t->sec = v[0];
	t->mon = v[1];
	t->y = (int)v[2];
	t->mo = (int)v[3];
	t->d = (int)v[4];
	t->hh = (int)v[5];
	t->mi = (int)v[6];
	t->ss = (int)v[7];
	t->off = (int)v[8];
	return 0;
}

/* "1,3,4": n 1-based fields into f (0-based; "none": SIZE_MAX each), each
 * below nfields: 0, or -1. */
static int
parse_fields(const char *s, size_t *f, size_t n, size_t nfields)
{
	size_t k;
	unsigned long long v;
	char *end;

	if (!strcmp(s, "none")) {
		for (k = 0; k < n; k++)
			f[k] = SIZE_MAX;
		return 0;
	}
	for (k = 0; k < n; k++) {
		if (!isdigit((unsigned char)*s))
			return -1;
		errno = 0;
		v = strtoull(s, &end, 10);
		if (errno || v < 1 || v > nfields)
			return -1;
		f[k] = (size_t)v - 1;
		s = end;
		if (*s == ',' && k + 1 < n)
			s++;
		else if (*s)
			return -1;
		else if (k + 1 < n)     /* fewer: the time has one field */
			break;
	}
	for (k++; k < n; k++)
		f[k] = SIZE_MAX;
	return 0;
}

static void
format_fields(char *buf, size_t len, const size_t *f, size_t n)
{
	size_t k, at = 0;

	if (f[0] == SIZE_MAX) {
		snprintf(buf, len, "none");
		return;
	}
	for (k = 0; k < n && f[k] != SIZE_MAX && at < len; k++)
		at += (size_t)snprintf(buf + at, len - at, "%s%zu", k ? "," : "",
		                       f[k] + 1);
}

/* A state refused: one line, 65. */
static _Noreturn void
bad(const char *name, const char *why)
{
	die(EX_DATAERR, "%s: not a usable state file: %s", name, why);
}

static size_t
get_count(const struct rk_wstream *w, const char *key)
{
	return ws_get_size(w, key, 0, SIZE_MAX);
}

/* An f64 tensor of these dimensions, wanted by ws_load. */
static void
need_f64(struct rk_wstream *w, const char *name, size_t rows, size_t cols)
{
	const struct rk_tensor *t = ws_find(w, name);

	if (t && t->dtype != RK_F64)
		bad(w->name, "a tensor is not f64");
	(void)ws_need(w, name, rows, cols);
}

int
pstate_load(struct pstate *s, const char *path, const struct rnnm *m)
{
	struct rk_in in;
	struct rk_wstream w;

	(void)m;        /* s is initialised for it */
	if (rk_in_open(&in, path) < 0) {
		if (errno == ENOENT)
			return 0;
		die(EX_NOINPUT, "cannot open '%s':", path);
	}
	ws_read(&in, &w);
	pstate_from_stream(s, &w);
	ws_release(&w);
	rk_in_close(&in);
	return 1;
}

void
pstate_from_stream(struct pstate *s, struct rk_wstream *w)
{
	const char *v, *mode;
	size_t version, nc = s->ncols, lag = s->lag, W = s->window, k;
	struct pstate n = *s;

	ws_expect_kind(w, "expected a prediction state (from rnn-predict "
	               "--state)", "rnn-state", NULL);
	version = ws_get_size(w, "state-version", 1, SIZE_MAX);
	if (version > PSTATE_VERSION)
		die(EX_DATAERR, "%s: state file is from a newer rnnkit "
		    "(state-version %zu; this one reads %d)", w->name, version,
		    PSTATE_VERSION);
	v = ws_get(w, "model");
	if (!v)
		bad(w->name, "it lacks the model check");
	if (strcmp(v, s->model))
		die(EX_DATAERR, "%s: state file belongs to another model "
		    "(model check %.16s, this model's %s); remove it to start "
		    "afresh", w->name, v, s->model);
	mode = ws_get(w, "mode");
	if (!mode || strcmp(mode, s->seq ? "seq" : "window"))
		bad(w->name, s->seq ? "its mode is not 'seq'" :
		    "its mode is not 'window'");
	if (ws_get_size(w, "window", 1, SIZE_MAX) != W ||
	    ws_get_size(w, "lag", 0, SIZE_MAX) != lag ||
	    ws_get_size(w, "columns", 1, SIZE_MAX) != nc)
		bad(w->name, "its window, lag or columns are not the model's");
	n.seen = get_count(w, "seen");
	n.used = get_count(w, "used");
	n.rows = get_count(w, "rows");
	n.nfields = ws_get(w, "fields") ? ws_get_size(w, "fields", 1,
	                                               SIZE_MAX) : 0;
	if (n.nfields && (!(v = ws_get(w, "column-fields")) ||
	                  parse_fields(v, s->field, nc, n.nfields) < 0 ||
	                  s->field[nc - 1] == SIZE_MAX ||
	                  !(v = ws_get(w, "time-fields")) ||
	                  parse_fields(v, s->field + nc, 2, n.nfields) < 0))
		bad(w->name, "its column-fields or time-fields are malformed");
	if (n.seen != (n.used > lag ? n.used - lag : 0))
		bad(w->name, "its row counts disagree");
	n.have_time = (v = ws_get(w, "last-time")) != NULL;
	if (n.have_time) {
		if (parse_time(v, &n.last) < 0)
			bad(w->name, "its last-time is malformed");
		n.time_rows = get_count(w, "time-rows");
		if (!(v = ws_get(w, "time-format")) ||
		    rk_tfmt_parse(v, &n.tfmt) < 0)
			bad(w->name, "its time-format is missing or malformed");
		if (n.time_rows == 0 || n.time_rows > n.rows)
			bad(w->name, "its time-rows is out of range");
	} else if (ws_get(w, "time-rows") || ws_get(w, "time-format")) {
		bad(w->name, "time-rows or time-format without last-time");
	}
	if (!s->seq)
		need_f64(w, "ring", W, nc);
	need_f64(w, "levels", lag + 1, nc);
	need_f64(w, "fill", nc, 1);
	for (k = 0; s->seq && k < s->nlayers; k++) {
		char name[32];

		snprintf(name, sizeof name, "h.l%zu", k);
		need_f64(w, name, s->nhid, 1);
		snprintf(name, sizeof name, "c.l%zu", k);
		if (s->c)
			need_f64(w, name, s->nhid, 1);
	}
	ws_load(w);
	for (k = 0; s->seq && k < s->nlayers; k++) {
		char name[32];
		size_t j, H = s->nhid;

		snprintf(name, sizeof name, "h.l%zu", k);
		ws_get_f64(ws_find(w, name), s->h + k * H);
		snprintf(name, sizeof name, "c.l%zu", k);
		if (s->c)
			ws_get_f64(ws_find(w, name), s->c + k * H);
		for (j = 0; j < H; j++)
			if (!isfinite(s->h[k * H + j]) ||
			    (s->c && !isfinite(s->c[k * H + j])))
				bad(w->name, "its hidden state holds a value "
				    "that is not finite");
	}
	if (!s->seq)
		ws_get_f64(ws_find(w, "ring"), s->ring);
	ws_get_f64(ws_find(w, "levels"), s->lev);
	ws_get_f64(ws_find(w, "fill"), s->fill);
	for (k = 0; k < W * nc; k++)
		if (!isfinite(s->ring[k]))
			bad(w->name, "its ring holds a value that is not finite");
	for (k = 0; k < (lag + 1) * nc; k++)
		if (!isfinite(s->lev[k]))
			bad(w->name, "its levels hold a value that is not finite");
	for (k = 0; k < nc; k++)
		if (isinf(s->fill[k]))
			bad(w->name, "its fill holds an infinite value");
	s->seen = n.seen;
	s->used = n.used;
	s->rows = n.rows;
	s->nfields = n.nfields;
	s->have_time = n.have_time;
	s->last = n.last;
	s->time_rows = n.time_rows;
	s->tfmt = n.tfmt;
}

void
pstate_save(const struct pstate *s, const char *path)
{
	struct rk_wstream w;
	struct rk_out o;
	const struct rk_time *t = &s->last;
	char b[48], *f;
	size_t k;

	ws_init(&w, "rnn-state");
	ws_set(&w, "state-version", "%d", PSTATE_VERSION);
	ws_set(&w, "model", "%s", s->model);
	ws_set(&w, "mode", s->seq ? "seq" : "window");
	ws_set(&w, "window", "%zu", s->window);
	ws_set(&w, "lag", "%zu", s->lag);
	ws_set(&w, "columns", "%zu", s->ncols);
	ws_set(&w, "seen", "%zu", s->seen);
	ws_set(&w, "used", "%zu", s->used);
	ws_set(&w, "rows", "%llu", s->rows);
	if (s->nfields) {
		f = emalloc(emul(s->ncols + 2, 24));
		ws_set(&w, "fields", "%zu", s->nfields);
		format_fields(f, (s->ncols + 2) * 24, s->field, s->ncols);
		ws_set(&w, "column-fields", "%s", f);
		format_fields(f, (s->ncols + 2) * 24, s->field + s->ncols, 2);
		ws_set(&w, "time-fields", "%s", f);
		free(f);
	}
	if (s->have_time) {
		ws_set(&w, "last-time", "%lld %lld %d %d %d %d %d %d %d",
		       t->sec, t->mon, t->y, t->mo, t->d, t->hh, t->mi, t->ss,
		       t->off);
		ws_set(&w, "time-rows", "%zu", s->time_rows);
		ws_set(&w, "time-format", "%s", rk_tfmt_name(b, &s->tfmt));
	}
	if (!s->seq)
		ws_add(&w, "ring", RK_F64, s->window, s->ncols, s->ring);
	ws_add(&w, "levels", RK_F64, s->lag + 1, s->ncols, s->lev);
	ws_add(&w, "fill", RK_F64, s->ncols, 1, s->fill);
	for (k = 0; s->seq && k < s->nlayers; k++) {
		snprintf(b, sizeof b, "h.l%zu", k);
		ws_add(&w, b, RK_F64, s->nhid, 1, s->h + k * s->nhid);
		if (s->c) {
			snprintf(b, sizeof b, "c.l%zu", k);
			ws_add(&w, b, RK_F64, s->nhid, 1, s->c + k * s->nhid);
		}
	}
	rk_out_open(&o, path, 1, 1);
	ws_write(&o, &w);
	rk_out_close(&o);
	ws_release(&w);
}
