/* hopfield.c - Hopfield memory: hebb, storkey and pinv storage; sync, async
 * and sequential recall. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bipolar.h"
#include "cpu.h"
#include "gemm.h"
#include "hopfield.h"
#include "parallel.h"
#include "rng.h"
#include "report.h"
#include "util.h"

static const char *rule_names[] = { "hebb", "storkey", "pinv", "matrix" };

const char *
hop_rule_name(enum hop_rule r)
{
	return rule_names[r];
}

int
hop_rule_parse(const char *s, enum hop_rule *r)
{
	/* "matrix" is no rule to ask for */
	int i = rk_name_index(rule_names, 3, s);

	if (i < 0)
		return -1;
	*r = (enum hop_rule)i;
	return 0;
}

int
hop_mode_parse(const char *s, enum hop_mode *m)
{
	if (!strcmp(s, "sync"))
		*m = HOP_SYNC;
	else if (!strcmp(s, "async"))
		*m = HOP_ASYNC;
	else if (!strcmp(s, "seq"))
		*m = HOP_SEQ;
	else
		return -1;
	return 0;
}

void
hop_init(struct hopfield *h, size_t n, enum hop_rule rule)
{
	memset(h, 0, sizeof *h);
	h->n = n;
	h->rule = rule;
	/* hebb holds its patterns, and builds W only when asked to */
	if (rule != HOP_HEBB)
		h->W = ecalloc(emul(n, n), sizeof *h->W);
}

void
hop_release(struct hopfield *h)
{
	free(h->W);
	free(h->pat);
	memset(h, 0, sizeof *h);
}

void
hop_drop_patterns(struct hopfield *h)
{
	hop_weights(h);
	free(h->pat);
	h->pat = NULL;
}

static void
zero_diagonal(double *W, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		W[i * n + i] = 0;
}

/* rows [i0, i1) of W (n,n) = beta W + X^T X for the m x n patterns X */
struct gram {
	double *W, beta;
	const double *x;
	size_t m, n;
};

static void
gram_rows(void *ctx, size_t i0, size_t i1)
{
	struct gram *g = ctx;

	/* W[i0:i1] (i1-i0,n) = X^T[i0:i1] (i1-i0,m) . X (m,n) + beta W */
	rk_dgemm(1, 0, i1 - i0, g->n, g->m, 1.0, g->x + i0, g->n, g->x, g->n,
	         g->beta, g->W + i0 * g->n, g->n);
}

/* W (n,n) = beta W + X^T X, split by rows over the threads; every entry
 * is one dot product, the same for any split. */
static void
gram(double *W, double beta, const double *x, size_t m, size_t n,
     int threads)
{
	struct gram g = { W, beta, x, m, n };

	rk_parallel(threads, n, 64, gram_rows, &g);
}

void
hop_weights(struct hopfield *h)
{
	if (h->W)
		return;
	h->W = ecalloc(emul(h->n, h->n), sizeof *h->W);
	if (h->m)
		gram(h->W, 0.0, h->pat, h->m, h->n, h->threads);
	zero_diagonal(h->W, h->n);
}

/* Storkey (1997): for each pattern x, with local fields
 * h_ij = sum_{k != i,j} w_ik x_k,
 * w_ij += (x_i x_j - x_i h_ji - h_ij x_j) / n.
 * Each step is split by rows over the threads: a row's values are the
 * same for any split. */
struct storkey {
	double *W, *f;
	const double *x;
	size_t n;
	int step;
};

static void
storkey_rows(void *ctx, size_t i0, size_t i1)
{
	struct storkey *st = ctx;
	size_t n = st->n, i, j;
	double *W = st->W, *f = st->f, hij, hji, inv = 1.0 / (double)n;
	const double *x = st->x;

	for (i = i0; i < i1; i++) {
		switch (st->step) {
		case 0:         /* f = W x (the weights before this pattern) */
		{
			double s = 0;

			for (j = 0; j < n; j++)
				s += W[i * n + j] * x[j];
			f[i] = s;
			break;
		}
		case 1:         /* the upper triangle; reads only the lower
		                 * one and the diagonal of other rows */
			for (j = i + 1; j < n; j++) {
				hij = f[i] - W[i * n + i] * x[i] - W[i * n + j] * x[j];
				hji = f[j] - W[j * n + j] * x[j] - W[j * n + i] * x[i];
				W[i * n + j] += (x[i] * x[j] - x[i] * hji - hij * x[j]) * inv;
			}
			break;
		default:        /* the lower triangle of row i from the upper */
			for (j = 0; j < i; j++)
				W[i * n + j] = W[j * n + i];
		}
	}
}

static void
store_storkey(struct hopfield *h, const double *x, size_t m)
{
	size_t n = h->n, k;
	struct storkey st = { h->W, emalloc(emul(n, sizeof *st.f)), x, n, 0 };

	for (k = 0; k < m; k++, st.x += n)
		for (st.step = 0; st.step < 3; st.step++)
			rk_parallel(h->threads, n, 64, storkey_rows, &st);
	free(st.f);
}

/* Projection rule: W = Q Q^T for an orthonormal basis Q of the patterns'
 * span (modified Gram-Schmidt, dependent patterns skipped), which is
 * X^+ X; then the diagonal is zeroed. */
static void
store_pinv(struct hopfield *h)
{
	size_t n = h->n, m = h->m, k, r = 0, i, j;
	double *q = emalloc(emul(emul(m, n), sizeof *q)), d, norm;

	for (k = 0; k < m; k++) {
		double *v = q + r * n;

		memcpy(v, h->pat + k * n, n * sizeof *v);
		for (j = 0; j < r; j++) {
			d = 0;
			for (i = 0; i < n; i++)
				d += q[j * n + i] * v[i];
			for (i = 0; i < n; i++)
				v[i] -= d * q[j * n + i];
		}
		norm = 0;
		for (i = 0; i < n; i++)
			norm += v[i] * v[i];
		norm = sqrt(norm);
		if (norm <= 1e-9 * sqrt((double)n))
			continue;               /* linearly dependent */
		for (i = 0; i < n; i++)
			v[i] /= norm;
		r++;
	}
	/* W (n,n) = Q^T (n,r) . Q (r,n); with r = n that is I, and W is 0
	 * exactly (not the rounding noise of Q^T Q - I) */
	if (r == n)
		memset(h->W, 0, emul(n, n) * sizeof *h->W);
	else
		gram(h->W, 0.0, q, r, n, h->threads);
	zero_diagonal(h->W, n);
	free(q);
}

int
hop_patterns_complete(const struct hopfield *h)
{
	/* a matrix's W came from patterns nobody knows */
	return h->pat != NULL || (h->m == 0 && h->rule != HOP_MATRIX);
}

int
hop_store(struct hopfield *h, const double *x, size_t m)
{
	size_t n = h->n;
	int kept = hop_patterns_complete(h);

	if ((h->rule == HOP_PINV || !h->W) && !kept)
		return -1;
	if (kept) {
		h->pat = ereallocarray(h->pat, emul(h->m + m, n), sizeof *h->pat);
		memcpy(h->pat + h->m * n, x, emul(m * n, sizeof *x));
	}
	switch (h->rule) {
	case HOP_HEBB:
	case HOP_MATRIX:
		/* W == NULL: W is X^T X - m I of the kept patterns */
		if (h->W) {
			gram(h->W, 1.0, x, m, n, h->threads);
			zero_diagonal(h->W, n);
		}
		break;
	case HOP_STORKEY:
		store_storkey(h, x, m);
		break;
	case HOP_PINV:
		break;
	}
	h->m += m;
	if (h->rule == HOP_PINV)
		store_pinv(h);
	/* a matrix plus patterns stored by hebb is a hebb memory whose
	 * patterns are not all known: none are kept */
	if (h->rule == HOP_MATRIX)
		h->rule = HOP_HEBB;
	return 0;
}

const char *
hop_capacity(const struct hopfield *h, double *limit)
{
	double n = (double)h->n, m = (double)h->m, ln = log(n);

	if (h->n < 2)
		return NULL;
	switch (h->rule) {
	case HOP_HEBB:
		if (m > 0.138 * n) {
			*limit = 0.138 * n;
			return "0.138 n, beyond which hebb recall fails "
			       "with many errors";
		}
		if (m > n / (2 * ln)) {
			*limit = n / (2 * ln);
			return "n/(2 ln n), beyond which hebb no longer recalls "
			       "most patterns exactly";
		}
		if (m > n / (4 * ln)) {
			*limit = n / (4 * ln);
			return "n/(4 ln n), beyond which hebb no longer recalls "
			       "every pattern exactly";
		}
		return NULL;
	case HOP_STORKEY:
		if (m > n / sqrt(2 * ln)) {
			*limit = n / sqrt(2 * ln);
			return "n/sqrt(2 ln n), the capacity of the storkey rule";
		}
		return NULL;
	case HOP_PINV:
		if (m >= n) {
			*limit = n - 1;
			return "n - 1, beyond which pinv patterns span "
			       "the whole space";
		}
		return NULL;
	default:
		return NULL;
	}
}

void
hop_fmt_limit(char *b, size_t len, double limit, size_t m)
{
	int prec;

	/* the shortest of 3..17 significant digits that reads below m */
	for (prec = 3; prec < 17; prec++) {
		snprintf(b, len, "%.*g", prec, limit);
		if (strtod(b, NULL) < (double)m)
			return;
	}
	snprintf(b, len, "%.17g", limit);
}

size_t
hop_diagonal_nonzero(const struct hopfield *h)
{
	size_t i, k = 0;

	for (i = 0; h->W && i < h->n; i++)
		k += h->W[i * h->n + i] != 0;
	return k;
}

/* ---- hebb held as its patterns --------------------------------------
 * With W == NULL, W = X^T X - m I for the m x n kept patterns X, and
 *   W s = X^T c - m s,  c = X s (the overlaps),
 *   s^T W s = sum_k c_k^2 - m (known bits of s),
 * with c_k = known - 2 popcount((sb ^ p_k) & kn) on sign bits sb, known
 * bits kn and pattern bits p_k: every value an integer, computed exactly. */
struct hebbx {
	size_t n, m, nw;
	uint64_t *pk;           /* m x nw: bit i of pattern k set where +1 */
	rk_real *Xf;            /* sync: m x n, +-1, when exact (below) */
	int32_t *XT;            /* serial: n x m, +-1 */
};

/* s as sign bits sb (1: +1) and known bits kn (s != 0), nw words each;
 * returns the number of unknown (0) bits. Branch-free: the signs of a
 * probe are random. */
static size_t
pack_state(const double *s, size_t n, uint64_t *sb, uint64_t *kn)
{
	size_t i, w, j, known = 0;

	for (w = i = 0; i < n; w++) {
		uint64_t a = 0, b = 0;

		for (j = 0; j < 64 && i < n; j++, i++) {
			a |= (uint64_t)(s[i] > 0) << j;
			b |= (uint64_t)(s[i] != 0) << j;
		}
		sb[w] = a;
		kn[w] = b;
		known += j - (size_t)__builtin_popcountll(~b & (((uint64_t)2 << (j - 1)) - 1));
	}
	return n - known;
}

/* The kept patterns as sign bits, nw 64-bit words a pattern; NULL when
 * none are kept. */
static uint64_t *
pack_patterns(const struct hopfield *h, size_t *nw)
{
	size_t n = h->n, k, i;
	uint64_t *pk;

	*nw = (n + 63) / 64;
	if (!h->pat || !h->m)
		return NULL;
	pk = ecalloc(emul(h->m, *nw), sizeof *pk);
	for (k = 0; k < h->m; k++)
		for (i = 0; i < n; i++)
			if (h->pat[k * n + i] > 0)
				pk[k * *nw + i / 64] |= (uint64_t)1 << (i % 64);
	return pk;
}

/* c (m) = X s for a state packed as sb, kn with `known` known bits */
#define OVERLAPS_BODY \
	size_t k, i, d; \
	for (k = 0; k < m; k++) { \
		const uint64_t *p = pk + k * nw; \
		for (d = i = 0; i < nw; i++) \
			d += (size_t)__builtin_popcountll((sb[i] ^ p[i]) & kn[i]); \
		c[k] = (int32_t)known - 2 * (int32_t)d; \
	}

static void
overlaps_generic(const uint64_t *pk, size_t m, size_t nw, const uint64_t *sb,
                 const uint64_t *kn, size_t known, int32_t *c)
{
	OVERLAPS_BODY
}

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
/* the same with the popcnt instruction (every x86-64-v3 CPU has it) */
__attribute__((target("popcnt"))) static void
overlaps_popcnt(const uint64_t *pk, size_t m, size_t nw, const uint64_t *sb,
                const uint64_t *kn, size_t known, int32_t *c)
{
	OVERLAPS_BODY
}
#endif

static void
overlaps(const uint64_t *pk, size_t m, size_t nw, const uint64_t *sb,
         const uint64_t *kn, size_t known, int32_t *c)
{
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
	if (rk_cpu_level() >= 3) {
		overlaps_popcnt(pk, m, nw, sb, kn, known, c);
		return;
	}
#endif
	overlaps_generic(pk, m, nw, sb, kn, known, c);
}

/* c (m) = X s on the packed patterns pk (nw words each) for s (n), with
 * sb the 2 nw words of scratch the packed state takes (signs, then the
 * known bits); returns the number of unknown bits */
static size_t
state_overlaps(const uint64_t *pk, size_t m, size_t nw, const double *s, size_t n,
               uint64_t *sb, int32_t *c)
{
	size_t u = pack_state(s, n, sb, sb + nw);

	overlaps(pk, m, nw, sb, sb + nw, n - u, c);
	return u;
}

/* -1/2 s^T W s from the overlaps: exact (sum c^2 <= m n^2 < 2^53) */
static double
energy_c(const int32_t *c, size_t m, size_t known)
{
	int64_t e = 0;
	size_t k;

	for (k = 0; k < m; k++)
		e += (int64_t)c[k] * c[k];
	e -= (int64_t)m * (int64_t)known;
	return -0.5 * (double)e;
}

/* match and hamming from the overlaps of a state with u unknown bits:
 * d (to pattern k) = dis + u, to -p_k known - dis + u, where
 * dis = (known - c_k) / 2 known bits differ: bipolar_dist's distances. */
static void
match_c(const int32_t *c, size_t m, size_t known, size_t u,
        struct hop_result *r)
{
	struct bip_nearest b;
	size_t k, dis;

	bip_nearest_init(&b);
	for (k = 0; k < m; k++) {
		dis = (size_t)(((int64_t)known - c[k]) / 2);
		bip_nearest_add(&b, k, dis + u, known - dis + u);
	}
	r->match = bip_nearest_match(&b);
	r->hamming = b.best;
}

double
hop_energy(const struct hopfield *h, const double *s)
{
	size_t i, j, k, n = h->n, known = 0;
	double e = 0, r;

	if (!h->W) {
		/* sum_k (x_k . s)^2 - m known, each dot exact in a double */
		for (k = 0; k < h->m; k++) {
			const double *x = h->pat + k * n;

			r = 0;
			for (i = 0; i < n; i++)
				r += x[i] * s[i];
			e += r * r;
		}
		for (i = 0; i < n; i++)
			known += s[i] != 0;
		return -0.5 * (e - (double)h->m * (double)known);
	}
	for (i = 0; i < n; i++) {
		const double *w = h->W + i * n;

		r = 0;
		for (j = 0; j < n; j++)
			r += w[j] * s[j];
		e += s[i] * (r - w[i] * s[i]);
	}
	return -0.5 * e;
}

double
hop_energy_tol(const struct hopfield *h)
{
	if (!h->W)
		return 0;       /* hebb from its patterns: exact */
	return energy_tol(h->W, h->n * h->n, h->n + h->m);
}

void
hop_match(const struct hopfield *h, const double *s, struct hop_result *r)
{
	size_t k, d, dneg, n = h->n;
	struct bip_nearest b;

	r->match = 0;
	r->hamming = 0;
	if (!h->pat)
		return;
	bip_nearest_init(&b);
	for (k = 0; k < h->m; k++) {
		bipolar_dist(s, h->pat + k * n, n, &d, &dneg);
		bip_nearest_add(&b, k, d, dneg);
	}
	r->match = bip_nearest_match(&b);
	r->hamming = b.best;
}

/* hop_match (and r->unknown) on the packed patterns pk, or on the
 * unpacked ones when pk is NULL. sb: 2 nw words of scratch, c: m. */
static void
match_state(const struct hopfield *h, const uint64_t *pk, const double *s,
            uint64_t *sb, int32_t *c, struct hop_result *r)
{
	size_t n = h->n, u;

	if (!pk) {
		hop_match(h, s, r);
		r->unknown = bipolar_unknown(s, n);
		return;
	}
	u = state_overlaps(pk, h->m, (n + 63) / 64, s, n, sb, c);
	match_c(c, h->m, n - u, u, r);
	r->unknown = u;
}

static int
is_symmetric(const struct hopfield *h)
{
	size_t i, j, n = h->n;

	for (i = 0; i < n; i++)
		for (j = 0; j < i; j++)
			if (h->W[i * n + j] != h->W[j * n + i])
				return 0;
	return 1;
}

/* Are all weights whole numbers, small enough that every sum of n of them
 * times +-1 (and +-2) is exact in a double? */
static int
integer_weights(const struct hopfield *h)
{
	size_t i, nn = h->n * h->n;
	double lim = 4503599627370496.0 / (2.0 * (double)h->n);   /* 2^52/2n */

	for (i = 0; i < nn; i++)
		if (h->W[i] != floor(h->W[i]) || fabs(h->W[i]) > lim)
			return 0;
	return 1;
}

/* Recall a hebb memory held as its patterns (W == NULL) on them, or on W
 * built for the recall? By cost, unless RNNKIT_HOP_KERNEL says
 * "patterns" or "weights" (for tests: both give the same results). */
static int
use_patterns(const struct hopfield *h, size_t b, int serial)
{
	const char *e = getenv("RNNKIT_HOP_KERNEL");
	double n = (double)h->n, m = (double)h->m, nb = (double)b;

	if (h->W)
		return 0;
	/* serial fields are int32 sums of m terms of at most n + 1 */
	if (serial && m * (n + 1) >= 2147483648.0)
		return 0;
	if (e && !strcmp(e, "weights"))
		return 0;
	if (e && !strcmp(e, "patterns"))
		return 1;
	/* a W over the readers' memory cap is never built for speed */
	if (n * n * 8 > (double)ws_max_memory())
		return 1;
	/* a sync step costs 2 m n on the patterns, n^2 on W (a sweep: about
	 * n m, and n^2 for the first fields), and W costs n^2 m to build */
	if (serial)
		return 3 * m * n * nb <= n * n * (m + nb);
	return 2 * m * n * nb <= n * n * (m + nb);
}

static void
hebbx_init(struct hebbx *x, const struct hopfield *h, int serial)
{
	size_t n = h->n, m = h->m, k, i;

	memset(x, 0, sizeof *x);
	x->n = n;
	x->m = m;
	x->pk = pack_patterns(h, &x->nw);
	if (serial) {
		x->XT = emalloc(emul(emul(n, m), sizeof *x->XT) + 1);
		for (k = 0; k < m; k++)
			for (i = 0; i < n; i++)
				x->XT[i * m + k] = h->pat[k * n + i] > 0 ? 1 : -1;
		return;
	}
	/* X^T c in rk_real: exact when every partial sum is an integer of
	 * at most sum_k |c_k| <= m n <= 2^24 (float), else in double on the
	 * kept patterns */
	if (sizeof(rk_real) == sizeof(double) || m * n <= ((size_t)1 << 24)) {
		x->Xf = emalloc(emul(emul(m, n), sizeof *x->Xf) + 1);
		for (i = 0; i < m * n; i++)
			x->Xf[i] = (rk_real)h->pat[i];
	}
}

static void
hebbx_release(struct hebbx *x)
{
	free(x->pk);
	free(x->Xf);
	free(x->XT);
}

/* W in rk_real when that keeps every field exact: integer weights (hebb,
 * an integer matrix) with n max |w_ij| <= 2^24 (every partial sum of
 * sum_j w_ij s_j is then an integer of at most that; always in double).
 * Half the bytes of f64 and twice the speed of its gemm. Else NULL. */
static rk_real *
weights_f(const struct hopfield *h)
{
	size_t i, nn = h->n * h->n;
	double mx = 0;
	rk_real *Wf;

	if (!integer_weights(h))
		return NULL;
	for (i = 0; i < nn; i++)
		if (fabs(h->W[i]) > mx)
			mx = fabs(h->W[i]);
	if (sizeof(rk_real) != sizeof(double) &&
	    (double)h->n * mx > 16777216.0)
		return NULL;
	Wf = emalloc(emul(nn, sizeof *Wf));
	for (i = 0; i < nn; i++)
		Wf[i] = (rk_real)h->W[i];
	return Wf;
}

/* ---- sync: probes in batches, split over the threads ------------------ */
struct sync {
	const struct hopfield *h;       /* with W, on the weight path */
	const struct hebbx *x;          /* the pattern path, or NULL */
	const uint64_t *pk;             /* packed patterns for the match */
	const rk_real *Wf;              /* integer W in rk_real, when every
	                                   field is exact there, or NULL */
	int sym;
	double *states;
	size_t max_iter;
	struct hop_result *res;
	hop_trace_fn trace;
	void *ctx;
};

/* the energy of a state, for the trace */
static double
sync_energy(const struct sync *y, const double *s, uint64_t *sb, int32_t *c)
{
	size_t n = y->h->n, nw = (n + 63) / 64, u;

	if (!y->x)
		return hop_energy(y->h, s);
	u = state_overlaps(y->x->pk, y->h->m, nw, s, n, sb, c);
	return energy_c(c, y->h->m, n - u);
}

/* probes [b0, b1) */
static void
sync_chunk(void *ctx, size_t b0, size_t b1)
{
	struct sync *y = ctx;
	const struct hopfield *h = y->h;
	const struct hebbx *x = y->x;
	size_t n = h->n, m = h->m, nw = (n + 63) / 64, b = b1 - b0, na = b;
	size_t i, k, t, p, u;
	double *states = y->states + b0 * n;
	struct hop_result *res = y->res + b0;
	size_t *act = emalloc(emul(b, sizeof *act));
	struct cycdet *cd = ecalloc(b, sizeof *cd);
	uint64_t *sb = emalloc(emul(2 * nw, sizeof *sb));
	int32_t *c = emalloc(emul(m, sizeof *c) + 1);
	/* weights: S, NET (b,n); patterns: C (b,m), NET (b,n) in rk_real
	 * or double, and one row of fields */
	double *S = NULL, *NET, *net = NULL, *Cd = NULL;
	rk_real *Cf = NULL, *NETf = NULL;

	rk_real *Sf = NULL;

	if (!x) {
		S = emalloc(emul(emul(b, n), sizeof *S));
		NET = emalloc(emul(emul(b, n), sizeof *NET));
		if (y->Wf) {
			Sf = emalloc(emul(emul(b, n), sizeof *Sf));
			NETf = emalloc(emul(emul(b, n), sizeof *NETf));
			net = emalloc(emul(n, sizeof *net));
		}
	} else if (x->Xf) {
		Cf = emalloc(emul(emul(b, m), sizeof *Cf) + 1);
		NETf = emalloc(emul(emul(b, n), sizeof *NETf));
		NET = NULL;
	} else {
		Cd = emalloc(emul(emul(b, m), sizeof *Cd) + 1);
		NET = emalloc(emul(emul(b, n), sizeof *NET));
	}
	if (x)
		net = emalloc(emul(n, sizeof *net));
	for (i = 0; i < b; i++) {
		act[i] = i;
		res[i].status = HOP_LIMIT;
		res[i].iters = 0;
		res[i].period = 0;
		cycdet_push(&cd[i], bipolar_hash(states + i * n, n));
		if (y->trace)
			y->trace(y->ctx, b0 + i, 0, -1, states + i * n,
			         sync_energy(y, states + i * n, sb, c));
	}
	for (t = 1; t <= y->max_iter && na; t++) {
		if (!x) {
			/* NET (na,n) = S (na,n) . W^T (n,n); W^T = W when
			 * symmetric */
			if (y->Wf) {
				for (k = 0; k < na; k++)
					for (i = 0; i < n; i++)
						Sf[k * n + i] = (rk_real)
						        states[act[k] * n + i];
				rk_gemm(0, !y->sym, na, n, n, 1, Sf, n, y->Wf,
				        n, 0, NETf, n);
			} else {
				for (k = 0; k < na; k++)
					memcpy(S + k * n, states + act[k] * n,
					       n * sizeof *S);
				rk_dgemm(0, !y->sym, na, n, n, 1.0, S, n, h->W,
				         n, 0.0, NET, n);
			}
		} else {
			/* C (na,m) = S X^T by popcount; NET (na,n) = C . X */
			for (k = 0; k < na; k++) {
				u = state_overlaps(x->pk, m, nw, states + act[k] * n, n, sb, c);
				for (i = 0; i < m; i++) {
					if (Cf)
						Cf[k * m + i] = (rk_real)c[i];
					else
						Cd[k * m + i] = c[i];
				}
			}
			if (!m && Cf)           /* no patterns: W = 0 */
				memset(NETf, 0, na * n * sizeof *NETf);
			else if (Cf)
				rk_gemm(0, 0, na, n, m, 1, Cf, m, x->Xf, n, 0,
				        NETf, n);
			else
				rk_dgemm(0, 0, na, n, m, 1.0, Cd, m, h->pat, n,
				         0.0, NET, n);
		}
		for (k = i = 0; k < na; k++) {
			size_t pr = act[k], j;
			double *s = states + pr * n;

			if (x) {
				/* W s = X^T c - m s */
				if (NETf)
					for (j = 0; j < n; j++)
						net[j] = (double)NETf[k * n + j] -
						         (double)m * s[j];
				else
					for (j = 0; j < n; j++)
						net[j] = NET[k * n + j] -
						         (double)m * s[j];
				bipolar_update(s, net, n);
			} else if (y->Wf) {
				for (j = 0; j < n; j++)
					net[j] = (double)NETf[k * n + j];
				bipolar_update(s, net, n);
			} else {
				bipolar_update(s, NET + k * n, n);
			}
			res[pr].iters = t;
			if (y->trace)
				y->trace(y->ctx, b0 + pr, t, -1, s,
				         sync_energy(y, s, sb, c));
			p = cycdet_push(&cd[pr], bipolar_hash(s, n));
			if (p) {
				res[pr].status = p == 1 ? HOP_STABLE : HOP_CYCLE;
				res[pr].period = p;
				continue;       /* leaves the batch */
			}
			act[i++] = pr;
		}
		na = i;
	}
	if (!x) {
		/* NET (b,n) = S (b,n) . W^T (n,n), then
		 * E_k = -1/2 sum_i s_i (net_i - w_ii s_i) */
		rk_dgemm(0, !y->sym, b, n, n, 1.0, states, n, h->W, n, 0.0,
		         NET, n);
		for (k = 0; k < b; k++) {
			const double *s = states + k * n, *nt = NET + k * n;
			double e = 0;

			for (i = 0; i < n; i++)
				e += s[i] * (nt[i] - h->W[i * n + i] * s[i]);
			res[k].energy = -0.5 * e;
		}
	}
	for (i = 0; i < b; i++) {
		const double *s = states + i * n;

		if (x) {
			u = state_overlaps(x->pk, m, nw, s, n, sb, c);
			res[i].energy = energy_c(c, m, n - u);
			match_c(c, m, n - u, u, &res[i]);
			res[i].unknown = u;
		} else {
			/* the nearest pattern on the packed patterns: the
			 * same distances as hop_match */
			match_state(h, y->pk, s, sb, c, &res[i]);
		}
		cycdet_release(&cd[i]);
	}
	free(cd);
	free(act);
	free(sb);
	free(c);
	free(S);
	free(Sf);
	free(NET);
	free(net);
	free(Cd);
	free(Cf);
	free(NETf);
}

/* The source of a recall's fields: the patterns (1: x set up, release it
 * with hebbx_release) or a W in hw (0: h's own, or built here; free it
 * with recall_source_release). */
static int
recall_source(const struct hopfield *h, struct hopfield *hw, struct hebbx *x,
              size_t b, int serial)
{
	int pat = use_patterns(h, b, serial);

	if (pat)
		hebbx_init(x, h, serial);
	else
		hop_weights(hw);        /* hw is *h: builds W only if h has none */
	return pat;
}

static void
recall_source_release(const struct hopfield *h, struct hopfield *hw,
                      struct hebbx *x, int pat)
{
	if (pat)
		hebbx_release(x);
	if (hw->W != h->W)
		free(hw->W);
}

static void
recall_sync(const struct hopfield *h, double *states, size_t b,
            size_t max_iter, struct hop_result *res, hop_trace_fn trace,
            void *ctx)
{
	struct hopfield hw = *h;
	struct hebbx x;
	struct sync y = { &hw, NULL, NULL, NULL, 0, states, max_iter, res,
	                  trace, ctx };
	rk_real *Wf = NULL;
	size_t nw;
	uint64_t *pk = NULL;
	int pat = recall_source(h, &hw, &x, b, 0);

	if (pat) {
		y.x = &x;
	} else {
		y.sym = is_symmetric(&hw);
		y.pk = pk = pack_patterns(h, &nw);
		y.Wf = Wf = weights_f(&hw);
	}
	/* a trace shows the steps in order: one thread */
	rk_parallel(trace ? 1 : h->threads, b, 1, sync_chunk, &y);
	recall_source_release(h, &hw, &x, pat);
	free(pk);
	free(Wf);
}

/* ---- async and seq: one neuron at a time ------------------------------- */
struct serial {
	const struct hopfield *h;       /* with W, on the weight path */
	const struct hebbx *x;          /* the pattern path, or NULL */
	const double *WT;               /* integer weights: W^T, else NULL */
	double *states;
	enum hop_mode mode;
	size_t max_iter;
	struct rk_rng *rng;             /* async: one sequence, one thread */
	struct hop_result *res;
	hop_trace_fn trace;
	void *ctx;
};

/* One neuron at a time: in a random order each sweep (async) or in index
 * order (seq). A sweep that changes nothing ends the run. Probes
 * [k0, k1). */
static void
serial_chunk(void *ctx, size_t k0, size_t k1)
{
	struct serial *z = ctx;
	const struct hopfield *h = z->h;
	const struct hebbx *x = z->x;
	size_t n = h->n, m = h->m, nw = (n + 63) / 64;
	size_t i, j, k, t, p, step, changed, u = 0;
	size_t *order = emalloc(emul(n, sizeof *order));
	struct cycdet cd = { 0 };
	double *f = z->WT ? emalloc(emul(n, sizeof *f)) : NULL;
	int32_t *c = x ? emalloc(emul(m, sizeof *c) + 1) : NULL;
	uint64_t *sb = x ? emalloc(emul(2 * nw, sizeof *sb)) : NULL;

	for (k = k0; k < k1; k++) {
		double *s = z->states + k * n;
		struct hop_result *r = &z->res[k];

		r->status = HOP_LIMIT;
		r->period = 0;
		r->iters = 0;
		step = 0;
		cycdet_reset(&cd);
		cycdet_push(&cd, bipolar_hash(s, n));
		if (x) {        /* c (m) = X s, kept up to date */
			u = state_overlaps(x->pk, m, nw, s, n, sb, c);
		}
		if (z->trace)
			z->trace(z->ctx, k, 0, -1, s,
			         x ? energy_c(c, m, n - u) : hop_energy(h, s));
		if (f)          /* f (n) = W (n,n) . s (n) */
			rk_dgemm(0, 0, n, 1, n, 1.0, h->W, n, s, 1, 0.0, f, 1);
		for (t = 1; t <= z->max_iter; t++) {
			for (i = 0; i < n; i++)
				order[i] = i;
			if (z->mode == HOP_ASYNC)
				rk_rng_shuffle(z->rng, order, n);
			changed = 0;
			for (j = 0; j < n; j++) {
				const double *w = h->W ? h->W + order[j] * n : NULL;
				double net = 0, v;

				i = order[j];
				step++;
				if (x) {
					/* (W s)_i = x_i . c - m s_i, int32:
					 * |x_i . c| <= m n < 2^31 */
					const int32_t *xi = x->XT + i * m;
					int32_t a = 0;

					for (p = 0; p < m; p++)
						a += xi[p] * c[p];
					net = (double)a - (double)m * s[i];
				} else if (f) {
					net = f[i];
				} else {
					for (p = 0; p < n; p++)
						net += w[p] * s[p];
				}
				if (net == 0)
					continue;
				v = net > 0 ? 1 : -1;
				if (v == s[i])
					continue;
				if (x) {
					/* c += x_:,i (v - s_i) */
					const int32_t *xi = x->XT + i * m;
					int32_t d = (int32_t)(v - s[i]);

					for (p = 0; p < m; p++)
						c[p] += xi[p] * d;
					u -= s[i] == 0;
				} else if (f) {
					/* f += W[:, i] (v - s_i), column i read
					 * as row i of W^T */
					const double *col = z->WT + i * n;
					double d = v - s[i];

					for (p = 0; p < n; p++)
						f[p] += col[p] * d;
				}
				s[i] = v;
				changed++;
				if (z->trace)
					z->trace(z->ctx, k, step, (long)i, s,
					         x ? energy_c(c, m, n - u)
					           : hop_energy(h, s));
			}
			r->iters = t;
			if (!changed) {
				r->status = HOP_STABLE;
				r->period = 1;
				break;
			}
			/* a repeated sweep-end state is a cycle only when the
			 * order is fixed */
			if (z->mode == HOP_SEQ &&
			    (p = cycdet_push(&cd, bipolar_hash(s, n)))) {
				r->status = HOP_CYCLE;
				r->period = p;
				break;
			}
		}
		if (x) {
			/* exact, from the kept overlaps */
			r->energy = energy_c(c, m, n - u);
			match_c(c, m, n - u, u, r);
			r->unknown = u;
		} else if (f) {
			/* E = -1/2 sum_i s_i (f_i - w_ii s_i), from the kept
			 * fields: exact, as the weights are integers */
			double e = 0;

			for (i = 0; i < n; i++)
				e += s[i] * (f[i] - h->W[i * n + i] * s[i]);
			r->energy = -0.5 * e;
			hop_match(h, s, r);
			r->unknown = bipolar_unknown(s, n);
		} else {
			r->energy = hop_energy(h, s);
			hop_match(h, s, r);
			r->unknown = bipolar_unknown(s, n);
		}
	}
	cycdet_release(&cd);
	free(order);
	free(f);
	free(c);
	free(sb);
}

static void
recall_serial(const struct hopfield *h, double *states, size_t b,
              enum hop_mode mode, size_t max_iter, uint64_t seed,
              struct hop_result *res, hop_trace_fn trace, void *ctx)
{
	struct hopfield hw = *h;
	struct hebbx x;
	struct rk_rng rng;
	struct serial z = { &hw, NULL, NULL, states, mode, max_iter, &rng,
	                    res, trace, ctx };
	double *WT = NULL;
	size_t n = h->n, i, j;
	int pat = recall_source(h, &hw, &x, b, 1);

	if (pat) {
		z.x = &x;
	} else {
		/* With integer weights (hebb, or an integer matrix) the local
		 * fields f = W s are kept up to date flip by flip: O(n) a flip
		 * instead of O(n) a neuron, and exactly the sums a fresh
		 * product gives. Real weights (storkey, pinv) are summed
		 * afresh each time. */
		if (integer_weights(&hw)) {
			WT = emalloc(emul(emul(n, n), sizeof *WT));
			for (i = 0; i < n; i++)
				for (j = 0; j < n; j++)
					WT[j * n + i] = hw.W[i * n + j];
			z.WT = WT;
		}
	}
	rk_rng_seed(&rng, seed);
	/* async draws one sequence of orders, probe after probe, and a
	 * trace shows the steps in order: one thread */
	rk_parallel(trace || mode == HOP_ASYNC ? 1 : h->threads, b, 1,
	            serial_chunk, &z);
	recall_source_release(h, &hw, &x, pat);
	free(WT);
}

void
hop_recall(const struct hopfield *h, double *states, size_t b,
           enum hop_mode mode, size_t max_iter, uint64_t seed,
           struct hop_result *res, hop_trace_fn trace, void *ctx)
{
	if (mode == HOP_SYNC)
		recall_sync(h, states, b, max_iter, res, trace, ctx);
	else
		recall_serial(h, states, b, mode, max_iter, seed, res,
		              trace, ctx);
}

void
hop_to_stream(const struct hopfield *h, struct rk_wstream *w)
{
	size_t n = h->n;

	ws_init(w, "hopfield");
	ws_set(w, "neurons", "%zu", n);
	ws_set(w, "rule", "%s", hop_rule_name(h->rule));
	ws_set(w, "patterns", "%zu", h->m);
	ws_set(w, "patterns-kept", "%s", h->pat ? "yes" : "no");
	/* hebb with its patterns: W is X^T X - m I, rebuilt by the reader
	 * when it needs it; any other W in f64, as rnnkit always wrote it */
	if (h->W)
		ws_add(w, "W", RK_F64, n, n, h->W);
	if (h->pat && h->m)
		ws_add(w, "patterns", RK_BITS, h->m, n, h->pat);
}

int
hop_check_limits(size_t n, size_t m, enum hop_rule rule, int kept,
                 char *why, size_t len)
{
	struct rk_wstream w;
	int rc;

	if (n > HOP_MAXNEURONS || m > RK_WS_MAXELEMS) {
		snprintf(why, len, "%zu neurons and %zu patterns: at most %d "
		         "and %zu", n, m, HOP_MAXNEURONS, RK_WS_MAXELEMS);
		return -1;
	}
	/* n x n: W, in the stream or built by a reader */
	if (n * n > RK_WS_MAXELEMS) {
		size_t nmax = (size_t)sqrt((double)RK_WS_MAXELEMS);

		snprintf(why, len, "%zu neurons: at most %zu (W, which a "
		         "reader builds if the stream has none, holds n^2 "
		         "values, at most %zu)", n, nmax, RK_WS_MAXELEMS);
		return -1;
	}
	if (kept && m && n > RK_WS_MAXELEMS / m) {
		snprintf(why, len, "%zu patterns of %zu neurons: over %zu "
		         "values in the patterns tensor", m, n,
		         RK_WS_MAXELEMS);
		return -1;
	}
	ws_init(&w, "hopfield");
	/* W (f64): for every rule but hebb with its patterns */
	if (rule != HOP_HEBB || !kept)
		ws_declare(&w, "W", RK_F64, n, n);
	if (kept && m)
		ws_declare(&w, "patterns", RK_BITS, m, n);
	rc = ws_check(&w, why, len);
	ws_release(&w);
	return rc;
}

void
hop_from_stream(struct hopfield *h, struct rk_wstream *w)
{
	const struct rk_tensor *t = NULL, *tp = NULL;
	const char *rule = ws_get(w, "rule"), *kept;
	size_t n, m;
	enum hop_rule r;

	ws_expect_kind(w, "expected a hopfield memory (from hop-store)",
	               "hopfield", (const char *)NULL);
	n = ws_get_size(w, "neurons", 1, HOP_MAXNEURONS);
	m = ws_get_size(w, "patterns", 0, RK_WS_MAXELEMS);
	if (!rule || (hop_rule_parse(rule, &r) < 0 && strcmp(rule, "matrix")))
		die(EX_DATAERR, "%s: unknown storage rule '%s'", w->name,
		    rule ? rule : "");
	if (!strcmp(rule, "matrix"))
		r = HOP_MATRIX;
	/* every shape is checked on the header, then the tensors loaded,
	 * and only then is anything allocated for them. A hebb memory with
	 * every pattern kept may leave W out (it is X^T X - m I). */
	kept = ws_get(w, "patterns-kept");
	if (ws_find(w, "W") || r != HOP_HEBB || !kept || strcmp(kept, "yes"))
		t = ws_need(w, "W", n, n);
	if (ws_find(w, "patterns") || (!t && m))
		tp = ws_need(w, "patterns", m, n);
	if (!t && n * n > RK_WS_MAXELEMS)
		die(EX_DATAERR, "%s: %zu neurons: over %zu weights", w->name,
		    n, RK_WS_MAXELEMS);
	ws_load(w);
	if (t)
		ws_finite(w, t);
	hop_init(h, n, r);
	if (t) {
		if (!h->W)
			h->W = emalloc(emul(emul(n, n), sizeof *h->W));
		ws_get_f64(t, h->W);
	}
	h->m = m;
	if (tp) {
		h->pat = emalloc(emul(emul(m, n), sizeof *h->pat));
		ws_get_f64(tp, h->pat);
	}
}
