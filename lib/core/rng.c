/* rng.c - xoshiro256** with splitmix64 seeding (public domain algorithms
 * by Blackman and Vigna). */
#include <math.h>
#include "rng.h"

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

void rk_rng_seed(struct rk_rng *r, uint64_t seed)
{
    uint64_t x = seed;
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
    /* splitmix64 never yields four zeros in a row, but be safe */
    if ((r->s[0] | r->s[1] | r->s[2] | r->s[3]) == 0)
        r->s[0] = 1;
}

uint64_t rk_rng_u64(struct rk_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double rk_rng_uniform(struct rk_rng *r)
{
    return (double)(rk_rng_u64(r) >> 11) * 0x1.0p-53;
}

uint64_t rk_rng_below(struct rk_rng *r, uint64_t n)
{
    if (n == 0)
        return 0;
    /* rejection sampling on the top of the range: unbiased */
    uint64_t lim = UINT64_MAX - UINT64_MAX % n;
    uint64_t x;
    do
        x = rk_rng_u64(r);
    while (x >= lim);
    return x % n;
}

double rk_rng_normal(struct rk_rng *r)
{
    /* Box-Muller; u1 in (0,1] so log is finite */
    double u1 = 1.0 - rk_rng_uniform(r);
    double u2 = rk_rng_uniform(r);
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586476925 * u2);
}

void rk_rng_shuffle(struct rk_rng *r, size_t *idx, size_t n)
{
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)rk_rng_below(r, (uint64_t)i);
        size_t t = idx[i - 1];
        idx[i - 1] = idx[j];
        idx[j] = t;
    }
}
