/* bam.h - bidirectional associative memory (Kosko).
 *
 * Invariants: W is na x nb, row-major, W = sum_k A(k) B(k)^T. A kept pair
 * list holds m rows of A (na) and of B (nb), +-1.
 */
#ifndef RNNKIT_BAM_H
#define RNNKIT_BAM_H

#include <stddef.h>

#include "hopfield.h"
#include "wstream.h"

struct bam {
	size_t na, nb, m;
	double *W;
	double *A, *B;          /* kept pairs, or NULL */
};

void bam_init(struct bam *b, size_t na, size_t nb);
void bam_release(struct bam *b);
/* Add m pairs: rows of A (m x na) and B (m x nb). */
void bam_store(struct bam *b, const double *A, const double *B, size_t m);
/* E = -a^T W b */
double bam_energy(const struct bam *b, const double *a, const double *bv);

struct bam_result {
	size_t iters;
	enum hop_status status;
	size_t period;
	double energy;
	long match;             /* pair k (1-based), -k for the negated pair, 0 */
};

typedef void (*bam_trace_fn)(void *ctx, size_t probe, size_t step,
                             const double *a, const double *b, double energy);

/* Recall one pair: from_b = 0 starts from a (b is output), else from b.
 * One iteration updates the other side, then the starting side; a neuron
 * with zero input keeps its value (a side with no value yet takes +1). */
void bam_recall(const struct bam *bm, double *a, double *bv, int from_b,
                size_t max_iter, size_t probe, struct bam_result *r,
                bam_trace_fn trace, void *ctx);

void bam_to_stream(const struct bam *b, struct rk_wstream *w);
void bam_from_stream(struct bam *b, const struct rk_wstream *w);

#endif
