/* rnn.c - model configuration, parameter table, initialisation, names. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rnn.h"

static const char *const cell_names[] = {"elman", "lstm", "gru", "gru-torch"};
static const int cell_gates[] = {1, 4, 3, 3};
static const char *const act_names[] = {"tanh", "sigmoid", "relu"};

int rk_cell_gates(enum rk_cell cell)
{
    if ((unsigned)cell > (unsigned)RK_GRU_TORCH)
        return 0;
    return cell_gates[cell];
}

const char *rk_cell_name(enum rk_cell cell)
{
    if ((unsigned)cell > (unsigned)RK_GRU_TORCH)
        return NULL;
    return cell_names[cell];
}

int rk_cell_parse(const char *s, enum rk_cell *out)
{
    if (!s)
        return -1;
    for (int i = 0; i <= (int)RK_GRU_TORCH; i++)
        if (strcmp(s, cell_names[i]) == 0) {
            *out = (enum rk_cell)i;
            return 0;
        }
    return -1;
}

const char *rk_act_name(enum rk_act act)
{
    if ((unsigned)act > (unsigned)RK_RELU)
        return NULL;
    return act_names[act];
}

int rk_act_parse(const char *s, enum rk_act *out)
{
    if (!s)
        return -1;
    for (int i = 0; i <= (int)RK_RELU; i++)
        if (strcmp(s, act_names[i]) == 0) {
            *out = (enum rk_act)i;
            return 0;
        }
    return -1;
}

int rnn_config_check(const struct rnn_config *cfg)
{
    if (!cfg)
        return -1;
    if ((unsigned)cfg->cell > (unsigned)RK_GRU_TORCH || (unsigned)cfg->act > (unsigned)RK_RELU)
        return -1;
    if (cfg->nin < 1 || cfg->nin > RNN_MAX_DIM || cfg->nhid < 1 || cfg->nhid > RNN_MAX_DIM ||
        cfg->nout < 1 || cfg->nout > RNN_MAX_DIM || cfg->nlayers < 1 ||
        cfg->nlayers > RNN_MAX_LAYERS)
        return -1;
    if ((unsigned)cfg->loss > (unsigned)RNN_LOSS_CE || (cfg->loss == RNN_LOSS_CE && cfg->nout < 2))
        return -1;
    return 0;
}

/* fills the table (ntensor entries) and returns nparam (llm.c
 * fill_in_parameter_sizes style) */
static size_t fill_tensors(struct rnn_tensor *t, const struct rnn_config *cfg)
{
    size_t G = (size_t)rk_cell_gates(cfg->cell), H = (size_t)cfg->nhid, off = 0, n = 0;
    for (int l = 0; l < cfg->nlayers; l++) {
        size_t in = l == 0 ? (size_t)cfg->nin : H;
        struct { const char *fmt; size_t rows, cols; } d[4] = {
            {"weight_ih_l%d", G * H, in}, {"weight_hh_l%d", G * H, H},
            {"bias_ih_l%d", G * H, 1}, {"bias_hh_l%d", G * H, 1}};
        for (int k = 0; k < 4; k++, n++) {
            snprintf(t[n].name, sizeof t[n].name, d[k].fmt, l);
            t[n].rows = d[k].rows;
            t[n].cols = d[k].cols;
            t[n].off = off;
            off += d[k].rows * d[k].cols;
        }
    }
    snprintf(t[n].name, sizeof t[n].name, "fc.weight");
    t[n].rows = (size_t)cfg->nout;
    t[n].cols = H;
    t[n].off = off;
    off += t[n].rows * t[n].cols;
    n++;
    snprintf(t[n].name, sizeof t[n].name, "fc.bias");
    t[n].rows = (size_t)cfg->nout;
    t[n].cols = 1;
    t[n].off = off;
    off += t[n].rows;
    return off;
}

size_t rnn_config_table(const struct rnn_config *cfg, struct rnn_tensor *t)
{
    return fill_tensors(t, cfg);
}

int rnn_model_init(struct rnn_model *m, const struct rnn_config *cfg)
{
    if (!m)
        return -1;
    memset(m, 0, sizeof *m);
    if (rnn_config_check(cfg) != 0)
        return -1;
    size_t nt = 4 * (size_t)cfg->nlayers + 2;
    struct rnn_tensor *t = calloc(nt, sizeof *t);
    if (!t)
        return -1;
    size_t np = fill_tensors(t, cfg);
    rk_real *p = calloc(np, sizeof *p);
    if (!p) {
        free(t);
        return -1;
    }
    m->cfg = *cfg;
    m->nparam = np;
    m->param = p;
    m->ntensor = nt;
    m->tensor = t;
    return 0;
}

void rnn_model_randomize(struct rnn_model *m, struct rk_rng *rng)
{
    double k = 1.0 / sqrt((double)m->cfg.nhid);
    for (size_t i = 0; i < m->ntensor; i++) {
        rk_real *p = m->param + m->tensor[i].off;
        size_t n = m->tensor[i].rows * m->tensor[i].cols;
        for (size_t j = 0; j < n; j++)
            p[j] = (rk_real)(-k + 2.0 * k * rk_rng_uniform(rng));
    }
}

void rnn_model_release(struct rnn_model *m)
{
    if (!m)
        return;
    free(m->param);
    free(m->tensor);
    memset(m, 0, sizeof *m);
}

const struct rnn_tensor *rnn_model_find(const struct rnn_model *m, const char *name)
{
    for (size_t i = 0; i < m->ntensor; i++)
        if (strcmp(m->tensor[i].name, name) == 0)
            return &m->tensor[i];
    return NULL;
}
