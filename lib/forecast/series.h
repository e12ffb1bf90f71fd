/* series.h - time series for the recurrent nets: loading several files of
 * one model, target columns, windows, scaling.
 *
 * A window is W consecutive rows of one series; its target is the row H
 * steps after the window's last row, or with a direct multi-horizon model
 * (rnnmodel.h, steps K > 1) each of the K rows after it: a window ending
 * at row t is one only when rows t+1..t+K are all in its series
 * (series_windows). Windows never cross files.
 *
 * What a direct model's output for step h of target k is trained on, in
 * scaled units, z_r being the scaled transformed value of row r
 * (transform.h's y_r, then (y_r - shift) / scale):
 *   none, log (any period):    z_{t+h}
 *   diff, logdiff, diff2, logdiff2 (any period): (z_{t+1} + ... + z_{t+h}) / h
 * the second the mean step of the cumulative change: unscaled,
 * h (z * scale + shift) = y_{t+1} + ... + y_{t+h}, which for diff is
 * u_{t+h} - u_t. Both invert step by step (rnnm_direct): the steps'
 * y_{t+h} (for the diff kinds the differences of those sums), then
 * u_{t+h} = y_{t+h} - sum_j c_j u_{t+h-j}, the levels before t+1 from the
 * data and the later ones those of the steps before; so a seasonal
 * difference at lag P recovers u_{t+h} from u_{t+h-P}, itself a
 * prediction when h > P.
 */
#ifndef RNNKIT_SERIES_H
#define RNNKIT_SERIES_H

#include <stddef.h>

#include "csvread.h"
#include "frame.h"
#include "real.h"
#include "rnnmodel.h"

struct series_set {
	size_t n;               /* series (files) */
	struct table *s;
	size_t ncols;           /* columns: the nin inputs, then target-only */
	size_t nin;
	char **names;           /* ncols names: header, or xN (field N) */
	int named;              /* names came from a header */
	double **z;             /* scaled copy of each series, rows x ncols */
	struct frame frame;     /* the first file's layout */
	/* with series_opts.keep_text: every field of each row as read, as a
	 * line joined by out_delim (text[i][r]), and the file's field names */
	char ***text;
	char **text_names;
	size_t text_nfields;
	char out_delim;
	/* with keep_text and --missing=drop: the input rows dropped (not
	 * those put in for a missing time step), ndropped[i] of series i in
	 * order, each as text has it, and the row of the series it came
	 * before (rows: after the last) */
	struct series_dropped { char *text; size_t before; } **dropped;
	size_t *ndropped;
	/* with a time column (frame.time.nf): each row's time (time[i][r]) */
	struct rk_time **time;
	/* with a label column (frame.labelled; frame.h): the labels, in
	 * their order (labels.h); the column holds class indexes (-1: a
	 * label the model does not know, with series_opts.unknown_skip).
	 * series_load collects them from the data; series_load_model
	 * takes the model's */
	struct rk_labels labels;
};

struct window { size_t series, start; };

/* Load the files; all must have the same columns (count and names), and
 * all a time column or none. With one, times increase in each file; the
 * clock (frame.time.step) is the model's, else the step of all the files'
 * times (rk_tstep_detect); where it has no row, a row of every value
 * missing is put in (by default the error tax_gap_die), and ss->text gets
 * series_time_text for it. A blank line is then not a row. Missing values
 * are filled by so's policy (frame.h). */
void series_load(struct series_set *ss, char *const *paths, size_t n,
                 const struct csv_opts *o, const struct series_opts *so);
/* The same, the columns being the model's (frame_init_model). */
void series_load_model(struct series_set *ss, char *const *paths, size_t n,
                       const struct csv_opts *o, const struct series_opts *so,
                       const struct rnnm *m);
/* The time h steps after row `row` of series i: row row + h's own time
 * (after rows dropped by --missing=drop, not the clock's), past the end
 * the clock's from the last row. 0, or -1: no time column, or a time
 * past the end with no clock. */
int series_time_at(const struct series_set *ss, size_t i, size_t row,
                   size_t h, struct rk_time *t);
/* A row of text (as ss->text) with only the time t in its cells. */
char *series_time_text(const struct series_set *ss, const struct rk_time *t);
/* Column names and positions into a new model with ss's columns. */
void series_to_model(const struct series_set *ss, struct rnnm *m);
void series_release(struct series_set *ss);

/* "--target" spec: comma-separated names or 1-based field numbers; NULL
 * means all input columns. Returns column indexes of ss. Dies (65) on an
 * unknown column. */
size_t series_targets(const struct series_set *ss, const char *spec,
                      size_t **targets);

/* Windows of every series (a direct model's, steps K > 1, having their K
 * rows after them; else the row H steps after), chronological per
 * series, the first lag rows
 * of each being history only (the model's tf.lag); val_frac of each
 * series' windows (its last ones) go to *val. Dies (65) when a series is
 * too short for even one window. Sets *fit_rows[i], the rows of series i
 * that only training windows touch (for fitting the scaling). */
void series_windows(const struct series_set *ss, size_t W, size_t H,
                    size_t K, size_t lag, double val_frac,
                    struct window **train, size_t *ntrain,
                    struct window **val, size_t *nval, size_t **fit_rows);

/* --period's default with no time step to give it (rnn-train(1),
 * "Transforms"): the season rk_tf_acf_period finds in the target columns
 * targets[0..nt) of the series (the one of the highest autocorrelation);
 * 1 when none. why (n bytes) says which and why. */
size_t series_auto_period(const struct series_set *ss, const size_t *targets,
                          size_t nt, char *why, size_t n);

/* --window=auto (rnn-train(1), "Windows"): P > 1 (a season): 2P rows;
 * else RK_AUTO_WINDOW. Bounded by the data: at most half of what the
 * shortest series leaves after a seasonal lag P and the horizon H,
 * (rows - P - H) / 2 with P > 1, (rows - H) / 2 else, so that it gives at
 * least as many windows as a window has rows; within that bound, the
 * largest multiple of P (P > 1), else the bound itself; at least 1. why
 * (n bytes) says which and why. */
#define RK_AUTO_WINDOW 12
size_t series_auto_window(const struct series_set *ss, size_t P, size_t H,
                          char *why, size_t n);

/* --val=auto (rnn-train(1), "Early stopping"): RK_AUTO_VAL of each
 * series' windows when every series has at least RK_AUTO_VAL_MIN windows
 * (W rows, horizon H, after lag rows of history: rows - lag - W - H + 1),
 * else 0 (no validation: too little data to spare). why (n bytes) says
 * which and why. */
#define RK_AUTO_VAL 0.2
#define RK_AUTO_VAL_MIN 20
double series_auto_val(const struct series_set *ss, size_t W, size_t H,
                       size_t lag, char *why, size_t n);

/* --transform=auto (rnn-train(1), "Transforms"; the tests in transform.h)
 * for the targets[0..nt) of ss, on the rows that training windows touch
 * (W, H and val_frac as series_windows, with no transform; K > 1, the
 * steps of a direct model, stands for H there), P being the
 * season (1: none): a seasonal difference (*period = P) when the largest
 * seasonal strength of a target column in a series is > 0.64, then a
 * first difference (*kind = RK_TF_DIFF) when the largest KPSS statistic
 * of those columns (seasonally differenced if so) is > 0.463, or, with no
 * seasonal difference, when the largest last-value ratio
 * (rk_tf_naive_ratio) of those of a series of fewer than
 * RK_TF_NAIVE_MAXROWS such rows is > RK_TF_NAIVE_CRIT, and a second
 * (*kind = RK_TF_DIFF2) when there the largest last-value ratio of the
 * first differences is > RK_TF_NAIVE_CRIT too (K == 1 only); none with
 * H > 1 (a single step) or a target that is not an input, and no
 * difference for which a
 * series is too short. Never a logarithm. why (n bytes) says which and
 * why. */
void series_auto_transform(const struct series_set *ss, const size_t *targets,
                           size_t nt, size_t W, size_t H, size_t K,
                           double val_frac, size_t P,
                           enum rk_transform *kind, size_t *period,
                           char *why, size_t n);
/* Fit shift/scale (m->ncols) of the transformed values (m->tf) on rows
 * [lag, fit_rows[i]) of each series; a classifier's label column gets
 * shift 0, scale 1. Computed over a power of two near the largest
 * magnitude, so that no square overflows; dies (65) at FILE:LINE:COLUMN
 * on a transformed value, or a range (largest less smallest), that is not
 * a finite double. */
void series_fit_scaling(const struct series_set *ss, const size_t *fit_rows,
                        struct rnnm *m);
/* Fill ss->z with (y - shift) / scale, y the transformed value of x
 * (0 in the first lag rows). A log transform dies (65) at the value <= 0
 * (series_level_die); so does a scaled value over RK_SCALED_MAX, at its
 * FILE:LINE:COLUMN: the square root of the largest rk_real, so that the
 * net's squared errors stay finite. */
#ifdef RK_REAL_DOUBLE
#define RK_SCALED_MAX 0x1p512
#else
#define RK_SCALED_MAX 0x1p64
#endif
void series_apply_scaling(struct series_set *ss, const struct rnnm *m);
/* Check the data's columns against the model's; dies (65) if they differ. */
void series_check_model(const struct series_set *ss, const struct rnnm *m);

/* --normalize (rnn-train(1), "Normalisation"). For a window of scaled
 * values z (W rows of nc columns, the nin inputs first), the net sees
 *   x[t][c] = z[t][c] - b[c],   t < W, c < nin,
 * with the window's base b[c] = z[W-1][c] (its last row: that row of x
 * is 0) under RK_NORM_WINDOW, and b = 0 under RK_NORM_NONE. Target k
 * (column c_k, an input under RK_NORM_WINDOW) is learnt as
 * z_target - b[c_k], and an output o_k of the net is the prediction
 * b[c_k] + o_k in scaled units, then unscaled and the transform inverted
 * (rnnm_predicted). The scaling being affine, adding a constant a to a
 * column's transformed values adds a/scale to z and b alike: x and o
 * stay, and the prediction moves by exactly a.
 *
 * rnnm_window_x: x (W, nin) from z (W, nc), in double until the cast. */
void rnnm_window_x(const struct rnnm *m, rk_real *x, const double *z,
                   size_t nc);
/* The base of target k for z (W, nc): b[c_k], plus the linear path's
 * lin_k (arpath.h) when the model has one; the net learns target - base
 * and its output is added back to it, as above. */
double rnnm_window_base(const struct rnnm *m, const double *z, size_t nc,
                        size_t k);

/* x (B, W, nin), the net's (rnnm_window_x), and target (B, nout) for
 * windows w[0..B): nout = ntargets, or ntargets * K for a direct model
 * (above; --normalize none); for a classifier (rnnmodel.h) the one-hot
 * row of the label H rows after the window's last (H = 0: its last
 * row's), all 0 for a label the model does not know (-1). */
void series_gather(const struct series_set *ss, const struct rnnm *m,
                   const struct window *w, size_t B, rk_real *x,
                   rk_real *target);

/* A sequence model (rnnmodel.h, RNNM_SEQ) sees step r of series i as row
 * r's inputs and learns the targets of row r + horizon: its steps are the
 * windows of one row (series_windows with W = 1), training steps first in
 * each series. For B streams of T steps, stream b starting at pos[b]
 * (series, first step): x (B, T, nin) the scaled inputs, target (B, T,
 * ntargets) the scaled targets (a classifier's: (B, T, nout), one-hot
 * rows as series_gather's; NULL: not wanted); every step in its
 * series. */
void series_gather_seq(const struct series_set *ss, const struct rnnm *m,
                       const struct window *pos, size_t B, size_t T,
                       rk_real *x, rk_real *target);

/* The net's outputs y and, if base is not NULL, their bases
 * (rnnm_window_base; y + base is the prediction in the model's scaled
 * units; of the first ntargets outputs, 0 for the others) for every
 * full window of series i after the transform's d = m->tf.lag rows of
 * history: y and base (rows - d - W + 1, nout), window j
 * being rows d+j ... d+j+W-1; a window's first ntargets outputs are its
 * one-step predictions. Batches of windows split over nthreads threads;
 * the same bits for any nthreads. Dies (70) when out of memory. */
void series_predict(const struct series_set *ss, size_t i,
                    const struct rnnm *m, rk_real *y, double *base,
                    int nthreads);

/* Back to data units: y = z * scale + shift for target k. */
double rnnm_unscale(const struct rnnm *m, size_t k, double z);
double rnnm_scale(const struct rnnm *m, size_t col, double x);
/* A prediction z (scaled, transformed) of target k in the data's units:
 * unscaled, then the transform inverted (transform.h) with the levels
 * before it, u_{t-1} at prev[0], u_{t-j} at prev[-(j-1)*stride] (unused
 * when tf.lag is 0). res (may be NULL): a resolution of the unscaled
 * value, made one of the result, at least RK_TF_FLAT (transform.h) of
 * its magnitude. level (may be NULL): u_t. */
double rnnm_predicted(const struct rnnm *m, size_t k, double z,
                      const double *prev, size_t stride, double *res,
                      double *level);
/* A direct model's outputs y (nout, scaled) of the window ending at row
 * t in the data's units: for h = 1..K and target k, index (h-1) *
 * ntargets + k, ty the transformed value y_{t+h} (unscaled) and x the
 * value (the inversion above). lev: (d + K) rows of nc levels (d =
 * tf.lag; unused when 0), on entry rows 0..d-1 those of rows t-d+1..t
 * (each target's column), on return rows d..d+K-1 the steps'. res (may be
 * NULL): each value's resolution, as rnnm_predicted's. */
void rnnm_direct(const struct rnnm *m, const rk_real *y, double *lev,
                 size_t nc, double *ty, double *x, double *res);
/* A direct model's forecast of N steps after row t of series i (t >=
 * tf.lag + window - 1): steps 1..K its outputs for the window ending at
 * t, then, while N goes on, the K predicted rows appended as data (their
 * transformed values, scaled) for the next K, which needs
 * rnnm_autoregressive(m). x (N, ntargets) in the data's units; res (may
 * be NULL) their resolutions (rnnm_direct). Dies (70) out of memory. */
void series_forecast_direct(const struct series_set *ss, size_t i, size_t t,
                            const struct rnnm *m, size_t N, double *x,
                            double *res);
/* The level u (transform.h) of column k at row r of series i; dies (65)
 * at FILE:LINE:COL on the log of a value <= 0. */
double series_level(const struct series_set *ss, const struct rnnm *m,
                    size_t i, size_t r, size_t k);
_Noreturn void series_level_die(const struct series_set *ss,
                                const struct rnnm *m, size_t i, size_t r,
                                size_t k);

#endif
