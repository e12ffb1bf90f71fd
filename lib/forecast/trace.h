/* trace.h - rnn-predict --trace: the net's steps over every window of a
 * series, on a stream (stderr), for learners (rnn-predict(1), "Trace").
 *
 * A window model (W steps): for window k = 1, 2, ... (the one whose
 * prediction is line k of the default output), a line naming its rows
 * (rows r..r+W-1 of the series, after the transform's d rows of history:
 * r = d + k), then one line per step t = 1..W and layer l:
 *   window k step t layer l: x ... h ...
 * with the cell's vectors as rnn_trace_window (rnn.h) names them: x the
 * layer's input (for layer 1 the window's row as the net sees it:
 * scaled, transformed, less the window's base under --normalize window),
 * then i f g o c h (lstm), r z n h (gru, gru-torch), or h (elman); then
 *   window k: y ...
 * the head's outputs (scaled units; the prediction adds them to the
 * window's base and linear path, then undoes the scaling and the
 * transform). An ensemble traces each member, "window k member j ...".
 * A sequence model has one window, the whole series from a zero state:
 * its lines are "step t layer l: ..." and "step t: y ...", t the row
 * (the head at every row: the prediction for row t + H). rnn-predict
 * reads the series twice for it (the trace, then the predictions row by
 * row), so a sequence model's --trace wants a file.
 * Values are printed with as many digits as a float needs (rk_fmt_within)
 * and computed as rnn_trace_window computes them (the reference
 * arithmetic: an output may differ from the prediction's net output in
 * the last bit of a float). */
#ifndef RNNKIT_TRACE_H
#define RNNKIT_TRACE_H

#include <stdio.h>

#include "rnnmodel.h"
#include "series.h"

/* The trace of series 0 of ss (scaled by m) on f. */
void series_trace(const struct series_set *ss, const struct rnnm *m, FILE *f);

#endif
