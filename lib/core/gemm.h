/* gemm.h - dense matrix products, row-major.
 *
 *   C = alpha * op(A) * op(B) + beta * C
 *
 * C is M x N with row stride ldc (ldc >= N).
 * op(A) is M x K: ta == 0: A is stored M x K, lda >= K;
 *                 ta != 0: A is stored K x M (A^T is used), lda >= M.
 * op(B) is K x N: tb == 0: B is stored K x N, ldb >= N;
 *                 tb != 0: B is stored N x K (B^T is used), ldb >= K.
 * beta == 0: C is not read (NaN/Inf in C do not propagate).
 * C must not overlap A or B.  M, N or K may be 0.
 *
 * rk_gemm is cache-blocked with a register-blocked micro-kernel selected at
 * run time for the CPU (AVX-512 / AVX2+FMA / generic).  It is deterministic:
 * for given shapes and strides the order of every summation is fixed, so
 * repeated calls on one machine give bit-identical results.  It allocates
 * nothing, uses < 140 KB of stack for packing buffers and is thread safe.
 * Fast paths: A is read in place (any ta); tb == 0 reads B in place too
 * (tb != 0 packs B panels: prefer tb == 0 for big, reused B operands,
 * or pack them once, rk_gemm_pack_b below); N <= 4 uses a dedicated
 * matrix-vector style loop.  An element of C is summed as
 *   acc = 0; acc += a_ik b_kj for k in a block of 256, in order (fused
 *   multiply-adds on AVX2 and AVX-512); C_ij += alpha * acc, block by block,
 * whatever M, N, the kernel's tile or the element's place in C (N <= 4:
 * the matrix-vector loop's order instead, which depends on K only):
 * a product over some rows of C gives their bits in the whole product,
 * and so does one over some columns when both have N > 4.
 *
 * rk_gemm_naive: triple loop reference with a double (for double: double)
 * accumulator; slow, for tests only.
 *
 * rk_dgemm / rk_dgemm_naive: the same for double, available in both builds
 * (in the RK_REAL_DOUBLE build rk_gemm and rk_dgemm compute the same thing).
 */
#ifndef RK_GEMM_H
#define RK_GEMM_H

#include <stddef.h>
#include "real.h"

void rk_gemm(int ta, int tb, size_t M, size_t N, size_t K, rk_real alpha,
             const rk_real *A, size_t lda, const rk_real *B, size_t ldb,
             rk_real beta, rk_real *C, size_t ldc);
void rk_gemm_naive(int ta, int tb, size_t M, size_t N, size_t K, rk_real alpha,
                   const rk_real *A, size_t lda, const rk_real *B, size_t ldb,
                   rk_real beta, rk_real *C, size_t ldc);

void rk_dgemm(int ta, int tb, size_t M, size_t N, size_t K, double alpha,
              const double *A, size_t lda, const double *B, size_t ldb,
              double beta, double *C, size_t ldc);
void rk_dgemm_naive(int ta, int tb, size_t M, size_t N, size_t K, double alpha,
                    const double *A, size_t lda, const double *B, size_t ldb,
                    double beta, double *C, size_t ldc);

/* One-hot operands: what rk_gemm computes with alpha = beta = 1, the
 * same bits, in O(rows) instead of O(rows * K) (character models: a
 * V-wide one-hot input row per step).  idx[r] is the column of the
 * single 1 of row r of the one-hot matrix (every other entry 0), or -1
 * for a row of zeros; idx[r] < K (a), < N (b).
 *   rk_gemm_onehot_a: C (M, N) += X (M, K) B (K, N), X the one-hot rows
 *     idx[0..M): row i of C gets row idx[i] of B; as
 *     rk_gemm(0, 0, M, N, K, 1, X, K, B, ldb, 1, C, ldc).
 *   rk_gemm_onehot_b: C (M, N) += A^T X, A stored K x M (lda >= M), X
 *     (K, N) the one-hot rows idx[0..K): column c of C gets the sum of
 *     the rows k of A with idx[k] == c; as
 *     rk_gemm(1, 0, M, N, K, 1, A, lda, X, N, 1, C, ldc).
 * Both allocate nothing and are thread safe. */
void rk_gemm_onehot_a(size_t M, size_t N, size_t K, const int *idx, const rk_real *B,
                      size_t ldb, rk_real *C, size_t ldc);
void rk_gemm_onehot_b(size_t M, size_t N, size_t K, const rk_real *A, size_t lda,
                      const int *idx, rk_real *C, size_t ldc);

/* Packed B (a weight matrix used in many products): op(B) (K x N) copied
 * once into the layout the kernel reads, P of rk_gemm_packed_len(N, K)
 * reals, 64-byte aligned, by rk_gemm_pack_b (columns jlo .. jhi-1 of
 * op(B) only, jlo a multiple of RK_GEMM_PACK_ALIGN: disjoint ranges may
 * be packed by different threads).  rk_gemm_packed then computes
 *   C (M, N) = alpha op(A) op(B)[:, pj0 : pj0 + N] + beta C
 * for pn = the packed operand's N and pj0 a multiple of
 * RK_GEMM_PACK_ALIGN, with the bits of rk_gemm(ta, tb, M, pn, K, ...) on
 * those columns (a column's values never depend on the others).  The
 * layout depends on the CPU's kernel: pack and use in one process.
 * Tall products, ta != 0, M > RK_GEMM_TALL_M and N >= RK_GEMM_TALL_N (a
 * weight gradient over a chunk, C (4H, H) += dG^T (4H, T B) X (T B, H),
 * dG read transposed in place): rk_gemm_packed packs each block of 128
 * columns of A once per K block and multiplies each of its slivers by
 * all the column panels, same bits again.  At H = 512 on Zen 4 ([2048 x 800] x
 * [800 x 512], caches flushed, means of 10 alternations on a loaded
 * machine) the packing of B included: 79-84 -> 86-90 GFLOP/s, where
 * rk_gemm reads A's rows 8 KB apart once per column panel; at N = 128
 * and 256, fewer panels to share A's packing, it was 12% slower than
 * rk_gemm, hence RK_GEMM_TALL_N. */
#define RK_GEMM_PACK_ALIGN 32
#define RK_GEMM_TALL_M 256
#define RK_GEMM_TALL_N 512
size_t rk_gemm_packed_len(size_t N, size_t K);
void rk_gemm_pack_b(rk_real *P, int tb, size_t N, size_t K, const rk_real *B, size_t ldb,
                    size_t jlo, size_t jhi);
void rk_gemm_packed(int ta, size_t M, size_t N, size_t K, rk_real alpha, const rk_real *A,
                    size_t lda, const rk_real *P, size_t pn, size_t pj0, rk_real beta,
                    rk_real *C, size_t ldc);

/* name of the micro-kernel rk_gemm uses on this CPU, e.g. "avx512 8x32" */
const char *rk_gemm_kernel_name(void);

#endif
