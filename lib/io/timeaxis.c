/* timeaxis.c - the time column of a series file. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "frame.h"
#include "rnnmodel.h"
#include "timeaxis.h"
#include "util.h"

#define CHOOSE "choose --missing=interpolate, ffill, zero or drop"

static int
is_word(const char *s, const char *a, const char *b)
{
	return !strcasecmp(s, a) || !strcasecmp(s, b);
}

static void
set_names(struct time_axis *a, const struct csv_reader *r)
{
	static const char *plain[2][2] = { { "time", NULL },
	                                   { "year", "month" } };
	size_t i;

	for (i = 0; i < a->nf; i++)
		a->name[i] = estrdup(r->header ? r->header[a->field[i]] :
		                     plain[a->nf - 1][i]);
}

/* The form from the first data row: 0, or -1 when it is no time. */
static int
pick_form(struct time_axis *a, const struct csv_row *first, int unix)
{
	struct rk_time t;
	const char *s = csv_cell(first, a->field[0]);

	if (a->nf == 2)
		return rk_time_parse_ym(s, csv_cell(first, a->field[1]),
		                        &a->fmt, &t);
	if (!unix && rk_time_parse(s, &a->fmt, &t) == 0)
		return 0;
	if (rk_time_parse_unix(s, &t) < 0)
		return -1;
	memset(&a->fmt, 0, sizeof a->fmt);
	a->fmt.kind = RK_T_UNIX;
	return 0;
}

static void
detect(struct time_axis *a, const struct csv_reader *r,
       const struct csv_row *first)
{
	struct rk_tfmt f;
	struct rk_time t;

	if (r->header && r->ncols >= 2 &&
	    is_word(r->header[0], "year", "yr") &&
	    is_word(r->header[1], "month", "mon") &&
	    rk_time_parse_ym(csv_cell(first, 0), csv_cell(first, 1), &f,
	                     &t) == 0) {
		a->nf = 2;
		a->field[0] = 0;
		a->field[1] = 1;
		a->fmt = f;
	} else if (rk_time_parse(csv_cell(first, 0), &f, &t) == 0 &&
	           ((f.kind != RK_T_YEAR && !f.basic) ||
	            (r->header && rk_time_name(r->header[0])))) {
		a->nf = 1;
		a->field[0] = 0;
		a->fmt = f;
	}
	set_names(a, r);
}

static _Noreturn void
no_column(const struct csv_reader *r, const char *tok)
{
	die_at(r->name, r->header ? 1 : 0, 0, "no column '%s' for --time (%zu "
	       "column%s%s%s)", tok, r->ncols, plural(r->ncols),
	       r->header ? ", first " : "", r->header ? r->header[0] : "");
}

static void
not_time(const struct time_axis *a, const struct csv_reader *r,
         const struct csv_row *first)
{
	const char *s = csv_cell(first, a->field[0]);
	char q[RK_QUOTE_BUF], q2[RK_QUOTE_BUF];

	if (a->nf == 2)
		die_at(r->name, first->line, a->field[0] + 1, "not a year and "
		       "a month for --time (found '%s' and '%s')",
		       rk_quote(q, s, (size_t)-1),
		       rk_quote(q2, csv_cell(first, a->field[1]), (size_t)-1));
	die_at(r->name, first->line, a->field[0] + 1, "not a time for --time "
	       "(found '%s'; ISO 8601 dates and times, or Unix seconds)",
	       rk_quote(q, s, (size_t)-1));
}

void
tax_choose(struct time_axis *a, const struct csv_reader *r,
           const struct csv_row *first, const char *spec)
{
	char *copy, *tok, *save = NULL;
	size_t len;
	long fld;
	int unix = 0;

	memset(a, 0, sizeof *a);
	if (!spec) {
		detect(a, r, first);
		return;
	}
	if (!strcmp(spec, "none"))
		return;
	copy = estrdup(spec);
	len = strlen(copy);
	if (len > 5 && !strcmp(copy + len - 5, ":unix")) {
		copy[len - 5] = '\0';
		unix = 1;
	}
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (a->nf == 2)
			usage_error("--time takes one column, or a year and "
			            "a month (found '%s')", spec);
		if ((fld = frame_field(r, tok)) < 0)
			no_column(r, tok);
		if (a->nf && (size_t)fld == a->field[0])
			usage_error("--time names column '%s' twice", tok);
		a->field[a->nf++] = (size_t)fld;
	}
	free(copy);
	if (!a->nf)
		usage_error("--time names no column");
	if (unix && a->nf == 2)
		usage_error("--time: a year and a month are not Unix seconds");
	if (pick_form(a, first, unix) < 0)
		not_time(a, r, first);
	set_names(a, r);
}

void
tax_from_model(struct time_axis *a, const struct csv_reader *r,
               const struct csv_row *first, const struct rnnm *m,
               const char *spec)
{
	const char *pos = ws_get(&m->info, "time-position");
	const char *col = ws_get(&m->info, "time-column");
	const char *fs = ws_get(&m->info, "time-format");
	const char *st = ws_get(&m->info, "time-step");
	char q[RK_QUOTE_BUF];
	struct rk_tfmt mf;
	char *copy, *tok, *save = NULL;
	size_t k;

	memset(&mf, 0, sizeof mf);
	if (fs && rk_tfmt_parse(fs, &mf) < 0)
		die(EX_DATAERR, "%s: model key 'time-format' is not valid "
		    "(found '%s')", rnnm_name(m), rk_quote(q, fs, (size_t)-1));
	if (spec || !pos) {
		tax_choose(a, r, first, spec);
	} else {
		memset(a, 0, sizeof *a);
		copy = estrdup(r->header && col && m->named ? col : pos);
		for (tok = strtok_r(copy, ",", &save); tok && a->nf < 2;
		     tok = strtok_r(NULL, ",", &save)) {
			if (r->header && col && m->named) {
				for (k = 0; k < r->ncols; k++)
					if (!strcmp(r->header[k], tok))
						break;
			} else {
				k = strtoul(tok, NULL, 10) - 1;
			}
			if (k >= r->ncols)
				break;
			a->field[a->nf++] = k;
		}
		free(copy);
		if (tok || !a->nf) {
			/* the file lacks the model's time column */
			tax_choose(a, r, first, NULL);
		} else {
			if (pick_form(a, first, mf.kind == RK_T_UNIX) < 0)
				not_time(a, r, first);
			set_names(a, r);
		}
	}
	if (a->nf && st) {
		if (rk_tstep_parse(st, &a->step) < 0)
			die(EX_DATAERR, "%s: model key 'time-step' is not "
			    "valid (found '%s')", rnnm_name(m),
			    rk_quote(q, st, (size_t)-1));
		a->model_step = 1;
	}
}

void
tax_to_model(const struct time_axis *a, struct rnnm *m)
{
	char b[48];

	/* in place: a resumed model keeps its keys in their order */
	if (!a->nf || !m->named)
		ws_unset(&m->info, "time-column");
	if (!a->nf || a->step.unit == RK_STEP_NONE)
		ws_unset(&m->info, "time-step");
	if (!a->nf) {
		ws_unset(&m->info, "time-position");
		ws_unset(&m->info, "time-format");
		return;
	}
	if (m->named && a->nf == 1)
		ws_set(&m->info, "time-column", "%s", a->name[0]);
	else if (m->named)
		ws_set(&m->info, "time-column", "%s,%s", a->name[0], a->name[1]);
	if (a->nf == 1)
		ws_set(&m->info, "time-position", "%zu", a->field[0] + 1);
	else
		ws_set(&m->info, "time-position", "%zu,%zu", a->field[0] + 1,
		       a->field[1] + 1);
	ws_set(&m->info, "time-format", "%s", rk_tfmt_name(b, &a->fmt));
	if (a->step.unit != RK_STEP_NONE)
		ws_set(&m->info, "time-step", "%s", rk_tstep_name(b, &a->step));
}

void
tax_release(struct time_axis *a)
{
	free(a->name[0]);
	free(a->name[1]);
	memset(a, 0, sizeof *a);
}

int
tax_is_time(const struct time_axis *a, size_t fld)
{
	return (a->nf > 0 && a->field[0] == fld) ||
	       (a->nf > 1 && a->field[1] == fld);
}

void
tax_read(struct time_axis *a, const struct csv_reader *r,
         const struct csv_row *row, struct rk_time *t)
{
	const char *s = csv_cell(row, a->field[0]);
	struct rk_tfmt f;
	char b[48], p[48], q[RK_QUOTE_BUF], q2[RK_QUOTE_BUF];
	int bad;

	if (a->nf == 2)
		bad = rk_time_parse_ym(s, csv_cell(row, a->field[1]), &f, t);
	else
		bad = rk_time_parse_as(s, &a->fmt, t);
	if (bad) {
		if (s[strspn(s, " \t")] == '\0')
			die_at(r->name, row->line, a->field[0] + 1, "missing "
			       "time (an empty cell; every row needs its "
			       "time)");
		if (a->nf == 2)
			die_at(r->name, row->line, a->field[0] + 1, "not a "
			       "year and a month (found '%s' and '%s')",
			       rk_quote(q, s, (size_t)-1),
			       rk_quote(q2, csv_cell(row, a->field[1]),
			                (size_t)-1));
		if (a->fmt.kind == RK_T_UNIX)
			die_at(r->name, row->line, a->field[0] + 1, "not a "
			       "time in Unix seconds (found '%s')",
			       rk_quote(q, s, (size_t)-1));
		die_at(r->name, row->line, a->field[0] + 1, "not a time of "
		       "the form %s like the first row's (found '%s')",
		       rk_tfmt_name(b, &a->fmt), rk_quote(q, s, (size_t)-1));
	}
	if (a->have_last && t->sec <= a->last.sec) {
		tax_format(a, b, t, '-');
		if (!a->last_line)      /* a time kept from an earlier run */
			die_at(r->name, row->line, a->field[0] + 1, "time '%s' "
			       "is not after '%s', the last time already read "
			       "(times must increase)", b,
			       tax_format(a, p, &a->last, '-'));
		if (t->sec == a->last.sec)
			die_at(r->name, row->line, a->field[0] + 1, "time '%s' "
			       "repeats line %zu's (times must increase)", b,
			       a->last_line);
		die_at(r->name, row->line, a->field[0] + 1, "time '%s' comes "
		       "before line %zu's '%s' (times must increase)", b,
		       a->last_line, tax_format(a, p, &a->last, '-'));
	}
	a->last = *t;
	a->last_line = row->line;
	a->have_last = 1;
}

long long
tax_missing(const struct time_axis *a, const char *file, size_t line,
            const struct rk_time *prev, const struct rk_time *cur,
            size_t before)
{
	long long k;
	char b[48], p[48], s[32];

	if (a->step.unit == RK_STEP_NONE)
		return 0;
	k = rk_time_steps(prev, cur, &a->step);
	if (k == LLONG_MIN)     /* only a model's clock can be off the grid */
		die_at(file, line, a->field[0] + 1, "time '%s' is not a whole "
		       "number of the model's steps (%s) after '%s'",
		       tax_format(a, b, cur, '-'), rk_tstep_name(s, &a->step),
		       tax_format(a, p, prev, '-'));
	if (k - 1 > RK_MAX_GAP && (unsigned long long)(k - 1) > before)
		die_at(file, line, a->field[0] + 1, "time '%s' is %lld steps "
		       "(%s) after '%s': a gap longer than %d steps and than "
		       "the %zu row%s before it is taken for a wrong time",
		       tax_format(a, b, cur, '-'), k, rk_tstep_name(s, &a->step),
		       tax_format(a, p, prev, '-'), RK_MAX_GAP, before,
		       plural(before));
	return k - 1;
}

void
tax_gap_die(const struct time_axis *a, const char *file, size_t line,
            const struct rk_time *prev, const struct rk_time *cur,
            long long n)
{
	struct rk_time t1, tn;
	char b1[48], bn[48], p[48], c[48];

	tax_after(a, &t1, prev, 1);
	tax_after(a, &tn, prev, n);
	tax_format(a, b1, &t1, '-');
	tax_format(a, bn, &tn, '-');
	tax_format(a, p, prev, '-');
	tax_format(a, c, cur, '-');
	if (n == 1)
		die_at(file, line, a->field[0] + 1, "missing values (no row "
		       "for %s, between %s and %s; " CHOOSE ")", b1, p, c);
	die_at(file, line, a->field[0] + 1, "missing values (no rows for %s "
	       "to %s, %lld steps between %s and %s; " CHOOSE ")", b1, bn, n,
	       p, c);
}

int
tax_after(const struct time_axis *a, struct rk_time *out,
          const struct rk_time *t, long long k)
{
	*out = *t;
	if (a->step.unit == RK_STEP_NONE)
		return -1;
	rk_time_add(out, &a->step, k);
	return 0;
}

char *
tax_format(const struct time_axis *a, char *buf, const struct rk_time *t,
           char delim)
{
	return rk_time_format(buf, &a->fmt, t, delim);
}
