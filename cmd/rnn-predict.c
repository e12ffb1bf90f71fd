/* rnn-predict - run a recurrent net model over a series: predictions,
 * multi-step forecasts, streaming. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "conformal.h"
#include "labels.h"
#include "output.h"
#include "paths.h"
#include "predstream.h"
#include "rnn.h"
#include "rnnmodel.h"
#include "score.h"
#include "series.h"
#include "text.h"
#include "textnet.h"
#include "recursive.h"
#include "trace.h"
#include "util.h"

enum { OPT_IMPORT = OPT_TOOL, OPT_EXPORT, OPT_FORECAST, OPT_STREAM, OPT_ALIGN,
       OPT_PRECISION, OPT_SCORE, OPT_PERIOD, OPT_INTERVAL, OPT_STATE,
       OPT_THREADS, OPT_PROBA, OPT_UNKNOWN, OPT_TEXT, OPT_GENERATE,
       OPT_PRIME, OPT_TEMPERATURE, OPT_TOP_K, OPT_SEED };

static const struct option longopts[] = {
	{ "model", required_argument, NULL, 'm' },
	{ "import", required_argument, NULL, OPT_IMPORT },
	{ "export", required_argument, NULL, OPT_EXPORT },
	{ "forecast", required_argument, NULL, OPT_FORECAST },
	{ "stream", no_argument, NULL, OPT_STREAM },
	{ "align", no_argument, NULL, OPT_ALIGN },
	{ "precision", required_argument, NULL, OPT_PRECISION },
	{ "score", no_argument, NULL, OPT_SCORE },
	{ "period", required_argument, NULL, OPT_PERIOD },
	{ "interval", required_argument, NULL, OPT_INTERVAL },
	{ "state", required_argument, NULL, OPT_STATE },
	{ "threads", required_argument, NULL, OPT_THREADS },
	{ "proba", no_argument, NULL, OPT_PROBA },
	{ "unknown-label", required_argument, NULL, OPT_UNKNOWN },
	{ "text", no_argument, NULL, OPT_TEXT },
	{ "generate", required_argument, NULL, OPT_GENERATE },
	{ "prime", required_argument, NULL, OPT_PRIME },
	{ "temperature", required_argument, NULL, OPT_TEMPERATURE },
	{ "top-k", required_argument, NULL, OPT_TOP_K },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "trace", no_argument, NULL, 't' },
	CLI_SERIES_LONGOPTS,
	CLI_COMMON_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

static void
usage(FILE *f)
{
	fprintf(f,
"Usage: rnn-train ... | %s [OPTIONS] SERIES.csv\n"
"       %s -m MODEL [OPTIONS] [SERIES.csv]\n"
"       %s -m TEXTMODEL --generate=N [--prime=STR] [--temperature=T]\n"
"                  [--top-k=K] [--seed=S]\n"
"       %s -m TEXTMODEL --text --score [TEXT]\n"
"Run a model over a series. By default, for every row that ends a full\n"
"window, print the prediction for the row H steps later, in the data's\n"
"own units, with the target names as header. The model's input columns\n"
"are found by name in a series with a header, else by field number.\n"
"\n"
"  -m, --model=FILE     the model (default standard input)\n"
"      --import=DIR     use PyTorch-named CSV tensors in DIR as the model\n"
"      --forecast=K     the K steps after the series ends, feeding\n"
"                       predictions back (targets must be the inputs); a\n"
"                       direct model (rnn-train --horizon 1-K) gives its\n"
"                       own K steps at once\n"
"      --stream         read rows as they arrive and print each prediction\n"
"                       at once, in constant memory\n"
"      --state=FILE     go on from FILE's state and save the new one there:\n"
"                       runs over successive rows print what one run over\n"
"                       them all would (header only when FILE is new)\n"
"      --align          print each input row with the prediction made for\n"
"                       it (empty where none), then those past the end\n"
"      --score          print the RMSE, MAE and MASE of the predictions\n"
"                       beside those of the last-value and seasonal\n"
"                       forecasts (with --forecast=K: of the K-step\n"
"                       forecasts from every origin); a classifier's: per\n"
"                       class the count, precision, recall and confusion\n"
"                       counts, then all (accuracy)\n"
"      --proba          a classifier: each class's probability, a column\n"
"                       per class, instead of the most probable label\n"
"      --unknown-label=A  --score of a classifier on a label it was not\n"
"                       trained on: error (default) or skip the row\n"
"      --period=P       --score's seasonal period (default: the model's\n"
"                       --period, else 12 for monthly times, 4 quarterly,\n"
"                       7 daily, 24 hourly, 52 weekly, else 1: no season)\n"
"      --interval=L[,L]  after each predicted column P, P_loL and P_hiL:\n"
"                       an L%% prediction interval (L in 1..99) from the\n"
"                       model's validation residuals (rnn-train --val)\n"
"      --precision=N    print N significant digits (default: the fewest\n"
"                       that the float computation justifies)\n"
"      --export=DIR     write the model's tensors as CSV files into DIR,\n"
"                       creating it and its parents\n"
"  -t, --trace          print every window's steps on stderr: each layer's\n"
"                       input, gates and state, then the net's output\n"
"Text models (rnn-train --text; see rnn-predict(1), \"Text\"):\n"
"      --generate=N     write N characters sampled from the model, each\n"
"                       as it is drawn\n"
"      --prime=STR      feed STR first (default a newline, when the\n"
"                       model knows it); not written\n"
"      --temperature=T  sample softmax(logits / T) (default 1; 0: the\n"
"                       likeliest character every time)\n"
"      --top-k=K        sample among the K likeliest only (default 0: all)\n"
"      --seed=S         the sampler's seed (default 1): the same seed,\n"
"                       the same text\n"
"      --text --score   print chars,bits_per_char of TEXT: each character\n"
"                       after the first predicted from those before it\n"
"      --threads=N      threads over the windows of the default\n"
"                       predictions, --align and --score; the output is\n"
"                       the same for any N (default 0: every CPU)\n"
CLI_TIME_HELP
CLI_MISSING_HELP
"                       (--stream: ffill, zero or drop)\n"
CLI_DECIMAL_HELP
CLI_COMMON_HELP
"\n"
"Exit status: 0 ok, 64 usage, 65 bad data or model, 66 cannot open,\n"
"73 cannot create output, 74 I/O error. See rnn-predict(1).\n",
	        argv0, argv0, argv0, argv0);
}

/* --interval's levels (n 0: none); and --proba, which also changes
 * what a prediction's cells are */
#define MAXLEVELS 8
struct ivals {
	int level[MAXLEVELS];
	size_t n;
	int proba;
};

static int
classifier(const struct rnnm *m)
{
	return m->net.cfg.loss == RNN_LOSS_CE;
}

/* A classifier's prediction from its probabilities y: the most probable
 * label, or with --proba every probability, each to the float's
 * resolution. */
static void
write_class(struct rk_out *o, const struct rnnm *m, char delim,
            const rk_real *y, const struct ivals *iv)
{
	size_t k, n = (size_t)m->net.cfg.nout;
	char b[32];
	float p;

	for (k = 0; k < n; k++)
		if (!isfinite(y[k]))
			die(EX_DATAERR, "a prediction is not finite: the model "
			    "or the data is out of range");
	if (!iv->proba) {
		rk_out_text(o, delim, m->labels.name[rk_argmax(y, n)]);
	} else {
		for (k = 0; k < n; k++) {
			if (k)
				rk_out_write(o, &delim, 1);
			p = (float)y[k];
			rk_fmt_within(b, p, rk_float_res(p));
			rk_out_write(o, b, strlen(b));
		}
	}
	rk_out_write(o, "\n", 1);
}

/* The time cell(s) of a prediction and a delimiter; empty cells when t
 * is NULL (no time known); nothing without a time column. */
static void
write_time(struct rk_out *o, const struct time_axis *a, char delim,
           const struct rk_time *t)
{
	char b[48];
	size_t k;

	if (!a->nf)
		return;
	if (t) {
		tax_format(a, b, t, delim);
		if (a->nf == 1 && strchr(b, delim))
			rk_out_printf(o, "\"%s\"", b);
		else
			rk_out_write(o, b, strlen(b));
	} else {
		for (k = 1; k < a->nf; k++)
			rk_out_write(o, &delim, 1);
	}
	rk_out_write(o, &delim, 1);
}

/* A prediction, the net's output y plus its base (series.h; NULL: 0),
 * scaled and transformed, in the data's units, the transform inverted
 * with the levels before it (prev: u_{t-1} of column 0, then u_{t-j} of
 * column c at prev[c - (j-1)*stride]; NULL when the transform has no
 * lag). level (NULL: not wanted): each target's u_t. */
static double
pred_value(const struct rnnm *m, size_t k, const rk_real *y,
           const double *base, const double *prev, size_t stride,
           double *res, double *level)
{
	size_t col = m->targets[k];
	float z = (float)y[k];

	/* the net computes in float: print as many digits as a float
	 * carries, in the data's units */
	*res = rk_float_res(z) * m->scale[col];
	return rnnm_predicted(m, k, (double)z + (base ? base[k] : 0),
	                      prev ? prev + col : NULL, stride, res,
	                      level ? level + k : NULL);
}

/* Each target's local scale for the intervals of a prediction from the
 * window of scaled values z (W, nc) into sc (conformal_scale); NULL (every
 * scale 1) without intervals or with a model that keeps its residuals
 * unscaled. */
static const double *
window_scales(const struct rnnm *m, const struct ivals *iv, const double *z,
              size_t nc, double *sc)
{
	size_t k;

	if (!iv->n || !m->conf_sref)
		return NULL;
	for (k = 0; k < m->ntargets; k++)
		sc[k] = conformal_scale(m, z, nc, k);
	return sc;
}

/* Values v in the data's units (each within res), each followed by its
 * intervals (iv) h steps ahead from a window of local scales sc (one per
 * target, conformal_scale; NULL: 1). */
static void
write_values(struct rk_out *o, const struct rnnm *m, char delim,
             const double *v, const double *res, const struct ivals *iv,
             size_t h, const double *sc)
{
	size_t k, l;
	char b[32];
	double q;

	for (k = 0; k < m->ntargets; k++)
		if (!isfinite(v[k]))
			die(EX_DATAERR, "a prediction is not finite: the model "
			    "or the data is out of range");
	for (k = 0; k < m->ntargets; k++) {
		if (k)
			rk_out_write(o, &delim, 1);
		rk_fmt_within(b, v[k], res[k]);
		rk_out_write(o, b, strlen(b));
		for (l = 0; l < iv->n; l++) {
			q = conformal_q(m, k, h, iv->level[l]) *
			    (sc && conformal_scaled_step(m, h) ? sc[k] : 1);
			rk_out_printf(o, "%c%s", delim,
			              rk_fmt_within(b, v[k] - q, res[k]));
			rk_out_printf(o, "%c%s", delim,
			              rk_fmt_within(b, v[k] + q, res[k]));
		}
	}
	rk_out_write(o, "\n", 1);
}

/* The predictions, each followed by its intervals (iv) h steps ahead
 * (sc as write_values'). */
static void
write_pred(struct rk_out *o, const struct rnnm *m, char delim, const rk_real *y,
           const double *base, const double *prev, size_t stride,
           double *level, const struct ivals *iv, size_t h, const double *sc)
{
	size_t k, nt = m->ntargets;
	double *v;

	if (classifier(m)) {
		write_class(o, m, delim, y, iv);
		return;
	}
	v = emalloc(emul(2 * nt, sizeof *v));
	for (k = 0; k < nt; k++)
		v[k] = pred_value(m, k, y, base, prev, stride, &v[nt + k],
		                  level);
	write_values(o, m, delim, v, v + nt, iv, h, sc);
	free(v);
}


/* The cells of one prediction: each target, then its intervals. */
static size_t
pred_cells(const struct rnnm *m, const struct ivals *iv)
{
	if (classifier(m))
		return iv->proba ? (size_t)m->net.cfg.nout : 1;
	return m->ntargets * (1 + 2 * iv->n);
}

/* Their names into names[0..pred_cells): prefix and each target's name,
 * then P_loL, P_hiL for each level L; free with free_names. */
static void
pred_names(const struct rnnm *m, const struct ivals *iv, const char *prefix,
           char **names)
{
	size_t k, l, n = 0, len;
	const char *tn;

	for (k = 0; classifier(m) && iv->proba && k < m->labels.n; k++) {
		/* a column per class, named by its label */
		len = strlen(prefix) + strlen(m->labels.name[k]) + 1;
		names[n] = emalloc(len);
		snprintf(names[n++], len, "%s%s", prefix, m->labels.name[k]);
	}
	for (k = 0; !(classifier(m) && iv->proba) && k < m->ntargets; k++) {
		tn = m->colname[m->targets[k]];
		len = strlen(prefix) + strlen(tn) + 8;
		names[n] = emalloc(len);
		snprintf(names[n++], len, "%s%s", prefix, tn);
		for (l = 0; l < iv->n; l++) {
			names[n] = emalloc(len);
			snprintf(names[n++], len, "%s%s_lo%d", prefix, tn,
			         iv->level[l]);
			names[n] = emalloc(len);
			snprintf(names[n++], len, "%s%s_hi%d", prefix, tn,
			         iv->level[l]);
		}
	}
}

static void
free_names(char **names, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++)
		free(names[k]);
}

/* The time column's names, then the targets' (and their intervals') */
static void
write_header(struct rk_out *o, const struct rnnm *m, char delim,
             const struct time_axis *a, const struct ivals *iv)
{
	size_t k, np = pred_cells(m, iv);
	char **names = emalloc(emul(np + a->nf + 1, sizeof *names));

	for (k = 0; k < a->nf; k++)
		names[k] = a->name[k];
	pred_names(m, iv, "", names + a->nf);
	rk_out_names(o, delim, names, a->nf + np);
	free_names(names + a->nf, np);
	free(names);
}

/* Empty cells: n delimiters' worth. */
static void
write_blanks(struct rk_out *o, char delim, size_t n)
{
	size_t k;

	for (k = 1; k < n; k++)
		rk_out_write(o, &delim, 1);
}

static void
check_length(const struct rnnm *m, const struct table *t)
{
	if (t->rows < m->tf.lag + m->window)
		rnnm_too_short(m, t->name, t->rows);
}

/* The levels (transform.h) of every row and input column of series 0,
 * for inverting the transform; NULL without one. */
static double *
levels(const struct series_set *ss, const struct rnnm *m)
{
	const struct table *t = &ss->s[0];
	size_t i, k, nc = ss->nin;
	double *lev;

	if (!m->tf.lag)
		return NULL;
	lev = emalloc(emul(emul(t->rows, nc), sizeof *lev));
	for (i = 0; i < t->rows; i++)
		for (k = 0; k < nc; k++)
			lev[i * nc + k] = series_level(ss, m, 0, i, k);
	return lev;
}

/* Predictions for every full window of the series. align: one line per
 * input row, the row then the prediction made for it (H steps after its
 * window), empty where there is none; then the H predictions past the
 * end, with empty input cells. */
static void
predict_all(const struct rnnm *m, struct series_set *ss, struct rk_out *o,
            char delim, int align, const struct ivals *iv, int threads)
{
	const struct table *t = &ss->s[0];
	const struct time_axis *a = &ss->frame.time;
	size_t W = m->window, H = m->horizon, n, i, k, nc = ss->nin;
	size_t nt = (size_t)m->net.cfg.nout, first, d = m->tf.lag, dj;
	struct rk_time tm;
	rk_real *y;
	double *lev, *base, *sc = emalloc(emul(m->ntargets, sizeof *sc));

	/* nt: the outputs of a window, the first ntargets its one-step
	 * predictions */
	check_length(m, t);
	/* windows start after the transform's history (H is 1 with one) */
	n = t->rows - d - W + 1;
	lev = levels(ss, m);
	y = emalloc(emul(emul(n, nt), sizeof *y));
	base = emalloc(emul(emul(n, nt), sizeof *base));
	series_predict(ss, 0, m, y, base, threads);
	if (!align) {
		write_header(o, m, delim, a, iv);
		for (i = 0; i < n; i++) {
			/* the time of the row predicted */
			write_time(o, a, delim, series_time_at(ss, 0,
			           d + i + W - 1, H, &tm) ? NULL : &tm);
			/* levels of the row before the one predicted */
			write_pred(o, m, delim, y + i * nt, base + i * nt,
			           lev ? lev + (d + i + W - 1) * nc : NULL, nc,
			           NULL, iv, 1, window_scales(m, iv, ss->z[0] +
			           (d + i) * ss->ncols, ss->ncols, sc));
		}
	} else {
		size_t nf = ss->text_nfields, np = pred_cells(m, iv);
		char **names = emalloc(emul(nf + np, sizeof *names));

		for (k = 0; k < nf; k++)
			names[k] = ss->text_names[k];
		pred_names(m, iv, "predicted_", names + nf);
		rk_out_names(o, delim, names, nf + np);
		free_names(names + nf, np);
		free(names);
		/* row r's prediction comes from the window ending at r - H */
		first = d + W - 1 + H;
		for (i = 0, dj = 0; i < t->rows + H; i++) {
			/* the input rows --missing=drop left out before it */
			for (; dj < ss->ndropped[0] &&
			     ss->dropped[0][dj].before <= i; dj++) {
				const char *text = ss->dropped[0][dj].text;

				rk_out_write(o, text, strlen(text));
				rk_out_write(o, &delim, 1);
				write_blanks(o, delim, pred_cells(m, iv));
				rk_out_write(o, "\n", 1);
			}
			if (i < t->rows) {
				const char *text = ss->text[0][i];

				rk_out_write(o, text, strlen(text));
			} else if (series_time_at(ss, 0, t->rows - 1,
			                          i - t->rows + 1, &tm) == 0) {
				char *text = series_time_text(ss, &tm);

				rk_out_write(o, text, strlen(text));
				free(text);
			} else {
				write_blanks(o, delim, ss->text_nfields);
			}
			rk_out_write(o, &delim, 1);
			if (i >= first)
				write_pred(o, m, delim, y + (i - first) * nt,
				           base + (i - first) * nt,
				           lev ? lev + (i - 1) * nc : NULL, nc,
				           NULL, iv, 1, window_scales(m, iv,
				           ss->z[0] + (d + i - first) * ss->ncols,
				           ss->ncols, sc));
			else {
				write_blanks(o, delim, pred_cells(m, iv));
				rk_out_write(o, "\n", 1);
			}
		}
	}
	free(y);
	free(base);
	free(lev);
	free(sc);
}

static void
write_score(struct rk_out *o, char delim, const char *target,
            const char *method, const struct score *sc)
{
	char b[32];

	if (target)
		rk_out_printf(o, "%s%c", target, delim);
	rk_out_printf(o, "%s%c", method, delim);
	rk_out_printf(o, "%s%c", rk_fmt_within(b, sc->rmse, sc->rmse * 5e-6),
	              delim);
	rk_out_printf(o, "%s%c", rk_fmt_within(b, sc->mae, sc->mae * 5e-6),
	              delim);
	if (!isnan(sc->mase))   /* empty: the scale is 0 */
		rk_out_printf(o, "%s", rk_fmt_within(b, sc->mase,
		              sc->mase * 5e-6));
	rk_out_write(o, "\n", 1);
}

/* --score: the model's one-step errors beside those of the last-value and
 * seasonal (lag P) forecasts, per target, over the rows all can predict. */
static void
score(const struct rnnm *m, struct series_set *ss, size_t P,
      struct rk_out *o, char delim, int threads)
{
	const struct table *t = &ss->s[0];
	size_t W = m->window, H = m->horizon, nt = m->ntargets, first, k, r;
	size_t d = m->tf.lag, nc = ss->nin, no = (size_t)m->net.cfg.nout;
	struct score sc[SCORE_NMETHODS];
	char seas[48], *target;
	double *pred, *lev, *base, res;
	rk_real *y;

	check_length(m, t);
	first = score_first_row(W, H, P);
	if (first < d + W - 1 + H)      /* the transform's history */
		first = d + W - 1 + H;
	if (first >= t->rows)
		die_at(t->name, 0, 0, "series has %zu row%s, too few to score: "
		       "the first row with every forecast is row %zu (window "
		       "%zu, horizon %zu, period %zu)", t->rows, plural(t->rows),
		       first + 1, W, H, P);
	y = emalloc(emul(emul(t->rows - d - W + 1, no), sizeof *y));
	base = emalloc(emul(emul(t->rows - d - W + 1, no), sizeof *base));
	pred = emalloc(emul(t->rows - first, sizeof *pred));
	series_predict(ss, 0, m, y, base, threads);
	lev = levels(ss, m);
	if (nt > 1)
		rk_out_printf(o, "target%c", delim);
	rk_out_printf(o, "method%crmse%cmae%cmase\n", delim, delim, delim);
	snprintf(seas, sizeof seas, "seasonal (%zu)", P);
	for (k = 0; k < nt; k++) {
		for (r = first; r < t->rows; r++) {
			/* window r - H - W + 1 - d predicts row r (H is 1
			 * with a difference) */
			size_t w = r + 1 - W - H - d;

			pred[r - first] = pred_value(m, k, y + w * no, base +
			                             w * no, lev ? lev + (r - 1) *
			                             nc : NULL, nc, &res, NULL);
			if (!isfinite(pred[r - first]))
				die(EX_DATAERR, "a prediction is not finite: "
				    "the model or the data is out of range");
		}
		if (score_series(sc, t->v + m->targets[k], t->cols, t->rows,
		                 pred, first, H, P) < 0)
			die(EX_SOFTWARE, "cannot score");
		target = nt > 1 ? m->colname[m->targets[k]] : NULL;
		write_score(o, delim, target, "model", &sc[SCORE_MODEL]);
		write_score(o, delim, target, "last value", &sc[SCORE_LAST]);
		if (P > 1)
			write_score(o, delim, target, seas, &sc[SCORE_SEASONAL]);
	}
	free(y);
	free(base);
	free(pred);
	free(lev);
}

/* " in another order" when m predicts every column, but not in order;
 * else "". */
static const char *
order_note(const struct rnnm *m)
{
	size_t k;

	if (m->ntargets != m->ncols)
		return "";
	for (k = 0; k < m->ntargets; k++)
		if (m->targets[k] != k)
			return " in another order";
	return "";
}

/* Die (65) unless m can forecast K steps: a direct model its own steps,
 * or past them with its predictions fed back as inputs; a model of one
 * step only by feeding them back (recursive.h). */
static void
can_forecast(const struct rnnm *m, size_t K)
{
	size_t nt = m->ntargets;

	if (m->steps > 1 && K > m->steps && !rnnm_autoregressive(m))
		die(EX_DATAERR, "--forecast %zu goes past the model's %zu direct "
		    "steps by feeding predictions back as inputs, so the model "
		    "must predict all its input columns, in order (this one "
		    "predicts %zu of %zu columns%s)", K, m->steps, nt, m->ncols,
		    order_note(m));
	if (m->steps == 1 && (!rnnm_autoregressive(m) || m->horizon != 1))
		die(EX_DATAERR, "--forecast feeds predictions back as inputs, "
		    "so the model must predict all its input columns, in "
		    "order, one step ahead (this one predicts %zu of %zu "
		    "columns%s, horizon %zu)", nt, m->ncols, order_note(m),
		    m->horizon);
}

/* --score --forecast K: the errors of the forecasts of steps 1..K from
 * every origin that has them, pooled, beside those of the naive
 * forecasts from the same origins (recursive.h, fc_score). */
static void
score_forecasts(const struct rnnm *m, struct series_set *ss, size_t K,
                size_t P, struct rk_out *o, char delim)
{
	const struct table *t = &ss->s[0];
	size_t nt = m->ntargets, k;
	struct score *sc = ecalloc(emul(nt, SCORE_NMETHODS), sizeof *sc);
	char seas[48], *target;

	can_forecast(m, K);
	check_length(m, t);
	if (!fc_score(m, ss, K, P, sc))
		die_at(t->name, 0, 0, "series has %zu row%s, too few to score "
		       "forecasts of %zu steps: it needs a window (%zu rows), "
		       "the %zu steps after it%s", t->rows, plural(t->rows), K,
		       rnnm_window_rows(m), K, P > 1 ? " and a period before "
		       "its end" : "");
	for (k = 0; k < nt * SCORE_NMETHODS; k++)
		if (k % SCORE_NMETHODS == SCORE_MODEL && !isfinite(sc[k].rmse))
			die(EX_DATAERR, "a forecast is not finite: the model or "
			    "the data is out of range");
	if (nt > 1)
		rk_out_printf(o, "target%c", delim);
	rk_out_printf(o, "method%crmse%cmae%cmase\n", delim, delim, delim);
	snprintf(seas, sizeof seas, "seasonal (%zu)", P);
	for (k = 0; k < nt; k++) {
		target = nt > 1 ? m->colname[m->targets[k]] : NULL;
		write_score(o, delim, target, "model", &sc[k * SCORE_NMETHODS +
		            SCORE_MODEL]);
		write_score(o, delim, target, "last value",
		            &sc[k * SCORE_NMETHODS + SCORE_LAST]);
		if (P > 1)
			write_score(o, delim, target, seas,
			            &sc[k * SCORE_NMETHODS + SCORE_SEASONAL]);
	}
	free(sc);
}

/* --score of a classifier (rnn-predict(1), "Scores"): for each class
 * its rows, precision, recall and confusion counts; then all: every row
 * scored, and the accuracy as precision and recall (micro averages). */
static void
score_classes(const struct rnnm *m, struct series_set *ss, struct rk_out *o,
              char delim, int threads)
{
	const struct table *t = &ss->s[0];
	size_t W = m->window, H = m->horizon, n = (size_t)m->net.cfg.nout;
	size_t first = W - 1 + H, r, c, p, nw, left, N = 0, diag = 0;
	size_t *conf, *pred, *row, *col;
	char **names, b[32];
	rk_real *y;

	check_length(m, t);
	if (first >= t->rows)
		die_at(t->name, 0, 0, "series has %zu row%s, too few to score: "
		       "the first row predicted is row %zu (window %zu, "
		       "horizon %zu)", t->rows, plural(t->rows), first + 1, W,
		       H);
	nw = t->rows - W + 1;
	y = emalloc(emul(emul(nw, n), sizeof *y));
	pred = emalloc(emul(t->rows - first, sizeof *pred));
	conf = ecalloc(emul(n, n), sizeof *conf);
	row = ecalloc(n, sizeof *row);
	col = ecalloc(n, sizeof *col);
	series_predict(ss, 0, m, y, NULL, threads);
	for (r = first; r < t->rows; r++)
		pred[r - first] = rk_argmax(y + (r - first) * n, n);
	left = score_confusion(conf, n, t->v + m->targets[0], t->cols, t->rows,
	                       pred, first);
	if (left)       /* even with -q: rows are never left out silently */
		warnf("%s: %zu row%s with a label the model was not trained on "
		      "left out of the score (--unknown-label=skip)", t->name,
		      left, plural(left));
	if (left == t->rows - first)
		die_at(t->name, 0, 0, "no row to score: every label predicted "
		       "is one the model was not trained on");
	for (c = 0; c < n; c++)
		for (p = 0; p < n; p++) {
			row[c] += conf[c * n + p];
			col[p] += conf[c * n + p];
			N += conf[c * n + p];
			diag += c == p ? conf[c * n + p] : 0;
		}
	names = emalloc(emul(n + 4, sizeof *names));
	names[0] = "class";
	names[1] = "count";
	names[2] = "precision";
	names[3] = "recall";
	for (c = 0; c < n; c++) {
		names[4 + c] = emalloc(strlen(m->labels.name[c]) + 11);
		sprintf(names[4 + c], "predicted_%s", m->labels.name[c]);
	}
	rk_out_names(o, delim, names, n + 4);
	for (c = 0; c <= n; c++) {
		size_t hit = c < n ? conf[c * n + c] : diag;
		size_t in_row = c < n ? row[c] : N, in_col = c < n ? col[c] : N;

		rk_out_text(o, delim, c < n ? m->labels.name[c] : "all");
		rk_out_printf(o, "%c%zu%c", delim, in_row, delim);
		/* empty: no row predicted c, or none of class c */
		if (in_col)
			rk_out_printf(o, "%s", rk_fmt_within(b, (double)hit /
			              (double)in_col, 5e-7));
		rk_out_write(o, &delim, 1);
		if (in_row)
			rk_out_printf(o, "%s", rk_fmt_within(b, (double)hit /
			              (double)in_row, 5e-7));
		for (p = 0; p < n; p++)
			rk_out_printf(o, "%c%zu", delim, c < n ?
			              conf[c * n + p] : col[p]);
		rk_out_write(o, "\n", 1);
	}
	for (c = 0; c < n; c++)
		free(names[4 + c]);
	free(names);
	free(y);
	free(pred);
	free(conf);
	free(row);
	free(col);
}

/* N steps past the end with a direct model (series_forecast_direct). */
static void
forecast_direct(const struct rnnm *m, struct series_set *ss, size_t N,
                struct rk_out *o, char delim, const struct ivals *iv)
{
	const struct table *t = &ss->s[0];
	const struct time_axis *a = &ss->frame.time;
	size_t nt = m->ntargets, h;
	struct rk_time tm;
	double *xv, *res, *sc;
	const double *scp;

	can_forecast(m, N);
	check_length(m, t);
	xv = emalloc(emul(N, emul(nt, sizeof *xv)));
	res = emalloc(emul(N, emul(nt, sizeof *res)));
	sc = emalloc(emul(nt, sizeof *sc));
	series_forecast_direct(ss, 0, t->rows - 1, m, N, xv, res);
	/* the intervals' scale: the last window's */
	scp = window_scales(m, iv, ss->z[0] + (t->rows - m->window) *
	                    ss->ncols, ss->ncols, sc);
	write_header(o, m, delim, a, iv);
	for (h = 1; h <= N; h++) {
		write_time(o, a, delim, series_time_at(ss, 0, t->rows - 1, h,
		           &tm) ? NULL : &tm);
		write_values(o, m, delim, xv + (h - 1) * nt, res + (h - 1) * nt,
		             iv, h, scp);
	}
	free(xv);
	free(res);
	free(sc);
}

/* K steps past the end, feeding each prediction back as the next row
 * (recursive.h), step h >= 2 blended with the seasonal naive forecast
 * when the model has a blend (conformal.h). */
static void
forecast(const struct rnnm *m, struct series_set *ss, size_t K,
         struct rk_out *o, char delim, const struct ivals *iv)
{
	const struct table *t = &ss->s[0];
	const struct time_axis *a = &ss->frame.time;
	size_t W = m->window, nt = m->ntargets, k, h;
	struct fc_rec r;
	struct window w0;
	struct rk_time tm;
	double *v, *res, *sc;
	const double *scp;

	if (m->steps > 1) {
		forecast_direct(m, ss, K, o, delim, iv);
		return;
	}
	can_forecast(m, K);
	check_length(m, t);
	v = emalloc(emul(nt, sizeof *v));
	res = emalloc(emul(nt, sizeof *res));
	sc = emalloc(emul(nt, sizeof *sc));
	fc_rec_init(&r, m, ss, 1);
	w0.series = 0;
	w0.start = t->rows - W;
	fc_rec_start(&r, &w0, 1);
	/* the intervals' scale: the last window's, at every step */
	scp = window_scales(m, iv, fc_rec_window(&r, 0), ss->ncols, sc);
	write_header(o, m, delim, a, iv);
	for (h = 1; h <= K; h++) {
		fc_rec_step(&r, v, res);
		for (k = 0; m->fc_blend && h >= 2 && k < nt; k++)
			v[k] = conformal_blended(m, k, h, v[k], conformal_naive(
			       m, t, k, t->rows - 1, h));
		write_time(o, a, delim, series_time_at(ss, 0, t->rows - 1, h,
		           &tm) ? NULL : &tm);
		write_values(o, m, delim, v, res, iv, h, scp);
	}
	fc_rec_release(&r);
	free(v);
	free(res);
	free(sc);
}

/* --forecast K with a sequence model: the net stepped over every row,
 * its state carried, then K steps each fed the prediction before it. */
static void
forecast_seq(const struct rnnm *m, struct series_set *ss, size_t K,
             struct rk_out *o, char delim, const struct ivals *iv)
{
	const struct table *t = &ss->s[0];
	const struct time_axis *a = &ss->frame.time;
	size_t nc = ss->ncols, nin = (size_t)m->net.cfg.nin, r, k, j;
	struct rnn_state st;
	struct rk_time tm;
	rk_real *x, *y;

	if (!rnnm_autoregressive(m) || m->horizon != 1)
		die(EX_DATAERR, "--forecast feeds predictions back as inputs, "
		    "so the model must predict all its input columns, in "
		    "order, one step ahead (this one predicts %zu of %zu "
		    "columns%s, horizon %zu)", m->ntargets, m->ncols,
		    order_note(m), m->horizon);
	if (t->rows == 0)
		rnnm_too_short(m, t->name, 0);
	if (rnn_state_init(&st, &m->net, 1) < 0)
		die(EX_SOFTWARE, "out of memory");
	x = emalloc(emul(nin, sizeof *x));
	y = emalloc(emul((size_t)m->net.cfg.nout, sizeof *y));
	for (r = 0; r < t->rows; r++) {
		for (j = 0; j < nin; j++)
			x[j] = (rk_real)ss->z[0][r * nc + j];
		rnn_state_step(&m->net, &st, x);
	}
	write_header(o, m, delim, a, iv);
	for (k = 0; k < K; k++) {
		rnn_state_output(&m->net, &st, y);
		write_time(o, a, delim, series_time_at(ss, 0, t->rows - 1, k + 1,
		           &tm) ? NULL : &tm);
		write_pred(o, m, delim, y, NULL, NULL, nc, NULL, iv, k + 1, NULL);
		/* the prediction is the next row's input, scaled */
		memcpy(x, y, nin * sizeof *x);
		rnn_state_step(&m->net, &st, x);
	}
	rnn_state_release(&st);
	free(x);
	free(y);
}

/* --stream and --state (predstream.h) print through these. */
struct printer {
	struct rk_out *o;
	const struct rnnm *m;
	char delim;
	const struct ivals *iv;
	double *sc;             /* ntargets: the intervals' local scales */
};

static void
print_header(void *ctx, const struct time_axis *a)
{
	struct printer *p = ctx;

	write_header(p->o, p->m, p->delim, a, p->iv);
}

static void
print_pred(void *ctx, const struct time_axis *a, const struct rk_time *t,
           const rk_real *y, const double *base, const double *prev,
           size_t stride, const double *z)
{
	struct printer *p = ctx;

	write_time(p->o, a, p->delim, t);
	write_pred(p->o, p->m, p->delim, y, base, prev, stride, NULL, p->iv, 1,
	           window_scales(p->m, p->iv, z, stride, p->sc));
}

/* --generate's options */
struct gen_opts {
	long long n, top_k, seed;
	double temperature;
	const char *prime;      /* NULL: a newline when the model has one */
};

struct gen_out {
	struct rk_out *o;
	const struct rk_vocab *v;
	int flush;              /* each character at once (a terminal) */
};

static void
gen_emit(void *ctx, size_t k)
{
	struct gen_out *g = ctx;
	unsigned char b[4];

	rk_out_write(g->o, b, rk_vocab_put(g->v, k, b));
	if (g->flush)
		rk_out_flush(g->o);
}

/* --generate: N characters of the text model m to out */
static void
generate(const struct rnnm *m, const struct gen_opts *g, struct rk_out *out)
{
	struct rk_textnet tn;
	struct rk_text pt;
	struct rk_sampler smp;
	struct rk_rng rng;
	struct gen_out go = { out, &m->vocab, isatty(1) && !out->path };
	int32_t *pcls;
	size_t bad;
	const char *why;

	if (g->top_k > (long long)m->vocab.n)
		usage_error("--top-k %lld: the model knows %zu characters",
		            g->top_k, m->vocab.n);
	if (g->prime) {
		if (rk_text_from_mem(&pt, "--prime", g->prime, strlen(g->prime),
		                     m->vocab.bytes, &bad, &why) < 0)
			usage_error("--prime: byte %zu: invalid UTF-8 (%s)", bad,
			            why);
	} else {
		/* a newline starts a line of text; without one, the first
		 * step has no character (textnet.h) */
		rk_text_from_mem(&pt, "--prime", "\n",
		                 rk_vocab_class(&m->vocab, '\n') >= 0, 0, &bad,
		                 &why);
	}
	pcls = emalloc(emul(pt.n ? pt.n : 1, sizeof *pcls));
	{
		size_t i;
		char b[RK_SYM_BUF];

		if (rk_vocab_map(&m->vocab, &pt, pcls, &i) < 0)
			usage_error("--prime: %s is not in the model's "
			            "vocabulary", rk_sym_name(b, pt.sym[i],
			            pt.bytes));
	}
	if (rk_textnet_init(&tn, &m->net) < 0 ||
	    rk_sampler_init(&smp, m->vocab.n, g->temperature,
	                    (size_t)g->top_k) < 0)
		die(EX_SOFTWARE, "out of memory");
	rk_rng_seed(&rng, (uint64_t)g->seed);
	if (rk_textnet_generate(&tn, pcls, pt.n, (size_t)g->n, &smp, &rng,
	                        gen_emit, &go) < 0)
		die(EX_DATAERR, "the model's output is not finite");
	rk_sampler_release(&smp);
	rk_textnet_release(&tn);
	rk_text_release(&pt);
	free(pcls);
}

/* --text --score: chars,bits_per_char of the text in path */
static void
score_text(const struct rnnm *m, const char *path, struct rk_out *out,
           char delim)
{
	struct rk_textnet tn;
	struct rk_text t;
	int32_t *cls;
	double nats;
	char b[32];

	rk_text_read(&t, path, m->vocab.bytes);
	if (t.n < 2)
		die(EX_DATAERR, "%s: %zu character%s: nothing to score (the "
		    "first is context only)", t.name, t.n, plural(t.n));
	cls = emalloc(emul(t.n, sizeof *cls));
	rk_vocab_emap(&m->vocab, &t, cls);
	if (rk_textnet_init(&tn, &m->net) < 0 ||
	    (nats = rk_textnet_nats(&tn, cls, t.n)) < 0)
		die(EX_SOFTWARE, "out of memory");
	if (!isfinite(nats))
		die(EX_DATAERR, "the model's output is not finite");
	rk_out_printf(out, "chars%cbits_per_char\n%zu%c", delim, t.n - 1,
	              delim);
	rk_out_printf(out, "%s\n", rk_fmt_within(b, rk_bits_per_char(nats,
	              t.n - 1), 5e-7));
	rk_textnet_release(&tn);
	rk_text_release(&t);
	free(cls);
}

/* --text --score and --generate (text: 1 --text, 2 --generate, 4 a
 * generation option); other: an option of the series modes given */
static int
text_main(struct cli *cli, int text, const struct gen_opts *gen,
          const char *model, const char *import, const char *export,
          int other, int scoring, int nargs, char **args)
{
	struct rnnm m;
	struct rk_out out;
	const char *input = nargs ? args[0] : "-";

	if ((text & 1) && (text & 2))
		usage_error("--text --score scores a text; --generate writes "
		            "one: not both");
	if ((text & 4) && !(text & 2))
		usage_error("--prime, --temperature, --top-k and --seed go with "
		            "--generate");
	if ((text & 1) && !scoring)
		usage_error("--text goes with --score (rnn-predict(1), \"Text\")");
	if ((text & 2) && scoring)
		usage_error("--score goes with --text, not --generate");
	if (import || export)
		usage_error("--import and --export are for series models");
	if (other)
		usage_error("--forecast, --stream, --state, --align, --period, "
		            "--interval, --precision, --proba, --unknown-label "
		            "and --trace are for series, not text");
	if (nargs > ((text & 2) ? 0 : 1))
		usage_error((text & 2) ? "--generate reads no file" :
		            "too many arguments (one TEXT file at most)");
	if (!model && (text & 2))
		model = "-";
	if (!model && !strcmp(input, "-"))
		usage_error("the model comes on standard input, so give the "
		            "text as a file (or the model with -m)");
	if ((text & 1) && model && !strcmp(model, "-") && !strcmp(input, "-"))
		usage_error("the model and the text cannot both come from "
		            "standard input");
	rk_check_paths(RK_PATHS({ "-o", rk_stdout_or(cli->output), 0 }),
	               RK_PATHS({ "-m", model ? model : "-", RK_PATH_MODEL },
	                        { NULL, (text & 1) ? input : NULL, 0 }),
	               NULL, 0);
	rk_out_echeck(cli->output, cli->gzip, cli->force);
	rnnm_load(&m, model ? model : "-");
	if (!m.vocab.n)
		die(EX_DATAERR, "%s: not a text model (rnn-train --text): "
		    "--generate and --text need one", model && strcmp(model,
		    "-") ? model : "<stdin>");
	rk_out_open(&out, cli->output, cli->gzip, cli->force);
	if (text & 2)
		generate(&m, gen, &out);
	else
		score_text(&m, input, &out, cli->csv.delim);
	rk_out_close(&out);
	rnnm_release(&m);
	return 0;
}

int
main(int argc, char *argv[])
{
	struct cli cli;
	struct rnnm m;
	struct series_set ss;
	struct rk_out out;
	const char *model = NULL, *import = NULL, *export = NULL, *input;
	const char *state = NULL;
	long long fc = 0, period = 0;
	struct ivals iv = { { 0 }, 0, 0 };
	int c, help = 0, streaming = 0, align = 0, precision = 0, scoring = 0;
	int threads = rk_ncpus(), unknown = 0;
	int text = 0, trace = 0;
	struct gen_opts gen = { 0, 0, 1, 1, NULL };

	rk_setprogname(argv);
	cli_init(&cli);
	while ((c = getopt_long(argc, argv, "m:t" CLI_COMMON_SHORT, longopts,
	                        NULL)) != -1) {
		if (cli_common(&cli, c, optarg, usage, &help))
			continue;
		switch (c) {
		case 'm': model = optarg; break;
		case 't': trace = 1; break;
		case OPT_IMPORT: import = optarg; break;
		case OPT_EXPORT: export = optarg; break;
		case OPT_FORECAST:
			fc = opt_int("--forecast", optarg, 1, 100000000);
			break;
		case OPT_STREAM: streaming = 1; break;
		case OPT_STATE: state = optarg; break;
		case OPT_ALIGN: align = 1; break;
		case OPT_SCORE: scoring = 1; break;
		case OPT_PERIOD:
			period = opt_int("--period", optarg, 1, 100000);
			break;
		case OPT_INTERVAL:
			iv.n = conformal_parse_levels("--interval", optarg,
			                              iv.level, MAXLEVELS);
			break;
		case OPT_THREADS:
			threads = cli_threads("--threads", optarg);
			break;
		case OPT_PROBA: iv.proba = 1; break;
		case OPT_UNKNOWN:
			if (!strcmp(optarg, "skip"))
				cli.series.unknown_skip = 1;
			else if (!strcmp(optarg, "error"))
				cli.series.unknown_skip = 0;
			else
				usage_error("unknown --unknown-label '%s' (error "
				            "or skip)", optarg);
			unknown = 1;
			break;
		case OPT_PRECISION:
			rk_set_precision((int)opt_int("--precision", optarg, 1, 17));
			precision = 1;
			break;
		case OPT_TEXT: text = 1; break;
		case OPT_GENERATE:
			gen.n = opt_int("--generate", optarg, 0, 1000000000);
			text |= 2;
			break;
		case OPT_PRIME: gen.prime = optarg; text |= 4; break;
		case OPT_TEMPERATURE:
			gen.temperature = opt_real("--temperature", optarg, 0,
			                           1000);
			text |= 4;
			break;
		case OPT_TOP_K:
			gen.top_k = opt_int("--top-k", optarg, 0, 100000);
			text |= 4;
			break;
		case OPT_SEED:
			gen.seed = opt_int("--seed", optarg, 0,
			                   9223372036854775807LL);
			text |= 4;
			break;
		default: cli_bad_usage();
		}
	}
	if (text)
		return text_main(&cli, text, &gen, model, import, export,
		                 fc || streaming || state || align || period ||
		                 iv.n || precision || iv.proba || unknown ||
		                 trace,
		                 scoring, argc - optind,
		                 argv + optind);
	if (argc - optind > 1)
		usage_error("too many arguments (one SERIES file at most)");
	input = optind < argc ? argv[optind] : "-";
	if (model && import)
		usage_error("-m and --import both give the model");
	if (export && precision)
		usage_error("--precision is for printed predictions; --export "
		            "writes every value exactly");
	if (fc && streaming)
		usage_error("--forecast and --stream do not go together");
	if (cli.series.columns)
		usage_error("--columns is for rnn-train: the model knows its "
		            "input columns");
	if (streaming && cli.series.missing == RK_MISS_INTERPOLATE)
		usage_error("--missing=interpolate needs the values after a gap, "
		            "so not --stream (use ffill, zero or drop)");
	if (align && (fc || streaming))
		usage_error("--align goes with the default predictions, not "
		            "--forecast or --stream");
	if (scoring && (streaming || align))
		usage_error("--score judges the default predictions or "
		            "--forecast's, not --stream or --align");
	if (scoring && export)
		usage_error("--score reads a series; --export only writes the "
		            "model");
	if (iv.n && (scoring || export))
		usage_error("--interval goes with predictions and forecasts, "
		            "not --score or --export");
	if (state && (fc || align || scoring || export))
		usage_error("--state goes with the default predictions and "
		            "--stream, not --forecast, --align, --score or "
		            "--export");
	if (state && cli.series.missing == RK_MISS_INTERPOLATE)
		usage_error("--missing=interpolate needs the values after a gap, "
		            "so not --state (use ffill, zero or drop)");
	if (period && !scoring)
		usage_error("--period is --score's seasonal period");
	if (trace && (fc || streaming || state || scoring || export))
		usage_error("--trace shows the default predictions and --align, "
		            "not --forecast, --stream, --state, --score or "
		            "--export");
	if (unknown && !scoring)
		usage_error("--unknown-label goes with --score (only the score "
		            "reads the labels)");
	if (iv.proba && (scoring || export))
		usage_error("--proba goes with predictions, not --score or "
		            "--export");
	if (!export && !model && !import && !strcmp(input, "-"))
		usage_error("the model comes on standard input, so give the "
		            "series as a file (or the model with -m)");
	if (!export && model && !strcmp(model, "-") && !strcmp(input, "-"))
		usage_error("the model and the series cannot both come from "
		            "standard input");
	rk_check_paths(RK_PATHS({ "-o", export ? NULL : rk_stdout_or(cli.output), 0 },
	                        { "--export", export, RK_PATH_DIR },
	                        { "--state", state, 0 }),
	               RK_PATHS({ "-m", import ? NULL : model ? model : "-",
	                          RK_PATH_MODEL },
	                        { "--import", import, RK_PATH_DIR },
	                        { NULL, export ? NULL : input, 0 }), NULL, 0);
	if (export)
		rk_dir_echeck(export);
	else
		rk_out_echeck(cli.output, cli.gzip, cli.force);
	if (state)
		rk_out_echeck(state, 1, 1);

	if (import)
		rnnm_import_csv(&m, import);
	else
		rnnm_load(&m, model ? model : "-");
	if (m.vocab.n)
		die(EX_DATAERR, "%s: a text model (rnn-train --text): use "
		    "--generate or --text --score", model && strcmp(model, "-") ?
		    model : "<stdin>");
	/* the model's --missing, unless given */
	frame_missing_from_model(&cli.series, &m);
	if (cli.series.missing_model && cli.series.missing ==
	    RK_MISS_INTERPOLATE && (streaming || state || m.mode == RNNM_SEQ))
		usage_error("%s was trained with --missing=interpolate, which "
		            "needs the values after a gap, and %s reads rows "
		            "one by one: give --missing=ffill, zero, drop or "
		            "error", rnnm_name(&m), streaming ? "--stream" :
		            state ? "--state" : "a sequence model");
	if (export && rnnm_nmembers(&m) > 1)
		usage_error("--export writes the tensors of one net, and '%s' "
		            "is an ensemble of %zu (rnn-train --ensemble 1 "
		            "trains one)", model && strcmp(model, "-") ? model :
		            "standard input", m.nmembers);
	if (export) {
		rnnm_export_csv(&m, export);
		rnnm_release(&m);
		return 0;
	}
	if (m.mode == RNNM_SEQ && (align || scoring || iv.n))
		usage_error("%s is for window models: this is a sequence model "
		            "(rnn-train --mode seq)", align ? "--align" :
		            scoring ? "--score" : "--interval");
	if (m.mode == RNNM_SEQ && trace && !strcmp(input, "-"))
		usage_error("--trace of a sequence model reads the series twice "
		            "(the trace, then the predictions row by row): give "
		            "it as a file");
	if (iv.proba && !classifier(&m))
		usage_error("--proba: this model predicts numbers, not labels "
		            "(rnn-train --loss ce trains a classifier)");
	if (classifier(&m) && iv.n)
		usage_error("--interval: a classifier's labels have no interval "
		            "(--proba gives its probabilities)");
	if (classifier(&m) && fc)
		usage_error("--forecast feeds predictions back as inputs, and a "
		            "classifier predicts labels, which are not inputs");
	if (classifier(&m) && period)
		usage_error("--period: a classifier's score has no seasonal "
		            "forecast");
	/* a first row of numbers and the model's labels is data: a
	 * headerless chunk (--state) of a classifier's rows */
	if (classifier(&m))
		cli.csv.labels = &m.labels;
	/* (--forecast with a model that cannot forecast says so itself) */
	if (iv.n && (!fc || (rnnm_autoregressive(&m) && m.horizon == 1) ||
	             (m.steps > 1 && (rnnm_autoregressive(&m) ||
	                              (size_t)fc <= m.steps))))
		conformal_check(&m, import ? import : model && strcmp(model, "-") ?
		                model : "standard input", iv.level, iv.n,
		                fc ? (size_t)fc : 1);
	rk_out_open(&out, cli.output, cli.gzip, cli.force);
	if (trace && m.mode == RNNM_SEQ && !fc) {
		series_load_model(&ss, (char **)&input, 1, &cli.csv,
		                  &cli.series, &m);
		series_apply_scaling(&ss, &m);
		series_trace(&ss, &m, stderr);
		series_release(&ss);
	}
	if (streaming || state || (m.mode == RNNM_SEQ && !fc)) {
		/* a sequence model reads its rows one by one, in constant
		 * memory, whatever the options */
		struct printer p = { &out, &m, cli.csv.delim, &iv,
		                     emalloc(emul(m.ntargets, sizeof *p.sc)) };
		struct pstream_print pr = { &p, print_header, print_pred };

		pstream_run(&m, input, &cli, &out, &pr, state, streaming ||
		            (m.mode == RNNM_SEQ && !state));
		free(p.sc);
	} else {
		cli.series.keep_text = align;
		cli.series.model_targets = scoring;
		cli.series.unknown_hint = 1;
		series_load_model(&ss, (char **)&input, 1, &cli.csv,
		                  &cli.series, &m);
		series_apply_scaling(&ss, &m);
		if (scoring && classifier(&m))
			score_classes(&m, &ss, &out, cli.csv.delim, threads);
		else if (scoring && fc)
			score_forecasts(&m, &ss, (size_t)fc, period ?
			                (size_t)period : m.tf.period > 1 ?
			                m.tf.period : score_period(
			                &ss.frame.time.step), &out, cli.csv.delim);
		else if (scoring)
			score(&m, &ss, period ? (size_t)period :
			      m.tf.period > 1 ? m.tf.period :
			      score_period(&ss.frame.time.step), &out,
			      cli.csv.delim, threads);
		else if (fc && m.mode == RNNM_SEQ)
			forecast_seq(&m, &ss, (size_t)fc, &out, cli.csv.delim,
			             &iv);
		else if (fc)
			forecast(&m, &ss, (size_t)fc, &out, cli.csv.delim, &iv);
		else {
			if (trace)
				series_trace(&ss, &m, stderr);
			predict_all(&m, &ss, &out, cli.csv.delim, align, &iv,
			            threads);
		}
		series_release(&ss);
	}
	if (!state)             /* pstream_run closed it before the state */
		rk_out_close(&out);
	rnnm_release(&m);
	return 0;
}
