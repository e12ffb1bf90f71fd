/* frame.c - series rows as numbers, with missing values. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"
#include "rnnmodel.h"
#include "util.h"

static const char *policy_names[] = {
	"error", "interpolate", "ffill", "zero", "drop"
};

#define CHOOSE "choose --missing=interpolate, ffill, zero or drop"

const char *
rk_missing_name(enum rk_missing p)
{
	return policy_names[p];
}

int
rk_missing_parse(const char *s, enum rk_missing *p)
{
	int i = rk_name_index(policy_names, 5, s);

	if (i < 0)
		return -1;
	*p = (enum rk_missing)i;
	return 0;
}

void
frame_csv_opts(struct csv_opts *co, const struct csv_opts *o)
{
	*co = *o;
	if (co->decimal_comma && co->delim == ',')
		usage_error("--decimal-comma needs another field delimiter, "
		            "such as -d ';' or -d tab");
	co->series = 1;
}

long
frame_field(const struct csv_reader *r, const char *tok)
{
	size_t k;
	char *end;
	unsigned long n;

	for (k = 0; r->header && k < r->ncols; k++)
		if (!strcmp(tok, r->header[k]))
			return (long)k;
	if (*tok < '0' || *tok > '9')
		return -1;
	n = strtoul(tok, &end, 10);
	if (*end || n < 1 || n > r->ncols)
		return -1;
	return (long)n - 1;
}

long
frame_col(const struct frame *f, size_t fld)
{
	size_t k;

	for (k = 0; k < f->ncols; k++)
		if (f->field[k] == fld)
			return (long)k;
	return -1;
}

static _Noreturn void
no_column(const struct csv_reader *r, const char *tok, const char *opt)
{
	die_at(r->name, r->header ? 1 : 0, 0, "no column '%s' for %s (%zu "
	       "column%s%s%s)", tok, opt, r->ncols, plural(r->ncols),
	       r->header ? ", first " : "", r->header ? r->header[0] : "");
}

static void
add_col(struct frame *f, const struct csv_reader *r, size_t fld,
        const char *opt)
{
	if (frame_col(f, fld) >= 0)
		usage_error("%s names column '%s' twice", opt, r->header ?
		            r->header[fld] : f->name[frame_col(f, fld)]);
	if (tax_is_time(&f->time, fld) && opt[0] == '-')
		usage_error("%s names the time column '%s' (--time=none reads "
		            "it as a number)", opt, f->time.name[fld ==
		            f->time.field[0] ? 0 : 1]);
	f->field[f->ncols] = fld;
	if (r->header) {
		f->name[f->ncols] = estrdup(r->header[fld]);
	} else {
		f->name[f->ncols] = emalloc(24);
		snprintf(f->name[f->ncols], 24, "x%zu", fld + 1);
	}
	f->ncols++;
}

struct named { const char *name; size_t fld; };

static int
named_cmp(const void *a, const void *b)
{
	const struct named *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : x->fld < y->fld ? -1 : x->fld > y->fld;
}

/* A column f keeps whose name another field of the header has too: a
 * model finds its columns by name, and would take the first. The pair
 * whose later field comes first, into f->dup (frame.h); O(n log n). */
static void
find_dup(struct frame *f, const struct csv_reader *r)
{
	struct named *v;
	unsigned char *kept;
	size_t i, j, k, n = r->ncols;

	f->dup[0] = f->dup[1] = 0;
	if (!r->header || n < 2)
		return;
	v = emalloc(emul(n, sizeof *v));
	kept = ecalloc(n, 1);
	for (k = 0; k < f->ncols; k++)
		kept[f->field[k]] = 1;
	for (k = 0; k < n; k++) {
		v[k].name = r->header[k];
		v[k].fld = k;
	}
	qsort(v, n, sizeof *v, named_cmp);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && !strcmp(v[i].name, v[j].name); j++)
			;
		/* a group i..j-1 of one name, fields ascending: the first
		 * field with the first kept one after it, or the kept first
		 * with the second */
		for (k = i + 1; k < j; k++)
			if (kept[v[i].fld] || kept[v[k].fld]) {
				if (!f->dup[1] || v[k].fld < f->dup[1] - 1) {
					f->dup[0] = v[i].fld + 1;
					f->dup[1] = v[k].fld + 1;
				}
				break;
			}
	}
	free(kept);
	free(v);
}

/* "a,3,5-7,9-": fields in order */
static void
parse_columns(struct frame *f, const struct csv_reader *r, const char *spec)
{
	char *copy = estrdup(spec), *tok, *save = NULL, *dash, *end;
	long fld;
	unsigned long a, b;

	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if ((fld = frame_field(r, tok)) >= 0) {
			add_col(f, r, (size_t)fld, "--columns");
			continue;
		}
		if (!(dash = strchr(tok, '-')) || strchr(dash + 1, '-'))
			no_column(r, tok, "--columns");
		a = dash == tok ? 1 : strtoul(tok, &end, 10);
		if (dash != tok && (end != dash || *tok < '0' || *tok > '9'))
			no_column(r, tok, "--columns");
		b = dash[1] ? strtoul(dash + 1, &end, 10) : r->ncols;
		if (dash[1] && (*end || dash[1] < '0' || dash[1] > '9'))
			no_column(r, tok, "--columns");
		if (a < 1 || b < a)
			usage_error("--columns range '%s' is empty", tok);
		if (b > r->ncols)
			no_column(r, tok, "--columns");
		for (; a <= b; a++)
			add_col(f, r, a - 1, "--columns");
	}
	free(copy);
	if (!f->ncols)
		usage_error("--columns names no column");
}

static void
frame_alloc(struct frame *f, const struct csv_reader *r,
            const struct series_opts *o)
{
	memset(f, 0, sizeof *f);
	f->file = estrdup(r->name);
	f->nfields = r->ncols;
	f->field = emalloc(emul(r->ncols, sizeof *f->field));
	f->name = ecalloc(r->ncols, sizeof *f->name);
	f->named = r->header != NULL;
	f->missing = o->missing;
}

void
frame_init(struct frame *f, const struct csv_reader *r,
           const struct csv_row *first, const struct series_opts *o)
{
	size_t k;
	double v;
	const char *s, *h;
	long lfld = -1;         /* the label column's field */

	frame_alloc(f, r, o);
	tax_choose(&f->time, r, first, o->time);
	if (o->target && o->labels != RK_LABELS_NO) {
		/* one target column of labels? (frame.h) */
		if (strchr(o->target, ',') && o->labels == RK_LABELS_YES)
			usage_error("--loss ce predicts one column of labels, "
			            "not --target %s", o->target);
		if (!strchr(o->target, ',')) {
			if ((lfld = frame_field(r, o->target)) < 0)
				no_column(r, o->target, "--target");
			s = csv_cell(first, (size_t)lfld);
			if (o->labels == RK_LABELS_AUTO &&
			    (rk_parse_cell(s, &v, r->opt.decimal_comma) == 0 ||
			     rk_is_missing(s)))
				lfld = -1;
		}
	}
	if (o->columns) {
		parse_columns(f, r, o->columns);
		if (lfld >= 0 && frame_col(f, (size_t)lfld) >= 0)
			usage_error("--columns names the label column '%s': "
			            "labels are predicted, never an input",
			            f->name[frame_col(f, (size_t)lfld)]);
	} else {
		for (k = 0; k < r->ncols; k++) {
			s = csv_cell(first, k);
			if (tax_is_time(&f->time, k) || (long)k == lfld)
				continue;
			if (rk_parse_cell(s, &v, r->opt.decimal_comma) != -1 ||
			    rk_is_missing(s))
				add_col(f, r, k, "--columns");
		}
		if (!f->ncols) {
			char q[RK_QUOTE_BUF];

			h = csvr_hint_cell(r, csv_cell(first, 0));
			die_at(r->name, first->line, 0, "no numeric column to "
			       "read (found '%s'%s%s)",
			       rk_quote(q, csv_cell(first, 0), (size_t)-1),
			       *h ? "; " : "", h);
		}
		for (k = 0; k < r->ncols && !o->quiet; k++) {
			if (frame_col(f, k) >= 0 || tax_is_time(&f->time, k) ||
			    (long)k == lfld)
				continue;
			s = csv_cell(first, k);
			h = csvr_hint_cell(r, s);
			if (r->header)
				warnf("warning: %s:%zu:%zu: column '%s' is not "
				      "numeric, so not an input (found '%s'; %s)",
				      r->name, first->line, k + 1, r->header[k],
				      s, *h ? h : "--columns chooses the inputs");
			else
				warnf("warning: %s:%zu:%zu: column %zu is not "
				      "numeric, so not an input (found '%s'; %s)",
				      r->name, first->line, k + 1, k + 1, s,
				      *h ? h : "--columns chooses the inputs");
		}
	}
	f->nin = f->ncols;
	if (lfld >= 0) {
		add_col(f, r, (size_t)lfld, "--target");
		f->labelled = 1;
		f->label = f->ncols - 1;
	} else if (o->target) {
		char *copy = estrdup(o->target), *tok, *save = NULL;
		long fld;

		for (tok = strtok_r(copy, ",", &save); tok;
		     tok = strtok_r(NULL, ",", &save)) {
			if ((fld = frame_field(r, tok)) < 0)
				no_column(r, tok, "--target");
			if (frame_col(f, (size_t)fld) < 0)
				add_col(f, r, (size_t)fld, "--target");
		}
		free(copy);
	}
	find_dup(f, r);
}

/* A classifier's label column, when its targets are read. */
static void
model_labels(struct frame *f, const struct rnnm *m,
             const struct series_opts *o)
{
	if (m->net.cfg.loss == RNN_LOSS_CE && o->model_targets) {
		f->labelled = 1;
		f->label = m->targets[0];
	}
}

/* A model from before time columns may take the time as an input. */
static void
model_time(struct frame *f)
{
	size_t k;

	for (k = 0; k < f->ncols; k++)
		if (tax_is_time(&f->time, f->field[k])) {
			tax_release(&f->time);
			return;
		}
}

/* The model's next column: field fld. One it names twice (by name or
 * position) is a bad model, data (65), not a usage error. */
static void
model_col(struct frame *f, const struct csv_reader *r, const struct rnnm *m,
          size_t fld)
{
	long c = frame_col(f, fld);
	char q[RK_QUOTE_BUF];

	if (c >= 0)
		die(EX_DATAERR, "%s: the model names column '%s' twice (its "
		    "columns %ld and %zu)", rnnm_name(m),
		    rk_quote(q, f->name[c], (size_t)-1), c + 1, f->ncols + 1);
	add_col(f, r, fld, "the model");
}

void
frame_init_model(struct frame *f, const struct csv_reader *r,
                 const struct csv_row *first, const struct rnnm *m,
                 const struct series_opts *o)
{
	size_t k, nin = (size_t)m->net.cfg.nin, fields = m->ncols;
	size_t ncols = o->model_targets ? m->ncols : nin;
	const char *s;
	long fld;

	frame_alloc(f, r, o);
	tax_from_model(&f->time, r, first, m, o->time);
	if (r->header && m->named) {
		for (k = 0; k < ncols; k++) {
			for (fld = 0; (size_t)fld < r->ncols; fld++)
				if (!strcmp(r->header[fld], m->colname[k]))
					break;
			if ((size_t)fld == r->ncols) {
				char q1[RK_QUOTE_BUF], q2[RK_QUOTE_BUF];

				die_at(r->name, 1, 0, "no column '%s', which "
				       "the model takes as input (%zu column%s, "
				       "first '%s')",
				       rk_quote(q1, m->colname[k], (size_t)-1),
				       r->ncols, r->ncols == 1 ? "" : "s",
				       rk_quote(q2, r->header[0], (size_t)-1));
			}
			model_col(f, r, m, (size_t)fld);
		}
		f->nin = nin;
		model_labels(f, m, o);
		model_time(f);
		return;
	}
	if ((s = ws_get(&m->info, "fields")))
		fields = strtoul(s, NULL, 10);
	if (r->ncols != fields)
		die_at(r->name, r->header ? 2 : 1, 0, "data has %zu column%s but "
		       "the model takes %zu (%s%s)", r->ncols, plural(r->ncols),
		       fields,
		       m->colname[0], m->ncols > 1 ? ", ..." : "");
	s = ws_get(&m->info, "positions");
	for (k = 0; k < ncols; k++) {
		fld = (long)k;
		if (s) {
			fld = strtol(s, (char **)&s, 10) - 1;
			if (*s == ',')
				s++;
		}
		if (fld < 0 || (size_t)fld >= r->ncols) {
			char q[RK_QUOTE_BUF];

			die(EX_DATAERR, "%s: model key 'positions' is not "
			    "valid (found '%s')", rnnm_name(m),
			    rk_quote(q, ws_get(&m->info, "positions"),
			             (size_t)-1));
		}
		model_col(f, r, m, (size_t)fld);
	}
	f->nin = nin;
	model_labels(f, m, o);
	model_time(f);
}

void
frame_to_model(const struct frame *f, struct rnnm *m)
{
	size_t k, len = 0, id = f->nfields == f->ncols;
	char *pos, q[RK_QUOTE_BUF];

	if (f->named && f->dup[1]) {
		long c = frame_col(f, f->dup[1] - 1);

		if (c < 0)
			c = frame_col(f, f->dup[0] - 1);
		die_at(f->file, 1, f->dup[1], "fields %zu and %zu are both "
		       "named '%s': a model finds its columns by name (rename "
		       "one)", f->dup[0], f->dup[1],
		       rk_quote(q, f->name[c], (size_t)-1));
	}
	pos = emalloc(emul(f->ncols, 24));
	for (k = 0; k < f->ncols; k++) {
		/* a name is one line of the model's header: refused here
		 * rather than changed there, where rnn-predict would then
		 * refuse the very data the model was trained on */
		if (strpbrk(f->name[k], "\r\n") ||
		    strlen(f->name[k]) > RK_FRAME_MAXNAME)
			die_at(f->file, 1, f->field[k] + 1, "column name '%s' %s: a "
			       "model keeps each name on one line of at most "
			       "%d bytes", rk_quote(q, f->name[k], (size_t)-1),
			       strpbrk(f->name[k], "\r\n") ?
			       "holds a line break" : "is too long",
			       RK_FRAME_MAXNAME);
		free(m->colname[k]);
		m->colname[k] = estrdup(f->name[k]);
		id = id && f->field[k] == k;
		len += (size_t)sprintf(pos + len, "%s%zu", k ? "," : "",
		                       f->field[k] + 1);
	}
	m->named = f->named;
	if (!id) {
		ws_set(&m->info, "positions", "%s", pos);
		ws_set(&m->info, "fields", "%zu", f->nfields);
	}
	free(pos);
	tax_to_model(&f->time, m);
}

void
frame_missing_from_model(struct series_opts *o, const struct rnnm *m)
{
	const char *s = ws_get(&m->info, "missing");

	if (o->missing_given || !s)
		return;
	if (rk_missing_parse(s, &o->missing) < 0)
		die(EX_DATAERR, "%s: model key 'missing' is not valid (found "
		    "'%s'; interpolate, ffill, zero, drop or error)",
		    rnnm_name(m), s);
	o->missing_model = 1;
}

void
frame_missing_to_model(const struct series_opts *o, struct rnnm *m)
{
	ws_unset(&m->info, "missing");
	if (o->missing != RK_MISS_ERROR)
		ws_set(&m->info, "missing", "%s", rk_missing_name(o->missing));
}

void
frame_release(struct frame *f)
{
	size_t k;

	for (k = 0; k < f->ncols && f->name; k++)
		free(f->name[k]);
	free(f->name);
	free(f->field);
	free(f->file);
	tax_release(&f->time);
	memset(f, 0, sizeof *f);
}

/* The class index of label s at line, field fld (frame.h) */
static double
label_value(const struct frame *f, const struct csv_reader *r, size_t line,
            size_t fld, const char *s)
{
	const char *why = "";
	char q[RK_QUOTE_BUF], known[256];
	size_t idx, k, len;
	long c;

	if (f->grow) {
		if (rk_labels_add(f->labels, s, &idx, &why) < 0)
			die_at(r->name, line, fld + 1, "label '%s' %s",
			       rk_quote(q, s, (size_t)-1), why);
		return (double)idx;
	}
	if ((c = rk_labels_find(f->labels, s)) >= 0)
		return (double)c;
	if (f->skip)
		return -1;      /* the score counts these */
	for (k = len = 0; k < f->labels->n && k < 4; k++)
		len += (size_t)snprintf(known + len, sizeof known - len, "%s'%s'",
		                        k ? ", " : "", rk_quote(q,
		                        f->labels->name[k], 40));
	if (k < f->labels->n)
		snprintf(known + len, sizeof known - len, ", ...");
	die_at(r->name, line, fld + 1, "label '%s' was not seen in training "
	       "(the model knows %zu: %s%s)", rk_quote(q, s, (size_t)-1),
	       f->labels->n, known, f->hint ? "; --unknown-label=skip leaves "
	       "such rows out of the score" : "");
}

size_t
frame_values(const struct frame *f, const struct csv_reader *r,
             const struct csv_row *row, double *v)
{
	size_t k, nmiss = 0;
	const char *s;
	char q[RK_QUOTE_BUF];

	if (row->nf == 0) {             /* a blank line: a whole missing row */
		if (f->missing == RK_MISS_ERROR)
			die_at(r->name, row->line, 1, "missing values (a blank "
			       "line inside the series; " CHOOSE ")");
		for (k = 0; k < f->ncols; k++)
			v[k] = NAN;
		return f->ncols;
	}
	for (k = 0; k < f->ncols; k++) {
		s = csv_cell(row, f->field[k]);
		if (f->labelled && k == f->label && !rk_is_missing(s)) {
			v[k] = label_value(f, r, row->line, f->field[k], s);
			continue;
		}
		if (rk_parse_cell(s, &v[k], r->opt.decimal_comma) == 0)
			continue;
		if (!rk_is_missing(s))
			csvr_bad_number(r, row->line, f->field[k], s);
		if (f->missing == RK_MISS_ERROR) {
			if (s[strspn(s, " \t")] == '\0')
				die_at(r->name, row->line, f->field[k] + 1,
				       "missing value (an empty cell; " CHOOSE
				       ")");
			die_at(r->name, row->line, f->field[k] + 1, "missing "
			       "value (found '%s'; " CHOOSE ")",
			       rk_quote(q, s, (size_t)-1));
		}
		v[k] = NAN;
		nmiss++;
	}
	return nmiss;
}

static void
warn_dropped(const struct frame *f, size_t n)
{
	warnf("warning: %s: dropped %zu row%s with missing values; the rows "
	      "after %s move up in time", f->file, n, n == 1 ? "" : "s",
	      n == 1 ? "it" : "them");
}

size_t
frame_fill(const struct frame *f, double *v, size_t *line, size_t rows,
           int quiet, char **text, struct rk_time *time)
{
	size_t nc = f->ncols, k, r, prev, next, out;
	double d;

	for (k = 0; k < nc; k++) {
		for (r = 0; r < rows && isnan(v[r * nc + k]); r++)
			;
		if (r == rows && rows)
			die_at(f->file, 0, 0, "column '%s' has no values (all %zu "
			       "missing)", f->name[k], rows);
	}
	for (r = 0; f->labelled && (f->missing == RK_MISS_ZERO ||
	     f->missing == RK_MISS_INTERPOLATE) && r < rows; r++)
		if (isnan(v[r * nc + f->label]))
			die_at(f->file, line[r], f->field[f->label] + 1,
			       "missing label: --missing=%s cannot fill a label "
			       "(use ffill or drop)", rk_missing_name(f->missing));
	switch (f->missing) {
	case RK_MISS_ERROR:
		break;          /* frame_values has seen to it */
	case RK_MISS_ZERO:
		for (r = 0; r < rows * nc; r++)
			if (isnan(v[r]))
				v[r] = 0;
		break;
	case RK_MISS_FFILL:
		for (k = 0; k < nc; k++)
			for (r = 0; r < rows; r++) {
				if (!isnan(v[r * nc + k]))
					continue;
				if (r == 0)
					die_at(f->file, line[0], f->field[k] + 1,
					       "missing value with no earlier "
					       "value to carry forward "
					       "(--missing=ffill; try "
					       "interpolate)");
				v[r * nc + k] = v[(r - 1) * nc + k];
			}
		break;
	case RK_MISS_INTERPOLATE:
		for (k = 0; k < nc; k++) {
			prev = rows;    /* none yet */
			for (r = 0; r < rows; r++) {
				if (!isnan(v[r * nc + k])) {
					prev = r;
					continue;
				}
				for (next = r + 1; next < rows &&
				     isnan(v[next * nc + k]); next++)
					;
				for (; r < next; r++) {
					if (prev == rows)
						v[r * nc + k] = v[next * nc + k];
					else if (next == rows)
						v[r * nc + k] = v[prev * nc + k];
					else {
						d = (double)(r - prev) /
						    (double)(next - prev);
						v[r * nc + k] = v[prev * nc + k] +
							d * (v[next * nc + k] -
							     v[prev * nc + k]);
					}
				}
				prev = next;
			}
		}
		break;
	case RK_MISS_DROP:
		for (r = out = 0; r < rows; r++) {
			for (k = 0; k < nc && !isnan(v[r * nc + k]); k++)
				;
			if (k < nc) {
				if (text)
					free(text[r]);
				continue;
			}
			if (out != r) {
				memmove(v + out * nc, v + r * nc, nc * sizeof *v);
				line[out] = line[r];
				if (text)
					text[out] = text[r];
				if (time)
					time[out] = time[r];
			}
			out++;
		}
		if (out < rows && !quiet)
			warn_dropped(f, rows - out);
		return out;
	}
	return rows;
}

void
frame_online_init(struct frame_online *s, const struct frame *f)
{
	memset(s, 0, sizeof *s);
	s->last = ecalloc(f->ncols, sizeof *s->last);
	s->have = ecalloc(f->ncols, 1);
}

void
frame_online_release(struct frame_online *s)
{
	free(s->last);
	free(s->have);
	memset(s, 0, sizeof *s);
}

int
frame_online_fill(struct frame_online *s, const struct frame *f, double *v,
                  size_t line)
{
	size_t k;

	for (k = 0; k < f->ncols; k++) {
		if (!isnan(v[k])) {
			s->last[k] = v[k];
			s->have[k] = 1;
			continue;
		}
		switch (f->missing) {
		case RK_MISS_ZERO:
			v[k] = 0;
			break;
		case RK_MISS_DROP:
			s->dropped++;
			return 0;
		case RK_MISS_FFILL:
			if (!s->have[k])
				die_at(f->file, line, f->field[k] + 1, "missing "
				       "value with no earlier value to carry "
				       "forward (--missing=ffill)");
			v[k] = s->last[k];
			break;
		default:        /* error: frame_values has seen to it */
			die(EX_SOFTWARE, "missing value policy '%s' cannot "
			    "fill row by row", rk_missing_name(f->missing));
		}
	}
	return 1;
}

void
frame_online_end(struct frame_online *s, const struct frame *f, int quiet)
{
	if (s->dropped && !quiet)
		warn_dropped(f, s->dropped);
}
