/* textfit.c - train a character net on text (textfit.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fit.h"
#include "sample.h"
#include "textfit.h"
#include "textnet.h"
#include "util.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static _Noreturn void
diverged(const struct textfit_opts *o, const char *what, long long epoch)
{
	if (o->log)
		rk_out_close(o->log);
	die(EX_DATAERR, "training diverged: %s in epoch %lld (try a smaller "
	    "--lr or --clip-norm)", what, epoch);
}

static int
finite_all(const rk_real *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isfinite(p[i]))
			return 0;
	return 1;
}

/* the held-out score, bits per character (NaN: no held-out part) */
static double
val_bpc(const struct rnn_model *net, const int32_t *val, size_t nval)
{
	struct rk_textnet tn;
	double nats;

	if (nval < 2)
		return NAN;
	if (rk_textnet_init(&tn, net) < 0)
		die(EX_SOFTWARE, "out of memory for scoring");
	nats = rk_textnet_nats(&tn, val, nval);
	rk_textnet_release(&tn);
	return rk_bits_per_char(nats, nval - 1);
}

static void
log_row(const struct textfit_opts *o, long long epoch, double train,
        double val, double gn, double cps, double secs, int partial)
{
	char b[5][32];

	if (o->verbose)
		fprintf(stderr, "epoch %lld%s: train %.4f bpc, held-out %s bpc, "
		        "%.0f chars/s, %.1f s\n", epoch, partial ? " (cut by "
		        "--max-time)" : "", train, isnan(val) ? "-" :
		        (snprintf(b[0], sizeof b[0], "%.4f", val), b[0]), cps,
		        secs);
	if (!o->log)
		return;
	rk_out_printf(o->log, "%lld,%s,%s,%s,%s,%s\n", epoch,
	              rk_fmt_within(b[0], train, 5e-5),
	              isnan(val) ? "" : rk_fmt_within(b[1], val, 5e-5),
	              rk_fmt_within(b[2], gn, 5e-5 * gn),
	              rk_fmt_within(b[3], cps, 0.5),
	              rk_fmt_within(b[4], secs, 0.005));
	rk_out_flush(o->log);
}

void
textfit(struct rnn_model *net, struct rk_optim *opt, const int32_t *train,
        size_t ntrain, const int32_t *val, size_t nval,
        const struct textfit_opts *o, struct textfit_result *r)
{
	size_t V = (size_t)net->cfg.nin, np = net->nparam;
	size_t L = (size_t)net->cfg.nlayers, H = (size_t)net->cfg.nhid;
	size_t B, S, K, nchunks, j, b, t, st;
	rk_real *x, *tg, *h, *c = NULL, *grad;
	uint64_t *ids;
	struct rnn_work *w;
	rk_real *best = NULL;
	long long epoch, since = 0;
	double t_start = now(), t_score = 0, best_bpc = INFINITY;

	memset(r, 0, sizeof *r);
	r->train_bpc = r->val_bpc = NAN;
	r->epochs = o->start;
	r->lr = opt->lr;
	B = (size_t)o->streams < ntrain - 1 ? (size_t)o->streams : ntrain - 1;
	S = (ntrain - 1) / B;
	K = (size_t)o->bptt < S ? (size_t)o->bptt : S;
	nchunks = (S + K - 1) / K;
	r->streams = (int)B;
	r->val_chars = nval >= 2 ? nval - 1 : 0;
	x = ecalloc(emul(emul(B, K), V), sizeof *x);
	tg = ecalloc(emul(emul(B, K), V), sizeof *tg);
	h = ecalloc(emul(emul(L, B), H), sizeof *h);
	if (net->cfg.cell == RK_LSTM)
		c = ecalloc(emul(emul(L, B), H), sizeof *c);
	grad = emalloc(emul(np, sizeof *grad));
	ids = emalloc(emul(B, sizeof *ids));
	if (nval >= 2)
		best = emalloc(emul(np, sizeof *best));
	for (b = 0; b < B; b++)
		ids[b] = b;
	if (!(w = rnn_work_new_seq(net, (int)B, (int)K, o->threads)))
		die(EX_SOFTWARE, "out of memory for training");
	if (o->log)
		rk_out_printf(o->log, "epoch,train_bpc,val_bpc,grad_norm,"
		              "chars_per_s,seconds\n");
	for (epoch = o->start + 1; epoch <= o->epochs; epoch++) {
		double sum = 0, gsum = 0, steps = 0, t_ep = now(), vb;
		size_t done = 0;
		int cut = 0;

		memset(h, 0, L * B * H * sizeof *h);
		if (c)
			memset(c, 0, L * B * H * sizeof *c);
		for (j = 0; j < nchunks; j++) {
			size_t T = j + 1 < nchunks ? K : S - j * K;
			double loss, gn;

			/* one-hot rows: clear the last chunk's ones, set
			 * this chunk's */
			memset(x, 0, B * K * V * sizeof *x);
			memset(tg, 0, B * K * V * sizeof *tg);
			for (b = 0; b < B; b++)
				for (t = 0; t < T; t++) {
					st = b * S + j * K + t;
					x[(b * T + t) * V + (size_t)train[st]] = 1;
					tg[(b * T + t) * V +
					   (size_t)train[st + 1]] = 1;
				}
			rnn_work_set_dropout(w, o->dropout, o->seed ^
			                     ((uint64_t)(r->chunks + 1) *
			                      0x9E3779B97F4A7C15ull), ids);
			loss = rnn_seq_step_grad(net, w, grad, x, tg, (int)B,
			                         (int)T, h, c, h, c);
			gn = rk_grad_norm(grad, np);
			if (!isfinite(loss) || !isfinite(gn))
				diverged(o, isfinite(loss) ? "the loss is finite "
				         "but the gradient is not" : isnan(loss) ?
				         "the loss is NaN" : "the loss is infinite",
				         epoch);
			rk_clip_norm(grad, np, o->clip_norm);
			rk_clip_value(grad, np, o->clip_value);
			rk_optim_step(opt, net->param, grad);
			if (!finite_all(net->param, np))
				diverged(o, "a weight turned NaN or infinite",
				         epoch);
			sum += loss * (double)(B * T);
			steps += (double)(B * T);
			gsum += gn;
			done++;
			r->chunks++;
			r->chars += (double)(B * T);
			if (fit_stop) {
				r->end = TEXTFIT_SIGNAL;
				r->signal = fit_stop;
				cut = 1;
				break;
			}
			if (o->max_time > 0 && now() - t_start >= o->max_time) {
				r->end = TEXTFIT_TIME;
				cut = 1;
				break;
			}
		}
		r->train_bpc = sum / steps / M_LN2;
		{
			double t0 = now();

			t_ep = t0 - t_ep;       /* the epoch's training time */
			vb = r->end == TEXTFIT_SIGNAL ? NAN :
			     val_bpc(net, val, nval);
			t_score += now() - t0;
		}
		if (nval >= 2 && r->end != TEXTFIT_SIGNAL && !isfinite(vb))
			diverged(o, "the held-out score is not finite", epoch);
		r->val_bpc = vb;
		r->seconds = now() - t_start - t_score;
		log_row(o, epoch, r->train_bpc, vb, gsum / (double)done,
		        steps / t_ep, now() - t_start, cut &&
		        r->end == TEXTFIT_TIME);
		/* the best held-out score so far: keep its weights; else
		 * decay the rate, and count towards patience */
		if (best && isfinite(vb) && vb < best_bpc) {
			best_bpc = vb;
			memcpy(best, net->param, np * sizeof *best);
			r->best_epoch = epoch;
			since = 0;
		} else if (best && isfinite(vb)) {
			since++;
			if (o->lr_decay > 0 && !cut)
				opt->lr *= o->lr_decay;
		}
		if (cut)
			break;
		r->epochs = epoch;
		if (o->patience > 0 && since >= o->patience) {
			r->end = TEXTFIT_PATIENCE;
			break;
		}
	}
	r->lr = opt->lr;
	if (best && r->best_epoch) {
		memcpy(net->param, best, np * sizeof *best);
		r->val_bpc = best_bpc;
	}
	free(best);
	rnn_work_free(w);
	free(x);
	free(tg);
	free(h);
	free(c);
	free(grad);
	free(ids);
}
