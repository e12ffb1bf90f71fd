/* csvread.c - numeric CSV through libcsv, with file:line:column errors. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csvread.h"
#include "timecol.h"
#include "util.h"

int
rk_parse_number(const char *s, double *v)
{
	const char *p;
	char *end;

	/* the common cell, e.g. "-0.976395" or "1": exact, the value strtod
	 * gives */
	if (!rk_parse_decimal_fast(s, v))
		return 0;
	while (*s == ' ' || *s == '\t')
		s++;
	/* only decimal notation: no hex, no "inf"/"nan" words */
	for (p = s; *p && *p != ' ' && *p != '\t'; p++)
		if (!isdigit((unsigned char)*p) && !strchr("+-.eE", *p))
			goto word;
	for (; *p; p++)
		if (*p != ' ' && *p != '\t')
			return -1;
	if (p == s)
		return -1;
	errno = 0;
	*v = strtod(s, &end);
	while (*end == ' ' || *end == '\t')
		end++;
	if (end == s || *end)
		return -1;
	if (!isfinite(*v))
		return -2;      /* overflow, e.g. 1e999 */
	return 0;
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

int
rk_parse_cell(const char *s, double *v, int decimal_comma)
{
	char b[128], *p;
	size_t n;

	if (!decimal_comma)
		return rk_parse_number(s, v);
	n = strlen(s);
	if (strchr(s, '.') || n >= sizeof b)
		return -1;
	memcpy(b, s, n + 1);
	if ((p = strchr(b, ',')))
		*p = '.';
	return rk_parse_number(b, v);
}

int
rk_is_missing(const char *s)
{
	static const char *words[] = { "", "NA", "NaN", "null", "?", NULL };
	size_t n, i;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	for (i = 0; words[i]; i++)
		if (strlen(words[i]) == n && !strncasecmp(s, words[i], n))
			return 1;
	return 0;
}

/* Does s[0..len) hold a NUL? (a loop for the short cells of most CSV,
 * where a call to memchr costs more than the search) */
static int
has_nul(const char *s, size_t len)
{
	if (len > 32)
		return memchr(s, '\0', len) != NULL;
	while (len--)
		if (!*s++)
			return 1;
	return 0;
}

static void
field_cb(void *s, size_t len, void *data)
{
	struct csv_reader *r = data;

	if (r->nf == 0)
		r->rowline = r->line;
	if (has_nul(s, len))
		die_at(r->name, r->line, r->nf + 1, "NUL byte in a cell "
		       "(binary data, not CSV)");
	if (len > RK_CSV_MAXCELL) {
		char q[RK_QUOTE_BUF];

		die_at(r->name, r->line, r->nf + 1, "cell is over %d bytes "
		       "(found '%s')", RK_CSV_MAXCELL, rk_quote(q, s, len));
	}
	if (r->blen + len + 1 > r->bcap) {
		r->bcap = (r->blen + len + 1) * 2;
		r->buf = ereallocarray(r->buf, r->bcap, 1);
	}
	if (r->nf == r->fcap) {
		r->fcap = r->fcap ? r->fcap * 2 : 16;
		r->foff = ereallocarray(r->foff, r->fcap, sizeof *r->foff);
	}
	r->foff[r->nf++] = r->blen;
	if (len)
		memcpy(r->buf + r->blen, s, len);
	r->blen += len;
	r->buf[r->blen++] = '\0';
}

static void
row_cb(int c, void *data)
{
	struct csv_reader *r = data;
	struct csv_row *row;

	if (r->nf == 0 && c != -2)
		return;
	if (r->qhead + r->qlen == r->qcap) {
		if (r->qhead) {
			memmove(r->q, r->q + r->qhead, r->qlen * sizeof *r->q);
			r->qhead = 0;
		} else {
			r->qcap = r->qcap ? r->qcap * 2 : 4;
			r->q = ereallocarray(r->q, r->qcap, sizeof *r->q);
		}
	}
	row = &r->q[r->qhead + r->qlen++];
	row->line = r->rowline;
	row->nf = r->nf;
	row->buf = emalloc(r->blen);
	if (r->blen)
		memcpy(row->buf, r->buf, r->blen);
	row->foff = emalloc(r->nf * sizeof *row->foff);
	if (r->nf)
		memcpy(row->foff, r->foff, r->nf * sizeof *row->foff);
	r->nf = r->blen = 0;
}

void
csvr_init(struct csv_reader *r, struct rk_in *in, const struct csv_opts *o)
{
	memset(r, 0, sizeof *r);
	r->in = in;
	r->name = in->name;
	r->opt = *o;
	if (!r->opt.delim)
		r->opt.delim = ',';
	if (csv_init(&r->p, CSV_APPEND_NULL) != 0)
		die(EX_SOFTWARE, "cannot initialise the CSV parser");
	/* libcsv grows a cell by blk_size bytes at a time: 128 by default,
	 * quadratic under a sanitizer for a long cell */
	csv_set_blk_size(&r->p, 4096);
	csv_set_delim(&r->p, (unsigned char)r->opt.delim);
	r->line = 1;
}

static void
free_row(struct csv_row *row)
{
	free(row->buf);
	free(row->foff);
}

void
csvr_release(struct csv_reader *r)
{
	size_t i;

	for (i = 0; i < r->qlen; i++)
		free_row(&r->q[r->qhead + i]);
	if (r->has_held)
		free_row(&r->held);
	if (r->has_cur)
		free_row(&r->cur);
	free(r->q);
	free(r->buf);
	free(r->foff);
	free(r->vals);
	free(r->first1);
	if (r->header) {
		for (i = 0; i < r->ncols; i++)
			free(r->header[i]);
		free(r->header);
	}
	csv_free(&r->p);
	memset(r, 0, sizeof *r);
}

static void
parse_error(struct csv_reader *r)
{
	die_at(r->name, r->line, 0, "malformed CSV (%s)",
	       csv_strerror(csv_error(&r->p)));
}

/* Is p[0..n) only blanks and line ends? (p is not a string) */
static int
blank(const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strchr(" \t\r\n", p[i]) || !p[i])
			return 0;
	return 1;
}

/* Feed input to libcsv, a line at a time so rows know their line, until a
 * row is complete or the input ends. */
static void
feed(struct csv_reader *r)
{
	size_t avail, n;
	const unsigned char *p, *nl;

	while (r->qlen == 0 && !r->fed_all) {
		p = rk_in_buffer(r->in, &avail);
		if (!avail) {
			/* a quoted field still open (libcsv's FIELD_BEGUN):
			 * its quote never closed, the last row ends here */
			r->open_quote = r->p.pstate == 2 && r->p.quoted;
			if (csv_fini(&r->p, field_cb, row_cb, r) != 0)
				parse_error(r);
			r->fed_all = 1;
			break;
		}
		if (!r->started) {
			r->started = 1;
			/* wait for 3 bytes only when a BOM may be starting,
			 * so a short first line under tail -f is not held */
			if (avail < 3 && p[0] == 0xEF)
				p = rk_in_peek(r->in, 3, &avail);
			if (avail >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3)) {
				rk_in_consume(r->in, 3);
				continue;
			}
		}
		nl = memchr(p, '\n', avail);
		n = nl ? (size_t)(nl - p) + 1 : avail;
		/* series mode: a whole line of nothing outside any record is
		 * a blank line, kept as a row without fields */
		if (r->opt.series && nl && r->p.pstate == 0 && r->nf == 0 &&
		    blank(p, n)) {
			size_t nf = r->nf;

			r->rowline = r->line;
			row_cb(-2, r);
			(void)nf;
		}
		/* at most 64 KiB at a time, so that a cell over the limit
		 * stops here at the limit and one buffer more */
		if (n > RK_INBUF) {
			n = RK_INBUF;
			nl = NULL;
		}
		if (csv_parse(&r->p, p, n, field_cb, row_cb, r) != n)
			parse_error(r);
		if (r->p.entry_pos > RK_CSV_MAXCELL) {
			char q[RK_QUOTE_BUF];

			die_at(r->name, r->line, r->nf + 1, "cell is over %d "
			       "bytes (found '%s')", RK_CSV_MAXCELL,
			       rk_quote(q, (const char *)r->p.entry_buf,
			                r->p.entry_pos));
		}
		rk_in_consume(r->in, n);
		if (nl)
			r->line++;
	}
}

static int
pop_row(struct csv_reader *r, struct csv_row *out)
{
	feed(r);
	if (!r->qlen)
		return 0;
	*out = r->q[r->qhead++];
	r->qlen--;
	if (!r->qlen)
		r->qhead = 0;
	return 1;
}

/* The next row that is not blank (blank lines before the header and
 * between pattern records are no rows). */
static int
pop_nonblank(struct csv_reader *r, struct csv_row *row)
{
	do {
		if (!pop_row(r, row))
			return 0;
		if (row->nf == 0)
			free_row(row);
	} while (row->nf == 0);
	return 1;
}

static int
row_is_numeric(const struct csv_reader *r, const struct csv_row *row,
               size_t *ndata, size_t *text)
{
	size_t i;
	double v;
	struct rk_tfmt f;
	struct rk_time t;

	/* an empty cell is no sign of a header: "1,,1" is a data row with
	 * an empty cell */
	*ndata = 0;
	*text = row->nf;
	for (i = 0; i < row->nf; i++) {
		const char *s = row->buf + row->foff[i];

		if (s[strspn(s, " \t")] == '\0' ||
		    rk_parse_cell(s, &v, r->opt.decimal_comma) != -1 ||
		    (r->opt.series && (rk_is_missing(s) ||
		                       rk_time_parse(s, &f, &t) == 0 ||
		                       (r->opt.labels &&
		                        rk_labels_find(r->opt.labels, s) >= 0))))
			++*ndata;
		else if (*text == row->nf)
			*text = i;
	}
	return *ndata == row->nf;
}

static void
unpop_row(struct csv_reader *r, struct csv_row *row)
{
	if (r->qhead == 0) {
		if (r->qlen == r->qcap) {
			r->qcap = r->qcap ? r->qcap * 2 : 4;
			r->q = ereallocarray(r->q, r->qcap, sizeof *r->q);
		}
		memmove(r->q + 1, r->q, r->qlen * sizeof *r->q);
		r->qhead = 1;
	}
	r->q[--r->qhead] = *row;
	r->qlen++;
}

int
csvr_start(struct csv_reader *r)
{
	struct csv_row row;
	size_t i, ndata = 0, text = 0;
	char q[RK_QUOTE_BUF];

	if (r->first_done)
		return r->ncols != 0;
	r->first_done = 1;
	if (!pop_nonblank(r, &row))
		return 0;
	r->ncols = row.nf;
	if (row.nf == 1)
		r->first1 = estrdup(row.buf);
	r->vals = ecalloc(row.nf, sizeof *r->vals);
	if (r->opt.header == RK_HEADER_YES ||
	    (r->opt.header == RK_HEADER_AUTO &&
	     !row_is_numeric(r, &row, &ndata, &text))) {
		/* half of it or more reads as data: a typo in the first data
		 * row, more likely than a header of numbers */
		if (r->opt.header == RK_HEADER_AUTO && !r->opt.quiet &&
		    2 * ndata >= row.nf)
			warnf("warning: %s:%zu: the first row is taken as a "
			      "header, though %zu of its %zu fields read as "
			      "data (field %zu, '%s', does not); --no-header "
			      "reads it as data", r->name, row.line, ndata,
			      row.nf, text + 1, rk_quote(q, row.buf +
			      row.foff[text], (size_t)-1));
		r->header = ecalloc(row.nf, sizeof *r->header);
		for (i = 0; i < row.nf; i++)
			r->header[i] = estrdup(row.buf + row.foff[i]);
		free_row(&row);
	} else {
		unpop_row(r, &row);
	}
	return 1;
}

const char *
csvr_hint_cell(const struct csv_reader *r, const char *cell)
{
	double v;

	if (cell && (strchr(cell, '\n') || strchr(cell, '\r')))
		return "a quoted cell runs over a line end: is a closing "
		       "quote missing?";
	if (cell && !r->opt.decimal_comma && strchr(cell, ',') &&
	    rk_parse_cell(cell, &v, 1) == 0)
		return "for a decimal comma use --decimal-comma";
	if (r->ncols != 1)
		return "";
	if (((r->first1 && strchr(r->first1, ';')) ||
	     (cell && strchr(cell, ';'))) && r->opt.delim != ';')
		return "the file looks ';'-separated: try -d ';'";
	if (((r->first1 && strchr(r->first1, '\t')) ||
	     (cell && strchr(cell, '\t'))) && r->opt.delim != '\t')
		return "the file looks tab-separated: try -d tab";
	if (((r->first1 && strchr(r->first1, ',')) ||
	     (cell && strchr(cell, ','))) && r->opt.delim != ',') {
		/* -d names another delimiter: maybe for another file, as
		 * -d applies to every file a tool reads */
		static char b[80];

		snprintf(b, sizeof b, "the file looks ','-separated, but -d "
		         "'%s' applies to every file read",
		         r->opt.delim == '\t' ? "tab" :
		         (char[]){ r->opt.delim, 0 });
		return b;
	}
	return "";
}

const char *
csvr_hint(const struct csv_reader *r)
{
	return csvr_hint_cell(r, NULL);
}

void
csvr_bad_number(const struct csv_reader *r, size_t line, size_t col,
                const char *s)
{
	double v;
	char q[RK_QUOTE_BUF];
	const char *h = csvr_hint(r);

	if (s[strspn(s, " \t")] == '\0')
		die_at(r->name, line, col + 1, "empty cell%s%s%s", *h ? " (" : "",
		       h, *h ? ")" : "");
	if (rk_parse_number(s, &v) == -2)
		die_at(r->name, line, col + 1,
		       "NaN or Inf is not allowed (found '%s')",
		       rk_quote(q, s, (size_t)-1));
	if (r->opt.decimal_comma && rk_parse_number(s, &v) == 0)
		die_at(r->name, line, col + 1, "not a number (found '%s'; "
		       "with --decimal-comma the decimal mark is ',')",
		       rk_quote(q, s, (size_t)-1));
	h = csvr_hint_cell(r, s);
	die_at(r->name, line, col + 1, "not a number (found '%s'%s%s)",
	       rk_quote(q, s, (size_t)-1), *h ? "; " : "", h);
}

/* A row of the wrong width whose quote is open (a cell holding a line
 * end, or the input ending inside a quoted cell): the quote hint;
 * else csvr_hint's. */
static const char *
width_hint(const struct csv_reader *r, const struct csv_row *row)
{
	size_t i;

	for (i = 0; i < row->nf; i++)
		if (strpbrk(csv_cell(row, i), "\r\n"))
			return csvr_hint_cell(r, csv_cell(row, i));
	if (r->open_quote)
		return "a quoted cell runs to the end of the input: is a "
		       "closing quote missing?";
	return csvr_hint(r);
}

static void
check_width(const struct csv_reader *r, const struct csv_row *row)
{
	const char *h;

	if (row->nf != r->ncols && !(row->nf == 0 && r->opt.series)) {
		h = width_hint(r, row);
		die_at(r->name, row->line, 0,
		       "row has %zu field%s, expected %zu like the first "
		       "row%s%s%s", row->nf, row->nf == 1 ? "" : "s", r->ncols,
		       *h ? " (" : "", h, *h ? ")" : "");
	}
}

const struct csv_row *
csvr_next_row(struct csv_reader *r)
{
	struct csv_row row;

	if (r->has_cur) {
		free_row(&r->cur);
		r->has_cur = 0;
	}
	if (!csvr_start(r))
		return NULL;
	/* blank lines wait for a data row after them: those at the end of
	 * the data (or before its start) are not rows */
	while (!r->has_held || r->blanks == 0) {
		if (r->has_held) {
			r->cur = r->held;
			r->has_held = 0;
			goto out;
		}
		if (!pop_row(r, &row))
			return NULL;
		if (row.nf == 0) {
			if (r->nrows > 0 && r->blanks++ == 0)
				r->blankline = row.line;
			free_row(&row);
			continue;
		}
		r->held = row;
		r->has_held = 1;
	}
	memset(&r->cur, 0, sizeof r->cur);
	r->cur.line = r->blankline++;
	r->cur.buf = emalloc(1);
	r->cur.foff = emalloc(sizeof *r->cur.foff);
	r->blanks--;
out:
	r->has_cur = 1;
	check_width(r, &r->cur);
	r->nrows++;
	return &r->cur;
}

size_t
csvr_next(struct csv_reader *r, const double **vals, size_t *line)
{
	struct csv_row row;
	size_t i;
	const char *s;

	if (!csvr_start(r))
		return 0;
	if (!pop_nonblank(r, &row))
		return 0;
	check_width(r, &row);
	for (i = 0; i < row.nf; i++) {
		s = row.buf + row.foff[i];
		if (rk_parse_cell(s, &r->vals[i], r->opt.decimal_comma) != 0)
			csvr_bad_number(r, row.line, i, s);
	}
	*line = row.line;
	*vals = r->vals;
	r->nrows++;
	free_row(&row);
	return r->ncols;
}

void
table_read(struct table *t, struct rk_in *in, const struct csv_opts *o)
{
	struct csv_reader r;
	const double *v;
	size_t n, line, cap = 0;

	memset(t, 0, sizeof *t);
	t->name = estrdup(in->name);
	csvr_init(&r, in, o);
	if (!csvr_start(&r))
		die_at(t->name, 0, 0, "no data (empty input)");
	t->cols = r.ncols;
	while ((n = csvr_next(&r, &v, &line))) {
		if (t->rows == cap) {
			cap = cap ? cap * 2 : 64;
			t->v = ereallocarray(t->v, emul(cap, t->cols), sizeof *t->v);
			t->line = ereallocarray(t->line, cap, sizeof *t->line);
		}
		memcpy(t->v + t->rows * t->cols, v, n * sizeof *v);
		t->line[t->rows++] = line;
	}
	if (!t->rows) {
		const char *h = csvr_hint(&r);

		die_at(t->name, r.header ? 1 : 0, 0, "header but no data "
		       "rows%s%s%s", *h ? " (" : "", h, *h ? ")" : "");
	}
	t->header = r.header;
	r.header = NULL;
	csvr_release(&r);
}

void
table_load(struct table *t, const char *path, const struct csv_opts *o)
{
	struct rk_in in;

	rk_in_eopen(&in, path);
	table_read(t, &in, o);
	rk_in_close(&in);
}

void
table_release(struct table *t)
{
	size_t i;

	if (t->header) {
		for (i = 0; i < t->cols; i++)
			free(t->header[i]);
		free(t->header);
	}
	free(t->v);
	free(t->line);
	free(t->name);
	memset(t, 0, sizeof *t);
}
