/* bam.h - bidirectional associative memory (Kosko).
 *
 * Invariants: W is na x nb, row-major, W = sum_k A(k) B(k)^T. A kept pair
 * list holds m rows of A (na) and of B (nb), +-1. A state holds +1, -1, or
 * 0 for an unknown bit of a probe, which keeps 0 until its field is
 * non-zero (phi(0) keeps the old value).
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
	int matrix;             /* W came (in part) from a CSV matrix: its
	                           pairs are unknown, so none are kept */
};

void bam_init(struct bam *b, size_t na, size_t nb);
void bam_release(struct bam *b);
/* Add m pairs: rows of A (m x na) and B (m x nb); kept when every earlier
 * pair is (bam_pairs_complete), else m counts them but they are dropped. */
/* Do A, B hold every pair W came from? Not for a matrix (matrix set). */
int bam_pairs_complete(const struct bam *b);
void bam_store(struct bam *b, const double *A, const double *B, size_t m);
/* E = -a^T W b (unknown 0s contribute nothing) */
double bam_energy(const struct bam *b, const double *a, const double *bv);
/* The resolution of bam_energy(), as hop_energy_tol(): 0 for integer
 * weights with sum_ij |w_ij| < 2^53 (stored pairs: exact), else
 * (na + nb + m) eps sum_ij |w_ij|. */
double bam_energy_tol(const struct bam *b);

struct bam_result {
	size_t iters;
	enum hop_status status;
	size_t period;
	double energy;
	long match;             /* pair k (1-based), -k for the negated pair, 0;
	                         * never k or -k with unknown bits left */
	size_t unknown;         /* neurons of A and B still 0 at the end */
};

typedef void (*bam_trace_fn)(void *ctx, size_t probe, size_t step,
                             const double *a, const double *b, double energy);

/* Recall one pair: from_b = 0 starts from a (b is output), else from b
 * (+-1, 0 for unknown bits). One iteration updates the other side, then the
 * starting side; a neuron with zero input keeps its value (the side not
 * given starts at +1, an unknown bit at 0). */
void bam_recall(const struct bam *bm, double *a, double *bv, int from_b,
                size_t max_iter, size_t probe, struct bam_result *r,
                bam_trace_fn trace, void *ctx);

void bam_to_stream(const struct bam *b, struct rk_wstream *w);
/* As hop_check_limits(), for na x nb and m pairs. */
int bam_check_limits(size_t na, size_t nb, size_t m, int kept, char *why,
                     size_t len);
/* As hop_from_stream(). */
void bam_from_stream(struct bam *b, struct rk_wstream *w);

#endif
