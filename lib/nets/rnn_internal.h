/* rnn_internal.h - private helpers of the rnn_*.c files (not installed). */
#ifndef RK_RNN_INTERNAL_H
#define RK_RNN_INTERNAL_H

#include <math.h>
#include <stdint.h>
#include "cpu.h"
#include "rnn.h"

#define RK_AI static inline __attribute__((always_inline))

/* RK_DISPATCH(name, (params), (args)) defines `static void name(params)`
 * that runs name##_impl(args) (an RK_AI function) compiled for
 * x86-64-v4 (AVX-512), x86-64-v3 (AVX2+FMA) or the baseline, picked at run
 * time.  (target_clones is not used: gcc does not inline helpers into the
 * clones, which defeats vectorization.)  gcc -O2 vectorizes only loops whose
 * trip count is a multiple of the vector length, hence RK_PW_LOOP. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define RK_DISPATCH(NAME, PARAMS, ARGS)                                          \
    __attribute__((target("arch=x86-64-v4"))) static void NAME##_v4 PARAMS     \
    {                                                                          \
        NAME##_impl ARGS;                                                      \
    }                                                                          \
    __attribute__((target("arch=x86-64-v3"))) static void NAME##_v3 PARAMS     \
    {                                                                          \
        NAME##_impl ARGS;                                                      \
    }                                                                          \
    static void NAME PARAMS                                                    \
    {                                                                          \
        int lvl_ = rk_cpu_level();                                             \
        if (lvl_ >= 4)                                                         \
            NAME##_v4 ARGS;                                                    \
        else if (lvl_ >= 3)                                                    \
            NAME##_v3 ARGS;                                                    \
        else                                                                   \
            NAME##_impl ARGS;                                                  \
    }
#else
#define RK_DISPATCH(NAME, PARAMS, ARGS)                                          \
    static void NAME PARAMS                                                    \
    {                                                                          \
        NAME##_impl ARGS;                                                      \
    }
#endif

/* loops over j in [0, n) in chunks of 16 (then a scalar tail) so that gcc
 * -O2 vectorizes the body; use inside RK_AI functions whose pointer
 * parameters are restrict (gcc ignores restrict on block-scope pointers) */
#define RK_PW_LOOP(n, ...)                                                   \
    do {                                                                     \
        size_t j0_ = 0, n_ = (n);                                            \
        for (; j0_ + 16 <= n_; j0_ += 16)                                    \
            for (size_t jj_ = 0; jj_ < 16; jj_++) {                          \
                size_t j = j0_ + jj_;                                        \
                __VA_ARGS__                                                  \
            }                                                                \
        for (size_t j = j0_; j < n_; j++) {                                  \
            __VA_ARGS__                                                      \
        }                                                                    \
    } while (0)

/* Vectorizable activations for the fast path.  float: exp by Cody-Waite
 * reduction + degree 6 polynomial, |rel err| < 2e-7 on [-87, 88], clamped
 * outside; sigmoid and tanh built on it (tanh has absolute error ~1e-7
 * near 0).  double: libm (the double build is for checking, not speed). */
#ifdef RK_REAL_DOUBLE
RK_AI rk_real rk_fsigm(rk_real x) { return 1.0 / (1.0 + exp(-x)); }
RK_AI rk_real rk_ftanh(rk_real x) { return tanh(x); }
#else
RK_AI float rk_fexp(float x)
{
    x = x < -87.0f ? -87.0f : x;
    x = x > 88.0f ? 88.0f : x;
    float t = x * 1.44269504088896341f + 12582912.0f; /* round(x/ln2) in low bits */
    float n = t - 12582912.0f;
    float r = x - n * 0.693359375f;
    r = r - n * -2.12194440e-4f;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * r * r + r + 1.0f;
    union { float f; uint32_t u; } u;
    u.f = t;
    u.u = (u.u - 0x4B400000u + 127u) << 23; /* 2^n (wraps harmlessly for NaN) */
    return p * u.f;
}
RK_AI float rk_fsigm(float x) { return 1.0f / (1.0f + rk_fexp(-x)); }
RK_AI float rk_ftanh(float x) { return 2.0f / (1.0f + rk_fexp(-2.0f * x)) - 1.0f; }
#endif

#ifdef RK_REAL_DOUBLE
RK_AI rk_real rk_sqrtr(rk_real x) { return sqrt(x); }
#else
RK_AI rk_real rk_sqrtr(rk_real x) { return sqrtf(x); }
#endif

/* reference activations: libm in rk_real precision */
#ifdef RK_REAL_DOUBLE
static inline rk_real rk_rsigm(rk_real x) { return 1.0 / (1.0 + exp(-x)); }
static inline rk_real rk_rtanh(rk_real x) { return tanh(x); }
#else
static inline rk_real rk_rsigm(rk_real x) { return 1.0f / (1.0f + expf(-x)); }
static inline rk_real rk_rtanh(rk_real x) { return tanhf(x); }
#endif

/* parameter views of layer l (k = 0..3: W_ih, W_hh, b_ih, b_hh) */
static inline rk_real *rnn_tp(const struct rnn_model *m, rk_real *base, int l, int k)
{
    return base + m->tensor[4 * (size_t)l + (size_t)k].off;
}
static inline const rk_real *rnn_tpc(const struct rnn_model *m, const rk_real *base, int l, int k)
{
    return base + m->tensor[4 * (size_t)l + (size_t)k].off;
}

#endif
