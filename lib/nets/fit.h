/* fit.h - the training loop of every model rnn-train makes (windows,
 * sequences, text): epochs of shuffled minibatches of windows (chunks of
 * streams), gradient clipping, the optimizer step, validation with early
 * stopping and a plateau schedule, a time limit, checkpoints, a log,
 * progress, and stopping cleanly on a signal. rnn-train is a thin
 * caller; ensembles and refits call fit() more than once (fit_refit()).
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
 * without a loss (rnn_seq_forward); a classifier's validation accuracy
 * is the share of those steps whose most probable class is the
 * target's. The rest (early stopping, checkpoints, signals, threads,
 * the time limit) is as for windows; ranks: below.
 *
 * Data sources (struct fit_source): a sequence model reads its steps
 * through o->source, the spans of training and validation steps and a
 * gather of B streams' T steps at given positions (inputs and targets,
 * written into fit()'s buffers of B K nin and B K nout reals), and
 * optionally scores the validation part itself. o->source NULL: the CSV
 * series ss, the spans of the steps train and val, gathered by
 * series_gather_seq and validated as above. A source changes nothing
 * else: the spans' order, the streams, shifts, chunks and dropout keys
 * are those above. rnn-train --text gives the text (textdata.h: its
 * classes, int32 each): one span of n - 1 steps, step t reading the
 * one-hot row of symbol t with the next symbol's as its target, written
 * chunk by chunk (O(B K V) reals, never the whole text one-hot), the
 * held-out part scored from a zero state by textnet.h (its first symbol
 * as context). With a source, ss, train and val are not read; ntrain
 * and nval count the steps (those scored, for the held-out part).
 *
 * Early stopping (nval > 0): the kept weights are those of the epoch with
 * the lowest validation loss; with patience P, training stops after P
 * epochs without a lower one. lr_decay F > 0 (a plateau schedule)
 * multiplies the optimizer's rate by F after each whole epoch whose
 * validation loss is not below the best so far; the rate so reached is
 * part of the checkpoint (key fit-lr), so a resume goes on with it.
 *
 * A time limit (max_time S > 0): training stops after the minibatch
 * (chunk) that ends S seconds or more after fit() started (validation
 * included). That epoch, cut short, counts: it is validated, logged,
 * may be the kept one and is checkpointed; the train loss is the mean
 * over what it trained; fit() returns FIT_TIME. With a cut the run is
 * not the same as any other, so determinism holds only without one.
 *
 * The log: epoch,train_loss,val_loss,grad_norm,seconds (the epoch's,
 * validation included), then val_accuracy for a classifier. With o->bpc
 * (text) the losses are in bits per character (nats / ln 2) and the log
 * is epoch,train_bpc,val_bpc,grad_norm,chars_per_s,seconds: the steps
 * trained per second of the epoch's training, and the seconds since
 * fit() started.
 *
 * Divergence (a loss, gradient or weight that is NaN or infinite) dies
 * with status 65 after closing the log; the last checkpoint stays. With
 * fit_opts.diverge_returns, fit() returns FIT_DIVERGED instead, the
 * message in fit_result.why (a worker thread of an ensemble must not
 * exit the program).
 *
 * MPI ranks (dist.h): rank 0 alone reads the data.  Every rank runs
 * fit() alike, from the start fit_share_start gives it; on a rank > 0,
 * ss, train and val are not read (NULL) and ntrain, nval are rank 0's
 * counts.  For each minibatch, rank 0 shuffles, reads the windows and
 * deals them out (rk_dist_scatterv): rank r gets the inputs, targets
 * and ids of the windows of its block of shards (rnn_rank_windows,
 * rnn.h "Ranks") and never holds another's; every rank computes its
 * shards, the shard gradients and losses are allgathered and summed in
 * shard order, and every rank takes the same optimizer step.  The
 * validation windows go out the same way: each rank computes its
 * windows' outputs, rank 0 gathers them (rk_dist_gatherv), sums the
 * errors in window order and shares the loss.  So the model is the
 * one-process model bit for bit, and a rank > 0 holds, beside the net,
 * the optimizer and the work buffers (rnn_work_new, the same on every
 * rank), the windows of one batch's share: W * nin + nout reals and an
 * id per window, about a 1/N of a batch (nothing that grows with the
 * data).  Rank 0 holds the data, as one process does, and one whole
 * batch.  Per batch the ranks exchange: rank 0 sends each its windows
 * (at most B (W nin + nout) reals and B ids in all), and every rank
 * receives every shard gradient it did not compute (nparam reals each,
 * of S = rnn_shards(B)).  Sending the series to every rank once instead
 * would keep the whole data on every rank; the windows dealt out cost
 * about B (W nin + nout) / (S nparam) of the gradients' bytes (1.6% for
 * lstm hidden 128, window 64, batch 64).
 * A sequence model on ranks: rank 0 sends every rank the training spans
 * once (series, start, length: one per series), so every rank draws the
 * same span order and shifts from the epoch's generator and runs the
 * same chunks; for each chunk rank 0 reads the B streams' K steps and
 * deals each rank the inputs, targets and ids of its block of streams
 * (rnn_rank_windows over the streams; one scatter).  Each rank carries
 * the state of its own streams (the whole state after each chunk:
 * rnn.h, "Ranks"), the gradients go as for windows, and the validation
 * loss (eval_seq, a forward pass, or the source's score) is computed by
 * rank 0 alone, which shares it.  A rank > 0 holds K (nin + nout)
 * reals and an id per stream of its block, and the state of the
 * batch's streams (nlayers * batch * H reals, twice for lstm).
 * Before every minibatch (chunk) the ranks take rank 0's fit_stop (and,
 * with max_time, rank 0's clock), so a signal (a time limit) stops them
 * all after the same minibatch.  The caller gives
 * rank 0 alone the log and the checkpoint.
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

/* consecutive steps of one series (fit.h, "Data sources") */
struct fit_span { size_t series, start, len; };

struct fit_source {
	const struct fit_span *train, *val;     /* the spans of steps */
	size_t ntrain, nval;
	/* x (B, T, nin) and, unless tg is NULL, tg (B, T, nout) of the B
	 * streams whose first step is pos[b] (a span's series, a step of
	 * it); every step within its span */
	void (*gather)(void *ctx, const struct rnnm *m,
	               const struct window *pos, size_t B, size_t T,
	               rk_real *x, rk_real *tg);
	/* NULL: the validation spans run as eval_seq does. Else the mean
	 * validation loss per step of m's net (NaN: not finite), and *acc
	 * a classifier's accuracy (NaN: none); called on rank 0 only */
	double (*score)(void *ctx, const struct rnnm *m, double *acc);
	void *ctx;
};

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
	double max_time;        /* seconds; 0: no limit */
	double lr_decay;        /* the rate's factor after an epoch that is
	                           not the best (needs nval > 0); 0: off */
	int bpc;                /* losses in bits per character in the log
	                           and the epoch lines (text) */
	const struct fit_source *source;  /* sequences: the data; NULL: ss */
};

enum fit_end { FIT_DONE, FIT_EARLY, FIT_SIGNAL, FIT_DIVERGED, FIT_TIME };

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
	double steps;           /* windows (steps) trained in this run */
	double seconds;         /* of training in this run, validation
	                           excluded */
	double lr;              /* the optimizer's rate at the end */
	double lr_start;        /* its rate when fit() began (before a
	                           checkpoint's fit-lr) */
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
 * on the windows of ss (already scaled by m), or a sequence model on
 * o->source's steps, with opt (initialised, state restored or not).
 * m->info must say "epochs" for a resumed model. On return m holds the
 * weights to keep: the best epoch's with nval > 0, else the last
 * complete (or cut) epoch's; its info holds epochs, losses (nats, or a
 * regression's MSE) and the best epoch. Dies on divergence (unless
 * o->diverge_returns). */
void fit(struct rnnm *m, struct rk_optim *opt, const struct series_set *ss,
         const struct window *train, size_t ntrain,
         const struct window *val, size_t nval,
         const struct fit_opts *o, struct fit_result *r);

/* MPI ranks, before fit() (rnn-train): rank 0's start to every rank.
 * Rank 0 gives m (its net's configuration and weights, mode, window, the info
 * key "epochs" and the early-stopping state of a checkpoint: the
 * fit-best keys and fit_best), opt (kind, settings, steps and moments),
 * o and the counts *ntrain, *nval; a rank > 0 gives them empty and gets
 * them, o without rank 0's outputs (no checkpoint, log, verbose lines,
 * progress or phase).  The settings travel as the bytes of their
 * structs: every rank runs the same build.  Collective; a no-op with one
 * process. */
void fit_share_start(struct rnnm *m, struct rk_optim *opt, struct fit_opts *o,
                     size_t *ntrain, size_t *nval);

/* rnn-train --refit (rnn-train(1), "Refit"). m holds the model fit()
 * kept from a run with validation windows, r that run's result with
 * r->best_epoch B > 0; init holds the weights (m->net.nparam) that run
 * started from. Train init afresh on all[0..nall) (the training and the
 * validation windows) for exactly B epochs, with no validation, with opt
 * reset (its rate back to r->lr_start: a plateau schedule, lr_decay, has
 * no validation loss to follow), the seed, batch and threads of o, no
 * time limit, no checkpoint and no log (the first run's are kept);
 * progress lines say "refit: ". m's scaling,
 * transform and residuals (conformal.h) stay those of the first run.
 * On return, rr holds the refit's result and m its weights, with info
 * epochs B, the refit's last train-loss, the first run's val-loss and
 * best-epoch, and "refit: B epochs on N windows". If a signal stops it
 * (rr->end FIT_SIGNAL), m is the first run's model again, unchanged.
 * On an MPI rank > 0, ss and all are NULL and nall is rank 0's count
 * (fit, "MPI ranks"). */
void fit_refit(struct rnnm *m, struct rk_optim *opt, const rk_real *init,
               const struct series_set *ss, const struct window *all,
               size_t nall, const struct fit_opts *o,
               const struct fit_result *r, struct fit_result *rr);

#endif
