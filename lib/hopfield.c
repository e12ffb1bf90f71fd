/* hopfield.c - Hopfield memory: hebb, storkey and pinv storage; sync, async
 * and sequential recall. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bipolar.h"
#include "gemm.h"
#include "hopfield.h"
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
	free(h->pat);
	h->pat = NULL;
}

static void
zero_diagonal(struct hopfield *h)
{
	size_t i;

	for (i = 0; i < h->n; i++)
		h->W[i * h->n + i] = 0;
}

/* W += X^T X for the m x n patterns X, diagonal zeroed: sum x x^T - m I. */
static void
store_hebb(struct hopfield *h, const double *x, size_t m)
{
	/* W (n,n) += X^T (n,m) . X (m,n) */
	rk_dgemm(1, 0, h->n, h->n, m, 1.0, x, h->n, x, h->n, 1.0, h->W, h->n);
	zero_diagonal(h);
}

/* Storkey (1997): for each pattern x, with local fields
 * h_ij = sum_{k != i,j} w_ik x_k,
 * w_ij += (x_i x_j - x_i h_ji - h_ij x_j) / n. */
static void
store_storkey(struct hopfield *h, const double *x, size_t m)
{
	size_t n = h->n, i, j, k;
	double *f = emalloc(emul(n, sizeof *f)), *W = h->W, hij, hji, inv = 1.0 / (double)n;

	for (k = 0; k < m; k++, x += n) {
		/* f = W x (uses the weights before this pattern) */
		for (i = 0; i < n; i++) {
			double s = 0;

			for (j = 0; j < n; j++)
				s += W[i * n + j] * x[j];
			f[i] = s;
		}
		for (i = 0; i < n; i++)
			for (j = i + 1; j < n; j++) {
				hij = f[i] - W[i * n + i] * x[i] - W[i * n + j] * x[j];
				hji = f[j] - W[j * n + j] * x[j] - W[j * n + i] * x[i];
				W[i * n + j] += (x[i] * x[j] - x[i] * hji - hij * x[j]) * inv;
			}
		for (i = 0; i < n; i++)
			for (j = i + 1; j < n; j++)
				W[j * n + i] = W[i * n + j];
	}
	free(f);
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
	/* W (n,n) = Q^T (n,r) . Q (r,n) */
	rk_dgemm(1, 0, n, n, r, 1.0, q, n, q, n, 0.0, h->W, n);
	zero_diagonal(h);
	free(q);
}

int
hop_store(struct hopfield *h, const double *x, size_t m)
{
	size_t n = h->n;
	int kept = h->pat != NULL || h->m == 0;

	if (h->rule == HOP_PINV && !kept)
		return -1;
	if (kept) {
		h->pat = ereallocarray(h->pat, emul(h->m + m, n), sizeof *h->pat);
		memcpy(h->pat + h->m * n, x, emul(m * n, sizeof *x));
	}
	switch (h->rule) {
	case HOP_HEBB:
	case HOP_MATRIX:
		store_hebb(h, x, m);
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

double
hop_energy(const struct hopfield *h, const double *s)
{
	size_t i, j, n = h->n;
	double e = 0, r;

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

/* The kept patterns as sign bits (bit 1: +1), nw 64-bit words a pattern,
 * for match_packed; NULL when none are kept. */
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

/* hop_match on the packed patterns pk: with s as sign bits sb and known
 * bits kn (s != 0), u unknown, the distance to pattern p is
 * popcount((sb ^ p) & kn) + u and to -p popcount(~(sb ^ p) & kn) + u,
 * exactly bipolar_dist's. sb and kn: nw words of scratch. */
static void
match_packed(const struct hopfield *h, const uint64_t *pk, size_t nw,
             const double *s, uint64_t *sb, uint64_t *kn,
             struct hop_result *r)
{
	size_t n = h->n, k, i, u = 0, d, dn;
	struct bip_nearest b;

	memset(sb, 0, nw * sizeof *sb);
	memset(kn, 0, nw * sizeof *kn);
	for (i = 0; i < n; i++) {
		if (s[i] == 0) {
			u++;
			continue;
		}
		kn[i / 64] |= (uint64_t)1 << (i % 64);
		if (s[i] > 0)
			sb[i / 64] |= (uint64_t)1 << (i % 64);
	}
	bip_nearest_init(&b);
	for (k = 0; k < h->m; k++) {
		const uint64_t *p = pk + k * nw;

		d = dn = u;
		for (i = 0; i < nw; i++) {
			uint64_t x = sb[i] ^ p[i];

			d += (size_t)__builtin_popcountll(x & kn[i]);
			dn += (size_t)__builtin_popcountll(~x & kn[i]);
		}
		bip_nearest_add(&b, k, d, dn);
	}
	r->match = bip_nearest_match(&b);
	r->hamming = b.best;
}

static void
finish(const struct hopfield *h, const double *s, struct hop_result *r)
{
	r->energy = hop_energy(h, s);
	hop_match(h, s, r);
	r->unknown = bipolar_unknown(s, h->n);
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

/* res[k].energy for the b states, with one matrix product instead of b
 * matrix-vector loops: NET (b,n) = S (b,n) . W^T (n,n), then
 * E_k = -1/2 sum_i s_i (net_i - w_ii s_i). S and NET hold b x n. */
static void
energies(const struct hopfield *h, const double *states, size_t b, int sym,
         double *NET, struct hop_result *res)
{
	size_t n = h->n, k, i;

	/* W symmetric: W^T = W, read in place */
	rk_dgemm(0, !sym, b, n, n, 1.0, states, n, h->W, n, 0.0, NET, n);
	for (k = 0; k < b; k++) {
		const double *s = states + k * n, *net = NET + k * n;
		double e = 0;

		for (i = 0; i < n; i++)
			e += s[i] * (net[i] - h->W[i * n + i] * s[i]);
		res[k].energy = -0.5 * e;
	}
}

static void
recall_sync(const struct hopfield *h, double *states, size_t b,
            size_t max_iter, struct hop_result *res, hop_trace_fn trace,
            void *ctx)
{
	size_t n = h->n, na = b, i, k, t, p;
	int sym = is_symmetric(h);
	size_t *act = emalloc(emul(b, sizeof *act));
	double *S = emalloc(emul(emul(b, n), sizeof *S));
	double *NET = emalloc(emul(emul(b, n), sizeof *NET));
	struct cycdet *cd = ecalloc(b, sizeof *cd);

	for (i = 0; i < b; i++) {
		act[i] = i;
		res[i].status = HOP_LIMIT;
		res[i].iters = 0;
		res[i].period = 0;
		cycdet_push(&cd[i], bipolar_hash(states + i * n, n));
		if (trace)
			trace(ctx, i, 0, -1, states + i * n,
			      hop_energy(h, states + i * n));
	}
	for (t = 1; t <= max_iter && na; t++) {
		/* gather the active probes: S (na,n) */
		for (k = 0; k < na; k++)
			memcpy(S + k * n, states + act[k] * n, n * sizeof *S);
		/* NET (na,n) = S (na,n) . W^T (n,n); W^T = W when symmetric */
		rk_dgemm(0, !sym, na, n, n, 1.0, S, n, h->W, n, 0.0, NET, n);
		for (k = i = 0; k < na; k++) {
			size_t pr = act[k];
			double *s = states + pr * n;

			bipolar_update(s, NET + k * n, n);
			res[pr].iters = t;
			if (trace)
				trace(ctx, pr, t, -1, s, hop_energy(h, s));
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
	energies(h, states, b, sym, NET, res);
	{
		/* the nearest pattern of every probe on bit-packed patterns
		 * (exact: the same distances as hop_match) */
		size_t nw;
		uint64_t *pk = pack_patterns(h, &nw);
		uint64_t *sb = emalloc(emul(2 * nw, sizeof *sb));

		for (i = 0; i < b; i++) {
			if (pk)
				match_packed(h, pk, nw, states + i * n, sb,
				             sb + nw, &res[i]);
			else
				hop_match(h, states + i * n, &res[i]);
			res[i].unknown = bipolar_unknown(states + i * n, n);
			cycdet_release(&cd[i]);
		}
		free(pk);
		free(sb);
	}
	free(cd);
	free(act);
	free(S);
	free(NET);
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

/* One neuron at a time: in a random order each sweep (async) or in index
 * order (seq). A sweep that changes nothing ends the run. */
static void
recall_serial(const struct hopfield *h, double *states, size_t b,
              enum hop_mode mode, size_t max_iter, uint64_t seed,
              struct hop_result *res, hop_trace_fn trace, void *ctx)
{
	size_t n = h->n, i, j, k, t, p, step, changed;
	size_t *order = emalloc(emul(n, sizeof *order));
	struct rk_rng rng;
	struct cycdet cd = { 0 };
	double *f = NULL, *WT = NULL;

	/* With integer weights (hebb, or an integer matrix) the local fields
	 * f = W s are kept up to date flip by flip: O(n) a flip instead of
	 * O(n) a neuron, and exactly the sums a fresh product gives. Real
	 * weights (storkey, pinv) are summed afresh each time. */
	if (integer_weights(h)) {
		f = emalloc(emul(n, sizeof *f));
		WT = emalloc(emul(emul(n, n), sizeof *WT));
		for (i = 0; i < n; i++)
			for (j = 0; j < n; j++)
				WT[j * n + i] = h->W[i * n + j];
	}
	rk_rng_seed(&rng, seed);
	for (k = 0; k < b; k++) {
		double *s = states + k * n;

		res[k].status = HOP_LIMIT;
		res[k].period = 0;
		res[k].iters = 0;
		step = 0;
		cycdet_reset(&cd);
		cycdet_push(&cd, bipolar_hash(s, n));
		if (trace)
			trace(ctx, k, 0, -1, s, hop_energy(h, s));
		if (f)          /* f (n) = W (n,n) . s (n) */
			rk_dgemm(0, 0, n, 1, n, 1.0, h->W, n, s, 1, 0.0, f, 1);
		for (t = 1; t <= max_iter; t++) {
			for (i = 0; i < n; i++)
				order[i] = i;
			if (mode == HOP_ASYNC)
				rk_rng_shuffle(&rng, order, n);
			changed = 0;
			for (j = 0; j < n; j++) {
				const double *w = h->W + order[j] * n;
				double net = 0, v;

				i = order[j];
				step++;
				if (f) {
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
				if (f) {
					/* f += W[:, i] (v - s_i), column i read
					 * as row i of W^T */
					const double *c = WT + i * n;
					double d = v - s[i];

					for (p = 0; p < n; p++)
						f[p] += c[p] * d;
				}
				s[i] = v;
				changed++;
				if (trace)
					trace(ctx, k, step, (long)i, s,
					      hop_energy(h, s));
			}
			res[k].iters = t;
			if (!changed) {
				res[k].status = HOP_STABLE;
				res[k].period = 1;
				break;
			}
			/* a repeated sweep-end state is a cycle only when the
			 * order is fixed */
			if (mode == HOP_SEQ &&
			    (p = cycdet_push(&cd, bipolar_hash(s, n)))) {
				res[k].status = HOP_CYCLE;
				res[k].period = p;
				break;
			}
		}
		if (f) {
			/* E = -1/2 sum_i s_i (f_i - w_ii s_i), from the kept
			 * fields: exact, as the weights are integers */
			double e = 0;

			for (i = 0; i < n; i++)
				e += s[i] * (f[i] - h->W[i * n + i] * s[i]);
			res[k].energy = -0.5 * e;
			hop_match(h, s, &res[k]);
			res[k].unknown = bipolar_unknown(s, n);
		} else {
			finish(h, s, &res[k]);
		}
	}
	cycdet_release(&cd);
	free(order);
	free(f);
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
	ws_init(w, "hopfield");
	ws_set(w, "neurons", "%zu", h->n);
	ws_set(w, "rule", "%s", hop_rule_name(h->rule));
	ws_set(w, "patterns", "%zu", h->m);
	ws_set(w, "patterns-kept", "%s", h->pat ? "yes" : "no");
	ws_add(w, "W", RK_F64, h->n, h->n, h->W);
	if (h->pat && h->m)
		ws_add(w, "patterns", RK_BITS, h->m, h->n, h->pat);
}

int
hop_check_limits(size_t n, size_t m, int kept, char *why, size_t len)
{
	struct rk_wstream w;
	int rc;

	if (n > HOP_MAXNEURONS || m > RK_WS_MAXELEMS) {
		snprintf(why, len, "%zu neurons and %zu patterns: at most %d "
		         "and %zu", n, m, HOP_MAXNEURONS, RK_WS_MAXELEMS);
		return -1;
	}
	if (n * n > RK_WS_MAXELEMS || (kept && m && n > RK_WS_MAXELEMS / m)) {
		snprintf(why, len, "%zu neurons and %zu patterns: over %zu "
		         "values in a tensor", n, m, RK_WS_MAXELEMS);
		return -1;
	}
	ws_init(&w, "hopfield");
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
	const struct rk_tensor *t, *tp = NULL;
	const char *rule = ws_get(w, "rule");
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
	 * and only then is anything allocated for them */
	t = ws_need(w, "W", n, n);
	if (ws_find(w, "patterns"))
		tp = ws_need(w, "patterns", m, n);
	ws_load(w);
	ws_finite(w, t);
	hop_init(h, n, r);
	ws_get_f64(t, h->W);
	h->m = m;
	if (tp) {
		h->pat = emalloc(emul(emul(m, n), sizeof *h->pat));
		ws_get_f64(tp, h->pat);
	}
}
