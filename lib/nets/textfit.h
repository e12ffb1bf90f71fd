/* textfit.h - train a character net (textnet.h) on text: many to many,
 * stateful truncated BPTT over parallel streams (rnn.h, "many to many"),
 * the held-out part scored in bits per character after every epoch.
 *
 * Data: the classes c_0 .. c_{n-1} of the training part. B' = min(B,
 * n - 1) streams; stream b reads the S = floor((n - 1) / B') inputs
 * c_{bS} .. c_{bS+S-1}, each with the next symbol as its target (one-hot
 * inputs and targets of V classes); the last n - 1 - B'S inputs are left
 * out. An epoch is one pass: chunks of K = bptt steps of every stream at
 * once, the last one shorter (S - (ceil(S/K) - 1) K steps), the state
 * zero at the epoch's start and carried from chunk to chunk, the gradient
 * truncated at each chunk's start (rnn_seq_step_grad). Each chunk:
 *   L = mean over its B'T steps of -ln p(target)   (CE, nats)
 *   g = clip_value(clip_norm(dL/dθ)), θ = optimizer(θ, g)
 * Dropout p (between stacked layers): masks keyed by seed ^ (chunk
 * number * φ64) and the stream (rnn_work_set_dropout).
 * Train bits per character of an epoch: the mean of its chunks' L over
 * their steps, / ln 2. Held-out: textnet.h's score of the held-out
 * classes from the zero state (their first symbol is context only).
 *
 * Stopping: after epochs epochs (counted over the model's life: start is
 * the model's epochs so far), after the chunk that ends past max_time
 * seconds from the start (the held-out part is then scored once more:
 * the log's last row is that partial epoch), after patience P > 0 whole
 * epochs in a row whose held-out score is not below the best so far, or
 * after the chunk during which fit_stop was set (fit.h: SIGINT,
 * SIGTERM). Each whole epoch whose held-out score is not below the best
 * so far multiplies the optimizer's rate by lr_decay (0: never), as a
 * plateau schedule does. The model kept: with a held-out part, the
 * weights of the epoch (or the cut epoch) with the lowest held-out score
 * (early stopping, as fit.h keeps the best epoch; a signal's partial
 * epoch is not scored and so never kept); without one, the last chunk's.
 * A loss, gradient norm or weight that is not finite dies (65), as fit()
 * does.
 *
 * Deterministic: the same text, options and seed give the same bits for
 * any threads (rnn.h's shards), unless max_time or a signal cuts the
 * run.
 */
#ifndef RK_TEXTFIT_H
#define RK_TEXTFIT_H

#include <stddef.h>
#include <stdint.h>

#include "output.h"
#include "rnn.h"

struct textfit_opts {
	long long epochs;       /* the last epoch, counting start */
	long long start;        /* epochs the model has had */
	int streams;            /* B */
	int bptt;               /* K */
	int threads;
	double max_time;        /* seconds; 0: no limit */
	double clip_norm, clip_value;   /* 0: off */
	double dropout;
	long long patience;     /* 0: no early stop */
	double lr_decay;        /* rate factor after an epoch not the best;
	                           0: off */
	uint64_t seed;
	struct rk_out *log;     /* open: header, then a row per epoch,
	                           epoch,train_bpc,val_bpc,grad_norm,chars_per_s,
	                           seconds; NULL: none */
	int verbose;            /* a line per epoch on stderr */
};

enum textfit_end { TEXTFIT_DONE, TEXTFIT_TIME, TEXTFIT_SIGNAL,
                   TEXTFIT_PATIENCE };

struct textfit_result {
	enum textfit_end end;
	int signal;
	long long epochs;       /* complete epochs, counting start */
	size_t chunks;          /* chunks trained in this run */
	double chars;           /* inputs trained on in this run (B' per
	                           step) */
	double seconds;         /* of training, scoring excluded */
	double train_bpc;       /* the last (partial) epoch's; NaN: none */
	double val_bpc;         /* the held-out score of the weights kept
	                           (the best); NaN: none */
	long long best_epoch;   /* the epoch kept (the cut epoch's number
	                           when that one); 0: none scored */
	double lr;              /* the optimizer's rate at the end */
	size_t val_chars;       /* its predicted symbols (nval - 1) */
	int streams;            /* B' */
};

/* Train net (nin = nout = V, loss CE) from its parameters with opt on
 * the classes train[0..ntrain) (ntrain >= 2), scoring val[0..nval) (nval
 * < 2: none). Dies on divergence or no memory. */
void textfit(struct rnn_model *net, struct rk_optim *opt,
             const int32_t *train, size_t ntrain, const int32_t *val,
             size_t nval, const struct textfit_opts *o,
             struct textfit_result *r);

#endif
