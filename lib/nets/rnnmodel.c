/* rnnmodel.c - forecasting models in weight streams and CSV tensors. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "arpath.h"
#include "conformal.h"
#include "csvread.h"
#include "output.h"
#include "paths.h"
#include "rnnmodel.h"
#include "util.h"

/* A model's value quoted in a message: cut (rnnkit(7)); a header line
 * may be megabytes long. For die() only: one static buffer. */
static char qv_buf[RK_QUOTE_BUF];
#define QV(s) rk_quote(qv_buf, (s) ? (s) : "", (size_t)-1)

static const char *scaling_names[] = { "zscore", "minmax", "none" };
static const char *normalize_names[] = { "none", "window" };

/* keys of the data's layout (frame.h, timecol.h), carried in info and in
 * exported configs */
static const char *data_keys[] = {
	"positions", "fields", "time-column", "time-position", "time-format",
	"time-step", "missing", NULL
};

/* keys the model itself owns in a stream; others are carried in info */
static const char *core_keys[] = {
	"kind", "cell", "activation", "inputs", "columns", "hidden", "layers",
	"outputs",
	"window", "horizon", "scaling", "transform", "period", "normalize",
	"mode", "interval-steps", "interval-windows", "interval-scale",
	"ensemble", "linear", "loss", "classes", "text", "vocabulary",
	"forecast-period", "forecast-blend", NULL
};

const char *
rk_scaling_name(enum rk_scaling s)
{
	return scaling_names[s];
}

int
rk_scaling_parse(const char *s, enum rk_scaling *out)
{
	int i = rk_name_index(scaling_names, 3, s);

	if (i < 0)
		return -1;
	*out = (enum rk_scaling)i;
	return 0;
}

const char *
rk_normalize_name(enum rk_normalize n)
{
	return normalize_names[n];
}

int
rk_normalize_parse(const char *s, enum rk_normalize *out)
{
	int i = rk_name_index(normalize_names, 2, s);

	if (i < 0)
		return -1;
	*out = (enum rk_normalize)i;
	return 0;
}

void
rnnm_init_meta(struct rnnm *m, size_t ncols, size_t ntargets)
{
	size_t i;

	m->ncols = ncols;
	m->ntargets = ntargets;
	m->colname = ecalloc(ncols, sizeof *m->colname);
	for (i = 0; i < ncols; i++) {
		m->colname[i] = emalloc(24);
		snprintf(m->colname[i], 24, "x%zu", i + 1);
	}
	m->targets = ecalloc(ntargets, sizeof *m->targets);
	for (i = 0; i < ntargets; i++)
		m->targets[i] = i % ncols;
	m->scaling = RK_SCALE_NONE;
	m->normalize = RK_NORM_NONE;
	rk_tf_init(&m->tf, RK_TF_NONE, 1);
	m->shift = ecalloc(ncols, sizeof *m->shift);
	m->scale = emalloc(emul(ncols, sizeof *m->scale));
	for (i = 0; i < ncols; i++)
		m->scale[i] = 1;
	if (!m->window)
		m->window = 1;
	if (!m->horizon && m->net.cfg.loss != RNN_LOSS_CE)
		m->horizon = 1;         /* (a classifier's 0 is its own) */
	if (!m->steps)
		m->steps = 1;
	ws_init(&m->info, NULL);
}

int
rnnm_horizon_parse(const char *s, size_t *H, size_t *K)
{
	unsigned long long a, b;
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	a = strtoull(s, &end, 10);
	if (errno)
		return -1;
	if (!*end) {
		if (a > 1000000)
			return -1;
		*H = (size_t)a;
		*K = 1;
		return 0;
	}
	if (a != 1 || *end != '-' || end[1] < '0' || end[1] > '9')
		return -1;
	b = strtoull(end + 1, &end, 10);
	if (errno || *end || b < 2 || b > RNNM_MAXSTEPS)
		return -1;
	*H = 1;
	*K = (size_t)b;
	return 0;
}

char *
rnnm_horizon_name(const struct rnnm *m, char *buf, size_t n)
{
	if (m->steps > 1)
		snprintf(buf, n, "1-%zu", m->steps);
	else
		snprintf(buf, n, "%zu", m->horizon);
	return buf;
}

/* The horizon key of a stream or config (s) into m; dies (65) on a bad
 * one, one that does not divide the nout outputs, or 0 but for a
 * classifier. */
static void
horizon_set(struct rnnm *m, const char *src, const char *s, int nout,
            enum rnn_loss loss)
{
	if (rnnm_horizon_parse(s, &m->horizon, &m->steps) < 0)
		die(EX_DATAERR, "%s: bad horizon '%s' (H, or 1-K with K from 2 "
		    "to %d)", src, QV(s), RNNM_MAXSTEPS);
	if (m->horizon == 0 && loss != RNN_LOSS_CE)
		die(EX_DATAERR, "%s: horizon 0 (the window's own last row) "
		    "goes with a classifier (loss ce)", src);
	if ((size_t)nout % m->steps)
		die(EX_DATAERR, "%s: horizon %s needs a multiple of %zu "
		    "outputs, not %d", src, s, m->steps, nout);
}

/* the source's name, for rnnm_name */
static void
info_name(struct rnnm *m, const char *name)
{
	free(m->info.name);
	m->info.name = name ? estrdup(name) : NULL;
}

const char *
rnnm_name(const struct rnnm *m)
{
	return m->info.name ? m->info.name : "the model";
}

void
rnnm_release(struct rnnm *m)
{
	size_t i;

	for (i = 0; i < m->ncols && m->colname; i++)
		free(m->colname[i]);
	free(m->colname);
	free(m->targets);
	free(m->shift);
	free(m->scale);
	free(m->optim_m);
	free(m->optim_v);
	free(m->fit_best);
	free(m->conf_count);
	free(m->conf_res);
	free(m->conf_sref);
	free(m->conf_wf);
	free(m->fc_blend);
	free(m->mparam);
	free(m->ar);
	rk_tf_release(&m->tf);
	ws_release(&m->info);
	rk_vocab_release(&m->vocab);
	rk_labels_release(&m->labels);
	rnn_model_release(&m->net);
	memset(m, 0, sizeof *m);
}

size_t
rnnm_outputs_targets(const struct rnn_config *c, size_t steps)
{
	return c->loss == RNN_LOSS_CE ? 1 : (size_t)c->nout / steps;
}

/* What a classifier is (rnnmodel.h, "Classifiers"), checked on a model
 * read from src: dies (65) when it is not. */
static void
check_classifier(const struct rnnm *m, const char *src)
{
	const struct rnn_config *c = &m->net.cfg;

	if (c->loss != RNN_LOSS_CE) {
		if (m->labels.n)
			die(EX_DATAERR, "%s: classes in a model whose loss "
			    "is not ce", src);
		return;
	}
	if (m->labels.n != (size_t)c->nout)
		die(EX_DATAERR, "%s: %zu classes for %d outputs", src,
		    m->labels.n, c->nout);
	if (m->steps != 1)
		die(EX_DATAERR, "%s: a classifier predicts one step (not "
		    "horizon 1-%zu)", src, m->steps);
	if (m->targets[0] < (size_t)c->nin)
		die(EX_DATAERR, "%s: a classifier's target (column %zu) must "
		    "not be an input", src, m->targets[0] + 1);
	if (!rk_tf_identity(&m->tf) || m->normalize != RK_NORM_NONE ||
	    m->ar_n || m->conf_steps)
		die(EX_DATAERR, "%s: a classifier has no transform, "
		    "normalize, linear path or intervals", src);
}

/* The classes of a classifier from keys class-1..class-N (get: a
 * stream's or a config's), N = nout; dies (65) on a missing, repeated or
 * bad one. */
static void
classes_from(struct rnnm *m, const char *src,
             const char *(*get)(const void *, const char *, char *, size_t),
             const void *ctx)
{
	char key[32], val[RK_LABEL_MAXNAME + 8];
	const char *s, *why = "";
	size_t i, idx;

	for (i = 0; i < (size_t)m->net.cfg.nout; i++) {
		snprintf(key, sizeof key, "class-%zu", i + 1);
		if (!(s = get(ctx, key, val, sizeof val)))
			die(EX_DATAERR, "%s: missing '%s' (a classifier names "
			    "its %d classes)", src, key, m->net.cfg.nout);
		if (rk_labels_add(&m->labels, s, &idx, &why) < 0)
			die(EX_DATAERR, "%s: %s %s", src, key, why);
		if (idx != i)
			die(EX_DATAERR, "%s: %s repeats class %zu", src, key,
			    idx + 1);
	}
}

static const char *
stream_get(const void *ctx, const char *key, char *val, size_t n)
{
	(void)val;
	(void)n;
	return ws_get(ctx, key);
}

void
rnnm_text_init(struct rnnm *m, const struct rnn_config *c,
               const struct rk_vocab *v)
{
	struct rnn_config tc = *c;
	size_t i;

	memset(m, 0, sizeof *m);
	tc.nin = tc.nout = (int)v->n;
	tc.loss = RNN_LOSS_CE;
	if (rnn_model_init(&m->net, &tc) < 0)
		die(EX_SOFTWARE, "text model of %zu classes not valid", v->n);
	m->mode = RNNM_SEQ;
	m->window = m->horizon = m->steps = 1;
	rnnm_init_meta(m, v->n, v->n);
	for (i = 0; i < v->n; i++)
		m->targets[i] = i;
	if (rk_vocab_set(&m->vocab, v->bytes, v->sym, v->n) < 0)
		die(EX_SOFTWARE, "bad vocabulary");
}

void
rnnm_set_transform(struct rnnm *m, enum rk_transform kind, size_t period)
{
	rk_tf_release(&m->tf);
	rk_tf_init(&m->tf, kind, period);
}

void
rnnm_keep_optim(struct rnnm *m, const struct rk_optim *opt)
{
	size_t n = m->net.nparam;

	free(m->optim_m);
	free(m->optim_v);
	m->optim_m = m->optim_v = NULL;
	m->optim_t = 0;
	if (!opt || opt->t == 0)
		return;
	m->optim_kind = opt->kind;
	m->optim_t = opt->t;
	m->optim_m = emalloc(emul(n, sizeof *m->optim_m));
	memcpy(m->optim_m, opt->m, n * sizeof *m->optim_m);
	if (opt->v) {
		m->optim_v = emalloc(emul(n, sizeof *m->optim_v));
		memcpy(m->optim_v, opt->v, n * sizeof *m->optim_v);
	}
}

void
rnnm_keep_best(struct rnnm *m, const rk_real *best)
{
	free(m->fit_best);
	m->fit_best = NULL;
	if (!best)
		return;
	m->fit_best = emalloc(emul(m->net.nparam, sizeof *m->fit_best));
	memcpy(m->fit_best, best, m->net.nparam * sizeof *m->fit_best);
}

void
rnnm_drop_fit_state(struct rnnm *m)
{
	ws_unset(&m->info, "fit-best-epoch");
	ws_unset(&m->info, "fit-since-best");
	ws_unset(&m->info, "fit-best-val");
	ws_unset(&m->info, "fit-best-train");
	ws_unset(&m->info, "fit-best-accuracy");
	ws_unset(&m->info, "fit-lr");
}

int
rnnm_restore_optim(const struct rnnm *m, struct rk_optim *opt)
{
	size_t n = m->net.nparam;

	if (!m->optim_t || m->optim_kind != opt->kind || opt->n != n ||
	    (opt->v && !m->optim_v))
		return 0;
	opt->t = m->optim_t;
	memcpy(opt->m, m->optim_m, n * sizeof *opt->m);
	if (opt->v)
		memcpy(opt->v, m->optim_v, n * sizeof *opt->v);
	return 1;
}

size_t
rnnm_window_rows(const struct rnnm *m)
{
	return m->window + m->tf.lag;
}

void
rnnm_set_members(struct rnnm *m, size_t n)
{
	free(m->mparam);
	m->mparam = NULL;
	m->nmembers = n > 1 ? n : 1;
	if (n > 1)
		m->mparam = emalloc(emul(n - 1, emul(m->net.nparam,
		                                     sizeof *m->mparam)));
}

struct rnnm_work {
	struct rnn_work *w;
	rk_real *ys;            /* nmembers x (maxB, nout) */
	double *v;              /* nmembers */
};

struct rnnm_work *
rnnm_work_new(const struct rnnm *m, int maxB, int maxT, int nthreads)
{
	struct rnnm_work *w = ecalloc(1, sizeof *w);
	size_t N = rnnm_nmembers(m);

	if (!(w->w = rnn_work_new(&m->net, maxB, maxT, nthreads))) {
		free(w);
		return NULL;
	}
	if (N > 1) {
		w->ys = emalloc(emul(N, emul((size_t)maxB,
		                     emul((size_t)m->net.cfg.nout, sizeof *w->ys))));
		w->v = emalloc(emul(N, sizeof *w->v));
	}
	return w;
}

void
rnnm_work_free(struct rnnm_work *w)
{
	if (!w)
		return;
	rnn_work_free(w->w);
	free(w->ys);
	free(w->v);
	free(w);
}

void
rnnm_forward(const struct rnnm *m, struct rnnm_work *w, rk_real *y,
             const rk_real *x, int B, int T)
{
	size_t N = rnnm_nmembers(m), n = (size_t)B * (size_t)m->net.cfg.nout;
	size_t k, i, a, b;
	struct rnn_model net = m->net;
	double t;

	if (m->net.cfg.loss == RNN_LOSS_CE) {
		/* the mean of the members' probabilities */
		size_t no = (size_t)m->net.cfg.nout;

		if (N == 1) {
			rnn_forward(&m->net, w->w, y, x, B, T);
			rnn_softmax_rows(y, y, (size_t)B, no);
			return;
		}
		for (k = 0; k < N; k++) {
			net.param = rnnm_member_param(m, k);
			rnn_forward(&net, w->w, w->ys + k * n, x, B, T);
			rnn_softmax_rows(w->ys + k * n, w->ys + k * n,
			                 (size_t)B, no);
		}
		for (i = 0; i < n; i++) {
			t = 0;
			for (a = 0; a < N; a++)
				t += (double)w->ys[a * n + i];
			y[i] = (rk_real)(t / (double)N);
		}
		return;
	}
	if (N == 1) {
		rnn_forward(&m->net, w->w, y, x, B, T);
		return;
	}
	for (k = 0; k < N; k++) {
		net.param = rnnm_member_param(m, k);
		rnn_forward(&net, w->w, w->ys + k * n, x, B, T);
	}
	for (i = 0; i < n; i++) {
		/* insertion sort of the N values: N is small */
		for (a = 0; a < N; a++) {
			t = (double)w->ys[a * n + i];
			for (b = a; b > 0 && w->v[b - 1] > t; b--)
				w->v[b] = w->v[b - 1];
			w->v[b] = t;
		}
		y[i] = (rk_real)(N % 2 ? w->v[N / 2] :
		                 (w->v[N / 2 - 1] + w->v[N / 2]) / 2);
	}
}

int
rnnm_autoregressive(const struct rnnm *m)
{
	size_t i;

	if (m->ntargets != m->ncols || m->ncols != (size_t)m->net.cfg.nin)
		return 0;
	for (i = 0; i < m->ncols; i++)
		if (m->targets[i] != i)
			return 0;
	return 1;
}

static void
put_real(struct rk_wstream *w, const char *name, const rk_real *p,
         size_t rows, size_t cols)
{
	float *f = emalloc(emul(emul(rows, cols), sizeof *f));
	size_t i;

	for (i = 0; i < rows * cols; i++)
		f[i] = (float)p[i];
	ws_add(w, name, RK_F32, rows, cols, f);
	free(f);
}

static void
get_real(const struct rk_tensor *t, rk_real *out)
{
#ifdef RK_REAL_DOUBLE
	ws_get_f64(t, out);
#else
	ws_get_f32(t, out);
#endif
}

void
rnnm_member_name(char *b, size_t n, size_t k, const char *name)
{
	if (k)
		snprintf(b, n, "m%zu.%.40s", k + 1, name);
	else
		snprintf(b, n, "%s", name);
}

int
rnnm_check_limits(const struct rnn_config *c, size_t ncols, size_t window,
                  size_t horizon, char *why, size_t len)
{
	struct rnn_tensor tab[4 * RNN_MAX_LAYERS + 2];
	struct rk_wstream w;
	size_t nt, np, i;
	int rc;

	if (c->nin > 100000 || c->nout > 100000 || ncols > 100000 ||
	    c->nhid > 100000 || window > 1000000 || horizon > 1000000) {
		snprintf(why, len, "over 100000 inputs, columns, outputs or "
		         "hidden units, or a window or horizon over 1000000");
		return -1;
	}
	if (rnn_config_check(c) < 0) {
		snprintf(why, len, "not a valid net");
		return -1;
	}
	if (window > RK_WS_MAXRING / (size_t)c->nin) {
		snprintf(why, len, "window %zu times %d inputs is over %zu "
		         "values", window, c->nin, RK_WS_MAXRING);
		return -1;
	}
	/* the net's, scale.*, optim.m, optim.v, fit.best, interval.* */
	nt = 4 * (size_t)c->nlayers + 2;
	if (nt + 7 > RK_WS_MAXTENSORS) {
		snprintf(why, len, "%d layers make %zu tensors, over %d",
		         c->nlayers, nt + 7, RK_WS_MAXTENSORS);
		return -1;
	}
	/* each tensor first alone: its product can be far over the rest */
	{
		size_t G = (size_t)rk_cell_gates(c->cell), H = (size_t)c->nhid;
		size_t in = (size_t)c->nin > H ? (size_t)c->nin : H;

		if (G * H > RK_WS_MAXELEMS / in) {
			snprintf(why, len, "a weight tensor of %zux%zu is over "
			         "%zu values", G * H, in, RK_WS_MAXELEMS);
			return -1;
		}
	}
	np = rnn_config_table(c, tab);
	ws_init(&w, "rnn");
	for (i = 0; i < nt && np <= RK_WS_MAXPARAMS; i++)
		ws_declare(&w, tab[i].name, RK_F32, tab[i].rows, tab[i].cols);
	ws_declare(&w, "scale.shift", RK_F64, ncols, 1);
	ws_declare(&w, "scale.scale", RK_F64, ncols, 1);
	if (np <= RK_WS_MAXELEMS) {
		ws_declare(&w, "optim.m", RK_F32, np, 1);
		ws_declare(&w, "optim.v", RK_F32, np, 1);
		ws_declare(&w, "fit.best", RK_F32, np, 1);
	}
	rc = np > RK_WS_MAXPARAMS ? -1 : ws_check(&w, why, len);
	if (np > RK_WS_MAXPARAMS)
		snprintf(why, len, "its tensors hold more than %zu values",
		         RK_WS_MAXPARAMS);
	ws_release(&w);
	return rc;
}

/* A sequence model has none of what goes with windows (rnnmodel.h). */
static void
seq_check(const struct rnnm *m, const char *name)
{
	if (m->mode == RNNM_SEQ && (m->steps > 1 || !rk_tf_identity(&m->tf) ||
	    m->normalize != RK_NORM_NONE || m->ar_n || rnnm_nmembers(m) > 1 ||
	    m->conf_steps))
		die(EX_DATAERR, "%s: a model of mode seq has a horizon of one "
		    "row, no transform, normalize, linear path, ensemble or "
		    "interval residuals", name);
}

static int is_core_key(const char *k);

/* A checkpoint's training state (rnnmodel.h): the optimizer's moments
 * and the best epoch's weights, when m has them. */
static void
train_state_to_stream(const struct rnnm *m, struct rk_wstream *w)
{
	if (m->optim_t) {
		ws_set(w, "optimizer-state", "%s", rk_optim_name(m->optim_kind));
		ws_set(w, "optimizer-step", "%ld", m->optim_t);
		put_real(w, "optim.m", m->optim_m, m->net.nparam, 1);
		if (m->optim_v)
			put_real(w, "optim.v", m->optim_v, m->net.nparam, 1);
	}
	if (m->fit_best)
		put_real(w, "fit.best", m->fit_best, m->net.nparam, 1);
}

/* Its shapes, for a net of np parameters, before ws_load(): the
 * optimizer-state key (NULL: none), its kind in *okind. */
static const char *
train_state_need(struct rk_wstream *w, size_t np, enum rk_optim_kind *okind)
{
	const char *ostate;

	if ((ostate = ws_get(w, "optimizer-state"))) {
		if (rk_optim_parse(ostate, okind) < 0)
			die(EX_DATAERR, "%s: unknown optimizer state '%s'",
			    w->name, QV(ostate));
		ws_need(w, "optim.m", np, 1);
		if (*okind == RK_ADAM)
			ws_need(w, "optim.v", np, 1);
	}
	if (ws_find(w, "fit.best"))
		ws_need(w, "fit.best", np, 1);
	return ostate;
}

/* ... and the state itself, after ws_load() and rnn_model_init(). */
static void
train_state_from_stream(struct rnnm *m, struct rk_wstream *w,
                        const char *ostate, enum rk_optim_kind okind)
{
	size_t n = m->net.nparam;

	if (ostate) {
		m->optim_kind = okind;
		m->optim_t = (long)ws_get_size(w, "optimizer-step", 1,
		                               (size_t)1 << 62);
		m->optim_m = emalloc(emul(n, sizeof *m->optim_m));
		ws_finite(w, ws_find(w, "optim.m"));
		get_real(ws_find(w, "optim.m"), m->optim_m);
		if (m->optim_kind == RK_ADAM) {
			m->optim_v = emalloc(emul(n, sizeof *m->optim_v));
			ws_finite(w, ws_find(w, "optim.v"));
			get_real(ws_find(w, "optim.v"), m->optim_v);
		}
	}
	if (ws_find(w, "fit.best")) {
		m->fit_best = emalloc(emul(n, sizeof *m->fit_best));
		ws_finite(w, ws_find(w, "fit.best"));
		get_real(ws_find(w, "fit.best"), m->fit_best);
	}
}

/* A text model (rnnmodel.h): the net, its vocabulary and the info keys;
 * none of a series model's columns, targets or scaling. */
static void
text_to_stream(const struct rnnm *m, struct rk_wstream *w)
{
	const struct rnn_config *c = &m->net.cfg;
	size_t i;

	ws_init(w, "rnn");
	ws_set(w, "cell", "%s", rk_cell_name(c->cell));
	ws_set(w, "activation", "%s", rk_act_name(c->act));
	ws_set(w, "inputs", "%d", c->nin);
	ws_set(w, "hidden", "%d", c->nhid);
	ws_set(w, "layers", "%d", c->nlayers);
	ws_set(w, "outputs", "%d", c->nout);
	ws_set(w, "loss", "%s", rnn_loss_name(c->loss));
	ws_set(w, "mode", "seq");
	for (i = 0; i < m->info.nkeys; i++)
		ws_set(w, m->info.key[i], "%s", m->info.val[i]);
	for (i = 0; i < m->net.ntensor; i++) {
		const struct rnn_tensor *t = &m->net.tensor[i];

		put_real(w, t->name, m->net.param + t->off, t->rows, t->cols);
	}
	rk_vocab_to_stream(&m->vocab, w);
	train_state_to_stream(m, w);
}

/* ... and back: every shape checked on the header first. */
static void
text_from_stream(struct rnnm *m, struct rk_wstream *w)
{
	struct rnn_config c;
	struct rnn_tensor tab[4 * 64 + 2];
	const char *s, *ostate;
	enum rk_optim_kind okind = RK_ADAM;
	size_t i, k, V, nt, np;

	memset(m, 0, sizeof *m);
	memset(&c, 0, sizeof c);
	if (!(s = ws_get(w, "cell")) || rk_cell_parse(s, &c.cell) < 0)
		die(EX_DATAERR, "%s: unknown cell '%s'", w->name, QV(s));
	if (!(s = ws_get(w, "activation")) || rk_act_parse(s, &c.act) < 0)
		die(EX_DATAERR, "%s: unknown activation '%s'", w->name,
		    QV(s));
	c.nin = (int)ws_get_size(w, "inputs", 2, 100000);
	c.nhid = (int)ws_get_size(w, "hidden", 1, 100000);
	c.nlayers = (int)ws_get_size(w, "layers", 1, 64);
	c.nout = (int)ws_get_size(w, "outputs", 2, 100000);
	if (!(s = ws_get(w, "loss")) || strcmp(s, "ce") ||
	    !(s = ws_get(w, "mode")) || strcmp(s, "seq"))
		die(EX_DATAERR, "%s: a text model has loss ce and mode seq",
		    w->name);
	c.loss = RNN_LOSS_CE;
	V = rk_vocab_need(w);
	if (V != (size_t)c.nin || V != (size_t)c.nout)
		die(EX_DATAERR, "%s: a text model of %zu characters has as "
		    "many inputs and outputs (not %d and %d)", w->name, V,
		    c.nin, c.nout);
	if (rnn_config_check(&c) < 0)
		die(EX_DATAERR, "%s: model dimensions are not valid", w->name);
	np = rnn_config_table(&c, tab);
	nt = 4 * (size_t)c.nlayers + 2;
	for (i = 0; i < nt; i++)
		ws_need(w, tab[i].name, tab[i].rows, tab[i].cols);
	ostate = train_state_need(w, np, &okind);
	ws_load(w);
	if (rnn_model_init(&m->net, &c) < 0)
		die(EX_DATAERR, "%s: model dimensions are not valid", w->name);
	m->mode = RNNM_SEQ;
	m->window = m->horizon = m->steps = 1;
	rnnm_init_meta(m, V, V);
	for (i = 0; i < V; i++)
		m->targets[i] = i;
	for (i = 0; i < m->net.ntensor; i++) {
		const struct rnn_tensor *t = &m->net.tensor[i];
		rk_real *p = m->net.param + t->off;

		get_real(ws_find(w, t->name), p);
		for (k = 0; k < t->rows * t->cols; k++)
			if (!isfinite(p[k]))
				die(EX_DATAERR, "%s: tensor '%s' holds NaN or "
				    "Inf", w->name, t->name);
	}
	rk_vocab_from_stream(&m->vocab, w);
	for (i = 0; i < w->nkeys; i++)
		if (!is_core_key(w->key[i]))
			ws_set(&m->info, w->key[i], "%s", w->val[i]);
	info_name(m, w->name);
	train_state_from_stream(m, w, ostate, okind);
}

/* The keys of a window model's stream, up to the tensors' (rnnm_to_stream) */
static void
keys_to_stream(const struct rnnm *m, struct rk_wstream *w)
{
	const struct rnn_config *c = &m->net.cfg;
	char key[32];
	size_t i;

	ws_init(w, "rnn");
	ws_set(w, "cell", "%s", rk_cell_name(c->cell));
	ws_set(w, "activation", "%s", rk_act_name(c->act));
	ws_set(w, "inputs", "%d", c->nin);
	if (m->ncols != (size_t)c->nin)
		ws_set(w, "columns", "%zu", m->ncols);
	ws_set(w, "hidden", "%d", c->nhid);
	ws_set(w, "layers", "%d", c->nlayers);
	ws_set(w, "outputs", "%d", c->nout);
	/* only for a classifier: regression models stay as they were */
	if (c->loss == RNN_LOSS_CE)
		ws_set(w, "loss", "%s", rnn_loss_name(c->loss));
	if (m->mode == RNNM_SEQ)
		ws_set(w, "mode", "seq");
	else
		ws_set(w, "window", "%zu", m->window);
	ws_set(w, "horizon", "%s", rnnm_horizon_name(m, key, sizeof key));
	ws_set(w, "scaling", "%s", rk_scaling_name(m->scaling));
	/* only when not the identity: older readers refuse nothing, and
	 * models without a transform stay byte for byte as they were */
	if (m->tf.kind != RK_TF_NONE || m->tf.period > 1)
		ws_set(w, "transform", "%s", rk_transform_name(m->tf.kind));
	if (m->tf.period > 1)
		ws_set(w, "period", "%zu", m->tf.period);
	/* likewise: only when on */
	if (m->normalize != RK_NORM_NONE)
		ws_set(w, "normalize", "%s", rk_normalize_name(m->normalize));
	for (i = 0; i < m->ncols && m->named; i++) {
		snprintf(key, sizeof key, "column-%zu", i + 1);
		ws_set(w, key, "%s", m->colname[i]);
	}
	for (i = 0; i < m->ntargets; i++) {
		snprintf(key, sizeof key, "target-%zu", i + 1);
		ws_set(w, key, "%zu", m->targets[i] + 1);
	}
	for (i = 0; i < m->labels.n; i++) {
		snprintf(key, sizeof key, "class-%zu", i + 1);
		ws_set(w, key, "%s", m->labels.name[i]);
	}
	for (i = 0; i < m->info.nkeys; i++)
		ws_set(w, m->info.key[i], "%s", m->info.val[i]);
}

void
rnnm_to_stream(const struct rnnm *m, struct rk_wstream *w)
{
	char tname[64];
	size_t i, k;

	if (m->vocab.n) {
		text_to_stream(m, w);
		return;
	}
	keys_to_stream(m, w);
	if (rnnm_nmembers(m) > 1)
		ws_set(w, "ensemble", "%zu", m->nmembers);
	for (k = 0; k < rnnm_nmembers(m); k++)
		for (i = 0; i < m->net.ntensor; i++) {
			const struct rnn_tensor *t = &m->net.tensor[i];

			rnnm_member_name(tname, sizeof tname, k, t->name);
			put_real(w, tname, rnnm_member_param(m, k) + t->off,
			         t->rows, t->cols);
		}
	ws_add(w, "scale.shift", RK_F64, m->ncols, 1, m->shift);
	ws_add(w, "scale.scale", RK_F64, m->ncols, 1, m->scale);
	if (m->ar_n) {
		ws_set(w, "linear", "ar");
		ws_add(w, "linear.weight", RK_F64, m->ntargets, m->ar_n, m->ar);
	}
	train_state_to_stream(m, w);
	if (m->conf_steps) {
		double *c = emalloc(emul(m->conf_steps, sizeof *c));

		for (i = 0; i < m->conf_steps; i++)
			c[i] = (double)m->conf_count[i];
		ws_set(w, "interval-steps", "%zu", m->conf_steps);
		ws_set(w, "interval-windows", "%zu", m->conf_n);
		if (m->conf_sref) {
			ws_set(w, "interval-scale", "diff");
			ws_add(w, "interval.scale", RK_F64, m->ntargets, 1,
			       m->conf_sref);
		}
		ws_add(w, "interval.count", RK_F64, m->conf_steps, 1, c);
		ws_add(w, m->conf_n > CONF_LEVELS ? "interval.quantiles" :
		       "interval.residuals", RK_F64, m->conf_steps * m->ntargets,
		       conformal_width(m->conf_n), m->conf_res);
		free(c);
	}
	if (m->fc_blend) {
		char *s = emalloc(emul(m->ntargets, 32)), *p = s;

		for (i = 0; i < m->ntargets; i++)
			p += sprintf(p, "%s%.17g", i ? "," : "", m->fc_blend[i]);
		ws_set(w, "forecast-period", "%zu", m->fc_period);
		ws_set(w, "forecast-blend", "%s", s);
		free(s);
	} else if (m->fc_mode != RNNM_BLEND_NONE && m->fc_period) {
		/* a blend asked for and not yet chosen (a checkpoint): the
		 * season it will use, which a resume cannot find again */
		ws_set(w, "forecast-period", "%zu", m->fc_period);
	}
}

int
rnnm_check_header(const struct rnnm *m, size_t members, char *why,
                  size_t len)
{
	/* %.17g of a weight in [0, 1] is at most 23 bytes, e.g.
	 * 2.2250738585072014e-308 */
	static const char widest[] = "2.2250738585072014e-308";
	struct rk_wstream w;
	char tname[64], *s, *p;
	size_t i, k;
	int rc;

	if (m->vocab.n)
		return 0;
	keys_to_stream(m, &w);
	if (members > 1)
		ws_set(&w, "ensemble", "%zu", members);
	for (k = 0; k < members; k++)
		for (i = 0; i < m->net.ntensor; i++) {
			const struct rnn_tensor *t = &m->net.tensor[i];

			rnnm_member_name(tname, sizeof tname, k, t->name);
			ws_declare(&w, tname, RK_F32, t->rows, t->cols);
		}
	/* the keys training may add, at their longest */
	s = p = emalloc(emul(m->ntargets + 1, sizeof widest));
	*s = '\0';
	for (i = 0; i < m->ntargets; i++)
		p += sprintf(p, "%s%s", i ? "," : "", widest);
	ws_set(&w, "forecast-period", "%d", 1000000);
	ws_set(&w, "forecast-blend", "%s", s);
	free(s);
	ws_set(&w, "linear", "ar");
	ws_set(&w, "interval-steps", "%d", 1000000);
	ws_set(&w, "interval-windows", "%d", 1000000);
	ws_set(&w, "interval-scale", "diff");
	rc = ws_check(&w, why, len);
	if (!rc && ws_header_bytes(&w) > RK_WS_MAXHEADER - RNNM_HEADER_RESERVE) {
		snprintf(why, len, "its header would be over %d MiB (long "
		         "column names?)", RK_WS_MAXHEADER >> 20);
		rc = -1;
	}
	ws_release(&w);
	return rc;
}

/* The forecast blend's weights s (rnnmodel.h), checked: one in [0, 1]
 * per target, comma-separated; name for messages */
static void
blend_weights(struct rnnm *m, const char *name, const char *s)
{
	const char *s0 = s;
	char *end, q[RK_QUOTE_BUF];
	size_t k;

	m->fc_blend = emalloc(emul(m->ntargets, sizeof *m->fc_blend));
	for (k = 0; k < m->ntargets; k++) {
		m->fc_blend[k] = strtod(s, &end);
		if (end == s || !(m->fc_blend[k] >= 0 && m->fc_blend[k] <= 1) ||
		    (k + 1 < m->ntargets ? *end != ',' : *end != '\0'))
			die(EX_DATAERR, "%s: forecast-blend needs %zu weight%s "
			    "in [0, 1], comma-separated, not '%s'", name,
			    m->ntargets, plural(m->ntargets),
			    rk_quote(q, s0, (size_t)-1));
		s = end + 1;
	}
}

/* The forecast blend (rnnmodel.h), checked: a period, and one weight in
 * [0, 1] per target */
static void
blend_from_stream(struct rnnm *m, struct rk_wstream *w)
{
	const char *s = ws_get(w, "forecast-blend");

	if (!ws_get(w, "forecast-period")) {
		if (s)
			die(EX_DATAERR, "%s: forecast-blend and forecast-period "
			    "go together", w->name);
		return;
	}
	m->fc_period = ws_get_size(w, "forecast-period", 1, 1000000);
	if (s)          /* else a checkpoint's season, no blend yet */
		blend_weights(m, w->name, s);
}

/* The residuals for intervals (conformal.h), checked: counts from n
 * down, each row ascending, >= 0, +Inf past its count. */
static void
conf_from_stream(struct rnnm *m, struct rk_wstream *w)
{
	size_t S, n, h, k, j, cnt, wd;
	int table;
	double *c, *row;
	const char *sc;

	if (!ws_get(w, "interval-steps"))
		return;
	if ((sc = ws_get(w, "interval-scale"))) {
		if (strcmp(sc, "diff"))
			die(EX_DATAERR, "%s: unknown interval-scale '%s' "
			    "(diff)", w->name, QV(sc));
		m->conf_scale = 1;
		m->conf_sref = emalloc(emul(m->ntargets,
		                            sizeof *m->conf_sref));
		ws_get_f64(ws_find(w, "interval.scale"), m->conf_sref);
		for (k = 0; k < m->ntargets; k++)
			if (!(m->conf_sref[k] > 0 && isfinite(m->conf_sref[k])))
				die(EX_DATAERR, "%s: interval.scale is not a "
				    "positive scale (output %zu)", w->name, k + 1);
	}
	S = ws_get_size(w, "interval-steps", 1, 100000);
	n = ws_get_size(w, "interval-windows", 1, RK_WS_MAXELEMS);
	if (emul(S, m->ntargets) > RK_WS_MAXELEMS / n)
		die(EX_DATAERR, "%s: interval residuals too large", w->name);
	/* the shapes were checked (conf_need) and the data loaded */
	c = emalloc(emul(S, sizeof *c));
	ws_get_f64(ws_find(w, "interval.count"), c);
	table = n > CONF_LEVELS && ws_find(w, "interval.quantiles");
	wd = table ? CONF_LEVELS : n;
	m->conf_res = emalloc(emul(emul(S, m->ntargets), emul(wd, sizeof *m->conf_res)));
	ws_get_f64(ws_find(w, table ? "interval.quantiles" :
	                   "interval.residuals"), m->conf_res);
	m->conf_count = emalloc(emul(S, sizeof *m->conf_count));
	for (h = 0; h < S; h++) {
		if (!(c[h] >= 0 && c[h] <= (double)n && c[h] == floor(c[h])) ||
		    (h == 0 && c[h] != (double)n) || (h && c[h] > c[h - 1]))
			die(EX_DATAERR, "%s: bad interval.count at step %zu",
			    w->name, h + 1);
		cnt = m->conf_count[h] = (size_t)c[h];
		for (k = 0; k < m->ntargets; k++) {
			row = m->conf_res + (h * m->ntargets + k) * wd;
			/* ascending, +Inf past the count or past the ranks
			 * the count can give */
			for (j = 0; j < wd; j++)
				if ((table ? (cnt + 1) * (j + 1) <= 100 * cnt
				     : j < cnt) ? !(row[j] >= 0) ||
				    !isfinite(row[j]) || (j && row[j] < row[j - 1])
				    : row[j] != INFINITY)
					die(EX_DATAERR, "%s: %s are not sorted "
					    "residuals (step %zu, output %zu)",
					    w->name, table ? "interval.quantiles"
					    : "interval.residuals", h + 1, k + 1);
		}
	}
	free(c);
	m->conf_steps = S;
	m->conf_n = n;
	/* older streams keep every residual */
	if (!table)
		m->conf_res = conformal_compact(m->conf_res, m->conf_count, S,
		                                m->ntargets, n);
}

static int
is_core_key(const char *k)
{
	size_t i;

	if (!strncmp(k, "column-", 7) || !strncmp(k, "target-", 7) ||
	    !strncmp(k, "class-", 6) ||
	    !strncmp(k, "optimizer-", 10))
		return 1;
	for (i = 0; core_keys[i]; i++)
		if (!strcmp(k, core_keys[i]))
			return 1;
	return 0;
}

/* The interval tensors' shapes, before anything is loaded. */
static void
conf_need(struct rk_wstream *w, size_t ntargets)
{
	size_t S, n;

	if (!ws_get(w, "interval-steps"))
		return;
	S = ws_get_size(w, "interval-steps", 1, 100000);
	n = ws_get_size(w, "interval-windows", 1, RK_WS_MAXELEMS);
	if (emul(S, ntargets) > RK_WS_MAXELEMS / n)
		die(EX_DATAERR, "%s: interval residuals too large", w->name);
	ws_need(w, "interval.count", S, 1);
	/* n residuals a row, or (n > CONF_LEVELS) the quantile table */
	if (n > CONF_LEVELS && ws_find(w, "interval.quantiles"))
		ws_need(w, "interval.quantiles", S * ntargets, CONF_LEVELS);
	else
		ws_need(w, "interval.residuals", S * ntargets, n);
	if (ws_get(w, "interval-scale"))
		ws_need(w, "interval.scale", ntargets, 1);
}

void
rnnm_from_stream(struct rnnm *m, struct rk_wstream *w)
{
	struct rnn_config c;
	const char *s;
	char key[32], tname[64];
	size_t i, j, v, N = 1;
	const char *ostate;
	enum rk_optim_kind okind = RK_ADAM;

	ws_expect_kind(w, "expected a recurrent net model (from rnn-train)",
	               "rnn", (const char *)NULL);
	if (ws_get(w, "text")) {
		text_from_stream(m, w);
		return;
	}
	memset(m, 0, sizeof *m);
	memset(&c, 0, sizeof c);
	if (!(s = ws_get(w, "cell")) || rk_cell_parse(s, &c.cell) < 0)
		die(EX_DATAERR, "%s: unknown cell '%s'", w->name, QV(s));
	if (!(s = ws_get(w, "activation")) || rk_act_parse(s, &c.act) < 0)
		die(EX_DATAERR, "%s: unknown activation '%s'", w->name,
		    QV(s));
	c.nin = (int)ws_get_size(w, "inputs", 1, 100000);
	c.nhid = (int)ws_get_size(w, "hidden", 1, 100000);
	c.nlayers = (int)ws_get_size(w, "layers", 1, 64);
	c.nout = (int)ws_get_size(w, "outputs", 1, 100000);
	if ((s = ws_get(w, "loss")) && rnn_loss_parse(s, &c.loss) < 0)
		die(EX_DATAERR, "%s: unknown loss '%s' (mse or ce)", w->name,
		    QV(s));
	if ((s = ws_get(w, "mode")) && strcmp(s, "seq") && strcmp(s, "window"))
		die(EX_DATAERR, "%s: unknown mode '%s' (window or seq)", w->name,
		    QV(s));
	if (s && !strcmp(s, "seq")) {
		if (ws_get(w, "window"))
			die(EX_DATAERR, "%s: a model of mode seq has no window",
			    w->name);
		m->mode = RNNM_SEQ;
		m->window = 1;
	} else {
		m->window = ws_get_size(w, "window", 1, 1000000);
	}
	if (!ws_get(w, "horizon"))      /* dies: a missing key */
		ws_get_size(w, "horizon", 1, 1000000);
	horizon_set(m, w->name, ws_get(w, "horizon"), c.nout, c.loss);
	{
		/* every tensor the net has must be in the stream with its
		 * shape, and fit the limits, before anything is allocated
		 * for it: the header already holds each within them */
		struct rnn_tensor tab[4 * 64 + 2];
		size_t nt = 4 * (size_t)c.nlayers + 2, np, nc;

		if (rnn_config_check(&c) < 0)
			die(EX_DATAERR, "%s: model dimensions are not valid",
			    w->name);
		np = rnn_config_table(&c, tab);
		for (i = 0; i < nt; i++)
			ws_need(w, tab[i].name, tab[i].rows, tab[i].cols);
		nc = ws_get(w, "columns") ?
		     ws_get_size(w, "columns", (size_t)c.nin, 100000) :
		     (size_t)c.nin;
		ws_need(w, "scale.shift", nc, 1);
		ws_need(w, "scale.scale", nc, 1);
		/* rnn-predict --stream keeps window rows of the inputs */
		if (m->window > RK_WS_MAXRING / (size_t)c.nin)
			die(EX_DATAERR, "%s: window %zu times %d inputs is over "
			    "the limit of %zu values", w->name, m->window,
			    c.nin, RK_WS_MAXRING);
		ostate = train_state_need(w, np, &okind);
		if ((s = ws_get(w, "linear"))) {
			if (strcmp(s, "ar"))
				die(EX_DATAERR, "%s: unknown linear '%s' (ar)",
				    w->name, QV(s));
			if (m->steps != 1)
				die(EX_DATAERR, "%s: a linear path goes with "
				    "one output per target", w->name);
			if (m->window > (RK_AR_MAXTERMS - 1) / (size_t)c.nin)
				die(EX_DATAERR, "%s: a linear path of more "
				    "than %d terms", w->name, RK_AR_MAXTERMS);
			ws_need(w, "linear.weight", (size_t)c.nout,
			        m->window * (size_t)c.nin + 1);
		}
		conf_need(w, rnnm_outputs_targets(&c, m->steps));
		/* every member's tensors (ensemble.h) */
		if (ws_get(w, "ensemble"))
			N = ws_get_size(w, "ensemble", 1, RNNM_MAXMEMBERS);
		for (j = 1; j < N; j++)
			for (i = 0; i < nt; i++) {
				rnnm_member_name(tname, sizeof tname, j,
				            tab[i].name);
				ws_need(w, tname, tab[i].rows, tab[i].cols);
			}
		/* the tensors, within the memory limit; every other tensor
		 * is streamed past */
		ws_load(w);
		if (rnn_model_init(&m->net, &c) < 0)
			die(EX_DATAERR, "%s: model dimensions are not valid",
			    w->name);
		rnnm_init_meta(m, nc, rnnm_outputs_targets(&c, m->steps));
		rnnm_set_members(m, N);
	}
	if (!(s = ws_get(w, "scaling")) || rk_scaling_parse(s, &m->scaling) < 0)
		die(EX_DATAERR, "%s: unknown scaling '%s'", w->name, QV(s));
	{
		enum rk_transform tk = RK_TF_NONE;

		if ((s = ws_get(w, "transform")) &&
		    rk_transform_parse(s, &tk) < 0)
			die(EX_DATAERR, "%s: unknown transform '%s' (none, diff, "
			    "log, logdiff, diff2, logdiff2)", w->name, QV(s));
		rnnm_set_transform(m, tk, ws_get(w, "period") ?
		                   ws_get_size(w, "period", 1,
		                               RK_TF_MAXPERIOD) : 1);
		if (m->tf.lag && m->horizon > 1)
			die(EX_DATAERR, "%s: transform %s with period %zu "
			    "and horizon %zu: a difference goes with horizon "
			    "1 only", w->name, rk_transform_name(tk),
			    m->tf.period, m->horizon);
	}
	if ((s = ws_get(w, "normalize")) &&
	    rk_normalize_parse(s, &m->normalize) < 0)
		die(EX_DATAERR, "%s: unknown normalize '%s' (none or window)",
		    w->name, QV(s));
	if (m->normalize != RK_NORM_NONE && m->steps > 1)
		die(EX_DATAERR, "%s: normalize window goes with a horizon of "
		    "one step, not %zu", w->name, m->steps);
	for (i = 0; i < m->ncols; i++) {
		snprintf(key, sizeof key, "column-%zu", i + 1);
		if ((s = ws_get(w, key))) {
			m->named = 1;
			free(m->colname[i]);
			m->colname[i] = estrdup(s);
		}
	}
	for (i = 0; i < m->ntargets; i++) {
		snprintf(key, sizeof key, "target-%zu", i + 1);
		v = ws_get_size(w, key, 1, m->ncols);
		m->targets[i] = v - 1;
		if (!rk_tf_identity(&m->tf) && m->targets[i] >= (size_t)c.nin)
			die(EX_DATAERR, "%s: transform %s with target %zu, "
			    "which is not an input", w->name,
			    rk_transform_name(m->tf.kind), v);
		if (m->normalize && m->targets[i] >= (size_t)c.nin)
			die(EX_DATAERR, "%s: normalize %s with target %zu, "
			    "which is not an input", w->name,
			    rk_normalize_name(m->normalize), v);
	}
	for (j = 0; j < rnnm_nmembers(m); j++)
		for (i = 0; i < m->net.ntensor; i++) {
			const struct rnn_tensor *t = &m->net.tensor[i];
			rk_real *p = rnnm_member_param(m, j) + t->off;
			size_t k;

			rnnm_member_name(tname, sizeof tname, j, t->name);
			get_real(ws_find(w, tname), p);
			for (k = 0; k < t->rows * t->cols; k++)
				if (!isfinite(p[k]))
					die(EX_DATAERR, "%s: tensor '%s' holds "
					    "NaN or Inf", w->name, tname);
		}
	ws_finite(w, ws_find(w, "scale.shift"));
	ws_finite(w, ws_find(w, "scale.scale"));
	if (ws_get(w, "linear")) {
		m->ar_n = m->window * (size_t)c.nin + 1;
		m->ar = emalloc(emul(m->ntargets, emul(m->ar_n, sizeof *m->ar)));
		ws_finite(w, ws_find(w, "linear.weight"));
		ws_get_f64(ws_find(w, "linear.weight"), m->ar);
	}
	ws_get_f64(ws_find(w, "scale.shift"), m->shift);
	ws_get_f64(ws_find(w, "scale.scale"), m->scale);
	for (i = 0; i < m->ncols; i++)
		if (!(m->scale[i] > 0))
			die(EX_DATAERR, "%s: bad scale for column %zu", w->name,
			    i + 1);
	for (i = 0; i < w->nkeys; i++)
		if (!is_core_key(w->key[i]))
			ws_set(&m->info, w->key[i], "%s", w->val[i]);
	info_name(m, w->name);
	train_state_from_stream(m, w, ostate, okind);
	conf_from_stream(m, w);
	blend_from_stream(m, w);
	seq_check(m, w->name);
	if (c.loss == RNN_LOSS_CE)
		classes_from(m, w->name, stream_get, w);
	check_classifier(m, w->name);
}

void
rnnm_load(struct rnnm *m, const char *path)
{
	struct rk_in in;
	struct rk_wstream w;

	rk_in_eopen(&in, path);
	ws_read(&in, &w);
	rnnm_from_stream(m, &w);
	ws_release(&w);
	rk_in_close(&in);
}

void
rnnm_write(const struct rnnm *m, struct rk_out *o)
{
	struct rk_wstream w;
	size_t i;

	rnnm_to_stream(m, &w);
	/* the reader refuses them: the tools check before (series.h,
	 * conformal.h), this is the last guard */
	for (i = 0; i < w.ntensors; i++) {
		const struct rk_tensor *t = &w.t[i];
		size_t j, n = t->rows * t->cols;
		int inf_ok = !strcmp(t->name, "interval.residuals") ||
		             !strcmp(t->name, "interval.quantiles");
		double x;

		for (j = 0; t->dtype != RK_BITS && j < n; j++) {
			x = t->dtype == RK_F64 ? ((const double *)t->data)[j] :
			    (double)((const float *)t->data)[j];
			if (!isfinite(x) && !(inf_ok && x == INFINITY))
				die(EX_SOFTWARE, "cannot write a model: tensor "
				    "'%s' holds NaN or Inf", t->name);
		}
	}
	ws_write(o, &w);
	ws_release(&w);
}

void
rnnm_save(const struct rnnm *m, const char *path, int force)
{
	struct rk_out o;

	rk_out_open(&o, path, 1, force);
	rnnm_write(m, &o);
	rk_out_close(&o);
}

/* --- CSV tensors --- */

static char *
path_join(const char *dir, const char *name)
{
	char *p = emalloc(strlen(dir) + strlen(name) + 2);

	sprintf(p, "%s/%s", dir, name);
	return p;
}

/* config: key=value lines; # comments and blank lines skipped */
static int
config_get(const char *dir, const char *key, char *val, size_t cap)
{
	char *path = path_join(dir, "config"), line[512], *eq, *e;
	FILE *f = fopen(path, "r");
	size_t kl = strlen(key);
	int found = 0;

	if (!f)
		die(EX_NOINPUT, "cannot open '%s':", path);
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '#' || !(eq = strchr(line, '=')))
			continue;
		if ((size_t)(eq - line) == kl && !strncmp(line, key, kl)) {
			for (e = eq + 1; *e == ' '; e++)
				;
			snprintf(val, cap, "%s", e);
			found = 1;
		}
	}
	fclose(f);
	free(path);
	return found;
}

static long
config_num(const char *dir, const char *key, long dflt, long min, long max)
{
	char v[64], *end;
	long n;

	if (!config_get(dir, key, v, sizeof v)) {
		if (dflt >= 0)
			return dflt;
		die(EX_DATAERR, "%s/config: missing '%s='", dir, key);
	}
	n = strtol(v, &end, 10);
	if (end == v || *end || n < min || n > max)
		die(EX_DATAERR, "%s/config: '%s' must be a number from %ld to "
		    "%ld (found '%s')", dir, key, min, max, v);
	return n;
}

static const char *
config_lookup(const void *dir, const char *key, char *val, size_t n)
{
	return config_get(dir, key, val, n) ? val : NULL;
}

void
rnnm_import_csv(struct rnnm *m, const char *dir)
{
	struct rnn_config c;
	struct csv_opts o = { ',', RK_HEADER_NO, 0, 0, NULL, 0 };
	char v[256], fname[64];
	size_t i;

	memset(m, 0, sizeof *m);
	memset(&c, 0, sizeof c);
	if (!config_get(dir, "cell", v, sizeof v) || rk_cell_parse(v, &c.cell) < 0)
		die(EX_DATAERR, "%s/config: 'cell=' must be elman, lstm, gru "
		    "or gru-torch", dir);
	c.act = RK_TANH;
	if (config_get(dir, "act", v, sizeof v) && rk_act_parse(v, &c.act) < 0)
		die(EX_DATAERR, "%s/config: unknown act '%s'", dir, v);
	c.nin = (int)config_num(dir, "input", -1, 1, 100000);
	c.nhid = (int)config_num(dir, "hidden", -1, 1, 100000);
	c.nlayers = (int)config_num(dir, "layers", 1, 1, 64);
	c.nout = (int)config_num(dir, "output", -1, 1, 100000);
	if (config_get(dir, "loss", v, sizeof v) && rnn_loss_parse(v, &c.loss) < 0)
		die(EX_DATAERR, "%s/config: unknown loss '%s' (mse or ce)", dir, v);
	if (config_get(dir, "mode", v, sizeof v) && strcmp(v, "window")) {
		if (strcmp(v, "seq"))
			die(EX_DATAERR, "%s/config: unknown mode '%s' (window "
			    "or seq)", dir, v);
		if (config_get(dir, "window", v, sizeof v))
			die(EX_DATAERR, "%s/config: a model of mode seq has no "
			    "window", dir);
		m->mode = RNNM_SEQ;
		m->window = 1;
	} else {
		m->window = (size_t)config_num(dir, "window", -1, 1, 1000000);
	}
	{
		char src[300];

		snprintf(src, sizeof src, "%s/config", dir);
		horizon_set(m, src, config_get(dir, "horizon", v, sizeof v) ?
		            v : "1", c.nout, c.loss);
	}
	if (rnn_model_init(&m->net, &c) < 0)
		die(EX_DATAERR, "%s/config: model dimensions are not valid", dir);
	rnnm_init_meta(m, (size_t)config_num(dir, "columns", c.nin, c.nin,
	                                     100000), rnnm_outputs_targets(&c, m->steps));
	for (i = 0; i < m->net.ntensor; i++) {
		const struct rnn_tensor *t = &m->net.tensor[i];
		struct table tb;
		char *path;
		size_t k;

		snprintf(fname, sizeof fname, "%s.csv", t->name);
		path = path_join(dir, fname);
		table_load(&tb, path, &o);
		if (tb.rows * tb.cols != t->rows * t->cols ||
		    (tb.rows != t->rows && !(t->cols == 1 && tb.rows == 1)))
			die_at(tb.name, 0, 0, "tensor %s is %zux%zu, the config "
			       "needs %zux%zu", t->name, tb.rows, tb.cols,
			       t->rows, t->cols);
		for (k = 0; k < tb.rows * tb.cols; k++)
			m->net.param[t->off + k] = (rk_real)tb.v[k];
		table_release(&tb);
		free(path);
	}
	if (config_get(dir, "targets", v, sizeof v)) {
		char *tok, *save = NULL, *end;
		unsigned long t;

		i = 0;
		for (tok = strtok_r(v, ",", &save); tok;
		     tok = strtok_r(NULL, ",", &save), i++) {
			t = strtoul(tok, &end, 10);
			if (*end || t < 1 || t > m->ncols || i >= m->ntargets)
				die(EX_DATAERR, "%s/config: 'targets=' needs %zu "
				    "column numbers from 1 to %zu", dir,
				    m->ntargets, m->ncols);
			m->targets[i] = t - 1;
		}
		if (i != m->ntargets)
			die(EX_DATAERR, "%s/config: 'targets=' needs %zu column "
			    "numbers", dir, m->ntargets);
	}
	/* the forecast blend (after the targets: a weight each) */
	if (config_get(dir, "forecast-blend", v, sizeof v)) {
		char name[1024];

		m->fc_period = (size_t)config_num(dir, "forecast-period", -1, 1,
		                                  1000000);
		snprintf(name, sizeof name, "%s/config", dir);
		blend_weights(m, name, v);
	}
	for (i = 0; i < m->ncols; i++) {
		char key[32];

		snprintf(key, sizeof key, "column-%zu", i + 1);
		if (config_get(dir, key, v, sizeof v)) {
			free(m->colname[i]);
			m->colname[i] = estrdup(v);
			m->named = 1;
		}
	}
	if (config_get(dir, "transform", v, sizeof v)) {
		enum rk_transform tk;

		if (rk_transform_parse(v, &tk) < 0)
			die(EX_DATAERR, "%s/config: unknown transform '%s' "
			    "(none, diff, log, logdiff, diff2, logdiff2)", dir, v);
		rnnm_set_transform(m, tk, (size_t)config_num(dir, "period", 1,
		                   1, RK_TF_MAXPERIOD));
		if (m->tf.lag && m->horizon > 1)
			die(EX_DATAERR, "%s/config: a difference goes with "
			    "horizon 1 only", dir);

		for (i = 0; i < m->ntargets; i++)
			if (m->targets[i] >= (size_t)c.nin)
				die(EX_DATAERR, "%s/config: transform %s with "
				    "target %zu, which is not an input", dir, v,
				    m->targets[i] + 1);
	}
	if (config_get(dir, "normalize", v, sizeof v)) {
		if (rk_normalize_parse(v, &m->normalize) < 0)
			die(EX_DATAERR, "%s/config: unknown normalize '%s' "
			    "(none or window)", dir, v);
		for (i = 0; m->normalize && i < m->ntargets; i++)
			if (m->targets[i] >= (size_t)c.nin)
				die(EX_DATAERR, "%s/config: normalize %s with "
				    "target %zu, which is not an input", dir, v,
				    m->targets[i] + 1);
	}
	if (config_get(dir, "scaling", v, sizeof v)) {
		struct table tb;
		char *path = path_join(dir, "scale.csv");

		if (rk_scaling_parse(v, &m->scaling) < 0)
			die(EX_DATAERR, "%s/config: unknown scaling '%s'", dir, v);
		table_load(&tb, path, &o);
		if (tb.rows != m->ncols || tb.cols != 2)
			die_at(tb.name, 0, 0, "needs %zu rows of shift,scale "
			       "(found %zux%zu)", m->ncols, tb.rows, tb.cols);
		for (i = 0; i < m->ncols; i++) {
			m->shift[i] = tb.v[2 * i];
			m->scale[i] = tb.v[2 * i + 1];
			if (!(m->scale[i] > 0))
				die_at(tb.name, tb.line[i], 2, "scale must be "
				       "positive");
		}
		table_release(&tb);
		free(path);
	}
	if (config_get(dir, "linear", v, sizeof v)) {
		struct table tb;
		char *path;

		if (strcmp(v, "ar"))
			die(EX_DATAERR, "%s/config: unknown linear '%s' (ar)",
			    dir, v);
		if (m->steps != 1)
			die(EX_DATAERR, "%s/config: a linear path goes with "
			    "one output per target", dir);
		if (m->window > (RK_AR_MAXTERMS - 1) / (size_t)c.nin)
			die(EX_DATAERR, "%s/config: a linear path of more than "
			    "%d terms", dir, RK_AR_MAXTERMS);
		m->ar_n = m->window * (size_t)c.nin + 1;
		path = path_join(dir, "linear.weight.csv");
		table_load(&tb, path, &o);
		if (tb.rows != m->ntargets || tb.cols != m->ar_n)
			die_at(tb.name, 0, 0, "tensor linear.weight is %zux%zu, "
			       "the config needs %zux%zu", tb.rows, tb.cols,
			       m->ntargets, m->ar_n);
		m->ar = emalloc(emul(m->ntargets, emul(m->ar_n, sizeof *m->ar)));
		for (i = 0; i < m->ntargets * m->ar_n; i++) {
			if (!isfinite(tb.v[i]))
				die_at(tb.name, tb.line[i / m->ar_n],
				       i % m->ar_n + 1, "not a finite number");
			m->ar[i] = tb.v[i];
		}
		table_release(&tb);
		free(path);
	}
	for (i = 0; data_keys[i]; i++)
		if (config_get(dir, data_keys[i], v, sizeof v))
			ws_set(&m->info, data_keys[i], "%s", v);
	ws_set(&m->info, "source", "imported from %s", dir);
	{
		char cfg[1024];

		snprintf(cfg, sizeof cfg, "%s/config", dir);
		info_name(m, cfg);
	}
	{
		char src[300];

		snprintf(src, sizeof src, "%s/config", dir);
		seq_check(m, src);
		if (c.loss == RNN_LOSS_CE)
			classes_from(m, src, config_lookup, dir);
		check_classifier(m, src);
	}
}

/* fname in the temporary export directory tmp, named in messages as in
 * the final one */
static void
open_export(struct rk_out *o, const char *tmp, const char *final,
            const char *fname)
{
	char *p = path_join(tmp, fname);

	rk_out_open(o, p, 0, 0);
	free(p);
	free(o->name);
	o->name = path_join(final, fname);
}

void
rnnm_export_csv(const struct rnnm *m, const char *dir)
{
	const struct rnn_config *c = &m->net.cfg;
	struct rk_out o;
	char fname[64], b[32], *final = (char *)dir;
	size_t i, r, k;

	/* into a temporary directory, renamed into place when whole: a
	 * full disk leaves no partial export */
	dir = rk_out_tmpdir(final);
	for (i = 0; i < m->net.ntensor; i++) {
		const struct rnn_tensor *t = &m->net.tensor[i];
		const rk_real *p = m->net.param + t->off;

		snprintf(fname, sizeof fname, "%s.csv", t->name);
		open_export(&o, dir, final, fname);
		for (r = 0; r < t->rows; r++) {
			for (k = 0; k < t->cols; k++) {
				if (k)
					rk_out_write(&o, ",", 1);
				rk_fmt_float(b, (float)p[r * t->cols + k]);
				rk_out_write(&o, b, strlen(b));
			}
			rk_out_write(&o, "\n", 1);
		}
		rk_out_close(&o);
	}
	/* the linear path (arpath.h): a row per target, in full precision */
	if (m->ar_n) {
		open_export(&o, dir, final, "linear.weight.csv");
		for (r = 0; r < m->ntargets; r++) {
			for (k = 0; k < m->ar_n; k++) {
				if (k)
					rk_out_write(&o, ",", 1);
				rk_out_cell(&o, m->ar[r * m->ar_n + k]);
			}
			rk_out_write(&o, "\n", 1);
		}
		rk_out_close(&o);
	}
	/* the net sees (x - shift) / scale: one row per input column */
	open_export(&o, dir, final, "scale.csv");
	for (i = 0; i < m->ncols; i++) {
		rk_out_cell(&o, m->shift[i]);
		rk_out_write(&o, ",", 1);
		rk_out_cell(&o, m->scale[i]);
		rk_out_write(&o, "\n", 1);
	}
	rk_out_close(&o);
	open_export(&o, dir, final, "config");
	rk_out_printf(&o, "cell=%s\nact=%s\ninput=%d\nhidden=%d\nlayers=%d\n"
	              "output=%d\n", rk_cell_name(c->cell), rk_act_name(c->act),
	              c->nin, c->nhid, c->nlayers, c->nout);
	if (m->mode == RNNM_SEQ)
		rk_out_printf(&o, "mode=seq\n");
	else
		rk_out_printf(&o, "window=%zu\n", m->window);
	rk_out_printf(&o, "horizon=%s\nscaling=%s\n",
	              rnnm_horizon_name(m, b, sizeof b),
	              rk_scaling_name(m->scaling));
	if (m->ncols != (size_t)c->nin)
		rk_out_printf(&o, "columns=%zu\n", m->ncols);
	if (c->loss == RNN_LOSS_CE)
		rk_out_printf(&o, "loss=%s\n", rnn_loss_name(c->loss));
	if (!rk_tf_identity(&m->tf))
		rk_out_printf(&o, "transform=%s\n",
		              rk_transform_name(m->tf.kind));
	if (m->tf.period > 1)
		rk_out_printf(&o, "period=%zu\n", m->tf.period);
	if (m->normalize != RK_NORM_NONE)
		rk_out_printf(&o, "normalize=%s\n",
		              rk_normalize_name(m->normalize));
	if (m->ar_n)
		rk_out_printf(&o, "linear=ar\n");
	if (m->fc_blend) {
		rk_out_printf(&o, "forecast-period=%zu\nforecast-blend=",
		              m->fc_period);
		for (i = 0; i < m->ntargets; i++)
			rk_out_printf(&o, "%s%s", i ? "," : "",
			              rk_fmt_double(b, m->fc_blend[i]));
		rk_out_printf(&o, "\n");
	}
	rk_out_printf(&o, "targets=");
	for (i = 0; i < m->ntargets; i++)
		rk_out_printf(&o, "%s%zu", i ? "," : "", m->targets[i] + 1);
	rk_out_printf(&o, "\n");
	for (i = 0; i < m->ncols && m->named; i++)
		rk_out_printf(&o, "column-%zu=%s\n", i + 1, m->colname[i]);
	for (i = 0; i < m->labels.n; i++)
		rk_out_printf(&o, "class-%zu=%s\n", i + 1, m->labels.name[i]);
	for (i = 0; data_keys[i]; i++)
		if (ws_get(&m->info, data_keys[i]))
			rk_out_printf(&o, "%s=%s\n", data_keys[i],
			              ws_get(&m->info, data_keys[i]));
	rk_out_close(&o);
	rk_out_tmpdir_done((char *)dir, final);
}
