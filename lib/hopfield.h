/* hopfield.h - Hopfield associative memory: storage rules and recall.
 *
 * Invariants: W is n x n, row-major; every rule gives a symmetric W with a
 * zero diagonal (a memory read from a CSV matrix may be any square matrix).
 * pat, when kept, holds the m stored patterns (+-1), one per row.
 */
#ifndef RNNKIT_HOPFIELD_H
#define RNNKIT_HOPFIELD_H

#include <stddef.h>
#include <stdint.h>

#include "wstream.h"

enum hop_rule { HOP_HEBB, HOP_STORKEY, HOP_PINV, HOP_MATRIX };
enum hop_mode { HOP_SYNC, HOP_ASYNC, HOP_SEQ };
enum hop_status { HOP_STABLE, HOP_CYCLE, HOP_LIMIT };

struct hopfield {
	size_t n, m;
	enum hop_rule rule;
	double *W;
	double *pat;            /* m x n, or NULL when not kept */
};

const char *hop_rule_name(enum hop_rule r);
int hop_rule_parse(const char *s, enum hop_rule *r);
int hop_mode_parse(const char *s, enum hop_mode *m);

void hop_init(struct hopfield *h, size_t n, enum hop_rule rule);
void hop_release(struct hopfield *h);
/* Store m more patterns (m x n, +-1). hebb: W += sum x x^T - m I;
 * storkey: Storkey (1997) one pattern at a time; pinv: W = projection onto
 * the span of all patterns (kept ones + these), diagonal zeroed. pinv needs
 * the earlier patterns: returns -1 if they were not kept. */
int hop_store(struct hopfield *h, const double *pats, size_t m);
/* Forget the stored patterns (W stays). */
void hop_drop_patterns(struct hopfield *h);

/* Capacity: the largest limit the load passes, or NULL. *limit gets the
 * number of patterns at that limit. */
const char *hop_capacity(const struct hopfield *h, double *limit);

/* Energy -1/2 sum_{i != j} w_ij s_i s_j. */
double hop_energy(const struct hopfield *h, const double *s);

struct hop_result {
	size_t iters;           /* updates computed (sweeps for async/seq) */
	enum hop_status status;
	size_t period;          /* for HOP_CYCLE */
	double energy;
	long match;             /* k (1-based) or -k, 0: spurious */
	size_t hamming;         /* to the nearest stored pattern or negation */
};

/* Called for the probe's initial state (step 0) and after each update
 * (sync: each step, neuron -1; async/seq: each changed neuron, step being
 * the number of single-neuron updates so far, n per sweep). */
typedef void (*hop_trace_fn)(void *ctx, size_t probe, size_t step,
                             long neuron, const double *s, double energy);

/* Recall b probes in place (b x n). sync runs all unsettled probes as one
 * batch; a probe leaves the batch once stable or cycling. */
void hop_recall(const struct hopfield *h, double *states, size_t b,
                enum hop_mode mode, size_t max_iter, uint64_t seed,
                struct hop_result *res, hop_trace_fn trace, void *ctx);
/* Fill match and hamming from the stored patterns (needs pat). */
void hop_match(const struct hopfield *h, const double *s, struct hop_result *r);

/* Weight stream: kind "hopfield", tensors W (f64 n x n) and patterns (bits
 * m x n, unless not kept). */
void hop_to_stream(const struct hopfield *h, struct rk_wstream *w);
void hop_from_stream(struct hopfield *h, const struct rk_wstream *w);

#endif
