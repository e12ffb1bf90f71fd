/* rnn_train.c - fast forward / truncated BPTT for minibatches, thread pool,
 * streaming inference.
 *
 * A minibatch of B windows is cut into S = rnn_shards(B) shards of
 * ceil(B/S) windows (the last one shorter); threads take whole shards
 * (or, fewer shards than threads, work on each as a team: below,
 * "teams").  Each shard's forward and backward run alone in its
 * thread's buffers; its gradient goes to its own buffer (shard 0: the
 * caller's) and the loss to its own double, and the shards are summed in
 * shard order afterwards (in parallel over parameter ranges), so nothing
 * depends on the number of threads.  With ranks (rnn_work_set_ranks) a
 * training job computes only this rank's block of shards, from the
 * rank's windows alone, into its slots of sgrad (which then holds every
 * shard, shard 0 too); share_shards() brings the other blocks in with
 * one allgather, shard 0 is copied to the caller's grad, and the same
 * ordered sum follows.  A sequence job on ranks: x, target and the
 * dropout ids hold the rank's streams from stream xoff on (th->b0 counts
 * from there), the state h0..cT is the whole batch's (rows b0 + xoff..),
 * and share_shards() then gives every rank every stream's h_T, c_T with
 * one allgather per layer (each, h and c).
 *
 * Per shard of Bc windows, everything is time-major:
 *   X0  (T, Bc, nin)      input copy
 *   G   (T, Bc, GH)       per layer: gate pre-activations, overwritten by
 *                         the gate activations (i,f,g,o / r,z,n)
 *   Hs  (T+1, Bc, H)      per layer: h_0 = 0, h_1 .. h_T
 *   Cs  (T+1, Bc, H)      per layer (lstm): c_0 = 0, c_1 .. c_T
 *   AUX (T, Bc, H)        per layer: lstm tanh(c_t), gru r.h_{t-1},
 *                         gru-torch W_hn h_{t-1} + b_hn
 * Forward per layer: G = bias + X W_ih^T for all steps (one gemm), then per
 * step one hidden gemm (two for gru) and a fused point-wise kernel.
 * Backward per layer, t = T .. T-K+1: point-wise kernel to gate gradients
 * dXG (T, Bc, GH) (and dHG for gru-torch), one gemm per step for dh_{t-1};
 * elman and lstm write dXG in G's place (step t's gate gradients replace
 * G_t, read by step t only: one 4 H T Bc buffer fewer, 6.5 MB a thread
 * at H = 512, T Bc = 800; measured alone 3% off a --mode seq epoch at 2
 * threads, about 1% at 1); after the sweep the weight gradients are
 * gemms over all steps at once, C (GH, N) += dG^T (GH, T Bc) X (T Bc, N),
 * and the input gradient (for the layer below) is one gemm.  At N >= RK_GEMM_TALL_N the
 * weight gradients multiply by a copy of X packed once (wgrad, th->PX),
 * so that rk_gemm_packed takes the tall order (gemm.h).  Measured at H =
 * 512, --mode seq, 32 streams, --bptt 50, alternating with the version
 * before (10 pairs each, a loaded machine): these products, the kernel's
 * prefetch of C (gemm.c) and dG in G's place took the median epoch 4%
 * shorter at 1 thread, 11% at 2 (CPU time 4% and 9%).
 * A sequence job (rnn_seq_*, a work from rnn_work_new_seq): h_0, c_0 of
 * each layer are the shard's rows of the caller's state (the gemms of
 * h_0 are then not skipped), the head runs at every step (Y, dY (T, Bc,
 * nout), one gemm each way), the top layer's dh from the head, dY W_out,
 * goes into dHext as a layer above would put it, backprop runs over all T
 * steps, and h_T, c_T go back to the caller's state.
 * One-hot inputs (onehot_rows: every row of a shard's X0 one-hot or 0,
 * nin >= ONEHOT_MIN_NIN): layer 0's input gemm and its weight gradient
 * gemm become rk_gemm_onehot_a/_b on the indices th->oh, with the same
 * bits (gemm.h); a character model then spends nothing on its V-wide
 * input beyond reading it once.
 * Weights: before each job W_ih is transposed (WihT) and W_hh packed
 * (rk_gemm_pack_b) as the operand of the per-step gemms, PF for the
 * forward's h_{t-1} W_hh^T, PB for the backward's dG W_hh (training jobs
 * only): the kernel then reads W_hh as contiguous panels instead of rows
 * 4 GH or 4 H bytes apart (measured at H = 512, [16 x 512][512 x 2048]:
 * 94 -> 108 GFLOP/s), with the same bits (gemm.h).
 * Threads: per job one wake-up of the pool (run_all) for the shards; for
 * nparam >= PREPARE_PAR_MIN one more before it to transpose and pack the
 * weights (job 5, rows split over the threads), and when the shard gradients
 * hold 2^18 values or more one after it to sum them (job 2, parameters
 * split); both element-wise.
 */
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include "gemm.h"
#include "rnn_internal.h"

/* ------------------------------------------------------------------------ */
/* point-wise kernels: row functions (restrict, vectorized by RK_PW_LOOP),
 * batch loops (_impl), per-CPU instantiation (RK_DISPATCH)                  */

/* dst (rows, n) = v (n) broadcast */
static void fill_rows(rk_real *restrict dst, const rk_real *restrict v, size_t rows, size_t n)
{
    for (size_t r = 0; r < rows; r++)
        memcpy(dst + r * n, v, n * sizeof *v);
}

/* y (n) += x (n) */
RK_AI void vec_add_impl(rk_real *restrict y, const rk_real *restrict x, size_t n)
{
    RK_PW_LOOP(n, y[j] += x[j];);
}
RK_DISPATCH(vec_add, (rk_real *restrict y, const rk_real *restrict x, size_t n), (y, x, n))

/* g (n) += sum over rows of A (rows, n) row stride lda, rows in order */
RK_AI void colsum_acc_impl(rk_real *restrict g, const rk_real *restrict A, size_t rows, size_t n,
                           size_t lda)
{
    for (size_t r = 0; r < rows; r++)
        vec_add_impl(g, A + r * lda, n);
}
RK_DISPATCH(colsum_acc,
            (rk_real *restrict g, const rk_real *restrict A, size_t rows, size_t n, size_t lda),
            (g, A, rows, n, lda))

/* h (n) = f(G (n)) */
RK_AI void pw_elman_fwd_impl(rk_real *restrict h, const rk_real *restrict G, size_t n, int act)
{
    if (act == RK_TANH)
        RK_PW_LOOP(n, h[j] = rk_ftanh(G[j]););
    else if (act == RK_SIGMOID)
        RK_PW_LOOP(n, h[j] = rk_fsigm(G[j]););
    else
        RK_PW_LOOP(n, h[j] = G[j] > 0 ? G[j] : 0;);
}
RK_DISPATCH(pw_elman_fwd, (rk_real *restrict h, const rk_real *restrict G, size_t n, int act),
            (h, G, n, act))

/* dG (n) = dh (n) * f'(.) expressed with h (n) */
RK_AI void pw_elman_bwd_impl(rk_real *restrict dG, const rk_real *restrict dh,
                             const rk_real *restrict h, size_t n, int act)
{
    if (act == RK_TANH)
        RK_PW_LOOP(n, dG[j] = dh[j] * (1 - h[j] * h[j]););
    else if (act == RK_SIGMOID)
        RK_PW_LOOP(n, dG[j] = dh[j] * (h[j] * (1 - h[j])););
    else
        RK_PW_LOOP(n, dG[j] = h[j] > 0 ? dh[j] : 0;);
}
RK_DISPATCH(pw_elman_bwd,
            (rk_real *restrict dG, const rk_real *restrict dh, const rk_real *restrict h, size_t n,
             int act),
            (dG, dh, h, n, act))

/* one row: gi,gf,gg,go (H) pre-activations -> i,f,g,o; c, tc, h (H) out; cp (H) in */
RK_AI void lstm_fwd_row(rk_real *restrict gi, rk_real *restrict gf, rk_real *restrict gg,
                        rk_real *restrict go, rk_real *restrict c, rk_real *restrict tc,
                        rk_real *restrict h, const rk_real *restrict cp, size_t H)
{
    RK_PW_LOOP(H,
               rk_real i_ = rk_fsigm(gi[j]);
               rk_real f_ = rk_fsigm(gf[j]);
               rk_real g_ = rk_ftanh(gg[j]);
               rk_real o_ = rk_fsigm(go[j]);
               rk_real c_ = f_ * cp[j] + i_ * g_;
               rk_real t_ = rk_ftanh(c_);
               gi[j] = i_; gf[j] = f_; gg[j] = g_; go[j] = o_;
               c[j] = c_; tc[j] = t_; h[j] = o_ * t_;);
}
/* G (Bc, 4H) pre-activations -> i,f,g,o in place; c, tc = tanh(c), h
 * (Bc, H) out; cp (Bc, H) = c_{t-1} in */
RK_AI void pw_lstm_fwd_impl(rk_real *G, rk_real *c, rk_real *tc, rk_real *h, const rk_real *cp,
                            size_t Bc, size_t H)
{
    for (size_t b = 0; b < Bc; b++) {
        rk_real *g = G + b * 4 * H;
        lstm_fwd_row(g, g + H, g + 2 * H, g + 3 * H, c + b * H, tc + b * H, h + b * H,
                     cp + b * H, H);
    }
}
RK_DISPATCH(pw_lstm_fwd,
            (rk_real *G, rk_real *c, rk_real *tc, rk_real *h, const rk_real *cp, size_t Bc,
             size_t H),
            (G, c, tc, h, cp, Bc, H))

/* one row: the activations i,f,g,o (H each) in, their gradients out in
 * their place */
RK_AI void lstm_bwd_row(rk_real *restrict gi, rk_real *restrict gf, rk_real *restrict gg,
                        rk_real *restrict go, rk_real *restrict dc, const rk_real *restrict dh,
                        const rk_real *restrict tc, const rk_real *restrict cp, size_t H)
{
    RK_PW_LOOP(H,
               rk_real i_ = gi[j], f_ = gf[j], g_ = gg[j], o_ = go[j], t_ = tc[j];
               rk_real dh_ = dh[j];
               rk_real dcc = dc[j] + dh_ * o_ * (1 - t_ * t_);
               go[j] = dh_ * t_ * (o_ * (1 - o_));
               gi[j] = dcc * g_ * (i_ * (1 - i_));
               gg[j] = dcc * i_ * (1 - g_ * g_);
               gf[j] = dcc * cp[j] * (f_ * (1 - f_));
               dc[j] = dcc * f_;);
}
/* G (Bc, 4H) in: activations, out: their gradients dG (in place); dc (Bc,
 * H) in: dL/dc_t from step t+1, out: dL/dc_{t-1}; dh (Bc, H), tc (Bc, H),
 * cp (Bc, H) in */
RK_AI void pw_lstm_bwd_impl(rk_real *G, rk_real *dc, const rk_real *dh, const rk_real *tc,
                            const rk_real *cp, size_t Bc, size_t H)
{
    for (size_t b = 0; b < Bc; b++) {
        rk_real *g = G + b * 4 * H;
        lstm_bwd_row(g, g + H, g + 2 * H, g + 3 * H, dc + b * H, dh + b * H, tc + b * H,
                     cp + b * H, H);
    }
}
RK_DISPATCH(pw_lstm_bwd,
            (rk_real *G, rk_real *dc, const rk_real *dh, const rk_real *tc, const rk_real *cp,
             size_t Bc, size_t H),
            (G, dc, dh, tc, cp, Bc, H))

RK_AI void gru_rz_row(rk_real *restrict gr, rk_real *restrict gz, rk_real *restrict rh,
                      const rk_real *restrict hp, size_t H)
{
    RK_PW_LOOP(H,
               rk_real r_ = rk_fsigm(gr[j]);
               gr[j] = r_;
               gz[j] = rk_fsigm(gz[j]);
               rh[j] = r_ * hp[j];);
}
/* gru (seed): G (Bc, 3H) r,z pre-activations -> activations in place;
 * rh (Bc, H) = r . hp out; hp (Bc, H) in */
RK_AI void pw_gru_rz_impl(rk_real *G, rk_real *rh, const rk_real *hp, size_t Bc, size_t H)
{
    for (size_t b = 0; b < Bc; b++)
        gru_rz_row(G + b * 3 * H, G + b * 3 * H + H, rh + b * H, hp + b * H, H);
}
RK_DISPATCH(pw_gru_rz, (rk_real *G, rk_real *rh, const rk_real *hp, size_t Bc, size_t H),
            (G, rh, hp, Bc, H))

RK_AI void gru_n_row(rk_real *restrict h, const rk_real *restrict gz, rk_real *restrict gn,
                     const rk_real *restrict hp, size_t H)
{
    RK_PW_LOOP(H,
               rk_real n_ = rk_ftanh(gn[j]);
               rk_real z_ = gz[j];
               gn[j] = n_;
               h[j] = (1 - z_) * hp[j] + z_ * n_;);
}
/* gru (seed): G n part pre-activation -> n in place; h (Bc, H) out;
 * z from G; hp (Bc, H) in */
RK_AI void pw_gru_n_impl(rk_real *h, rk_real *G, const rk_real *hp, size_t Bc, size_t H)
{
    for (size_t b = 0; b < Bc; b++)
        gru_n_row(h + b * H, G + b * 3 * H + H, G + b * 3 * H + 2 * H, hp + b * H, H);
}
RK_DISPATCH(pw_gru_n, (rk_real *h, rk_real *G, const rk_real *hp, size_t Bc, size_t H),
            (h, G, hp, Bc, H))

RK_AI void gru_bwd1_row(rk_real *restrict dz, rk_real *restrict dn, rk_real *restrict dhp,
                        const rk_real *restrict dh, const rk_real *restrict gz,
                        const rk_real *restrict gn, const rk_real *restrict hp, size_t H)
{
    RK_PW_LOOP(H,
               rk_real z_ = gz[j], n_ = gn[j], d_ = dh[j];
               dn[j] = d_ * z_ * (1 - n_ * n_);
               dz[j] = d_ * (n_ - hp[j]) * (z_ * (1 - z_));
               dhp[j] = d_ * (1 - z_););
}
/* gru (seed) backward, part 1: dG z,n parts (Bc, 3H) out; dhp (Bc, H) out:
 * direct part dh.(1-z); dh (Bc, H), G (Bc, 3H), hp (Bc, H) in */
RK_AI void pw_gru_bwd1_impl(rk_real *dG, rk_real *dhp, const rk_real *dh, const rk_real *G,
                            const rk_real *hp, size_t Bc, size_t H)
{
    for (size_t b = 0; b < Bc; b++)
        gru_bwd1_row(dG + b * 3 * H + H, dG + b * 3 * H + 2 * H, dhp + b * H, dh + b * H,
                     G + b * 3 * H + H, G + b * 3 * H + 2 * H, hp + b * H, H);
}
RK_DISPATCH(pw_gru_bwd1,
            (rk_real *dG, rk_real *dhp, const rk_real *dh, const rk_real *G, const rk_real *hp,
             size_t Bc, size_t H),
            (dG, dhp, dh, G, hp, Bc, H))

RK_AI void gru_bwd2_row(rk_real *restrict dr, rk_real *restrict dhp, const rk_real *restrict drh,
                        const rk_real *restrict gr, const rk_real *restrict hp, size_t H)
{
    RK_PW_LOOP(H,
               rk_real r_ = gr[j], x_ = drh[j];
               dr[j] = x_ * hp[j] * (r_ * (1 - r_));
               dhp[j] += x_ * r_;);
}
/* gru (seed) backward, part 2: dG r part out; dhp (Bc, H) in/out += drh.r;
 * drh (Bc, H) = dL/d(r.h), G, hp in */
RK_AI void pw_gru_bwd2_impl(rk_real *dG, rk_real *dhp, const rk_real *drh, const rk_real *G,
                            const rk_real *hp, size_t Bc, size_t H)
{
    for (size_t b = 0; b < Bc; b++)
        gru_bwd2_row(dG + b * 3 * H, dhp + b * H, drh + b * H, G + b * 3 * H, hp + b * H, H);
}
RK_DISPATCH(pw_gru_bwd2,
            (rk_real *dG, rk_real *dhp, const rk_real *drh, const rk_real *G, const rk_real *hp,
             size_t Bc, size_t H),
            (dG, dhp, drh, G, hp, Bc, H))

RK_AI void grut_fwd_row(rk_real *restrict h, rk_real *restrict gr, rk_real *restrict gz,
                        rk_real *restrict gn, const rk_real *restrict hn,
                        const rk_real *restrict hp, size_t H)
{
    RK_PW_LOOP(H,
               rk_real r_ = rk_fsigm(gr[j]);
               rk_real z_ = rk_fsigm(gz[j]);
               rk_real n_ = rk_ftanh(gn[j] + r_ * hn[j]);
               gr[j] = r_; gz[j] = z_; gn[j] = n_;
               h[j] = (1 - z_) * n_ + z_ * hp[j];);
}
/* gru-torch: G (Bc, 3H) (x part + biases; r,z also hidden part) -> r,z,n in
 * place; hn (Bc, H) = W_hn h + b_hn in; h (Bc, H) out; hp (Bc, H) in */
RK_AI void pw_grut_fwd_impl(rk_real *h, rk_real *G, const rk_real *hn, const rk_real *hp,
                            size_t Bc, size_t H)
{
    for (size_t b = 0; b < Bc; b++) {
        rk_real *g = G + b * 3 * H;
        grut_fwd_row(h + b * H, g, g + H, g + 2 * H, hn + b * H, hp + b * H, H);
    }
}
RK_DISPATCH(pw_grut_fwd,
            (rk_real *h, rk_real *G, const rk_real *hn, const rk_real *hp, size_t Bc, size_t H),
            (h, G, hn, hp, Bc, H))

RK_AI void grut_bwd_row(rk_real *restrict xr, rk_real *restrict xz, rk_real *restrict xn,
                        rk_real *restrict hr, rk_real *restrict hz, rk_real *restrict hnn,
                        rk_real *restrict dhp, const rk_real *restrict dh,
                        const rk_real *restrict gr, const rk_real *restrict gz,
                        const rk_real *restrict gn, const rk_real *restrict hn,
                        const rk_real *restrict hp, size_t H)
{
    RK_PW_LOOP(H,
               rk_real r_ = gr[j], z_ = gz[j], n_ = gn[j], d_ = dh[j];
               rk_real dn_ = d_ * (1 - z_) * (1 - n_ * n_);
               rk_real dz_ = d_ * (hp[j] - n_) * (z_ * (1 - z_));
               rk_real dr_ = dn_ * hn[j] * (r_ * (1 - r_));
               xr[j] = dr_; xz[j] = dz_; xn[j] = dn_;
               hr[j] = dr_; hz[j] = dz_; hnn[j] = dn_ * r_;
               dhp[j] = d_ * z_;);
}
/* gru-torch backward: dXG (Bc, 3H) input side and dHG (Bc, 3H) hidden side
 * pre-activation gradients out; dhp (Bc, H) out: direct part dh.z;
 * dh, G (activations), hn, hp in */
RK_AI void pw_grut_bwd_impl(rk_real *dXG, rk_real *dHG, rk_real *dhp, const rk_real *dh,
                            const rk_real *G, const rk_real *hn, const rk_real *hp, size_t Bc,
                            size_t H)
{
    for (size_t b = 0; b < Bc; b++) {
        rk_real *x = dXG + b * 3 * H, *y = dHG + b * 3 * H;
        const rk_real *g = G + b * 3 * H;
        grut_bwd_row(x, x + H, x + 2 * H, y, y + H, y + 2 * H, dhp + b * H, dh + b * H, g, g + H,
                     g + 2 * H, hn + b * H, hp + b * H, H);
    }
}
RK_DISPATCH(pw_grut_bwd,
            (rk_real *dXG, rk_real *dHG, rk_real *dhp, const rk_real *dh, const rk_real *G,
             const rk_real *hn, const rk_real *hp, size_t Bc, size_t H),
            (dXG, dHG, dhp, dh, G, hn, hp, Bc, H))

/* WT (cols, rows) = W (rows, cols)^T, the rows lo .. hi-1 of W */
static void transpose(rk_real *restrict WT, const rk_real *restrict W, size_t rows, size_t cols,
                      size_t lo, size_t hi)
{
    for (size_t r0 = lo; r0 < hi; r0 += 32)
        for (size_t c0 = 0; c0 < cols; c0 += 32) {
            size_t r1 = r0 + 32 < hi ? r0 + 32 : hi, c1 = c0 + 32 < cols ? c0 + 32 : cols;
            for (size_t r = r0; r < r1; r++)
                for (size_t c = c0; c < c1; c++)
                    WT[c * rows + r] = W[r * cols + c];
        }
}

/* The parts of W_hh (GH x H) that the gemms multiply by, as rows r0[k] ..
 * r0[k]+nr[k]-1; returns their number.  The forward (bwd 0) multiplies
 * h_{t-1} by W_hh^T: one part for elman and lstm, r,z and n apart for the
 * grus (n takes r.h or its own sum); the backward (bwd 1) multiplies dG
 * by W_hh: one part except for gru, whose n rows take d(r.h). */
static int hh_parts(const struct rnn_config *cfg, int bwd, size_t *r0, size_t *nr)
{
    size_t H = (size_t)cfg->nhid, GH = (size_t)rk_cell_gates(cfg->cell) * H;
    if (cfg->cell == RK_GRU || (!bwd && cfg->cell == RK_GRU_TORCH)) {
        r0[0] = 0, nr[0] = 2 * H, r0[1] = 2 * H, nr[1] = H;
        return 2;
    }
    r0[0] = 0, nr[0] = GH;
    return 1;
}

/* ------------------------------------------------------------------------ */
/* workspace and thread pool                                                 */

#define RNN_TEAM_MAX 64 /* threads of a team (run_chunk) */

struct rnn_thread {
    struct rnn_work *w;
    int id;
    int b0, nb;       /* the shard being worked on: windows b0 .. b0+nb-1 */
    double loss;      /* sum of squared errors of that shard */
    rk_real *X0;      /* (T, Bc, nin) */
    int *oh;          /* (T, Bc): X0's rows as one-hot indices, when ohx */
    int ohx;          /* X0 is one-hot (onehot_rows) */
    rk_real **G, **Hs, **Cs, **AUX; /* per layer */
    rk_real **Md, **Xd; /* per layer l > 0 with L > 1: dropout mask and
                           masked input, (T, Bc, H) each */
    rk_real *dXG, *dHG; /* (T, Bc, GH), grus only; dHG == dXG except
                           gru-torch; elman and lstm: in G's place */
    rk_real *dHext;   /* (T, Bc, H) */
    rk_real *dh, *dh2, *dc, *drh; /* (Bc, H) */
    rk_real *PX;      /* (rk_gemm_packed_len(H, T Bc)) when H >= RK_GEMM_TALL_N:
                         a weight gradient's B operand packed (wgrad) */
    rk_real *Y, *dY;  /* (Bc, nout) */
    double *rowloss;  /* a sequence job's loss per row (T, Bc) */
    void *mem;
    pthread_t tid;
    int started;
};

struct rnn_work {
    struct rnn_config cfg;
    size_t nparam;
    int maxB, maxT, nthreads, Bcmax; /* nthreads <= max(rnn_shards(maxB), Bcmax / 8);
                                        Bcmax: a shard's windows at most */
    int seq;                    /* rnn_work_new_seq: the head at every step */
    int ns;                     /* shards of the current job */
    int sb0[RNN_MAX_SHARDS], snb[RNN_MAX_SHARDS];
    double sloss[RNN_MAX_SHARDS]; /* per shard: sum of squared errors */
    rk_real *sgrad;             /* (rnn_shards(maxB)-1, nparam): shards 1..;
                                   with ranks (rnn_shards(maxB), nparam):
                                   shards 0.. */
    rk_real **WihT;         /* per layer transposed W_ih (in, GH) */
    rk_real **PF, **PB;     /* per layer and part of W_hh (hh_parts): W_hh
                               packed for the forward and the backward gemms
                               (rk_gemm_pack_b); PB only for training jobs */
    rk_real **bsum;         /* per layer (GH): bias added to G before the gemms */
    void *shared;
    struct rnn_thread *th;
    /* pool */
    pthread_mutex_t mu;
    pthread_cond_t cv_go, cv_done;
    atomic_uint bar_count, bar_gen; /* team_barrier */
    int team_ohx[RNN_TEAM_MAX];     /* per member: its rows are one-hot */
    unsigned gen;
    int pending, quit, pool_ok;
    /* current job */
    int train_prep; /* prepare_weights: PB too */
    int job; /* 0 forward, 1 train, 2 sum the shard gradients,
                3 sequence forward, 4 sequence train, 5 transpose and
                pack the weights (prepare_weights), 6 an optimizer step */
    struct rk_optim *opt;       /* job 6 */
    rk_real *oparam;
    const rk_real *ograd;
    const struct rnn_model *m;
    const rk_real *x, *target;
    rk_real *y, *grad;
    int B, T, bptt;
    /* sequence jobs: the state before step 1 and after step T (L, B, H) */
    const rk_real *h0, *c0;
    rk_real *hT, *cT;
    /* ranks (rnn_work_set_ranks): this one's shards of a training job,
     * whose windows (streams) x and target hold from batch window xoff on */
    int rank, nranks, xoff;
    rnn_share_fn share;
    int *rcount, *rfirst;       /* per rank: shards of its block, first */
    /* dropout of training jobs (rnn_work_set_dropout) */
    double drop_p;
    uint64_t drop_key;
    const uint64_t *drop_id;
};

static void run_chunk(struct rnn_work *w, int id);
static double train_job(const struct rnn_model *m, struct rnn_work *w, size_t rows);

static void *worker_main(void *arg)
{
    struct rnn_thread *th = arg;
    struct rnn_work *w = th->w;
    unsigned seen = 0;
    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (w->gen == seen && !w->quit)
            pthread_cond_wait(&w->cv_go, &w->mu);
        if (w->quit)
            break;
        seen = w->gen;
        pthread_mutex_unlock(&w->mu);
        run_chunk(w, th->id);
        pthread_mutex_lock(&w->mu);
        if (--w->pending == 0)
            pthread_cond_signal(&w->cv_done);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

static void run_all(struct rnn_work *w)
{
    if (w->nthreads == 1) {
        run_chunk(w, 0);
        return;
    }
    pthread_mutex_lock(&w->mu);
    w->pending = w->nthreads - 1;
    w->gen++;
    pthread_cond_broadcast(&w->cv_go);
    pthread_mutex_unlock(&w->mu);
    run_chunk(w, 0);
    pthread_mutex_lock(&w->mu);
    while (w->pending > 0)
        pthread_cond_wait(&w->cv_done, &w->mu);
    pthread_mutex_unlock(&w->mu);
}

/* bump allocator over one block, 64-byte aligned pieces */
struct carve {
    char *p;
    size_t used;
};
static rk_real *carve(struct carve *c, size_t n)
{
    size_t bytes = (n * sizeof(rk_real) + 63) & ~(size_t)63;
    rk_real *r = c->p ? (rk_real *)(c->p + c->used) : NULL;
    c->used += bytes;
    return r;
}

/* lays out (or, with c->p == NULL, measures) the buffers of one thread */
static void layout_thread(struct rnn_thread *th, const struct rnn_work *w, struct carve *c,
                          rk_real **ptrs)
{
    const struct rnn_config *cfg = &w->cfg;
    size_t Bc = (size_t)w->Bcmax, T = (size_t)w->maxT, H = (size_t)cfg->nhid;
    size_t GH = (size_t)rk_cell_gates(cfg->cell) * H, L = (size_t)cfg->nlayers;
    size_t nout = (size_t)cfg->nout;
    th->X0 = carve(c, T * Bc * (size_t)cfg->nin);
    th->oh = (int *)carve(c, (T * Bc * sizeof(int) + sizeof(rk_real) - 1) / sizeof(rk_real));
    for (size_t l = 0; l < L; l++) {
        ptrs[0 * L + l] = carve(c, T * Bc * GH);
        ptrs[1 * L + l] = carve(c, (T + 1) * Bc * H);
        ptrs[2 * L + l] = cfg->cell == RK_LSTM ? carve(c, (T + 1) * Bc * H) : NULL;
        ptrs[3 * L + l] = cfg->cell == RK_ELMAN ? NULL : carve(c, T * Bc * H);
        ptrs[4 * L + l] = l > 0 ? carve(c, T * Bc * H) : NULL;
        ptrs[5 * L + l] = l > 0 ? carve(c, T * Bc * H) : NULL;
    }
    int gru = cfg->cell == RK_GRU || cfg->cell == RK_GRU_TORCH;
    th->dXG = gru ? carve(c, T * Bc * GH) : NULL;
    th->dHG = cfg->cell == RK_GRU_TORCH ? carve(c, T * Bc * GH) : th->dXG;
    th->dHext = carve(c, T * Bc * H);
    th->dh = carve(c, Bc * H);
    th->dh2 = carve(c, Bc * H);
    th->dc = carve(c, Bc * H);
    th->drh = carve(c, Bc * H);
    th->PX = H >= RK_GEMM_TALL_N ? carve(c, rk_gemm_packed_len(H, T * Bc)) : NULL;
    th->Y = carve(c, (w->seq ? T : 1) * Bc * nout);
    th->dY = carve(c, (w->seq ? T : 1) * Bc * nout);
    th->rowloss = (double *)carve(c, ((w->seq ? T : 1) * Bc * sizeof(double) + sizeof(rk_real) - 1) /
                                         sizeof(rk_real));
}

static void work_stop_threads(struct rnn_work *w)
{
    if (!w->pool_ok)
        return;
    pthread_mutex_lock(&w->mu);
    w->quit = 1;
    pthread_cond_broadcast(&w->cv_go);
    pthread_mutex_unlock(&w->mu);
    for (int i = 1; i < w->nthreads; i++)
        if (w->th[i].started)
            pthread_join(w->th[i].tid, NULL);
    pthread_cond_destroy(&w->cv_go);
    pthread_cond_destroy(&w->cv_done);
    pthread_mutex_destroy(&w->mu);
    w->pool_ok = 0;
}

void rnn_work_free(struct rnn_work *w)
{
    if (!w)
        return;
    work_stop_threads(w);
    if (w->th) {
        for (int i = 0; i < w->nthreads; i++) {
            free(w->th[i].G); /* G, Hs, ..., Xd share one pointer array */
            free(w->th[i].mem);
        }
        free(w->th);
    }
    free(w->WihT);
    free(w->shared);
    free(w->sgrad);
    free(w->rcount);
    free(w);
}

static struct rnn_work *work_new(const struct rnn_model *m, int maxB, int maxT, int nthreads,
                                 int seq)
{
    if (!m || rnn_config_check(&m->cfg) != 0 || maxB < 1 || maxT < 1 || nthreads < 1 ||
        nthreads > 1024)
        return NULL;
    struct rnn_work *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    const struct rnn_config *cfg = &m->cfg;
    w->cfg = *cfg;
    w->nparam = m->nparam;
    w->maxB = maxB;
    w->maxT = maxT;
    w->seq = seq;
    /* the largest shard of any B <= maxB: RNN_SHARD_ROWS up to B = 16 *
     * RNN_MAX_SHARDS (e.g. B = 16 when maxB = 17), then ceil(B / 16) */
    int nsmax = rnn_shards(maxB);
    w->Bcmax = (maxB + nsmax - 1) / nsmax;
    if (w->Bcmax < RNN_SHARD_ROWS)
        w->Bcmax = maxB < RNN_SHARD_ROWS ? maxB : RNN_SHARD_ROWS;
    /* threads: one per shard, or a team (run_chunk) of one per 8 streams
     * of a shard; more would have nothing to do */
    int tmax = w->Bcmax / 8 < RNN_TEAM_MAX ? w->Bcmax / 8 : RNN_TEAM_MAX;
    tmax = tmax > nsmax ? tmax : nsmax;
    nthreads = nthreads < tmax ? nthreads : tmax;
    w->nthreads = nthreads;
    if (nsmax > 1) {
        w->sgrad = malloc((size_t)(nsmax - 1) * m->nparam * sizeof *w->sgrad);
        if (!w->sgrad)
            goto fail;
    }
    size_t L = (size_t)cfg->nlayers, H = (size_t)cfg->nhid;
    size_t GH = (size_t)rk_cell_gates(cfg->cell) * H;

    /* shared: transposed and packed weights, bias sums */
    w->WihT = calloc(6 * L, sizeof *w->WihT);
    if (!w->WihT)
        goto fail;
    w->PF = w->WihT + L;
    w->PB = w->WihT + 3 * L;
    w->bsum = w->WihT + 5 * L;
    struct carve c = {NULL, 0};
    for (int pass = 0; pass < 2; pass++) {
        for (size_t l = 0; l < L; l++) {
            size_t in = l == 0 ? (size_t)cfg->nin : H, r0[2], nr[2];
            int np = hh_parts(cfg, 0, r0, nr);
            w->WihT[l] = carve(&c, in * GH);
            for (int k = 0; k < np; k++)
                w->PF[2 * l + (size_t)k] = carve(&c, rk_gemm_packed_len(nr[k], H));
            np = hh_parts(cfg, 1, r0, nr);
            for (int k = 0; k < np; k++)
                w->PB[2 * l + (size_t)k] = carve(&c, rk_gemm_packed_len(H, nr[k]));
            w->bsum[l] = carve(&c, GH);
        }
        if (pass == 0) {
            w->shared = aligned_alloc(64, c.used);
            if (!w->shared)
                goto fail;
            c.p = w->shared;
            c.used = 0;
        }
    }

    atomic_init(&w->bar_count, 0);
    atomic_init(&w->bar_gen, 0);
    w->th = calloc((size_t)nthreads, sizeof *w->th);
    if (!w->th)
        goto fail;
    for (int i = 0; i < nthreads; i++) {
        struct rnn_thread *th = &w->th[i];
        th->w = w;
        th->id = i;
        rk_real **ptrs = calloc(6 * L, sizeof *ptrs);
        if (!ptrs)
            goto fail;
        th->G = ptrs;
        th->Hs = ptrs + L;
        th->Cs = ptrs + 2 * L;
        th->AUX = ptrs + 3 * L;
        th->Md = ptrs + 4 * L;
        th->Xd = ptrs + 5 * L;
        struct carve tc = {NULL, 0};
        layout_thread(th, w, &tc, ptrs);
        th->mem = aligned_alloc(64, tc.used);
        if (!th->mem)
            goto fail;
        memset(th->mem, 0, tc.used);
        tc.p = th->mem;
        tc.used = 0;
        layout_thread(th, w, &tc, ptrs);
    }

    if (nthreads > 1) {
        if (pthread_mutex_init(&w->mu, NULL) != 0)
            goto fail;
        if (pthread_cond_init(&w->cv_go, NULL) != 0) {
            pthread_mutex_destroy(&w->mu);
            goto fail;
        }
        if (pthread_cond_init(&w->cv_done, NULL) != 0) {
            pthread_cond_destroy(&w->cv_go);
            pthread_mutex_destroy(&w->mu);
            goto fail;
        }
        w->pool_ok = 1;
        for (int i = 1; i < nthreads; i++) {
            if (pthread_create(&w->th[i].tid, NULL, worker_main, &w->th[i]) != 0)
                goto fail;
            w->th[i].started = 1;
        }
    }
    return w;
fail:
    rnn_work_free(w);
    return NULL;
}

struct rnn_work *rnn_work_new(const struct rnn_model *m, int maxB, int maxT, int nthreads)
{
    return work_new(m, maxB, maxT, nthreads, 0);
}

struct rnn_work *rnn_work_new_seq(const struct rnn_model *m, int maxB, int maxT, int nthreads)
{
    return work_new(m, maxB, maxT, nthreads, 1);
}

/* ------------------------------------------------------------------------ */
/* forward / backward of one chunk                                           */

/* columns [*lo, *hi) of N: part id of n, in blocks of RK_GEMM_PACK_ALIGN */
static void part_cols(size_t N, size_t id, size_t n, size_t *lo, size_t *hi)
{
    size_t a = RK_GEMM_PACK_ALIGN, nb = (N + a - 1) / a;
    *lo = nb * id / n * a;
    *hi = nb * (id + 1) / n * a;
    *hi = *hi < N ? *hi : N;
}

/* transposed and packed weights and bias sums for the current parameters
 * (PB too when w->train_prep); part `id` of `n`: the rows of every W_ih
 * and the columns of every packed operand in blocks of 32, part 0 the
 * bias sums too (copies: any split gives the same values) */
static void prepare_part(struct rnn_work *w, const struct rnn_model *m, size_t id, size_t n)
{
    const struct rnn_config *cfg = &m->cfg;
    size_t H = (size_t)cfg->nhid, GH = (size_t)rk_cell_gates(cfg->cell) * H, lo, hi;
    part_cols(GH, id, n, &lo, &hi);
    for (int l = 0; l < cfg->nlayers; l++) {
        size_t in = l == 0 ? (size_t)cfg->nin : H, r0[2], nr[2];
        const rk_real *Whh = rnn_tpc(m, m->param, l, 1);
        transpose(w->WihT[l], rnn_tpc(m, m->param, l, 0), GH, in, lo, hi);
        int np = hh_parts(cfg, 0, r0, nr);
        for (int k = 0; k < np; k++) {
            size_t a, b;
            part_cols(nr[k], id, n, &a, &b);
            rk_gemm_pack_b(w->PF[2 * l + k], 1, nr[k], H, Whh + r0[k] * H, H, a, b);
        }
        np = w->train_prep ? hh_parts(cfg, 1, r0, nr) : 0;
        for (int k = 0; k < np; k++) {
            size_t a, b;
            part_cols(H, id, n, &a, &b);
            rk_gemm_pack_b(w->PB[2 * l + k], 0, H, nr[k], Whh + r0[k] * H, H, a, b);
        }
        if (id != 0)
            continue;
        const rk_real *bih = rnn_tpc(m, m->param, l, 2), *bhh = rnn_tpc(m, m->param, l, 3);
        size_t nsum = cfg->cell == RK_GRU_TORCH ? 2 * H : GH; /* torch: b_hn goes to hn */
        for (size_t j = 0; j < GH; j++)
            w->bsum[l][j] = j < nsum ? bih[j] + bhh[j] : bih[j];
    }
}

/* below this many parameters the transposes, packing and optimizer step
 * stay on the caller (a text net of 2 layers of 128 has 2.4e5: 2^16 takes
 * its step and packing to the threads of a team) */
#define PREPARE_PAR_MIN ((size_t)1 << 16)
static void run_all(struct rnn_work *w);
static void prepare_weights(struct rnn_work *w, const struct rnn_model *m, int train)
{
    w->train_prep = train;
    if (w->nthreads < 2 || m->nparam < PREPARE_PAR_MIN) {
        prepare_part(w, m, 0, 1);
        return;
    }
    w->job = 5;
    w->m = m;
    run_all(w);
}

void rnn_work_set_dropout(struct rnn_work *w, double p, uint64_t key, const uint64_t *id)
{
    w->drop_p = p > 0 && p < 1 && id ? p : 0;
    w->drop_key = key;
    w->drop_id = id;
}

/* is dropout on in the current job? */
static int dropping(const struct rnn_work *w)
{
    return (w->job == 1 || w->job == 4) && w->drop_p > 0 && w->cfg.nlayers > 1;
}

/* a sequence job: the head at every step, a state given and returned */
static int seq_job(const struct rnn_work *w)
{
    return w->job == 3 || w->job == 4;
}

static uint64_t mix64(uint64_t z)
{
    z += 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* The mask M (T, Bc, H) of layer l's input for the chunk's windows
 * b0..b0+Bc-1 and the masked input Xd = M . Xin, at steps t0 .. t1-1:
 * M = 1/(1-p) where u >= p, else 0, u the top 53 bits of a hash of
 * (key, window id, step, layer, unit) in [0, 1); so it does not depend
 * on the threads. */
static void dropout_fwd(const struct rnn_work *w, rk_real *M, rk_real *Xd, const rk_real *Xin,
                        int l, size_t b0, size_t Bc, size_t t0, size_t t1, size_t H)
{
    double p = w->drop_p;
    rk_real keep = (rk_real)(1.0 / (1.0 - p));
    for (size_t t = t0; t < t1; t++)
        for (size_t b = 0; b < Bc; b++) {
            uint64_t k = mix64(w->drop_key ^ mix64(w->drop_id[b0 + b] ^
                                                   mix64(((uint64_t)l << 32) ^ t)));
            size_t o = (t * Bc + b) * H;
            for (size_t j = 0; j < H; j++) {
                double u = (double)(mix64(k + j) >> 11) * 0x1.0p-53;
                M[o + j] = u >= p ? keep : 0;
                Xd[o + j] = Xin[o + j] * M[o + j];
            }
        }
}

/* One step of layer l's recurrence for Bc rows: Gt (Bc, GH) holds
 * b + x_t W_ih^T and gets h_{t-1} W_hh^T added (skipped when hp_zero: at
 * t = 1 with h_0 = 0); then the cell's pointwise part makes h (and c for
 * lstm) from it, hp = h_{t-1} and cp = c_{t-1}; aux is the cell's
 * scratch row block (Bc, H).  The training and the inference forwards
 * both run this, so they compute every value the same way. */
static void cell_step(const struct rnn_config *cfg, rk_real *const *PF, const rk_real *bhh,
                      size_t Bc, int hp_zero, rk_real *Gt, const rk_real *hp, rk_real *h,
                      rk_real *aux, const rk_real *cp, rk_real *c)
{
    int more = !hp_zero;
    size_t H = (size_t)cfg->nhid, GH = (size_t)rk_cell_gates(cfg->cell) * H;

    switch (cfg->cell) {
    case RK_ELMAN:
        if (more)
            rk_gemm_packed(0, Bc, GH, H, 1, hp, H, PF[0], GH, 0, 1, Gt, GH);
        pw_elman_fwd(h, Gt, Bc * H, cfg->act);
        break;
    case RK_LSTM:
        if (more)
            rk_gemm_packed(0, Bc, GH, H, 1, hp, H, PF[0], GH, 0, 1, Gt, GH);
        pw_lstm_fwd(Gt, c, aux, h, cp, Bc, H);
        break;
    case RK_GRU:
        if (more)
            rk_gemm_packed(0, Bc, 2 * H, H, 1, hp, H, PF[0], 2 * H, 0, 1, Gt, GH);
        pw_gru_rz(Gt, aux, hp, Bc, H);
        if (more)
            rk_gemm_packed(0, Bc, H, H, 1, aux, H, PF[1], H, 0, 1, Gt + 2 * H, GH);
        pw_gru_n(h, Gt, hp, Bc, H);
        break;
    case RK_GRU_TORCH:
        fill_rows(aux, bhh + 2 * H, Bc, H);
        if (more) {
            rk_gemm_packed(0, Bc, 2 * H, H, 1, hp, H, PF[0], 2 * H, 0, 1, Gt, GH);
            rk_gemm_packed(0, Bc, H, H, 1, hp, H, PF[1], H, 0, 1, aux, H);
        }
        pw_grut_fwd(h, Gt, aux, hp, Bc, H);
        break;
    }
}

/* Inputs this wide that are one-hot (a character model's) go through
 * rk_gemm_onehot_a/_b instead of the gemms: the same bits (gemm.h),
 * without the O(nin) work per row. */
#define ONEHOT_MIN_NIN 8

/* idx (n) <- the one-hot rows of X (n, nin): the column of the single 1,
 * -1 for a row of zeros; 0 when a row is anything else */
static int onehot_rows(int *idx, const rk_real *X, size_t n, size_t nin)
{
    for (size_t r = 0; r < n; r++) {
        const rk_real *x = X + r * nin;
        int k = -1;
        for (size_t j = 0; j < nin; j++) {
            if (x[j] == 0)
                continue;
            if (x[j] != 1 || k >= 0)
                return 0;
            k = (int)j;
        }
        idx[r] = k;
    }
    return 1;
}

/* ---- teams: the threads of a job with fewer shards than threads work on
 * each shard together (run_chunk), member id of n:
 *   the recurrence (the per-step gemms and point-wise kernels, forward and
 *   backward) over the member's streams (windows) rows_part(Bc): a row of
 *   a step depends only on the same row of the step before;
 *   the products over all steps (a layer's input gemm, the head, the
 *   weight gradients, the gradient to the layer below) over parts of
 *   their rows (gemm.h: a row's bits do not depend on the other rows),
 *   the bias gradients over parts of their columns, the loss per row
 *   and then summed in order by member 0;
 * with a barrier wherever a member reads what another wrote.  So every
 * value is the one a lone thread computes, whatever n. */
static void team_barrier(struct rnn_work *w, size_t n)
{
    if (n < 2)
        return;
    unsigned g = atomic_load(&w->bar_gen);
    if (atomic_fetch_add(&w->bar_count, 1) + 1 == n) {
        atomic_store(&w->bar_count, 0);
        atomic_fetch_add(&w->bar_gen, 1);
        return;
    }
    for (unsigned spin = 0; atomic_load(&w->bar_gen) == g; spin++)
        if (spin > 4000) /* the other member is not running: give way */
            sched_yield();
}

/* part id of n of [0, N): near-equal, a multiple of `a` apart except the last */
static void part_of(size_t N, size_t a, size_t id, size_t n, size_t *lo, size_t *hi)
{
    size_t nb = N / a;
    if (nb < n) { /* too few blocks of a: plain split */
        *lo = N * id / n;
        *hi = N * (id + 1) / n;
        return;
    }
    *lo = nb * id / n * a;
    *hi = id + 1 == n ? N : nb * (id + 1) / n * a;
}

/* a member's streams of a shard of Bc: whole gemm row panels of 8 */
static void rows_part(size_t Bc, size_t id, size_t n, size_t *lo, size_t *hi)
{
    part_of(Bc, 8, id, n, lo, hi);
}

/* forward of th's chunk: x (Bc, T, nin) -> caches and Y (Bc, nout), or
 * for a sequence job Y (T, Bc, nout), the head at every step (time-major)
 * from the state w->h0, w->c0 (rows b0.. of each layer; NULL: zero) */
static void forward_chunk(struct rnn_work *w, struct rnn_thread *th, const struct rnn_model *m,
                          const rk_real *x, size_t Bc, size_t T, size_t id, size_t n)
{
    const struct rnn_config *cfg = &m->cfg;
    size_t nin = (size_t)cfg->nin, H = (size_t)cfg->nhid, nout = (size_t)cfg->nout;
    size_t GH = (size_t)rk_cell_gates(cfg->cell) * H;
    size_t B = (size_t)w->B, b0 = (size_t)th->b0 + (size_t)w->xoff;
    int L = cfg->nlayers, seq = seq_job(w);
    const rk_real *h0 = seq ? w->h0 : NULL, *c0 = seq ? w->c0 : NULL;
    size_t blo, bhi, nb, tlo, thi, rlo, rhi;
    rows_part(Bc, id, n, &blo, &bhi);
    nb = bhi - blo;
    part_of(T, 1, id, n, &tlo, &thi); /* steps of the products over all steps */

    for (size_t t = tlo; t < thi; t++)
        for (size_t b = 0; b < Bc; b++)
            memcpy(th->X0 + (t * Bc + b) * nin, x + (b * T + t) * nin, nin * sizeof *x);
    int ohx = nin >= ONEHOT_MIN_NIN && nin <= INT_MAX &&
              onehot_rows(th->oh + tlo * Bc, th->X0 + tlo * Bc * nin, (thi - tlo) * Bc, nin);
    if (n > 1) {
        w->team_ohx[id] = ohx;
        team_barrier(w, n);
        for (size_t i = 0; i < n; i++)
            ohx = ohx && w->team_ohx[i];
        team_barrier(w, n); /* team_ohx read by all before it changes again */
    }
    th->ohx = ohx;

    for (int l = 0; l < L; l++) {
        size_t in = l == 0 ? nin : H;
        const rk_real *Xin = l == 0 ? th->X0 : th->Hs[l - 1] + Bc * H;
        if (l > 0 && dropping(w)) {
            dropout_fwd(w, th->Md[l], th->Xd[l], Xin, l, (size_t)th->b0, Bc, tlo, thi, H);
            Xin = th->Xd[l];
        }
        rk_real *const *PF = w->PF + 2 * l;
        const rk_real *bhh = rnn_tpc(m, m->param, l, 3);
        rk_real *G = th->G[l], *Hs = th->Hs[l], *Cs = th->Cs[l], *AUX = th->AUX[l];
        /* G (T*Bc, GH) = bsum + Xin (T*Bc, in) W_ih^T, the member's steps */
        size_t r0 = tlo * Bc, R = (thi - tlo) * Bc;
        fill_rows(G + r0 * GH, w->bsum[l], R, GH);
        if (l == 0 && th->ohx)
            rk_gemm_onehot_a(R, GH, in, th->oh + r0, w->WihT[l], GH, G + r0 * GH, GH);
        else
            rk_gemm(0, 0, R, GH, in, 1, Xin + r0 * in, in, w->WihT[l], GH, 1, G + r0 * GH, GH);
        if (h0)
            memcpy(Hs + blo * H, h0 + ((size_t)l * B + b0 + blo) * H, nb * H * sizeof *Hs);
        else
            memset(Hs + blo * H, 0, nb * H * sizeof *Hs);
        if (Cs && c0)
            memcpy(Cs + blo * H, c0 + ((size_t)l * B + b0 + blo) * H, nb * H * sizeof *Cs);
        else if (Cs)
            memset(Cs + blo * H, 0, nb * H * sizeof *Cs);
        team_barrier(w, n); /* G of every step */
        for (size_t t = 1; t <= T && nb > 0; t++) {
            rk_real *Gt = G + ((t - 1) * Bc + blo) * GH;
            const rk_real *hp = Hs + ((t - 1) * Bc + blo) * H; /* h_0 = 0: skip its gemms */
            rk_real *h = Hs + (t * Bc + blo) * H;
            rk_real *aux = AUX ? AUX + ((t - 1) * Bc + blo) * H : NULL;
            cell_step(cfg, PF, bhh, nb, t == 1 && !h0, Gt, hp, h, aux,
                      Cs ? Cs + ((t - 1) * Bc + blo) * H : NULL,
                      Cs ? Cs + (t * Bc + blo) * H : NULL);
        }
        team_barrier(w, n); /* h of every stream */
    }
    /* head: Y (Bc, nout) = b_out + h_T (Bc, H) W_out^T; a sequence:
     * Y (T*Bc, nout) = b_out + h_1..h_T (T*Bc, H) W_out^T; the member's rows */
    size_t nt = m->ntensor, R = seq ? T * Bc : Bc;
    const rk_real *Wout = m->param + m->tensor[nt - 2].off, *bout = m->param + m->tensor[nt - 1].off;
    const rk_real *Htop = th->Hs[L - 1] + (seq ? Bc * H : T * Bc * H);
    part_of(R, 8, id, n, &rlo, &rhi);
    fill_rows(th->Y + rlo * nout, bout, rhi - rlo, nout);
    rk_gemm(0, 1, rhi - rlo, nout, H, 1, Htop + rlo * H, H, Wout, H, 1, th->Y + rlo * nout, nout);
    team_barrier(w, n);
}

/* Inference forward of th's chunk: x (Bc, T, nin) -> Y (Bc, nout), step
 * by step through every layer, with one step's buffers (the first rows of
 * the training caches: G Bc x GH, h and c ping-pong 2 x Bc x H, AUX Bc x
 * H), so they stay in cache.  Every value is computed exactly as
 * forward_chunk computes it (the same gemms per row: a gemm's element
 * depends on K only, not on M or the row's place), so the outputs are the
 * same bits; they do not depend on the batch or the chunking either. */
static void forward_infer_rows(const struct rnn_work *w, struct rnn_thread *th,
                               const struct rnn_model *m, const rk_real *x, rk_real *Y,
                               size_t Bc, size_t T)
{
    const struct rnn_config *cfg = &m->cfg;
    size_t nin = (size_t)cfg->nin, H = (size_t)cfg->nhid, nout = (size_t)cfg->nout;
    size_t GH = (size_t)rk_cell_gates(cfg->cell) * H;
    int L = cfg->nlayers;

    for (int l = 0; l < L; l++) {
        memset(th->Hs[l], 0, Bc * H * sizeof *th->Hs[l]);
        if (th->Cs[l])
            memset(th->Cs[l], 0, Bc * H * sizeof *th->Cs[l]);
    }
    for (size_t t = 1; t <= T; t++) {
        size_t cur = (t % 2) * Bc * H, old = ((t - 1) % 2) * Bc * H;
        for (int l = 0; l < L; l++) {
            size_t in = l == 0 ? nin : H;
            const rk_real *Xin = l == 0 ? x + (t - 1) * nin : th->Hs[l - 1] + cur;
            size_t ldx = l == 0 ? T * nin : H;
            rk_real *const *PF = w->PF + 2 * (size_t)l;
            const rk_real *bhh = rnn_tpc(m, m->param, l, 3);
            rk_real *Gt = th->G[l], *aux = th->AUX[l];
            const rk_real *hp = th->Hs[l] + old;
            rk_real *h = th->Hs[l] + cur;
            fill_rows(Gt, w->bsum[l], Bc, GH);
            rk_gemm(0, 0, Bc, GH, in, 1, Xin, ldx, w->WihT[l], GH, 1, Gt, GH);
            cell_step(cfg, PF, bhh, Bc, t == 1, Gt, hp, h, aux,
                      th->Cs[l] ? th->Cs[l] + old : NULL, th->Cs[l] ? th->Cs[l] + cur : NULL);
        }
    }
    size_t nt = m->ntensor;
    const rk_real *Wout = m->param + m->tensor[nt - 2].off, *bout = m->param + m->tensor[nt - 1].off;
    fill_rows(Y, bout, Bc, nout);
    rk_gemm(0, 1, Bc, nout, H, 1, th->Hs[L - 1] + (T % 2) * Bc * H, H, Wout, H, 1, Y, nout);
}

/* forward_infer_rows over th's chunk in blocks of INFER_ROWS windows, so a
 * step's buffers and W_hh stay in the L2 cache */
#define INFER_ROWS 64
static void forward_infer_chunk(const struct rnn_work *w, struct rnn_thread *th,
                                const struct rnn_model *m, const rk_real *x, size_t Bc,
                                size_t T)
{
    size_t nin = (size_t)m->cfg.nin, nout = (size_t)m->cfg.nout;
    for (size_t b = 0; b < Bc; b += INFER_ROWS) {
        size_t n = Bc - b < INFER_ROWS ? Bc - b : INFER_ROWS;
        forward_infer_rows(w, th, m, x + b * T * nin, th->Y + b * nout, n, T);
    }
}

/* C (M, N) += A^T B, A (R, M) lda, B (R, N) ldb: a weight gradient over
 * the R rows of a chunk (M the rows of a member's part of dG's columns);
 * a tall product (gemm.h) by the packed copy of B in me->PX, the same
 * bits */
static void wgrad(struct rnn_thread *me, size_t M, size_t N, size_t R, const rk_real *A,
                  size_t lda, const rk_real *B, size_t ldb, rk_real *C, size_t ldc)
{
    if (N >= RK_GEMM_TALL_N && M > RK_GEMM_TALL_M && me->PX) {
        rk_gemm_pack_b(me->PX, 0, N, R, B, ldb, 0, N);
        rk_gemm_packed(1, M, N, R, 1, A, lda, me->PX, N, 0, 1, C, ldc);
    } else {
        rk_gemm(1, 0, M, N, R, 1, A, lda, B, ldb, 1, C, ldc);
    }
}

/* backward of th's chunk (after forward_chunk); grad accumulated (+=).
 * A sequence job: target is the batch's (B, T, nout), the loss at every
 * step over Btot * T rows, K = T, and the state before step 1 a constant.
 * Member id of a team of n (above; n = 1: alone). */
static void backward_chunk(struct rnn_thread *th, const struct rnn_model *m, rk_real *grad,
                           const rk_real *target, size_t Bc, size_t T, size_t K, size_t Btot,
                           size_t id, size_t n)
{
    struct rnn_work *w = th->w;
    const struct rnn_config *cfg = &m->cfg;
    size_t nin = (size_t)cfg->nin, H = (size_t)cfg->nhid, nout = (size_t)cfg->nout;
    size_t GH = (size_t)rk_cell_gates(cfg->cell) * H;
    int L = cfg->nlayers, seq = seq_job(w);
    size_t nt = m->ntensor;
    const rk_real *Wout = m->param + m->tensor[nt - 2].off;
    rk_real *gWout = grad + m->tensor[nt - 2].off, *gbout = grad + m->tensor[nt - 1].off;
    struct rnn_thread *me = n > 1 ? &w->th[id] : th; /* the caller's own buffers */
    size_t blo, bhi, nb, lo, hi;
    rows_part(Bc, id, n, &blo, &bhi);
    nb = bhi - blo;

    if (!seq) {
        const rk_real *HT = th->Hs[L - 1] + T * Bc * H;
        /* loss and dY (Bc, nout) */
        if (id == 0)
            th->loss = rnn_head_loss(cfg, th->Y, target, th->dY, Bc, 1 / rnn_loss_norm(cfg, Btot));
        team_barrier(w, n);
        /* head: gW_out (nout, H) += dY^T h_T; gb_out += sum dY; dh = dY W_out */
        part_of(nout, 8, id, n, &lo, &hi);
        rk_gemm(1, 0, hi - lo, H, Bc, 1, th->dY + lo, nout, HT, H, 1, gWout + lo * H, H);
        colsum_acc(gbout + lo, th->dY + lo, Bc, hi - lo, nout);
    } else {
        /* rows (t, b) of Y and dY against target row (b, t), in time-major
         * order; dY W_out is the top layer's dh from above (dHext) */
        double sc = 1 / rnn_loss_norm(cfg, Btot * T);
        const rk_real *H1 = th->Hs[L - 1] + Bc * H;
        size_t R = T * Bc;
        part_of(R, 8, id, n, &lo, &hi);
        for (size_t r = lo; r < hi; r++) {
            size_t t = r / Bc, b = r % Bc;
            th->rowloss[r] = rnn_head_loss(cfg, th->Y + r * nout, target + (b * T + t) * nout,
                                           th->dY + r * nout, 1, sc);
        }
        team_barrier(w, n);
        if (id == 0) {
            double loss = 0;
            for (size_t r = 0; r < R; r++)
                loss += th->rowloss[r];
            th->loss = loss;
        }
        rk_gemm(0, 0, hi - lo, H, nout, 1, th->dY + lo * nout, nout, Wout, H, 0,
                th->dHext + lo * H, H);
        part_of(nout, 8, id, n, &lo, &hi);
        rk_gemm(1, 0, hi - lo, H, R, 1, th->dY + lo, nout, H1, H, 1, gWout + lo * H, H);
        colsum_acc(gbout + lo, th->dY + lo, R, hi - lo, nout);
        team_barrier(w, n); /* dHext */
    }

    size_t tlo = T - K + 1;
    for (int l = L - 1; l >= 0; l--) {
        size_t in = l == 0 ? nin : H;
        int drop = l > 0 && dropping(w);
        const rk_real *Xin = l == 0 ? th->X0 : drop ? th->Xd[l] : th->Hs[l - 1] + Bc * H;
        const rk_real *Wih = rnn_tpc(m, m->param, l, 0);
        rk_real *const *PB = w->PB + 2 * (size_t)l;
        rk_real *gWih = rnn_tp(m, grad, l, 0), *gWhh = rnn_tp(m, grad, l, 1);
        rk_real *gbih = rnn_tp(m, grad, l, 2), *gbhh = rnn_tp(m, grad, l, 3);
        rk_real *G = th->G[l], *Hs = th->Hs[l], *Cs = th->Cs[l], *AUX = th->AUX[l];
        /* elman and lstm: step t's gate gradients replace its G_t, which
         * only step t reads (a working set of one such buffer, not two) */
        rk_real *dXG = th->dXG ? th->dXG : G, *dHG = th->dHG ? th->dHG : G;
        rk_real *dh = th->dh + blo * H, *dh2 = th->dh2 + blo * H, *dc = th->dc + blo * H;
        rk_real *drh = th->drh + blo * H;
        if (l == L - 1 && !seq)
            rk_gemm(0, 0, nb, H, nout, 1, th->dY + blo * nout, nout, Wout, H, 0, dh, H);
        else
            memset(dh, 0, nb * H * sizeof *dh);
        if (Cs)
            memset(dc, 0, nb * H * sizeof *dc);
        for (size_t t = T; t >= tlo && nb > 0; t--) {
            size_t o = (t - 1) * Bc + blo; /* the member's first row of step t */
            const rk_real *Gt = G + o * GH;
            const rk_real *hp = Hs + o * H, *h = Hs + (o + Bc) * H;
            const rk_real *aux = AUX ? AUX + o * H : NULL;
            rk_real *dX = dXG + o * GH, *dHh = dHG + o * GH;
            if (l < L - 1 || seq)
                vec_add(dh, th->dHext + o * H, nb * H);
            int more = t > tlo; /* does dh_{t-1} matter? */
            switch (cfg->cell) {
            case RK_ELMAN:
                pw_elman_bwd(dX, dh, h, nb * H, cfg->act);
                if (more)
                    rk_gemm_packed(0, nb, H, GH, 1, dX, GH, PB[0], H, 0, 0, dh2, H);
                break;
            case RK_LSTM:
                pw_lstm_bwd(dX, dc, dh, aux, Cs + o * H, nb, H); /* dX == Gt */
                if (more)
                    rk_gemm_packed(0, nb, H, GH, 1, dX, GH, PB[0], H, 0, 0, dh2, H);
                break;
            case RK_GRU:
                pw_gru_bwd1(dX, dh2, dh, Gt, hp, nb, H);
                /* drh (Bc, H) = dn_pre (Bc, H) W_hn (H, H) */
                rk_gemm_packed(0, nb, H, H, 1, dX + 2 * H, GH, PB[1], H, 0, 0, drh, H);
                pw_gru_bwd2(dX, dh2, drh, Gt, hp, nb, H);
                if (more)
                    rk_gemm_packed(0, nb, H, 2 * H, 1, dX, GH, PB[0], H, 0, 1, dh2, H);
                break;
            case RK_GRU_TORCH:
                pw_grut_bwd(dX, dHh, dh2, dh, Gt, aux, hp, nb, H);
                if (more)
                    rk_gemm_packed(0, nb, H, GH, 1, dHh, GH, PB[0], H, 0, 1, dh2, H);
                break;
            }
            rk_real *tmp = dh;
            dh = dh2;
            dh2 = tmp;
        }
        team_barrier(w, n); /* dX of every stream */
        /* weight gradients over the rows of steps tlo..T at once, the
         * member's rows of them (of GH) and columns of the bias sums */
        size_t R = K * Bc, o = (tlo - 1) * Bc;
        const rk_real *dX = dXG + o * GH, *dHh = dHG + o * GH;
        part_of(GH, 8, id, n, &lo, &hi);
        if (l == 0 && th->ohx)
            rk_gemm_onehot_b(hi - lo, in, R, dX + lo, GH, th->oh + o, gWih + lo * in, in);
        else
            wgrad(me, hi - lo, in, R, dX + lo, GH, Xin + o * in, in, gWih + lo * in, in);
        if (cfg->cell == RK_GRU) {
            size_t a, b;
            part_of(2 * H, 8, id, n, &a, &b);
            wgrad(me, b - a, H, R, dX + a, GH, Hs + o * H, H, gWhh + a * H, H);
            part_of(H, 8, id, n, &a, &b);
            wgrad(me, b - a, H, R, dX + 2 * H + a, GH, AUX + o * H, H, gWhh + (2 * H + a) * H, H);
        } else {
            wgrad(me, hi - lo, H, R, dHh + lo, GH, Hs + o * H, H, gWhh + lo * H, H);
        }
        colsum_acc(gbih + lo, dX + lo, R, hi - lo, GH);
        colsum_acc(gbhh + lo, dHh + lo, R, hi - lo, GH);
        /* gradient w.r.t. this layer's input = h of the layer below, and
         * through the mask: d(h below) = M . d(input); the member's rows */
        if (l > 0) {
            part_of(R, 8, id, n, &lo, &hi);
            rk_gemm(0, 0, hi - lo, H, GH, 1, dX + lo * GH, GH, Wih, H, 0,
                    th->dHext + (o + lo) * H, H);
            if (drop)
                for (size_t i = (o + lo) * H; i < (o + hi) * H; i++)
                    th->dHext[i] *= th->Md[l][i];
            team_barrier(w, n); /* dHext for the layer below */
        }
    }
}

/* the gradient buffer of shard s */
static rk_real *shard_grad(const struct rnn_work *w, int s)
{
    if (w->nranks > 1)
        return w->sgrad + (size_t)s * w->nparam;
    return s == 0 ? w->grad : w->sgrad + (size_t)(s - 1) * w->nparam;
}

/* grad[lo..hi) += shard s's gradient for s = 1, 2, ... in order
 * (element-wise, so how the range is split changes nothing) */
static void sum_range(struct rnn_work *w, size_t lo, size_t hi)
{
    for (int s = 1; s < w->ns; s++)
        if (w->snb[s] > 0)
            vec_add(w->grad + lo, shard_grad(w, s) + lo, hi - lo);
}

/* a sequence job: the state after step T of th's streams into w->hT,
 * w->cT (rows b0.. of each layer) */
static void seq_state_out(struct rnn_work *w, const struct rnn_thread *th, size_t Bc, size_t T)
{
    size_t H = (size_t)w->cfg.nhid, B = (size_t)w->B, b0 = (size_t)th->b0 + (size_t)w->xoff;
    for (int l = 0; l < w->cfg.nlayers; l++) {
        size_t o = ((size_t)l * B + b0) * H;
        if (w->hT)
            memcpy(w->hT + o, th->Hs[l] + T * Bc * H, Bc * H * sizeof *w->hT);
        if (w->cT && th->Cs[l])
            memcpy(w->cT + o, th->Cs[l] + T * Bc * H, Bc * H * sizeof *w->cT);
    }
}

/* a sequence forward: shard s's outputs to w->y (B, T, nout) and its
 * loss against w->target (B, T, nout), both when not NULL */
static void seq_outputs(struct rnn_work *w, const struct rnn_thread *th, int s, size_t Bc,
                        size_t T)
{
    size_t nout = (size_t)w->cfg.nout, b0 = (size_t)th->b0;
    double loss = 0;
    for (size_t t = 0; t < T; t++)
        for (size_t b = 0; b < Bc; b++) {
            const rk_real *yr = th->Y + (t * Bc + b) * nout;
            size_t o = ((b0 + b) * T + t) * nout;
            if (w->y)
                memcpy(w->y + o, yr, nout * sizeof *yr);
            if (w->target)
                loss += rnn_head_loss(&w->cfg, yr, w->target + o, NULL, 1, 1);
        }
    w->sloss[s] = loss;
}

/* thread id's shards: ns*id/nthreads .. ns*(id+1)/nthreads - 1; or, a
 * training or sequence job with fewer shards than threads, every shard
 * in turn as member id of the team of all threads (above: teams), in
 * thread 0's buffers */
static void run_chunk(struct rnn_work *w, int id)
{
    struct rnn_thread *th = &w->th[id];
    if (w->job == 2) { /* thread id's share of the parameters */
        size_t n = w->nparam, nt = (size_t)w->nthreads;
        sum_range(w, n * (size_t)id / nt, n * (size_t)(id + 1) / nt);
        return;
    }
    if (w->job == 5) { /* thread id's share of the transposes and packing */
        prepare_part(w, w->m, (size_t)id, (size_t)w->nthreads);
        return;
    }
    if (w->job == 6) { /* thread id's blocks of 64 parameters */
        size_t nb = (w->opt->n + 63) / 64, nt = (size_t)w->nthreads;
        size_t lo = nb * (size_t)id / nt * 64, hi = nb * (size_t)(id + 1) / nt * 64;
        rk_optim_range(w->opt, w->oparam, w->ograd, lo, hi < w->opt->n ? hi : w->opt->n);
        return;
    }
    const struct rnn_model *m = w->m;
    size_t nin = (size_t)m->cfg.nin, nout = (size_t)m->cfg.nout, T = (size_t)w->T;
    size_t K = (w->bptt <= 0 || w->bptt >= w->T) ? T : (size_t)w->bptt;
    int r0 = 0, nr = w->ns; /* this rank's block of shards */
    if ((w->job == 1 || w->job == 4) && w->nranks > 1) {
        r0 = w->ns * w->rank / w->nranks;
        nr = w->ns * (w->rank + 1) / w->nranks - r0;
    }
    int s0 = r0 + nr * id / w->nthreads, s1 = r0 + nr * (id + 1) / w->nthreads;
    size_t tid = 0, tn = 1; /* member tid of a team of tn */
    if (w->job != 0 && nr < w->nthreads) {
        tid = (size_t)id, tn = (size_t)w->nthreads;
        th = &w->th[0];
        s0 = r0, s1 = r0 + nr;
    }
    for (int s = s0; s < s1; s++) {
        if (tid == 0) {
            w->sloss[s] = 0;
            th->b0 = w->sb0[s] - w->xoff;
            th->nb = w->snb[s];
        }
        team_barrier(w, tn); /* th->b0, nb; the shard before done */
        if (th->nb == 0)
            continue;
        size_t Bc = (size_t)th->nb, b0 = (size_t)th->b0;
        if (w->job == 0) {
            forward_infer_chunk(w, th, m, w->x + b0 * T * nin, Bc, T);
            memcpy(w->y + b0 * nout, th->Y, Bc * nout * sizeof *th->Y);
            continue;
        }
        rk_real *grad = w->job == 3 ? NULL : shard_grad(w, s);
        if (grad && tid == 0) /* before the backward: forward_chunk's barriers */
            memset(grad, 0, w->nparam * sizeof *grad);
        forward_chunk(w, th, m, w->x + b0 * T * nin, Bc, T, tid, tn);
        if (w->job == 3) {
            if (tid == 0)
                seq_outputs(w, th, s, Bc, T);
        } else {
            if (w->job == 4)
                backward_chunk(th, m, grad, w->target + b0 * T * nout, Bc, T, T, (size_t)w->B,
                               tid, tn);
            else
                backward_chunk(th, m, grad, w->target + b0 * nout, Bc, T, K, (size_t)w->B, tid,
                               tn);
            if (tid == 0)
                w->sloss[s] = th->loss;
        }
        if (seq_job(w) && tid == 0)
            seq_state_out(w, th, Bc, T);
    }
    team_barrier(w, tn); /* the last shard done by every member */
}

int rnn_work_set_ranks(struct rnn_work *w, int rank, int nranks, rnn_share_fn share)
{
    if (!share || nranks < 2 || rank < 0 || rank >= nranks)
        rank = 0, nranks = 1, share = NULL;
    if (nranks > 1 && w->nranks < 2) {
        /* every shard in sgrad, shard 0 too: one buffer to gather into */
        size_t n = (size_t)rnn_shards(w->maxB) * w->nparam;
        rk_real *g = realloc(w->sgrad, n * sizeof *g);
        if (!g)
            return -1;
        w->sgrad = g;
    }
    if (nranks > 1) {
        int *c = realloc(w->rcount, 2 * (size_t)nranks * sizeof *c);
        if (!c)
            return -1;
        w->rcount = c;
        w->rfirst = c + nranks;
    }
    w->rank = rank;
    w->nranks = nranks;
    w->share = share;
    return 0;
}

void rnn_rank_windows(int B, int rank, int nranks, int *first, int *n)
{
    int ns = rnn_shards(B), c = (B + ns - 1) / ns;
    int a = ns * rank / nranks * c, b = ns * (rank + 1) / nranks * c;
    a = a < B ? a : B;
    b = b < B ? b : B;
    *first = a;
    *n = b - a;
}

/* every rank's block of shard gradients and losses to every rank: one
 * allgather each, the blocks in shard order; then shard 0 to grad */
static int share_shards(struct rnn_work *w)
{
    for (int r = 0; r < w->nranks; r++) {
        w->rfirst[r] = w->ns * r / w->nranks;
        w->rcount[r] = w->ns * (r + 1) / w->nranks - w->rfirst[r];
    }
    if (w->share(w->sgrad, w->nparam * sizeof *w->sgrad, w->rcount, w->rfirst) != 0 ||
        w->share(w->sloss, sizeof w->sloss[0], w->rcount, w->rfirst) != 0)
        return -1;
    memcpy(w->grad, w->sgrad, w->nparam * sizeof *w->grad);
    if (!seq_job(w) || (!w->hT && !w->cT))
        return 0;
    /* a sequence: every rank's streams' state after step T, one
     * allgather per layer (and per h, c) in units of a stream's H reals */
    size_t H = (size_t)w->cfg.nhid, B = (size_t)w->B;
    for (int r = 0; r < w->nranks; r++)
        rnn_rank_windows(w->B, r, w->nranks, &w->rfirst[r], &w->rcount[r]);
    for (int l = 0; l < w->cfg.nlayers; l++) {
        size_t o = (size_t)l * B * H;
        if (w->hT && w->share(w->hT + o, H * sizeof *w->hT, w->rcount, w->rfirst) != 0)
            return -1;
        if (w->cT && w->share(w->cT + o, H * sizeof *w->cT, w->rcount, w->rfirst) != 0)
            return -1;
    }
    return 0;
}

int rnn_shards(int B)
{
    int ns = (B + RNN_SHARD_ROWS - 1) / RNN_SHARD_ROWS;
    return ns < 1 ? 1 : ns > RNN_MAX_SHARDS ? RNN_MAX_SHARDS : ns;
}

static int setup_job(struct rnn_work *w, const struct rnn_model *m, int B, int T, int seq,
                     int train)
{
    if (!w || !m || B < 1 || T < 1 || B > w->maxB || T > w->maxT || (seq && !w->seq) ||
        memcmp(&w->cfg, &m->cfg, sizeof w->cfg) != 0 || w->nparam != m->nparam)
        return -1;
    w->m = m;
    w->B = B;
    w->T = T;
    w->xoff = 0; /* ranks: a training job's first window (stream) */
    /* ns shards of ceil(B / ns) windows: whatever the threads */
    int ns = rnn_shards(B), c = (B + ns - 1) / ns;
    w->ns = ns;
    for (int s = 0; s < ns; s++) {
        int b0 = s * c < B ? s * c : B, b1 = (s + 1) * c < B ? (s + 1) * c : B;
        w->sb0[s] = b0;
        w->snb[s] = b1 - b0;
    }
    prepare_weights(w, m, train);
    return 0;
}

int rnn_forward(const struct rnn_model *m, struct rnn_work *w, rk_real *y, const rk_real *x,
                int B, int T)
{
    if (setup_job(w, m, B, T, 0, 0) != 0)
        return -1;
    w->job = 0;
    w->x = x;
    w->y = y;
    run_all(w);
    return 0;
}

double rnn_train_step_grad(const struct rnn_model *m, struct rnn_work *w, rk_real *grad,
                           const rk_real *x, const rk_real *target, int B, int T, int bptt)
{
    if (setup_job(w, m, B, T, 0, 1) != 0)
        return -1;
    w->job = 1;
    if (w->nranks > 1) {
        int n;
        rnn_rank_windows(B, w->rank, w->nranks, &w->xoff, &n);
    }
    w->x = x;
    w->target = target;
    w->grad = grad;
    w->bptt = bptt;
    return train_job(m, w, (size_t)B);
}

/* runs a training job set up in w: the shards, the ranks' exchange, the
 * ordered sum; returns the mean loss over `rows` rows (-1: a failed share) */
static double train_job(const struct rnn_model *m, struct rnn_work *w, size_t rows)
{
    run_all(w);
    if (w->nranks > 1 && share_shards(w) != 0)
        return -1;
    /* shard 0 is never empty: its gradient is in grad already.  The sum
     * is element-wise, so splitting it over the threads changes no bit;
     * a small one is not worth waking them again. */
    w->job = 2;
    if (m->nparam * (size_t)(w->ns - 1) < ((size_t)1 << 18))
        sum_range(w, 0, m->nparam);
    else
        run_all(w);
    double loss = 0;
    for (int s = 0; s < w->ns; s++)
        loss += w->sloss[s];
    return loss / rnn_loss_norm(&m->cfg, rows);
}

void rnn_work_optim_step(struct rnn_work *w, struct rk_optim *o, rk_real *param,
                         const rk_real *grad)
{
    if (!w || w->nthreads < 2 || o->n < PREPARE_PAR_MIN) {
        rk_optim_step(o, param, grad);
        return;
    }
    o->t++;
    w->job = 6;
    w->opt = o;
    w->oparam = param;
    w->ograd = grad;
    run_all(w);
}

static void set_state(struct rnn_work *w, const rk_real *h0, const rk_real *c0, rk_real *hT,
                      rk_real *cT)
{
    int lstm = w->cfg.cell == RK_LSTM;
    w->h0 = h0;
    w->c0 = lstm ? c0 : NULL;
    w->hT = hT;
    w->cT = lstm ? cT : NULL;
}

double rnn_seq_step_grad(const struct rnn_model *m, struct rnn_work *w, rk_real *grad,
                         const rk_real *x, const rk_real *target, int B, int T, const rk_real *h0,
                         const rk_real *c0, rk_real *hT, rk_real *cT)
{
    if (!target || setup_job(w, m, B, T, 1, 1) != 0)
        return -1;
    w->job = 4;
    if (w->nranks > 1) {
        int n;
        rnn_rank_windows(B, w->rank, w->nranks, &w->xoff, &n);
    }
    w->x = x;
    w->target = target;
    w->grad = grad;
    w->bptt = 0;
    set_state(w, h0, c0, hT, cT);
    return train_job(m, w, (size_t)B * (size_t)T);
}

double rnn_seq_forward(const struct rnn_model *m, struct rnn_work *w, rk_real *y,
                       const rk_real *x, const rk_real *target, int B, int T, const rk_real *h0,
                       const rk_real *c0, rk_real *hT, rk_real *cT)
{
    if (setup_job(w, m, B, T, 1, 0) != 0)
        return -1;
    w->job = 3;
    w->x = x;
    w->y = y;
    w->target = target;
    set_state(w, h0, c0, hT, cT);
    run_all(w);
    if (!target)
        return 0;
    double loss = 0;
    for (int s = 0; s < w->ns; s++)
        loss += w->sloss[s];
    return loss / rnn_loss_norm(&m->cfg, (size_t)B * (size_t)T);
}

/* ------------------------------------------------------------------------ */
/* streaming inference                                                       */

int rnn_state_init(struct rnn_state *s, const struct rnn_model *m, int B)
{
    if (!s)
        return -1;
    memset(s, 0, sizeof *s);
    if (!m || rnn_config_check(&m->cfg) != 0 || B < 1)
        return -1;
    size_t L = (size_t)m->cfg.nlayers, H = (size_t)m->cfg.nhid, Bs = (size_t)B;
    size_t GH = (size_t)rk_cell_gates(m->cfg.cell) * H;
    s->B = B;
    s->nlayers = m->cfg.nlayers;
    s->nhid = m->cfg.nhid;
    s->h = calloc(L * Bs * H, sizeof *s->h);
    if (m->cfg.cell == RK_LSTM)
        s->c = calloc(L * Bs * H, sizeof *s->c);
    /* buf: G (B, GH), aux (B, H), hnew (B, H), cnew (B, H) */
    s->buf = calloc(Bs * (GH + 3 * H), sizeof *s->buf);
    if (!s->h || !s->buf || (m->cfg.cell == RK_LSTM && !s->c)) {
        rnn_state_release(s);
        return -1;
    }
    return 0;
}

void rnn_state_reset(struct rnn_state *s)
{
    size_t n = (size_t)s->nlayers * (size_t)s->B * (size_t)s->nhid;
    memset(s->h, 0, n * sizeof *s->h);
    if (s->c)
        memset(s->c, 0, n * sizeof *s->c);
}

void rnn_state_release(struct rnn_state *s)
{
    if (!s)
        return;
    free(s->h);
    free(s->c);
    free(s->buf);
    memset(s, 0, sizeof *s);
}

void rnn_state_step(const struct rnn_model *m, struct rnn_state *s, const rk_real *x)
{
    const struct rnn_config *cfg = &m->cfg;
    size_t B = (size_t)s->B, H = (size_t)cfg->nhid, GH = (size_t)rk_cell_gates(cfg->cell) * H;
    rk_real *G = s->buf, *aux = G + B * GH, *hn = aux + B * H, *cn = hn + B * H;
    for (int l = 0; l < cfg->nlayers; l++) {
        size_t in = l == 0 ? (size_t)cfg->nin : H;
        const rk_real *xin = l == 0 ? x : s->h + (size_t)(l - 1) * B * H;
        const rk_real *Wih = rnn_tpc(m, m->param, l, 0), *Whh = rnn_tpc(m, m->param, l, 1);
        const rk_real *bih = rnn_tpc(m, m->param, l, 2), *bhh = rnn_tpc(m, m->param, l, 3);
        rk_real *h = s->h + (size_t)l * B * H;
        size_t nsum = cfg->cell == RK_GRU_TORCH ? 2 * H : GH;
        for (size_t b = 0; b < B; b++)
            for (size_t j = 0; j < GH; j++)
                G[b * GH + j] = j < nsum ? bih[j] + bhh[j] : bih[j];
        rk_gemm(0, 1, B, GH, in, 1, xin, in, Wih, in, 1, G, GH);
        switch (cfg->cell) {
        case RK_ELMAN:
            rk_gemm(0, 1, B, GH, H, 1, h, H, Whh, H, 1, G, GH);
            pw_elman_fwd(hn, G, B * H, cfg->act);
            break;
        case RK_LSTM: {
            rk_real *c = s->c + (size_t)l * B * H;
            rk_gemm(0, 1, B, GH, H, 1, h, H, Whh, H, 1, G, GH);
            pw_lstm_fwd(G, cn, aux, hn, c, B, H);
            memcpy(c, cn, B * H * sizeof *c);
            break;
        }
        case RK_GRU:
            rk_gemm(0, 1, B, 2 * H, H, 1, h, H, Whh, H, 1, G, GH);
            pw_gru_rz(G, aux, h, B, H);
            rk_gemm(0, 1, B, H, H, 1, aux, H, Whh + 2 * H * H, H, 1, G + 2 * H, GH);
            pw_gru_n(hn, G, h, B, H);
            break;
        case RK_GRU_TORCH:
            rk_gemm(0, 1, B, 2 * H, H, 1, h, H, Whh, H, 1, G, GH);
            fill_rows(aux, bhh + 2 * H, B, H);
            rk_gemm(0, 1, B, H, H, 1, h, H, Whh + 2 * H * H, H, 1, aux, H);
            pw_grut_fwd(hn, G, aux, h, B, H);
            break;
        }
        memcpy(h, hn, B * H * sizeof *h);
    }
}

void rnn_state_output(const struct rnn_model *m, const struct rnn_state *s, rk_real *y)
{
    size_t B = (size_t)s->B, H = (size_t)m->cfg.nhid, nout = (size_t)m->cfg.nout;
    size_t nt = m->ntensor;
    const rk_real *Wout = m->param + m->tensor[nt - 2].off, *bout = m->param + m->tensor[nt - 1].off;
    fill_rows(y, bout, B, nout);
    rk_gemm(0, 1, B, nout, H, 1, s->h + (size_t)(m->cfg.nlayers - 1) * B * H, H, Wout, H, 1, y,
            nout);
}
