/* rng.h - small deterministic PRNG (xoshiro256** seeded by splitmix64).
 *
 * The sequence depends only on the seed: same seed, same numbers, on every
 * platform.  A struct rk_rng must be seeded with rk_rng_seed before use.
 * Not thread safe: use one generator per thread.
 */
#ifndef RK_RNG_H
#define RK_RNG_H

#include <stddef.h>
#include <stdint.h>

struct rk_rng {
    uint64_t s[4];
};

/* seed the generator; every seed (including 0) is valid */
void rk_rng_seed(struct rk_rng *r, uint64_t seed);
/* next 64 random bits */
uint64_t rk_rng_u64(struct rk_rng *r);
/* uniform double in [0, 1) with 53 random bits */
double rk_rng_uniform(struct rk_rng *r);
/* uniform integer in [0, n), unbiased; returns 0 when n == 0 */
uint64_t rk_rng_below(struct rk_rng *r, uint64_t n);
/* standard normal N(0,1) (Box-Muller, uses two uniforms per call) */
double rk_rng_normal(struct rk_rng *r);
/* uniform random permutation of idx[0..n) (Fisher-Yates, in place) */
void rk_rng_shuffle(struct rk_rng *r, size_t *idx, size_t n);

#endif
