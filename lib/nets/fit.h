/* fit.h - the training loop of a forecasting model: epochs of shuffled
 * minibatches of windows, gradient clipping, the optimizer step,
 * validation with early stopping, checkpoints, a log, progress, and
 * stopping cleanly on a signal. rnn-train is a thin caller; ensembles and
 * refits call fit() more than once (fit_refit()).
 *
 * One epoch e (1-based, counted over the model's whole life):
 *   order = shuffle(0..ntrain) with a generator seeded by seed ^ e * φ64
 *   for each minibatch b of order: g = dL/dθ (rnn_train_step_grad, the
 *       head's loss, cfg.loss; with dropout p, of the net with masks
 *       keyed by seed ^ e * K and
 *       each window's index in train: rnn_work_set_dropout),
 *       g = clip_value(clip_norm(g)), θ = optimizer(θ, g)
 *   train loss = mean over the epoch's windows (with dropout, of the
 *   masked nets); val loss = MSE over val, without dropout.
 * A classifier (rnnmodel.h) uses its loss, the cross-entropy, for both
 * (so early stopping watches it), and reports the validation accuracy
 * beside it: on the epoch's line, and as the log's last column,
 * val_accuracy (only then).
 * The shuffle depends on (seed, e) only, and checkpoints keep θ, the
 * optimizer's moments and the early-stopping state (best θ, best loss,
 * its epoch, epochs since): training stopped after epoch k and resumed
 * from its checkpoint gives the model of one run, byte for byte.
 *
 * Sequences (m->mode RNNM_SEQ, rnnmodel.h): train and val are steps,
 * the windows of one row (series_windows with W = 1), each series' in
 * order; o->bptt = K > 0 is the chunk. One epoch e: the training spans
 * (each series' training steps, len of them) in an order shuffled with
 * the generator of e; in each, B = min(batch, max(1, len / K)) streams of
 * S = len / B steps, all shifted by one draw of that generator in
 * [0, len - B S], from a zero state, run in chunks of min(K, rest) steps
 * (rnn_seq_step_grad; the state carried, no gradient across chunks), one
 * optimizer step per chunk (clipping as above); dropout masks keyed by
 * seed ^ e * K1 ^ (chunk + 1) * K2 and the stream. train loss = the mean
 * over every step trained; val loss = the mean over the validation
 * steps, run the same way, each stream first over the K steps before it
 * without a loss (rnn_seq_forward). The rest (early stopping,
 * checkpoints, signals, ranks, threads) is as for windows.
 *
 * Early stopping (nval > 0): the kept weights are those of the epoch with
 * the lowest validation loss; with patience P, training stops after P
 * epochs without a lower one.
 *
 * Divergence (a loss, gradient or weight that is NaN or infinite) dies
 * with status 65 after closing the log; the last checkpoint stays. With
 * fit_opts.diverge_returns, fit() returns FIT_DIVERGED instead, the
 * message in fit_result.why (a worker thread of an ensemble must not
 * exit the program).
 *
 * MPI ranks (dist.h): every rank runs fit() alike; rnn_work_set_ranks
 * splits each minibatch's shards over them (rnn.h, "Ranks"), every rank
 * takes the same optimizer step and computes the whole validation loss.
 * Before every minibatch the ranks take rank 0's fit_stop, so a signal
 * stops them all after the same minibatch.  The caller gives rank 0
 * alone the log and the checkpoint.
 *
 * Threads: fit() keeps no state of its own outside m, opt and r (fit_stop
 * is only read), so several fit() runs on different models may go on at
 * once over one series_set, each with threads 1, no progress, no verbose
 * lines, no log and no checkpoint (ensemble.h).
 */
#ifndef RNNKIT_FIT_H
#define RNNKIT_FIT_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "output.h"
#include "rnn.h"
#include "rnnmodel.h"
#include "series.h"

struct fit_opts {
	long long epochs;       /* the last epoch: the total, counting the
	                           model's own epochs */
	int epochs_more;        /* 1: epochs more than the model's own */
	size_t batch;           /* windows per minibatch */
	int bptt;               /* 0: through the whole window */
	int threads;
	double clip_norm;       /* 0: off */
	double clip_value;      /* 0: off */
	double dropout;         /* between stacked layers; 0: off */
	long long patience;     /* 0: never stop early */
	uint64_t seed;
	const char *checkpoint; /* written every 'every' epochs, at the last
	                           and at an early stop; NULL: none */
	long long every;
	struct rk_out *log;     /* open output: header, then a row per epoch,
	                           flushed; NULL: none */
	int verbose;            /* a line per epoch on stderr */
	int progress;           /* a live bar with ETA on stderr */
	const char *phase;      /* NULL, or a prefix of the progress lines
	                           ("refit: ") */
	int diverge_returns;    /* 1: divergence ends with FIT_DIVERGED
	                           rather than die() */
};

enum fit_end { FIT_DONE, FIT_EARLY, FIT_SIGNAL, FIT_DIVERGED };

struct fit_result {
	enum fit_end end;
	int signal;             /* FIT_SIGNAL: which */
	long long first;        /* epochs the model had at the start */
	long long epochs;       /* epochs done, counting those of 'first' */
	long long best_epoch;   /* nval > 0: the epoch whose weights are kept */
	double train_loss, val_loss;    /* of the kept weights (NaN: none) */
	double val_accuracy;    /* a classifier's, of the kept weights: the
	                           share of validation windows whose most
	                           probable class is right (NaN: none) */
	char why[200];          /* FIT_DIVERGED: the message die() would
	                           give; m then holds the weights of the last
	                           complete epoch */
};

/* Set by the handlers of fit_catch_signals(): the first SIGINT or SIGTERM
 * ends training after no more work; fit() returns FIT_SIGNAL. */
extern volatile sig_atomic_t fit_stop;

/* SIGINT and SIGTERM (unless ignored when the program started) set
 * fit_stop; a second one removes temporary outputs and ends the program
 * at once, killed by that signal. Call before opening outputs. */
void fit_catch_signals(void);

/* Train m (θ, and the early-stopping state it carries from a checkpoint)
 * on the windows of ss (already scaled by m) with opt (initialised, state
 * restored or not). m->info must say "epochs" for a resumed model. On
 * return m holds the weights to keep: the best epoch's with nval > 0,
 * else the last complete epoch's; its info holds epochs, losses and the
 * best epoch. Dies on divergence (unless o->diverge_returns). */
void fit(struct rnnm *m, struct rk_optim *opt, const struct series_set *ss,
         const struct window *train, size_t ntrain,
         const struct window *val, size_t nval,
         const struct fit_opts *o, struct fit_result *r);

/* rnn-train --refit (rnn-train(1), "Refit"). m holds the model fit()
 * kept from a run with validation windows, r that run's result with
 * r->best_epoch B > 0; init holds the weights (m->net.nparam) that run
 * started from. Train init afresh on all[0..nall) (the training and the
 * validation windows) for exactly B epochs, with no validation, with opt
 * reset, the seed, batch and threads of o, no checkpoint and no log (the
 * first run's are kept); progress lines say "refit: ". m's scaling,
 * transform and residuals (conformal.h) stay those of the first run.
 * On return, rr holds the refit's result and m its weights, with info
 * epochs B, the refit's last train-loss, the first run's val-loss and
 * best-epoch, and "refit: B epochs on N windows". If a signal stops it
 * (rr->end FIT_SIGNAL), m is the first run's model again, unchanged. */
void fit_refit(struct rnnm *m, struct rk_optim *opt, const rk_real *init,
               const struct series_set *ss, const struct window *all,
               size_t nall, const struct fit_opts *o,
               const struct fit_result *r, struct fit_result *rr);

#endif
