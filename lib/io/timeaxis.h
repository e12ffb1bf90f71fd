/* timeaxis.h - the time column of a series file (rnnkit(7), "Time
 * column"): which field or fields hold it, each row's time, the rule that
 * times increase, the step that makes a missing row visible, and times
 * printed in the input's own form (timecol.h parses and prints them).
 *
 * --time=SPEC chooses the column:
 *   COL         a name or 1-based field number; its first data cell gives
 *               the form: an ISO 8601 form (timecol.h), else an integer,
 *               taken as Unix seconds
 *   COL:unix    Unix seconds, whatever the cells look like
 *   YEAR,MONTH  two columns: a year of 4 digits and a month 1-12
 *   none        no time column
 * Without it, field 1 is the time when its first data cell is an ISO form
 * other than a bare year; a bare year (YYYY) only when the header names
 * the column like a time (rk_time_name); and fields 1 and 2 are a year and
 * a month when the header calls them year (or yr) and month (or mon) and
 * their first cells read so. A time column is never an input.
 *
 * A model keeps the time as info keys: time-column (the names, with a
 * header), time-position (1-based fields), time-format (rk_tfmt_name) and
 * time-step (rk_tstep_name, when the times were a regular grid).
 */
#ifndef RNNKIT_TIMEAXIS_H
#define RNNKIT_TIMEAXIS_H

#include <stddef.h>

#include "csvread.h"
#include "timecol.h"

struct rnnm;

struct time_axis {
	size_t nf;              /* 0: no time column; 1; 2: year, month */
	size_t field[2];        /* 0-based */
	char *name[2];          /* header names, else "time" (year, month) */
	struct rk_tfmt fmt;     /* the form of the first data row */
	struct rk_tstep step;   /* the clock; RK_STEP_NONE: none known */
	int model_step;         /* step is a model's: times must lie on it */
	/* tax_read: the last row's time */
	int have_last;
	struct rk_time last;
	size_t last_line;
};

/* Choose the column by spec (NULL: detect, as above) from the reader's
 * header and the first data row. A spec naming no column dies (65), a
 * malformed one is a usage error (64), a column whose first cell is not a
 * time dies at that cell. */
void tax_choose(struct time_axis *a, const struct csv_reader *r,
                const struct csv_row *first, const char *spec);
/* The same for data to go with a model: spec if given, else the model's
 * time column by name (by position without a header) when the file has
 * it, else detection; the clock is the model's time-step, if any. */
void tax_from_model(struct time_axis *a, const struct csv_reader *r,
                    const struct csv_row *first, const struct rnnm *m,
                    const char *spec);
/* The time-* keys into m->info (the step only when a->step is one). */
void tax_to_model(const struct time_axis *a, struct rnnm *m);
void tax_release(struct time_axis *a);
/* Is 0-based field fld part of the time column? */
int tax_is_time(const struct time_axis *a, size_t fld);

/* The row's time into *t (a->nf > 0). Dies at FILE:LINE:COLUMN on a cell
 * that is not a time of the first row's form, and on a time that is not
 * after the previous row's (a duplicate or a decrease). */
void tax_read(struct time_axis *a, const struct csv_reader *r,
              const struct csv_row *row, struct rk_time *t);
/* The rows missing between prev and cur on the clock (0 without one).
 * With a model's clock, cur must lie a whole number of steps after prev,
 * else it dies at file:line. A gap of more than RK_MAX_GAP steps and more
 * than the 'before' rows that came before it is no gap but a wrong time:
 * it dies at file:line too, before any row is made for it. */
#define RK_MAX_GAP 10000
long long tax_missing(const struct time_axis *a, const char *file,
                      size_t line, const struct rk_time *prev,
                      const struct rk_time *cur, size_t before);
/* The error for n missing rows before cur, at its line: "missing values
 * (no row for ..., between ... and ...; choose --missing=...)". */
_Noreturn void tax_gap_die(const struct time_axis *a, const char *file,
                           size_t line, const struct rk_time *prev,
                           const struct rk_time *cur, long long n);
/* *t plus k steps of the clock into *out: 0, or -1 with no clock. */
int tax_after(const struct time_axis *a, struct rk_time *out,
              const struct rk_time *t, long long k);
/* t in the input's form; two columns are joined by delim. buf: 48 bytes. */
char *tax_format(const struct time_axis *a, char *buf,
                 const struct rk_time *t, char delim);

#endif
