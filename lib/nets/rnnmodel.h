/* rnnmodel.h - a forecasting model: the net (rnn.h) plus what it needs to
 * meet data: input column names, target columns, window, horizon and the
 * per-column scaling. Saved as a weight stream of kind "rnn", or as CSV
 * tensors named like PyTorch's.
 *
 * Invariants: ncols >= net.cfg.nin: columns [0, nin) are the net's inputs,
 * the others are predicted but not fed (target-only, e.g. a class);
 * ntargets * steps == net.cfg.nout but for a classifier (below); targets[k] is a 0-based column; shift/scale
 * have ncols entries, scale > 0; the net sees (x - shift) / scale and
 * predicts targets in those units, x being the transformed value
 * (transform.h: a log or a difference; old streams: none). A stream has "columns: N" when ncols
 * differs from "inputs" (older streams: ncols == inputs).
 * normalize RK_NORM_WINDOW: each window is seen relative to its last row
 * and predictions are relative to it (series.h, rnnm_window_x); stream
 * key "normalize: window", every target an input column; older streams
 * and streams without the key: RK_NORM_NONE.
 *
 * Horizons: steps == 1 (stream "horizon: H") is one output per target,
 * the row H steps after the window. steps == K >= 2 (--horizon 1-K,
 * stream "horizon: 1-K", horizon == 1) is a direct multi-horizon model:
 * output (h-1) * ntargets + k (step-major) is target k at the row h
 * steps after the window, h = 1..K; the window ending at row t is
 * trained on rows t+1..t+K, all in its series (series_target_value says
 * what each output is trained on under a transform). Output h = 1 is
 * the one-step prediction, the same as a one-output model's.
 *
 * Ensembles (rnn-train --ensemble, ensemble.h): nmembers nets of one
 * configuration share everything above; a prediction is, per output, the
 * median of the members' predictions (rnnm_forward). Member 1 is net;
 * members 2..N have their parameters in mparam, member k (1-based) at
 * mparam + (k - 2) * net.nparam. In a stream: "ensemble: N" (N > 1;
 * without the key, one member), member 1's tensors under their names,
 * member k's under "m<k>." and the same name (m2.weight_ih_l0, ...), in
 * member order after member 1's; the scaling, transform, columns, window
 * and residuals once.
 *
 * Classifiers (rnn-train --loss ce; net.cfg.loss RNN_LOSS_CE): one
 * target, a column that is not an input, holding labels (labels.h); the
 * net has one output per class, nout = labels.n >= 2, trained on
 * one-hot rows by softmax cross-entropy (rnn.h), steps 1, no transform,
 * normalize, linear path or residuals; its scaling of the label column
 * is the identity (the column holds class indexes). Horizon H >= 1 is
 * the label of the row H steps after the window; H = 0 (a classifier's
 * only) the label of the window's own last row. rnnm_forward gives the
 * class probabilities: the softmax of the net's outputs, with an
 * ensemble the mean of its members' (not a median). In a stream: "loss:
 * ce" after "outputs" (no key: mse), and after the targets
 * "class-1: NAME" ... "class-N: NAME" in class order.
 */
#ifndef RNNKIT_RNNMODEL_H
#define RNNKIT_RNNMODEL_H

#include <stddef.h>

#include "labels.h"
#include "rnn.h"
#include "text.h"
#include "transform.h"
#include "wstream.h"

enum rk_scaling { RK_SCALE_ZSCORE, RK_SCALE_MINMAX, RK_SCALE_NONE };
/* RNNM_WINDOW: many to one, a prediction from each window of rows.
 * RNNM_SEQ (rnn-train --mode seq): many to many, the net runs along each
 * series one row at a time, its state carried from row to row, and
 * predicts at every row the targets `horizon` rows later (rnn.h, "many
 * to many"). window is 1 (a step reads one row), steps 1, no transform,
 * normalize none, no linear path, one member, no residuals. In a stream:
 * "mode: seq" and no "window" key (a reader that does not know the mode
 * refuses the model for the missing key); no "mode" key: RNNM_WINDOW. */
enum rnnm_mode { RNNM_WINDOW, RNNM_SEQ };
enum rk_normalize { RK_NORM_NONE, RK_NORM_WINDOW };

struct rnnm {
	struct rnn_model net;
	enum rnnm_mode mode;
	size_t window, horizon; /* window: the net's steps, its "window"
	                           key; a window reads window + tf.lag rows
	                           (rnnm_window_rows), what --window gives */
	size_t steps;           /* K: outputs per target, 1..K ahead
	                           (horizon 1); 1: one, horizon ahead */
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
	enum rk_normalize normalize;    /* after the scaling (series.h) */
	struct rk_wstream info; /* training metadata to carry (no tensors) */
	/* optimizer state, kept in checkpoints so that --init continues it:
	 * optim_t steps taken (0: none kept), optim_m and (adam) optim_v of
	 * net.nparam values each, owned */
	enum rk_optim_kind optim_kind;
	long optim_t;
	rk_real *optim_m, *optim_v;
	/* early-stopping state of a checkpoint (fit.h): the best epoch's
	 * weights, net.nparam values, owned (NULL: none), beside the info
	 * keys fit-best-epoch, fit-since-best, fit-best-val, fit-best-train
	 * and (a classifier's) fit-best-accuracy; fit-lr, the rate of a
	 * plateau schedule (fit_opts.lr_decay) */
	rk_real *fit_best;
	/* residuals on the validation windows for prediction intervals
	 * (conformal.h): conf_steps steps (0: none), conf_n windows,
	 * conf_count[h-1] of them at step h, conf_res (conf_steps *
	 * ntargets) x conf_n, owned */
	size_t conf_steps, conf_n;
	int conf_scale;         /* --interval-scale=diff asked for */
	int conf_widen;         /* --interval-widen=auto asked for */
	double *conf_wf;        /* in memory only: ntargets factors the
	                           residuals were widened by (conformal.h,
	                           "Widening"); NULL: none; owned */
	double *conf_sref;      /* ntargets reference scales: step 1's
	                           residuals are relative to the window's
	                           scale (conformal.h); NULL: not; owned */
	size_t *conf_count;
	double *conf_res;
	/* a recursive forecast's blend (conformal.h, "Forecast blend"):
	 * fc_period P >= 1 the season of the naive forecast (0: none known),
	 * fc_blend (ntargets) each target's weight w of the net, 1 - w the
	 * seasonal naive forecast's, from step 2 on; NULL: the net alone;
	 * owned. In a stream "forecast-period: P" and "forecast-blend:
	 * w1,...,wN"; older streams have neither (the net alone); P alone:
	 * a blend was asked for (fc_mode) and is not chosen yet (a
	 * checkpoint; its resume blends with that season) or was none.
	 * fc_mode, in memory only: what conformal_fit does (rnn-train
	 * --forecast-blend): RNNM_BLEND_NONE, _AUTO (chosen on the
	 * validation windows) or _FIXED (fc_fixed for every target) */
	size_t fc_period;
	double *fc_blend;
	int fc_mode;
	double fc_fixed;
	/* an ensemble: nmembers (0 or 1: just net), mparam (nmembers - 1) x
	 * net.nparam, owned (NULL with one member) */
	size_t nmembers;
	rk_real *mparam;
	/* the linear path (arpath.h): ar_n terms per target (0: none), ar
	 * (ntargets, ar_n), owned; shared by an ensemble's members */
	size_t ar_n;
	double *ar;
	double ar_lambda;       /* its ridge weight (0: none), in memory
	                           only: rnnm_ar_refit's */
	int ar_last;            /* shrunk toward the last value (arpath.h)
	                           rather than 0, in memory only */
	/* a classifier's classes (net.cfg.loss RNN_LOSS_CE); n 0 else */
	struct rk_labels labels;
	/* a text model (rnn-train --text, textnet.h): vocab.n = V classes
	 * (0: not a text model), the net's V one-hot inputs and V logits
	 * (loss CE); mode RNNM_SEQ, ncols = ntargets = V, target k = column
	 * k, scaling none (none of which a text model uses). Its stream is
	 * of its own (rnnm_to_stream): kind rnn, the net's keys, "loss: ce",
	 * "mode: seq", the info keys, the net's tensors, then text.h's keys
	 * and tensor; no columns, targets, window, horizon or scaling. */
	struct rk_vocab vocab;
};

enum { RNNM_BLEND_NONE, RNNM_BLEND_AUTO, RNNM_BLEND_FIXED };

/* Members an ensemble may have */
#define RNNM_MAXMEMBERS 100

/* Members of m (at least 1). */
static inline size_t rnnm_nmembers(const struct rnnm *m)
{
	return m->nmembers > 1 ? m->nmembers : 1;
}
/* Member k's (0-based) parameters. */
static inline rk_real *rnnm_member_param(const struct rnnm *m, size_t k)
{
	return k ? m->mparam + (k - 1) * m->net.nparam : m->net.param;
}

/* Member k's (0-based) name of tensor name, as the stream has it:
 * "m<k+1>." before it, but for member 1 (b of n bytes, >= 48). */
void rnnm_member_name(char *b, size_t n, size_t k, const char *name);

const char *rk_scaling_name(enum rk_scaling s);
int rk_scaling_parse(const char *s, enum rk_scaling *out);
const char *rk_normalize_name(enum rk_normalize n);
/* 0, or -1: not none or window */
int rk_normalize_parse(const char *s, enum rk_normalize *out);

/* Allocate names, targets, identity scaling and transform; net must be
 * set up (ntargets * steps outputs, steps 0 taken as 1; horizon 0 as 1
 * but for a classifier). */
void rnnm_init_meta(struct rnnm *m, size_t ncols, size_t ntargets);
void rnnm_release(struct rnnm *m);
/* Where m came from, for messages: its stream's name, or "the model" */
const char *rnnm_name(const struct rnnm *m);
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

/* Make m an ensemble of n members (n >= 1), member 1 being net: mparam
 * is (re)allocated, its values unset. */
void rnnm_set_members(struct rnnm *m, size_t n);

/* The targets of a net of configuration c and steps K: 1 for a
 * classifier, else nout / K. */
size_t rnnm_outputs_targets(const struct rnn_config *c, size_t steps);

/* A work for rnnm_forward: batches of up to maxB windows of up to maxT
 * steps, split over nthreads threads (rnn_work_new; the predictions are
 * the same bits for any nthreads). NULL when out of memory. */
struct rnnm_work;
struct rnnm_work *rnnm_work_new(const struct rnnm *m, int maxB, int maxT,
                                int nthreads);
void rnnm_work_free(struct rnnm_work *w);
/* y (B, nout) <- the model's prediction from x (B, T, nin): with one
 * member rnn_forward; else, per output, the median of the members'
 * predictions (N even: the mean of the two middle ones, in double,
 * rounded to rk_real once). A classifier: the class probabilities,
 * softmax of each member's outputs, averaged in double over the
 * members (above). */
void rnnm_forward(const struct rnnm *m, struct rnnm_work *w, rk_real *y,
                  const rk_real *x, int B, int T);

/* Would the stream of such a model fit the limits every reader applies
 * (rnnkit-weights(5), LIMITS), as a checkpoint with the optimizer's state
 * (adam: two values per parameter) and the best weights? The readers'
 * key bounds too: inputs, columns and outputs at most 100000, window and
 * horizon at most 1000000. 0, or -1 with why (one line) filled in. For
 * rnn-train, before it trains: when the options are parsed (with nin =
 * ncols = nout = 1) and again with the data's sizes. */
int rnnm_check_limits(const struct rnn_config *c, size_t ncols,
                      size_t window, size_t horizon, char *why, size_t len);

/* Would m's header, once trained as an ensemble of members nets (1: a
 * single net), fit the readers' limits (rnnkit-weights(5), LIMITS)?
 * Its keys as rnnm_to_stream writes them (column names, positions, time
 * keys, info), the keys training adds at their longest (forecast-blend:
 * 23 bytes a target) and RNNM_HEADER_RESERVE bytes for the rest (losses,
 * epochs, member lists). For rnn-train, after the data, before training;
 * 0, or -1 with why (one line) filled in. */
#define RNNM_HEADER_RESERVE (64 * 1024)
int rnnm_check_header(const struct rnnm *m, size_t members, char *why,
                      size_t len);
void rnnm_to_stream(const struct rnnm *m, struct rk_wstream *w);
/* Dies (65) when the stream is not an rnn model or is inconsistent: every
 * shape is checked on the header, then the tensors loaded (ws_load), and
 * only then is the model allocated. */
void rnnm_from_stream(struct rnnm *m, struct rk_wstream *w);
/* Read a model file (path NULL or "-": stdin). */
void rnnm_load(struct rnnm *m, const char *path);
void rnnm_save(const struct rnnm *m, const char *path, int force);
/* Write the model to an output opened with gzip (rk_out_open). Dies (70)
 * on a tensor the reader refuses: NaN or Inf, but for the +Inf that pads
 * interval residuals. */
void rnnm_write(const struct rnnm *m, struct rk_out *o);

/* PyTorch-named CSV tensors in a directory, plus a "config" file of
 * key=value lines (cell, act, input, hidden, layers, output, window and
 * optionally horizon). export writes the same files, creating dir and its
 * missing parents (mkdir -p), every value exact whatever
 * rk_set_precision says. */
void rnnm_import_csv(struct rnnm *m, const char *dir);
void rnnm_export_csv(const struct rnnm *m, const char *dir);

/* The rows a window reads: the net's steps and the transform's history,
 * window + tf.lag. */
size_t rnnm_window_rows(const struct rnnm *m);
/* --horizon's value: "H" (0..1000000: *H = H, *K = 1; 0 is a
 * classifier's only) or "1-K"
 * (K 2..1000: *H = 1, *K = K). 0, or -1 when it is neither. */
#define RNNM_MAXSTEPS 1000
int rnnm_horizon_parse(const char *s, size_t *H, size_t *K);
/* "H" or "1-K" into buf (n >= 24 bytes); returns buf. */
char *rnnm_horizon_name(const struct rnnm *m, char *buf, size_t n);

/* Make m a fresh text model of configuration c (cell, act, nhid,
 * nlayers; nin, nout and loss are set here) over the vocabulary v
 * (copied; V >= 2): parameters zero, layout of the struct's comment. */
void rnnm_text_init(struct rnnm *m, const struct rnn_config *c,
                    const struct rk_vocab *v);

/* Does the model's output equal its input, column for column (and has it
 * no target-only column)? */
int rnnm_autoregressive(const struct rnnm *m);

#endif
