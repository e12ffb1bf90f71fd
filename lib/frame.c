/* frame.c - series rows as numbers, with missing values. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"
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
	int i;

	for (i = 1; i < 5; i++)
		if (!strcmp(s, policy_names[i])) {
			*p = (enum rk_missing)i;
			return 0;
		}
	return -1;
}

void
frame_init_all(struct frame *f, const struct csv_reader *r,
               const struct series_opts *o)
{
	size_t k;

	memset(f, 0, sizeof *f);
	f->file = estrdup(r->name);
	f->nfields = f->ncols = r->ncols;
	f->field = emalloc(emul(f->ncols, sizeof *f->field));
	f->name = ecalloc(f->ncols, sizeof *f->name);
	f->named = r->header != NULL;
	f->missing = o->missing;
	for (k = 0; k < f->ncols; k++) {
		f->field[k] = k;
		if (r->header) {
			f->name[k] = estrdup(r->header[k]);
		} else {
			f->name[k] = emalloc(24);
			snprintf(f->name[k], 24, "x%zu", k + 1);
		}
	}
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
	memset(f, 0, sizeof *f);
}

size_t
frame_values(const struct frame *f, const struct csv_reader *r,
             const struct csv_row *row, double *v)
{
	size_t k, nmiss = 0;
	const char *s;

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
			       "value (found '%s'; " CHOOSE ")", s);
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
           int quiet)
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
			if (k < nc)
				continue;
			if (out != r) {
				memmove(v + out * nc, v + r * nc, nc * sizeof *v);
				line[out] = line[r];
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
