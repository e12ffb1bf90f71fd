/* conformal.c - split conformal prediction intervals. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conformal.h"
#include "recursive.h"
#include "util.h"

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int
conformal_scaled_step(const struct rnnm *m, size_t h)
{
	return m->conf_sref && h == 1;
}

/* The window's mean absolute change of target k, data units */
static double
local_scale(const struct rnnm *m, const double *z, size_t nc, size_t k)
{
	size_t W = m->window, c = m->targets[k], t;
	double a = 0;

	for (t = 1; t < W; t++)
		a += fabs(z[t * nc + c] - z[(t - 1) * nc + c]);
	return m->scale[c] * a / (double)(W - 1);
}

double
conformal_scale(const struct rnnm *m, const double *z, size_t nc, size_t k)
{
	if (!m->conf_sref)
		return 1;
	return local_scale(m, z, nc, k) + m->conf_sref[k];
}

/* With m->conf_scale, m->conf_sref: each target's mean local scale over
 * the validation windows; none (NULL) without them, with W < 2, or with
 * a mean of 0 (every window flat). */
static void
fit_sref(struct rnnm *m, const struct series_set *ss,
         const struct window *val, size_t nval)
{
	size_t k, j, nt = m->ntargets, nc = ss->ncols;
	double a;

	free(m->conf_sref);
	m->conf_sref = NULL;
	if (!m->conf_scale || m->window < 2 || !nval)
		return;
	m->conf_sref = emalloc(emul(nt, sizeof *m->conf_sref));
	for (k = 0; k < nt; k++) {
		for (a = 0, j = 0; j < nval; j++)
			a += local_scale(m, ss->z[val[j].series] +
			                 val[j].start * nc, nc, k);
		m->conf_sref[k] = a / (double)nval;
		if (!(m->conf_sref[k] > 0 && isfinite(m->conf_sref[k]))) {
			free(m->conf_sref);
			m->conf_sref = NULL;
			return;
		}
	}
}

/* The steps to keep: 1, or with a model --forecast can run the most
 * validation windows of one series (step h needs a window h - 1 rows
 * before its series' end; a direct model's K - 1 more), bounded by
 * CONF_MAXSTEPS and CONF_MAXWORK; a direct model's K at least, and only
 * those when it cannot feed its predictions back. */
static size_t
conf_steps(const struct rnnm *m, const struct window *val, size_t nval)
{
	size_t j, run = 0, most = 0, S;

	size_t K = m->steps;

	if (K > 1 && !rnnm_autoregressive(m))
		return K;
	if (K == 1 && (!rnnm_autoregressive(m) || m->horizon != 1))
		return 1;
	for (j = 0; j < nval; j++) {
		run = j && val[j].series == val[j - 1].series ? run + 1 : 1;
		most = run > most ? run : most;
	}
	/* a direct model's windows all reach K rows ahead */
	most += K - 1;
	S = most < CONF_MAXSTEPS ? most : CONF_MAXSTEPS;
	if (S > CONF_MAXWORK / nval)
		S = CONF_MAXWORK / nval;
	if (S < K)
		S = K;
	return S ? S : 1;
}

double
conformal_naive(const struct rnnm *m, const struct table *t, size_t k,
                size_t o, size_t h)
{
	size_t P = m->fc_period > 1 ? m->fc_period : 1, back;

	back = P * ((h + P - 1) / P);
	if (back > o + h)       /* a season before the series: last value */
		back = h;
	return t->v[(o + h - back) * t->cols + m->targets[k]];
}

double
conformal_blended(const struct rnnm *m, size_t k, size_t h, double net,
                  double naive)
{
	double w;

	if (!m->fc_blend || h < 2 || (w = m->fc_blend[k]) == 1)
		return net;
	return w * net + (1 - w) * naive;
}

/* The weights a blend may take: w = 0 (the seasonal naive forecast) to 1
 * (the net), in steps of 1 / BLEND_GRID */
#define BLEND_GRID 4

/* m->fc_blend from the recursive forecasts of the validation windows:
 * net, naive and truth as res (rows (S * nt) of nval, count[h-1] at step
 * h); per target the w of the least sum of squared errors over steps
 * h >= 2 (ties: the larger w), or fc_fixed; then res of steps h >= 2
 * the blend's absolute errors (unsorted). NULL when no step 2 has a
 * window, or with fc_mode none. */
static void
fit_blend(struct rnnm *m, const double *net, const double *naive,
          const double *truth, size_t S, size_t nval, const size_t *count,
          double *res)
{
	size_t nt = m->ntargets, k, h, j, g, best;
	double e, sse, bsse, w, v;

	free(m->fc_blend);
	m->fc_blend = NULL;
	if (m->fc_mode == RNNM_BLEND_NONE || S < 2 || !count[1])
		return;
	m->fc_blend = emalloc(emul(nt, sizeof *m->fc_blend));
	for (k = 0; k < nt; k++) {
		if (m->fc_mode == RNNM_BLEND_FIXED) {
			m->fc_blend[k] = m->fc_fixed;
			continue;
		}
		best = BLEND_GRID;
		bsse = INFINITY;
		for (g = BLEND_GRID + 1; g-- > 0;) {
			w = (double)g / BLEND_GRID;
			for (sse = 0, h = 2; h <= S; h++)
				for (j = 0; j < count[h - 1]; j++) {
					size_t i = ((h - 1) * nt + k) * nval + j;

					e = truth[i] - (w * net[i] +
					                (1 - w) * naive[i]);
					sse += e * e;
				}
			if (sse < bsse) {
				bsse = sse;
				best = g;
			}
		}
		m->fc_blend[k] = (double)best / BLEND_GRID;
	}
	for (h = 2; h <= S; h++)
		for (k = 0; k < nt; k++)
			for (j = 0; j < count[h - 1]; j++) {
				size_t i = ((h - 1) * nt + k) * nval + j;

				v = fabs(truth[i] - conformal_blended(m, k, h,
				         net[i], naive[i]));
				res[i] = isfinite(v) ? v : INFINITY;
			}
}

/* A direct model's residuals (res and count as conformal_fit's): from
 * each validation window, a forecast of S steps (series_forecast_direct),
 * or as many as its series has rows after it. */
static void
fit_direct(const struct rnnm *m, const struct series_set *ss,
           const struct window *val, size_t nval, size_t S, double *res,
           size_t *count)
{
	size_t W = m->window, nc = ss->ncols, nt = m->ntargets, j, h, k, t, N;
	double *xv = emalloc(emul(S, emul(nt, sizeof *xv))), v;
	double *sc = emalloc(emul(nt, sizeof *sc));

	for (j = 0; j < nval; j++) {
		const struct table *tb = &ss->s[val[j].series];

		t = val[j].start + W - 1;       /* the window's last row */
		N = tb->rows - 1 - t < S ? tb->rows - 1 - t : S;
		series_forecast_direct(ss, val[j].series, t, m, N, xv, NULL);
		for (k = 0; k < nt; k++)
			sc[k] = conformal_scale(m, ss->z[val[j].series] +
			                        val[j].start * nc, nc, k);
		for (h = 1; h <= N; h++) {
			for (k = 0; k < nt; k++) {
				v = fabs(tb->v[(t + h) * nc + m->targets[k]] -
				         xv[(h - 1) * nt + k]) /
				    (conformal_scaled_step(m, h) ? sc[k] : 1);
				res[((h - 1) * nt + k) * nval + count[h - 1]] =
					isfinite(v) ? v : INFINITY;
			}
			count[h - 1]++;
		}
	}
	free(xv);
	free(sc);
}

/* The mean absolute change of target k's scaled transformed values over
 * the rows of the validation windows (from the first one's first row to
 * the last one's predicted row) and over the rows before them, summed
 * over the series into a[0] (before) and a[1] (validation) with their
 * counts n[0], n[1]; rows of the transform's history (r < lag, z = 0)
 * left out. */
static void
mean_changes(const struct rnnm *m, const struct series_set *ss,
             const struct window *val, size_t nval, size_t k, double *a,
             size_t *n)
{
	size_t nc = ss->ncols, c = m->targets[k], s, t, j, first, last;
	size_t from = m->tf.lag + 1;
	const double *z;

	a[0] = a[1] = 0;
	n[0] = n[1] = 0;
	for (s = 0; s < ss->n; s++) {
		first = SIZE_MAX;
		last = 0;
		for (j = 0; j < nval; j++) {
			if (val[j].series != s)
				continue;
			if (val[j].start < first)
				first = val[j].start;
			if (val[j].start + m->window + m->horizon > last)
				last = val[j].start + m->window + m->horizon;
		}
		if (first == SIZE_MAX)
			continue;
		if (last > ss->s[s].rows)
			last = ss->s[s].rows;
		z = ss->z[s];
		for (t = from; t < last; t++) {
			int v = t > first;      /* the change into row t */

			a[v] += fabs(z[t * nc + c] - z[(t - 1) * nc + c]);
			n[v]++;
		}
	}
}

void
conformal_widen(struct rnnm *m, const struct series_set *ss,
                const struct window *val, size_t nval)
{
	size_t k, n[2];
	double a[2], rho;

	free(m->conf_wf);
	m->conf_wf = NULL;
	if (!m->conf_widen || !nval || m->net.cfg.loss == RNN_LOSS_CE)
		return;
	m->conf_wf = emalloc(emul(m->ntargets, sizeof *m->conf_wf));
	for (k = 0; k < m->ntargets; k++) {
		mean_changes(m, ss, val, nval, k, a, n);
		m->conf_wf[k] = 1;
		if (!n[0] || !n[1] || !(a[0] > 0) || !(a[1] > 0))
			continue;
		rho = (a[1] / (double)n[1]) / (a[0] / (double)n[0]);
		if (isfinite(rho))
			m->conf_wf[k] = sqrt(rho > 1 ? rho : 1 / rho);
	}
}

/* Dies (65) at column c's value of the largest magnitude: the errors
 * of the validation windows are too large for a double (a model writes
 * only finite residuals). */
static _Noreturn void
errors_too_large(const struct series_set *ss, size_t c)
{
	size_t i, r, bi = 0, br = 0;
	double big = -1, v;
	char b[32];

	for (i = 0; i < ss->n; i++)
		for (r = 0; r < ss->s[i].rows; r++) {
			v = fabs(ss->s[i].v[r * ss->ncols + c]);
			if (v > big) {
				big = v;
				bi = i;
				br = r;
			}
		}
	die_at(ss->s[bi].name, ss->s[bi].line[br], ss->frame.field[c] + 1,
	       "column '%s' spans too wide a range: its validation errors are "
	       "too large for a double (%s here)", ss->names[c],
	       rk_fmt_double(b, ss->s[bi].v[br * ss->ncols + c]));
}

void
conformal_fit(struct rnnm *m, const struct series_set *ss,
              const struct window *val, size_t nval)
{
	enum { MAXB = 64 };
	size_t W = m->window, H = m->horizon, nc = ss->ncols;
	size_t nt = m->ntargets, S, h, j, b, k, B, r, col;
	struct fc_rec fr;
	double *res, *v, *sc;
	double *fnet = NULL, *fnaive = NULL, *ftruth = NULL;
	size_t *count;

	free(m->conf_res);
	free(m->conf_count);
	m->conf_res = NULL;
	m->conf_count = NULL;
	m->conf_steps = m->conf_n = 0;
	free(m->conf_wf);
	m->conf_wf = NULL;
	free(m->fc_blend);
	m->fc_blend = NULL;
	if (m->net.cfg.loss == RNN_LOSS_CE)
		nval = 0;       /* a classifier's labels have no interval */
	fit_sref(m, ss, val, nval);
	if (!nval)
		return;
	S = conf_steps(m, val, nval);
	/* per window: each target's local scale at the origin; a step's
	 * values */
	sc = emalloc(emul(MAXB, emul(nt, sizeof *sc)));
	v = emalloc(emul(MAXB, emul(nt, sizeof *v)));
	res = emalloc(emul(emul(S, nt), emul(nval, sizeof *res)));
	count = ecalloc(S, sizeof *count);
	for (j = 0; j < S * nt * nval; j++)
		res[j] = INFINITY;
	/* a recursive forecast's values, for its blend */
	if (m->steps == 1 && S > 1 && m->fc_mode != RNNM_BLEND_NONE) {
		fnet = emalloc(emul(emul(S, nt), emul(nval, sizeof *fnet)));
		fnaive = emalloc(emul(emul(S, nt), emul(nval, sizeof *fnet)));
		ftruth = emalloc(emul(emul(S, nt), emul(nval, sizeof *fnet)));
	}
	if (m->steps > 1)
		fit_direct(m, ss, val, nval, S, res, count);
	else
		fc_rec_init(&fr, m, ss, MAXB);
	/* step h of the forecast from window b predicts row start + W - 1 +
	 * H + h - 1 (recursive.h) */
	for (j = 0; m->steps == 1 && j < nval; j += B) {
		B = nval - j < MAXB ? nval - j : MAXB;
		fc_rec_start(&fr, val + j, B);
		for (b = 0; b < B; b++)
			for (k = 0; k < nt; k++)
				sc[b * nt + k] = conformal_scale(m,
				                 fc_rec_window(&fr, b), nc, k);
		for (h = 1; h <= S; h++) {
			fc_rec_step(&fr, v, NULL);
			for (b = 0; b < B; b++) {
				const struct table *t = &ss->s[val[j + b].series];

				r = val[j + b].start + W - 1 + H + h - 1;
				for (k = 0; k < nt && r < t->rows; k++) {
					double e, vk = v[b * nt + k];

					col = m->targets[k];
					if (fnet) {
						size_t i = ((h - 1) * nt + k) *
						           nval + count[h - 1];

						fnet[i] = vk;
						ftruth[i] = t->v[r * nc + col];
						fnaive[i] = conformal_naive(m, t,
						            k, r - h, h);
					}
					e = fabs(t->v[r * nc + col] - vk) /
					    (conformal_scaled_step(m, h) ?
					     sc[b * nt + k] : 1);
					res[(((h - 1) * nt + k) * nval) + count[h - 1]] =
						isfinite(e) ? e : INFINITY;
				}
				if (r < t->rows)
					count[h - 1]++;
			}
		}
	}
	if (m->steps == 1)
		fc_rec_release(&fr);
	if (fnet)
		fit_blend(m, fnet, fnaive, ftruth, S, nval, count, res);
	free(fnet);
	free(fnaive);
	free(ftruth);
	conformal_widen(m, ss, val, nval);
	for (h = 0; m->conf_wf && h < S; h++)
		for (k = 0; k < nt; k++)
			for (j = 0; j < count[h]; j++)
				res[(h * nt + k) * nval + j] *= m->conf_wf[k];
	for (h = 0; h < S; h++)
		for (k = 0; k < nt; k++) {
			for (j = 0; j < count[h]; j++)
				if (!isfinite(res[(h * nt + k) * nval + j]))
					errors_too_large(ss, m->targets[k]);
			qsort(res + (h * nt + k) * nval, count[h], sizeof *res,
			      cmp_double);
		}
	m->conf_steps = S;
	m->conf_n = nval;
	m->conf_res = conformal_compact(res, count, S, nt, nval);
	m->conf_count = count;
	free(v);
	free(sc);
}

size_t
conformal_width(size_t n)
{
	return n <= CONF_LEVELS ? n : CONF_LEVELS;
}

/* the rank (1-based) of the L% quantile of n residuals */
static size_t
rank_of(size_t n, int level)
{
	return ((n + 1) * (size_t)level + 99) / 100;
}

double *
conformal_compact(double *res, const size_t *count, size_t S, size_t nt,
                  size_t n)
{
	size_t h, k, i, L;
	double *q, *row;

	if (n <= CONF_LEVELS)
		return res;
	q = emalloc(emul(emul(S, nt), CONF_LEVELS * sizeof *q));
	for (h = 0; h < S; h++)
		for (k = 0; k < nt; k++) {
			row = res + (h * nt + k) * n;
			for (L = 1; L <= CONF_LEVELS; L++) {
				i = rank_of(count[h], (int)L);
				q[(h * nt + k) * CONF_LEVELS + L - 1] =
					count[h] && i <= count[h] ? row[i - 1]
					                          : INFINITY;
			}
		}
	free(res);
	return q;
}

size_t
conformal_needed(int level)
{
	size_t n = 1;

	while (rank_of(n, level) > n)
		n++;
	return n;
}

size_t
conformal_count(const struct rnnm *m, size_t h)
{
	return h >= 1 && h <= m->conf_steps ? m->conf_count[h - 1] : 0;
}

double
conformal_q(const struct rnnm *m, size_t k, size_t h, int level)
{
	size_t n = conformal_count(m, h), i, row = (h - 1) * m->ntargets + k;

	if (m->conf_n > CONF_LEVELS)
		return m->conf_res[row * CONF_LEVELS + (size_t)level - 1];
	i = rank_of(n, level);
	if (n == 0 || i > n)
		return INFINITY;
	return m->conf_res[row * m->conf_n + i - 1];
}

void
conformal_check(const struct rnnm *m, const char *name, const int *levels,
                size_t nlevels, size_t steps)
{
	size_t i, h, n, need;

	if (!m->conf_steps)
		die(EX_DATAERR, "%s: the model has no validation residuals for "
		    "--interval: train it with --val (e.g. rnn-train --val 0.2)",
		    name);
	if (steps > m->conf_steps)
		die(EX_DATAERR, "%s: the model has residuals of forecasts up to "
		    "%zu step%s ahead, not %zu: train it with a larger --val "
		    "for longer intervals", name, m->conf_steps,
		    plural(m->conf_steps), steps);
	for (h = 1; h <= steps; h++)
		for (i = 0; i < nlevels; i++) {
			n = conformal_count(m, h);
			need = conformal_needed(levels[i]);
			if (n >= need)
				continue;
			if (steps == 1)
				die(EX_DATAERR, "%s: a %d%% interval needs %zu "
				    "validation window%s, and the model has %zu: "
				    "train it with a larger --val", name,
				    levels[i], need, plural(need), n);
			die(EX_DATAERR, "%s: a %d%% interval %zu step%s ahead "
			    "needs %zu validation window%s with a forecast "
			    "that long, and the model has %zu: train it with "
			    "a larger --val", name, levels[i], h, plural(h),
			    need, plural(need), n);
		}
}

size_t
conformal_parse_levels(const char *opt, const char *s, int *levels,
                       size_t nmax)
{
	char *copy = estrdup(s), *p = copy, *comma;
	size_t n = 0, i;
	int l;

	for (;;) {
		if ((comma = strchr(p, ',')))
			*comma = '\0';
		if (!*p)
			usage_error("%s needs levels in percent, 1 to 99, comma-"
			            "separated (e.g. 80 or 80,95), not '%s'", opt, s);
		l = (int)opt_int(opt, p, 1, 99);
		for (i = 0; i < n; i++)
			if (levels[i] == l)
				usage_error("%s: level %d given twice", opt, l);
		if (n == nmax)
			usage_error("%s: at most %zu levels", opt, nmax);
		levels[n++] = l;
		if (!comma)
			break;
		p = comma + 1;
	}
	free(copy);
	return n;
}
