/* dense.c - dense associative memories: polynomial and exponential
 * energies (discrete), the modern Hopfield update (continuous). The maths
 * is in dense.h. */
#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bipolar.h"
#include "dense.h"
#include "gemm.h"
#include "parallel.h"
#include "rng.h"
#include "util.h"

#define E2 7.38905609893065022723     /* e^2 */

/* probes per batch: at most 256, and at most 2^22 / m so that each b x m
 * work array stays within 32 MB */
static size_t
chunk(size_t m)
{
	size_t c = ((size_t)1 << 22) / (m ? m : 1);

	return c < 1 ? 1 : c > 256 ? 256 : c;
}

int
dense_energy_parse(const char *s, struct dense_energy *e)
{
	char *end;
	long k;

	if (!strcmp(s, "exp")) {
		e->kind = DENSE_EXP;
		e->K = 0;
		return 0;
	}
	if (strncmp(s, "poly:", 5) || !isdigit((unsigned char)s[5]))
		return -1;
	errno = 0;
	k = strtol(s + 5, &end, 10);
	if (*end || errno || k < 2 || k > DENSE_MAXK)
		return -1;
	e->kind = DENSE_POLY;
	e->K = (int)k;
	return 0;
}

void
dense_init(struct dense *d, size_t n, int real)
{
	memset(d, 0, sizeof *d);
	d->n = n;
	d->real = real;
}

void
dense_release(struct dense *d)
{
	free(d->X);
	memset(d, 0, sizeof *d);
}

void
dense_store(struct dense *d, const double *x, size_t m)
{
	size_t n = d->n;

	d->X = ereallocarray(d->X, emul(d->m + m, n), sizeof *d->X);
	memcpy(d->X + d->m * n, x, m * n * sizeof *d->X);
	d->m += m;
}

/* x^K by squaring: exact while every power stays below 2^53 */
static double
ipow(double x, int K)
{
	double r = 1;

	for (; K; K >>= 1) {
		if (K & 1)
			r *= x;
		if (K > 1)
			x *= x;
	}
	return r;
}

/* poly fields in integers: (n + 2)^K m < 2^52 */
static int
poly_exact(const struct dense *d, const struct dense_energy *e)
{
	return e->kind == DENSE_POLY &&
	       e->K * log2((double)d->n + 2) + log2((double)d->m + 1) < 52;
}

/* The scale c of G for overlaps o (m): exp: max o + 2; exact poly: 1;
 * other poly: max |o| + 2. */
static double
gshift(const struct dense_energy *e, int exact, const double *o, size_t m)
{
	size_t mu;
	double c = e->kind == DENSE_EXP ? -INFINITY : 0;

	if (exact)
		return 1;
	for (mu = 0; mu < m; mu++) {
		double v = e->kind == DENSE_EXP ? o[mu] : fabs(o[mu]);

		if (v > c)
			c = v;
	}
	return c + 2;
}

/* G(x) = F(x) / (a positive constant of c) */
static double
gval(const struct dense_energy *e, int exact, double c, double x)
{
	if (e->kind == DENSE_EXP)
		return exp(x - c);
	return exact ? ipow(x, e->K) : ipow(x / c, e->K);
}

/* exp: the bound below which a computed field counts as 0 (dense.h),
 * from A = sum_mu G(o_mu - 2) + G(o_mu) + G(o_mu + 2) */
static double
exp_tie(size_t m, double A)
{
	return ((double)m + 8) * DBL_EPSILON * A;
}

/* E from the overlaps o (m): poly -sum o^K, exp -lse(o) */
static double
energy_from(const struct dense_energy *e, const double *o, size_t m)
{
	size_t mu;
	double s = 0, mx = -INFINITY;

	if (e->kind == DENSE_POLY) {
		for (mu = 0; mu < m; mu++)
			s -= ipow(o[mu], e->K);
		return s;
	}
	for (mu = 0; mu < m; mu++)
		if (o[mu] > mx)
			mx = o[mu];
	for (mu = 0; mu < m; mu++)
		s += exp(o[mu] - mx);
	return -(mx + log(s));
}

double
dense_energy_of(const struct dense *d, const struct dense_energy *e,
                const double *s)
{
	double *o = emalloc(emul(d->m, sizeof *o)), E;

	/* o (m) = X (m,n) . s (n) */
	rk_dgemm(0, 0, d->m, 1, d->n, 1.0, d->X, d->n, s, 1, 0.0, o, 1);
	E = energy_from(e, o, d->m);
	free(o);
	return E;
}

double
dense_energy_tol(const struct dense *d, const struct dense_energy *e,
                 double energy)
{
	double m = (double)d->m;

	if (e->kind == DENSE_EXP)       /* log of a sum of m terms <= 1 */
		return (m + 2) * DBL_EPSILON * (1 + fabs(energy));
	if (log2(m) + e->K * log2((double)d->n) < 53)
		return 0;               /* every o^K and their sum exact */
	return (m + 2) * DBL_EPSILON * fabs(energy);
}

/* match and hamming as hop_match (a pattern wins over the negation of an
 * earlier one), from the overlaps o (m) of a state with u unknown bits:
 * its distance to x_mu is (n + u - o_mu) / 2, to -x_mu (n + u + o_mu) / 2
 * (the overlaps are exact integers) */
static void
dense_match(const struct dense *d, const double *o, size_t u,
            struct hop_result *r)
{
	size_t k;
	double nu = (double)(d->n + u);
	struct bip_nearest b;

	bip_nearest_init(&b);
	for (k = 0; k < d->m; k++)
		bip_nearest_add(&b, k, (size_t)((nu - o[k]) / 2),
		                (size_t)((nu + o[k]) / 2));
	r->match = bip_nearest_match(&b);
	r->hamming = b.best;
}

/* Sync recall of b probes (at most chunk(m)); probe numbers in trace calls
 * start at base. */
static void
recall_sync(const struct dense *d, const struct dense_energy *e,
            double *states, size_t b, size_t max_iter,
            struct hop_result *res, hop_trace_fn trace, void *ctx,
            size_t base)
{
	size_t n = d->n, m = d->m, na = b, i, k, t, p, mu;
	int exact = poly_exact(d, e), unk;
	size_t *act = emalloc(emul(b, sizeof *act));
	double *S = emalloc(emul(emul(b, n), sizeof *S));
	double *FLD = emalloc(emul(emul(b, n), sizeof *FLD));
	double *F0 = emalloc(emul(emul(b, n), sizeof *F0));
	double *O = emalloc(emul(emul(b, m), sizeof *O));
	double *H = emalloc(emul(emul(b, m), sizeof *H));
	double *G0 = emalloc(emul(emul(b, m), sizeof *G0));
	double *D = emalloc(emul(b, sizeof *D));
	double *TIE = emalloc(emul(b, sizeof *TIE));
	struct cycdet *cd = ecalloc(b, sizeof *cd);

	for (i = 0; i < b; i++) {
		act[i] = i;
		res[i].status = HOP_LIMIT;
		res[i].iters = 0;
		res[i].period = 0;
		cycdet_push(&cd[i], bipolar_hash(states + i * n, n));
		if (trace)
			trace(ctx, base + i, 0, -1, states + i * n,
			      dense_energy_of(d, e, states + i * n));
	}
	for (t = 1; t <= max_iter && na; t++) {
		for (k = 0; k < na; k++)
			memcpy(S + k * n, states + act[k] * n, n * sizeof *S);
		/* O (na,m) = S (na,n) . X^T */
		rk_dgemm(0, 1, na, m, n, 1.0, S, n, d->X, n, 0.0, O, m);
		unk = 0;
		for (k = 0; k < na; k++) {
			const double *o = O + k * m;
			double *h = H + k * m, *g0 = G0 + k * m, sd = 0, sa = 0;
			double c = gshift(e, exact, o, m);
			int u = bipolar_unknown(S + k * n, n) > 0;

			for (mu = 0; mu < m; mu++) {
				double gp, gm, g, g1 = 0, g_1 = 0;

				if (e->kind == DENSE_EXP) {
					/* G(o + j) = e^(o - c) e^j */
					g = exp(o[mu] - c);
					gp = g * E2;
					gm = g / E2;
					if (u) {
						g1 = g * M_E;
						g_1 = g / M_E;
					}
				} else {
					g = gval(e, exact, c, o[mu]);
					gp = gval(e, exact, c, o[mu] + 2);
					gm = gval(e, exact, c, o[mu] - 2);
					if (u) {
						g1 = gval(e, exact, c, o[mu] + 1);
						g_1 = gval(e, exact, c, o[mu] - 1);
					}
				}
				h[mu] = (gp - gm) / 2;
				sd += (2 * g - gp - gm) / 2;
				sa += gm + g + gp;
				g0[mu] = g1 - g_1;
			}
			D[k] = sd;
			TIE[k] = e->kind == DENSE_EXP ? exp_tie(m, sa) : 0;
			unk |= u;
		}
		/* FLD (na,n) = H (na,m) . X (m,n); F0 the same from G0 */
		rk_dgemm(0, 0, na, n, m, 1.0, H, m, d->X, n, 0.0, FLD, n);
		if (unk)
			rk_dgemm(0, 0, na, n, m, 1.0, G0, m, d->X, n, 0.0, F0,
			         n);
		for (k = i = 0; k < na; k++) {
			size_t pr = act[k];
			double *s = states + pr * n, *f = FLD + k * n;

			for (p = 0; p < n; p++) {
				f[p] = s[p] != 0 ? f[p] + s[p] * D[k]
				                 : F0[k * n + p];
				if (fabs(f[p]) <= TIE[k])
					f[p] = 0;       /* a tie: keep s_p */
			}
			bipolar_update(s, f, n);
			res[pr].iters = t;
			if (trace)
				trace(ctx, base + pr, t, -1, s,
				      dense_energy_of(d, e, s));
			p = cycdet_push(&cd[pr], bipolar_hash(s, n));
			if (p) {
				res[pr].status = p == 1 ? HOP_STABLE : HOP_CYCLE;
				res[pr].period = p;
				continue;
			}
			act[i++] = pr;
		}
		na = i;
	}
	/* final energies: O (b,m) = states (b,n) . X^T */
	rk_dgemm(0, 1, b, m, n, 1.0, states, n, d->X, n, 0.0, O, m);
	for (i = 0; i < b; i++) {
		res[i].energy = energy_from(e, O + i * m, m);
		res[i].unknown = bipolar_unknown(states + i * n, n);
		dense_match(d, O + i * m, res[i].unknown, &res[i]);
		cycdet_release(&cd[i]);
	}
	free(cd);
	free(act);
	free(S);
	free(FLD);
	free(F0);
	free(O);
	free(H);
	free(G0);
	free(D);
	free(TIE);
}

/* T (m,5): G(o_mu - 2 .. o_mu + 2) at the scale of the current overlaps
 * (exp: each at most 1, the scale being max o + 2) */
static void
gtable(const struct dense_energy *e, int exact, const double *o, size_t m,
       double *T)
{
	double c = gshift(e, exact, o, m);
	size_t mu;
	int j;

	for (mu = 0; mu < m; mu++)
		for (j = 0; j < 5; j++)
			T[mu * 5 + j] = gval(e, exact, c, o[mu] + j - 2);
}

/* Whether a field f computed from T (gtable) is a tie (dense.h): 0 for
 * poly, within exp_tie of 0 for exp. Each G of T being at most 1, the
 * bound is at most exp_tie(m, 3m), so the sum is taken only for a field
 * below that. */
static __attribute__((noinline, cold)) int
exp_serial_tie(double f, const double *T, size_t m)
{
	double sa = 0;
	size_t mu;

	for (mu = 0; mu < m; mu++)
		sa += T[mu * 5] + T[mu * 5 + 2] + T[mu * 5 + 4];
	return fabs(f) <= exp_tie(m, sa);
}

static int
serial_tie(const struct dense_energy *e, double f, const double *T, size_t m)
{
	if (e->kind != DENSE_EXP || !(fabs(f) <= exp_tie(m, 3.0 * (double)m)))
		return f == 0;
	return exp_serial_tie(f, T, m);
}

/* One neuron at a time, in a random order each sweep (async) or in index
 * order (seq), keeping the overlaps o = X s up to date flip by flip. */
static void
recall_serial(const struct dense *d, const struct dense_energy *e,
              double *states, size_t b, enum hop_mode mode,
              size_t max_iter, uint64_t seed, struct hop_result *res,
              hop_trace_fn trace, void *ctx)
{
	size_t n = d->n, m = d->m, i, j, k, t, p, mu, step, changed;
	int exact = poly_exact(d, e);
	size_t *order = emalloc(emul(n, sizeof *order));
	double *XT = emalloc(emul(emul(n, m), sizeof *XT));
	double *o = emalloc(emul(m, sizeof *o));
	double *T = emalloc(emul(emul(m, 5), sizeof *T));
	struct rk_rng rng;
	struct cycdet cd = { 0 };

	for (mu = 0; mu < m; mu++)
		for (i = 0; i < n; i++)
			XT[i * m + mu] = d->X[mu * n + i];
	rk_rng_seed(&rng, seed);
	for (k = 0; k < b; k++) {
		double *s = states + k * n;

		res[k].status = HOP_LIMIT;
		res[k].period = 0;
		res[k].iters = 0;
		step = 0;
		cycdet_reset(&cd);
		cycdet_push(&cd, bipolar_hash(s, n));
		/* o (m) = X (m,n) . s (n) */
		rk_dgemm(0, 0, m, 1, n, 1.0, d->X, n, s, 1, 0.0, o, 1);
		if (trace)
			trace(ctx, k, 0, -1, s, energy_from(e, o, m));
		gtable(e, exact, o, m, T);
		for (t = 1; t <= max_iter; t++) {
			for (i = 0; i < n; i++)
				order[i] = i;
			if (mode == HOP_ASYNC)
				rk_rng_shuffle(&rng, order, n);
			changed = 0;
			for (j = 0; j < n; j++) {
				const double *x;
				double f = 0, v;

				i = order[j];
				x = XT + i * m;
				step++;
				/* f = sum_mu [G(a + x) - G(a - x)],
				 * a = o - x s_i: index 2 + (a - o) +- x */
				for (mu = 0; mu < m; mu++) {
					int a = 2 - (int)(x[mu] * s[i]);
					int xi = (int)x[mu];

					f += T[mu * 5 + a + xi] -
					     T[mu * 5 + a - xi];
				}
				if (serial_tie(e, f, T, m))
					continue;       /* keep s_i */
				v = f > 0 ? 1 : -1;
				if (v == s[i])
					continue;
				for (mu = 0; mu < m; mu++)
					o[mu] += x[mu] * (v - s[i]);
				s[i] = v;
				gtable(e, exact, o, m, T);
				changed++;
				if (trace)
					trace(ctx, k, step, (long)i, s,
					      energy_from(e, o, m));
			}
			res[k].iters = t;
			if (!changed) {
				res[k].status = HOP_STABLE;
				res[k].period = 1;
				break;
			}
			if (mode == HOP_SEQ &&
			    (p = cycdet_push(&cd, bipolar_hash(s, n)))) {
				res[k].status = HOP_CYCLE;
				res[k].period = p;
				break;
			}
		}
		res[k].energy = energy_from(e, o, m);
		res[k].unknown = bipolar_unknown(s, n);
		dense_match(d, o, res[k].unknown, &res[k]);
	}
	cycdet_release(&cd);
	free(order);
	free(XT);
	free(o);
	free(T);
}

/* Batches [begin, end) of cmax probes each, for rk_parallel: each
 * batch owns its probes' states and results, so any number of threads
 * gives the same output (a trace, whose calls must come in order, runs
 * on one thread: rk_parallel then calls once, on the caller). */
struct batches {
	const struct dense *d;
	const struct dense_energy *e;   /* discrete; NULL: continuous */
	double *states;
	size_t b, cmax, max_iter;
	void *res;                      /* hop_result or dense_cresult */
	double beta, M;                 /* continuous: beta, max_norm */
	hop_trace_fn trace;             /* with a trace: one thread */
	void *ctx;
};

/* A batch works in about three b x m arrays of doubles (at most 32 MB
 * each, chunk()): the threads are capped so that together they stay
 * within 1 GiB, whatever the number of CPUs. */
static int
batch_threads(const struct dense *d, size_t cmax)
{
	size_t per = 3 * cmax * (d->m ? d->m : 1) * sizeof(double);
	size_t cap = ((size_t)1 << 30) / per;

	return cap < 1 ? 1 : (size_t)d->threads < cap ? d->threads : (int)cap;
}

static void
sync_batches(void *ctx, size_t begin, size_t end)
{
	struct batches *j = ctx;
	struct hop_result *res = j->res;

	for (size_t q = begin; q < end; q++) {
		size_t k = q * j->cmax, c = j->b - k < j->cmax ? j->b - k : j->cmax;
		recall_sync(j->d, j->e, j->states + k * j->d->n, c, j->max_iter,
		            res + k, j->trace, j->ctx, k);
	}
}

void
dense_recall(const struct dense *d, const struct dense_energy *e,
             double *states, size_t b, enum hop_mode mode,
             size_t max_iter, uint64_t seed, struct hop_result *res,
             hop_trace_fn trace, void *ctx)
{
	size_t cmax = chunk(d->m);
	struct batches j = { d, e, states, b, cmax, max_iter, res, 0, 0,
	                     trace, ctx };

	if (mode != HOP_SYNC) {
		recall_serial(d, e, states, b, mode, max_iter, seed, res,
		              trace, ctx);
		return;
	}
	rk_parallel(trace ? 1 : batch_threads(d, cmax), (b + cmax - 1) / cmax,
	            1, sync_batches, &j);
}

/* ---- continuous ---- */

/* The largest pattern norm M */
static double
max_norm(const struct dense *d)
{
	size_t k, i, n = d->n;
	double M = 0;

	for (k = 0; k < d->m; k++) {
		double s = 0;

		for (i = 0; i < n; i++)
			s += d->X[k * n + i] * d->X[k * n + i];
		if (s > M)
			M = s;
	}
	return sqrt(M);
}

/* Each row z of A (b,m): A <- softmax(beta z) in place, lse[k] =
 * lse(beta, z), both shifted by the largest beta z_mu. */
static void
softmax_rows(double *A, size_t b, size_t m, double beta, double *lse)
{
	size_t k, mu;

	for (k = 0; k < b; k++) {
		double *z = A + k * m, mx = -INFINITY, s = 0;

		for (mu = 0; mu < m; mu++)
			if (beta * z[mu] > mx)
				mx = beta * z[mu];
		for (mu = 0; mu < m; mu++)
			s += (z[mu] = exp(beta * z[mu] - mx));
		for (mu = 0; mu < m; mu++)
			z[mu] /= s;
		lse[k] = (mx + log(s)) / beta;
	}
}

/* lse(beta, z) - log(m) / beta for z (m), without the two terms' cancelling
 * for small beta: z_max + log(u) / beta, u = (1/m) sum e^(beta (z - z_max))
 * in (1/m, 1], as log1p of (1/m) sum expm1(...) while that is above -1/2
 * (small beta: relative error a few eps), else as log(m u) - log(m) */
static double
lse_mean(const double *z, size_t m, double beta)
{
	size_t mu;
	double mx = -INFINITY, s = 0, u = 0;

	for (mu = 0; mu < m; mu++)
		if (z[mu] > mx)
			mx = z[mu];
	for (mu = 0; mu < m; mu++) {
		u += expm1(beta * (z[mu] - mx));
		s += exp(beta * (z[mu] - mx));
	}
	u /= (double)m;
	if (u > -0.5)
		return mx + log1p(u) / beta;
	return mx + (log(s) - log((double)m)) / beta;
}

/* E = -(lse - log(m)/beta) + xi.xi/2 + M^2/2, a (m) = X xi */
static double
cenergy(const struct dense *d, double beta, double M, const double *xi,
        const double *a)
{
	size_t i;
	double q = 0;

	for (i = 0; i < d->n; i++)
		q += xi[i] * xi[i];
	return -lse_mean(a, d->m, beta) + q / 2 + M * M / 2;
}

double
dense_cenergy(const struct dense *d, double beta, const double *xi)
{
	double *a = emalloc(emul(d->m, sizeof *a)), E;

	/* a (m) = X (m,n) . xi (n) */
	rk_dgemm(0, 0, d->m, 1, d->n, 1.0, d->X, d->n, xi, 1, 0.0, a, 1);
	E = cenergy(d, beta, max_norm(d), xi, a);
	free(a);
	return E;
}

int
dense_norms_ok(const double *x, size_t m, size_t n, size_t *bad)
{
	size_t k, i;

	for (k = 0; k < m; k++) {
		double q = 0;

		for (i = 0; i < n; i++)
			q += x[k * n + i] * x[k * n + i];
		if (!(q <= DENSE_MAXSQ)) {
			*bad = k;
			return 0;
		}
	}
	return 1;
}

int
dense_cprobes_ok(const struct dense *d, double beta, const double *x,
                 size_t b, size_t *bad)
{
	double M = max_norm(d), q, r;
	size_t k, i;

	for (k = 0; k < b; k++) {
		for (i = 0, q = 0; i < d->n; i++)
			q += x[k * d->n + i] * x[k * d->n + i];
		r = sqrt(q) > M ? sqrt(q) : M;
		if (!(q <= DENSE_MAXSQ && beta * M * r <= DENSE_MAXSQ)) {
			*bad = k;
			return 0;
		}
	}
	return 1;
}

static double
dist(const double *a, const double *b, size_t n)
{
	size_t i;
	double s = 0;

	for (i = 0; i < n; i++)
		s += (a[i] - b[i]) * (a[i] - b[i]);
	return sqrt(s);
}

/* NEW (na,n) = X^T softmax(beta X s) for the rows of S (na,n); A (na,m)
 * and lse (na) are work space. */
static void
cstep(const struct dense *d, double beta, const double *S, size_t na,
      double *A, double *lse, double *NEW)
{
	size_t n = d->n, m = d->m;

	/* A (na,m) = S (na,n) . X^T */
	rk_dgemm(0, 1, na, m, n, 1.0, S, n, d->X, n, 0.0, A, m);
	softmax_rows(A, na, m, beta, lse);
	/* NEW (na,n) = A (na,m) . X (m,n) */
	rk_dgemm(0, 0, na, n, m, 1.0, A, m, d->X, n, 0.0, NEW, n);
}

static void
crecall_chunk(const struct dense *d, double beta, double M, double *states,
              size_t b, size_t max_iter, struct dense_cresult *res,
              hop_trace_fn trace, void *ctx, size_t base)
{
	size_t n = d->n, m = d->m, na = b, i, k, t, mu;
	double tau = 1e-6 * M;
	size_t *act = emalloc(emul(b, sizeof *act));
	double *S = emalloc(emul(emul(b, n), sizeof *S));
	double *NEW = emalloc(emul(emul(b, n), sizeof *NEW));
	double *A = emalloc(emul(emul(b, m), sizeof *A));
	double *lse = emalloc(emul(b, sizeof *lse));
	double *nrm = emalloc(emul(m, sizeof *nrm));

	for (i = 0; i < b; i++) {
		act[i] = i;
		res[i].iters = 0;
		res[i].status = HOP_LIMIT;
		if (trace)
			trace(ctx, base + i, 0, -1, states + i * n,
			      dense_cenergy(d, beta, states + i * n));
	}
	for (t = 1; t <= max_iter && na; t++) {
		for (k = 0; k < na; k++)
			memcpy(S + k * n, states + act[k] * n, n * sizeof *S);
		cstep(d, beta, S, na, A, lse, NEW);
		for (k = i = 0; k < na; k++) {
			size_t pr = act[k];
			double *s = states + pr * n, moved;

			moved = dist(NEW + k * n, s, n);
			memcpy(s, NEW + k * n, n * sizeof *s);
			res[pr].iters = t;
			if (trace)
				trace(ctx, base + pr, t, -1, s,
				      dense_cenergy(d, beta, s));
			if (moved <= tau) {
				res[pr].status = HOP_STABLE;
				continue;
			}
			act[i++] = pr;
		}
		na = i;
	}
	/* after max_iter: would the next update move the state? */
	if (na) {
		for (k = 0; k < na; k++)
			memcpy(S + k * n, states + act[k] * n, n * sizeof *S);
		cstep(d, beta, S, na, A, lse, NEW);
		for (k = 0; k < na; k++)
			if (dist(NEW + k * n, S + k * n, n) <= tau)
				res[act[k]].status = HOP_STABLE;
	}
	/* energies, and the nearest pattern: A (b,m) = states . X^T gives
	 * |s - x|^2 = |s|^2 - 2 s.x + |x|^2; the winner's distance is then
	 * computed directly */
	for (mu = 0; mu < m; mu++) {
		double q = 0;

		for (i = 0; i < n; i++)
			q += d->X[mu * n + i] * d->X[mu * n + i];
		nrm[mu] = q;
	}
	rk_dgemm(0, 1, b, m, n, 1.0, states, n, d->X, n, 0.0, A, m);
	for (k = 0; k < b; k++) {
		const double *a = A + k * m;
		double best = INFINITY, dd;
		size_t arg = 0;

		for (mu = 0; mu < m; mu++)
			if (nrm[mu] - 2 * a[mu] < best) {
				best = nrm[mu] - 2 * a[mu];
				arg = mu;
			}
		dd = dist(states + k * n, d->X + arg * n, n);
		res[k].distance = dd;
		res[k].match = dd <= tau ? (long)arg + 1 : 0;
	}
	for (k = 0; k < b; k++)
		res[k].energy = cenergy(d, beta, M, states + k * n, A + k * m);
	free(act);
	free(S);
	free(NEW);
	free(A);
	free(lse);
	free(nrm);
}

static void
c_batches(void *ctx, size_t begin, size_t end)
{
	struct batches *j = ctx;
	struct dense_cresult *res = j->res;

	for (size_t q = begin; q < end; q++) {
		size_t k = q * j->cmax, c = j->b - k < j->cmax ? j->b - k : j->cmax;
		crecall_chunk(j->d, j->beta, j->M, j->states + k * j->d->n, c,
		              j->max_iter, res + k, j->trace, j->ctx, k);
	}
}

void
dense_crecall(const struct dense *d, double beta, double *states, size_t b,
              size_t max_iter, struct dense_cresult *res, hop_trace_fn trace,
              void *ctx)
{
	size_t cmax = chunk(d->m);
	struct batches j = { d, NULL, states, b, cmax, max_iter, res, beta,
	                     max_norm(d), trace, ctx };

	rk_parallel(trace ? 1 : batch_threads(d, cmax), (b + cmax - 1) / cmax,
	            1, c_batches, &j);
}

/* ---- weight stream ---- */

void
dense_to_stream(const struct dense *d, struct rk_wstream *w)
{
	ws_init(w, "dense");
	ws_set(w, "neurons", "%zu", d->n);
	ws_set(w, "patterns", "%zu", d->m);
	ws_set(w, "values", "%s", d->real ? "real" : "pm1");
	ws_add(w, "patterns", d->real ? RK_F64 : RK_BITS, d->m, d->n, d->X);
}

void
dense_from_stream(struct dense *d, struct rk_wstream *w)
{
	const struct rk_tensor *t;
	const char *values = ws_get(w, "values");
	size_t n, m, i;
	int real;

	ws_expect_kind(w, "expected a dense memory (from hop-store --rule "
	               "dense)", "dense", (const char *)NULL);
	n = ws_get_size(w, "neurons", 1, 1u << 15);
	m = ws_get_size(w, "patterns", 1, RK_WS_MAXELEMS);
	if (!values || (strcmp(values, "pm1") && strcmp(values, "real")))
		die(EX_DATAERR, "%s: unknown pattern values '%s' (pm1 or "
		    "real)", w->name, values ? values : "");
	real = !strcmp(values, "real");
	t = ws_need(w, "patterns", m, n);
	if (real ? t->dtype == RK_BITS : t->dtype != RK_BITS)
		die(EX_DATAERR, "%s: tensor patterns must be %s for values "
		    "%s", w->name, real ? "f64 or f32" : "bits", values);
	/* the shape checked on the header, then the data read */
	ws_load(w);
	dense_init(d, n, real);
	d->m = m;
	d->X = emalloc(emul(emul(m, n), sizeof *d->X));
	ws_get_f64(t, d->X);
	for (i = 0; i < m * n; i++)
		if (!isfinite(d->X[i])) {
			dense_release(d);
			die(EX_DATAERR, "%s: pattern %zu has a value that is "
			    "not a finite number", w->name, i / n + 1);
		}
	if (!dense_norms_ok(d->X, m, n, &i)) {
		dense_release(d);
		die(EX_DATAERR, "%s: pattern %zu is too large (its squared "
		    "norm over %g)", w->name, i + 1, DENSE_MAXSQ);
	}
}
