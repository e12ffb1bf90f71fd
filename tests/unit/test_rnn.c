/* test_rnn.c - unit tests of the numeric core: gemm, rng, rnn forward /
 * backward, streaming, optimizers, determinism; with -DRK_REAL_DOUBLE also
 * the gradient check of every cell (tol 1e-6).
 *
 *   test_rnn                 run all tests, exit 1 on any failure
 *   test_rnn --bench [cell] [H] [T] [B] [nthreads] [seconds]
 *                            training throughput (windows/s) with Adam
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "gemm.h"
#include "rng.h"
#include "rnn.h"

static int nfail, ncheck;

#ifdef RK_REAL_DOUBLE
#define TOL_FWD 1e-12
#else
#define TOL_FWD 2e-5
#endif

/* compares a (fast) with r (reference): |a-r| <= tol * max(1, |r|) */
static int check_close(const char *label, const rk_real *a, const rk_real *r, size_t n,
                       double tol)
{
    double maxd = 0;
    size_t worst = 0;
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        double d = fabs((double)a[i] - (double)r[i]);
        double s = fabs((double)r[i]) > 1 ? fabs((double)r[i]) : 1;
        if (!(d <= tol * s))
            bad = 1;
        if (!(d <= maxd)) {
            maxd = d;
            worst = i;
        }
    }
    ncheck++;
    if (bad) {
        nfail++;
        printf("FAIL %s: n=%zu max diff %.3g at %zu (tol %.3g)\n  got: ", label, n, maxd, worst,
               tol);
        for (size_t i = 0; i < n && i < 6; i++)
            printf(" %.9g", (double)a[i]);
        printf("\n  ref: ");
        for (size_t i = 0; i < n && i < 6; i++)
            printf(" %.9g", (double)r[i]);
        printf("\n");
    }
    return !bad;
}

static void check(const char *label, int ok)
{
    ncheck++;
    if (!ok) {
        nfail++;
        printf("FAIL %s\n", label);
    }
}

static void fill_rand(struct rk_rng *g, rk_real *p, size_t n, double lo, double hi)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (rk_real)(lo + (hi - lo) * rk_rng_uniform(g));
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    return p;
}

/* ---------------------------------------------------------------- gemm */

static void test_gemm_one(struct rk_rng *g, int ta, int tb, size_t M, size_t N, size_t K,
                          double alpha, double beta, size_t pad)
{
    size_t lda = (ta ? M : K) + pad, ldb = (tb ? K : N) + pad, ldc = N + pad;
    size_t na = (ta ? K : M) * lda, nb = (tb ? N : K) * ldb, nc = M * ldc;
    rk_real *A = xmalloc(na * sizeof *A), *B = xmalloc(nb * sizeof *B);
    rk_real *C = xmalloc(nc * sizeof *C), *C2 = xmalloc(nc * sizeof *C), *C3 = xmalloc(nc * sizeof *C);
    fill_rand(g, A, na, -1, 1);
    fill_rand(g, B, nb, -1, 1);
    fill_rand(g, C, nc, -1, 1);
    if (beta == 0)
        for (size_t i = 0; i < M * N; i += 7)
            C[(i / N) * ldc + i % N] = (rk_real)NAN; /* must not propagate */
    memcpy(C2, C, nc * sizeof *C);
    memcpy(C3, C, nc * sizeof *C);
    rk_gemm(ta, tb, M, N, K, (rk_real)alpha, A, lda, B, ldb, (rk_real)beta, C, ldc);
    rk_gemm_naive(ta, tb, M, N, K, (rk_real)alpha, A, lda, B, ldb, (rk_real)beta, C2, ldc);
    rk_gemm(ta, tb, M, N, K, (rk_real)alpha, A, lda, B, ldb, (rk_real)beta, C3, ldc);
    char label[128];
    snprintf(label, sizeof label, "gemm ta=%d tb=%d M=%zu N=%zu K=%zu a=%g b=%g pad=%zu", ta, tb,
             M, N, K, alpha, beta, pad);
    /* padding columns must be untouched; tolerance grows with sqrt(K) */
    double tol = TOL_FWD * (1 + sqrt((double)K));
    if (check_close(label, C, C2, nc, tol))
        check(label, memcmp(C, C3, nc * sizeof *C) == 0); /* deterministic */
    free(A);
    free(B);
    free(C);
    free(C2);
    free(C3);
}

static void test_dgemm_one(struct rk_rng *g, int ta, int tb, size_t M, size_t N, size_t K)
{
    size_t lda = ta ? M : K, ldb = tb ? K : N, ldc = N;
    double *A = xmalloc(M * K * sizeof *A), *B = xmalloc(K * N * sizeof *B);
    double *C = xmalloc(M * N * sizeof *C), *C2 = xmalloc(M * N * sizeof *C);
    for (size_t i = 0; i < M * K; i++)
        A[i] = rk_rng_uniform(g) - 0.5;
    for (size_t i = 0; i < K * N; i++)
        B[i] = rk_rng_uniform(g) - 0.5;
    for (size_t i = 0; i < M * N; i++)
        C[i] = C2[i] = rk_rng_uniform(g);
    rk_dgemm(ta, tb, M, N, K, 0.5, A, lda, B, ldb, 2.0, C, ldc);
    rk_dgemm_naive(ta, tb, M, N, K, 0.5, A, lda, B, ldb, 2.0, C2, ldc);
    double maxd = 0;
    for (size_t i = 0; i < M * N; i++)
        maxd = fmax(maxd, fabs(C[i] - C2[i]));
    char label[128];
    snprintf(label, sizeof label, "dgemm ta=%d tb=%d M=%zu N=%zu K=%zu maxdiff=%g", ta, tb, M, N,
             K, maxd);
    check(label, maxd <= 1e-13 * (1 + sqrt((double)K)));
    free(A);
    free(B);
    free(C);
    free(C2);
}

static void test_gemm(void)
{
    struct rk_rng g;
    rk_rng_seed(&g, 42);
    static const size_t dims[] = {1, 2, 3, 5, 8, 17, 33, 64, 100};
    for (int ta = 0; ta < 2; ta++)
        for (int tb = 0; tb < 2; tb++)
            for (size_t a = 0; a < sizeof dims / sizeof *dims; a++)
                for (size_t b = 0; b < sizeof dims / sizeof *dims; b += 2)
                    for (size_t c = 0; c < sizeof dims / sizeof *dims; c += 3)
                        test_gemm_one(&g, ta, tb, dims[a], dims[b], dims[c], 1.0, 1.0,
                                      (a + b + c) % 3);
    /* blocking edges: K > KC, M > MC, N large; alpha/beta variants */
    for (int ta = 0; ta < 2; ta++)
        for (int tb = 0; tb < 2; tb++) {
            test_gemm_one(&g, ta, tb, 300, 70, 600, 0.5, 0.0, 1);
            test_gemm_one(&g, ta, tb, 129, 515, 257, -1.5, 0.25, 0);
            test_gemm_one(&g, ta, tb, 200, 3, 700, 1.0, 0.0, 2);
            test_gemm_one(&g, ta, tb, 16, 512, 128, 1.0, 1.0, 0);
            test_gemm_one(&g, ta, tb, 7, 1, 1000, 2.0, -1.0, 1);
            test_gemm_one(&g, ta, tb, 0, 5, 5, 1.0, 1.0, 0);
            test_gemm_one(&g, ta, tb, 5, 5, 0, 1.0, 0.5, 0);
            test_dgemm_one(&g, ta, tb, 37, 45, 300);
            test_dgemm_one(&g, ta, tb, 150, 2, 64);
            test_dgemm_one(&g, ta, tb, 9, 150, 3);
        }
}

/* rk_gemm_packed against rk_gemm: the same bits, for the whole packed
 * operand and for column ranges of it starting at multiples of
 * RK_GEMM_PACK_ALIGN; the operand packed in two column ranges */
static void test_gemm_packed_one(struct rk_rng *g, int ta, int tb, size_t M, size_t N, size_t K,
                                 double beta)
{
    size_t lda = (ta ? M : K) + 1, ldb = (tb ? K : N) + 2, ldc = N + 3;
    size_t na = (ta ? K : M) * lda, nb = (tb ? N : K) * ldb, nc = M * ldc;
    size_t np = rk_gemm_packed_len(N, K);
    rk_real *A = xmalloc(na * sizeof *A), *B = xmalloc(nb * sizeof *B);
    rk_real *C = xmalloc(nc * sizeof *C), *C2 = xmalloc(nc * sizeof *C);
    rk_real *P = aligned_alloc(64, (np * sizeof *P + 63) / 64 * 64);
    if (!P)
        exit(2);
    fill_rand(g, A, na, -1, 1);
    fill_rand(g, B, nb, -1, 1);
    fill_rand(g, C, nc, -1, 1);
    memcpy(C2, C, nc * sizeof *C);
    size_t half = N / 2 / RK_GEMM_PACK_ALIGN * RK_GEMM_PACK_ALIGN;
    rk_gemm_pack_b(P, tb, N, K, B, ldb, half, N);
    rk_gemm_pack_b(P, tb, N, K, B, ldb, 0, half);
    rk_gemm(ta, tb, M, N, K, (rk_real)0.75, A, lda, B, ldb, (rk_real)beta, C, ldc);
    /* columns [0, half) and [half, N) in two calls */
    rk_gemm_packed(ta, M, half, K, (rk_real)0.75, A, lda, P, N, 0, (rk_real)beta, C2, ldc);
    rk_gemm_packed(ta, M, N - half, K, (rk_real)0.75, A, lda, P, N, half, (rk_real)beta,
                   C2 + half, ldc);
    char label[128];
    snprintf(label, sizeof label, "gemm_packed ta=%d tb=%d M=%zu N=%zu K=%zu b=%g: the gemm's bits",
             ta, tb, M, N, K, beta);
    check(label, memcmp(C, C2, nc * sizeof *C) == 0);
    /* all columns in one call (the tall order when ta, M > 256, N >= 512) */
    fill_rand(g, C, nc, -1, 1);
    memcpy(C2, C, nc * sizeof *C);
    rk_gemm(ta, tb, M, N, K, (rk_real)0.75, A, lda, B, ldb, (rk_real)beta, C, ldc);
    rk_gemm_packed(ta, M, N, K, (rk_real)0.75, A, lda, P, N, 0, (rk_real)beta, C2, ldc);
    snprintf(label, sizeof label, "gemm_packed ta=%d tb=%d M=%zu N=%zu K=%zu b=%g, one call: the "
             "gemm's bits", ta, tb, M, N, K, beta);
    check(label, memcmp(C, C2, nc * sizeof *C) == 0);
    free(A);
    free(B);
    free(C);
    free(C2);
    free(P);
}

static void test_gemm_packed(void)
{
    struct rk_rng g;
    rk_rng_seed(&g, 7);
    static const size_t s[][3] = {{16, 2048, 512}, {16, 512, 2048}, {5, 3, 40}, {1, 1, 1},
                                  {16, 100, 300}, {33, 70, 257}, {8, 64, 7}, {300, 40, 600},
                                  {272, 520, 300}, {264, 1088, 260}};
    for (int ta = 0; ta < 2; ta++)
        for (int tb = 0; tb < 2; tb++)
            for (size_t i = 0; i < sizeof s / sizeof *s; i++)
                test_gemm_packed_one(&g, ta, tb, s[i][0], s[i][1], s[i][2], i % 2 ? 0.0 : 1.0);
}

/* rk_gemm_onehot_a/_b against rk_gemm on the dense one-hot matrix: the
 * same bits, C holding -0 entries too; idx has rows of zeros (-1) */
static void test_gemm_onehot_one(struct rk_rng *g, size_t M, size_t N, size_t K, size_t pad)
{
    size_t lda = M + pad, ldc = N + pad;
    int *ia = xmalloc((M ? M : 1) * sizeof *ia), *ib = xmalloc((K ? K : 1) * sizeof *ib);
    rk_real *X = xmalloc((M * K + 1) * sizeof *X), *Y = xmalloc((K * N + 1) * sizeof *Y);
    rk_real *B = xmalloc((K * ldc + 1) * sizeof *B), *A = xmalloc((K * lda + 1) * sizeof *A);
    rk_real *C = xmalloc((M * ldc + 1) * sizeof *C), *C2 = xmalloc((M * ldc + 1) * sizeof *C);
    fill_rand(g, B, K * ldc, -1, 1);
    fill_rand(g, A, K * lda, -1, 1);
    for (size_t i = 0; i < K * ldc; i += 5)
        B[i] = i % 2 ? (rk_real)-0.0 : 0; /* zero weights of both signs */
    memset(X, 0, (M * K + 1) * sizeof *X);
    memset(Y, 0, (K * N + 1) * sizeof *Y);
    for (size_t i = 0; i < M; i++) {
        ia[i] = K && rk_rng_uniform(g) > 0.1 ? (int)(rk_rng_uniform(g) * (double)K) : -1;
        if (ia[i] >= 0)
            X[i * K + (size_t)ia[i]] = 1;
    }
    for (size_t k = 0; k < K; k++) {
        /* few distinct columns: long runs of one class */
        ib[k] = rk_rng_uniform(g) > 0.1 ? (int)(rk_rng_uniform(g) * (double)(N < 7 ? N : 7)) : -1;
        if (ib[k] >= 0)
            Y[k * N + (size_t)ib[k]] = 1;
    }
    char label[128];
    for (int which = 0; which < 2; which++) {
        fill_rand(g, C, M * ldc, -1, 1);
        for (size_t i = 0; i < M * ldc; i += 3)
            C[i] = (rk_real)-0.0;
        memcpy(C2, C, M * ldc * sizeof *C);
        if (which == 0) {
            rk_gemm_onehot_a(M, N, K, ia, B, ldc, C, ldc);
            rk_gemm(0, 0, M, N, K, 1, X, K, B, ldc, 1, C2, ldc);
        } else {
            rk_gemm_onehot_b(M, N, K, A, lda, ib, C, ldc);
            rk_gemm(1, 0, M, N, K, 1, A, lda, Y, N, 1, C2, ldc);
        }
        snprintf(label, sizeof label, "gemm_onehot_%c M=%zu N=%zu K=%zu pad=%zu: the gemm's bits",
                 "ab"[which], M, N, K, pad);
        check(label, memcmp(C, C2, M * ldc * sizeof *C) == 0);
    }
    free(ia);
    free(ib);
    free(X);
    free(Y);
    free(A);
    free(B);
    free(C);
    free(C2);
}

static void test_gemm_onehot(void)
{
    struct rk_rng g;
    rk_rng_seed(&g, 7);
    static const size_t s[][3] = {{1, 1, 1},  {5, 3, 40},    {37, 4, 300},  {64, 80, 30},
                                  {200, 96, 700}, {16, 512, 100}, {513, 65, 600}, {3, 9, 0},
                                  {0, 5, 5},  {130, 5, 257}};
    for (size_t i = 0; i < sizeof s / sizeof *s; i++)
        test_gemm_onehot_one(&g, s[i][0], s[i][1], s[i][2], i % 3);
}

/* ---------------------------------------------------------------- rng */

static void test_rng(void)
{
    struct rk_rng a, b;
    rk_rng_seed(&a, 7);
    rk_rng_seed(&b, 7);
    int same = 1, inrange = 1;
    double sum = 0, sum2 = 0;
    for (int i = 0; i < 1000; i++)
        if (rk_rng_u64(&a) != rk_rng_u64(&b))
            same = 0;
    for (int i = 0; i < 10000; i++) {
        double u = rk_rng_uniform(&a);
        if (!(u >= 0 && u < 1))
            inrange = 0;
        double z = rk_rng_normal(&b);
        sum += z;
        sum2 += z * z;
    }
    check("rng deterministic", same);
    check("rng uniform range", inrange);
    check("rng normal moments", fabs(sum / 10000) < 0.05 && fabs(sum2 / 10000 - 1) < 0.06);
    rk_rng_seed(&a, 0);
    uint64_t first = rk_rng_u64(&a);
    rk_rng_seed(&a, 0);
    check("rng reseed", rk_rng_u64(&a) == first);
    size_t idx[100];
    int seen[100] = {0};
    for (size_t i = 0; i < 100; i++)
        idx[i] = i;
    rk_rng_shuffle(&a, idx, 100);
    int perm = 1, moved = 0;
    for (size_t i = 0; i < 100; i++) {
        if (idx[i] >= 100 || seen[idx[i]]++)
            perm = 0;
        moved += idx[i] != i;
    }
    check("rng shuffle is a permutation", perm && moved > 50);
    int below = 1;
    for (int i = 0; i < 1000; i++)
        if (rk_rng_below(&a, 7) >= 7)
            below = 0;
    check("rng below", below && rk_rng_below(&a, 0) == 0);
}

/* ---------------------------------------------------------------- rnn */

struct cfgcase {
    enum rk_cell cell;
    enum rk_act act;
};
static const struct cfgcase cases[] = {
    {RK_ELMAN, RK_TANH}, {RK_ELMAN, RK_SIGMOID}, {RK_ELMAN, RK_RELU},
    {RK_LSTM, RK_TANH},  {RK_GRU, RK_TANH},      {RK_GRU_TORCH, RK_TANH},
};
#define NCASES (sizeof cases / sizeof *cases)

static void make_model(struct rnn_model *m, enum rk_cell cell, enum rk_act act, int nin, int H,
                       int L, int nout, uint64_t seed, double scale)
{
    struct rnn_config cfg = {cell, act, nin, H, L, nout, RNN_LOSS_MSE};
    if (rnn_model_init(m, &cfg) != 0) {
        fprintf(stderr, "rnn_model_init failed\n");
        exit(2);
    }
    struct rk_rng g;
    rk_rng_seed(&g, seed);
    rnn_model_randomize(m, &g);
    for (size_t i = 0; i < m->nparam; i++)
        m->param[i] *= (rk_real)scale;
}

static void test_model_basics(void)
{
    struct rnn_model m;
    struct rnn_config bad = {RK_LSTM, RK_TANH, 0, 4, 1, 1, RNN_LOSS_MSE};
    check("model init rejects nin=0", rnn_model_init(&m, &bad) == -1);
    rnn_model_release(&m);
    make_model(&m, RK_LSTM, RK_TANH, 3, 5, 2, 2, 1, 1.0);
    /* table: order, shapes, contiguity */
    static const char *names[] = {"weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
                                  "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1",
                                  "fc.weight",    "fc.bias"};
    int ok = m.ntensor == 10;
    size_t off = 0;
    for (size_t i = 0; ok && i < m.ntensor; i++) {
        ok = strcmp(m.tensor[i].name, names[i]) == 0 && m.tensor[i].off == off;
        off += m.tensor[i].rows * m.tensor[i].cols;
    }
    ok = ok && off == m.nparam && m.tensor[0].rows == 20 && m.tensor[0].cols == 3 &&
         m.tensor[4].cols == 5 && m.tensor[8].rows == 2 && m.tensor[8].cols == 5;
    check("parameter table", ok);
    double k = 1 / sqrt(5.0), mx = 0;
    for (size_t i = 0; i < m.nparam; i++)
        mx = fmax(mx, fabs((double)m.param[i]));
    check("init range", mx <= k && mx > 0.8 * k);
    check("find", rnn_model_find(&m, "fc.bias") == &m.tensor[9] && !rnn_model_find(&m, "x"));
    rnn_model_release(&m);
    enum rk_cell c;
    enum rk_act a;
    check("cell names", rk_cell_parse("gru-torch", &c) == 0 && c == RK_GRU_TORCH &&
                            strcmp(rk_cell_name(RK_LSTM), "lstm") == 0 &&
                            rk_cell_parse("rnn", &c) == -1);
    check("act names", rk_act_parse("sigmoid", &a) == 0 && a == RK_SIGMOID &&
                           strcmp(rk_act_name(RK_RELU), "relu") == 0 && rk_act_parse("x", &a) == -1);
}

/* fast forward (several thread counts) vs reference; streaming vs reference */
static void test_forward(void)
{
    struct rk_rng g;
    rk_rng_seed(&g, 3);
    for (size_t ci = 0; ci < NCASES; ci++)
        for (int L = 1; L <= 3; L++) {
            int nin = 3, H = 21, nout = 2, B = 7, T = 9;
            struct rnn_model m;
            make_model(&m, cases[ci].cell, cases[ci].act, nin, H, L, nout, 100 + ci, 1.5);
            rk_real *x = xmalloc((size_t)B * T * nin * sizeof *x);
            rk_real *y = xmalloc((size_t)B * nout * sizeof *y), *yr = xmalloc((size_t)B * nout * sizeof *y);
            fill_rand(&g, x, (size_t)B * T * nin, -2, 2);
            rnn_forward_ref(&m, yr, x, B, T);
            for (int nt = 1; nt <= 3; nt++) {
                struct rnn_work *w = rnn_work_new(&m, B + 2, T + 3, nt);
                char label[128];
                snprintf(label, sizeof label, "forward %s/%s L=%d nthreads=%d",
                         rk_cell_name(cases[ci].cell), rk_act_name(cases[ci].act), L, nt);
                check(label, w != NULL && rnn_forward(&m, w, y, x, B, T) == 0);
                check_close(label, y, yr, (size_t)B * nout, TOL_FWD);
                rnn_work_free(w);
            }
            /* streaming: x is (B, T, nin); feed step t of every window */
            struct rnn_state s;
            check("state init", rnn_state_init(&s, &m, B) == 0);
            rk_real *xt = xmalloc((size_t)B * nin * sizeof *xt);
            for (int rep = 0; rep < 2; rep++) {
                for (int t = 0; t < T; t++) {
                    for (int b = 0; b < B; b++)
                        memcpy(xt + (size_t)b * nin, x + ((size_t)b * T + t) * nin,
                               (size_t)nin * sizeof *x);
                    rnn_state_step(&m, &s, xt);
                }
                rnn_state_output(&m, &s, y);
                char label[128];
                snprintf(label, sizeof label, "streaming %s/%s L=%d rep=%d",
                         rk_cell_name(cases[ci].cell), rk_act_name(cases[ci].act), L, rep);
                check_close(label, y, yr, (size_t)B * nout, TOL_FWD);
                rnn_state_reset(&s);
            }
            rnn_state_release(&s);
            free(xt);
            free(x);
            free(y);
            free(yr);
            rnn_model_release(&m);
        }
}

/* rnn_forward: a window's output is the same bits in a batch of 150 (three
 * blocks of 64, the last partial) at 1 and 3 threads as alone (B = 1) */
static void test_forward_bits(void)
{
    struct rk_rng g;
    rk_rng_seed(&g, 5);
    for (size_t ci = 0; ci < NCASES; ci++)
        for (int L = 1; L <= 2; L++) {
            int nin = 2, H = 19, nout = 3, B = 150, T = 6;
            struct rnn_model m;
            make_model(&m, cases[ci].cell, cases[ci].act, nin, H, L, nout, 200 + ci, 1.5);
            rk_real *x = xmalloc((size_t)B * T * nin * sizeof *x);
            rk_real *y1 = xmalloc((size_t)B * nout * sizeof *y1);
            rk_real *y3 = xmalloc((size_t)B * nout * sizeof *y3);
            rk_real *ys = xmalloc((size_t)B * nout * sizeof *ys);
            fill_rand(&g, x, (size_t)B * T * nin, -2, 2);
            struct rnn_work *w1 = rnn_work_new(&m, B, T, 1), *w3 = rnn_work_new(&m, B, T, 3);
            rnn_forward(&m, w1, y1, x, B, T);
            rnn_forward(&m, w3, y3, x, B, T);
            for (int b = 0; b < B; b++)
                rnn_forward(&m, w1, ys + (size_t)b * nout, x + (size_t)b * T * nin, 1, T);
            char label[128];
            snprintf(label, sizeof label, "forward bits %s/%s L=%d: 3 threads = 1",
                     rk_cell_name(cases[ci].cell), rk_act_name(cases[ci].act), L);
            check(label, memcmp(y1, y3, (size_t)B * nout * sizeof *y1) == 0);
            snprintf(label, sizeof label, "forward bits %s/%s L=%d: batch = one by one",
                     rk_cell_name(cases[ci].cell), rk_act_name(cases[ci].act), L);
            check(label, memcmp(y1, ys, (size_t)B * nout * sizeof *y1) == 0);
            rnn_work_free(w1);
            rnn_work_free(w3);
            free(x);
            free(y1);
            free(y3);
            free(ys);
            rnn_model_release(&m);
        }
}

/* gradients: thread counts agree, repeated calls bit-identical, bptt
 * changes the result, bad sizes rejected */
/* A net of 2^18 parameters (more than 2^16): the weight transposes and the
 * optimizer step run on the work's threads (rnn.h); two chunks with a
 * step after each give the same bits on 1 and 3 threads, Adam and SGD
 * with momentum, and the step is rk_optim_step's */
static void test_big_net_threads(void)
{
    struct rk_rng g;
    rk_rng_seed(&g, 31);
    int nin = 3, H = 256, nout = 2, B = 48, T = 2;
    struct rnn_model m[3];
    for (int i = 0; i < 3; i++)
        make_model(&m[i], RK_LSTM, RK_TANH, nin, H, 1, nout, 900, 1.0);
    size_t np = m[0].nparam;
    check("big net: 2^16 parameters or more", np >= ((size_t)1 << 16));
    rk_real *x = xmalloc((size_t)B * T * nin * sizeof *x), *tg = xmalloc((size_t)B * T * nout * sizeof *x);
    rk_real *gr = xmalloc(np * sizeof *gr), *h = xmalloc((size_t)B * H * sizeof *h);
    rk_real *c = xmalloc((size_t)B * H * sizeof *c);
    fill_rand(&g, x, (size_t)B * T * nin, -1, 1);
    fill_rand(&g, tg, (size_t)B * T * nout, -1, 1);
    for (int kind = 0; kind < 2; kind++) {
        for (int i = 0; i < 3; i++) {
            struct rnn_work *w = rnn_work_new_seq(&m[i], B, T, i == 2 ? 3 : 1);
            struct rk_optim o;
            rk_optim_init(&o, kind ? RK_SGD : RK_ADAM, np, 0.01);
            o.momentum = kind ? 0.9 : 0;
            o.weight_decay = 0.01;
            memset(h, 0, (size_t)B * H * sizeof *h);
            memset(c, 0, (size_t)B * H * sizeof *c);
            for (int step = 0; step < 2; step++) {
                rnn_seq_step_grad(&m[i], w, gr, x, tg, B, T, h, c, h, c);
                if (i == 0)
                    rk_optim_step(&o, m[i].param, gr);
                else
                    rnn_work_optim_step(w, &o, m[i].param, gr);
            }
            rk_optim_release(&o);
            rnn_work_free(w);
        }
        char label[96];
        snprintf(label, sizeof label, "big net, %s: rnn_work_optim_step on 1 thread is rk_optim_step",
                 kind ? "sgd" : "adam");
        check(label, memcmp(m[0].param, m[1].param, np * sizeof *gr) == 0);
        snprintf(label, sizeof label, "big net, %s: 3 threads give 1 thread's bits", kind ? "sgd" : "adam");
        check(label, memcmp(m[1].param, m[2].param, np * sizeof *gr) == 0);
    }
    struct rnn_model m0;
    make_model(&m0, RK_LSTM, RK_TANH, nin, H, 1, nout, 900, 1.0);
    check("big net: the steps moved the weights",
          memcmp(m0.param, m[2].param, np * sizeof *gr) != 0);
    rnn_model_release(&m0);
    for (int i = 0; i < 3; i++)
        rnn_model_release(&m[i]);
    free(x);
    free(tg);
    free(gr);
    free(h);
    free(c);
}

static void test_grad_threads(void)
{
    struct rk_rng g;
    rk_rng_seed(&g, 5);
    for (size_t ci = 0; ci < NCASES; ci++) {
        int nin = 2, H = 19, nout = 3, B = 11, T = 8, L = 2;
        struct rnn_model m;
        make_model(&m, cases[ci].cell, cases[ci].act, nin, H, L, nout, 200 + ci, 1.0);
        size_t np = m.nparam;
        rk_real *x = xmalloc((size_t)B * T * nin * sizeof *x), *tg = xmalloc((size_t)B * nout * sizeof *x);
        fill_rand(&g, x, (size_t)B * T * nin, -1, 1);
        fill_rand(&g, tg, (size_t)B * nout, -1, 1);
        rk_real *g1 = xmalloc(np * sizeof *g1), *g2 = xmalloc(np * sizeof *g1), *g3 = xmalloc(np * sizeof *g1);
        const char *cn = rk_cell_name(cases[ci].cell), *an = rk_act_name(cases[ci].act);
        char label[160];
        for (int bptt = 0; bptt <= 3; bptt += 3) {
            struct rnn_work *w1 = rnn_work_new(&m, B, T, 1), *w2 = rnn_work_new(&m, B, T, 2),
                            *w3 = rnn_work_new(&m, 16, 20, 4);
            double l1 = rnn_train_step_grad(&m, w1, g1, x, tg, B, T, bptt);
            double l2 = rnn_train_step_grad(&m, w2, g2, x, tg, B, T, bptt);
            double lr = rnn_loss_ref(&m, m.param, m.param, x, tg, B, T, bptt);
            snprintf(label, sizeof label, "loss %s/%s bptt=%d: %.9g vs ref %.9g", cn, an, bptt, l1, lr);
            check(label, fabs(l1 - lr) <= TOL_FWD * fmax(1, lr) && fabs(l2 - lr) <= TOL_FWD * fmax(1, lr));
            snprintf(label, sizeof label, "grad 1 vs 2 threads %s/%s bptt=%d", cn, an, bptt);
            check_close(label, g2, g1, np, TOL_FWD * 10);
            double l3 = rnn_train_step_grad(&m, w3, g3, x, tg, B, T, bptt);
            snprintf(label, sizeof label, "grad 1 vs 4 threads (bigger work) %s/%s bptt=%d", cn, an, bptt);
            check_close(label, g3, g1, np, TOL_FWD * 10);
            (void)l3;
            /* determinism: repeat with the same work and thread count */
            for (int rep = 0; rep < 2; rep++) {
                double l2b = rnn_train_step_grad(&m, w2, g3, x, tg, B, T, bptt);
                snprintf(label, sizeof label, "determinism 2 threads %s/%s bptt=%d", cn, an, bptt);
                check(label, l2b == l2 && memcmp(g3, g2, np * sizeof *g3) == 0);
            }
            double l1b = rnn_train_step_grad(&m, w1, g3, x, tg, B, T, bptt);
            snprintf(label, sizeof label, "determinism 1 thread %s/%s bptt=%d", cn, an, bptt);
            check(label, l1b == l1 && memcmp(g3, g1, np * sizeof *g3) == 0);
            check("bad sizes rejected", rnn_train_step_grad(&m, w1, g3, x, tg, B + 1, T, 0) == -1 &&
                                            rnn_forward(&m, w1, g3, x, B, T + 1) == -1);
            rnn_work_free(w1);
            rnn_work_free(w2);
            rnn_work_free(w3);
        }
        /* truncation must change the gradient of the recurrent weights */
        struct rnn_work *w1 = rnn_work_new(&m, B, T, 1);
        rnn_train_step_grad(&m, w1, g1, x, tg, B, T, 0);
        rnn_train_step_grad(&m, w1, g2, x, tg, B, T, 2);
        double d = 0;
        for (size_t i = 0; i < np; i++)
            d = fmax(d, fabs((double)g1[i] - (double)g2[i]));
        snprintf(label, sizeof label, "bptt=2 differs from full %s/%s", cn, an);
        check(label, d > 1e-6);
        /* head gradient is independent of truncation */
        size_t fo = m.tensor[m.ntensor - 2].off;
        check_close("head grad independent of bptt", g2 + fo, g1 + fo, np - fo, TOL_FWD);
        rnn_work_free(w1);
        free(g1);
        free(g2);
        free(g3);
        free(x);
        free(tg);
        rnn_model_release(&m);
    }
}

/* shards (rnn.h): loss, gradient and forward are the same bits for any
 * thread count and any work size >= B, batches of one to several shards;
 * a work for 17 windows cuts 12 into one shard of 12 (not 2 of 9) */
static void test_shards(void)
{
    static const int Bs[] = {1, 12, 16, 17, 33, 50};
    struct rk_rng g;
    rk_rng_seed(&g, 9);
    for (size_t ci = 0; ci < NCASES; ci++) {
        int nin = 2, H = 7, nout = 2, T = 5, L = 2, maxB = 60;
        struct rnn_model m;
        make_model(&m, cases[ci].cell, cases[ci].act, nin, H, L, nout, 300 + ci, 1.0);
        size_t np = m.nparam;
        rk_real *x = xmalloc((size_t)maxB * T * nin * sizeof *x);
        rk_real *tg = xmalloc((size_t)maxB * nout * sizeof *x);
        rk_real *g1 = xmalloc(np * sizeof *g1), *g2 = xmalloc(np * sizeof *g1);
        rk_real *y1 = xmalloc((size_t)maxB * nout * sizeof *y1), *y2 = xmalloc((size_t)maxB * nout * sizeof *y1);
        fill_rand(&g, x, (size_t)maxB * T * nin, -1, 1);
        fill_rand(&g, tg, (size_t)maxB * nout, -1, 1);
        for (size_t bi = 0; bi < sizeof Bs / sizeof *Bs; bi++) {
            int B = Bs[bi];
            struct rnn_work *w1 = rnn_work_new(&m, B, T, 1);
            double l1 = rnn_train_step_grad(&m, w1, g1, x, tg, B, T, 0);
            rnn_forward(&m, w1, y1, x, B, T);
            int works[][2] = {{B, 2}, {B + 5, 3}, {maxB, 8}, {17, 2}};
            for (size_t k = 0; k < sizeof works / sizeof *works; k++) {
                if (works[k][0] < B)
                    continue;
                struct rnn_work *w2 = rnn_work_new(&m, works[k][0], T + 2, works[k][1]);
                double l2 = rnn_train_step_grad(&m, w2, g2, x, tg, B, T, 0);
                rnn_forward(&m, w2, y2, x, B, T);
                char label[160];
                snprintf(label, sizeof label, "shards %s B=%d: work %d, %d threads, same bits",
                         rk_cell_name(cases[ci].cell), B, works[k][0], works[k][1]);
                check(label, l1 == l2 && memcmp(g1, g2, np * sizeof *g1) == 0 &&
                                 memcmp(y1, y2, (size_t)B * nout * sizeof *y1) == 0);
                rnn_work_free(w2);
            }
            rnn_work_free(w1);
        }
        check("rnn_shards", rnn_shards(1) == 1 && rnn_shards(16) == 1 && rnn_shards(17) == 2 &&
                                rnn_shards(32) == 2 && rnn_shards(256) == 16 &&
                                rnn_shards(100000) == RNN_MAX_SHARDS);
        free(x);
        free(tg);
        free(g1);
        free(g2);
        free(y1);
        free(y2);
        rnn_model_release(&m);
    }
}

/* Teams (rnn_train.c, run_chunk): a job with fewer shards than threads
 * runs each shard on all of them, split by streams and by rows of the
 * products; the loss, gradient, outputs and final state must be the bits
 * of one thread, dropout and a given state included.  B = 16: one shard,
 * a team of 2 (work of 16) or 4 (work of 64); B = 24: two shards in
 * turn, each on the team of 4. */
static void test_seq_team(void)
{
    struct rk_rng g;
    rk_rng_seed(&g, 77);
    for (size_t ci = 0; ci < NCASES; ci++) {
        int nin = 3, H = 24, nout = 2, T = 6, L = 2, maxB = 64;
        struct rnn_model m;
        make_model(&m, cases[ci].cell, cases[ci].act, nin, H, L, nout, 500 + ci, 1.0);
        size_t np = m.nparam, ns = (size_t)L * maxB * H;
        rk_real *x = xmalloc((size_t)maxB * T * nin * sizeof *x);
        rk_real *tg = xmalloc((size_t)maxB * T * nout * sizeof *x);
        rk_real *y1 = xmalloc((size_t)maxB * T * nout * sizeof *x);
        rk_real *y2 = xmalloc((size_t)maxB * T * nout * sizeof *x);
        rk_real *h0 = xmalloc(ns * sizeof *x), *c0 = xmalloc(ns * sizeof *x);
        rk_real *h1 = xmalloc(ns * sizeof *x), *c1 = xmalloc(ns * sizeof *x);
        rk_real *h2 = xmalloc(ns * sizeof *x), *c2 = xmalloc(ns * sizeof *x);
        rk_real *g1 = xmalloc(np * sizeof *g1), *g2 = xmalloc(np * sizeof *g1);
        uint64_t id[64];
        fill_rand(&g, x, (size_t)maxB * T * nin, -1, 1);
        fill_rand(&g, tg, (size_t)maxB * T * nout, -1, 1);
        fill_rand(&g, h0, ns, -0.8, 0.8);
        fill_rand(&g, c0, ns, -1, 1);
        for (int i = 0; i < maxB; i++)
            id[i] = (uint64_t)(3 * i + 2);
        static const int Bs[] = {16, 24};
        for (size_t bi = 0; bi < 2; bi++) {
            int B = Bs[bi];
            size_t nsb = (size_t)L * B * H;
            struct rnn_work *w1 = rnn_work_new_seq(&m, B, T, 1);
            rnn_work_set_dropout(w1, 0.3, 4, id);
            double l1 = rnn_seq_step_grad(&m, w1, g1, x, tg, B, T, h0, c0, h1, c1);
            double f1 = rnn_seq_forward(&m, w1, y1, x, tg, B, T, h0, c0, NULL, NULL);
            int works[][2] = {{B, 2}, {maxB, 4}};
            for (size_t k = 0; k < 2; k++) {
                struct rnn_work *w2 = rnn_work_new_seq(&m, works[k][0], T, works[k][1]);
                rnn_work_set_dropout(w2, 0.3, 4, id);
                double l2 = rnn_seq_step_grad(&m, w2, g2, x, tg, B, T, h0, c0, h2, c2);
                double f2 = rnn_seq_forward(&m, w2, y2, x, tg, B, T, h0, c0, NULL, NULL);
                char label[160];
                snprintf(label, sizeof label,
                         "seq team %s B=%d, work %d on %d threads: one thread's bits (loss %.9g)",
                         rk_cell_name(cases[ci].cell), B, works[k][0], works[k][1], l1);
                check(label, l1 > 0 && l1 == l2 && f1 == f2 &&
                                 memcmp(g1, g2, np * sizeof *g1) == 0 &&
                                 memcmp(y1, y2, (size_t)B * T * nout * sizeof *y1) == 0 &&
                                 memcmp(h1, h2, nsb * sizeof *h1) == 0 &&
                                 (cases[ci].cell != RK_LSTM ||
                                  memcmp(c1, c2, nsb * sizeof *c1) == 0));
                rnn_work_free(w2);
            }
            rnn_work_free(w1);
        }
        free(x);
        free(tg);
        free(y1);
        free(y2);
        free(h0);
        free(c0);
        free(h1);
        free(c1);
        free(h2);
        free(c2);
        free(g1);
        free(g2);
        rnn_model_release(&m);
    }
}

/* Ranks (rnn.h) in one process: board_share posts the calling rank's
 * blocks on a board and takes the other ranks' blocks from it, so each
 * rank's second step, after every rank's first, has every block. */
static struct {
    int rank, n;
    size_t gunit;
    unsigned char *g, *l;
    /* a sequence's states (neither unit above): the k-th such call of
     * a step (board.k, reset before it) in slot k of sbytes */
    unsigned char *s;
    size_t sbytes;
    int k;
} board;

static int board_share(void *buf, size_t unit, const int *count, const int *first)
{
    unsigned char *b = unit == board.gunit ? board.g : board.l, *p = buf;
    int r = board.rank;
    if (unit != board.gunit && unit != sizeof(double))
        b = board.s + (size_t)board.k++ * board.sbytes;
    memcpy(b + (size_t)first[r] * unit, p + (size_t)first[r] * unit, (size_t)count[r] * unit);
    for (int q = 0; q < board.n; q++)
        if (q != r)
            memcpy(p + (size_t)first[q] * unit, b + (size_t)first[q] * unit,
                   (size_t)count[q] * unit);
    return 0;
}

/* rank r of N given only its windows (x, target, dropout ids) gets the
 * one-process loss and gradient bit for bit; the ranks' windows cut the
 * batch in order; a rank with no shards (N > ns) still takes its part */
static void test_ranks(void)
{
    static const int Bs[] = {12, 33, 50}, Ns[] = {2, 3, 5};
    struct rk_rng g;
    rk_rng_seed(&g, 21);
    int nin = 2, H = 6, nout = 2, T = 5, L = 2, maxB = 50;
    struct rnn_model m;
    make_model(&m, RK_LSTM, RK_TANH, nin, H, L, nout, 500, 1.0);
    size_t np = m.nparam;
    rk_real *x = xmalloc((size_t)maxB * T * nin * sizeof *x);
    rk_real *tg = xmalloc((size_t)maxB * nout * sizeof *x);
    rk_real *g1 = xmalloc(np * sizeof *g1), *g2 = xmalloc(np * sizeof *g1);
    uint64_t id[50];
    fill_rand(&g, x, (size_t)maxB * T * nin, -1, 1);
    fill_rand(&g, tg, (size_t)maxB * nout, -1, 1);
    for (int i = 0; i < maxB; i++)
        id[i] = (uint64_t)(7 * i + 3);
    board.gunit = np * sizeof(rk_real);
    board.g = xmalloc(RNN_MAX_SHARDS * board.gunit);
    board.l = xmalloc(RNN_MAX_SHARDS * sizeof(double));
    for (size_t bi = 0; bi < sizeof Bs / sizeof *Bs; bi++) {
        int B = Bs[bi];
        struct rnn_work *w1 = rnn_work_new(&m, B, T, 1);
        rnn_work_set_dropout(w1, 0.3, 5, id);
        double l1 = rnn_train_step_grad(&m, w1, g1, x, tg, B, T, 2);
        for (size_t ni = 0; ni < sizeof Ns / sizeof *Ns; ni++) {
            int N = Ns[ni], first[5], n[5], ok = 1, next = 0;
            struct rnn_work *w[5];
            board.n = N;
            for (int r = 0; r < N; r++) {
                rnn_rank_windows(B, r, N, &first[r], &n[r]);
                ok &= first[r] == next && n[r] >= 0;
                next = first[r] + n[r];
                w[r] = rnn_work_new(&m, B, T, 2);
                ok &= rnn_work_set_ranks(w[r], r, N, board_share) == 0;
                rnn_work_set_dropout(w[r], 0.3, 5, id + first[r]);
            }
            char label[160];
            snprintf(label, sizeof label, "ranks B=%d N=%d: the ranks' windows cut the batch", B, N);
            check(label, ok && next == B);
            for (int pass = 0; pass < 2; pass++)
                for (int r = 0; r < N; r++) {
                    board.rank = r;
                    double l2 = rnn_train_step_grad(&m, w[r], g2, x + (size_t)first[r] * T * nin,
                                                    tg + (size_t)first[r] * nout, B, T, 2);
                    if (pass == 0)
                        continue;
                    snprintf(label, sizeof label,
                             "ranks B=%d N=%d: rank %d of its %d windows, the one-process bits", B,
                             N, r, n[r]);
                    check(label, l1 == l2 && memcmp(g1, g2, np * sizeof *g1) == 0);
                }
            for (int r = 0; r < N; r++)
                rnn_work_free(w[r]);
        }
        rnn_work_free(w1);
    }
    free(board.g);
    free(board.l);
    free(x);
    free(tg);
    free(g1);
    free(g2);
    rnn_model_release(&m);
}

/* Sequence chunks on ranks in one process: rank r given only its streams'
 * inputs, targets and dropout ids, and the whole state h0, c0, gets the
 * one-process loss and gradient, and the whole final state (every rank's
 * streams: one allgather per layer), bit for bit */
static void test_seq_ranks(void)
{
    static const int Ns[] = {2, 3, 5};
    struct rk_rng g;
    rk_rng_seed(&g, 31);
    int nin = 2, H = 5, nout = 2, T = 4, L = 2, B = 40;
    struct rnn_model m;
    make_model(&m, RK_LSTM, RK_TANH, nin, H, L, nout, 900, 1.0);
    size_t np = m.nparam, ns = (size_t)L * B * H;
    rk_real *x = xmalloc((size_t)B * T * nin * sizeof *x);
    rk_real *tg = xmalloc((size_t)B * T * nout * sizeof *x);
    rk_real *h0 = xmalloc(ns * sizeof *x), *c0 = xmalloc(ns * sizeof *x);
    rk_real *h1 = xmalloc(ns * sizeof *x), *c1 = xmalloc(ns * sizeof *x);
    rk_real *h2 = xmalloc(ns * sizeof *x), *c2 = xmalloc(ns * sizeof *x);
    rk_real *g1 = xmalloc(np * sizeof *g1), *g2 = xmalloc(np * sizeof *g1);
    uint64_t id[40];
    fill_rand(&g, x, (size_t)B * T * nin, -1, 1);
    fill_rand(&g, tg, (size_t)B * T * nout, -1, 1);
    fill_rand(&g, h0, ns, -0.8, 0.8);
    fill_rand(&g, c0, ns, -1, 1);
    for (int i = 0; i < B; i++)
        id[i] = (uint64_t)(5 * i + 1);
    board.gunit = np * sizeof(rk_real);
    board.g = xmalloc(RNN_MAX_SHARDS * board.gunit);
    board.l = xmalloc(RNN_MAX_SHARDS * sizeof(double));
    board.sbytes = (size_t)B * H * sizeof(rk_real);
    board.s = xmalloc(2 * (size_t)L * board.sbytes);
    struct rnn_work *w1 = rnn_work_new_seq(&m, B, T, 1);
    rnn_work_set_dropout(w1, 0.3, 9, id);
    double l1 = rnn_seq_step_grad(&m, w1, g1, x, tg, B, T, h0, c0, h1, c1);
    for (size_t ni = 0; ni < sizeof Ns / sizeof *Ns; ni++) {
        int N = Ns[ni], first[5], n[5], ok = 1;
        struct rnn_work *w[5];
        board.n = N;
        for (int r = 0; r < N; r++) {
            rnn_rank_windows(B, r, N, &first[r], &n[r]);
            w[r] = rnn_work_new_seq(&m, B, T, 2);
            ok &= rnn_work_set_ranks(w[r], r, N, board_share) == 0;
            rnn_work_set_dropout(w[r], 0.3, 9, id + first[r]);
        }
        for (int pass = 0; pass < 2; pass++)
            for (int r = 0; r < N; r++) {
                board.rank = r;
                board.k = 0;
                /* the state the others' streams had: not theirs after */
                memcpy(h2, h0, ns * sizeof *h2);
                memcpy(c2, c0, ns * sizeof *c2);
                double l2 = rnn_seq_step_grad(&m, w[r], g2, x + (size_t)first[r] * T * nin,
                                              tg + (size_t)first[r] * T * nout, B, T, h0, c0,
                                              h2, c2);
                if (pass == 0)
                    continue;
                char label[160];
                snprintf(label, sizeof label,
                         "seq ranks N=%d: rank %d of its %d streams, the one-process loss, "
                         "gradient and whole final state", N, r, n[r]);
                check(label, ok && l1 == l2 && memcmp(g1, g2, np * sizeof *g1) == 0 &&
                                 memcmp(h1, h2, ns * sizeof *h1) == 0 &&
                                 memcmp(c1, c2, ns * sizeof *c1) == 0);
            }
        for (int r = 0; r < N; r++)
            rnn_work_free(w[r]);
    }
    rnn_work_free(w1);
    free(board.g);
    free(board.l);
    free(board.s);
    free(x);
    free(tg);
    free(h0);
    free(c0);
    free(h1);
    free(c1);
    free(h2);
    free(c2);
    free(g1);
    free(g2);
    rnn_model_release(&m);
}

#ifdef RK_REAL_DOUBLE
static void test_gradcheck(void)
{
    struct rk_rng g;
    rk_rng_seed(&g, 9);
    for (size_t ci = 0; ci < NCASES; ci++)
        for (int L = 1; L <= 2; L++)
            for (int bptt = 0; bptt <= 2; bptt += 2) {
                int nin = 2, H = 3, nout = 2, B = 3, T = 5;
                struct rnn_model m;
                make_model(&m, cases[ci].cell, cases[ci].act, nin, H, L, nout, 300 + ci, 2.0);
                rk_real x[3 * 5 * 2], tg[3 * 2];
                fill_rand(&g, x, sizeof x / sizeof *x, -1.5, 1.5);
                fill_rand(&g, tg, sizeof tg / sizeof *tg, -1, 1);
                struct gc_row rows[4 * 2 + 2];
                int nf = rnn_gradcheck(&m, x, tg, B, T, bptt, 1e-5, 1e-6, rows);
                char label[128];
                snprintf(label, sizeof label, "gradcheck %s/%s L=%d bptt=%d",
                         rk_cell_name(cases[ci].cell), rk_act_name(cases[ci].act), L, bptt);
                check(label, nf == 0);
                double worst = 0;
                for (size_t i = 0; i < m.ntensor; i++) {
                    worst = fmax(worst, rows[i].max_abs);
                    if (nf != 0)
                        printf("  %-14s max_abs %.3g max_rel %.3g %s\n", rows[i].name,
                               rows[i].max_abs, rows[i].max_rel, rows[i].pass ? "ok" : "FAIL");
                }
                printf("%-40s worst abs err %.2g\n", label, worst);
                rnn_model_release(&m);
            }
}

/* one-hot inputs (rk_gemm_onehot_a/_b in place of the input gemms, nin
 * >= 8): a chunk of sequences of one-hot rows and rows of zeros, two
 * shards, against central differences; and a row that is not one-hot
 * (the gemms) too */
static void test_gradcheck_onehot(void)
{
    struct rk_rng g;
    rk_rng_seed(&g, 23);
    enum { NIN = 9, B = 20, T = 3 };
    for (int cell = RK_LSTM; cell <= RK_GRU_TORCH; cell += RK_GRU_TORCH - RK_LSTM)
        for (int dense = 0; dense < 2; dense++) {
            struct rnn_model m;
            make_model(&m, (enum rk_cell)cell, RK_TANH, NIN, 3, 2, NIN, 700 + cell, 2.0);
            m.cfg.loss = RNN_LOSS_CE;
            rk_real x[B * T * NIN] = {0}, tg[B * T * NIN] = {0};
            for (int r = 0; r < B * T; r++) {
                if (r % 7 != 3)
                    x[r * NIN + (int)(rk_rng_uniform(&g) * NIN)] = 1;
                tg[r * NIN + (int)(rk_rng_uniform(&g) * NIN)] = 1;
            }
            if (dense)
                x[(B - 1) * T * NIN] = (rk_real)0.5;
            struct gc_row rows[4 * 2 + 2];
            int nf = rnn_seq_gradcheck(&m, x, tg, B, T, NULL, NULL, 1e-5, 1e-6, rows);
            char label[128];
            snprintf(label, sizeof label, "gradcheck seq %s, one-hot inputs%s",
                     rk_cell_name((enum rk_cell)cell), dense ? " but one" : "");
            check(label, nf == 0);
            for (size_t i = 0; nf != 0 && i < m.ntensor; i++)
                printf("  %-14s max_abs %.3g max_rel %.3g %s\n", rows[i].name,
                       rows[i].max_abs, rows[i].max_rel, rows[i].pass ? "ok" : "FAIL");
            rnn_model_release(&m);
        }
}

/* the softmax cross-entropy head: every cell, 1 and 2 layers, full and
 * truncated BPTT, 4 classes, one-hot and soft targets */
static void test_gradcheck_ce(void)
{
    struct rk_rng g;
    rk_rng_seed(&g, 19);
    for (size_t ci = 0; ci < NCASES; ci++)
        for (int L = 1; L <= 2; L++)
            for (int bptt = 0; bptt <= 2; bptt += 2) {
                int nin = 2, H = 3, nout = 4, B = 3, T = 5;
                struct rnn_model m;
                make_model(&m, cases[ci].cell, cases[ci].act, nin, H, L, nout, 500 + ci, 2.0);
                m.cfg.loss = RNN_LOSS_CE;
                rk_real x[3 * 5 * 2], tg[3 * 4] = {0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0};
                fill_rand(&g, x, sizeof x / sizeof *x, -1.5, 1.5);
                fill_rand(&g, tg + 8, 4, 0, 0.5); /* a soft row */
                struct gc_row rows[4 * 2 + 2];
                int nf = rnn_gradcheck(&m, x, tg, B, T, bptt, 1e-5, 1e-6, rows);
                char label[128];
                snprintf(label, sizeof label, "gradcheck ce %s/%s L=%d bptt=%d",
                         rk_cell_name(cases[ci].cell), rk_act_name(cases[ci].act), L, bptt);
                check(label, nf == 0);
                rnn_model_release(&m);
            }
}
#endif

/* The CE head's numbers by hand: logits (1, 2, 3), class 2:
 * loss = log(e + e^2 + e^3) - 3 = 0.40760596444438, softmax =
 * (0.09003057317, 0.24472847106, 0.66524095577), dy = p - onehot;
 * logits (1000, 0, -1000) stay finite (log-sum-exp from the maximum). */
static void test_ce_head(void)
{
    struct rnn_config c = {RK_LSTM, RK_TANH, 1, 1, 1, 3, RNN_LOSS_CE};
    rk_real y[6] = {1, 2, 3, 1000, 0, -1000}, t[6] = {0, 0, 1, 0, 1, 0}, dy[6], p[6];
    double l1 = rnn_head_loss(&c, y, t, dy, 1, 1.0);
    check("ce loss by hand", fabs(l1 - 0.40760596444438) < 1e-6);
    rk_real want[3] = {0.09003057317, 0.24472847106, 0.66524095577 - 1};
    check_close("ce dy = softmax - onehot", dy, want, 3, 1e-6);
    rnn_softmax_rows(p, y, 2, 3);
    rk_real wp[6] = {0.09003057317, 0.24472847106, 0.66524095577, 1, 0, 0};
    check_close("softmax rows", p, wp, 6, 1e-6);
    double l2 = rnn_head_loss(&c, y + 3, t + 3, dy + 3, 1, 0.5);
    check("ce loss of extreme logits is finite and exact", fabs(l2 - 1000) < 1e-3);
    check("ce dy scaled", fabs((double)dy[4] - (-0.5)) < 1e-6 && fabs((double)dy[3] - 0.5) < 1e-6);
    check("rnn_loss_norm", rnn_loss_norm(&c, 4) == 4.0);
    c.loss = RNN_LOSS_MSE;
    check("rnn_loss_norm mse", rnn_loss_norm(&c, 4) == 12.0);
    c.loss = RNN_LOSS_CE;
    c.nout = 1;
    check("ce needs 2 classes", rnn_config_check(&c) == -1);
    enum rnn_loss k;
    check("loss names", rnn_loss_parse("ce", &k) == 0 && k == RNN_LOSS_CE &&
                            strcmp(rnn_loss_name(RNN_LOSS_MSE), "mse") == 0 &&
                            rnn_loss_parse("x", &k) == -1);
}

/* Dropout between layers (rnn_work_set_dropout): p 0 is the plain step;
 * the masks depend on the window ids, not on the threads; training only
 * (rnn_forward ignores it); and in double, the gradient is that of the
 * masked loss (central differences of the same step's loss). */
static void test_dropout(void)
{
    struct rk_rng g;
    rk_rng_seed(&g, 13);
    for (size_t ci = 0; ci < NCASES; ci++) {
        int nin = 2, H = 5, nout = 2, B = 7, T = 6, L = 3;
        struct rnn_model m;
        make_model(&m, cases[ci].cell, cases[ci].act, nin, H, L, nout, 400 + ci, 1.5);
        size_t np = m.nparam;
        rk_real *x = xmalloc((size_t)B * T * nin * sizeof *x), *tg = xmalloc((size_t)B * nout * sizeof *x);
        rk_real *y1 = xmalloc((size_t)B * nout * sizeof *x), *y2 = xmalloc((size_t)B * nout * sizeof *x);
        fill_rand(&g, x, (size_t)B * T * nin, -1, 1);
        fill_rand(&g, tg, (size_t)B * nout, -1, 1);
        rk_real *g0 = xmalloc(np * sizeof *g0), *g1 = xmalloc(np * sizeof *g0), *g2 = xmalloc(np * sizeof *g0);
        uint64_t id[7] = {11, 3, 5, 70, 2, 9, 40};
        const char *cn = rk_cell_name(cases[ci].cell);
        char label[160];
        struct rnn_work *w1 = rnn_work_new(&m, B, T, 1), *w2 = rnn_work_new(&m, B, T, 3);
        double l0 = rnn_train_step_grad(&m, w1, g0, x, tg, B, T, 0);
        rnn_work_set_dropout(w1, 0, 99, id);
        double lz = rnn_train_step_grad(&m, w1, g1, x, tg, B, T, 0);
        snprintf(label, sizeof label, "dropout 0 is the plain step %s", cn);
        check(label, lz == l0 && memcmp(g1, g0, np * sizeof *g0) == 0);
        rnn_work_set_dropout(w1, 0.4, 99, id);
        rnn_work_set_dropout(w2, 0.4, 99, id);
        double l1 = rnn_train_step_grad(&m, w1, g1, x, tg, B, T, 0);
        double l2 = rnn_train_step_grad(&m, w2, g2, x, tg, B, T, 0);
        snprintf(label, sizeof label, "dropout 0.4 changes the loss %s: %.9g vs %.9g", cn, l1, l0);
        check(label, fabs(l1 - l0) > 1e-6);
        snprintf(label, sizeof label, "dropout: 1 and 3 threads, same masks %s: %.9g vs %.9g", cn, l1, l2);
        check(label, fabs(l1 - l2) <= TOL_FWD * fmax(1, l1));
        snprintf(label, sizeof label, "dropout grad 1 vs 3 threads %s", cn);
        check_close(label, g2, g1, np, TOL_FWD * 10);
        /* another key, other masks */
        rnn_work_set_dropout(w2, 0.4, 100, id);
        double l3 = rnn_train_step_grad(&m, w2, g2, x, tg, B, T, 0);
        snprintf(label, sizeof label, "dropout: another key, another loss %s", cn);
        check(label, fabs(l3 - l1) > 1e-6);
        /* forward never drops */
        rnn_forward(&m, w1, y1, x, B, T);
        rnn_forward_ref(&m, y2, x, B, T);
        snprintf(label, sizeof label, "dropout: rnn_forward does not drop %s", cn);
        check_close(label, y1, y2, (size_t)B * nout, TOL_FWD);
#ifdef RK_REAL_DOUBLE
        /* the gradient of the masked loss, bptt 0 and 2 */
        for (int bptt = 0; bptt <= 2; bptt += 2) {
            double worst = 0, eps = 1e-6;
            int bad = 0;
            rk_real *gn = xmalloc(np * sizeof *gn);
            rnn_train_step_grad(&m, w1, g1, x, tg, B, T, bptt);
            for (size_t i = 0; i < np; i++) {
                rk_real keep = m.param[i];
                /* a truncated gradient treats the early steps as fixed:
                 * compare only the last layer and head there */
                m.param[i] = keep + eps;
                double lp = rnn_train_step_grad(&m, w1, g2, x, tg, B, T, 0);
                m.param[i] = keep - eps;
                double lm = rnn_train_step_grad(&m, w1, g2, x, tg, B, T, 0);
                m.param[i] = keep;
                gn[i] = (lp - lm) / (2 * eps);
            }
            if (bptt == 0) {
                for (size_t i = 0; i < np; i++) {
                    double d = fabs(g1[i] - gn[i]);
                    worst = fmax(worst, d);
                    if (d > 1e-6 * fmax(1, fabs(g1[i]) + fabs(gn[i])))
                        bad = 1;
                }
                snprintf(label, sizeof label, "dropout 0.4 gradient %s L=%d: worst abs err %.2g", cn, L, worst);
                check(label, !bad);
                printf("%s\n", label);
            } else {
                /* the head's gradient does not depend on truncation */
                size_t fo = m.tensor[m.ntensor - 2].off;
                check_close("dropout head gradient with bptt 2", g1 + fo, gn + fo, np - fo, 1e-6);
            }
            free(gn);
        }
#endif
        rnn_work_free(w1);
        rnn_work_free(w2);
        free(g0);
        free(g1);
        free(g2);
        free(x);
        free(tg);
        free(y1);
        free(y2);
        rnn_model_release(&m);
    }
}

/* ---------------------------------------------------------------- optim */

/* float: 1 - 0.999 and the tiny v of Adam's later steps cost ~1e-6 (as
 * in test_optim's "adam second step") */
#ifdef RK_REAL_DOUBLE
#define TOL_OPT 1e-12
#define TOL_ADAM 1e-12
#else
#define TOL_OPT 1e-6
#define TOL_ADAM 1e-5
#endif

/* weight decay as torch.optim.AdamW (adam) and torch.optim.SGD's
 * weight_decay (sgd), on p = (1, -2, 0.5), g = (0.5, -1, 0) */
static void test_weight_decay(void)
{
    struct rk_optim o;
    const rk_real p0[3] = {1, -2, 0.5}, gr[3] = {0.5, -1, 0};
    rk_real p[3];

    /* AdamW, lr 0.1, wd 0.5: p *= 1 - 0.05, then the Adam step.  Step 1
     * moves by lr g/(|g| + 1e-8) (m^ = g, sqrt(v^) = |g|):
     *   0.95 - 0.1*0.5/(0.5+1e-8) = 0.850000002, -1.9 + 0.1/(1+1e-8),
     *   0.475 (g = 0: no Adam move, only the decay) */
    rk_optim_init(&o, RK_ADAM, 3, 0.1);
    o.weight_decay = 0.5;
    memcpy(p, p0, sizeof p);
    rk_optim_step(&o, p, gr);
    const rk_real a1[3] = {0.8500000019999999, -1.800000001, 0.475};
    check_close("adamw step 1", p, a1, 3, TOL_OPT);
    /* step 2, same g: m^ / sqrt(v^) is again g/|g|, so p = 0.95 p - 0.1 g/(|g|+1e-8) */
    rk_optim_step(&o, p, gr);
    const rk_real a2[3] = {0.7075000039000006, -1.6100000019500005, 0.45125};
    check_close("adamw step 2", p, a2, 3, TOL_ADAM);
    rk_optim_release(&o);

    /* a second gradient that differs: numbers from torch.optim.AdamW's
     * formulas evaluated in double (lr 0.1, wd 0.5, betas 0.9 0.999,
     * eps 1e-8), g2 = (-0.25, 2, 0.1) */
    rk_optim_init(&o, RK_ADAM, 3, 0.1);
    o.weight_decay = 0.5;
    memcpy(p, p0, sizeof p);
    rk_optim_step(&o, p, gr);
    const rk_real g2[3] = {-0.25, 2, 0.1};
    rk_optim_step(&o, p, g2);
    const rk_real a3[3] = {0.7808662986078463, -1.7466103534220747, 0.3768363281643529};
    check_close("adamw step 2, another g", p, a3, 3, TOL_ADAM);
    rk_optim_release(&o);

    /* SGD, lr 0.5, momentum 0.9, wd 0.1: d = g + 0.1 p
     *   step 1: d = (0.6, -1.2, 0.05) = b;  p = (0.7, -1.4, 0.475)
     *   step 2: d = (0.57, -1.14, 0.0475);  b = 0.9 b + d = (1.11, -2.22, 0.0925)
     *           p = (0.145, -0.29, 0.42875) */
    rk_optim_init(&o, RK_SGD, 3, 0.5);
    o.momentum = 0.9;
    o.weight_decay = 0.1;
    memcpy(p, p0, sizeof p);
    rk_optim_step(&o, p, gr);
    const rk_real s1[3] = {0.7, -1.4, 0.475};
    check_close("sgd weight decay step 1", p, s1, 3, TOL_OPT);
    rk_optim_step(&o, p, gr);
    const rk_real s2[3] = {0.145, -0.29, 0.42875};
    check_close("sgd weight decay step 2", p, s2, 3, TOL_OPT);
    rk_optim_release(&o);

    /* SGD without momentum: p -= 0.5 (g + 0.1 p) */
    rk_optim_init(&o, RK_SGD, 3, 0.5);
    o.weight_decay = 0.1;
    memcpy(p, p0, sizeof p);
    rk_optim_step(&o, p, gr);
    rk_optim_step(&o, p, gr);
    /* step 1 as above: (0.7, -1.4, 0.475); step 2: d = (0.57, -1.14, 0.0475) */
    const rk_real s3[3] = {0.415, -0.83, 0.45125};
    check_close("sgd weight decay, no momentum", p, s3, 3, TOL_OPT);
    rk_optim_release(&o);

    /* weight_decay 0 is the plain optimizer: test_optim's steps */
    check("weight decay defaults to 0", (rk_optim_init(&o, RK_ADAM, 1, 0.1), o.weight_decay == 0));
    rk_optim_release(&o);
}

static void test_optim(void)
{
    struct rk_optim o;
    check("optim init", rk_optim_init(&o, RK_ADAM, 3, 0.1) == 0);
    rk_real p[3] = {1, -2, 0.5}, gr[3] = {0.5, -1, 0};
    rk_real p0[3];
    memcpy(p0, p, sizeof p);
    rk_optim_step(&o, p, gr);
    /* first Adam step moves each weight by lr * sign(g) (for g != 0) */
    check("adam first step", fabs(p[0] - (p0[0] - 0.1)) < 1e-6 && fabs(p[1] - (p0[1] + 0.1)) < 1e-6 &&
                                 p[2] == p0[2]);
    rk_optim_step(&o, p, gr);
    /* second step, hand computed (constant gradient: m/sqrt(v) stays 1) */
    check("adam second step", fabs(p[0] - (p0[0] - 0.2)) < 1e-5 && o.t == 2);
    rk_optim_release(&o);
    check("sgd init", rk_optim_init(&o, RK_SGD, 3, 0.5) == 0);
    o.momentum = 0.9;
    memcpy(p, p0, sizeof p);
    rk_optim_step(&o, p, gr); /* buf = g */
    rk_optim_step(&o, p, gr); /* buf = 0.9 g + g */
    check("sgd momentum", fabs(p[0] - (p0[0] - 0.5 * 0.5 - 0.5 * 1.9 * 0.5)) < 1e-6);
    rk_optim_release(&o);

    test_weight_decay();

    rk_real g[4] = {3, 4, 0, 0};
    check("grad norm", fabs(rk_grad_norm(g, 4) - 5) < 1e-12);
    double n = rk_clip_norm(g, 4, 1.0);
    check("clip norm", fabs(n - 5) < 1e-12 && fabs(rk_grad_norm(g, 4) - 1) < 1e-5);
    n = rk_clip_norm(g, 4, 0);
    check("clip norm off", fabs(rk_grad_norm(g, 4) - 1) < 1e-5);
    rk_real v[3] = {-3, 0.5, 2};
    rk_clip_value(v, 3, 1);
    check("clip value", v[0] == -1 && v[1] == (rk_real)0.5 && v[2] == 1);
}

/* small end-to-end training: loss must drop a lot */
static void test_training(void)
{
    struct rnn_model m;
    make_model(&m, RK_LSTM, RK_TANH, 1, 16, 1, 1, 11, 1.0);
    int B = 16, T = 12;
    struct rk_rng g;
    rk_rng_seed(&g, 12);
    rk_real *x = xmalloc((size_t)B * T * sizeof *x), *tg = xmalloc((size_t)B * sizeof *x);
    rk_real *grad = xmalloc(m.nparam * sizeof *grad);
    struct rnn_work *w = rnn_work_new(&m, B, T, 2);
    struct rk_optim o;
    rk_optim_init(&o, RK_ADAM, m.nparam, 0.01);
    double first = 0, last = 0;
    for (int it = 0; it < 300; it++) {
        /* target: mean of the window */
        fill_rand(&g, x, (size_t)B * T, -1, 1);
        for (int b = 0; b < B; b++) {
            double s = 0;
            for (int t = 0; t < T; t++)
                s += x[b * T + t];
            tg[b] = (rk_real)(s / T);
        }
        double l = rnn_train_step_grad(&m, w, grad, x, tg, B, T, 0);
        rk_clip_norm(grad, m.nparam, 1.0);
        rk_optim_step(&o, m.param, grad);
        if (it < 10)
            first += l / 10;
        if (it >= 290)
            last += l / 10;
    }
    char label[96];
    snprintf(label, sizeof label, "training lstm: loss %.4g -> %.4g", first, last);
    check(label, last < 0.2 * first);
    rk_optim_release(&o);
    rnn_work_free(w);
    free(x);
    free(tg);
    free(grad);
    rnn_model_release(&m);
}


/* ---------------------------------------------------------------- seq */

/* many to many (rnn_seq_*): every cell, 1 and 2 layers, MSE and CE, from
 * a nonzero state: loss, outputs and final state against the reference;
 * the same bits at 1 and 3 threads (B = 20: two shards) and for the state
 * carried in place; two chunks with the state carried = one chunk (the
 * forward); rnn_state_step from the same state = the outputs; with
 * doubles, the gradient check */
static void test_seq(void)
{
    struct rk_rng g;
    rk_rng_seed(&g, 29);
    for (size_t ci = 0; ci < NCASES; ci++)
        for (int L = 1; L <= 2; L++)
            for (int ce = 0; ce <= 1; ce++) {
                int nin = 3, H = 6, nout = ce ? 4 : 2, B = 20, T = 7, T1 = 3;
                struct rnn_model m;
                make_model(&m, cases[ci].cell, cases[ci].act, nin, H, L, nout, 700 + ci, 1.5);
                m.cfg.loss = ce ? RNN_LOSS_CE : RNN_LOSS_MSE;
                size_t np = m.nparam, ns = (size_t)L * B * H, ny = (size_t)B * T * nout;
                rk_real *x = xmalloc((size_t)B * T * nin * sizeof *x), *tg = xmalloc(ny * sizeof *x);
                rk_real *h0 = xmalloc(ns * sizeof *x), *c0 = xmalloc(ns * sizeof *x);
                rk_real *hT = xmalloc(ns * sizeof *x), *cT = xmalloc(ns * sizeof *x);
                rk_real *hr = xmalloc(ns * sizeof *x), *cr = xmalloc(ns * sizeof *x);
                rk_real *y = xmalloc(ny * sizeof *x), *yr = xmalloc(ny * sizeof *x);
                rk_real *g1 = xmalloc(np * sizeof *x), *g3 = xmalloc(np * sizeof *x);
                fill_rand(&g, x, (size_t)B * T * nin, -1.5, 1.5);
                fill_rand(&g, h0, ns, -0.8, 0.8);
                fill_rand(&g, c0, ns, -1.5, 1.5);
                if (ce) { /* one-hot rows, one soft */
                    memset(tg, 0, ny * sizeof *tg);
                    for (size_t r = 0; r < (size_t)B * T; r++)
                        tg[r * nout + rk_rng_below(&g, (uint64_t)nout)] = 1;
                    fill_rand(&g, tg, (size_t)nout, 0, 0.5);
                } else {
                    fill_rand(&g, tg, ny, -1, 1);
                }
                char label[160], base[96];
                snprintf(base, sizeof base, "seq %s/%s L=%d %s", rk_cell_name(cases[ci].cell),
                         rk_act_name(cases[ci].act), L, ce ? "ce" : "mse");
                int lstm = cases[ci].cell == RK_LSTM;
                double lr = rnn_seq_loss_ref(&m, m.param, x, tg, B, T, h0, c0, yr, hr, cr);
                struct rnn_work *w1 = rnn_work_new_seq(&m, B, T, 1), *w3 = rnn_work_new_seq(&m, B + 3, T, 3);
                double l1 = rnn_seq_step_grad(&m, w1, g1, x, tg, B, T, h0, c0, hT, cT);
                snprintf(label, sizeof label, "%s: loss %.9g vs ref %.9g", base, l1, lr);
                check(label, fabs(l1 - lr) <= TOL_FWD * fmax(1, lr));
                snprintf(label, sizeof label, "%s: final h vs ref", base);
                check_close(label, hT, hr, ns, TOL_FWD);
                if (lstm) {
                    snprintf(label, sizeof label, "%s: final c vs ref", base);
                    check_close(label, cT, cr, ns, TOL_FWD);
                }
                double lf = rnn_seq_forward(&m, w3, y, x, tg, B, T, h0, c0, NULL, NULL);
                snprintf(label, sizeof label, "%s: forward outputs vs ref", base);
                check_close(label, y, yr, ny, TOL_FWD);
                snprintf(label, sizeof label, "%s: forward loss = step loss", base);
                check(label, lf == l1);
                /* threads and the state carried in place */
                memcpy(hr, h0, ns * sizeof *hr);
                memcpy(cr, c0, ns * sizeof *cr);
                double l3 = rnn_seq_step_grad(&m, w3, g3, x, tg, B, T, hr, cr, hr, cr);
                snprintf(label, sizeof label, "%s: 3 threads, in place = 1 thread, same bits", base);
                check(label, l3 == l1 && memcmp(g1, g3, np * sizeof *g1) == 0 &&
                                 memcmp(hr, hT, ns * sizeof *hr) == 0 &&
                                 (!lstm || memcmp(cr, cT, ns * sizeof *cr) == 0));
                /* two chunks, the state carried: x (B, T) as (B, T1) + (B, T-T1) */
                {
                    int T2 = T - T1;
                    rk_real *xa = xmalloc((size_t)B * T * nin * sizeof *x), *xb = xa + (size_t)B * T1 * nin;
                    rk_real *ya = xmalloc(ny * sizeof *x), *yb = ya + (size_t)B * T1 * nout;
                    for (int b = 0; b < B; b++) {
                        memcpy(xa + (size_t)b * T1 * nin, x + (size_t)b * T * nin, (size_t)T1 * nin * sizeof *x);
                        memcpy(xb + (size_t)b * T2 * nin, x + ((size_t)b * T + T1) * nin, (size_t)T2 * nin * sizeof *x);
                    }
                    memcpy(hr, h0, ns * sizeof *hr);
                    memcpy(cr, c0, ns * sizeof *cr);
                    rnn_seq_forward(&m, w1, ya, xa, NULL, B, T1, hr, cr, hr, cr);
                    rnn_seq_forward(&m, w1, yb, xb, NULL, B, T2, hr, cr, hr, cr);
                    int ok = 1;
                    for (int b = 0; b < B && ok; b++)
                        for (int t = 0; t < T && ok; t++) {
                            const rk_real *u = t < T1 ? ya + ((size_t)b * T1 + t) * nout
                                                      : yb + ((size_t)b * T2 + t - T1) * nout;
                            for (int o = 0; o < nout; o++)
                                ok = ok && fabs((double)u[o] - (double)y[((size_t)b * T + t) * nout + o]) <=
                                               TOL_FWD * fmax(1, fabs((double)u[o]));
                        }
                    snprintf(label, sizeof label, "%s: two chunks carried = one", base);
                    check(label, ok);
                    snprintf(label, sizeof label, "%s: two chunks' final state", base);
                    check_close(label, hr, hT, ns, TOL_FWD);
                    free(xa);
                    free(ya);
                }
                /* streaming from the same state */
                {
                    struct rnn_state st;
                    rnn_state_init(&st, &m, B);
                    memcpy(st.h, h0, ns * sizeof *h0);
                    if (st.c)
                        memcpy(st.c, c0, ns * sizeof *c0);
                    rk_real *xt = xmalloc((size_t)B * nin * sizeof *x), *yt = xmalloc((size_t)B * nout * sizeof *x);
                    int ok = 1;
                    for (int t = 0; t < T; t++) {
                        for (int b = 0; b < B; b++)
                            memcpy(xt + (size_t)b * nin, x + ((size_t)b * T + t) * nin, (size_t)nin * sizeof *x);
                        rnn_state_step(&m, &st, xt);
                        rnn_state_output(&m, &st, yt);
                        for (int b = 0; b < B; b++)
                            for (int o = 0; o < nout; o++) {
                                double a = yt[(size_t)b * nout + o], r = yr[((size_t)b * T + t) * nout + o];
                                ok = ok && fabs(a - r) <= TOL_FWD * fmax(1, fabs(r));
                            }
                    }
                    snprintf(label, sizeof label, "%s: rnn_state_step from the state = outputs", base);
                    check(label, ok);
                    snprintf(label, sizeof label, "%s: rnn_state_step's final state", base);
                    check_close(label, st.h, hT, ns, TOL_FWD);
                    rnn_state_release(&st);
                    free(xt);
                    free(yt);
                }
                /* a zero state differs from this one; a window work is refused */
                double lz = rnn_seq_forward(&m, w1, NULL, x, tg, B, T, NULL, NULL, NULL, NULL);
                double lzr = rnn_seq_loss_ref(&m, m.param, x, tg, B, T, NULL, NULL, NULL, NULL, NULL);
                snprintf(label, sizeof label, "%s: zero state vs ref", base);
                check(label, fabs(lz - lzr) <= TOL_FWD * fmax(1, lzr) && lz != l1);
                struct rnn_work *ww = rnn_work_new(&m, B, T, 1);
                check("seq: a window work is refused",
                      rnn_seq_step_grad(&m, ww, g3, x, tg, B, T, h0, c0, hT, cT) == -1 &&
                          rnn_seq_forward(&m, w1, y, x, tg, B + 1, T, h0, c0, hT, cT) == -1);
                rnn_work_free(ww);
#ifdef RK_REAL_DOUBLE
                {
                    int Bg = 3, Tg = 4;
                    struct gc_row rows[4 * 2 + 2];
                    /* h0, c0 laid out (L, Bg, H): the first Bg*H of each layer */
                    rk_real *hg = xmalloc((size_t)L * Bg * H * sizeof *x), *cg = xmalloc((size_t)L * Bg * H * sizeof *x);
                    rk_real *xg = xmalloc((size_t)Bg * Tg * nin * sizeof *x), *tgg = xmalloc((size_t)Bg * Tg * nout * sizeof *x);
                    fill_rand(&g, hg, (size_t)L * Bg * H, -0.8, 0.8);
                    fill_rand(&g, cg, (size_t)L * Bg * H, -1.5, 1.5);
                    memcpy(xg, x, (size_t)Bg * Tg * nin * sizeof *x);
                    memcpy(tgg, tg, (size_t)Bg * Tg * nout * sizeof *x);
                    int nf = rnn_seq_gradcheck(&m, xg, tgg, Bg, Tg, hg, cg, 1e-5, 1e-6, rows);
                    snprintf(label, sizeof label, "%s: gradcheck", base);
                    check(label, nf == 0);
                    for (size_t i = 0; nf != 0 && i < m.ntensor; i++)
                        printf("  %-14s max_abs %.3g max_rel %.3g %s\n", rows[i].name,
                               rows[i].max_abs, rows[i].max_rel, rows[i].pass ? "ok" : "FAIL");
                    free(hg);
                    free(cg);
                    free(xg);
                    free(tgg);
                }
#endif
                rnn_work_free(w1);
                rnn_work_free(w3);
                free(x); free(tg); free(h0); free(c0); free(hT); free(cT); free(hr); free(cr);
                free(y); free(yr); free(g1); free(g3);
                rnn_model_release(&m);
            }
}

/* ---------------------------------------------------------------- bench */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int bench(int argc, char **argv)
{
    enum rk_cell cell = RK_LSTM;
    if (argc > 2 && rk_cell_parse(argv[2], &cell) != 0)
        return 2;
    int H = argc > 3 ? atoi(argv[3]) : 128, T = argc > 4 ? atoi(argv[4]) : 50;
    int B = argc > 5 ? atoi(argv[5]) : 32, nt = argc > 6 ? atoi(argv[6]) : 1;
    double secs = argc > 7 ? atof(argv[7]) : 3;
    struct rnn_model m;
    make_model(&m, cell, RK_TANH, 1, H, 1, 1, 1, 1.0);
    struct rk_rng g;
    rk_rng_seed(&g, 1);
    rk_real *x = xmalloc((size_t)B * T * sizeof *x), *tg = xmalloc((size_t)B * sizeof *x);
    rk_real *grad = xmalloc(m.nparam * sizeof *grad);
    fill_rand(&g, x, (size_t)B * T, -1, 1);
    fill_rand(&g, tg, (size_t)B, -1, 1);
    struct rnn_work *w = rnn_work_new(&m, B, T, nt);
    struct rk_optim o;
    rk_optim_init(&o, RK_ADAM, m.nparam, 1e-3);
    for (int i = 0; i < 5; i++) { /* warm up */
        rnn_train_step_grad(&m, w, grad, x, tg, B, T, 0);
        rk_optim_step(&o, m.param, grad);
    }
    long steps = 0;
    double t0 = now(), t1;
    do {
        rnn_train_step_grad(&m, w, grad, x, tg, B, T, 0);
        rk_optim_step(&o, m.param, grad);
        steps++;
        t1 = now();
    } while (t1 - t0 < secs);
    printf("rnnkit %s H=%d T=%d B=%d nin=1 nout=1 adam threads=%d kernel=%s: %.1f windows/s "
           "(%.3f ms/step)\n",
           rk_cell_name(cell), H, T, B, nt, rk_gemm_kernel_name(), (double)steps * B / (t1 - t0),
           1e3 * (t1 - t0) / (double)steps);
    rk_optim_release(&o);
    rnn_work_free(w);
    free(x);
    free(tg);
    free(grad);
    rnn_model_release(&m);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--bench") == 0)
        return bench(argc, argv);
    /* --gemm: the kernels alone (make check's sanitized build runs the
     * whole test at the best level, the kernels at the others) */
    if (argc > 1 && strcmp(argv[1], "--gemm") == 0) {
        test_gemm();
        test_gemm_packed();
        test_gemm_onehot();
        printf("test_rnn --gemm (%s, gemm kernel %s): %d checks, %d failures\n",
               RK_REAL_NAME, rk_gemm_kernel_name(), ncheck, nfail);
        return nfail ? 1 : 0;
    }
    test_rng();
    test_gemm();
    test_gemm_packed();
    test_gemm_onehot();
    test_model_basics();
    test_forward();
    test_forward_bits();
    test_grad_threads();
    test_big_net_threads();
    test_shards();
    test_seq_team();
    test_ranks();
    test_seq();
    test_seq_ranks();
    test_dropout();
#ifdef RK_REAL_DOUBLE
    test_gradcheck();
    test_gradcheck_ce();
    test_gradcheck_onehot();
#endif
    test_ce_head();
    test_optim();
    test_training();
    printf("test_rnn (%s, gemm kernel %s): %d checks, %d failures\n", RK_REAL_NAME,
           rk_gemm_kernel_name(), ncheck, nfail);
    return nfail ? 1 : 0;
}
