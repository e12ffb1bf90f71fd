/* score.h - is a model worth having: the one-step errors of its
 * predictions beside those of the last-value and seasonal naive forecasts,
 * over the same rows, as RMSE, MAE and MASE (Hyndman & Koehler 2006).
 *
 * Rows are 0-based. A prediction for row r made with horizon H sees rows up
 * to r - H: the last-value forecast of row r is y[r - H], the seasonal one
 * y[r - P k] with k = ceil(H / P), the same season in the last period seen.
 * MASE divides the MAE by the in-sample mean absolute error of the naive
 * forecast of lag P (P = 1: last value) over the whole series,
 * mean |y[t] - y[t - P]| for t = P ... n-1.
 */
#ifndef RNNKIT_SCORE_H
#define RNNKIT_SCORE_H

#include <stddef.h>

#include "timecol.h"

enum score_method { SCORE_MODEL, SCORE_LAST, SCORE_SEASONAL, SCORE_NMETHODS };

struct score {
	double rmse, mae, mase;         /* mase NaN: the scale is 0 */
	size_t n;                       /* rows scored */
};

/* The seasonal period of a clock: 12 for a step of 1 month, 4 for 3
 * months, 7 for a day, 24 for an hour, 52 for a week; else 1 (none). */
size_t score_period(const struct rk_tstep *st);

/* The first row that every method can forecast: max(W - 1 + H, P k). */
size_t score_first_row(size_t W, size_t H, size_t P);

/* out[SCORE_NMETHODS] (out[SCORE_SEASONAL] only when P > 1) for rows
 * [first, n) of y (n values, stride apart), pred[r - first] being the
 * model's prediction of row r. Returns 0, or -1 when no row is left
 * (first >= n) or the series is too short for the scale (n <= P). */
int score_series(struct score *out, const double *y, size_t stride, size_t n,
                 const double *pred, size_t first, size_t H, size_t P);

/* Multi-step scores (rnn-predict --score --forecast K): forecasts of
 * steps h = 1..K from origins o (0-based, the last row known), each the
 * value of row o + h, pooled over origins and steps: per method, the
 * errors f - y[o + h] of the model's forecast, of the last value y[o]
 * and of the seasonal naive y[o + h - P ceil(h / P)] (needs o + 1 >= P).
 * score_acc_add adds one forecast (a: zeroed by the caller);
 * score_acc_finish gives out[SCORE_NMETHODS] (out[SCORE_SEASONAL] only
 * when P > 1), MASE dividing by the one-step in-sample scale above over
 * y's n rows; -1 when nothing was added or n <= P. */
struct score_acc {
	double sse[SCORE_NMETHODS], sae[SCORE_NMETHODS];
	size_t n;
};
void score_acc_add(struct score_acc *a, const double *y, size_t stride,
                   size_t o, size_t h, size_t P, double f);
int score_acc_finish(struct score *out, const struct score_acc *a,
                     const double *y, size_t stride, size_t n, size_t P);

/* A classifier's score (rnn-predict(1), "Scores"): the confusion counts
 * conf (n x n, zeroed by the caller), conf[t * n + p] the rows of true
 * class t predicted as class p, over rows [first, rows) of truth (class
 * indexes, stride apart; -1: a label the model does not know, left out),
 * pred[r - first] the class predicted for row r. Returns the rows left
 * out. From the counts: accuracy = sum_t conf[t][t] / N; precision of
 * class c = conf[c][c] / sum_t conf[t][c] (of the rows predicted c),
 * recall = conf[c][c] / sum_p conf[c][p] (of the rows of class c). */
size_t score_confusion(size_t *conf, size_t n, const double *truth,
                       size_t stride, size_t rows, const size_t *pred,
                       size_t first);

#endif
