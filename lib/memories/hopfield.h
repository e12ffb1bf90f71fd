/* hopfield.h - Hopfield associative memory: storage rules and recall.
 *
 * Invariants: W is n x n, row-major; every rule gives a symmetric W with a
 * zero diagonal (a memory read from a CSV matrix may be any square matrix).
 * pat, when kept, holds the m stored patterns (+-1), one per row.
 * A hebb memory holds W == NULL while it keeps every pattern: W is then
 * X^T X - m I for the patterns X (m x n), which hop_weights() builds on
 * demand; a W that is there (storkey, pinv, a matrix, hebb without its
 * patterns or from an older stream) is used as it is.
 *
 * Kernels (every one exact, so every path gives the same states, energies
 * and matches, bit for bit):
 * - hebb held as its patterns: W s = X^T c - m s with the overlaps c = X s,
 *   c_k = known - 2 popcount((sb ^ p_k) & kn) on bit-packed sign bits sb,
 *   known bits kn (an unknown 0 is masked out: it adds nothing to c_k, as
 *   in W s) and pattern bits p_k; |c_k| <= n. Sync computes X^T c for the
 *   batch as one gemm C (b,m) . X (m,n): in f32 when m n <= 2^24 (every
 *   partial sum is an integer of at most sum_k |c_k| <= m n, exact in
 *   f32), else in f64 (exact below 2^53). Async/seq keep c up to date flip
 *   by flip (O(m)) and sum a field x_i . c in int32 (needs m (n + 1) <
 *   2^31, else W is built). The energy is -1/2 (sum_k c_k^2 - m known),
 *   summed in int64 (<= m n^2 + m n < 2^53); match and hamming come from
 *   c. A step costs 2 m n here against n^2 on W: the pattern path is taken
 *   unless W (built once, n^2 m, and within the memory cap of
 *   ws_max_memory()) is cheaper for the batch, or
 *   RNNKIT_HOP_KERNEL=patterns|weights forces it (for tests).
 * - W: f64 gemm; integer W (hebb, an integer matrix) keeps sums exact,
 *   and sync runs it in f32 when n max |w_ij| <= 2^24 (every partial sum
 *   an integer of at most that).
 * Threads (h->threads) split probes (sync; seq) and the rows of W (hebb
 * W, storkey, pinv's product): each value is computed as with one thread,
 * so results do not depend on the number of threads. Async recall draws
 * one random sequence for all its probes, and a trace prints in order:
 * both run on one thread.
 *
 * A state holds +1, -1, or 0 for an unknown bit (from an incomplete probe).
 * Every update is s_i <- phi(sum_j w_ij s_j) with phi(0) keeping s_i, so an
 * unknown neuron takes the sign of its field at its first update with a
 * non-zero field, and stays 0 as long as its field is 0.
 */
#ifndef RNNKIT_HOPFIELD_H
#define RNNKIT_HOPFIELD_H

#include <stddef.h>
#include <stdint.h>

#include "wstream.h"

/* the "neurons" key's bound (the tensor limits bound n further) */
#define HOP_MAXNEURONS 32768

enum hop_rule { HOP_HEBB, HOP_STORKEY, HOP_PINV, HOP_MATRIX };
enum hop_mode { HOP_SYNC, HOP_ASYNC, HOP_SEQ };
enum hop_status { HOP_STABLE, HOP_CYCLE, HOP_LIMIT };

struct hopfield {
	size_t n, m;
	enum hop_rule rule;
	double *W;              /* n x n; NULL: hebb held as its patterns */
	double *pat;            /* m x n, or NULL when not kept */
	int threads;            /* for hop_store, hop_recall (0, 1: one) */
};

const char *hop_rule_name(enum hop_rule r);
int hop_rule_parse(const char *s, enum hop_rule *r);
int hop_mode_parse(const char *s, enum hop_mode *m);

void hop_init(struct hopfield *h, size_t n, enum hop_rule rule);
void hop_release(struct hopfield *h);
/* Does pat hold every pattern W came from? Not for a matrix (rule
 * "matrix", from CSV), nor once patterns are dropped. */
int hop_patterns_complete(const struct hopfield *h);
/* Store m more patterns (m x n, +-1). hebb: W += sum x x^T - m I;
 * storkey: Storkey (1997) one pattern at a time; pinv: W = projection onto
 * the span of all patterns (kept ones + these), diagonal zeroed (W = 0
 * exactly when they span all n dimensions). pinv needs
 * the earlier patterns: returns -1 if they were not kept. A matrix takes
 * them by hebb (its diagonal zeroed) and becomes rule hebb; as its own
 * patterns are unknown, the new ones are not kept either (m counts only
 * them). */
int hop_store(struct hopfield *h, const double *pats, size_t m);
/* Forget the stored patterns (W stays; hebb builds it first). */
void hop_drop_patterns(struct hopfield *h);
/* Build W (hebb held as its patterns: X^T X - m I) if it is not there. */
void hop_weights(struct hopfield *h);

/* Capacity: the largest limit the load passes, or NULL. *limit gets the
 * number of patterns at that limit. */
const char *hop_capacity(const struct hopfield *h, double *limit);
/* limit (< m) in the fewest digits, 3 or more, that still read below m
 * (32.95, not 33, for m = 33) */
void hop_fmt_limit(char *b, size_t len, double limit, size_t m);
/* The number of non-zero w_ii (a CSV matrix's; the rules give none) */
size_t hop_diagonal_nonzero(const struct hopfield *h);

/* Energy -1/2 sum_{i != j} w_ij s_i s_j (well defined with unknown 0s:
 * they contribute nothing). */
double hop_energy(const struct hopfield *h, const double *s);
/* The resolution to which hop_energy() knows an energy: 0 when every
 * weight is an integer and sum_ij |w_ij| < 2^53 (hebb, an integer matrix:
 * the energy is then exact), else t = (n + m) eps sum_ij |w_ij| with
 * eps = DBL_EPSILON: the sum of n^2 products errs by at most about
 * (n/2) eps sum |w_ij| (|s_i s_j| <= 1), and the weights, each the result of
 * O(m) rounded updates (storkey, pinv), carry about m eps |w_ij| more.
 * For printing with rk_fmt_within(). */
double hop_energy_tol(const struct hopfield *h);

struct hop_result {
	size_t iters;           /* updates computed (sweeps for async/seq) */
	enum hop_status status;
	size_t period;          /* for HOP_CYCLE */
	double energy;
	long match;             /* k (1-based) or -k, 0: spurious */
	size_t hamming;         /* to the nearest stored pattern or negation */
	size_t unknown;         /* neurons still 0 (unknown) at the end */
};

/* Called for the probe's initial state (step 0) and after each update
 * (sync: each step, neuron -1; async/seq: each changed neuron, step being
 * the number of single-neuron updates so far, n per sweep). */
typedef void (*hop_trace_fn)(void *ctx, size_t probe, size_t step,
                             long neuron, const double *s, double energy);

/* Recall b probes in place (b x n; +-1, 0 for unknown bits). sync runs all
 * unsettled probes as one batch; a probe leaves the batch once stable or
 * cycling. A state with unknown neurons whose fields are all 0 is stable
 * (nothing changes) with res.unknown > 0. */
void hop_recall(const struct hopfield *h, double *states, size_t b,
                enum hop_mode mode, size_t max_iter, uint64_t seed,
                struct hop_result *res, hop_trace_fn trace, void *ctx);
/* Fill match and hamming from the stored patterns (needs pat); an unknown
 * bit is a mismatch with the pattern and with its negation, so a state with
 * unknowns is never a match. */
void hop_match(const struct hopfield *h, const double *s, struct hop_result *r);

/* Weight stream: kind "hopfield", tensors W (f64 n x n; left out for hebb
 * held as its patterns, which a reader rebuilds it from) and patterns
 * (bits m x n, unless not kept). */
void hop_to_stream(const struct hopfield *h, struct rk_wstream *w);
/* Would a memory of n neurons, m patterns (kept or not) under rule fit the
 * limits of every reader (rnnkit-weights(5), LIMITS)? 0, or -1 with why
 * filled. */
int hop_check_limits(size_t n, size_t m, enum hop_rule rule, int kept,
                     char *why, size_t len);
/* Checks kind, keys and shapes on the header, loads the tensors it needs
 * (ws_load), refuses NaN or Inf in W; dies (65). W may be missing only for
 * hebb with patterns-kept: yes (older streams always have it). */
void hop_from_stream(struct hopfield *h, struct rk_wstream *w);

#endif
