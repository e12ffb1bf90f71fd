/* gemm.c - blocked, register-tiled matrix multiply for float and double.
 *
 * Structure (Goto/BLIS style, simplified):
 *   for p0 in K by KC:                      (K blocking)
 *     for i0 in M by MC:                    (M blocking)
 *       a last partial MR-row panel is packed (zero padded)
 *       for j0 in N by NR:                  (one NR-column panel of B)
 *         B panel: read in place when tb == 0 and the panel is full,
 *                  else packed (zero padded) into a small buffer
 *         for ir in mc by MR: micro-kernel  C[MR,NR] += alpha * A * Bp
 * Full MR-row panels of A are read in place (with row and column strides,
 * so both ta = 0 and ta = 1 work): for the small-M, many-call products of
 * an RNN step, packing A costs more than it saves.
 * rk_gemm_packed on tall products (gemm.h) takes instead, per K block, a
 * block of columns of op(A) packed once, and each of its MR-row slivers
 * times every panel of the packed B (tall_ below).
 * The micro-kernel is portable C written so that gcc keeps the MR x NR
 * accumulator tile in vector registers; it is instantiated per target
 * (x86-64-v4 / x86-64-v3 / generic) with a tile shape fitting the register
 * file, and picked at run time.  All summation orders depend only on the
 * shapes and the CPU, so results are deterministic.
 */
#include <stddef.h>
#include "cpu.h"
#include "gemm.h"

#define KC 256            /* k block */
#define MC_PANELS 16      /* MC = MR * MC_PANELS rows of A per block */
#define MR_MAX 8
#define NR_MAX 32
#define SMALL_N 4         /* N <= SMALL_N: matrix-vector style path */
#define SMALL_MB 64
#define TALL_MA 512       /* bytes of a row of tall_'s A block (128 KB) */

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define RK_X86_DISPATCH 1
#define TGT_V4 __attribute__((target("arch=x86-64-v4")))
#define TGT_V3 __attribute__((target("arch=x86-64-v3")))
#define TCLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define TCLONES
#endif

#define FMA_F(a, b, c) __builtin_fmaf((a), (b), (c))
#define FMA_D(a, b, c) __builtin_fma((a), (b), (c))
#define MULADD(a, b, c) ((a) * (b) + (c))

static size_t min_sz(size_t a, size_t b) { return a < b ? a : b; }

/* The micro-kernels are left out of UndefinedBehaviorSanitizer (make
 * check's sanitized build): its checks of every index and pointer step
 * keep them from vectorizing and took 40% of a sanitized training run;
 * their indexes are loop counters under constant bounds. AddressSanitizer
 * still checks every access they make. */
#if defined(__GNUC__) && (__GNUC__ >= 8 || defined(__clang__))
#define NO_UBSAN __attribute__((no_sanitize("undefined")))
#else
#define NO_UBSAN
#endif
#ifdef __GNUC__
#define MAYBE_UNUSED __attribute__((unused)) /* tall_ of the other type */
#else
#define MAYBE_UNUSED
#endif

/* Micro-kernel.
 * C (mr, nr) row stride ldc  +=  alpha * A (MR, kc) x Bp (kc, NR) row stride ldb
 * A element (i, k) is A[i * rsa + k * csa] (in place or packed); mr <= MR,
 * nr <= NR; the MR rows of A and NR columns of Bp must all be readable.
 * C's tile is prefetched first, for the end, kc steps later: a step's
 * gate sums G_t and a weight gradient's K block come from L3 (measured
 * in rnn-train --mode seq, hidden 512: 5% off an epoch). */
#define DEFINE_KERNEL(NAME, T, MR, NR, ATTR, FMA)                               \
    ATTR NO_UBSAN static void NAME(T *restrict C, size_t ldc, const T *restrict A, \
                          size_t rsa, size_t csa, const T *restrict Bp,         \
                          size_t ldb, size_t kc, size_t mr, size_t nr, T alpha) \
    {                                                                           \
        T acc[MR][NR];                                                          \
        for (size_t i = 0; i < mr; i++) /* C's tile, for the end */            \
            for (size_t j = 0; j < nr; j += 64 / sizeof(T))                     \
                __builtin_prefetch(C + i * ldc + j, 1);                         \
        for (int i = 0; i < MR; i++)                                            \
            for (int j = 0; j < NR; j++)                                        \
                acc[i][j] = 0;                                                  \
        for (size_t k = 0; k < kc; k++) {                                       \
            const T *b = Bp + k * ldb;                                          \
            const T *a = A + k * csa;                                           \
            _Pragma("GCC unroll 16")                                            \
            for (int i = 0; i < MR; i++) {                                      \
                T ai = a[i * rsa];                                              \
                for (int j = 0; j < NR; j++)                                    \
                    acc[i][j] = FMA(ai, b[j], acc[i][j]);                       \
            }                                                                   \
        }                                                                       \
        if (mr == MR && nr == NR) {                                             \
            _Pragma("GCC unroll 16")                                            \
            for (int i = 0; i < MR; i++)                                        \
                for (int j = 0; j < NR; j++)                                    \
                    C[(size_t)i * ldc + j] += alpha * acc[i][j];                \
        } else {                                                                \
            for (size_t i = 0; i < mr; i++)                                     \
                for (size_t j = 0; j < nr; j++)                                 \
                    C[i * ldc + j] += alpha * acc[i][j];                        \
        }                                                                       \
    }

/* Everything else, per element type T with suffix S. */
#define DEFINE_GEMM(T, S)                                                       \
    typedef void (*kern_##S)(T *restrict, size_t, const T *restrict, size_t,    \
                             size_t, const T *restrict, size_t, size_t,         \
                             size_t, size_t, T);                                \
    struct kinfo_##S { kern_##S fn; size_t mr, nr; const char *name; };         \
                                                                                \
    /* Ap (kc, mr) zero padded  <-  op(A)[i0:i0+m, p0:p0+kc], m < mr */       \
    static void pack_a_##S(T *restrict Ap, const T *restrict A, size_t lda,     \
                           int ta, size_t i0, size_t m, size_t p0, size_t kc,   \
                           size_t mr)                                           \
    {                                                                           \
        for (size_t k = 0; k < kc; k++)                                         \
            for (size_t i = 0; i < mr; i++)                                     \
                Ap[k * mr + i] = i >= m ? 0                                     \
                                 : ta   ? A[(p0 + k) * lda + i0 + i]            \
                                        : A[(i0 + i) * lda + p0 + k];           \
    }                                                                           \
                                                                                \
    /* Bp (kc, nr) zero padded  <-  op(B)[p0:p0+kc, j0:j0+n] */                 \
    static void pack_b_##S(T *restrict Bp, const T *restrict B, size_t ldb,     \
                           int tb, size_t p0, size_t kc, size_t j0, size_t n,   \
                           size_t nr)                                           \
    {                                                                           \
        if (!tb) {                                                              \
            for (size_t k = 0; k < kc; k++) {                                   \
                const T *src = B + (p0 + k) * ldb + j0;                         \
                for (size_t j = 0; j < n; j++)                                  \
                    Bp[k * nr + j] = src[j];                                    \
            }                                                                   \
        } else {                                                                \
            for (size_t j = 0; j < n; j++) {                                    \
                const T *src = B + (j0 + j) * ldb + p0;                         \
                for (size_t k = 0; k < kc; k++)                                 \
                    Bp[k * nr + j] = src[k];                                    \
            }                                                                   \
        }                                                                       \
        for (size_t k = 0; k < kc; k++)                                         \
            for (size_t j = n; j < nr; j++)                                     \
                Bp[k * nr + j] = 0;                                             \
    }                                                                           \
                                                                                \
    /* Small N: C (M, N) += alpha * op(A) (M, K) * op(B) (K, N), N <= SMALL_N.  \
     * ta: axpy over contiguous rows of A; !ta: dot products with 16 fixed     \
     * partial sums (k mod 16) added in a fixed order. */                       \
    TCLONES static void smalln_##S(int ta, int tb, size_t M, size_t N,          \
                                   size_t K, T alpha, const T *restrict A,      \
                                   size_t lda, const T *restrict B, size_t ldb, \
                                   T *restrict C, size_t ldc)                   \
    {                                                                           \
        size_t sb_k = tb ? 1 : ldb, sb_j = tb ? ldb : 1;                        \
        for (size_t j = 0; j < N; j++) {                                        \
            const T *Bj = B + j * sb_j;                                         \
            if (ta) {                                                           \
                for (size_t i0 = 0; i0 < M; i0 += SMALL_MB) {                   \
                    size_t mb = min_sz(SMALL_MB, M - i0);                       \
                    T acc[SMALL_MB];                                            \
                    for (size_t i = 0; i < SMALL_MB; i++)                       \
                        acc[i] = 0;                                             \
                    for (size_t k = 0; k < K; k++) {                            \
                        T b = Bj[k * sb_k];                                     \
                        const T *a = A + k * lda + i0;                          \
                        if (mb == SMALL_MB) {                                   \
                            for (size_t i = 0; i < SMALL_MB; i++)               \
                                acc[i] += a[i] * b;                             \
                        } else {                                                \
                            for (size_t i = 0; i < mb; i++)                     \
                                acc[i] += a[i] * b;                             \
                        }                                                       \
                    }                                                           \
                    for (size_t i = 0; i < mb; i++)                             \
                        C[(i0 + i) * ldc + j] += alpha * acc[i];                \
                }                                                               \
            } else {                                                            \
                for (size_t i = 0; i < M; i++) {                                \
                    const T *a = A + i * lda;                                   \
                    T lane[16];                                                 \
                    for (int l = 0; l < 16; l++)                                \
                        lane[l] = 0;                                            \
                    size_t k = 0;                                               \
                    if (tb) {                                                   \
                        for (; k + 16 <= K; k += 16)                            \
                            for (int l = 0; l < 16; l++)                        \
                                lane[l] += a[k + l] * Bj[k + l];                \
                    } else {                                                    \
                        for (; k + 16 <= K; k += 16)                            \
                            for (int l = 0; l < 16; l++)                        \
                                lane[l] += a[k + l] * Bj[(k + l) * sb_k];       \
                    }                                                           \
                    for (int l = 0; k < K; k++, l++)                            \
                        lane[l] += a[k] * Bj[k * sb_k];                         \
                    for (int w = 8; w >= 1; w /= 2)                             \
                        for (int l = 0; l < w; l++)                             \
                            lane[l] += lane[l + w];                             \
                    C[i * ldc + j] += alpha * lane[0];                          \
                }                                                               \
            }                                                                   \
        }                                                                       \
    }                                                                           \
                                                                                \
    /* C (M, N) += alpha op(A) op(B), the blocked loops (see the top).  B is   \
     * op(B) in place (B, ldb, tb) or, P != NULL, packed (rk_gemm_pack_b):     \
     * columns pj0.. of a packed operand of pn columns (pj0 % nr == 0). */      \
    static void core_##S(int ta, int tb, size_t M, size_t N, size_t K, T alpha, \
                         const T *A, size_t lda, const T *B, size_t ldb,        \
                         const T *P, size_t pn, size_t pj0, T *C, size_t ldc)   \
    {                                                                           \
        struct kinfo_##S ki = pick_##S();                                       \
        size_t mr = ki.mr, nr = ki.nr, mcmax = mr * MC_PANELS;                  \
        size_t npad = (pn + nr - 1) / nr * nr;                                  \
        _Alignas(64) T Ap[MR_MAX * KC];                                         \
        _Alignas(64) T Bp[KC * NR_MAX];                                         \
        for (size_t p0 = 0; p0 < K; p0 += KC) {                                 \
            size_t kc = min_sz(KC, K - p0);                                     \
            for (size_t i0 = 0; i0 < M; i0 += mcmax) {                          \
                size_t mc = min_sz(mcmax, M - i0);                              \
                size_t mfull = mc - mc % mr; /* rows read in place */           \
                if (mfull < mc)                                                 \
                    pack_a_##S(Ap, A, lda, ta, i0 + mfull, mc - mfull, p0, kc, \
                               mr);                                             \
                for (size_t j0 = 0; j0 < N; j0 += nr) {                         \
                    size_t n = min_sz(nr, N - j0);                              \
                    const T *bp;                                                \
                    size_t ldbp;                                                \
                    if (P) {                                                    \
                        bp = P + p0 * npad + (pj0 + j0) * kc;                   \
                        ldbp = nr;                                              \
                    } else if (!tb && n == nr) {                                \
                        bp = B + p0 * ldb + j0;                                 \
                        ldbp = ldb;                                             \
                    } else {                                                    \
                        pack_b_##S(Bp, B, ldb, tb, p0, kc, j0, n, nr);          \
                        bp = Bp;                                                \
                        ldbp = nr;                                              \
                    }                                                           \
                    T *c = C + i0 * ldc + j0;                                   \
                    for (size_t ir = 0; ir < mfull; ir += mr) {                 \
                        const T *a = ta ? A + p0 * lda + i0 + ir                \
                                        : A + (i0 + ir) * lda + p0;             \
                        ki.fn(c + ir * ldc, ldc, a, ta ? 1 : lda, ta ? lda : 1, \
                              bp, ldbp, kc, mr, n, alpha);                      \
                    }                                                           \
                    if (mfull < mc)                                             \
                        ki.fn(c + mfull * ldc, ldc, Ap, 1, mr, bp, ldbp, kc,    \
                              mc - mfull, n, alpha);                            \
                }                                                               \
            }                                                                   \
        }                                                                       \
    }                                                                           \
                                                                                \
    /* C (M, N) += alpha op(A) op(B), ta != 0, B packed (as core_ with P):    \
     * the order for tall products (gemm.h: M > RK_GEMM_TALL_M, N >=        \
     * RK_GEMM_TALL_N; the weight gradients of a chunk, A = dG read          \
     * transposed).  Per K block and block of ma columns of A (rows of C;   \
     * TALL_MA bytes of a row of A), the block is packed once into slivers   \
     * (kc, mr), reading whole pieces of A's rows (core_ reads A in place,   \
     * mr values of a row per k, each sliver again for every column panel:   \
     * rows lda apart that may fall into few cache sets); then each sliver,  \
     * in L1, is multiplied by every column panel of the K block of P, which \
     * streams from L2.  The kernel and the sums are core_'s. */             \
    MAYBE_UNUSED static void tall_##S(size_t M, size_t N, size_t K, T alpha,    \
                                      const T *A, size_t lda, const T *P,       \
                                      size_t pn, size_t pj0, T *C, size_t ldc)  \
    {                                                                           \
        struct kinfo_##S ki = pick_##S();                                       \
        size_t mr = ki.mr, nr = ki.nr, ma = TALL_MA / sizeof(T) / mr * mr;      \
        size_t npad = (pn + nr - 1) / nr * nr;                                  \
        _Alignas(64) T Ab[TALL_MA * KC / sizeof(T)];                            \
        for (size_t p0 = 0; p0 < K; p0 += KC) {                                 \
            size_t kc = min_sz(KC, K - p0);                                     \
            for (size_t i0 = 0; i0 < M; i0 += ma) {                             \
                size_t mb = min_sz(ma, M - i0), ns = (mb + mr - 1) / mr;        \
                for (size_t k = 0; k < kc; k++) {                               \
                    const T *a = A + (p0 + k) * lda + i0;                       \
                    if (mb == ma) {                                             \
                        for (size_t s = 0; s < ns; s++)                         \
                            for (size_t i = 0; i < mr; i++)                     \
                                Ab[(s * kc + k) * mr + i] = a[s * mr + i];      \
                    } else {                                                    \
                        for (size_t s = 0; s < ns; s++)                         \
                            for (size_t i = 0; i < mr; i++)                     \
                                Ab[(s * kc + k) * mr + i] =                     \
                                    s * mr + i < mb ? a[s * mr + i] : 0;        \
                    }                                                           \
                }                                                               \
                for (size_t s = 0; s < ns; s++) {                               \
                    size_t m = min_sz(mr, mb - s * mr);                         \
                    for (size_t j0 = 0; j0 < N; j0 += nr)                       \
                        ki.fn(C + (i0 + s * mr) * ldc + j0, ldc, Ab + s * kc * mr, \
                              1, mr, P + p0 * npad + (pj0 + j0) * kc, nr, kc, m,  \
                              min_sz(nr, N - j0), alpha);                       \
                }                                                               \
            }                                                                   \
        }                                                                       \
    }                                                                           \
                                                                                \
    /* C <- beta C; 0: C is not read */                                         \
    static void scale_c_##S(size_t M, size_t N, T beta, T *C, size_t ldc)       \
    {                                                                           \
        if (beta == 0) {                                                        \
            for (size_t i = 0; i < M; i++)                                      \
                for (size_t j = 0; j < N; j++)                                  \
                    C[i * ldc + j] = 0;                                         \
        } else if (beta != 1) {                                                 \
            for (size_t i = 0; i < M; i++)                                      \
                for (size_t j = 0; j < N; j++)                                  \
                    C[i * ldc + j] *= beta;                                     \
        }                                                                       \
    }                                                                           \
                                                                                \
    static void gemm_##S(int ta, int tb, size_t M, size_t N, size_t K,          \
                         T alpha, const T *A, size_t lda, const T *B,           \
                         size_t ldb, T beta, T *C, size_t ldc)                  \
    {                                                                           \
        if (M == 0 || N == 0)                                                   \
            return;                                                             \
        scale_c_##S(M, N, beta, C, ldc);                                        \
        if (K == 0 || alpha == 0)                                               \
            return;                                                             \
        if (N <= SMALL_N) {                                                     \
            smalln_##S(ta, tb, M, N, K, alpha, A, lda, B, ldb, C, ldc);         \
            return;                                                             \
        }                                                                       \
        core_##S(ta, tb, M, N, K, alpha, A, lda, B, ldb, NULL, N, 0, C, ldc);   \
    }                                                                           \
                                                                                \
    static void naive_##S(int ta, int tb, size_t M, size_t N, size_t K,         \
                          T alpha, const T *A, size_t lda, const T *B,          \
                          size_t ldb, T beta, T *C, size_t ldc)                 \
    {                                                                           \
        for (size_t i = 0; i < M; i++)                                          \
            for (size_t j = 0; j < N; j++) {                                    \
                double acc = 0;                                                 \
                for (size_t k = 0; k < K; k++) {                                \
                    double a = ta ? A[k * lda + i] : A[i * lda + k];            \
                    double b = tb ? B[j * ldb + k] : B[k * ldb + j];            \
                    acc += a * b;                                               \
                }                                                               \
                double c = beta == 0 ? 0.0 : (double)beta * C[i * ldc + j];     \
                C[i * ldc + j] = (T)((double)alpha * acc + c);                  \
            }                                                                   \
    }

/* ---- double: always needed (rk_dgemm) ---- */
DEFINE_KERNEL(kern_d_generic, double, 4, 4, , MULADD)
#ifdef RK_X86_DISPATCH
DEFINE_KERNEL(kern_d_v3, double, 6, 8, TGT_V3, FMA_D)
DEFINE_KERNEL(kern_d_v4, double, 8, 16, TGT_V4, FMA_D)
#endif
static struct kinfo_d pick_d(void);
DEFINE_GEMM(double, d)
static struct kinfo_d pick_d(void)
{
#ifdef RK_X86_DISPATCH
    if (rk_cpu_level() >= 4)
        return (struct kinfo_d){kern_d_v4, 8, 16, "x86-64-v4 8x16 double"};
    if (rk_cpu_level() >= 3)
        return (struct kinfo_d){kern_d_v3, 6, 8, "x86-64-v3 6x8 double"};
#endif
    return (struct kinfo_d){kern_d_generic, 4, 4, "generic 4x4 double"};
}

/* ---- float: only in the float build ---- */
#ifndef RK_REAL_DOUBLE
DEFINE_KERNEL(kern_f_generic, float, 4, 8, , MULADD)
#ifdef RK_X86_DISPATCH
DEFINE_KERNEL(kern_f_v3, float, 6, 16, TGT_V3, FMA_F)
DEFINE_KERNEL(kern_f_v4, float, 8, 32, TGT_V4, FMA_F)
#endif
static struct kinfo_f pick_f(void);
DEFINE_GEMM(float, f)
static struct kinfo_f pick_f(void)
{
#ifdef RK_X86_DISPATCH
    if (rk_cpu_level() >= 4)
        return (struct kinfo_f){kern_f_v4, 8, 32, "x86-64-v4 8x32 float"};
    if (rk_cpu_level() >= 3)
        return (struct kinfo_f){kern_f_v3, 6, 16, "x86-64-v3 6x16 float"};
#endif
    return (struct kinfo_f){kern_f_generic, 4, 8, "generic 4x8 float"};
}
#define GEMM_R gemm_f
#define PACKB_R pack_b_f
#define SCALE_R scale_c_f
#define SMALLN_R smalln_f
#define CORE_R core_f
#define TALL_R tall_f
#define NAIVE_R naive_f
#define PICK_R pick_f
#else
#define GEMM_R gemm_d
#define PACKB_R pack_b_d
#define SCALE_R scale_c_d
#define SMALLN_R smalln_d
#define CORE_R core_d
#define TALL_R tall_d
#define NAIVE_R naive_d
#define PICK_R pick_d
#endif

void rk_gemm(int ta, int tb, size_t M, size_t N, size_t K, rk_real alpha,
             const rk_real *A, size_t lda, const rk_real *B, size_t ldb,
             rk_real beta, rk_real *C, size_t ldc)
{
    GEMM_R(ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

void rk_gemm_naive(int ta, int tb, size_t M, size_t N, size_t K, rk_real alpha,
                   const rk_real *A, size_t lda, const rk_real *B, size_t ldb,
                   rk_real beta, rk_real *C, size_t ldc)
{
    NAIVE_R(ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

void rk_dgemm(int ta, int tb, size_t M, size_t N, size_t K, double alpha,
              const double *A, size_t lda, const double *B, size_t ldb,
              double beta, double *C, size_t ldc)
{
    gemm_d(ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

void rk_dgemm_naive(int ta, int tb, size_t M, size_t N, size_t K, double alpha,
                    const double *A, size_t lda, const double *B, size_t ldb,
                    double beta, double *C, size_t ldc)
{
    naive_d(ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

/* ---- packed B (gemm.h) ----
 * Layout for the kernel of this CPU (nr columns a panel): N <= SMALL_N:
 * op(B) as a plain (K, N) copy, read by the smalln path; else for each
 * K block p0 (KC rows, kc in the last) the panels of nr columns, each
 * (kc, nr) row-major and zero padded, block p0 at p0 * npad, panel j0 of
 * it at + j0 * kc (npad = N rounded up to nr). */
size_t rk_gemm_packed_len(size_t N, size_t K)
{
    return N <= SMALL_N ? N * K : (N + NR_MAX - 1) / NR_MAX * NR_MAX * K;
}

void rk_gemm_pack_b(rk_real *P, int tb, size_t N, size_t K, const rk_real *B, size_t ldb,
                    size_t jlo, size_t jhi)
{
    if (N <= SMALL_N) {
        for (size_t k = 0; k < K; k++)
            for (size_t j = jlo; j < jhi && j < N; j++)
                P[k * N + j] = tb ? B[j * ldb + k] : B[k * ldb + j];
        return;
    }
    size_t nr = PICK_R().nr, npad = (N + nr - 1) / nr * nr;
    jhi = jhi < N ? jhi : N;
    for (size_t p0 = 0; p0 < K; p0 += KC) {
        size_t kc = min_sz(KC, K - p0);
        for (size_t j0 = jlo / nr * nr; j0 < jhi; j0 += nr)
            PACKB_R(P + p0 * npad + j0 * kc, B, ldb, tb, p0, kc, j0, min_sz(nr, N - j0), nr);
    }
}

void rk_gemm_packed(int ta, size_t M, size_t N, size_t K, rk_real alpha, const rk_real *A,
                    size_t lda, const rk_real *P, size_t pn, size_t pj0, rk_real beta,
                    rk_real *C, size_t ldc)
{
    if (M == 0 || N == 0)
        return;
    SCALE_R(M, N, beta, C, ldc);
    if (K == 0 || alpha == 0)
        return;
    if (pn <= SMALL_N) {
        SMALLN_R(ta, 0, M, N, K, alpha, A, lda, P + pj0, pn, C, ldc);
        return;
    }
    if (ta && M > RK_GEMM_TALL_M && N >= RK_GEMM_TALL_N)
        TALL_R(M, N, K, alpha, A, lda, P, pn, pj0, C, ldc);
    else
        CORE_R(ta, 0, M, N, K, alpha, A, lda, NULL, 0, P, pn, pj0, C, ldc);
}

/* ---- one-hot operands (gemm.h) ----
 * They sum as gemm_R does, with alpha = beta = 1: op(A) op(B) element
 * (i, j) is summed per K block of KC (the whole K when N <= SMALL_N: the
 * smalln path) as acc = +0, acc = fma(a_k, b_k, acc) in k order, then C
 * += acc.  With one factor 0 or 1, fma(a, 1, acc) = acc + a and fma(a, 0,
 * acc) = acc (acc is never -0), so a block's acc is the plain sum, from
 * +0, of the terms whose one-hot factor is 1, and +0 without any.  C +
 * (+0) differs from C only for C = -0, and (C + 0) + acc = C + acc, so
 * one pass C += 0 stands for the blocks without a term. */

/* rows k0 .. k1-1 (k1 - k0 <= KC) of idx, stably sorted by idx, into
 * ord: LSD radix sort on the bytes of idx + 1, skipping a byte that all
 * rows share */
static size_t onehot_sort(size_t *ord, const int *idx, size_t k0, size_t k1)
{
    size_t n = k1 - k0, tmp[KC], cnt[257], *src = ord, *dst = tmp;
    for (size_t k = 0; k < n; k++)
        ord[k] = k0 + k;
    for (int sh = 0; sh < 32; sh += 8) {
        for (size_t v = 0; v < 257; v++)
            cnt[v] = 0;
        for (size_t k = 0; k < n; k++)
            cnt[((((unsigned)idx[src[k]] + 1u) >> sh) & 255u) + 1]++;
        if (cnt[((((unsigned)idx[src[0]] + 1u) >> sh) & 255u) + 1] == n)
            continue;
        for (size_t v = 1; v < 257; v++)
            cnt[v] += cnt[v - 1];
        for (size_t k = 0; k < n; k++)
            dst[cnt[(((unsigned)idx[src[k]] + 1u) >> sh) & 255u]++] = src[k];
        size_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != ord)
        for (size_t k = 0; k < n; k++)
            ord[k] = src[k];
    return n;
}

void rk_gemm_onehot_a(size_t M, size_t N, size_t K, const int *idx, const rk_real *B,
                      size_t ldb, rk_real *C, size_t ldc)
{
    if (M == 0 || N == 0 || K == 0)
        return;
    size_t nb = N <= SMALL_N ? 1 : (K + KC - 1) / KC;
    for (size_t i = 0; i < M; i++) {
        rk_real *c = C + i * ldc;
        if (idx[i] < 0) {
            for (size_t j = 0; j < N; j++)
                c[j] += 0;
            continue;
        }
        size_t k = (size_t)idx[i], kb = N <= SMALL_N ? 0 : k / KC;
        const rk_real *b = B + k * ldb;
        if (kb > 0)
            for (size_t j = 0; j < N; j++)
                c[j] += 0;
        for (size_t j = 0; j < N; j++)
            c[j] += b[j] + 0;
        if (kb + 1 < nb)
            for (size_t j = 0; j < N; j++)
                c[j] += 0;
    }
}

#define OH_IB 64 /* rows of C summed at once */
/* column C[0..M) (stride ldc) += the sum from +0 of the rows ord[0..n)
 * of A, in that order */
static void onehot_col(rk_real *C, size_t ldc, const rk_real *A, size_t lda,
                       const size_t *ord, size_t n, size_t M)
{
    size_t i0 = 0;
    for (; i0 + OH_IB <= M; i0 += OH_IB) {
        rk_real acc[OH_IB];
        for (size_t i = 0; i < OH_IB; i++)
            acc[i] = 0;
        for (size_t g = 0; g < n; g++) {
            const rk_real *a = A + ord[g] * lda + i0;
            for (size_t i = 0; i < OH_IB; i++)
                acc[i] += a[i];
        }
        for (size_t i = 0; i < OH_IB; i++)
            C[(i0 + i) * ldc] += acc[i];
    }
    for (size_t i = i0; i < M; i++) {
        rk_real acc = 0;
        for (size_t g = 0; g < n; g++)
            acc += A[ord[g] * lda + i];
        C[i * ldc] += acc;
    }
}
void rk_gemm_onehot_b(size_t M, size_t N, size_t K, const rk_real *A, size_t lda,
                      const int *idx, rk_real *C, size_t ldc)
{
    if (M == 0 || N == 0 || K == 0)
        return;
    for (size_t i = 0; i < M; i++)
        for (size_t j = 0; j < N; j++)
            C[i * ldc + j] += 0;
    size_t kb = N <= SMALL_N ? K : KC; /* the rows of a block */
    size_t ord[KC];
    for (size_t k0 = 0; k0 < K; k0 += kb) {
        size_t k1 = min_sz(K, k0 + kb);
        if (N <= SMALL_N) { /* K rows in one block: no sort, N scans */
            for (size_t c = 0; c < N; c++)
                for (size_t i0 = 0; i0 < M; i0 += OH_IB) {
                    size_t ib = min_sz(OH_IB, M - i0);
                    rk_real acc[OH_IB] = {0};
                    for (size_t k = k0; k < k1; k++)
                        if (idx[k] == (int)c)
                            for (size_t i = 0; i < ib; i++)
                                acc[i] += A[k * lda + i0 + i];
                    for (size_t i = 0; i < ib; i++)
                        C[(i0 + i) * ldc + c] += acc[i];
                }
            continue;
        }
        size_t n = onehot_sort(ord, idx, k0, k1);
        for (size_t g0 = 0; g0 < n;) {
            size_t g1 = g0 + 1;
            int c = idx[ord[g0]];
            while (g1 < n && idx[ord[g1]] == c)
                g1++;
            if (c >= 0)
                onehot_col(C + c, ldc, A, lda, ord + g0, g1 - g0, M);
            g0 = g1;
        }
    }
}

const char *rk_gemm_kernel_name(void)
{
    return PICK_R().name;
}
