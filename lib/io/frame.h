/* frame.h - rows of a CSV time series as numbers: which fields are the
 * columns of the model, missing values and what to do about them.
 *
 * The rule (rnnkit(7), "Real files"): an empty cell, NA, NaN, null and ?
 * (any case), and a blank line between data rows (a whole row), are
 * missing values. By default each is an error at FILE:LINE:COLUMN. With a
 * policy:
 *   interpolate  linear in the row number between the nearest known values
 *                of the same column; before the first and after the last
 *                known value, that value. Not with --stream.
 *   ffill        the last known value of the column; a missing value with
 *                none before it is an error.
 *   zero         0 (in the data's units).
 *   drop         the row goes; a warning counts the rows (time shifts).
 * A column with no known value at all is an error, whatever the policy.
 */
#ifndef RNNKIT_FRAME_H
#define RNNKIT_FRAME_H

#include <stddef.h>

#include "csvread.h"
#include "labels.h"
#include "timeaxis.h"

enum rk_missing {
	RK_MISS_ERROR, RK_MISS_INTERPOLATE, RK_MISS_FFILL, RK_MISS_ZERO,
	RK_MISS_DROP
};

/* The series options every series tool takes (cli.h). */
struct series_opts {
	enum rk_missing missing;
	int missing_given;      /* --missing was given (else a model's key
	                           may set it: frame_missing_from_model) */
	int missing_model;      /* it was set from the model's key */
	int quiet;              /* no warnings */
	const char *columns;    /* --columns LIST, or NULL */
	const char *target;     /* --target LIST (rnn-train), or NULL */
	int keep_text;          /* keep each row's cells as text (--align) */
	const char *time;       /* --time SPEC (timeaxis.h), or NULL */
	int model_targets;      /* with a model: its target-only columns too */
	int labels;             /* RK_LABELS_*: is the --target column read
	                           as labels (rnn-train --loss)? */
	int unknown_skip;       /* a label the model does not know: the row
	                           is marked -1 (not scored), not an error */
	int unknown_hint;       /* the error names --unknown-label=skip */
};

/* series_opts.labels, for rnn-train without a model: NO reads the target
 * as numbers (--loss mse); AUTO reads it as labels when it is one column
 * whose cell in the first data row is neither a number nor missing;
 * YES (--loss ce) reads one target column as labels, whatever it holds.
 * A label column is never an input: left out of the default inputs, a
 * usage error in --columns. */
enum { RK_LABELS_NO, RK_LABELS_AUTO, RK_LABELS_YES };

const char *rk_missing_name(enum rk_missing p);
/* 0, or -1: not a policy name (error, interpolate, ffill, zero, drop) */
int rk_missing_parse(const char *s, enum rk_missing *p);

/* Which fields of a file a series reads: ncols columns (0-based field[k],
 * name[k]), the nin inputs first, then target-only columns (predicted, not
 * fed to the net).
 *
 * Columns are chosen by --columns LIST: names or 1-based field numbers and
 * ranges N-M, N- and -M, as with cut -f, in the order given. Without it
 * the inputs are every field whose cell in the first data row is a number
 * or missing (others are left out with a warning). A --target column that
 * is not an input is added after the inputs. A model remembers its columns
 * by name, and by field number (positions) for files without a header.
 * The time column (timeaxis.h) is never a column of the frame: naming it
 * in --columns or --target is a usage error. */
/* the longest column name a model keeps (a header line of its stream) */
#define RK_FRAME_MAXNAME 1000

struct frame {
	char *file;             /* for messages */
	size_t nfields;         /* fields per row */
	size_t ncols, nin;
	size_t *field;
	char **name;            /* header names, or xN (N: field number) */
	int named;
	enum rk_missing missing;
	struct time_axis time;  /* nf 0: none */
	/* a label column (labels.h): column label (target-only) holds
	 * class indexes; new labels are added to *labels when grow, else
	 * an unknown one is -1 with skip, an error at FILE:LINE:COLUMN
	 * without. labels is set by the caller. */
	int labelled;
	size_t label;
	struct rk_labels *labels;
	int grow, skip, hint;   /* hint: series_opts.unknown_hint */
	/* frame_init: two fields (1-based, dup[0] < dup[1]) of one name,
	 * one of them a column; 0 0: none. frame_to_model refuses them: a
	 * model finds its columns by name. */
	size_t dup[2];
};

/* The CSV options of a series: o in series mode; a usage error for a
 * decimal comma with ',' as the delimiter. */
void frame_csv_opts(struct csv_opts *co, const struct csv_opts *o);
/* From the options; first is the first data row. r must be started. */
void frame_init(struct frame *f, const struct csv_reader *r,
                const struct csv_row *first, const struct series_opts *o);
/* The model's input columns (and, with o->model_targets, its target-only
 * columns), by name when both the model and the file have names, else by
 * field number (the file must have as many fields as the training data).
 * Dies (65) when the file lacks one. The time column: tax_from_model, but
 * none when it would be one of the model's columns (a model from before
 * time columns that took a year as an input). */
struct rnnm;
void frame_init_model(struct frame *f, const struct csv_reader *r,
                      const struct csv_row *first, const struct rnnm *m,
                      const struct series_opts *o);
/* Names, positions and the time keys into the model (m's columns must be
 * f's). */
void frame_to_model(const struct frame *f, struct rnnm *m);
/* The missing-value policy a model was trained with (its key "missing",
 * none: error) is rnn-predict's default: into o unless --missing was
 * given (o->missing_given); o->missing_model says it came from m. Dies
 * (65) on a key that is no policy. frame_missing_to_model keeps o's
 * policy in m (none for error). */
void frame_missing_from_model(struct series_opts *o, const struct rnnm *m);
void frame_missing_to_model(const struct series_opts *o, struct rnnm *m);
/* The 0-based field of a column name or 1-based number, or -1. */
long frame_field(const struct csv_reader *r, const char *tok);
/* The column of f that reads field fld, or -1. */
long frame_col(const struct frame *f, size_t fld);
void frame_release(struct frame *f);

/* The columns' values of a row (nf 0: a blank line) into v[ncols], NaN
 * for a missing value; dies on a cell that is neither a number nor
 * missing, and, with no policy, on a missing value. The label column
 * gets the label's class index (above). Returns the number of missing
 * values. A missing label is filled by ffill or drop only (frame_fill
 * dies with zero and interpolate). */
size_t frame_values(const struct frame *f, const struct csv_reader *r,
                    const struct csv_row *row, double *v);

/* Fill the missing values (NaN) of a whole series v (rows x ncols) by the
 * policy; line[] gives each row's line for messages. drop compacts v, line,
 * text (if not NULL; dropped strings are freed) and time (if not NULL) and
 * returns the rows left (with a warning unless quiet); other policies
 * return rows. */
size_t frame_fill(const struct frame *f, double *v, size_t *line, size_t rows,
                  int quiet, char **text, struct rk_time *time);

/* Filling row by row, as rows arrive (no interpolate): */
struct frame_online {
	double *last;           /* ncols: the last known values */
	unsigned char *have;
	size_t dropped;
};
void frame_online_init(struct frame_online *s, const struct frame *f);
void frame_online_release(struct frame_online *s);
/* Fill v in place: 1 if the row is to be used, 0 if dropped. */
int frame_online_fill(struct frame_online *s, const struct frame *f,
                      double *v, size_t line);
/* The drop warning, if rows were dropped and not quiet. */
void frame_online_end(struct frame_online *s, const struct frame *f,
                      int quiet);

#endif
