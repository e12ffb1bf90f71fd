/* rnn_optim.c - Adam / SGD (PyTorch semantics), gradient norm and clipping. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "rnn_internal.h"

int rk_optim_init(struct rk_optim *o, enum rk_optim_kind kind, size_t n, double lr)
{
    if (!o)
        return -1;
    memset(o, 0, sizeof *o);
    if ((kind != RK_ADAM && kind != RK_SGD) || !(lr >= 0))
        return -1;
    o->kind = kind;
    o->lr = lr;
    o->momentum = 0;
    o->beta1 = 0.9;
    o->beta2 = 0.999;
    o->eps = 1e-8;
    o->weight_decay = 0;
    o->n = n;
    o->m = calloc(n ? n : 1, sizeof *o->m);
    if (kind == RK_ADAM)
        o->v = calloc(n ? n : 1, sizeof *o->v);
    if (!o->m || (kind == RK_ADAM && !o->v)) {
        rk_optim_release(o);
        return -1;
    }
    return 0;
}

void rk_optim_release(struct rk_optim *o)
{
    if (!o)
        return;
    free(o->m);
    free(o->v);
    memset(o, 0, sizeof *o);
}

void rk_optim_reset(struct rk_optim *o)
{
    o->t = 0;
    memset(o->m, 0, o->n * sizeof *o->m);
    if (o->v)
        memset(o->v, 0, o->n * sizeof *o->v);
}

const char *rk_optim_name(enum rk_optim_kind k)
{
    return k == RK_ADAM ? "adam" : k == RK_SGD ? "sgd" : NULL;
}

int rk_optim_parse(const char *s, enum rk_optim_kind *out)
{
    if (s && strcmp(s, "adam") == 0)
        *out = RK_ADAM;
    else if (s && strcmp(s, "sgd") == 0)
        *out = RK_SGD;
    else
        return -1;
    return 0;
}

/* Adam: p, m, v (n) in/out; g (n) in */
RK_AI void adam_kernel_impl(rk_real *restrict p, rk_real *restrict m, rk_real *restrict v,
                            const rk_real *restrict g, size_t n, rk_real b1, rk_real b2,
                            rk_real step, rk_real sqrt_bc2, rk_real eps)
{
    RK_PW_LOOP(n,
               rk_real mi = b1 * m[j] + (1 - b1) * g[j];
               rk_real vi = b2 * v[j] + (1 - b2) * g[j] * g[j];
               m[j] = mi;
               v[j] = vi;
               p[j] -= step * (mi / (rk_sqrtr(vi) / sqrt_bc2 + eps)););
}
RK_DISPATCH(adam_kernel,
            (rk_real *restrict p, rk_real *restrict m, rk_real *restrict v,
             const rk_real *restrict g, size_t n, rk_real b1, rk_real b2, rk_real step,
             rk_real sqrt_bc2, rk_real eps),
            (p, m, v, g, n, b1, b2, step, sqrt_bc2, eps))

void rk_optim_range(const struct rk_optim *o, rk_real *param, const rk_real *grad, size_t lo,
                        size_t hi)
{
    if (o->kind == RK_ADAM) {
        if (o->weight_decay != 0) {
            /* torch.optim.AdamW: param.mul_(1 - lr * weight_decay) */
            rk_real f = (rk_real)(1 - o->lr * o->weight_decay);
            for (size_t i = lo; i < hi; i++)
                param[i] *= f;
        }
        double bc1 = 1 - pow(o->beta1, (double)o->t), bc2 = 1 - pow(o->beta2, (double)o->t);
        adam_kernel(param + lo, o->m + lo, o->v + lo, grad + lo, hi - lo, (rk_real)o->beta1,
                    (rk_real)o->beta2, (rk_real)(o->lr / bc1), (rk_real)sqrt(bc2),
                    (rk_real)o->eps);
        return;
    }
    rk_real lr = (rk_real)o->lr, mu = (rk_real)o->momentum;
    if (o->weight_decay != 0) {
        /* torch.optim.SGD: d_p = d_p.add(param, alpha=weight_decay) */
        rk_real wd = (rk_real)o->weight_decay;
        for (size_t i = lo; i < hi; i++) {
            rk_real d = grad[i] + wd * param[i];
            rk_real b = o->momentum == 0 || o->t == 1 ? d : mu * o->m[i] + d;
            if (o->momentum != 0)
                o->m[i] = b;
            param[i] -= lr * b;
        }
        return;
    }
    if (o->momentum == 0) {
        for (size_t i = lo; i < hi; i++)
            param[i] -= lr * grad[i];
        return;
    }
    for (size_t i = lo; i < hi; i++) {
        rk_real b = o->t == 1 ? grad[i] : mu * o->m[i] + grad[i];
        o->m[i] = b;
        param[i] -= lr * b;
    }
}

void rk_optim_step(struct rk_optim *o, rk_real *param, const rk_real *grad)
{
    o->t++;
    rk_optim_range(o, param, grad, 0, o->n);
}

double rk_grad_norm(const rk_real *g, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += (double)g[i] * (double)g[i];
    return sqrt(s);
}

double rk_clip_norm(rk_real *g, size_t n, double maxnorm)
{
    double norm = rk_grad_norm(g, n);
    rk_clip_known_norm(g, n, maxnorm, norm);
    return norm;
}

void rk_clip_known_norm(rk_real *g, size_t n, double maxnorm, double norm)
{
    if (maxnorm > 0 && norm > maxnorm) {
        rk_real s = (rk_real)(maxnorm / (norm + 1e-6));
        for (size_t i = 0; i < n; i++)
            g[i] *= s;
    }
}

void rk_clip_value(rk_real *g, size_t n, double limit)
{
    if (!(limit > 0))
        return;
    rk_real lim = (rk_real)limit;
    for (size_t i = 0; i < n; i++)
        g[i] = g[i] > lim ? lim : (g[i] < -lim ? -lim : g[i]);
}
