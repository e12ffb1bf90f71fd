/* autochoose.c - rnn-train's choices from the data (autochoose.h). */
#include <stdio.h>
#include <string.h>

#include "autochoose.h"
#include "timecol.h"
#include "util.h"

void
rk_auto_choose(struct rnnm *m, const struct series_set *ss, struct rk_auto *a)
{
	size_t P, P2, nt = m->ntargets;
	enum rk_transform kind = a->transform;

	a->why_period[0] = a->why_window[0] = a->why_transform[0] = 0;
	a->why_val[0] = 0;
	P = a->period ? a->period : rk_tstep_period(&ss->frame.time.step);
	/* a classifier's labels have no autocorrelation to speak of */
	if (!a->period && P == 1 && (a->transform_auto || !a->window) &&
	    m->net.cfg.loss != RNN_LOSS_CE)
		P = series_auto_period(ss, m->targets, nt, a->why_period,
		                       sizeof a->why_period);
	if (P == 1)
		a->why_period[0] = 0;   /* nothing found: nothing to say */
	a->season = P;
	/* the rows (explicit) or the net's steps (auto), for now */
	m->window = a->window ? a->window :
	            series_auto_window(ss, P, m->horizon, a->why_window,
	                               sizeof a->why_window);
	if (a->val_auto) {
		/* before the transform, whose tests look at the training
		 * part: with the most history it may take */
		a->val = series_auto_val(ss, m->window, m->horizon, !a->window ?
		                         (P > 1 ? P : 0) + 1 : 0, a->why_val,
		                         sizeof a->why_val);
		a->val_auto = 0;
	}
	/* the transform's period; a classifier's labels have none */
	P2 = a->period && m->net.cfg.loss != RNN_LOSS_CE ? a->period : 1;
	if (a->transform_auto) {
		series_auto_transform(ss, m->targets, nt, m->window, m->horizon,
		                      m->steps, a->val, P, &kind, &P2,
		                      a->why_transform, sizeof a->why_transform);
		rnnm_set_transform(m, kind, P2);
		if (a->window && m->tf.lag >= a->window && P2 > 1) {
			char w2[256];

			series_auto_transform(ss, m->targets, nt, m->window,
			                      m->horizon, m->steps, a->val, 1,
			                      &kind, &P2, w2, sizeof w2);
			snprintf(a->why_transform, sizeof a->why_transform,
			         "%s (no seasonal difference: --window %zu rows "
			         "would all be its history)", w2, a->window);
			rnnm_set_transform(m, kind, P2);
		}
		if (a->window && m->tf.lag >= a->window) {
			kind = RK_TF_NONE;
			P2 = 1;
			snprintf(a->why_transform, sizeof a->why_transform,
			         "none (--window %zu row%s: no room for a "
			         "difference)", a->window, plural(a->window));
		}
	}
	rnnm_set_transform(m, kind, P2);
	/* an explicit transform with --period: the seasonal difference
	 * comes with it, which its name does not say */
	if (!a->transform_auto && P2 > 1)
		snprintf(a->why_transform, sizeof a->why_transform, "%s, and "
		         "the seasonal difference y[t] - y[t-%zu] (--period "
		         "%zu is given)", rk_transform_name(kind), P2, P2);
	a->transform = kind;
	a->period = P2;
	if (!a->window) {
		/* the net sees the chosen steps, after the history */
		size_t l = strlen(a->why_window);

		if (m->tf.lag)
			snprintf(a->why_window + l, sizeof a->why_window - l,
			         "; plus %zu row%s of history for the transform",
			         m->tf.lag, plural(m->tf.lag));
		return;
	}
	if (a->window <= m->tf.lag)
		usage_error("--window %zu is not longer than the %zu row%s of "
		            "history that --transform=%s --period %zu takes (a "
		            "window reads them too)", a->window, m->tf.lag,
		            plural(m->tf.lag), rk_transform_name(m->tf.kind),
		            m->tf.period);
	m->window = a->window - m->tf.lag;
	if (m->tf.lag)
		snprintf(a->why_window, sizeof a->why_window, "%zu rows: %zu "
		         "row%s of history for the transform, then %zu step%s "
		         "for the net", a->window, m->tf.lag, plural(m->tf.lag),
		         m->window, plural(m->window));
}
