/* recursive.h - recursive forecasts from origins: the net's prediction of
 * the next row fed back as that row, step after step (rnn-predict
 * --forecast; the intervals' residuals of steps h > 1, conformal.h; the
 * multi-step score, rnn-predict --score --forecast).
 *
 * A model that can run it (rnnm_autoregressive, horizon 1, one step: the
 * targets are the inputs, in order) forecasts B series positions at once,
 * the origins: forecast b starts from the window w[b] (series, first
 * row), rows start .. start + W - 1 of the scaled, transformed values
 * ss->z, its origin row o = start + W - 1 the last one known, and the
 * levels (transform.h) of rows o - d + 1 .. o. Each step gives, for every
 * forecast, the values of the next row in the data's units (the
 * transform inverted with the levels known or forecast before it;
 * rnnm_predicted), with their float resolution as rnn-predict prints
 * them; then the window slides: its oldest row dropped, the prediction
 * (scaled, transformed: the net's output plus the window's base)
 * appended, and the new level kept. The forecasts are independent: a
 * batch gives every one the bits it would have alone.
 *
 * Any other model of one step (a target not an input, or a horizon H >
 * 1) gives its first step only: the prediction from the origin's window,
 * of row o + H (conformal_fit's step 1).
 *
 * Not applied here: the forecast blend (conformal_blended), the
 * intervals (conformal_q); the caller adds them to the values.
 */
#ifndef RNNKIT_RECURSIVE_H
#define RNNKIT_RECURSIVE_H

#include <stddef.h>

#include "rnnmodel.h"
#include "score.h"
#include "series.h"

struct fc_rec {
	const struct rnnm *m;
	const struct series_set *ss;
	size_t maxB, B, h;              /* h: the steps given so far */
	int ar;                         /* can feed its predictions back */
	struct rnnm_work *work;
	rk_real *x, *y;                 /* the net's inputs, outputs */
	double *z;                      /* B x W x nc: the windows */
	double *lev;                    /* B x (d + 1) x nc: the levels */
	double *next;                   /* nc: a row fed back */
};

/* Set up for batches of up to maxB forecasts of m (recursive as above)
 * over ss (scaled by m). Dies (70) out of memory. */
void fc_rec_init(struct fc_rec *r, const struct rnnm *m,
                 const struct series_set *ss, size_t maxB);
/* Start B <= maxB forecasts from the windows w[0..B) (each in its
 * series, after the transform's history: start >= tf.lag). */
void fc_rec_start(struct fc_rec *r, const struct window *w, size_t B);
/* The window of forecast b as it is now (W x nc, scaled values): the
 * origin's before the first step. */
const double *fc_rec_window(const struct fc_rec *r, size_t b);
/* The next step of every forecast: v (B x ntargets) in the data's units,
 * res (B x ntargets; NULL: not wanted) their resolutions; then each fed
 * back. */
void fc_rec_step(struct fc_rec *r, double *v, double *res);
void fc_rec_release(struct fc_rec *r);

/* The multi-step score (rnn-predict --score --forecast K): the model's
 * forecasts of steps 1..K from every origin o of series 0 that has a
 * full window before it (after the transform's history), P - 1 rows
 * before it (the seasonal naive forecast) and K rows after it, o =
 * max(d + W - 1, P - 1) .. rows - 1 - K, each as rnn-predict --forecast
 * writes it (recursive as above, the blend applied; a direct model's own
 * steps, series_forecast_direct), with the naive forecasts from the same
 * origins, pooled (score.h, score_acc): out (ntargets x SCORE_NMETHODS).
 * The model must be able to forecast K steps (rnn-predict checks).
 * Returns the origins scored; 0: none (out untouched). */
size_t fc_score(const struct rnnm *m, const struct series_set *ss, size_t K,
                size_t P, struct score *out);

#endif
