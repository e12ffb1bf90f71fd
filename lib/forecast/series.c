/* series.c - time series for the recurrent nets. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arpath.h"
#include "output.h"
#include "series.h"
#include "util.h"

/* Column k's name quoted for a message, cut as rk_quote cuts (one
 * message at a time: a static buffer) */
static const char *
qname(const struct series_set *ss, size_t k)
{
	static char q[RK_QUOTE_BUF];

	return rk_quote(q, ss->names[k], (size_t)-1);
}

/* A row's cells as one line of text, joined by delim, quoted as needed. */
static char *
join_cells(const struct csv_row *row, size_t nfields, char delim)
{
	size_t k, len = 0, cap = 64;
	char *b = emalloc(cap);
	const char *s, *p;

	for (k = 0; k < nfields; k++) {
		s = row->nf ? csv_cell(row, k) : "";
		if (len + 2 * strlen(s) + 4 > cap) {
			cap = (len + 2 * strlen(s) + 4) * 2;
			b = ereallocarray(b, cap, 1);
		}
		if (k)
			b[len++] = delim;
		if (strchr(s, delim) || strpbrk(s, "\"\r\n")) {
			b[len++] = '"';
			for (p = s; *p; p++) {
				if (*p == '"')
					b[len++] = '"';
				b[len++] = *p;
			}
			b[len++] = '"';
		} else {
			memcpy(b + len, s, strlen(s));
			len += strlen(s);
		}
	}
	b[len] = '\0';
	return b;
}

char *
series_time_text(const struct series_set *ss, const struct rk_time *t)
{
	const struct time_axis *a = &ss->frame.time;
	size_t *foff = ecalloc(ss->text_nfields, sizeof *foff);
	struct csv_row row;
	char buf[64] = "", *line;
	int n;

	if (a->nf == 2) {
		n = snprintf(buf + 1, sizeof buf - 1, "%04d", t->y);
		snprintf(buf + n + 2, sizeof buf - (size_t)n - 2, "%0*d",
		         a->fmt.mwidth, t->mo);
		foff[a->field[1]] = (size_t)n + 2;
	} else {
		tax_format(a, buf + 1, t, ss->out_delim);
	}
	foff[a->field[0]] = 1;
	row.line = 0;
	row.nf = ss->text_nfields;
	row.buf = buf;
	row.foff = foff;
	line = join_cells(&row, ss->text_nfields, ss->out_delim);
	free(foff);
	return line;
}

int
series_time_at(const struct series_set *ss, size_t i, size_t row, size_t h,
               struct rk_time *t)
{
	const struct time_axis *a = &ss->frame.time;

	size_t rows = ss->s[i].rows;

	if (!a->nf || !rows)
		return -1;
	if (row + h < rows) {
		*t = ss->time[i][row + h];
		return 0;
	}
	if (a->step.unit == RK_STEP_NONE)
		return -1;
	return tax_after(a, t, &ss->time[i][rows - 1],
	                 (long long)(row + h - (rows - 1)));
}

/* One file: every row through the frame, its values (NaN for a missing
 * one) and its time. m: the columns are the model's inputs; else from the
 * options, and the same as the first file's (not first). */
static void
load_one(struct series_set *ss, size_t i, const char *path,
         const struct csv_opts *co, const struct series_opts *so,
         const struct rnnm *m, struct frame *f)
{
	struct table *t = &ss->s[i];
	struct rk_in in;
	struct csv_reader r;
	const struct csv_row *row;
	struct frame *g = f;
	size_t cap = 0, k;

	memset(t, 0, sizeof *t);
	rk_in_eopen(&in, path);
	t->name = estrdup(in.name);
	csvr_init(&r, &in, co);
	if (!csvr_start(&r))
		die_at(t->name, 0, 0, "no data (empty input)");
	row = csvr_next_row(&r);
	if (!row)
		die_at(t->name, r.header ? 1 : 0, 0, "header but no data rows");
	if (m) {
		frame_init_model(f, &r, row, m, so);
	} else {
		/* the first file says whether the target holds labels */
		struct series_opts o1 = *so;

		if (i > 0)
			o1.labels = ss->frame.labelled ? RK_LABELS_YES :
			            RK_LABELS_NO;
		frame_init(f, &r, row, &o1);
	}
	f->labels = &ss->labels;
	f->grow = !m;
	f->skip = so->unknown_skip;
	f->hint = so->unknown_hint;
	if (i > 0) {
		if (g->ncols != ss->frame.ncols || g->nin != ss->frame.nin)
			die_at(t->name, 1, 0, "series has %zu column%s, %s has "
			       "%zu", g->ncols, plural(g->ncols), ss->frame.file,
			       ss->frame.ncols);
		if (g->named && ss->frame.named)
			for (k = 0; k < g->ncols; k++)
				if (strcmp(g->name[k], ss->frame.name[k]))
					die_at(t->name, 1, g->field[k] + 1, "column "
					       "'%s' is '%s' in %s", g->name[k],
					       ss->frame.name[k], ss->frame.file);
		if (!g->time.nf != !ss->frame.time.nf)
			die_at(t->name, 0, 0, "series has %s time column, %s "
			       "has %s", g->time.nf ? "a" : "no",
			       ss->frame.file, g->time.nf ? "none" : "one");
	}
	if (so->keep_text && i == 0) {
		ss->text_names = emalloc(emul(r.ncols, sizeof *ss->text_names));
		ss->text_nfields = r.ncols;
		for (k = 0; k < r.ncols; k++) {
			if (r.header) {
				ss->text_names[k] = estrdup(r.header[k]);
			} else {
				ss->text_names[k] = emalloc(24);
				snprintf(ss->text_names[k], 24, "x%zu", k + 1);
			}
		}
	}
	t->cols = f->ncols;
	for (; row; row = csvr_next_row(&r)) {
		/* with a time column, the times show the missing rows */
		if (f->time.nf && row->nf == 0)
			continue;
		if (t->rows == cap) {
			cap = cap ? cap * 2 : 64;
			t->v = ereallocarray(t->v, emul(cap, t->cols), sizeof *t->v);
			t->line = ereallocarray(t->line, cap, sizeof *t->line);
			if (so->keep_text)
				ss->text[i] = ereallocarray(ss->text[i], cap,
				                            sizeof *ss->text[i]);
			if (f->time.nf)
				ss->time[i] = ereallocarray(ss->time[i], cap,
				                            sizeof *ss->time[i]);
		}
		if (f->time.nf)
			tax_read(&f->time, &r, row, &ss->time[i][t->rows]);
		frame_values(f, &r, row, t->v + t->rows * t->cols);
		if (so->keep_text)
			ss->text[i][t->rows] = join_cells(row, r.ncols,
			                                  ss->out_delim);
		t->line[t->rows++] = row->line;
	}
	csvr_release(&r);
	rk_in_close(&in);
}

/* Rows of every value missing where the clock has no row (or the error,
 * by default), then the missing values filled. */
static void
fill_one(struct series_set *ss, size_t i, const struct frame *f,
         const struct series_opts *so)
{
	struct table *t = &ss->s[i];
	struct rk_time *tm = ss->time[i], *ntm;
	size_t r, j, out, nc = t->cols, add = 0, *nline, kept;
	long long k, g;
	double *nv;
	char **ntext = NULL;
	unsigned char *putin = NULL;    /* rows put in for a missing step */

	for (r = 1; f->time.nf && r < t->rows; r++) {
		k = tax_missing(&f->time, t->name, t->line[r], &tm[r - 1],
		                &tm[r], r);
		if (k > 0 && f->missing == RK_MISS_ERROR)
			tax_gap_die(&f->time, t->name, t->line[r], &tm[r - 1],
			            &tm[r], k);
		add += (size_t)k;
	}
	if (add) {
		nv = emalloc(emul(emul(t->rows + add, nc), sizeof *nv));
		nline = emalloc(emul(t->rows + add, sizeof *nline));
		ntm = emalloc(emul(t->rows + add, sizeof *ntm));
		if (so->keep_text)
			ntext = emalloc(emul(t->rows + add, sizeof *ntext));
		putin = ecalloc(t->rows + add, 1);
		for (r = out = 0; r < t->rows; r++) {
			k = r ? tax_missing(&f->time, t->name, t->line[r],
			                    &tm[r - 1], &tm[r], r) : 0;
			for (g = 1; g <= k; g++, out++) {
				for (j = 0; j < nc; j++)
					nv[out * nc + j] = NAN;
				nline[out] = t->line[r];
				tax_after(&f->time, &ntm[out], &tm[r - 1], g);
				putin[out] = 1;
				if (ntext)
					ntext[out] = series_time_text(ss, &ntm[out]);
			}
			memcpy(nv + out * nc, t->v + r * nc, nc * sizeof *nv);
			nline[out] = t->line[r];
			ntm[out] = tm[r];
			if (ntext)
				ntext[out] = ss->text[i][r];
			out++;
		}
		free(t->v);
		free(t->line);
		free(ss->time[i]);
		t->v = nv;
		t->line = nline;
		ss->time[i] = ntm;
		if (ntext) {
			free(ss->text[i]);
			ss->text[i] = ntext;
		}
		t->rows = out;
	}
	/* --align writes the input rows drop leaves out */
	for (r = kept = 0; so->keep_text && f->missing == RK_MISS_DROP &&
	     r < t->rows; r++) {
		for (j = 0; j < nc && !isnan(t->v[r * nc + j]); j++)
			;
		if (j == nc) {
			kept++;
		} else if (!putin || !putin[r]) {
			ss->dropped[i] = ereallocarray(ss->dropped[i],
			        ss->ndropped[i] + 1, sizeof *ss->dropped[i]);
			ss->dropped[i][ss->ndropped[i]].text =
				estrdup(ss->text[i][r]);
			ss->dropped[i][ss->ndropped[i]++].before = kept;
		}
	}
	free(putin);
	t->rows = frame_fill(f, t->v, t->line, t->rows, so->quiet,
	                     so->keep_text ? ss->text[i] : NULL, ss->time[i]);
}

/* The labels read in their order (labels.h), and the label column's
 * class indexes with them. */
static void
sort_labels(struct series_set *ss)
{
	size_t *map = emalloc(emul(ss->labels.n ? ss->labels.n : 1,
	                           sizeof *map));
	size_t i, r, c = ss->frame.label;
	double *v;

	rk_labels_sort(&ss->labels, map);
	for (i = 0; i < ss->n; i++)
		for (r = 0; r < ss->s[i].rows; r++) {
			v = &ss->s[i].v[r * ss->s[i].cols + c];
			*v = (double)map[(size_t)*v];
		}
	free(map);
}

static int
cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

/* The most frequent positive difference between consecutive times of
 * all the series, in months or seconds (unit); 0: none. */
static long long
common_step(const struct series_set *ss, enum rk_stepunit unit)
{
	size_t i, r, n = 0, j, run, best = 0;
	long long *d, mode = 0, x;

	for (i = 0; i < ss->n; i++)
		n += ss->s[i].rows ? ss->s[i].rows - 1 : 0;
	d = emalloc(emul(n ? n : 1, sizeof *d));
	for (i = n = 0; i < ss->n; i++)
		for (r = 1; r < ss->s[i].rows; r++) {
			x = unit == RK_STEP_MONTHS ?
			    ss->time[i][r].mon - ss->time[i][r - 1].mon :
			    ss->time[i][r].sec - ss->time[i][r - 1].sec;
			if (x > 0)
				d[n++] = x;
		}
	qsort(d, n, sizeof *d, cmp_ll);
	for (j = 0; j < n; j += run) {
		for (run = 1; j + run < n && d[j + run] == d[j]; run++)
			;
		if (run > best) {
			best = run;
			mode = d[j];
		}
	}
	free(d);
	return mode;
}

/* With no step found (rnnkit(7), "Time column"): when all but a few
 * differences between consecutive times (at most 2, or a tenth) are
 * whole numbers of their most frequent one, in months or in seconds, a
 * warning names the first row off that grid and the step the others
 * follow. The series keeps no step. */
static void
warn_off_grid(const struct series_set *ss)
{
	const struct time_axis *a = &ss->frame.time;
	enum rk_stepunit units[2] = { RK_STEP_MONTHS, RK_STEP_SECONDS };
	struct rk_tstep st, best = { RK_STEP_NONE, 0, 0 };
	size_t u, i, r, bad, nd = 0, least = (size_t)-1, bi = 0, br = 0;
	size_t fi = 0, fr = 0;
	char tb[48], sb[32];

	for (i = 0; i < ss->n; i++)
		nd += ss->s[i].rows ? ss->s[i].rows - 1 : 0;
	for (u = 0; u < 2; u++) {
		memset(&st, 0, sizeof st);
		st.unit = units[u];
		if (!(st.n = common_step(ss, st.unit)))
			continue;
		for (i = bad = 0; i < ss->n; i++)
			for (r = 1; r < ss->s[i].rows; r++)
				if (rk_time_steps(&ss->time[i][r - 1],
				                  &ss->time[i][r], &st) ==
				    LLONG_MIN && !bad++) {
					fi = i;
					fr = r;
				}
		if (bad && bad < least) {
			least = bad;
			best = st;
			bi = fi;
			br = fr;
		}
	}
	if (best.unit == RK_STEP_NONE || (least > 2 && least * 10 > nd))
		return;
	/* the first difference off the grid: its row, or the row before
	 * when that is the first and the next difference is on it */
	if (br == 1 && ss->s[bi].rows > 2 &&
	    rk_time_steps(&ss->time[bi][1], &ss->time[bi][2], &best) !=
	    LLONG_MIN)
		br = 0;
	warnf("warning: %s:%zu: time %s is off the step of %s the other "
	      "times follow; the series has no time step (no gaps found, "
	      "no season from it)", ss->s[bi].name, ss->s[bi].line[br],
	      tax_format(a, tb, &ss->time[bi][br], ss->out_delim),
	      rk_tstep_name(sb, &best));
}

static void
load_all(struct series_set *ss, char *const *paths, size_t n,
         const struct csv_opts *o, const struct series_opts *so,
         const struct rnnm *m)
{
	struct csv_opts co;
	struct frame *fr = ecalloc(n, sizeof *fr);
	struct time_axis *a = &ss->frame.time;
	size_t i, k, *rows;

	frame_csv_opts(&co, o);
	memset(ss, 0, sizeof *ss);
	if (m)
		rk_labels_copy(&ss->labels, &m->labels);
	ss->n = n;
	ss->s = ecalloc(n, sizeof *ss->s);
	ss->z = ecalloc(n, sizeof *ss->z);
	ss->text = ecalloc(n, sizeof *ss->text);
	ss->dropped = ecalloc(n, sizeof *ss->dropped);
	ss->ndropped = ecalloc(n, sizeof *ss->ndropped);
	ss->time = ecalloc(n, sizeof *ss->time);
	ss->out_delim = o->delim ? o->delim : ',';
	for (i = 0; i < n; i++)
		load_one(ss, i, paths[i], &co, so, m, i ? &fr[i] : &ss->frame);
	/* the clock: the model's, else the step of all the series' times */
	if (a->nf && !a->model_step) {
		rows = emalloc(emul(n, sizeof *rows));
		for (i = 0; i < n; i++)
			rows[i] = ss->s[i].rows;
		rk_tstep_detect(&a->step, &a->fmt, ss->time, rows, n);
		free(rows);
		if (a->step.unit == RK_STEP_NONE && !so->quiet)
			warn_off_grid(ss);
	}
	for (i = 1; i < n; i++)
		fr[i].time.step = a->step;
	for (i = 0; i < n; i++) {
		fill_one(ss, i, i ? &fr[i] : &ss->frame, so);
		if (i)
			frame_release(&fr[i]);
	}
	free(fr);
	if (!m && ss->frame.labelled)
		sort_labels(ss);
	ss->ncols = ss->frame.ncols;
	ss->nin = ss->frame.nin;
	ss->named = ss->frame.named;
	ss->names = ecalloc(ss->ncols, sizeof *ss->names);
	for (k = 0; k < ss->ncols; k++)
		ss->names[k] = estrdup(ss->frame.name[k]);
}

void
series_load(struct series_set *ss, char *const *paths, size_t n,
            const struct csv_opts *o, const struct series_opts *so)
{
	load_all(ss, paths, n, o, so, NULL);
}

void
series_load_model(struct series_set *ss, char *const *paths, size_t n,
                  const struct csv_opts *o, const struct series_opts *so,
                  const struct rnnm *m)
{
	load_all(ss, paths, n, o, so, m);
}

void
series_to_model(const struct series_set *ss, struct rnnm *m)
{
	frame_to_model(&ss->frame, m);
}

void
series_release(struct series_set *ss)
{
	size_t i, k;

	for (i = 0; i < ss->n; i++) {
		for (k = 0; ss->text[i] && k < ss->s[i].rows; k++)
			free(ss->text[i][k]);
		free(ss->text[i]);
		for (k = 0; ss->dropped && k < ss->ndropped[i]; k++)
			free(ss->dropped[i][k].text);
		if (ss->dropped)
			free(ss->dropped[i]);
		table_release(&ss->s[i]);
		free(ss->z[i]);
		if (ss->time)
			free(ss->time[i]);
	}
	for (k = 0; k < ss->text_nfields; k++)
		free(ss->text_names[k]);
	free(ss->text_names);
	free(ss->text);
	free(ss->dropped);
	free(ss->ndropped);
	free(ss->time);
	for (i = 0; i < ss->ncols; i++)
		free(ss->names[i]);
	free(ss->names);
	frame_release(&ss->frame);
	rk_labels_release(&ss->labels);
	free(ss->s);
	free(ss->z);
	memset(ss, 0, sizeof *ss);
}

size_t
series_targets(const struct series_set *ss, const char *spec, size_t **targets)
{
	size_t n = 0, k, cap;
	char *copy, *tok, *save = NULL, *end;
	unsigned long idx;
	long c;

	if (!spec) {
		*targets = emalloc(emul(ss->nin, sizeof **targets));
		for (k = 0; k < ss->nin; k++)
			(*targets)[k] = k;
		return ss->nin;
	}
	cap = strlen(spec) + 1;
	*targets = emalloc(emul(cap, sizeof **targets));
	copy = estrdup(spec);
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		for (k = 0; k < ss->ncols; k++)
			if (!strcmp(tok, ss->names[k]))
				break;
		if (k == ss->ncols) {
			/* a 1-based field number, as in the file */
			idx = strtoul(tok, &end, 10);
			c = *tok >= '0' && *tok <= '9' && !*end && idx >= 1 ?
			    frame_col(&ss->frame, idx - 1) : -1;
			if (c < 0)
				die_at(ss->s[0].name, ss->named ? 1 : 0, 0,
				       "no column '%s' for --target (%zu "
				       "columns%s%s)", tok, ss->frame.nfields,
				       ss->named ? ", first " : "",
				       ss->named ? ss->names[0] : "");
			k = (size_t)c;
		}
		for (idx = 0; idx < n; idx++)
			if ((*targets)[idx] == k)
				usage_error("--target names column '%s' twice",
				            qname(ss, k));
		(*targets)[n++] = k;
	}
	free(copy);
	if (!n)
		usage_error("--target names no column");
	return n;
}

void
series_windows(const struct series_set *ss, size_t W, size_t H, size_t K,
               size_t lag, double val_frac, struct window **train,
               size_t *ntrain, struct window **val, size_t *nval,
               size_t **fit_rows)
{
	size_t i, j, nw, nv, total = 0;
	char hname[48];

	if (K > 1)
		snprintf(hname, sizeof hname, "1-%zu", K);
	else
		snprintf(hname, sizeof hname, "%zu", H);
	if (K > 1)
		H = K;          /* the rows a window's targets reach */
	for (i = 0; i < ss->n; i++) {
		if (ss->s[i].rows < lag + W + H) {
			char also[128] = "";

			if (lag == 1)
				snprintf(also, sizeof also, "; the window's "
				         "first row is history for the "
				         "transform");
			else if (lag)
				snprintf(also, sizeof also, "; the window's "
				         "first %zu rows are history for the "
				         "transform", lag);
			die_at(ss->s[i].name, 0, 0, "series has %zu row%s, too "
			       "short for --window %zu and --horizon %s "
			       "(needs %zu%s)", ss->s[i].rows,
			       plural(ss->s[i].rows), lag + W, hname,
			       lag + W + H, also);
		}
		total += ss->s[i].rows - lag - W - H + 1;
	}
	*train = emalloc(emul(total, sizeof **train));
	*val = emalloc(emul(total, sizeof **val));
	*fit_rows = emalloc(emul(ss->n, sizeof **fit_rows));
	*ntrain = *nval = 0;
	for (i = 0; i < ss->n; i++) {
		nw = ss->s[i].rows - lag - W - H + 1;
		nv = (size_t)floor(val_frac * (double)nw + 0.5);
		if (val_frac > 0 && nv == 0)
			nv = 1;
		if (nv >= nw)
			die_at(ss->s[i].name, 0, 0, "--val %g leaves no training "
			       "windows (%zu window%s)", val_frac, nw,
			       plural(nw));
		for (j = 0; j < nw; j++) {
			struct window w = { i, lag + j };

			if (j < nw - nv)
				(*train)[(*ntrain)++] = w;
			else
				(*val)[(*nval)++] = w;
		}
		(*fit_rows)[i] = lag + (nw - nv - 1) + W - 1 + H + 1;
	}
}

/* The transformed value of column k at row r >= lag of series i (dies
 * on the log of a value <= 0 there or in its history). */
static double
tvalue(const struct series_set *ss, const struct rnnm *m, size_t i, size_t r,
       size_t k)
{
	size_t j;
	double y = 0;

	if (rk_tf_identity(&m->tf))
		return ss->s[i].v[r * ss->ncols + k];
	/* a logarithm's error at the first line: the oldest level first */
	for (j = m->tf.lag; rk_tf_is_log(&m->tf) && j > 0; j--)
		if (m->tf.c[j] != 0)
			series_level(ss, m, i, r - j, k);
	for (j = 0; j <= m->tf.lag; j++)
		if (m->tf.c[j] != 0)
			y += m->tf.c[j] * series_level(ss, m, i, r - j, k);
	return y;
}

void
series_level_die(const struct series_set *ss, const struct rnnm *m, size_t i,
                 size_t r, size_t k)
{
	const struct table *t = &ss->s[i];

	rk_tf_level_die(&m->tf, t->name, t->line[r], ss->frame.field[k] + 1,
	                qname(ss, k), t->v[r * ss->ncols + k]);
}

double
series_level(const struct series_set *ss, const struct rnnm *m, size_t i,
             size_t r, size_t k)
{
	double u;

	if (rk_tf_level(&m->tf, ss->s[i].v[r * ss->ncols + k], &u) < 0)
		series_level_die(ss, m, i, r, k);
	return u;
}

/* Row r of series i, column k: its FILE:LINE:COLUMN (65). */
#define DIE_CELL(ss, i, r, k, ...) \
	die_at((ss)->s[i].name, (ss)->s[i].line[r], \
	       (ss)->frame.field[k] + 1, __VA_ARGS__)

/* Whether column k of m is one of its targets */
static int
col_is_target(const struct rnnm *m, size_t k)
{
	size_t j;

	for (j = 0; j < m->ntargets; j++)
		if (m->targets[j] == k)
			return 1;
	return 0;
}

void
series_fit_scaling(const struct series_set *ss, const size_t *fit_rows,
                   struct rnnm *m)
{
	size_t i, r, k, j, n = 0, nv, nc = ss->ncols;
	double *v, d, *lo, *hi, *big, ref, p, sum, var, mean;
	char b1[32], b2[32], tf_what[64];
	int e, flat, tf = !rk_tf_identity(&m->tf);

	for (i = 0; i < ss->n; i++)
		n += fit_rows[i] - m->tf.lag;
	v = emalloc(emul(n ? n : 1, emul(nc, sizeof *v)));
	lo = emalloc(emul(nc, sizeof *lo));
	hi = emalloc(emul(nc, sizeof *hi));
	big = ecalloc(nc, sizeof *big);
	if (tf)
		snprintf(tf_what, sizeof tf_what, "the --transform=%s%s "
		         "values of ", rk_transform_name(m->tf.kind),
		         m->tf.period > 1 ? " --period" : "");
	for (k = 0; k < nc; k++) {
		lo[k] = INFINITY;
		hi[k] = -INFINITY;
	}
	/* the values, row by row (an error at the first line), and their
	 * ranges: a value whose transform, or whose distance to an earlier
	 * one, is not a finite double has no scaling */
	for (i = nv = 0; i < ss->n; i++)
		for (r = m->tf.lag; r < fit_rows[i]; r++, nv++)
			for (k = 0; k < nc; k++) {
				d = v[nv * nc + k] = tvalue(ss, m, i, r, k);
				if (!isfinite(d))
					DIE_CELL(ss, i, r, k, "--transform=%s "
					         "of column '%s' is too large for "
					         "a double here",
					         rk_transform_name(m->tf.kind),
					         qname(ss, k));
				lo[k] = d < lo[k] ? d : lo[k];
				hi[k] = d > hi[k] ? d : hi[k];
				if (!isfinite(hi[k] - lo[k]))
					DIE_CELL(ss, i, r, k, "%s%s'%s' "
					         "span%s %s to %s, a range too "
					         "large for a double", tf ?
					         tf_what : "", tf ? "" :
					         "column ", qname(ss, k),
					         tf ? "" : "s",
					         rk_fmt_double(b1, lo[k]),
					         rk_fmt_double(b2, hi[k]));
				big[k] = fabs(d) > big[k] ? fabs(d) : big[k];
			}
	for (k = 0; k < nc; k++) {
		if (m->net.cfg.loss == RNN_LOSS_CE && k == m->targets[0]) {
			/* class indexes stay as they are */
			m->shift[k] = 0;
			m->scale[k] = 1;
			continue;
		}
		/* the magnitude of the levels they come from: a spread of
		 * no more than RK_TF_FLAT times it is rounding noise, a
		 * constant column (transform.h) */
		ref = big[k];
		for (i = 0; tf && i < ss->n; i++)
			for (r = 0; r < fit_rows[i]; r++) {
				d = fabs(series_level(ss, m, i, r, k));
				ref = d > ref ? d : ref;
			}
		flat = hi[k] - lo[k] <= RK_TF_FLAT * ref;
		/* mean and deviation of the values over a power of two
		 * near the largest: the same bits, without overflow */
		frexp(big[k], &e);
		p = ldexp(1, -e);
		for (j = 0, sum = 0; j < nv; j++)
			sum += v[j * nc + k] * p;
		mean = sum / (double)n;
		for (j = 0, var = 0; j < nv; j++)
			var += (v[j * nc + k] * p - mean) *
			       (v[j * nc + k] * p - mean);
		var /= (double)n;
		switch (m->scaling) {
		case RK_SCALE_ZSCORE:
			m->shift[k] = mean / p;
			m->scale[k] = sqrt(var) / p;
			break;
		case RK_SCALE_MINMAX:
			m->shift[k] = lo[k];
			m->scale[k] = hi[k] - lo[k];
			break;
		case RK_SCALE_NONE:
			m->shift[k] = 0;
			m->scale[k] = 1;
			break;
		}
		/* a target constant, or of a spread of rounding noise: 1/64
		 * of the bound, so that an output of the net under 32 moves
		 * no digit rnn-predict prints (rnnm_predicted); an input
		 * only: 1, so that a value that leaves the constant later is
		 * no huge input */
		if (flat && m->scaling != RK_SCALE_NONE)
			m->scale[k] = col_is_target(m, k) ?
			              RK_TF_FLAT * ref / 64 : 1;
		if (!(m->scale[k] > 0))
			m->scale[k] = 1;        /* a constant column */
	}
	free(v);
	free(lo);
	free(hi);
	free(big);
}

double
rnnm_scale(const struct rnnm *m, size_t col, double x)
{
	return (x - m->shift[col]) / m->scale[col];
}

double
rnnm_unscale(const struct rnnm *m, size_t k, double z)
{
	size_t col = m->targets[k];

	return z * m->scale[col] + m->shift[col];
}

double
rnnm_predicted(const struct rnnm *m, size_t k, double z, const double *prev,
               size_t stride, double *res, double *level)
{
	double u = rk_tf_invert(&m->tf, rnnm_unscale(m, k, z), prev, stride);
	double x = rk_tf_unlevel(&m->tf, u);

	if (level)
		*level = u;
	if (res && rk_tf_is_log(&m->tf))
		*res *= x;
	/* digits below RK_TF_FLAT of the value are the doubles' rounding
	 * (a flat column's scale is that small, transform.h) */
	if (res && *res < RK_TF_FLAT * fabs(x))
		*res = RK_TF_FLAT * fabs(x);
	return x;
}

void
series_apply_scaling(struct series_set *ss, const struct rnnm *m)
{
	size_t i, r, k, nc = ss->ncols;

	for (i = 0; i < ss->n; i++) {
		const struct table *t = &ss->s[i];

		free(ss->z[i]);
		ss->z[i] = emalloc(emul(emul(t->rows, nc), sizeof **ss->z));
		/* the first lag rows are history, never a window's */
		for (r = 0; r < t->rows; r++)
			for (k = 0; k < nc; k++) {
				double y, z;
				char b1[32], b2[32], b3[32];

				if (r < m->tf.lag) {
					ss->z[i][r * nc + k] = 0;
					continue;
				}
				y = tvalue(ss, m, i, r, k);
				z = rnnm_scale(m, k, y);
				/* the net squares its errors in rk_real */
				if (!(fabs(z) <= RK_SCALED_MAX) &&
				    !rk_tf_identity(&m->tf))
					DIE_CELL(ss, i, r, k, "%s in column "
					         "'%s' is too large for the net "
					         "after --transform %s: %s, %s "
					         "once scaled, over %g",
					         rk_fmt_double(b1, t->v[r * nc +
					         k]), qname(ss, k),
					         rk_transform_name(m->tf.kind),
					         rk_fmt_double(b3, y),
					         rk_fmt_double(b2, z),
					         RK_SCALED_MAX);
				if (!(fabs(z) <= RK_SCALED_MAX))
					DIE_CELL(ss, i, r, k, "%s in column "
					         "'%s' is too large for the net: "
					         "%s once scaled, over %g",
					         rk_fmt_double(b1, t->v[r * nc +
					         k]), qname(ss, k),
					         rk_fmt_double(b2, z),
					         RK_SCALED_MAX);
				ss->z[i][r * nc + k] = z;
			}
	}
}

void
series_check_model(const struct series_set *ss, const struct rnnm *m)
{
	size_t k;
	char q0[RK_QUOTE_BUF];

	if (ss->ncols != m->ncols || ss->nin != (size_t)m->net.cfg.nin)
		die_at(ss->s[0].name, ss->s[0].line[0], 0, "data has %zu "
		       "columns but the model takes %zu (%s%s)", ss->ncols,
		       m->ncols, rk_quote(q0, m->colname[0], (size_t)-1),
		       m->ncols > 1 ? ", ..." : "");
	if (ss->named && m->named)
		for (k = 0; k < ss->ncols; k++)
			if (strcmp(ss->names[k], m->colname[k])) {
				char q1[RK_QUOTE_BUF], q2[RK_QUOTE_BUF];

				die_at(ss->s[0].name, 1, k + 1, "column '%s' "
				       "does not match the model's '%s'",
				       rk_quote(q1, ss->names[k], (size_t)-1),
				       rk_quote(q2, m->colname[k], (size_t)-1));
			}
}

void
series_predict(const struct series_set *ss, size_t i, const struct rnnm *m,
               rk_real *y, double *base, int nthreads)
{
	enum { MAXB = 256 };
	size_t W = m->window, d = m->tf.lag, j, B, b, k;
	size_t n = ss->s[i].rows - d - W + 1;
	size_t nin = ss->nin, nt = (size_t)m->net.cfg.nout, nc = ss->ncols;
	struct window w[MAXB];
	struct rnnm_work *work = rnnm_work_new(m, MAXB, (int)W, nthreads);
	rk_real *x;

	if (!work)
		die(EX_SOFTWARE, "out of memory");
	x = emalloc(emul(emul(MAXB, W), emul(nin, sizeof *x)));
	for (j = 0; j < n; j += B) {
		B = n - j < MAXB ? n - j : MAXB;
		for (b = 0; b < B; b++) {
			w[b].series = i;
			w[b].start = d + j + b;
		}
		series_gather(ss, m, w, B, x, NULL);
		rnnm_forward(m, work, y + j * nt, x, (int)B, (int)W);
		for (b = 0; base && b < B; b++)
			for (k = 0; k < nt; k++)
				base[(j + b) * nt + k] = k < m->ntargets ?
					rnnm_window_base(m, ss->z[i] +
					w[b].start * nc, nc, k) : 0;
	}
	rnnm_work_free(work);
	free(x);
}

/* Are a direct model's targets means of the steps' changes (a first
 * difference), not each step's value? */
static int
direct_mean(const struct rnnm *m)
{
	return rk_tf_diffs(m->tf.kind) > 0;
}

void
rnnm_direct(const struct rnnm *m, const rk_real *y, double *lev, size_t nc,
            double *ty, double *x, double *res)
{
	size_t h, k, col, nt = m->ntargets, K = m->steps, d = m->tf.lag;
	double prev = 0, cur, u;
	float z;

	for (k = 0; k < nt; k++) {
		col = m->targets[k];
		for (h = 1; h <= K; h++) {
			z = (float)y[(h - 1) * nt + k];
			cur = rnnm_unscale(m, k, (double)z);
			if (direct_mean(m)) {
				/* the sum of the h steps' changes */
				cur *= (double)h;
				ty[(h - 1) * nt + k] = cur - (h > 1 ? prev : 0);
				prev = cur;
			} else {
				ty[(h - 1) * nt + k] = cur;
			}
			u = rk_tf_invert(&m->tf, ty[(h - 1) * nt + k], d ?
			                 lev + (d + h - 2) * nc + col : NULL, nc);
			if (d)
				lev[(d + h - 1) * nc + col] = u;
			x[(h - 1) * nt + k] = rk_tf_unlevel(&m->tf, u);
			if (res) {
				double r = rk_float_res(z) * m->scale[col];

				if (direct_mean(m))
					r *= (double)h;
				if (rk_tf_is_log(&m->tf))
					r *= x[(h - 1) * nt + k];
				if (r < RK_TF_FLAT * fabs(x[(h - 1) * nt + k]))
					r = RK_TF_FLAT *
					    fabs(x[(h - 1) * nt + k]);
				res[(h - 1) * nt + k] = r;
			}
		}
	}
}

void
series_forecast_direct(const struct series_set *ss, size_t i, size_t t,
                       const struct rnnm *m, size_t N, double *x,
                       double *res)
{
	size_t W = m->window, K = m->steps, nt = m->ntargets, no = K * nt;
	size_t nc = ss->ncols, nin = ss->nin, d = m->tf.lag, done, h, k, n;
	struct window w0;
	struct rnnm_work *work = rnnm_work_new(m, 1, (int)W, 1);
	rk_real *xin, *y;
	double *lev, *ty, *xv, *rv;

	if (!work)
		die(EX_SOFTWARE, "out of memory");
	xin = emalloc(emul(W, emul(nin, sizeof *xin)));
	y = emalloc(emul(no, sizeof *y));
	ty = emalloc(emul(no, sizeof *ty));
	xv = emalloc(emul(no, sizeof *xv));
	rv = emalloc(emul(no, sizeof *rv));
	w0.series = i;
	w0.start = t + 1 - W;
	series_gather(ss, m, &w0, 1, xin, NULL);
	/* the levels of rows t-d+1..t, then the block's (rnnm_direct) */
	lev = emalloc(emul(d + K, emul(nc, sizeof *lev)));
	for (h = 0; h < d; h++)
		for (k = 0; k < nt; k++)
			lev[h * nc + m->targets[k]] = series_level(ss, m, i,
			        t + 1 - d + h, m->targets[k]);
	for (done = 0;; done += K) {
		rnnm_forward(m, work, y, xin, 1, (int)W);
		rnnm_direct(m, y, lev, nc, ty, xv, rv);
		n = N - done < K ? N - done : K;
		memcpy(x + done * nt, xv, n * nt * sizeof *x);
		if (res)
			memcpy(res + done * nt, rv, n * nt * sizeof *res);
		if (done + K >= N)
			break;
		/* the K predicted rows as data (nt == nin here), the
		 * window's last W rows */
		if (K < W)
			memmove(xin, xin + K * nin, (W - K) * nin * sizeof *xin);
		for (h = K > W ? K - W : 0; h < K; h++)
			for (k = 0; k < nin; k++)
				xin[(W - K + h) * nin + k] = (rk_real)rnnm_scale(m,
				        k, ty[h * nt + k]);
		memmove(lev, lev + K * nc, d * nc * sizeof *lev);
	}
	rnnm_work_free(work);
	free(xin);
	free(y);
	free(ty);
	free(xv);
	free(rv);
	free(lev);
}

void
rnnm_window_x(const struct rnnm *m, rk_real *x, const double *z, size_t nc)
{
	size_t W = m->window, nin = (size_t)m->net.cfg.nin, t, c;
	const double *last = z + (W - 1) * nc;

	for (t = 0; t < W; t++)
		for (c = 0; c < nin; c++)
			x[t * nin + c] = (rk_real)(m->normalize == RK_NORM_WINDOW ?
			                           z[t * nc + c] - last[c] :
			                           z[t * nc + c]);
}

double
rnnm_window_base(const struct rnnm *m, const double *z, size_t nc, size_t k)
{
	return rnnm_ar_value(m, z, nc, k) + (m->normalize == RK_NORM_WINDOW ?
	       z[(m->window - 1) * nc + m->targets[k]] : 0);
}

void
series_gather(const struct series_set *ss, const struct rnnm *m,
              const struct window *w, size_t B, rk_real *x, rk_real *target)
{
	size_t b, W = m->window, nc = ss->ncols, nin = ss->nin, k;

	for (b = 0; b < B; b++) {
		const double *z = ss->z[w[b].series] + w[b].start * nc;

		rnnm_window_x(m, x + b * W * nin, z, nc);
		if (target && m->net.cfg.loss == RNN_LOSS_CE) {
			/* one-hot; none (a row of 0) for a label not known */
			size_t no = (size_t)m->net.cfg.nout;
			double c = z[(W - 1 + m->horizon) * nc + m->targets[0]];

			for (k = 0; k < no; k++)
				target[b * no + k] = (rk_real)(c == (double)k);
		} else if (target && m->steps == 1) {
			const double *row = z + (W - 1 + m->horizon) * nc;

			for (k = 0; k < m->ntargets; k++)
				target[b * m->ntargets + k] = (rk_real)
					(row[m->targets[k]] -
					 rnnm_window_base(m, z, nc, k));
		} else if (target) {
			/* (--normalize none: rnn-train refuses window) */
			size_t h, nt = m->ntargets;
			int mean = direct_mean(m);

			for (k = 0; k < nt; k++) {
				double sum = 0;

				for (h = 1; h <= m->steps; h++) {
					double v = z[(W - 1 + h) * nc +
					             m->targets[k]];

					sum += v;
					target[(b * m->steps + h - 1) * nt + k] =
						(rk_real)(mean ? sum / (double)h :
						          v);
				}
			}
		}
	}
}

void
series_gather_seq(const struct series_set *ss, const struct rnnm *m,
                  const struct window *pos, size_t B, size_t T, rk_real *x,
                  rk_real *target)
{
	size_t b, t, k, nc = ss->ncols, nin = ss->nin, nt = m->ntargets;

	for (b = 0; b < B; b++)
		for (t = 0; t < T; t++) {
			const double *z = ss->z[pos[b].series] +
			                  (pos[b].start + t) * nc;
			rk_real *xr = x + (b * T + t) * nin;

			for (k = 0; k < nin; k++)
				xr[k] = (rk_real)z[k];
			if (target && m->net.cfg.loss == RNN_LOSS_CE) {
				/* one-hot; none for a label not known */
				size_t no = (size_t)m->net.cfg.nout;
				double c = z[m->horizon * nc + m->targets[0]];

				for (k = 0; k < no; k++)
					target[(b * T + t) * no + k] =
						(rk_real)(c == (double)k);
				continue;
			}
			for (k = 0; target && k < nt; k++)
				target[(b * T + t) * nt + k] = (rk_real)
					z[m->horizon * nc + m->targets[k]];
		}
}

/* x[0..n) over a power of two near its largest magnitude: the
 * statistics below are ratios, the same bits, and no square or
 * difference overflows. */
static void
pow2_normalize(double *x, size_t n)
{
	double big = 0, p;
	size_t r;
	int e;

	for (r = 0; r < n; r++)
		big = fabs(x[r]) > big ? fabs(x[r]) : big;
	frexp(big, &e);
	p = ldexp(1, -e);
	for (r = 0; r < n; r++)
		x[r] *= p;
}

/* The rows of series i that training windows touch (series_windows with
 * no transform); all of them for a series too short for a window. */
static size_t
train_rows(const struct series_set *ss, size_t i, size_t W, size_t H,
           double val_frac)
{
	size_t rows = ss->s[i].rows, nw, nv;

	if (rows < W + H)
		return rows;
	nw = rows - W - H + 1;
	nv = (size_t)floor(val_frac * (double)nw + 0.5);
	if (val_frac > 0 && nv == 0)
		nv = 1;
	if (nv >= nw)
		return rows;
	return nw - nv + W + H - 1;
}

size_t
series_auto_period(const struct series_set *ss, const size_t *targets,
                   size_t nt, char *why, size_t n)
{
	size_t i, j, r, P = 1, p, maxrows = 0;
	double best = 0, a, *x;

	for (i = 0; i < ss->n; i++)
		if (ss->s[i].rows > maxrows)
			maxrows = ss->s[i].rows;
	x = emalloc(emul(maxrows ? maxrows : 1, sizeof *x));
	for (i = 0; i < ss->n; i++)
		for (j = 0; j < nt; j++) {
			for (r = 0; r < ss->s[i].rows; r++)
				x[r] = ss->s[i].v[r * ss->ncols + targets[j]];
			pow2_normalize(x, ss->s[i].rows);
			p = rk_tf_acf_period(x, ss->s[i].rows, &a);
			if (p > 1 && a > best) {
				best = a;
				P = p;
			}
		}
	free(x);
	if (P > 1)
		snprintf(why, n, "%zu (the autocorrelation of the changes is "
		         "%.2f at lag %zu)", P, best, P);
	else
		snprintf(why, n, "1 (no time step, and no autocorrelation of "
		         "the changes above %g at a lag from 2 to a third of "
		         "the rows)", RK_TF_ACF_CRIT);
	return P;
}

double
series_auto_val(const struct series_set *ss, size_t W, size_t H, size_t lag,
                char *why, size_t n)
{
	size_t i, nw, least = (size_t)-1;

	for (i = 0; i < ss->n; i++) {
		nw = ss->s[i].rows >= lag + W + H ?
		     ss->s[i].rows - lag - W - H + 1 : 0;
		if (nw < least)
			least = nw;
	}
	if (least < RK_AUTO_VAL_MIN) {
		snprintf(why, n, "none (%s%zu window%s; a validation part "
		         "needs %d)", ss->n > 1 ? "a series has " : "", least,
		         plural(least), RK_AUTO_VAL_MIN);
		return 0;
	}
	snprintf(why, n, "the last %g%% of the windows", RK_AUTO_VAL * 100);
	return RK_AUTO_VAL;
}

size_t
series_auto_window(const struct series_set *ss, size_t P, size_t H,
                   char *why, size_t n)
{
	size_t i, minrows = (size_t)-1, want, bound, W;

	for (i = 0; i < ss->n; i++)
		if (ss->s[i].rows < minrows)
			minrows = ss->s[i].rows;
	want = P > 1 ? 2 * P : RK_AUTO_WINDOW;
	/* the steps of the net; the transform adds its history */
	bound = minrows > (P > 1 ? P : 0) + H ?
	        (minrows - (P > 1 ? P : 0) - H) / 2 : 0;
	if (want <= bound) {
		W = want;
		if (P > 1)
			snprintf(why, n, "2 periods of %zu", P);
		else
			snprintf(why, n, "%zu steps, no season", W);
		return W;
	}
	W = P > 1 && bound >= P ? bound / P * P : bound;
	if (W < 1)
		W = 1;
	snprintf(why, n, "%zu steps: %zu rows in the shortest series allow "
	         "no more than %zu", W, minrows, bound > 1 ? bound : 1);
	return W;
}

void
series_auto_transform(const struct series_set *ss, const size_t *targets,
                      size_t nt, size_t W, size_t H, size_t K,
                      double val_frac, size_t P, enum rk_transform *kind,
                      size_t *period, char *why, size_t n)
{
	double fmax = 0, eta = 0, eta_s = 0, eta_a = 0, *x, *adj;
	double rho = 0, rho_a = 0, rho_d = 0, *dx;
	size_t i, j, r, k, len, minrows = (size_t)-1, maxrows = 0;
	int seas, diff, diff2 = 0, short_, stationary = 0, naive = 0;
	char sp[128] = "", head[160], ratio[96], tail[96] = "";

	*kind = RK_TF_NONE;
	*period = 1;
	if (H > 1) {
		snprintf(why, n, "none (--horizon %zu: differences go with "
		         "--horizon 1 or 1-K)", H);
		return;
	}
	if (K > 1)
		H = K;          /* the rows a window's targets reach */
	for (j = 0; j < nt; j++)
		if (targets[j] >= ss->nin) {
			snprintf(why, n, "none (target '%s' is not an input)",
			         ss->names[targets[j]]);
			return;
		}
	for (i = 0; i < ss->n; i++) {
		if (ss->s[i].rows > maxrows)
			maxrows = ss->s[i].rows;
		if (ss->s[i].rows < minrows)
			minrows = ss->s[i].rows;
	}
	x = emalloc(emul(maxrows ? maxrows : 1, sizeof *x));
	adj = emalloc(emul(maxrows ? maxrows : 1, sizeof *adj));
	dx = emalloc(emul(maxrows ? maxrows : 1, sizeof *dx));
	for (i = 0; i < ss->n; i++) {
		len = train_rows(ss, i, W, H, val_frac);
		for (j = 0; j < nt; j++) {
			double e, f;

			k = targets[j];
			for (r = 0; r < len; r++)
				x[r] = ss->s[i].v[r * ss->ncols + k];
			pow2_normalize(x, len);
			e = rk_tf_kpss(x, len);
			if (e > eta)
				eta = e;
			/* short: KPSS has little power there */
			if (len < RK_TF_NAIVE_MAXROWS)
				naive = 1;
			e = len < RK_TF_NAIVE_MAXROWS ?
			    rk_tf_naive_ratio(x, len) : 0;
			if (e > rho)
				rho = e;
			/* a short series' first differences: a second? */
			if (len > 1 && len < RK_TF_NAIVE_MAXROWS) {
				for (r = 1; r < len; r++)
					dx[r - 1] = x[r] - x[r - 1];
				e = rk_tf_naive_ratio(dx, len - 1);
				if (e > rho_d)
					rho_d = e;
			}
			if (P < 2)
				continue;
			f = rk_tf_seasonal_adjust(x, len, P, adj);
			if (f > fmax)
				fmax = f;
			if (f > RK_TF_SEAS_CRIT) {
				e = rk_tf_kpss(adj, len);
				if (e > eta_a)
					eta_a = e;
				e = len < RK_TF_NAIVE_MAXROWS ?
				    rk_tf_naive_ratio(adj, len) : 0;
				if (e > rho_a)
					rho_a = e;
			}
			if (len > P) {
				for (r = len; r-- > P;)
					x[r] -= x[r - P];
				e = rk_tf_kpss(x + P, len - P);
				if (e > eta_s)
					eta_s = e;
			}
		}
	}
	free(x);
	free(adj);
	free(dx);
	seas = P > 1 && fmax > RK_TF_SEAS_CRIT;
	/* a steady season on a steady level: the net learns the season */
	if (seas && eta_a <= RK_TF_KPSS_CRIT) {
		seas = 0;
		stationary = 1;
	}
	if (seas && minrows < P + W + H)
		seas = 0;
	if (P > 1)
		snprintf(sp, sizeof sp, "seasonal strength %.3g %s %g at period "
		         "%zu%s; ", fmax, seas || fmax > RK_TF_SEAS_CRIT ? ">" :
		         "<=", RK_TF_SEAS_CRIT, P, stationary ? "" :
		         !seas && fmax > RK_TF_SEAS_CRIT ? " but a series is "
		         "too short for a seasonal difference" : "");
	if (seas) {
		/* a trend under the season is gone already: KPSS alone */
		eta = eta_s;
		rho = 0;
	} else if (stationary) {
		eta = eta_a;
		rho = rho_a;
	}
	diff = eta > RK_TF_KPSS_CRIT || rho > RK_TF_NAIVE_CRIT;
	short_ = diff && minrows < (seas ? P : 0) + 1 + W + H;
	if (short_)
		diff = 0;
	/* a short series whose first differences left their level too */
	if (diff && !seas && !stationary && K <= 1 && naive &&
	    rho_d > RK_TF_NAIVE_CRIT && minrows >= 2 + W + H)
		diff2 = 1;
	/* "none", "diff", "diff2" or what a seasonal difference is, then
	 * its options */
	if (seas)
		snprintf(head, sizeof head, "%sseasonal difference at lag %zu "
		         "(--transform %s --period %zu; ", diff ? "first and " :
		         "", P, diff ? "diff" : "none", P);
	else
		snprintf(head, sizeof head, "%s (", diff2 ? "diff2" : diff ?
		         "diff" : "none");
	if (diff2)
		snprintf(tail, sizeof tail, "; the first differences' "
		         "last-value ratio %.3g > %g: their trend too", rho_d,
		         RK_TF_NAIVE_CRIT);
	if (eta > RK_TF_KPSS_CRIT || seas || !naive)
		ratio[0] = 0;
	else
		snprintf(ratio, sizeof ratio, " %s last-value ratio %.3g %s %g",
		         rho > RK_TF_NAIVE_CRIT ? "but" : "and", rho,
		         rho > RK_TF_NAIVE_CRIT ? ">" : "<=", RK_TF_NAIVE_CRIT);
	snprintf(why, n, "%s%sKPSS%s %.3g %s %g%s: %s%s)", head, sp, seas ?
	         " of the seasonal difference" : stationary ? " less the "
	         "season" : "", eta, eta >
	         RK_TF_KPSS_CRIT ? ">" : "<=", RK_TF_KPSS_CRIT, ratio, short_ ?
	         "trending, but a series is too short for a difference" :
	         diff ? "trending" : "level-stationary", tail);
	*kind = diff2 ? RK_TF_DIFF2 : diff ? RK_TF_DIFF : RK_TF_NONE;
	*period = seas ? P : 1;
}
