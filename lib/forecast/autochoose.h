/* autochoose.h - what rnn-train chooses from the data when the command
 * line leaves it open (rnn-train(1), "Framing", "Transforms",
 * "Validation and early stopping"), in this order, each choice seeing the
 * ones before it:
 *
 *   period     --period, else the time column's step (rk_tstep_period),
 *              else the autocorrelation (series_auto_period; not for a
 *              classifier's labels), else 1
 *   window     --window W rows, else auto: the net's steps from
 *              series_auto_window, plus the transform's history d
 *   validation --val FRAC, else auto (series_auto_val, with the most
 *              history the transform may take)
 *   transform  --transform, else auto (series_auto_transform on the
 *              training part); none for a classifier, whose --period is
 *              only the season of its window; an explicit window must leave the net a
 *              step: no seasonal difference whose lag fills it, and no
 *              difference in a window of one row
 *
 * A window reads W rows: d = tf.lag of history, then W - d steps for the
 * net (m->window); W <= d with an explicit window and transform is a
 * usage error (64).
 */
#ifndef RNNKIT_AUTOCHOOSE_H
#define RNNKIT_AUTOCHOOSE_H

#include <stddef.h>

#include "rnnmodel.h"
#include "series.h"
#include "transform.h"

struct rk_auto {
	/* in: what the command line gave */
	size_t period;                  /* 0: choose */
	size_t window;                  /* rows; 0: auto */
	int val_auto;                   /* else val as given */
	double val;
	int transform_auto;             /* else transform as given */
	enum rk_transform transform;
	/* out: the season found (the period above, 1: none) */
	size_t season;
	/* out: val chosen; and what to say (empty: nothing) */
	char why_period[256], why_window[320], why_transform[512];
	char why_val[256];
};

/* Set m's window and transform (m: the net, targets, horizon and steps
 * set, ss loaded) and a->val, as above. */
void rk_auto_choose(struct rnnm *m, const struct series_set *ss,
                    struct rk_auto *a);

#endif
