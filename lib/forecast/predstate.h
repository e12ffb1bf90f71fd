/* predstate.h - what rnn-predict --state keeps between runs, so that runs
 * over successive chunks of a series print what one run over the whole
 * series prints, byte for byte (rnn-predict(1), "State across runs").
 *
 * A window model (rnnmodel.h) needs, to go on, the rows its next window
 * reads (rnnm_window_rows: the net's window and the transform's history)
 * as the --stream ring holds them, plus what decides how the next rows
 * are read and printed: the last known value of each column (--missing
 * ffill), the last row's time (a time that does not increase is an
 * error, a gap is rows of missing values, the printed times), and the
 * row counts. Everything is kept exactly (f64): nothing is recomputed.
 *
 *   seen        rows the net has seen (transformed and scaled)
 *   used        rows used: read or made for a gap, not dropped; the
 *               first tf.lag are the transform's history
 *   ring        window x ncols, the last `window` rows the net has seen,
 *               scaled: row j of the window (j = 0 oldest) is row
 *               (seen + j) % window of the ring; rows not yet seen are 0
 *   lev         (lag + 1) x ncols, the levels (transform.h) of the last
 *               lag + 1 rows used, the newest last; 0 before there are
 *   fill        ncols, the last known value of each column, NaN: none yet
 *   fields      the input's fields per row (nfields, 0: none read yet)
 *               and the 0-based field of each column, then of the time
 *               column's (up to 2, SIZE_MAX: none): a later run without
 *               a header is read by the model's field positions, and
 *               they must be these (rnn-predict refuses it otherwise)
 *   rows        data rows read from the inputs over every run (a blank
 *               line between rows counts, a made-up gap row does not):
 *               where a restarted stream goes on
 *   time        have_time: a row with a time has been read; last: its
 *               time; time_rows: rows with a time read (tax_missing's
 *               `before`); tfmt: the form of the first time ever read,
 *               which prints every time (a month 1 or 01, a zone)
 *
 * The file is a weight stream (rnnkit-weights(5)) of kind "rnn-state",
 * gzip compressed, written atomically (output.h), checked with its crc32
 * on reading: keys state-version (1), model (the model check below),
 * mode (window; a sequence model's hidden state will be mode seq),
 * window, lag, columns, seen, used, rows, fields with column-fields and
 * time-fields (1-based, comma-separated; time-fields none without a time
 * column) once a row was read, and last-time ("SEC MON Y MO D
 * HH MI SS OFF", struct rk_time), time-rows and time-format
 * (rk_tfmt_name) when a time was read;
 * tensors ring (window x columns), levels (lag + 1 x columns), fill
 * (columns x 1), all f64. A sequence model (rnnmodel.h, RNNM_SEQ: rnn-train
 * --mode seq) needs no ring: its state is mode seq with the same keys
 * (window 1, lag 0) and, in place of the ring, the net's hidden state
 * after the last row seen, h.l0, h.l1, ... (hidden x 1 each) and for an
 * LSTM c.l0, c.l1, ..., f64 (the net's floats, exactly); a reader of an
 * older version refuses it as a mode it lacks. seen counts the rows the
 * net has stepped over.
 *
 * The model check is the 64-bit FNV-1a hash, in 16 hex digits, of the
 * model's weight stream as rnnm_to_stream builds it (keys and values in
 * order, tensor names, types, shapes and bytes): every weight of every
 * member, the scaling, the transform, the columns and targets. A state of
 * another model, of a newer state-version, of another kind, truncated or
 * corrupt (checksum, shapes) is refused: die 65 with one line naming the
 * file, which is left as it is.
 */
#ifndef RNNKIT_PREDSTATE_H
#define RNNKIT_PREDSTATE_H

#include <stddef.h>

#include "rnnmodel.h"
#include "timecol.h"
#include "wstream.h"

#define PSTATE_VERSION 1

struct pstate {
	char model[17];         /* the model check, hex */
	size_t window, lag, ncols;
	size_t seen, used;
	unsigned long long rows;
	size_t nfields;
	size_t *field;          /* ncols + 2 */
	double *ring;           /* window x ncols */
	double *lev;            /* (lag + 1) x ncols */
	double *fill;           /* ncols */
	/* a sequence model: the net's state, nlayers x nhid each (c: lstm
	 * only, else NULL); ring unused */
	int seq;
	size_t nlayers, nhid;
	double *h, *c;
	int have_time;
	struct rk_time last;
	size_t time_rows;
	struct rk_tfmt tfmt;
};

/* The model check of m into buf (17 bytes); returns buf. */
char *pstate_model_check(char *buf, const struct rnnm *m);

/* A fresh state for m: nothing seen, no value known, no time. */
void pstate_init(struct pstate *s, const struct rnnm *m);
/* The same for a model of these sizes, its model check left empty. */
void pstate_alloc(struct pstate *s, size_t window, size_t lag, size_t ncols);
/* Make s (from pstate_alloc) the state of a sequence model: h (and with
 * lstm c) of nlayers x nhid zeros. */
void pstate_alloc_seq(struct pstate *s, size_t nlayers, size_t nhid, int lstm);
void pstate_release(struct pstate *s);
/* dst <- src, both initialised for the same model. */
void pstate_copy(struct pstate *dst, const struct pstate *src);

/* Load the state in path for m (s initialised for m): 1 when loaded, 0
 * when path does not exist (s untouched). Dies 66 when path cannot be
 * opened, 65 when it is not a state of m (above). */
int pstate_load(struct pstate *s, const char *path, const struct rnnm *m);
/* The state in a stream whose header is read (ws_read) and whose input
 * is still open, for s's model: its tensors loaded (ws_load). Dies 65
 * (above). */
void pstate_from_stream(struct pstate *s, struct rk_wstream *w);
/* Write s to path atomically (temporary file renamed over it; dies 73 or
 * 74, removing the temporary). */
void pstate_save(const struct pstate *s, const char *path);

#endif
