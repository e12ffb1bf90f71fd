/* predstream.h - a window model run over rows read one by one: what
 * rnn-predict --stream and --state do (rnn-predict(1), "Streaming" and
 * "State across runs").
 *
 * Each row read is filled (frame.h: ffill, zero or drop; a time column
 * with the model's clock makes a missing step a row of missing values),
 * transformed and scaled into a ring of the last W rows the net has seen;
 * once W rows are in, every row gives the prediction for the row H steps
 * after it, handed to pr->pred with the time of that row (NULL: no time
 * column or no clock). The ring, the transform's levels, the fill and the
 * last time are a struct pstate (predstate.h), so that with a state file
 * a run goes on exactly where the last one stopped:
 *
 *   state NULL    --stream: live, constant memory, the header first; a
 *                 series shorter than a window is an error (65)
 *   state, !live  --state: the file loaded if there, every row read and
 *                 checked (held in memory) before any prediction, so that
 *                 a bad row prints nothing and leaves the file as it was;
 *                 then the predictions (a window model's 64 windows at a
 *                 time, as fast as a run without a state), then the file
 *                 saved
 *   state, live   --stream --state: constant memory; the file saved at
 *                 the end, on SIGTERM, SIGINT or SIGHUP once every row
 *                 read is predicted from (then the signal ends the
 *                 process, o closed first), and on a bad row as of the
 *                 row before it (the predictions before it flushed)
 *
 * A sequence model (rnnmodel.h, RNNM_SEQ) keeps no ring: each row read is
 * one step of its net (rnn_state_step, one stream), the state in the
 * pstate's h and c, and every row gives the prediction for the row H
 * steps after it (base NULL: 0). rnn-predict runs a sequence model through
 * here whatever its options (live without a state).
 *
 * With a state, the header (pr->header) only when the file did not exist;
 * no rows, or fewer than a window needs, is no error. A loaded state must
 * suit the input: a time column in both or neither, times that increase
 * across runs, and, for an input without a header, the fields the state's
 * rows were read from (65 otherwise, the file untouched). live: o is
 * flushed before every read that may block.
 */
#ifndef RNNKIT_PREDSTREAM_H
#define RNNKIT_PREDSTREAM_H

#include <stddef.h>

#include "cli.h"
#include "output.h"
#include "real.h"
#include "rnnmodel.h"
#include "timeaxis.h"

/* What the caller prints: the header (a: the input's time column), and a
 * prediction from the net's outputs y (nout) plus base (series.h), to be
 * turned back into the data's units with prev, the levels of the row
 * before the one predicted (stride apart per lag; NULL without a
 * transform lag), at time t (NULL: none known); z: the window's scaled
 * values (W rows of stride), for the intervals' local scale
 * (conformal_scale; NULL for a sequence model, which has no intervals). */
struct pstream_print {
	void *ctx;
	void (*header)(void *ctx, const struct time_axis *a);
	void (*pred)(void *ctx, const struct time_axis *a,
	             const struct rk_time *t, const rk_real *y,
	             const double *base, const double *prev, size_t stride,
	             const double *z);
};

/* Run m over input (NULL or "-": stdin) as above, the series options
 * from cli; state: the state file or NULL; live: --stream. With a state,
 * o is closed here (-o's file renamed into place) before the state is
 * saved, so a state never says more was printed than is kept; a bad row
 * saves the state as of the row before it only when o is not an atomic
 * file (a dying run removes that file, and the state stays as it was). */
void pstream_run(const struct rnnm *m, const char *input,
                 const struct cli *cli, struct rk_out *o,
                 const struct pstream_print *pr, const char *state,
                 int live);

/* Die (65) at name: a series of rows rows, too short for m's window and
 * its transform's history. */
_Noreturn void rnnm_too_short(const struct rnnm *m, const char *name,
                              size_t rows);

#endif
