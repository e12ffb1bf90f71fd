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

/* one window: y (nout) from xb (T, nin); steps t <= T-K use pe, the rest
 * and the head use pl.  scratch: see ref_scratch_size */
static void ref_window(const struct rnn_model *m, const rk_real *pe, const rk_real *pl,
                       const rk_real *xb, size_t T, size_t K, rk_real *y, rk_real *scratch)
{
    const struct rnn_config *cfg = &m->cfg;
    size_t H = (size_t)cfg->nhid, L = (size_t)cfg->nlayers, nin = (size_t)cfg->nin;
    size_t GH = (size_t)rk_cell_gates(cfg->cell) * H;
    rk_real *h = scratch, *c = h + L * H, *a = c + L * H, *hn = a + GH, *rh = hn + H;
    memset(h, 0, 2 * L * H * sizeof *h);
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
                }
                break;
            }
            memcpy(hl, hn, H * sizeof *hl);
        }
    }
    size_t nt = m->ntensor, nout = (size_t)cfg->nout;
    const rk_real *Wout = pl + m->tensor[nt - 2].off, *bout = pl + m->tensor[nt - 1].off;
    for (size_t o = 0; o < nout; o++)
        y[o] = (rk_real)(dot(Wout + o * H, h + (L - 1) * H, H) + bout[o]);
}

static size_t ref_scratch_size(const struct rnn_model *m)
{
    size_t H = (size_t)m->cfg.nhid, L = (size_t)m->cfg.nlayers;
    return 2 * L * H + (size_t)rk_cell_gates(m->cfg.cell) * H + 2 * H + (size_t)m->cfg.nout;
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
                   y + b * nout, s);
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
        ref_window(m, p_early, p_late, x + b * (size_t)T * nin, (size_t)T, K, y, s);
        if (m->cfg.loss == RNN_LOSS_CE) { /* -sum t_k log softmax(y)_k, plainly */
            double z = 0;
            for (size_t o = 0; o < nout; o++)
                z += exp((double)y[o]);
            for (size_t o = 0; o < nout; o++)
                loss -= (double)tb[o] * ((double)y[o] - log(z));
            continue;
        }
        for (size_t o = 0; o < nout; o++) {
            double d = (double)y[o] - (double)tb[o];
            loss += d * d;
        }
    }
    free(s);
    return loss / (m->cfg.loss == RNN_LOSS_CE ? (double)B : (double)B * (double)nout);
}

int rnn_gradcheck(const struct rnn_model *m, const rk_real *x, const rk_real *target, int B, int T,
                  int bptt, double eps, double tol, struct gc_row *rows)
{
    if (!m || !x || !target || !rows || B < 1 || T < 1 || !(eps > 0))
        return -1;
    struct rnn_work *w = rnn_work_new(m, B, T, 1);
    rk_real *grad = malloc(m->nparam * sizeof *grad);
    rk_real *p = malloc(m->nparam * sizeof *p);
    int nfail = -1;
    if (!w || !grad || !p)
        goto out;
    if (rnn_train_step_grad(m, w, grad, x, target, B, T, bptt) < 0)
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
            double lp = rnn_loss_ref(m, m->param, p, x, target, B, T, bptt);
            p[i] = dn;
            double lm = rnn_loss_ref(m, m->param, p, x, target, B, T, bptt);
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
