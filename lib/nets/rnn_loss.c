/* rnn_loss.c - the head's loss: mean squared error, or softmax
 * cross-entropy over classes (rnn.h, the top and "the head's loss"). */
#include <math.h>
#include <string.h>
#include "rnn.h"

static const char *loss_names[] = {"mse", "ce"};

const char *rnn_loss_name(enum rnn_loss loss)
{
    return (unsigned)loss <= (unsigned)RNN_LOSS_CE ? loss_names[loss] : NULL;
}

int rnn_loss_parse(const char *s, enum rnn_loss *out)
{
    for (int i = 0; s && i <= (int)RNN_LOSS_CE; i++)
        if (strcmp(s, loss_names[i]) == 0) {
            *out = (enum rnn_loss)i;
            return 0;
        }
    return -1;
}

double rnn_loss_norm(const struct rnn_config *cfg, size_t B)
{
    return cfg->loss == RNN_LOSS_CE ? (double)B : (double)B * (double)cfg->nout;
}

/* log sum_k exp(y_k), from the maximum */
static double log_sum_exp(const rk_real *y, size_t n)
{
    double mx = (double)y[0], s = 0;
    for (size_t k = 1; k < n; k++)
        if ((double)y[k] > mx)
            mx = (double)y[k];
    for (size_t k = 0; k < n; k++)
        s += exp((double)y[k] - mx);
    return mx + log(s);
}

void rnn_softmax_rows(rk_real *p, const rk_real *y, size_t B, size_t n)
{
    for (size_t b = 0; b < B; b++) {
        double lse = log_sum_exp(y + b * n, n);
        for (size_t k = 0; k < n; k++)
            p[b * n + k] = (rk_real)exp((double)y[b * n + k] - lse);
    }
}

double rnn_head_loss(const struct rnn_config *cfg, const rk_real *y, const rk_real *target,
                     rk_real *dy, size_t B, double scale)
{
    size_t n = (size_t)cfg->nout;
    double loss = 0;
    if (cfg->loss != RNN_LOSS_CE) {
        rk_real sc = (rk_real)(2 * scale);
        for (size_t i = 0; i < B * n; i++) {
            rk_real d = y[i] - target[i];
            loss += (double)d * (double)d;
            if (dy)
                dy[i] = sc * d;
        }
        return loss;
    }
    for (size_t b = 0; b < B; b++) {
        const rk_real *yb = y + b * n, *tb = target + b * n;
        double lse = log_sum_exp(yb, n), st = 0;
        for (size_t k = 0; k < n; k++) {
            st += (double)tb[k];
            if (tb[k] != 0)
                loss += (double)tb[k] * (lse - (double)yb[k]);
        }
        if (dy)
            for (size_t k = 0; k < n; k++)
                dy[b * n + k] =
                    (rk_real)(scale * (exp((double)yb[k] - lse) * st - (double)tb[k]));
    }
    return loss;
}
