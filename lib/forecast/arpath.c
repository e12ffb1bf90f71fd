/* arpath.c - the linear path of a forecasting model (arpath.h) */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arpath.h"
#include "util.h"

/* Cholesky A = L L' in place (lower triangle; A p x p, symmetric):
 * 0, or -1 if A is not positive definite. */
static int
cholesky(double *A, size_t p)
{
	size_t i, j, k;
	double s;

	for (j = 0; j < p; j++) {
		s = A[j * p + j];
		for (k = 0; k < j; k++)
			s -= A[j * p + k] * A[j * p + k];
		if (!(s > 0))
			return -1;
		A[j * p + j] = sqrt(s);
		for (i = j + 1; i < p; i++) {
			s = A[i * p + j];
			for (k = 0; k < j; k++)
				s -= A[i * p + k] * A[j * p + k];
			A[i * p + j] = s / A[j * p + j];
		}
	}
	return 0;
}

/* Solve L L' x = b in place (b p) */
static void
chol_solve(const double *L, double *b, size_t p)
{
	size_t i, k;
	double s;

	for (i = 0; i < p; i++) {
		s = b[i];
		for (k = 0; k < i; k++)
			s -= L[i * p + k] * b[k];
		b[i] = s / L[i * p + i];
	}
	for (i = p; i-- > 0;) {
		s = b[i];
		for (k = i + 1; k < p; k++)
			s -= L[k * p + i] * b[k];
		b[i] = s / L[i * p + i];
	}
}

/* L = the Cholesky factor of A + lambda n D (A (p, p) lower triangle
 * used, D the identity but for the intercept's 0): 0, or -1 */
static int
ridge_factor(double *L, const double *A, size_t p, double lambda, size_t n)
{
	size_t i;

	memcpy(L, A, p * p * sizeof *L);
	for (i = 0; i + 1 < p; i++)
		L[i * p + i] += lambda * (double)n;
	return cholesky(L, p);
}

/* The ridge solution of (A + lambda n D) a_k = B_k + lambda n D a0_k
 * for every target into a (nt, p), L from ridge_factor (a0 (nt, p): the
 * prior the coefficients shrink to) */
static void
ridge_solve(double *a, const double *L, const double *B, const double *a0,
            size_t p, size_t nt, double lambda, size_t n)
{
	size_t i, k;

	memcpy(a, B, nt * p * sizeof *a);
	for (k = 0; k < nt; k++) {
		for (i = 0; i + 1 < p; i++)
			a[k * p + i] += lambda * (double)n * a0[k * p + i];
		chol_solve(L, a + k * p, p);
	}
}

/* The squared error on the holdout of the coefficients a (nt, p), from
 * its normal equations Ah (lower triangle), Bh and y'y:
 * |y - F a|^2 = y'y - 2 a'F'y + a'F'F a */
static double
holdout_error(const double *a, const double *Ah, const double *Bh,
              double yy, size_t p, size_t nt)
{
	size_t i, j, k;
	double e = yy, r;

	for (k = 0; k < nt; k++) {
		const double *ak = a + k * p;

		for (i = 0; i < p; i++) {
			r = 0;
			for (j = 0; j < p; j++)
				r += (j <= i ? Ah[i * p + j] : Ah[j * p + i]) *
				     ak[j];
			e += ak[i] * (r - 2 * Bh[k * p + i]);
		}
	}
	return e;
}

/* The prior the coefficients shrink to into a0 (nt, p): 0 (last 0),
 * or (last 1) the window's last value of the target's own input column,
 * 1 on x[W-1][c_k] and 0 elsewhere (a target that is not an input: 0) */
/* Window w's features f (the net's p - 1 inputs, then 1) and targets tg
 * (target - base, the linear path off), added to the normal equations:
 * A (lower triangle) += f f', B[k] += f tg[k] */
static void
add_window(const struct series_set *ss, const struct rnnm *m,
           const struct window *w, rk_real *x, rk_real *tg, double *f,
           size_t p, size_t nt, double *A, double *B)
{
	size_t i, j, k;

	series_gather(ss, m, w, 1, x, tg);
	for (i = 0; i < p - 1; i++)
		f[i] = (double)x[i];
	f[p - 1] = 1;
	for (i = 0; i < p; i++)
		for (j = 0; j <= i; j++)
			A[i * p + j] += f[i] * f[j];
	for (k = 0; k < nt; k++)
		for (i = 0; i < p; i++)
			B[k * p + i] += f[i] * (double)tg[k];
}

static void
prior(double *a0, const struct rnnm *m, size_t nin, int last)
{
	size_t W = m->window, p = W * nin + 1, k;

	memset(a0, 0, m->ntargets * p * sizeof *a0);
	for (k = 0; last && k < m->ntargets; k++)
		if (m->targets[k] < nin)
			a0[k * p + (W - 1) * nin + m->targets[k]] = 1;
}

/* The normal equations of a ridge fit and its buffers: A (p, p) = sum of
 * f f', B (nt, p) = sum of f target', L A's factor, a the solution and
 * a0 the prior (nt, p), f a window's features (p), x and tg a window's
 * inputs (W, nin) and targets (nt) */
struct ar_sys {
	double *A, *B, *L, *a, *a0, *f;
	rk_real *x, *tg;
};

static void
ar_sys_new(struct ar_sys *S, size_t p, size_t nt, size_t W, size_t nin)
{
	S->A = ecalloc(emul(p, p), sizeof *S->A);
	S->L = emalloc(emul(emul(p, p), sizeof *S->L));
	S->B = ecalloc(emul(nt, p), sizeof *S->B);
	S->a = emalloc(emul(emul(nt, p), sizeof *S->a));
	S->a0 = emalloc(emul(emul(nt, p), sizeof *S->a0));
	S->f = emalloc(emul(p, sizeof *S->f));
	S->x = emalloc(emul(W, emul(nin, sizeof *S->x)));
	S->tg = emalloc(emul(nt, sizeof *S->tg));
}

static void
ar_sys_free(struct ar_sys *S)
{
	free(S->A);
	free(S->L);
	free(S->B);
	free(S->a);
	free(S->a0);
	free(S->f);
	free(S->x);
	free(S->tg);
}

int
rnnm_ar_fit(struct rnnm *m, const struct series_set *ss,
            const struct window *w, size_t n, char *why, size_t whyn)
{
	static const double grid[] = RK_AR_GRID;
	size_t W = m->window, nin = ss->nin, nt = m->ntargets, p, b, i, k;
	size_t g, ng = sizeof grid / sizeof *grid, nh = 0, *lo, *hi;
	double *A, *B, *Ah, *Bh, yyh = 0, *f, *a, *L, best, e, lam = 0, *a0;
	int q, last = 0;
	rk_real *x, *tg;
	int ok = 1;
	struct ar_sys S;

	free(m->ar);
	m->ar = NULL;
	m->ar_n = 0;
	m->ar_lambda = 0;
	m->ar_last = 0;
	p = W * nin + 1;
	if (m->steps != 1 || W > (RK_AR_MAXTERMS - 1) / nin) {
		snprintf(why, whyn, "none (%s)", m->steps != 1 ? "a direct "
		         "model" : "more than " RK_AR_MAXTERMS_S " terms");
		return -1;
	}
	/* the holdout: each series' last RK_AR_HOLDOUT of its windows */
	lo = emalloc(emul(ss->n, sizeof *lo));
	hi = ecalloc(ss->n, sizeof *hi);
	for (i = 0; i < ss->n; i++)
		lo[i] = (size_t)-1;
	for (b = 0; b < n; b++) {
		if (w[b].start < lo[w[b].series])
			lo[w[b].series] = w[b].start;
		if (w[b].start > hi[w[b].series])
			hi[w[b].series] = w[b].start;
	}
	for (i = 0; i < ss->n; i++)
		if (lo[i] != (size_t)-1)
			lo[i] = hi[i] + 1 - (size_t)floor(RK_AR_HOLDOUT *
			        (double)(hi[i] - lo[i] + 1) + 0.5);
	/* the fit's windows in A, B; the holdout's in Ah, Bh */
	ar_sys_new(&S, p, nt, W, nin);
	A = S.A, B = S.B, L = S.L, a = S.a, a0 = S.a0, f = S.f, x = S.x;
	tg = S.tg;
	Ah = ecalloc(emul(p, p), sizeof *Ah);
	Bh = ecalloc(emul(nt, p), sizeof *Bh);
	for (b = 0; b < n; b++) {
		int h = w[b].start >= lo[w[b].series];
		double *Aw = h ? Ah : A, *Bw = h ? Bh : B;

		/* the net's inputs and target - base (no linear path yet) */
		add_window(ss, m, w + b, x, tg, f, p, nt, Aw, Bw);
		for (k = 0; h && k < nt; k++)
			yyh += (double)tg[k] * (double)tg[k];
		nh += (size_t)h;
	}
	/* lambda and the prior by the holdout's squared error; none: y'y */
	best = yyh;
	for (g = 0; nh && nh < n && g < ng; g++) {
		if (ridge_factor(L, A, p, grid[g], n - nh) < 0)
			continue;
		for (q = 0; q < 2; q++) {
			prior(a0, m, nin, q);
			ridge_solve(a, L, B, a0, p, nt, grid[g], n - nh);
			e = holdout_error(a, Ah, Bh, yyh, p, nt);
			if (e < best) {
				best = e;
				lam = grid[g];
				last = q;
			}
		}
	}
	if (!nh || nh == n)
		snprintf(why, whyn, "none (%zu training windows: too few to "
		         "choose it on)", n);
	else if (lam == 0)
		snprintf(why, whyn, "none (no better than none on the last "
		         "%zu training windows)", nh);
	if (lam > 0) {
		for (i = 0; i < p * p; i++)
			A[i] += Ah[i];
		for (i = 0; i < nt * p; i++)
			B[i] += Bh[i];
		prior(a0, m, nin, last);
		if (ridge_factor(L, A, p, lam, n) == 0) {
			ridge_solve(a, L, B, a0, p, nt, lam, n);
			m->ar = a;
			m->ar_n = p;
			m->ar_lambda = lam;
			m->ar_last = last;
			S.a = NULL;
			ok = 0;
			snprintf(why, whyn, "an autoregression on the window's "
			         "%zu values (ridge %g%s: the best on the last %zu "
			         "training windows, fitted on the first %zu)",
			         p - 1, lam, last ? " toward the last value" : "",
			         nh, n - nh);
		} else
			snprintf(why, whyn, "none (the normal equations are "
			         "singular)");
	}
	free(lo);
	free(hi);
	free(Ah);
	free(Bh);
	ar_sys_free(&S);
	return ok;
}

int
rnnm_ar_refit(struct rnnm *m, const struct series_set *ss,
              const struct window *w, size_t n)
{
	size_t W = m->window, nin = ss->nin, nt = m->ntargets, p = m->ar_n;
	size_t b;
	double *old = m->ar;
	struct ar_sys S;
	int rc = -1;

	if (!p || !(m->ar_lambda > 0) || !n)
		return 0;
	ar_sys_new(&S, p, nt, W, nin);
	/* target - base without the linear path, as rnnm_ar_fit */
	m->ar_n = 0;
	m->ar = NULL;
	for (b = 0; b < n; b++)
		add_window(ss, m, w + b, S.x, S.tg, S.f, p, nt, S.A, S.B);
	m->ar_n = p;
	m->ar = old;
	prior(S.a0, m, nin, m->ar_last);
	if (ridge_factor(S.L, S.A, p, m->ar_lambda, n) == 0) {
		ridge_solve(S.a, S.L, S.B, S.a0, p, nt, m->ar_lambda, n);
		memcpy(m->ar, S.a, nt * p * sizeof *S.a);
		rc = 0;
	}
	ar_sys_free(&S);
	return rc;
}

double
rnnm_ar_value(const struct rnnm *m, const double *z, size_t nc, size_t k)
{
	size_t W = m->window, nin = (size_t)m->net.cfg.nin, t, c;
	const double *a, *last = z + (W - 1) * nc;
	double s;

	if (!m->ar_n)
		return 0;
	a = m->ar + k * m->ar_n;
	s = a[W * nin];
	for (t = 0; t < W; t++)
		for (c = 0; c < nin; c++)
			s += a[t * nin + c] * (m->normalize == RK_NORM_WINDOW ?
			                       z[t * nc + c] - last[c] :
			                       z[t * nc + c]);
	return s;
}
