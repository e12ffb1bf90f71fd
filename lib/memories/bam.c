/* bam.c - bidirectional associative memory. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bam.h"
#include "bipolar.h"
#include "gemm.h"
#include "report.h"
#include "util.h"

void
bam_init(struct bam *b, size_t na, size_t nb)
{
	memset(b, 0, sizeof *b);
	b->na = na;
	b->nb = nb;
	b->W = ecalloc(emul(na, nb), sizeof *b->W);
}

void
bam_release(struct bam *b)
{
	free(b->W);
	free(b->A);
	free(b->B);
	memset(b, 0, sizeof *b);
}

int
bam_pairs_complete(const struct bam *b)
{
	return b->A != NULL || (b->m == 0 && !b->matrix);
}

void
bam_store(struct bam *b, const double *A, const double *B, size_t m)
{
	/* W (na,nb) += A^T (na,m) . B (m,nb) */
	rk_dgemm(1, 0, b->na, b->nb, m, 1.0, A, b->na, B, b->nb, 1.0, b->W, b->nb);
	if (bam_pairs_complete(b)) {
		b->A = ereallocarray(b->A, emul(b->m + m, b->na), sizeof *b->A);
		b->B = ereallocarray(b->B, emul(b->m + m, b->nb), sizeof *b->B);
		memcpy(b->A + b->m * b->na, A, emul(m * b->na, sizeof *A));
		memcpy(b->B + b->m * b->nb, B, emul(m * b->nb, sizeof *B));
	}
	b->m += m;
}

double
bam_energy(const struct bam *b, const double *a, const double *bv)
{
	size_t i, j;
	double e = 0, r;

	for (i = 0; i < b->na; i++) {
		r = 0;
		for (j = 0; j < b->nb; j++)
			r += b->W[i * b->nb + j] * bv[j];
		e += a[i] * r;
	}
	return -e;
}

double
bam_energy_tol(const struct bam *b)
{
	return energy_tol(b->W, b->na * b->nb, b->na + b->nb + b->m);
}

/* out (nout) = phi(M x) or phi(M^T x), keeping out where the input is 0 */
static void
half_step(const struct bam *b, int to_a, const double *x, double *out)
{
	size_t i, j;
	double *net = emalloc(emul(to_a ? b->na : b->nb, sizeof *net));

	if (to_a) {
		for (i = 0; i < b->na; i++) {
			double s = 0;

			for (j = 0; j < b->nb; j++)
				s += b->W[i * b->nb + j] * x[j];
			net[i] = s;
		}
		bipolar_update(out, net, b->na);
	} else {
		memset(net, 0, b->nb * sizeof *net);
		for (i = 0; i < b->na; i++)
			for (j = 0; j < b->nb; j++)
				net[j] += b->W[i * b->nb + j] * x[i];
		bipolar_update(out, net, b->nb);
	}
	free(net);
}

static long
pair_match(const struct bam *b, const double *a, const double *bv)
{
	size_t k, da, dna, db, dnb;
	long neg = 0;

	if (!b->A)
		return 0;
	/* a pair itself wins over the negation of an earlier one; an unknown
	 * bit matches neither */
	for (k = 0; k < b->m; k++) {
		bipolar_dist(a, b->A + k * b->na, b->na, &da, &dna);
		bipolar_dist(bv, b->B + k * b->nb, b->nb, &db, &dnb);
		if (da == 0 && db == 0)
			return (long)k + 1;
		if (dna == 0 && dnb == 0 && neg == 0)
			neg = -(long)k - 1;
	}
	return neg;
}

void
bam_recall(const struct bam *bm, double *a, double *bv, int from_b,
           size_t max_iter, size_t probe, struct bam_result *r,
           bam_trace_fn trace, void *ctx)
{
	double *start = from_b ? bv : a, *other = from_b ? a : bv;
	size_t nother = from_b ? bm->na : bm->nb, t, p;
	size_t ns = from_b ? bm->nb : bm->na;
	double *both = emalloc(emul(bm->na + bm->nb, sizeof *both));
	struct cycdet cd = { 0 };

	for (t = 0; t < nother; t++)
		other[t] = 1;
	r->status = HOP_LIMIT;
	r->period = 0;
	r->iters = 0;
	if (trace)
		trace(ctx, probe, 0, a, bv, bam_energy(bm, a, bv));
	for (t = 1; t <= max_iter; t++) {
		half_step(bm, from_b, start, other);
		half_step(bm, !from_b, other, start);
		r->iters = t;
		if (trace)
			trace(ctx, probe, t, a, bv, bam_energy(bm, a, bv));
		memcpy(both, start, ns * sizeof *both);
		memcpy(both + ns, other, nother * sizeof *both);
		if ((p = cycdet_push(&cd, bipolar_hash(both, ns + nother)))) {
			r->status = p == 1 ? HOP_STABLE : HOP_CYCLE;
			r->period = p;
			break;
		}
	}
	r->energy = bam_energy(bm, a, bv);
	r->match = pair_match(bm, a, bv);
	r->unknown = bipolar_unknown(a, bm->na) + bipolar_unknown(bv, bm->nb);
	cycdet_release(&cd);
	free(both);
}

void
bam_to_stream(const struct bam *b, struct rk_wstream *w)
{
	ws_init(w, "bam");
	ws_set(w, "a-neurons", "%zu", b->na);
	ws_set(w, "b-neurons", "%zu", b->nb);
	ws_set(w, "rule", "hebb");
	ws_set(w, "pairs", "%zu", b->m);
	ws_set(w, "pairs-kept", "%s", b->A ? "yes" : "no");
	ws_add(w, "W", RK_F64, b->na, b->nb, b->W);
	if (b->A && b->m) {
		ws_add(w, "A", RK_BITS, b->m, b->na, b->A);
		ws_add(w, "B", RK_BITS, b->m, b->nb, b->B);
	}
}

int
bam_check_limits(size_t na, size_t nb, size_t m, int kept, char *why,
                 size_t len)
{
	struct rk_wstream w;
	int rc;

	if (na > HOP_MAXNEURONS || nb > HOP_MAXNEURONS || m > RK_WS_MAXELEMS) {
		snprintf(why, len, "%zu and %zu neurons and %zu pairs: at most "
		         "%d neurons a side and %zu pairs", na, nb, m,
		         HOP_MAXNEURONS, RK_WS_MAXELEMS);
		return -1;
	}
	if (na * nb > RK_WS_MAXELEMS || (kept && m && (na > RK_WS_MAXELEMS / m ||
	    nb > RK_WS_MAXELEMS / m))) {
		snprintf(why, len, "%zu and %zu neurons and %zu pairs: over %zu "
		         "values in a tensor", na, nb, m, RK_WS_MAXELEMS);
		return -1;
	}
	ws_init(&w, "bam");
	ws_declare(&w, "W", RK_F64, na, nb);
	if (kept && m) {
		ws_declare(&w, "A", RK_BITS, m, na);
		ws_declare(&w, "B", RK_BITS, m, nb);
	}
	rc = ws_check(&w, why, len);
	ws_release(&w);
	return rc;
}

void
bam_from_stream(struct bam *b, struct rk_wstream *w)
{
	const struct rk_tensor *t, *ta = NULL, *tb = NULL;
	size_t na, nb, m;

	ws_expect_kind(w, "expected a bam memory (from bam-pair store)",
	               "bam", (const char *)NULL);
	na = ws_get_size(w, "a-neurons", 1, HOP_MAXNEURONS);
	nb = ws_get_size(w, "b-neurons", 1, HOP_MAXNEURONS);
	m = ws_get_size(w, "pairs", 0, RK_WS_MAXELEMS);
	/* shapes first, then the data, then memory for it */
	t = ws_need(w, "W", na, nb);
	if (ws_find(w, "A")) {
		ta = ws_need(w, "A", m, na);
		tb = ws_need(w, "B", m, nb);
	}
	ws_load(w);
	ws_finite(w, t);
	bam_init(b, na, nb);
	ws_get_f64(t, b->W);
	b->m = m;
	if (ta) {
		b->A = emalloc(emul(emul(m, na), sizeof *b->A));
		b->B = emalloc(emul(emul(m, nb), sizeof *b->B));
		ws_get_f64(ta, b->A);
		ws_get_f64(tb, b->B);
	}
}
