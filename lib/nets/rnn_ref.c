/* rnn_ref.c - plain per-sample reference forward / loss (no gemm, libm
 * activations, double accumulators) and the gradient check engine. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "rnn_internal.h"

/* sum_k W[j*ld + k] v[k], k < n, in double */
static double dot(const rk_real *W, const rk_real *v, size_t n)
{
    double s = 0;
    for (size_t k = 0; k < n; k++)
        s += (double)W[k] * (double)v[k];
    return s;
}

/* a sequence (rnn_seq_loss_ref): stream b of B, its state before step 1
 * and after step T in h0, c0, hT, cT ((L, B, H); NULL: zero / not wanted),
 * the head at every step into yall (T, nout) */
struct ref_seq {
    size_t B, b;
    const rk_real *h0, *c0;
    rk_real *hT, *cT, *yall;
    const struct rnn_trace *tr; /* NULL: no trace (rnn_trace_window) */
};

/* A trace's step t, layer l (1-based): the cell's vectors by name (rnn.h,
 * rnn_trace_window), from the layer's input xin (in), the LSTM's
 * pre-activations a or the GRUs' gates a (r, z), the gates kept in tv,
 * its c and its new h. */
static void trace_step(const struct rnn_trace *tr, enum rk_cell cell, size_t t, size_t l,
                       const rk_real *xin, size_t in, const rk_real *a, const rk_real *tv,
                       const rk_real *c, const rk_real *h, size_t H)
{
    const char *name[8];
    const rk_real *v[8];
    size_t len[8], n = 0;
    name[n] = "x", v[n] = xin, len[n++] = in;
    switch (cell) {
    case RK_ELMAN:
        break;
    case RK_LSTM:
        name[n] = "i", v[n] = tv, len[n++] = H;
        name[n] = "f", v[n] = tv + H, len[n++] = H;
        name[n] = "g", v[n] = tv + 2 * H, len[n++] = H;
        name[n] = "o", v[n] = tv + 3 * H, len[n++] = H;
        name[n] = "c", v[n] = c, len[n++] = H;
        break;
    case RK_GRU:
    case RK_GRU_TORCH:
        name[n] = "r", v[n] = a, len[n++] = H;
        name[n] = "z", v[n] = a + H, len[n++] = H;
        name[n] = "n", v[n] = tv, len[n++] = H;
        break;
    }
    name[n] = "h", v[n] = h, len[n++] = H;
    tr->step(tr->ctx, t, l, name, v, len, n);
}

/* head: y (nout) = W_out h + b_out at parameters p */
static void ref_head(const struct rnn_model *m, const rk_real *p, const rk_real *h, rk_real *y)
{
    size_t nt = m->ntensor, nout = (size_t)m->cfg.nout, H = (size_t)m->cfg.nhid;
    const rk_real *Wout = p + m->tensor[nt - 2].off, *bout = p + m->tensor[nt - 1].off;
    for (size_t o = 0; o < nout; o++)
        y[o] = (rk_real)(dot(Wout + o * H, h, H) + bout[o]);
}

/* one window: y (nout) from xb (T, nin); steps t <= T-K use pe, the rest
 * and the head use pl.  sq (NULL: a window from zero): a sequence, above.
 * scratch: see ref_scratch_size */
static void ref_window(const struct rnn_model *m, const rk_real *pe, const rk_real *pl,
                       const rk_real *xb, size_t T, size_t K, rk_real *y, rk_real *scratch,
                       const struct ref_seq *sq)
{
    const struct rnn_config *cfg = &m->cfg;
    size_t H = (size_t)cfg->nhid, L = (size_t)cfg->nlayers, nin = (size_t)cfg->nin;
    size_t GH = (size_t)rk_cell_gates(cfg->cell) * H, nout = (size_t)cfg->nout;
    rk_real *h = scratch, *c = h + L * H, *a = c + L * H, *hn = a + GH, *rh = hn + H;
    const struct rnn_trace *tr = sq ? sq->tr : NULL;
    rk_real *tv = rh + H; /* a trace's gates: 4 H (ref_scratch_size) */
    memset(h, 0, 2 * L * H * sizeof *h);
    for (size_t l = 0; sq && l < L; l++) {
        size_t o = (l * sq->B + sq->b) * H;
        if (sq->h0)
            memcpy(h + l * H, sq->h0 + o, H * sizeof *h);
        if (sq->c0 && cfg->cell == RK_LSTM)
            memcpy(c + l * H, sq->c0 + o, H * sizeof *c);
    }
    for (size_t t = 1; t <= T; t++) {
        const rk_real *P = t + K <= T ? pe : pl;
        for (size_t l = 0; l < L; l++) {
            size_t in = l == 0 ? nin : H;
            const rk_real *xin = l == 0 ? xb + (t - 1) * nin : h + (l - 1) * H;
            const rk_real *Wih = rnn_tpc(m, P, (int)l, 0), *Whh = rnn_tpc(m, P, (int)l, 1);
            const rk_real *bih = rnn_tpc(m, P, (int)l, 2), *bhh = rnn_tpc(m, P, (int)l, 3);
            rk_real *hl = h + l * H, *cl = c + l * H;
            switch (cfg->cell) {
            case RK_ELMAN:
                for (size_t j = 0; j < H; j++) {
                    rk_real s = (rk_real)(dot(Wih + j * in, xin, in) + bih[j] +
                                          dot(Whh + j * H, hl, H) + bhh[j]);
                    hn[j] = cfg->act == RK_TANH      ? rk_rtanh(s)
                            : cfg->act == RK_SIGMOID ? rk_rsigm(s)
                                                     : (s > 0 ? s : 0);
                }
                break;
            case RK_LSTM:
                for (size_t j = 0; j < GH; j++)
                    a[j] = (rk_real)(dot(Wih + j * in, xin, in) + bih[j] +
                                     dot(Whh + j * H, hl, H) + bhh[j]);
                for (size_t j = 0; j < H; j++) {
                    rk_real i_ = rk_rsigm(a[j]), f_ = rk_rsigm(a[H + j]);
                    rk_real g_ = rk_rtanh(a[2 * H + j]), o_ = rk_rsigm(a[3 * H + j]);
                    cl[j] = f_ * cl[j] + i_ * g_;
                    hn[j] = o_ * rk_rtanh(cl[j]);
                    if (tr) {
                        tv[j] = i_;
                        tv[H + j] = f_;
                        tv[2 * H + j] = g_;
                        tv[3 * H + j] = o_;
                    }
                }
                break;
            case RK_GRU:
                for (size_t j = 0; j < 2 * H; j++)
                    a[j] = rk_rsigm((rk_real)(dot(Wih + j * in, xin, in) + bih[j] +
                                              dot(Whh + j * H, hl, H) + bhh[j]));
                for (size_t j = 0; j < H; j++)
                    rh[j] = a[j] * hl[j];
                for (size_t j = 0; j < H; j++) {
                    size_t q = 2 * H + j;
                    rk_real n_ = rk_rtanh((rk_real)(dot(Wih + q * in, xin, in) + bih[q] +
                                                    dot(Whh + q * H, rh, H) + bhh[q]));
                    rk_real z_ = a[H + j];
                    hn[j] = (1 - z_) * hl[j] + z_ * n_;
                    if (tr)
                        tv[j] = n_;
                }
                break;
            case RK_GRU_TORCH:
                for (size_t j = 0; j < 2 * H; j++)
                    a[j] = rk_rsigm((rk_real)(dot(Wih + j * in, xin, in) + bih[j] +
                                              dot(Whh + j * H, hl, H) + bhh[j]));
                for (size_t j = 0; j < H; j++) {
                    size_t q = 2 * H + j;
                    rk_real hh = (rk_real)(dot(Whh + q * H, hl, H) + bhh[q]);
                    rk_real n_ = rk_rtanh((rk_real)(dot(Wih + q * in, xin, in) + bih[q]) +
                                          a[j] * hh);
                    rk_real z_ = a[H + j];
                    hn[j] = (1 - z_) * n_ + z_ * hl[j];
                    if (tr)
                        tv[j] = n_;
                }
                break;
            }
            memcpy(hl, hn, H * sizeof *hl);
            if (tr)
                trace_step(tr, cfg->cell, t, l + 1, xin, in, a, tv, cl, hl, H);
        }
        if (sq && sq->yall)
            ref_head(m, pl, h + (L - 1) * H, sq->yall + (t - 1) * nout);
        if (tr && tr->seq && y) {
            const char *yn = "y";
            const rk_real *yv = y;
            ref_head(m, pl, h + (L - 1) * H, y);
            tr->step(tr->ctx, t, 0, &yn, &yv, &nout, 1);
        }
    }
    for (size_t l = 0; sq && l < L; l++) {
        size_t o = (l * sq->B + sq->b) * H;
        if (sq->hT)
            memcpy(sq->hT + o, h + l * H, H * sizeof *h);
        if (sq->cT && cfg->cell == RK_LSTM)
            memcpy(sq->cT + o, c + l * H, H * sizeof *c);
    }
    if (y)
        ref_head(m, pl, h + (L - 1) * H, y);
}

/* the loss of one row: y (nout) against t (nout) under cfg.loss, summed
 * (CE: -sum t_k log softmax(y)_k, plainly) */
static double ref_row_loss(const struct rnn_config *cfg, const rk_real *y, const rk_real *tb)
{
    size_t nout = (size_t)cfg->nout;
    double loss = 0;
    if (cfg->loss == RNN_LOSS_CE) {
        double z = 0;
        for (size_t o = 0; o < nout; o++)
            z += exp((double)y[o]);
        for (size_t o = 0; o < nout; o++)
            loss -= (double)tb[o] * ((double)y[o] - log(z));
        return loss;
    }
    for (size_t o = 0; o < nout; o++) {
        double d = (double)y[o] - (double)tb[o];
        loss += d * d;
    }
    return loss;
}

static size_t ref_scratch_size(const struct rnn_model *m)
{
    size_t H = (size_t)m->cfg.nhid, L = (size_t)m->cfg.nlayers;
    return 2 * L * H + (size_t)rk_cell_gates(m->cfg.cell) * H + 6 * H + (size_t)m->cfg.nout;
}

int rnn_trace_window(const struct rnn_model *m, const rk_real *p, const rk_real *x, int T,
                     const struct rnn_trace *tr, rk_real *y)
{
    if (!m || !p || T < 1)
        return -1;
    rk_real *s = malloc(ref_scratch_size(m) * sizeof *s);
    if (!s)
        return -1;
    struct ref_seq sq = {.B = 1, .tr = tr};
    ref_window(m, p, p, x, (size_t)T, (size_t)T, y, s, &sq);
    free(s);
    return 0;
}

int rnn_forward_ref(const struct rnn_model *m, rk_real *y, const rk_real *x, int B, int T)
{
    if (!m || B < 1 || T < 1)
        return -1;
    rk_real *s = malloc(ref_scratch_size(m) * sizeof *s);
    if (!s)
        return -1;
    size_t nin = (size_t)m->cfg.nin, nout = (size_t)m->cfg.nout;
    for (size_t b = 0; b < (size_t)B; b++)
        ref_window(m, m->param, m->param, x + b * (size_t)T * nin, (size_t)T, (size_t)T,
                   y + b * nout, s, NULL);
    free(s);
    return 0;
}

double rnn_loss_ref(const struct rnn_model *m, const rk_real *p_early, const rk_real *p_late,
                    const rk_real *x, const rk_real *target, int B, int T, int bptt)
{
    if (!m || B < 1 || T < 1)
        return -1;
    size_t nin = (size_t)m->cfg.nin, nout = (size_t)m->cfg.nout;
    size_t K = (bptt <= 0 || bptt >= T) ? (size_t)T : (size_t)bptt;
    rk_real *s = malloc(ref_scratch_size(m) * sizeof *s);
    if (!s)
        return -1;
    rk_real *y = s + ref_scratch_size(m) - nout;
    double loss = 0;
    for (size_t b = 0; b < (size_t)B; b++) {
        const rk_real *tb = target + b * nout;
        ref_window(m, p_early, p_late, x + b * (size_t)T * nin, (size_t)T, K, y, s, NULL);
        loss += ref_row_loss(&m->cfg, y, tb);
    }
    free(s);
    return loss / rnn_loss_norm(&m->cfg, (size_t)B);
}

double rnn_seq_loss_ref(const struct rnn_model *m, const rk_real *p, const rk_real *x,
                        const rk_real *target, int B, int T, const rk_real *h0,
                        const rk_real *c0, rk_real *y, rk_real *hT, rk_real *cT)
{
    if (!m || !p || !x || B < 1 || T < 1)
        return -1;
    size_t nin = (size_t)m->cfg.nin, nout = (size_t)m->cfg.nout, Tn = (size_t)T;
    size_t ns = ref_scratch_size(m);
    rk_real *s = malloc((ns + Tn * nout) * sizeof *s);
    if (!s)
        return -1;
    rk_real *yb = s + ns;
    double loss = 0;
    for (size_t b = 0; b < (size_t)B; b++) {
        struct ref_seq sq = {(size_t)B, b, h0, c0, hT, cT, yb, NULL};
        ref_window(m, p, p, x + b * Tn * nin, Tn, Tn, NULL, s, &sq);
        for (size_t t = 0; target && t < Tn; t++)
            loss += ref_row_loss(&m->cfg, yb + t * nout, target + (b * Tn + t) * nout);
        if (y)
            memcpy(y + b * Tn * nout, yb, Tn * nout * sizeof *y);
    }
    free(s);
    return target ? loss / rnn_loss_norm(&m->cfg, (size_t)B * Tn) : 0;
}

/* what a gradient check differentiates: a window batch (rnn_loss_ref
 * with the early steps at m->param) or a sequence chunk (rnn_seq_loss_ref) */
struct gc_fn {
    const rk_real *x, *target, *h0, *c0;
    int B, T, bptt, seq;
};

static double gc_loss(const struct rnn_model *m, const struct gc_fn *f, const rk_real *p)
{
    if (f->seq)
        return rnn_seq_loss_ref(m, p, f->x, f->target, f->B, f->T, f->h0, f->c0, NULL, NULL,
                                NULL);
    return rnn_loss_ref(m, m->param, p, f->x, f->target, f->B, f->T, f->bptt);
}

static int gradcheck(const struct rnn_model *m, const struct gc_fn *f, double eps, double tol,
                     struct gc_row *rows)
{
    if (!m || !f->x || !f->target || !rows || f->B < 1 || f->T < 1 || !(eps > 0))
        return -1;
    struct rnn_work *w = f->seq ? rnn_work_new_seq(m, f->B, f->T, 1) : rnn_work_new(m, f->B, f->T, 1);
    rk_real *grad = malloc(m->nparam * sizeof *grad);
    rk_real *p = malloc(m->nparam * sizeof *p);
    int nfail = -1;
    if (!w || !grad || !p)
        goto out;
    double l0 = f->seq ? rnn_seq_step_grad(m, w, grad, f->x, f->target, f->B, f->T, f->h0, f->c0,
                                           NULL, NULL)
                       : rnn_train_step_grad(m, w, grad, f->x, f->target, f->B, f->T, f->bptt);
    if (l0 < 0)
        goto out;
    memcpy(p, m->param, m->nparam * sizeof *p);
    nfail = 0;
    for (size_t ti = 0; ti < m->ntensor; ti++) {
        const struct rnn_tensor *tn = &m->tensor[ti];
        struct gc_row *r = &rows[ti];
        memset(r, 0, sizeof *r);
        memcpy(r->name, tn->name, sizeof r->name);
        r->pass = 1;
        for (size_t i = tn->off; i < tn->off + tn->rows * tn->cols; i++) {
            rk_real save = p[i];
            rk_real up = (rk_real)(save + eps), dn = (rk_real)(save - eps);
            p[i] = up;
            double lp = gc_loss(m, f, p);
            p[i] = dn;
            double lm = gc_loss(m, f, p);
            p[i] = save;
            double num = (lp - lm) / ((double)up - (double)dn);
            double a = grad[i], d = fabs(a - num), s = fabs(a) + fabs(num);
            double rel = d / (s > 1e-7 ? s : 1e-7);
            if (d > r->max_abs)
                r->max_abs = d;
            if (rel > r->max_rel)
                r->max_rel = rel;
            if (!(d <= tol * (s > 1 ? s : 1)))
                r->pass = 0;
        }
        if (!r->pass)
            nfail++;
    }
out:
    free(p);
    free(grad);
    rnn_work_free(w);
    return nfail;
}

int rnn_gradcheck(const struct rnn_model *m, const rk_real *x, const rk_real *target, int B, int T,
                  int bptt, double eps, double tol, struct gc_row *rows)
{
    struct gc_fn f = {x, target, NULL, NULL, B, T, bptt, 0};
    return gradcheck(m, &f, eps, tol, rows);
}

int rnn_seq_gradcheck(const struct rnn_model *m, const rk_real *x, const rk_real *target, int B,
                      int T, const rk_real *h0, const rk_real *c0, double eps, double tol,
                      struct gc_row *rows)
{
    struct gc_fn f = {x, target, h0, c0, B, T, 0, 1};
    return gradcheck(m, &f, eps, tol, rows);
}
