/* ensemble.h - rnn-train --ensemble: N members trained apart, one model
 * whose prediction is the members' median, a classifier's the mean of
 * their probabilities (rnnmodel.h, rnnm_forward).
 *
 * Member k (0-based, k < N) is what `rnn-train --seed S+k --threads 1`
 * with the same other options trains, bit for bit: its net is drawn by
 * rnn_model_randomize from a generator seeded S+k, then fit() runs with
 * seed S+k and threads 1 on the same scaled data, the same training and
 * validation windows; with refit, fit_refit() follows for its own best
 * epoch count, on the linear path fitted again on all[0..nall)
 * (rnnm_ar_refit, once for every member: rnn-train's refit does the
 * same). A member never depends on another, so members are spread
 * over threads whole, at most eo->threads at a time, each in its own
 * fit() (fit.h, "Threads"): the ensemble is the same for any thread
 * count.
 *
 * The residuals for --interval (conformal.h) come from the ensemble's
 * median predictions on the validation windows, with the members'
 * validation-run weights (a refit has seen those windows).
 *
 * Signals: fit_stop ends every running member after no more work (its
 * last complete epoch is kept, as fit() does) and starts no other; the
 * members with at least one epoch make the ensemble. A signal in a refit
 * gives every member its validation-run weights back.
 */
#ifndef RNNKIT_ENSEMBLE_H
#define RNNKIT_ENSEMBLE_H

#include <stddef.h>

#include "fit.h"
#include "rnnmodel.h"
#include "series.h"

struct ens_opts {
	size_t members;         /* N >= 1 */
	int threads;            /* members trained at once, >= 1 */
	int refit;              /* then refit each member on all[0..nall) */
	int report;             /* a line on stderr per member as it ends */
	enum rk_optim_kind optim;
	double lr, momentum, weight_decay;      /* as rnn-train sets them */
};

struct ens_result {
	size_t n;               /* members trained (eo->members) */
	struct fit_result *fr;  /* n: each member's validation run */
	struct fit_result *rr;  /* n: each member's refit (epochs 0: none) */
	enum fit_end end;       /* FIT_DIVERGED if a member diverged, else
	                           FIT_SIGNAL if a signal stopped training,
	                           else FIT_DONE */
	int signal;             /* FIT_SIGNAL: which */
	size_t diverged;        /* FIT_DIVERGED: the first member that did
	                           (0-based); fr[diverged].why says how */
	int refitted;           /* the members are the refits' */
	int refit_stopped;      /* a signal stopped a refit: the members are
	                           the validation runs' */
	size_t kept;            /* members in the model: those with at least
	                           one epoch */
	double val_loss;        /* the ensemble's MSE on the validation
	                           windows, scaled units (a classifier's
	                           cross-entropy; rnnm_loss); NaN: none */
};

/* Train the ensemble. m: the model as rnn-train sets it up before fit()
 * (columns, targets, transform, scaling applied to ss, the net's
 * configuration, info keys); its weights are replaced. fo: the options
 * of one member's fit() (seed S; log, checkpoint, verbose and progress
 * are not used). On return (but for FIT_DIVERGED, when m is unchanged)
 * m holds the er->kept members, residuals (nval > 0) and info keys
 * ensemble-wide: val-loss of the median predictions, member-epochs,
 * member-best-epochs and member-val-loss (one value per member, in
 * member order), refit; no epochs, train-loss or best-epoch. */
void ensemble_fit(struct rnnm *m, const struct series_set *ss,
                  const struct window *train, size_t ntrain,
                  const struct window *val, size_t nval,
                  const struct window *all, size_t nall,
                  const struct fit_opts *fo, const struct ens_opts *eo,
                  struct ens_result *er);
void ens_result_release(struct ens_result *er);

/* The model's MSE (scaled units) on windows w[0..n) of ss: its
 * (median) predictions against the targets; a classifier's
 * cross-entropy of its (mean) probabilities. NaN when n is 0. */
double rnnm_loss(const struct rnnm *m, const struct series_set *ss,
                 const struct window *w, size_t n);

#endif
