/* fit.c - the training loop (fit.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dist.h"
#include "fit.h"
#include "labels.h"
#include "rng.h"
#include "util.h"

volatile sig_atomic_t fit_stop;

static void
on_stop(int sig)
{
	if (fit_stop) {
		/* the second: no more waiting */
		if (rk_atexit_hook)
			rk_atexit_hook();
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	fit_stop = sig;
}

/* fit_stop as rank 0 has it, on every rank (dist.h), asked before every
 * minibatch: the ranks stop after the same one */
static int
stop_now(void)
{
	int s = fit_stop;

	if (rk_dist_size() > 1) {
		rk_dist_bcast(&s, sizeof s, 0);
		fit_stop = s;
	}
	return s;
}

void
fit_catch_signals(void)
{
	int sigs[] = { SIGINT, SIGTERM }, k;
	struct sigaction sa, old;

	for (k = 0; k < 2; k++) {
		sigaction(sigs[k], NULL, &old);
		if (old.sa_handler == SIG_IGN)
			continue;       /* nohup, a background job: stay so */
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_stop;
		sigemptyset(&sa.sa_mask);
		sigaction(sigs[k], &sa, NULL);
	}
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* "1:05", "1:02:05" */
static char *
fmt_clock(char *b, size_t n, double s)
{
	long t = s > 0 && s < 1e9 ? (long)(s + 0.5) : 0;

	if (t >= 3600)
		snprintf(b, n, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
	else
		snprintf(b, n, "%ld:%02ld", t / 60, t % 60);
	return b;
}

/* epoch 3/100 [#########.....................]  31%  0:12 elapsed, ETA 0:26
 * The ETA comes from the share of all windows of this run done so far. */
static void
progress_bar(const char *phase, long long epoch, long long last, size_t done,
             size_t total, double t_start, double share)
{
	static double shown;
	double t = now(), el = t - t_start;
	int i, w = 30, fill = total ? (int)((double)w * done / total) : w;
	char b1[32], b2[32];

	if (t - shown < 1.0 / 6 && done < total)
		return;
	shown = t;
	fprintf(stderr, "\r%sepoch %lld/%lld [", phase, epoch, last);
	for (i = 0; i < w; i++)
		fputc(i < fill ? '#' : '.', stderr);
	fprintf(stderr, "] %3d%%  %s elapsed", total ?
	        (int)(100.0 * done / total) : 100, fmt_clock(b1, sizeof b1, el));
	if (share > 0.001)
		fprintf(stderr, ", ETA %s",
		        fmt_clock(b2, sizeof b2, el / share - el));
	fputs("\033[K", stderr);
}

static int
params_finite(const rk_real *p, size_t n)
{
	size_t i, j;
	rk_real acc[16] = {0};

	/* any NaN or Inf makes the product NaN: one branch per call; 16
	 * sums, so that the adds need not wait for each other */
	for (i = 0; i + 16 <= n; i += 16)
		for (j = 0; j < 16; j++)
			acc[j] += p[i + j] * 0;
	for (; i < n; i++)
		acc[0] += p[i] * 0;
	for (j = 1; j < 16; j++)
		acc[0] += acc[j];
	return acc[0] == 0;
}

/* The data of a batch on the ranks (fit.h, "MPI ranks"): per rank its
 * windows of the batch (rnn_rank_windows), the rank's first and count. */
struct deal {
	int rank, n;            /* N ranks */
	int *count, *first;     /* N each */
	unsigned char *pack;    /* training windows as records: inputs,
	                           targets, id; one scatter a batch */
};

static void
deal_plan(const struct deal *d, size_t B)
{
	int r;

	for (r = 0; r < d->n; r++)
		rnn_rank_windows((int)B, r, d->n, &d->first[r], &d->count[r]);
}

/* rank 0's B windows (unit bytes each) to the ranks, each its own */
static void
deal_out(const struct deal *d, void *buf, size_t unit)
{
	if (rk_dist_scatterv(buf, unit, d->count, d->first, 0) != 0)
		die(EX_SOFTWARE, "cannot send the windows to the MPI ranks");
}

/* A training batch's windows to the ranks in one scatter: rank 0 packs
 * each window's inputs x (xb bytes), targets tg (tb) and id into a
 * record; a rank > 0 unpacks its own.  Rank 0's are in place. */
static void
deal_train(const struct deal *d, size_t B, rk_real *x, size_t xb,
           rk_real *tg, size_t tb, uint64_t *ids)
{
	size_t k, u = xb + tb + sizeof *ids, nk;
	unsigned char *p;

	if (d->rank == 0)
		for (k = 0, p = d->pack; k < B; k++, p += u) {
			memcpy(p, (char *)x + k * xb, xb);
			memcpy(p + xb, (char *)tg + k * tb, tb);
			memcpy(p + xb + tb, ids + k, sizeof *ids);
		}
	deal_out(d, d->pack, u);
	if (d->rank == 0)
		return;
	nk = (size_t)d->count[d->rank];
	for (k = 0, p = d->pack; k < nk; k++, p += u) {
		memcpy((char *)x + k * xb, p, xb);
		memcpy((char *)tg + k * tb, p + xb, tb);
		memcpy(ids + k, p + xb + tb, sizeof *ids);
	}
}

/* The loss of the net on windows w[0..n): MSE, or a classifier's mean
 * cross-entropy (rnn_head_loss); *acc (a classifier's) the share of
 * windows whose most probable class is their label, else NaN.  With
 * ranks, rank 0 reads the windows, each rank computes the outputs of its
 * own (rnn_forward: the same bits as in the whole batch), rank 0 gathers
 * them and sums the losses in window order, and every rank gets the
 * results. */
static double
eval_loss(const struct rnnm *m, struct rnn_work *work,
          const struct series_set *ss, const struct window *w, size_t n,
          size_t batch, rk_real *x, rk_real *tg, rk_real *y, double *acc,
          const struct deal *d)
{
	size_t i, k, B, no = (size_t)m->net.cfg.nout, hits = 0;
	size_t xunit = m->window * (size_t)m->net.cfg.nin * sizeof *x;
	double sum = 0, dd, got[2];
	int ce = m->net.cfg.loss == RNN_LOSS_CE, nb;

	for (i = 0; i < n; i += B) {
		B = n - i < batch ? n - i : batch;
		if (d->rank == 0)
			series_gather(ss, m, w + i, B, x, tg);
		nb = (int)B;
		if (d->n > 1) {
			deal_plan(d, B);
			deal_out(d, x, xunit);
			nb = d->count[d->rank];
		}
		if (nb > 0)
			rnn_forward(&m->net, work, y, x, nb, (int)m->window);
		if (d->n > 1 && rk_dist_gatherv(y, no * sizeof *y, d->count,
		                                d->first, 0) != 0)
			die(EX_SOFTWARE, "cannot gather the validation outputs "
			    "from the MPI ranks");
		if (d->rank > 0)
			continue;
		if (ce) {
			sum += rnn_head_loss(&m->net.cfg, y, tg, NULL, B, 1);
			for (k = 0; k < B; k++)
				hits += tg[k * no + rk_argmax(y + k * no, no)] ==
				        1;
			continue;
		}
		for (k = 0; k < B * no; k++) {
			dd = (double)y[k] - (double)tg[k];
			sum += dd * dd;
		}
	}
	got[0] = sum;
	got[1] = (double)hits;
	if (d->n > 1 && rk_dist_bcast(got, sizeof got, 0) != 0)
		die(EX_SOFTWARE, "cannot share the validation loss");
	*acc = ce && n ? got[1] / (double)n : NAN;
	return n ? got[0] / rnn_loss_norm(&m->net.cfg, n) : NAN;
}

struct loop {
	struct rnnm *m;
	const struct fit_opts *o;
	struct rk_optim *opt;
	struct rnn_work *work;  /* the training's: its threads take the step */
	int ckpt_done;
	/* early stopping */
	rk_real *best;
	long long best_epoch, since_best;
	double best_val, best_train, best_acc;
	/* max_time: fit()'s start; the epoch was cut */
	double t_run;
	int cut;
};

/* o->max_time passed since fit() started, by rank 0's clock on every
 * rank (asked after every minibatch: the ranks stop after the same one) */
static int
time_up(const struct loop *L)
{
	int up;

	if (!(L->o->max_time > 0))
		return 0;
	up = now() - L->t_run >= L->o->max_time;
	if (rk_dist_size() > 1 && rk_dist_bcast(&up, sizeof up, 0) != 0)
		die(EX_SOFTWARE, "cannot share the clock with the MPI ranks");
	return up;
}

/* Dies, or with o->diverge_returns writes the message to r->why for the
 * caller to end fit() with FIT_DIVERGED. */
static void
diverged(const struct loop *L, struct fit_result *r, const char *what,
         long long epoch)
{
	char msg[sizeof r->why];

	snprintf(msg, sizeof msg, "training diverged: %s in epoch %lld (try "
	         "a smaller --lr or --clip-norm)%s", what, epoch,
	         L->ckpt_done ? "; the last checkpoint is kept" : "");
	if (L->o->diverge_returns) {
		memcpy(r->why, msg, sizeof msg);
		return;
	}
	if (L->o->log)
		rk_out_close(L->o->log);
	if (L->o->progress)
		fputs("\r\033[K", stderr);
	die(EX_DATAERR, "%s", msg);
}

/* One optimizer step with the gradient of a minibatch whose loss is
 * loss: its norm into *gn, clipping, the step; -1 on divergence (then
 * diverged() has died or written r->why). */
static int
take_step(struct loop *L, struct fit_result *r, rk_real *grad, double loss,
          long long epoch, double *gn)
{
	struct rnnm *m = L->m;
	size_t np = m->net.nparam;

	*gn = rk_grad_norm(grad, np);
	if (!isfinite(loss) || !isfinite(*gn)) {
		diverged(L, r, isfinite(loss) ? "the loss is finite but the "
		         "gradient is not" : isnan(loss) ? "the loss is NaN" :
		         "the loss is infinite", epoch);
		return -1;
	}
	rk_clip_known_norm(grad, np, L->o->clip_norm, *gn);
	rk_clip_value(grad, np, L->o->clip_value);
	rnn_work_optim_step(L->work, L->opt, m->net.param, grad);
	if (!params_finite(m->net.param, np)) {
		diverged(L, r, "a weight turned NaN or infinite", epoch);
		return -1;
	}
	return 0;
}

/* ---- sequences (rnnmodel.h, RNNM_SEQ; fit.h, "Sequences") ---- */

/* The spans of the steps w[0..n) (series_windows of one row: each
 * series' steps in order). */
static struct fit_span *
make_spans(const struct window *w, size_t n, size_t *ns)
{
	struct fit_span *sp = emalloc(emul(n ? n : 1, sizeof *sp));
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		if (k && sp[k - 1].series == w[i].series &&
		    sp[k - 1].start + sp[k - 1].len == w[i].start) {
			sp[k - 1].len++;
			continue;
		}
		sp[k].series = w[i].series;
		sp[k].start = w[i].start;
		sp[k].len = 1;
		k++;
	}
	*ns = k;
	return sp;
}

/* The streams of a span of len steps: B = min(batch, max(1, len / K))
 * streams of S = len / B steps each (the last len - B*S steps of the span
 * are left out, or with a shift, the first ones) */
static size_t
span_streams(size_t len, size_t batch, size_t K, size_t *S)
{
	size_t B = len / K;

	B = B < 1 ? 1 : B > batch ? batch : B;
	*S = len / B;
	return B;
}

/* MPI ranks: rank 0's spans *sp (*n of them) to every rank */
static void
share_spans(struct fit_span **sp, size_t *n, const struct deal *d)
{
	if (d->n < 2)
		return;
	if (rk_dist_bcast(n, sizeof *n, 0) != 0)
		die(EX_SOFTWARE, "cannot share the spans with the MPI ranks");
	if (d->rank > 0)
		*sp = emalloc(emul(*n ? *n : 1, sizeof **sp));
	if (*n && rk_dist_bcast(*sp, *n * sizeof **sp, 0) != 0)
		die(EX_SOFTWARE, "cannot share the spans with the MPI ranks");
}

struct seqbuf {
	struct rnn_work *work;
	rk_real *x, *tg, *y, *h, *c;
	struct window *pos;
	size_t K;
	const struct fit_source *src;   /* the data (o->source, or csv) */
	struct fit_source csv;          /* the CSV series' */
};

/* the CSV series' gather (fit_source): ctx is the series_set */
static void
csv_gather(void *ctx, const struct rnnm *m, const struct window *pos,
           size_t B, size_t T, rk_real *x, rk_real *tg)
{
	series_gather_seq(ctx, m, pos, B, T, x, tg);
}

/* The validation loss of a sequence model: the source's score, or in
 * each span, B streams (as span_streams) each from a zero state run over
 * the K steps before it (or as many as the series has) without a loss,
 * then over its S steps in chunks of K with one; the mean over the steps
 * of every stream. *acc: a classifier's share of those steps whose most
 * probable class is the target's, else NaN. */
static double
eval_seq(const struct rnnm *m, struct seqbuf *q, const struct fit_span *sp,
         size_t n, size_t batch, double *acc, const struct deal *d)
{
	size_t i, k, b, p, B, S, T, warm, rows = 0, hits = 0;
	size_t ns = (size_t)m->net.cfg.nlayers * batch * (size_t)m->net.cfg.nhid;
	size_t no = (size_t)m->net.cfg.nout;
	int ce = m->net.cfg.loss == RNN_LOSS_CE;
	double sum = 0, got[3];

	/* the source's score, on rank 0 (a rank > 0 has no source): one
	 * row of that loss, its hits the accuracy */
	*acc = NAN;
	got[2] = NAN;
	if (q->src->score && d->rank == 0) {
		sum = q->src->score(q->src->ctx, m, &got[2]);
		rows = 1;
		n = 0;
	}
	for (i = 0; i < n && d->rank == 0; i++) {
		B = span_streams(sp[i].len, batch, q->K, &S);
		warm = sp[i].start < q->K ? sp[i].start : q->K;
		memset(q->h, 0, ns * sizeof *q->h);
		memset(q->c, 0, ns * sizeof *q->c);
		if (warm) {
			for (b = 0; b < B; b++) {
				q->pos[b].series = sp[i].series;
				q->pos[b].start = sp[i].start + b * S - warm;
			}
			q->src->gather(q->src->ctx, m, q->pos, B, warm, q->x,
			               NULL);
			rnn_seq_forward(&m->net, q->work, NULL, q->x, NULL,
			                (int)B, (int)warm, q->h, q->c, q->h,
			                q->c);
		}
		for (p = 0; p < S; p += T) {
			T = S - p < q->K ? S - p : q->K;
			for (b = 0; b < B; b++) {
				q->pos[b].series = sp[i].series;
				q->pos[b].start = sp[i].start + b * S + p;
			}
			q->src->gather(q->src->ctx, m, q->pos, B, T, q->x,
			               q->tg);
			sum += rnn_seq_forward(&m->net, q->work, ce ? q->y :
			                       NULL, q->x, q->tg, (int)B, (int)T,
			                       q->h, q->c, q->h, q->c) *
			       (double)(B * T);
			rows += B * T;
			for (k = 0; ce && k < B * T; k++)
				hits += q->tg[k * no + rk_argmax(q->y + k * no,
				                                 no)] == 1;
		}
	}
	/* ranks: rank 0 alone has the data and computes it, alone (a
	 * forward pass, no exchange per chunk); the others get the loss */
	got[0] = sum;
	got[1] = (double)rows;
	if (!q->src->score)
		got[2] = (double)hits;
	if (d->n > 1 && rk_dist_bcast(got, sizeof got, 0) != 0)
		die(EX_SOFTWARE, "cannot share the validation loss");
	if (ce && got[1] > 0)
		*acc = got[2] / got[1];
	return got[1] > 0 ? got[0] / got[1] : NAN;
}

static void
set_losses(struct rnnm *m, long long epochs, double train, double val)
{
	char b[32];

	ws_set(&m->info, "epochs", "%lld", epochs);
	if (isfinite(train))
		ws_set(&m->info, "train-loss", "%s", rk_fmt_double(b, train));
	if (isfinite(val))
		ws_set(&m->info, "val-loss", "%s", rk_fmt_double(b, val));
}

/* The checkpoint: θ of the last epoch, the optimizer's state after it (kept
 * in m at every epoch's end), and the early-stopping state to go on with. */
static void
checkpoint(struct loop *L, long long epoch, double train, double val)
{
	struct rnnm *m = L->m;
	char b[32];

	set_losses(m, epoch, train, val);
	if (L->best) {
		rnnm_keep_best(m, L->best_epoch ? L->best : NULL);
		ws_set(&m->info, "fit-best-epoch", "%lld", L->best_epoch);
		ws_set(&m->info, "fit-since-best", "%lld", L->since_best);
		if (L->best_epoch) {
			ws_set(&m->info, "fit-best-val", "%s",
			       rk_fmt_double(b, L->best_val));
			ws_set(&m->info, "fit-best-train", "%s",
			       rk_fmt_double(b, L->best_train));
			if (!isnan(L->best_acc))
				ws_set(&m->info, "fit-best-accuracy", "%s",
				       rk_fmt_double(b, L->best_acc));
		}
	}
	if (L->o->lr_decay > 0)
		ws_set(&m->info, "fit-lr", "%.17g", L->opt->lr);
	rnnm_save(m, L->o->checkpoint, 1);
	rnnm_keep_best(m, NULL);
	rnnm_drop_fit_state(m);
	L->ckpt_done = 1;
}

/* Early-stopping state from a checkpoint of the same kind of run. */
static void
restore_best(struct loop *L)
{
	struct rnnm *m = L->m;
	const char *s;

	if (!(s = ws_get(&m->info, "fit-best-epoch")))
		return;
	L->best_epoch = strtoll(s, NULL, 10);
	if ((s = ws_get(&m->info, "fit-since-best")))
		L->since_best = strtoll(s, NULL, 10);
	if (L->best_epoch > 0 && m->fit_best &&
	    (s = ws_get(&m->info, "fit-best-val"))) {
		L->best_val = strtod(s, NULL);
		if ((s = ws_get(&m->info, "fit-best-train")))
			L->best_train = strtod(s, NULL);
		if ((s = ws_get(&m->info, "fit-best-accuracy")))
			L->best_acc = strtod(s, NULL);
		memcpy(L->best, m->fit_best, m->net.nparam * sizeof *L->best);
	} else {
		L->best_epoch = 0;
		L->since_best = 0;
	}
}

/* One epoch of a sequence model (fit.h, "Sequences"): the training
 * spans in an order drawn from erng; in each, B streams (span_streams)
 * from a zero state, shifted together by a draw from erng, run in chunks
 * of K steps with the state carried, one optimizer step per chunk. Sums
 * the loss times the chunk's steps into *sum, its steps into *nrows, the
 * gradient norms into *gsum and the chunks into *nb. 0, or -1 on
 * divergence; *stop set by a signal, L->cut by the time limit. */
static int
seq_epoch(struct loop *L, struct fit_result *r, struct seqbuf *q,
          const struct fit_span *sp, size_t nsp,
          size_t *spord, size_t batch, struct rk_rng *erng, long long epoch,
          rk_real *grad, uint64_t *ids, double *sum, double *gsum,
          size_t *nb, size_t *nrows, size_t *done, size_t total,
          double t_run, long long e0, long long last, const char *phase,
          int *stop, const struct deal *d)
{
	struct rnnm *m = L->m;
	const struct fit_opts *o = L->o;
	size_t i, b, p, B, S, T, shift, chunk = 0;
	size_t nin = (size_t)m->net.cfg.nin, nout = (size_t)m->net.cfg.nout;
	size_t ns = (size_t)m->net.cfg.nlayers * batch * (size_t)m->net.cfg.nhid;
	double loss, gn;

	for (i = 0; i < nsp; i++)
		spord[i] = i;
	rk_rng_shuffle(erng, spord, nsp);
	for (i = 0; i < nsp && !*stop && !L->cut; i++) {
		const struct fit_span *s = &sp[spord[i]];

		B = span_streams(s->len, batch, q->K, &S);
		shift = (size_t)rk_rng_below(erng, s->len - B * S + 1);
		memset(q->h, 0, ns * sizeof *q->h);
		memset(q->c, 0, ns * sizeof *q->c);
		for (p = 0; p < S && !(*stop = stop_now()); p += T, chunk++) {
			T = S - p < q->K ? S - p : q->K;
			if (d->rank == 0) {
				for (b = 0; b < B; b++) {
					ids[b] = (uint64_t)b;
					q->pos[b].series = s->series;
					q->pos[b].start = s->start + shift +
					                  b * S + p;
				}
				q->src->gather(q->src->ctx, m, q->pos, B, T,
				               q->x, q->tg);
			}
			if (d->n > 1) {
				/* each rank its streams' chunk: inputs,
				 * targets and ids (the dropout masks' keys) */
				deal_plan(d, B);
				deal_train(d, B, q->x, T * nin * sizeof *q->x,
				           q->tg, T * nout * sizeof *q->tg, ids);
			}
			/* masks of (seed, epoch, chunk, stream, step, ...) */
			rnn_work_set_dropout(q->work, o->dropout, o->seed ^
			                     ((uint64_t)epoch *
			                      0xD1B54A32D192ED03ull) ^
			                     ((uint64_t)(chunk + 1) *
			                      0x9E3779B97F4A7C15ull), ids);
			loss = rnn_seq_step_grad(&m->net, q->work, grad, q->x,
			                         q->tg, (int)B, (int)T, q->h,
			                         q->c, q->h, q->c);
			if (take_step(L, r, grad, loss, epoch, &gn) < 0)
				return -1;
			*sum += loss * (double)(B * T);
			*nrows += B * T;
			*gsum += gn;
			(*nb)++;
			*done += B * T;
			if (o->progress)
				progress_bar(phase, epoch, last, *done, total,
				             t_run,
				             ((double)(epoch - e0 - 1) * total +
				              (double)*done) /
				             ((double)(last - e0) * total));
			if ((L->cut = time_up(L)))
				break;
		}
	}
	return 0;
}

/* The epoch's line on stderr: the losses (bits per character with
 * o->bpc), a classifier's accuracy, the mean gradient norm, the seconds
 * (validation included); with o->bpc the steps trained per second. */
static void
epoch_line(const struct loop *L, long long epoch, long long last,
           double train, double val, double acc, double gn, double secs,
           double sps)
{
	const struct fit_opts *o = L->o;
	const char *phase = o->phase ? o->phase : "";

	fprintf(stderr, "%sepoch %lld/%lld%s  ", phase, epoch, last,
	        L->cut ? " (cut by --max-time)" : "");
	if (o->bpc)
		fprintf(stderr, "train %.4f bpc", train / M_LN2);
	else
		fprintf(stderr, "train %.4g", train);
	if (!isnan(val) && o->bpc)
		fprintf(stderr, "  val %.4f bpc", val / M_LN2);
	else if (!isnan(val))
		fprintf(stderr, "  val %.4g", val);
	if (!isnan(acc))
		fprintf(stderr, "  accuracy %.2f%%", 100 * acc);
	fprintf(stderr, "  grad %.4g  %.2fs", gn, secs);
	if (o->bpc)
		fprintf(stderr, "  %.0f chars/s", sps);
	fputc('\n', stderr);
}

void
fit(struct rnnm *m, struct rk_optim *opt, const struct series_set *ss,
    const struct window *train, size_t ntrain,
    const struct window *val, size_t nval,
    const struct fit_opts *o, struct fit_result *r)
{
	struct loop L;
	struct rnn_work *work;
	struct rk_rng erng;
	struct window *bw;
	rk_real *x, *tg, *y, *grad, *snap;
	size_t *order = NULL, i, k, B, W = m->window, np = m->net.nparam;
	size_t nin = (size_t)m->net.cfg.nin, nout = (size_t)m->net.cfg.nout;
	size_t hold, tgw;
	struct deal d;
	uint64_t *ids;
	size_t batch = o->batch;
	/* sequences: the spans of training and validation steps, the order
	 * of the training spans, the steps an epoch trains on */
	int seq = m->mode == RNNM_SEQ;
	struct seqbuf q;
	struct fit_span *sp = NULL, *spv = NULL;
	size_t nsp = 0, nspv = 0, *spord = NULL, seq_total = 0;
	long long epoch, e0 = 0, last;
	double t_run, t0, train_loss = NAN, val_loss = NAN;
	/* the losses' unit in the log and the lines: nats, or bits */
	double u = o->bpc ? 1 / M_LN2 : 1;
	const char *s, *phase = o->phase ? o->phase : "";
	int improved, stop_early, stop = 0;

	memset(&L, 0, sizeof L);
	memset(&q, 0, sizeof q);
	L.m = m;
	L.o = o;
	L.opt = opt;
	L.best_val = INFINITY;
	L.best_acc = NAN;
	memset(r, 0, sizeof *r);
	if ((s = ws_get(&m->info, "epochs")))
		e0 = strtoll(s, NULL, 10);
	if (e0 < 0 || e0 > 1000000000)
		e0 = 0;
	r->first = r->epochs = e0;
	last = o->epochs_more ? e0 + o->epochs : o->epochs;
	r->train_loss = r->val_loss = r->val_accuracy = NAN;

	/* a batch larger than the data would only waste memory */
	if (batch > (ntrain > nval ? ntrain : nval))
		batch = ntrain > nval ? ntrain : nval;
	d.rank = rk_dist_rank();
	d.n = rk_dist_size();
	d.count = emalloc(emul(2, emul((size_t)d.n, sizeof *d.count)));
	d.first = d.count + d.n;
	if (seq) {
		/* B streams of chunks of K steps: the buffers of a window
		 * model's batch of K-step windows */
		size_t ns = emul(emul((size_t)m->net.cfg.nlayers, batch),
		                 (size_t)m->net.cfg.nhid);

		W = q.K = (size_t)o->bptt;
		work = rnn_work_new_seq(&m->net, (int)batch, (int)W, o->threads);
		q.work = work;
		q.h = emalloc(emul(ns, sizeof *q.h));
		q.c = emalloc(emul(ns, sizeof *q.c));
		q.pos = emalloc(emul(batch, sizeof *q.pos));
		/* the data: the source's, or the CSV series' steps */
		q.csv.gather = csv_gather;
		q.csv.ctx = (void *)ss;
		q.src = o->source ? o->source : &q.csv;
		/* ranks: rank 0's training spans to every rank (a few per
		 * series), which then runs the same epochs; rank 0 alone
		 * validates (eval_seq) */
		if (d.rank == 0 && o->source) {
			nsp = o->source->ntrain;
			nspv = o->source->nval;
			sp = emalloc(emul(nsp ? nsp : 1, sizeof *sp));
			spv = emalloc(emul(nspv ? nspv : 1, sizeof *spv));
			if (nsp)
				memcpy(sp, o->source->train, nsp * sizeof *sp);
			if (nspv)
				memcpy(spv, o->source->val, nspv * sizeof *spv);
		} else if (d.rank == 0) {
			sp = make_spans(train, ntrain, &nsp);
			spv = make_spans(val, nval, &nspv);
		}
		share_spans(&sp, &nsp, &d);
		spord = emalloc(emul(nsp ? nsp : 1, sizeof *spord));
		/* the steps an epoch trains on, for the progress */
		for (k = 0; k < nsp; k++) {
			size_t S, B = span_streams(sp[k].len, batch, W, &S);

			seq_total += B * S;
		}
	} else {
		work = rnn_work_new(&m->net, (int)batch, (int)W, o->threads);
	}
	if (!work)
		die(EX_SOFTWARE, "out of memory for the training buffers");
	L.work = work;
	/* N ranks: each computes its shards of every batch (rnn.h, "Ranks")
	 * from its own windows (streams), which rank 0 reads and deals out */
	if (rnn_work_set_ranks(work, d.rank, d.n, rk_dist_allgatherv) < 0)
		die(EX_SOFTWARE, "out of memory for the training buffers");
	/* the windows (streams) a rank holds at once: rank 0 a whole batch,
	 * another rank its share of one, at most */
	hold = batch;
	if (d.rank > 0)
		for (hold = 0, B = 1; B <= batch; B++) {
			int f, c;

			rnn_rank_windows((int)B, d.rank, d.n, &f, &c);
			hold = (size_t)c > hold ? (size_t)c : hold;
		}
	if (hold < 1)
		hold = 1;
	/* a window's targets: nout; a stream's: nout at each of W = K steps */
	tgw = nout * (seq ? W : 1);
	x = emalloc(emul(emul(hold, W), emul(nin, sizeof *x)));
	tg = emalloc(emul(emul(hold, tgw), sizeof *tg));
	q.x = x;
	q.tg = tg;
	/* a window's outputs; a stream's at each step (a classifier's
	 * validation accuracy) */
	y = emalloc(emul(emul(hold, tgw), sizeof *y));
	q.y = y;
	grad = emalloc(emul(np, sizeof *grad));
	if (d.rank == 0 && !seq)
		order = emalloc(emul(ntrain ? ntrain : 1, sizeof *order));
	ids = emalloc(emul(hold, sizeof *ids));
	d.pack = d.n < 2 ? NULL : emalloc(emul(hold, W * nin * sizeof *x +
	                                       tgw * sizeof *tg + sizeof *ids));
	bw = emalloc(emul(hold, sizeof *bw));
	snap = emalloc(emul(np, sizeof *snap));
	if (nval) {
		L.best = emalloc(emul(np, sizeof *L.best));
		restore_best(&L);
	}
	/* the rate a plateau schedule reached (checkpoint()) */
	r->lr_start = opt->lr;
	if ((s = ws_get(&m->info, "fit-lr")))
		opt->lr = strtod(s, NULL);
	rnnm_keep_best(m, NULL);
	rnnm_drop_fit_state(m);
	if (o->log && o->bpc)
		rk_out_printf(o->log, "epoch,train_bpc,val_bpc,grad_norm,"
		              "chars_per_s,seconds\n");
	else if (o->log)
		rk_out_printf(o->log, "epoch,train_loss,val_loss,grad_norm,"
		              "seconds%s\n", m->net.cfg.loss == RNN_LOSS_CE ?
		              ",val_accuracy" : "");
	if (o->log)
		rk_out_flush(o->log);

	/* what a signal in the first epoch keeps: the starting point */
	memcpy(snap, m->net.param, np * sizeof *snap);
	rnnm_keep_optim(m, opt);
	t_run = L.t_run = now();
	for (epoch = e0 + 1; epoch <= last && !(stop = stop_now()); epoch++) {
		double sum = 0, gsum = 0, loss, gn, acc = NAN, t_train;
		/* minibatches; windows (steps) trained */
		size_t nb = 0, ndone = 0, nsteps = 0;
		char b1[32], b2[32], b3[32];

		t0 = now();
		if (d.rank == 0 && !seq)
			for (i = 0; i < ntrain; i++)
				order[i] = i;
		rk_rng_seed(&erng, o->seed ^
		            ((uint64_t)epoch * 0x9E3779B97F4A7C15ull));
		if (seq) {
			size_t done = 0, nrows = 0;

			/* every rank draws the spans' order and shifts */
			if (seq_epoch(&L, r, &q, sp, nsp, spord, batch,
			              &erng, epoch, grad, ids, &sum, &gsum, &nb,
			              &nrows, &done, seq_total, t_run, e0, last,
			              phase, &stop, &d) < 0)
				goto diverge;
			if (stop)
				break;
			sum /= (double)(nrows ? nrows : 1);
			sum *= (double)ntrain;  /* sum / ntrain below */
			ndone = ntrain;
			nsteps = nrows;
			goto epoch_done;
		}
		if (d.rank == 0)
			rk_rng_shuffle(&erng, order, ntrain);
		for (i = 0; i < ntrain && !(stop = stop_now()); i += B) {
			B = ntrain - i < batch ? ntrain - i : batch;
			if (d.rank == 0) {
				for (k = 0; k < B; k++) {
					bw[k] = train[order[i + k]];
					ids[k] = order[i + k];
				}
				series_gather(ss, m, bw, B, x, tg);
			}
			if (d.n > 1) {
				/* each rank its own windows: inputs, targets
				 * and ids (the dropout masks' keys) */
				deal_plan(&d, B);
				deal_train(&d, B, x, W * nin * sizeof *x, tg,
				           nout * sizeof *tg, ids);
			}
			/* masks of (seed, epoch, window, step, layer, unit) */
			rnn_work_set_dropout(work, o->dropout, o->seed ^
			                     ((uint64_t)epoch *
			                      0xD1B54A32D192ED03ull), ids);
			loss = rnn_train_step_grad(&m->net, work, grad, x, tg,
			                           (int)B, (int)W, o->bptt);
			if (take_step(&L, r, grad, loss, epoch, &gn) < 0)
				goto diverge;
			sum += loss * (double)B;
			gsum += gn;
			nb++;
			ndone += B;
			if (o->progress)
				progress_bar(phase, epoch, last, i + B, ntrain,
				             t_run,
				             ((double)(epoch - e0 - 1) * ntrain +
				              (double)(i + B)) /
				             ((double)(last - e0) * ntrain));
			if ((L.cut = time_up(&L)))
				break;
		}
		if (stop)
			break;
		nsteps = ndone;
epoch_done:
		t_train = now() - t0;
		r->steps += (double)nsteps;
		r->seconds += t_train;
		r->epochs = epoch;
		memcpy(snap, m->net.param, np * sizeof *snap);
		rnnm_keep_optim(m, opt);
		/* the mean over the windows (steps) the epoch trained on */
		train_loss = sum / (double)ndone;
		val_loss = !nval ? NAN : seq ? eval_seq(m, &q, spv, nspv,
		                                        batch, &acc, &d) :
		           eval_loss(m, work, ss, val, nval, batch, x, tg, y,
		                     &acc, &d);
		if (nval && !isfinite(val_loss)) {
			diverged(&L, r, "the validation loss is not finite",
			         epoch);
			goto diverge;
		}
		if (o->progress)
			fputs("\r\033[K", stderr);
		if (o->verbose)
			epoch_line(&L, epoch, last, train_loss, val_loss, acc,
			           gsum / nb, now() - t0,
			           (double)nsteps / t_train);
		if (o->log && o->bpc) {
			char b4[32], b5[32];

			rk_out_printf(o->log, "%lld,%s,%s,%s,%s,%s\n", epoch,
			              rk_fmt_within(b1, u * train_loss, 5e-5),
			              nval ? rk_fmt_within(b2, u * val_loss,
			              5e-5) : "", rk_fmt_within(b3, gsum / nb,
			              5e-5 * gsum / nb), rk_fmt_within(b4,
			              (double)nsteps / t_train, 0.5),
			              rk_fmt_within(b5, now() - t_run, 0.005));
		} else if (o->log) {
			rk_out_printf(o->log, "%lld,%s,%s,%s,%.3f", epoch,
			              rk_fmt_double(b1, train_loss),
			              nval ? rk_fmt_double(b2, val_loss) : "",
			              rk_fmt_double(b3, gsum / nb), now() - t0);
			if (m->net.cfg.loss == RNN_LOSS_CE)
				rk_out_printf(o->log, ",%s", isnan(acc) ? "" :
				              rk_fmt_double(b2, acc));
			rk_out_printf(o->log, "\n");
		}
		if (o->log)
			rk_out_flush(o->log);
		improved = nval && val_loss < L.best_val;
		if (nval && improved) {
			L.best_acc = acc;
			L.best_val = val_loss;
			L.best_train = train_loss;
			L.best_epoch = epoch;
			memcpy(L.best, m->net.param, np * sizeof *L.best);
			L.since_best = 0;
		} else if (nval) {
			L.since_best++;
			/* a plateau: a lower rate (not after a cut epoch) */
			if (o->lr_decay > 0 && !L.cut)
				opt->lr *= o->lr_decay;
		}
		stop_early = nval && o->patience && L.since_best >= o->patience;
		if (o->checkpoint && (epoch % o->every == 0 ||
		    epoch == last || stop_early || L.cut))
			checkpoint(&L, epoch, train_loss, val_loss);
		r->train_loss = train_loss;
		r->val_loss = val_loss;
		r->val_accuracy = acc;
		if (L.cut) {
			r->end = FIT_TIME;
			break;
		}
		if (stop_early) {
			r->end = FIT_EARLY;
			break;
		}
	}
	if (stop) {
		r->end = FIT_SIGNAL;
		r->signal = stop;
		if (o->progress)
			fputs("\r\033[K", stderr);
		/* back to the last complete epoch, whose optimizer state m
		 * kept; its checkpoint resumes the run exactly */
		memcpy(m->net.param, snap, np * sizeof *snap);
		if (o->checkpoint && r->epochs > r->first)
			checkpoint(&L, r->epochs, train_loss, val_loss);
	}
	set_losses(m, r->epochs, r->train_loss, r->val_loss);
	if (nval && L.best_epoch) {
		r->best_epoch = L.best_epoch;
		r->train_loss = L.best_train;
		r->val_loss = L.best_val;
		r->val_accuracy = L.best_acc;
		memcpy(m->net.param, L.best, np * sizeof *L.best);
		set_losses(m, r->epochs, L.best_train, L.best_val);
		ws_set(&m->info, "best-epoch", "%lld", L.best_epoch);
	}
	if (0) {
diverge:
		/* only with o->diverge_returns: the last complete epoch's */
		r->end = FIT_DIVERGED;
		memcpy(m->net.param, snap, np * sizeof *snap);
	}
	r->lr = opt->lr;
	/* the model to keep is lean: no optimizer state */
	rnnm_keep_optim(m, NULL);
	rnn_work_free(work);
	free(x);
	free(tg);
	free(y);
	free(grad);
	free(order);
	free(ids);
	free(bw);
	free(snap);
	free(L.best);
	free(d.count);
	free(d.pack);
	free(q.h);
	free(q.c);
	free(q.pos);
	free(sp);
	free(spv);
	free(spord);
}

void
fit_refit(struct rnnm *m, struct rk_optim *opt, const rk_real *init,
          const struct series_set *ss, const struct window *all,
          size_t nall, const struct fit_opts *o,
          const struct fit_result *r, struct fit_result *rr)
{
	static const char *const keys[] = { "epochs", "train-loss",
	                                    "val-loss", "best-epoch" };
	struct fit_opts ro = *o;
	size_t np = m->net.nparam, k;
	rk_real *kept = emalloc(emul(np, sizeof *kept));
	char *val[4];

	/* the first run's model, to give back if a signal stops the refit */
	memcpy(kept, m->net.param, np * sizeof *kept);
	for (k = 0; k < 4; k++) {
		const char *v = ws_get(&m->info, keys[k]);

		val[k] = v ? estrdup(v) : NULL;
	}

	ro.epochs = r->best_epoch;
	ro.epochs_more = 0;
	ro.patience = 0;
	ro.checkpoint = NULL;
	ro.log = NULL;
	ro.phase = "refit: ";
	ro.max_time = 0;
	ro.lr_decay = 0;
	memcpy(m->net.param, init, np * sizeof *init);
	rk_optim_reset(opt);
	opt->lr = r->lr_start;
	/* in place, keeping the header's order: fit() counts from 0 */
	ws_set(&m->info, "epochs", "0");
	ws_unset(&m->info, "refit");
	fit(m, opt, ss, all, nall, NULL, 0, &ro, rr);

	if (rr->end == FIT_SIGNAL) {
		memcpy(m->net.param, kept, np * sizeof *kept);
		for (k = 0; k < 4; k++)
			if (val[k])
				ws_set(&m->info, keys[k], "%s", val[k]);
	} else {
		/* set_losses() leaves the first run's val-loss: the refit
		 * has none of its own */
		ws_set(&m->info, "best-epoch", "%lld", r->best_epoch);
		ws_set(&m->info, "refit", "%lld epoch%s on %zu window%s",
		       rr->epochs, plural((size_t)rr->epochs), nall,
		       plural(nall));
	}
	for (k = 0; k < 4; k++)
		free(val[k]);
	free(kept);
}

/* the early-stopping keys of a checkpoint, and "epochs" (restore_best) */
static const char *const start_keys[] = {
	"epochs", "fit-best-epoch", "fit-since-best", "fit-best-val",
	"fit-best-train", "fit-best-accuracy", "fit-lr"
};
#define NSTART (sizeof start_keys / sizeof *start_keys)

/* what a rank needs of rank 0's start, apart from the arrays */
struct start {
	struct rnn_config cfg;
	int mode;               /* window or seq (rnnmodel.h) */
	size_t window, ntrain, nval;
	struct fit_opts o;
	enum rk_optim_kind kind;
	double lr, momentum, beta1, beta2, eps, weight_decay;
	long t;
	int has_v, has_best;
	char info[NSTART][64];
};

static void
share(void *buf, size_t bytes)
{
	if (bytes && rk_dist_bcast(buf, bytes, 0) != 0)
		die(EX_SOFTWARE, "cannot share the start with the MPI ranks");
}

void
fit_share_start(struct rnnm *m, struct rk_optim *opt, struct fit_opts *o,
                size_t *ntrain, size_t *nval)
{
	struct start st;
	size_t k, np;
	const char *v;

	if (rk_dist_size() < 2)
		return;
	memset(&st, 0, sizeof st);
	if (rk_dist_rank() == 0) {
		st.cfg = m->net.cfg;
		st.mode = (int)m->mode;
		st.window = m->window;
		st.ntrain = *ntrain;
		st.nval = *nval;
		st.o = *o;
		st.kind = opt->kind;
		st.lr = opt->lr;
		st.momentum = opt->momentum;
		st.beta1 = opt->beta1;
		st.beta2 = opt->beta2;
		st.eps = opt->eps;
		st.weight_decay = opt->weight_decay;
		st.t = opt->t;
		st.has_v = opt->v != NULL;
		st.has_best = m->fit_best != NULL;
		for (k = 0; k < NSTART; k++)
			if ((v = ws_get(&m->info, start_keys[k])))
				snprintf(st.info[k], sizeof st.info[k], "%s", v);
	}
	share(&st, sizeof st);
	if (rk_dist_rank() > 0) {
		memset(m, 0, sizeof *m);
		if (rnn_model_init(&m->net, &st.cfg) < 0)
			die(EX_SOFTWARE, "out of memory for the model");
		m->mode = (enum rnnm_mode)st.mode;
		m->window = st.window;
		ws_init(&m->info, NULL);
		for (k = 0; k < NSTART; k++)
			if (*st.info[k])
				ws_set(&m->info, start_keys[k], "%s",
				       st.info[k]);
		if (rk_optim_init(opt, st.kind, m->net.nparam, st.lr) < 0)
			die(EX_SOFTWARE, "out of memory for the optimizer");
		opt->momentum = st.momentum;
		opt->beta1 = st.beta1;
		opt->beta2 = st.beta2;
		opt->eps = st.eps;
		opt->weight_decay = st.weight_decay;
		opt->t = st.t;
		if (st.has_best)
			m->fit_best = emalloc(emul(m->net.nparam,
			                           sizeof *m->fit_best));
		*o = st.o;
		/* rank 0 alone speaks and writes, and reads the data */
		o->source = NULL;
		o->checkpoint = NULL;
		o->log = NULL;
		o->verbose = 0;
		o->progress = 0;
		o->phase = NULL;
		*ntrain = st.ntrain;
		*nval = st.nval;
	}
	np = m->net.nparam;
	share(m->net.param, np * sizeof *m->net.param);
	share(opt->m, np * sizeof *opt->m);
	if (st.has_v)
		share(opt->v, np * sizeof *opt->v);
	if (st.has_best)
		share(m->fit_best, np * sizeof *m->fit_best);
}
