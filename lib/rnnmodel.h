/* rnnmodel.h - a forecasting model: the net (rnn.h) plus what it needs to
 * meet data: input column names, target columns, window, horizon and the
 * per-column scaling. Saved as a weight stream of kind "rnn", or as CSV
 * tensors named like PyTorch's.
 *
 * Invariants: ncols >= net.cfg.nin: columns [0, nin) are the net's inputs,
 * the others are predicted but not fed (target-only, e.g. a class);
 * ntargets == net.cfg.nout; targets[k] is a 0-based column; shift/scale
 * have ncols entries, scale > 0; the net sees (x - shift) / scale and
 * predicts targets in those units, x being the transformed value
 * (transform.h: a log or a difference; old streams: none). A stream has "columns: N" when ncols
 * differs from "inputs" (older streams: ncols == inputs).
 */
#ifndef RNNKIT_RNNMODEL_H
#define RNNKIT_RNNMODEL_H

#include <stddef.h>

#include "rnn.h"
#include "transform.h"
#include "wstream.h"

enum rk_scaling { RK_SCALE_ZSCORE, RK_SCALE_MINMAX, RK_SCALE_NONE };

struct rnnm {
	struct rnn_model net;
	size_t window, horizon;
	size_t ncols;           /* inputs, then target-only columns */
	char **colname;         /* ncols names */
	int named;              /* colname came from a data header (else x1..) */
	size_t ntargets;
	size_t *targets;        /* 0-based column of each output */
	struct rk_tf tf;        /* what the net sees (transform.h), before
	                           the scaling; with one not the identity,
	                           every target is an input column */
	enum rk_scaling scaling;
	double *shift, *scale;  /* ncols each, of the transformed values */
	struct rk_wstream info; /* training metadata to carry (no tensors) */
	/* optimizer state, kept in checkpoints so that --init continues it:
	 * optim_t steps taken (0: none kept), optim_m and (adam) optim_v of
	 * net.nparam values each, owned */
	enum rk_optim_kind optim_kind;
	long optim_t;
	rk_real *optim_m, *optim_v;
	/* early-stopping state of a checkpoint (fit.h): the best epoch's
	 * weights, net.nparam values, owned (NULL: none), beside the info
	 * keys fit-best-epoch, fit-since-best, fit-best-val, fit-best-train */
	rk_real *fit_best;
	/* residuals on the validation windows for prediction intervals
	 * (conformal.h): conf_steps steps (0: none), conf_n windows,
	 * conf_count[h-1] of them at step h, conf_res (conf_steps *
	 * ntargets) x conf_n, owned */
	size_t conf_steps, conf_n;
	size_t *conf_count;
	double *conf_res;
};

const char *rk_scaling_name(enum rk_scaling s);
int rk_scaling_parse(const char *s, enum rk_scaling *out);

/* Allocate names, targets, identity scaling and transform; net must be
 * set up. */
void rnnm_init_meta(struct rnnm *m, size_t ncols, size_t ntargets);
void rnnm_release(struct rnnm *m);
/* Set the transform (replacing the one there). */
void rnnm_set_transform(struct rnnm *m, enum rk_transform kind,
                        size_t period);

/* Keep a copy of the optimizer's state in the model (for a checkpoint);
 * opt NULL drops it. */
void rnnm_keep_optim(struct rnnm *m, const struct rk_optim *opt);
/* Give a kept state to opt if it is of the same kind: 1 if done. */
int rnnm_restore_optim(const struct rnnm *m, struct rk_optim *opt);

/* Keep a copy of the best weights in the model (for a checkpoint); NULL
 * drops it. rnnm_drop_fit_state drops the fit-* info keys. */
void rnnm_keep_best(struct rnnm *m, const rk_real *best);
void rnnm_drop_fit_state(struct rnnm *m);

/* Would the stream of such a model fit the limits every reader applies
 * (rnnkit-weights(5), LIMITS), as a checkpoint with the optimizer's state
 * (adam: two values per parameter) and the best weights? The readers'
 * key bounds too: inputs, columns and outputs at most 100000, window and
 * horizon at most 1000000. 0, or -1 with why (one line) filled in. For
 * rnn-train, before it trains: when the options are parsed (with nin =
 * ncols = nout = 1) and again with the data's sizes. */
int rnnm_check_limits(const struct rnn_config *c, size_t ncols,
                      size_t window, size_t horizon, char *why, size_t len);

void rnnm_to_stream(const struct rnnm *m, struct rk_wstream *w);
/* Dies (65) when the stream is not an rnn model or is inconsistent: every
 * shape is checked on the header, then the tensors loaded (ws_load), and
 * only then is the model allocated. */
void rnnm_from_stream(struct rnnm *m, struct rk_wstream *w);
/* Read a model file (path NULL or "-": stdin). */
void rnnm_load(struct rnnm *m, const char *path);
void rnnm_save(const struct rnnm *m, const char *path, int force);
/* Write the model to an output opened with gzip (rk_out_open). */
void rnnm_write(const struct rnnm *m, struct rk_out *o);

/* PyTorch-named CSV tensors in a directory, plus a "config" file of
 * key=value lines (cell, act, input, hidden, layers, output, window and
 * optionally horizon). export writes the same files, creating dir and its
 * missing parents (mkdir -p), every value exact whatever
 * rk_set_precision says. */
void rnnm_import_csv(struct rnnm *m, const char *dir);
void rnnm_export_csv(const struct rnnm *m, const char *dir);

/* Does the model's output equal its input, column for column (and has it
 * no target-only column)? */
int rnnm_autoregressive(const struct rnnm *m);

#endif
