/* rnn.h - recurrent networks: cells, stacked layers, linear head, forward,
 * truncated BPTT, optimizers, clipping, gradient check.
 *
 * Maths (PyTorch conventions; sigma = logistic sigmoid; products are
 * element-wise where written (.)):
 *   elman:     h_t = f(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh), f = tanh|sigmoid|relu
 *   lstm:      gate rows i,f,g,o:  i,f,o = sigma(.), g = tanh(.)
 *              c_t = f.c_{t-1} + i.g,  h_t = o.tanh(c_t)
 *   gru:       (seed form) rows r,z,n:
 *              r = sigma(W_ir x + b_ir + W_hr h + b_hr)
 *              z = sigma(W_iz x + b_iz + W_hz h + b_hz)
 *              n = tanh(W_in x + b_in + W_hn (r.h) + b_hn)
 *              h_t = (1-z).h_{t-1} + z.n
 *   gru-torch: (torch.nn.GRU) n = tanh(W_in x + b_in + r.(W_hn h + b_hn))
 *              h_t = (1-z).n + z.h_{t-1}
 *   Layer k > 0 takes layer k-1's h as input; initial h, c are zero.
 *   Head: y = W_out h_T + b_out on the top layer at the last step (many to
 *   one; the sequence functions below: at every step, many to many).
 *   Loss (cfg.loss):
 *     RNN_LOSS_MSE: L = 1/(B*nout) * sum (y - target)^2
 *     RNN_LOSS_CE:  y are logits, p = softmax(y) per window,
 *                   L = -1/B * sum_b sum_k target_bk log p_bk,
 *                   dL/dy_bk = (p_bk * sum_j target_bj - target_bk) / B;
 *                   a target row is a distribution over the nout >= 2
 *                   classes (one-hot for a label).
 *
 * Parameters: ONE contiguous buffer model->param of nparam reals, described
 * by model->tensor[0..ntensor) = {name, rows, cols, off} in this order:
 *   per layer k: weight_ih_l{k} (G*H x in_k), weight_hh_l{k} (G*H x H),
 *                bias_ih_l{k} (G*H x 1), bias_hh_l{k} (G*H x 1)
 *   then fc.weight (nout x H), fc.bias (nout x 1)
 * with G = 1 (elman), 4 (lstm), 3 (gru, gru-torch), in_0 = nin, in_k = H.
 * Matrices are row-major; tensors are packed back to back (off increasing).
 *
 * Data layout: x is (B, T, nin) row-major (B windows of T steps), target
 * and y are (B, nout).
 *
 * Shards and threads: functions taking a struct rnn_work cut the batch
 * of B windows into S = rnn_shards(B) shards of ceil(B / S) contiguous
 * windows (the last one shorter).  Each shard is computed alone, from
 * scratch, with the same code whatever the threads; threads take whole
 * shards (thread i of n: shards S*i/n .. S*(i+1)/n - 1); the shard
 * gradients are summed in shard order, g = ((g_0 + g_1) + g_2) + ...,
 * and so are the shard losses.  Results are therefore bit-for-bit the
 * same for any nthreads (on one CPU kernel level, rk_cpu_level()).  A
 * training or sequence job of fewer shards than threads runs each shard
 * on all of them as a team instead: the recurrence split by windows
 * (streams), which do not meet in it, the products over all steps by
 * their rows, the bias gradients by columns, the loss per row then
 * summed in order; every value is computed as one thread computes it
 * (gemm.h: a product's rows do not depend on each other), so the bits
 * are again those of one thread.  rnn_work_new starts at most
 * max(rnn_shards(maxB), the largest shard / 8) threads (so 2 for a
 * batch of 16); more would idle.  Before each job
 * W_ih is transposed and W_hh packed for the gemms (rk_gemm_pack_b: the
 * per-step products read it as contiguous panels, with the bits of the
 * plain gemm); for nparam >= 2^16 the threads split that by rows
 * (copies: the same values).  A shard whose
 * layer-0 input rows are all one-hot (x_j = [j == k], or all 0; nin >=
 * 8, e.g. --text) takes x W_ih^T and its gradient as a row gather and a
 * scatter-add (rk_gemm_onehot_a/_b, gemm.h) that give the gemms' bits:
 * the results are the same as with the gemms, only faster.
 * rnn_forward's output for a window is the same bits whatever nthreads, B
 * and the window's place in the batch: each gemm element depends on K
 * only (gemm.h), and the inference path computes every value as the
 * training forward does.
 * The library never prints and never exits; functions that can fail
 * return -1 (or NULL).
 */
#ifndef RK_RNN_H
#define RK_RNN_H

#include <stddef.h>
#include "real.h"
#include "rng.h"
#include <stdint.h>

enum rk_cell { RK_ELMAN, RK_LSTM, RK_GRU, RK_GRU_TORCH };
enum rk_act { RK_TANH, RK_SIGMOID, RK_RELU };
/* the head's loss (see the top); 0 = MSE, so a zeroed config is MSE */
enum rnn_loss { RNN_LOSS_MSE, RNN_LOSS_CE };

/* act is used by elman only (others ignore it, but it must be valid);
 * loss CE needs nout >= 2 */
struct rnn_config {
    enum rk_cell cell;
    enum rk_act act;
    int nin, nhid, nlayers, nout;
    enum rnn_loss loss;
};

/* Shards of a minibatch of B windows (see the top), which depend on B
 * only, never on the threads:
 *   S = min(RNN_MAX_SHARDS, ceil(B / RNN_SHARD_ROWS)),
 * so the default batch of 32 is 2 shards of 16 windows; 2 threads then
 * do what 2 did before shards.  Measured (lstm, hidden 128, window 50,
 * batch 32, callgrind instructions at 1 thread against one chunk):
 * shards of 16 windows +2.2%, of 8 +21%, of 4 +34%, of 2 +112%: the gemms
 * of a few rows cost more per row; for a small net (hidden 16, window 12,
 * 1000 rows, the whole run) shards of 16 +9.8%, of 4 +70%.  A batch needs RNN_SHARD_ROWS * n
 * windows to keep n threads busy.  rnn_work_new keeps S - 1 extra
 * gradients of nparam values. */
#ifndef RNN_SHARD_ROWS
#define RNN_SHARD_ROWS 16
#endif
#define RNN_MAX_SHARDS 16
int rnn_shards(int B);

#define RNN_MAX_DIM 1000000 /* upper bound of nin, nhid, nout */
#define RNN_MAX_LAYERS 64

struct rnn_tensor {
    char name[32];
    size_t rows, cols, off; /* 1-D tensors: cols == 1 */
};

struct rnn_model {
    struct rnn_config cfg;
    size_t nparam;
    rk_real *param;         /* nparam values */
    size_t ntensor;         /* 4 * nlayers + 2 */
    struct rnn_tensor *tensor;
};

/* gates per cell: 1, 4, 3, 3 */
int rk_cell_gates(enum rk_cell cell);
/* "elman", "lstm", "gru", "gru-torch"; NULL for an invalid value */
const char *rk_cell_name(enum rk_cell cell);
/* 0 on success, -1 on unknown name */
int rk_cell_parse(const char *s, enum rk_cell *out);
/* "tanh", "sigmoid", "relu" */
const char *rk_act_name(enum rk_act act);
int rk_act_parse(const char *s, enum rk_act *out);
/* "mse", "ce" */
const char *rnn_loss_name(enum rnn_loss loss);
int rnn_loss_parse(const char *s, enum rnn_loss *out);

/* ---- the head's loss (rnn_loss.c) ---- */
/* The loss of B rows y (B, nout) against target (B, nout) under cfg->loss,
 * summed (not averaged), and dy (B, nout) = scale * d(sum)/dy (dy may be
 * NULL).  The training step calls it with scale = 1 / rnn_loss_norm(), so
 * that the sum over a batch divided by rnn_loss_norm is L of the top.
 * CE is computed stably (log-sum-exp from the row's maximum) in double. */
double rnn_head_loss(const struct rnn_config *cfg, const rk_real *y, const rk_real *target,
                     rk_real *dy, size_t B, double scale);
/* the divisor of the summed loss: B * nout (MSE), B (CE) */
double rnn_loss_norm(const struct rnn_config *cfg, size_t B);
/* p (B, n) = softmax of each row of y (B, n), in double, stably; p may be y */
void rnn_softmax_rows(rk_real *p, const rk_real *y, size_t B, size_t n);

/* 0 if cfg is valid, else -1 */
int rnn_config_check(const struct rnn_config *cfg);
/* allocates the model with all parameters zero; -1 on bad config or no
 * memory (then *m is left empty and rnn_model_release is a no-op) */
int rnn_model_init(struct rnn_model *m, const struct rnn_config *cfg);
/* The parameter table of a valid cfg without allocating the parameters:
 * fills t (4 * nlayers + 2 entries), returns nparam. */
size_t rnn_config_table(const struct rnn_config *cfg, struct rnn_tensor *t);
/* PyTorch init: every tensor uniform(-1/sqrt(H), 1/sqrt(H)), drawn in
 * tensor order, row-major, from rng */
void rnn_model_randomize(struct rnn_model *m, struct rk_rng *rng);
void rnn_model_release(struct rnn_model *m);
/* the tensor called name, or NULL */
const struct rnn_tensor *rnn_model_find(const struct rnn_model *m, const char *name);

/* ---- training / batch inference ---- */
struct rnn_work; /* opaque: activation caches and buffers, thread pool */
/* A work is used by one calling thread at a time (it owns a pool of
 * nthreads-1 worker threads that sleep between calls).  It allocates
 * everything in rnn_work_new; rnn_forward / rnn_train_step_grad allocate
 * nothing.  Each call re-reads m->param, so the parameters may change
 * between calls (optimizer steps); the configuration may not. */

/* workspace for minibatches of up to maxB windows of up to maxT steps,
 * processed by nthreads threads (1 = no threads).  Tied to the model's
 * configuration (not to its parameter values).  NULL on error. */
struct rnn_work *rnn_work_new(const struct rnn_model *m, int maxB, int maxT, int nthreads);
void rnn_work_free(struct rnn_work *w);

/* y (B, nout) <- model(x (B, T, nin)); 1 <= B <= maxB, 1 <= T <= maxT.
 * Runs step by step through every layer on blocks of 64 windows with one
 * step's buffers (cache-resident; no activations kept).
 * Returns 0, or -1 on bad sizes. */
int rnn_forward(const struct rnn_model *m, struct rnn_work *w, rk_real *y,
                const rk_real *x, int B, int T);

/* Inverted dropout between stacked layers, for the rnn_train_step_grad
 * calls on w that follow (never rnn_forward, so never in prediction or
 * evaluation): layer k > 0 takes M . h^{k-1}_t instead of h^{k-1}_t, with
 * M_j = 1/(1-p) or 0, 0 where u < p, u in [0, 1) from a hash of (key,
 * id[b], t, k, j), id[b] the caller's id of window b of the batch (B
 * values, read at each step, not copied). The masks thus depend on key
 * and the windows only, not on nthreads or the chunking; the gradient is
 * that of the masked net. p <= 0 (or p >= 1, or id NULL) turns it off:
 * the computation is then exactly the one without. A net of one layer
 * has no dropout. */
void rnn_work_set_dropout(struct rnn_work *w, double p, uint64_t key, const uint64_t *id);

/* Ranks (data-parallel training over N processes, dist.h): rank r of N
 * takes the fixed block ns*r/N .. ns*(r+1)/N - 1 of the ns =
 * rnn_shards(B) shards of a batch of B windows, which are the n windows
 * first .. first+n-1 of rnn_rank_windows(B, r, N, &first, &n) (n = 0:
 * the block is empty, N > ns).  With rnn_work_set_ranks(w, r, N, share),
 * rnn_train_step_grad on w computes only those shards (threads take
 * whole shards of the block), and its x, target and the dropout ids
 * (rnn_work_set_dropout) hold only the rank's n windows, in order, B
 * still being the whole batch (the loss is its mean); so a rank needs
 * its own windows only.  It then calls share(buf, unit, count, first)
 * once for the shard gradients (unit nparam reals, buf the ns shard
 * gradients back to back, rank q's block count[q] shards at shard
 * first[q]) and once for the shard losses (unit a double): share copies
 * every rank's block to every rank (an allgather in place,
 * rk_dist_allgatherv).  Every rank then sums all shard gradients and
 * losses in shard order, as one process does: the result is bit for bit
 * the one-process result on every rank.  rnn_forward is not split: a
 * rank calls it on its own windows, and each window's output is the same
 * bits as in the whole batch (above).  N = 1 (the default) or share NULL:
 * no ranks.  A chunk of streams (rnn_seq_step_grad) splits the same
 * way, the streams taking the windows' place: x, target and the dropout
 * ids hold the rank's n streams from stream first on; h0, c0 are the
 * whole batch's state (all B streams, the rank reading its own rows),
 * and so are hT, cT afterwards: the rank writes its streams' rows, then
 * calls share once per layer for hT and (lstm) once for cT (unit H
 * reals, buf the layer's B rows, count and first in streams as
 * rnn_rank_windows gives them), so every rank holds every stream's
 * state.  rnn_seq_forward is not split.
 * rnn_work_set_ranks keeps one more gradient (nparam reals)
 * in w for N > 1 and a count and a first per rank; 0, or -1 when out of
 * memory (w then has no ranks). */
typedef int (*rnn_share_fn)(void *buf, size_t unit, const int *count,
                            const int *first);
void rnn_rank_windows(int B, int rank, int nranks, int *first, int *n);
int rnn_work_set_ranks(struct rnn_work *w, int rank, int nranks, rnn_share_fn share);

/* Forward + loss (cfg.loss) + backward.  grad (nparam) is zeroed, then filled with
 * dL/dparam (L is the batch mean, as above).  bptt = 0 (or >= T): full
 * backprop through the window; else only the last bptt steps get gradient
 * (the state h, c of every layer after step T-bptt is treated as a
 * constant).  Returns the loss, or -1 on bad sizes or a failed share. */
double rnn_train_step_grad(const struct rnn_model *m, struct rnn_work *w, rk_real *grad,
                           const rk_real *x, const rk_real *target, int B, int T, int bptt);

/* ---- many to many: sequences, stateful (truncated BPTT over chunks) ----
 * B parallel streams of T steps each (a chunk of each stream):
 *   x (B, T, nin), target and y (B, T, nout) row-major,
 *   y_bt = W_out h^top_bt + b_out, the head at every step,
 *   L = sum_{b,t} loss(y_bt, target_bt) / rnn_loss_norm(cfg, B*T)
 *     (MSE: the mean over B*T*nout values; CE: over B*T rows;
 *     rnn_head_loss per row),
 * the recurrence starting from the state h0, c0 (nlayers, B, H), layer l
 * of stream b at (l*B + b)*H (rnn_state's layout), NULL: zero (c0: lstm
 * only, else ignored), and ending in hT, cT (same layout; NULL: not
 * wanted; they may be h0, c0 themselves: the state carried in place).
 * The gradient is that of L with h0, c0 constants: backprop runs through
 * the chunk's T steps and stops at its start (truncated BPTT: a caller
 * cutting a long sequence into chunks of K steps carries the state and no
 * gradient from chunk to chunk).  Shards split the B streams as they split
 * windows (rnn.h, top): the results are the same bits for any nthreads
 * and ranks (hT, cT too: each rank receives every rank's streams; rnn.h,
 * "Ranks").
 * Dropout (rnn_work_set_dropout) applies, id[b] being stream b's. */

/* A work for the functions below (and all those of rnn_work_new): the
 * head's buffers hold T steps. */
struct rnn_work *rnn_work_new_seq(const struct rnn_model *m, int maxB, int maxT, int nthreads);
/* Forward + loss + backward of a chunk (above): grad (nparam) = dL/dparam,
 * hT, cT the state after it.  Returns L, or -1 on bad sizes, a work not
 * from rnn_work_new_seq, target NULL or a failed share. */
double rnn_seq_step_grad(const struct rnn_model *m, struct rnn_work *w, rk_real *grad,
                         const rk_real *x, const rk_real *target, int B, int T, const rk_real *h0,
                         const rk_real *c0, rk_real *hT, rk_real *cT);
/* Forward only: y (B, T, nout) (NULL: not wanted), the state after the
 * chunk, and L against target (NULL: returns 0).  -1 on bad sizes. */
double rnn_seq_forward(const struct rnn_model *m, struct rnn_work *w, rk_real *y,
                       const rk_real *x, const rk_real *target, int B, int T, const rk_real *h0,
                       const rk_real *c0, rk_real *hT, rk_real *cT);

/* ---- plain references (per sample loops, libm activations, no gemm) ---- */
/* y (B, nout) from x (B, T, nin) */
int rnn_forward_ref(const struct rnn_model *m, rk_real *y, const rk_real *x, int B, int T);
/* loss where steps 1..T-K use parameters p_early and steps T-K+1..T and the
 * head use p_late (K = bptt, 0 = T: p_early unused).  This is the function
 * whose gradient w.r.t. p_late at p_late == p_early rnn_train_step_grad
 * computes. p_early/p_late: nparam values laid out like m->param. */
double rnn_loss_ref(const struct rnn_model *m, const rk_real *p_early, const rk_real *p_late,
                    const rk_real *x, const rk_real *target, int B, int T, int bptt);

/* The reference of the sequence functions above at parameters p (nparam
 * values laid out like m->param): L, and y (B, T, nout), hT, cT when not
 * NULL; h0, c0 as above.  rnn_seq_gradcheck differentiates it. */
double rnn_seq_loss_ref(const struct rnn_model *m, const rk_real *p, const rk_real *x,
                        const rk_real *target, int B, int T, const rk_real *h0,
                        const rk_real *c0, rk_real *y, rk_real *hT, rk_real *cT);

/* A trace of one window (rnn-predict --trace): the reference forward of
 * x (T, nin) from a zero state at parameters p (nparam values laid out
 * like m->param: the net's, or an ensemble member's), calling tr->step
 * after each layer l (1-based) of each step t (1-based) with the layer's
 * vectors, n of them, named and len[k] long:
 *   elman       x, h                 h = act(W_ih x + b_ih + W_hh h + b_hh)
 *   lstm        x, i, f, g, o, c, h  (the gates after their activations;
 *                                    g the candidate c~)
 *   gru         x, r, z, n, h        (n the candidate h~)
 *   gru-torch   x, r, z, n, h
 * x being the layer's input (the window's row for layer 1, the layer
 * below's h above it); then the head's output into y (nout). With
 * tr->seq (a sequence model's view), the head at every step too: step
 * called with l = 0 and the one vector y (nout). The
 * arithmetic is rnn_forward_ref's (double accumulators, libm), so y may
 * differ from rnn_forward's in the last bits of a float.
 * 0, or -1 (bad sizes, out of memory). */
struct rnn_trace {
    void *ctx;
    int seq;
    void (*step)(void *ctx, size_t t, size_t l, const char *const *name,
                 const rk_real *const *v, const size_t *len, size_t n);
};
int rnn_trace_window(const struct rnn_model *m, const rk_real *p, const rk_real *x, int T,
                     const struct rnn_trace *tr, rk_real *y);

/* ---- streaming inference, one step at a time, B parallel sequences ---- */
struct rnn_state {
    int B;
    int nlayers, nhid;
    rk_real *h;   /* (nlayers, B, H) */
    rk_real *c;   /* (nlayers, B, H); lstm only, else NULL */
    rk_real *buf; /* private scratch */
};
int rnn_state_init(struct rnn_state *s, const struct rnn_model *m, int B);
void rnn_state_reset(struct rnn_state *s); /* h = c = 0 */
void rnn_state_release(struct rnn_state *s);
/* advance all B sequences by one step with inputs x (B, nin) */
void rnn_state_step(const struct rnn_model *m, struct rnn_state *s, const rk_real *x);
/* y (B, nout) = head(top layer h) */
void rnn_state_output(const struct rnn_model *m, const struct rnn_state *s, rk_real *y);

/* ---- optimizers and clipping ---- */
enum rk_optim_kind { RK_ADAM, RK_SGD };
/* Adam (PyTorch torch.optim.Adam; with weight_decay wd > 0 it is
 * torch.optim.AdamW, the decoupled decay, not Adam's L2 term):
 *   t += 1; p *= 1 - lr wd (only when wd > 0)
 *   m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2
 *   p -= lr/(1-b1^t) * m / (sqrt(v)/sqrt(1-b2^t) + eps)
 * SGD (torch.optim.SGD): g += wd p (only when wd > 0); momentum == 0:
 *   p -= lr g; else buf = momentum buf + g (buf = g on the first step);
 *   p -= lr buf
 * The decay applies to every parameter, biases included (like passing
 * model.parameters() to PyTorch).  wd == 0 takes exactly the old path.
 * Defaults set by rk_optim_init: beta1 0.9, beta2 0.999, eps 1e-8,
 * momentum 0, weight_decay 0; change the fields before the first step if
 * needed.
 * The step is element-wise: rk_optim_step is t += 1, then
 * rk_optim_range over [0, n); any split of [0, n) into ranges gives the
 * same bits (rnn_work_optim_step runs it on a work's threads). */
struct rk_optim {
    enum rk_optim_kind kind;
    double lr, momentum, beta1, beta2, eps, weight_decay;
    long t;      /* steps taken */
    rk_real *m;  /* first moment / momentum buffer (n) */
    rk_real *v;  /* second moment (n); NULL for SGD */
    size_t n;
};
int rk_optim_init(struct rk_optim *o, enum rk_optim_kind kind, size_t n, double lr);
void rk_optim_release(struct rk_optim *o);
void rk_optim_reset(struct rk_optim *o); /* t = 0, moments = 0 */
void rk_optim_step(struct rk_optim *o, rk_real *param, const rk_real *grad);
/* the step (t already counted) on the values [lo, hi) only */
void rk_optim_range(const struct rk_optim *o, rk_real *param, const rk_real *grad, size_t lo,
                    size_t hi);
/* rk_optim_step on the threads of w (parameters split in blocks of 64)
 * when w has 2 threads or more and o->n >= 2^16, else on the caller:
 * the same bits either way */
void rnn_work_optim_step(struct rnn_work *w, struct rk_optim *o, rk_real *param,
                         const rk_real *grad);
/* "adam", "sgd" */
const char *rk_optim_name(enum rk_optim_kind k);
int rk_optim_parse(const char *s, enum rk_optim_kind *out);

/* Euclidean norm, accumulated in double in index order */
double rk_grad_norm(const rk_real *g, size_t n);
/* like torch.nn.utils.clip_grad_norm_: if norm > maxnorm, g *= maxnorm /
 * (norm + 1e-6).  maxnorm <= 0: no clipping.  Returns the norm before. */
double rk_clip_norm(rk_real *g, size_t n, double maxnorm);
/* the same with the norm of g already known (rk_grad_norm(g, n)) */
void rk_clip_known_norm(rk_real *g, size_t n, double maxnorm, double norm);
/* clamp every g to [-limit, limit]; limit <= 0: nothing */
void rk_clip_value(rk_real *g, size_t n, double limit);

/* ---- gradient check ---- */
/* Per tensor: analytic gradient (rnn_train_step_grad, 1 thread) against
 * central differences  (L(p+eps e_i) - L(p-eps e_i)) / (2 eps)  of
 * rnn_loss_ref with the early steps at the unperturbed parameters.
 *   max_abs = max_i |a_i - n_i|
 *   max_rel = max_i |a_i - n_i| / max(|a_i| + |n_i|, 1e-7)
 * An element passes if |a_i - n_i| <= tol * max(1, |a_i| + |n_i|), i.e.
 * absolute error for gradients below 1, relative above; a tensor passes if
 * all its elements do.  Meaningful with rk_real = double (eps ~ 1e-5,
 * tol 1e-6).  rows: m->ntensor entries.  Returns the number of failing
 * tensors, or -1 on error (bad sizes, no memory). */
struct gc_row {
    char name[32];
    double max_abs, max_rel;
    int pass;
};
int rnn_gradcheck(const struct rnn_model *m, const rk_real *x, const rk_real *target, int B, int T,
                  int bptt, double eps, double tol, struct gc_row *rows);
/* The same for a chunk of B sequences (rnn_seq_step_grad against central
 * differences of rnn_seq_loss_ref), from the state h0, c0 (NULL: zero). */
int rnn_seq_gradcheck(const struct rnn_model *m, const rk_real *x, const rk_real *target, int B,
                      int T, const rk_real *h0, const rk_real *c0, double eps, double tol,
                      struct gc_row *rows);

#endif
