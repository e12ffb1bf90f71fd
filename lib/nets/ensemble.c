/* ensemble.c - train an ensemble of members on threads (ensemble.h). */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arpath.h"
#include "conformal.h"
#include "ensemble.h"
#include "rng.h"
#include "util.h"

struct job {
	struct rnnm *m;
	const struct series_set *ss;
	const struct window *train, *val, *all;
	size_t ntrain, nval, nall;
	const struct fit_opts *fo;
	const struct ens_opts *eo;
	struct ens_result *er;
	rk_real *val_param;     /* N x nparam: validation-run weights */
	rk_real *fin_param;     /* N x nparam: the refits' */
	double *ar_all;         /* with refit, the linear path fitted again
	                           on all[0..nall) (rnnm_ar_refit); NULL:
	                           none */
	pthread_mutex_t lock;
	size_t next;            /* the next member to start */
};

static void
report(struct job *J, size_t k)
{
	const struct fit_result *fr = &J->er->fr[k], *rr = &J->er->rr[k];
	size_t N = J->eo->members;

	if (!J->eo->report || fr->end == FIT_DIVERGED || fr->epochs == 0)
		return;
	if (fr->best_epoch)
		fprintf(stderr, "member %zu/%zu: epoch %lld of %lld kept "
		        "(val %.4g)", k + 1, N, fr->best_epoch, fr->epochs,
		        fr->val_loss);
	else
		fprintf(stderr, "member %zu/%zu: %lld epoch%s (train %.4g)",
		        k + 1, N, fr->epochs, plural((size_t)fr->epochs),
		        fr->train_loss);
	if (rr->epochs && rr->end != FIT_SIGNAL)
		fprintf(stderr, "; refit %lld epoch%s", rr->epochs,
		        plural((size_t)rr->epochs));
	fputc('\n', stderr);
}

/* Member k: `rnn-train --seed S+k --threads 1`, as ensemble.h says. */
static void
member_run(struct job *J, size_t k)
{
	const struct rnnm *base = J->m;
	size_t np = base->net.nparam;
	struct rnnm mm = *base;
	struct fit_opts fo = *J->fo;
	struct fit_result *fr = &J->er->fr[k], *rr = &J->er->rr[k];
	struct rk_optim opt;
	struct rk_rng rng;
	rk_real *init = NULL;

	/* the shared parts (names, targets, scaling, transform) are only
	 * read; the weights, the info and the fit state are the member's */
	mm.net.param = emalloc(emul(np, sizeof *mm.net.param));
	ws_init(&mm.info, NULL);
	mm.optim_t = 0;
	mm.optim_m = mm.optim_v = NULL;
	mm.fit_best = NULL;
	mm.conf_steps = mm.conf_n = 0;
	mm.conf_count = NULL;
	mm.conf_res = NULL;
	mm.conf_sref = NULL;
	mm.conf_wf = NULL;
	mm.fc_blend = NULL;
	mm.nmembers = 1;
	mm.mparam = NULL;
	fo.seed = J->fo->seed + k;
	fo.threads = 1;
	fo.checkpoint = NULL;
	fo.log = NULL;
	fo.verbose = 0;
	fo.progress = 0;
	fo.phase = NULL;
	fo.diverge_returns = 1;
	rk_rng_seed(&rng, fo.seed);
	rnn_model_randomize(&mm.net, &rng);
	if (J->eo->refit) {
		init = emalloc(emul(np, sizeof *init));
		memcpy(init, mm.net.param, np * sizeof *init);
	}
	if (rk_optim_init(&opt, J->eo->optim, np, J->eo->lr) < 0)
		die(EX_SOFTWARE, "out of memory for the optimizer");
	if (J->eo->optim == RK_SGD)
		opt.momentum = J->eo->momentum;
	opt.weight_decay = J->eo->weight_decay;

	fit(&mm, &opt, J->ss, J->train, J->ntrain, J->val, J->nval, &fo, fr);
	memcpy(J->val_param + k * np, mm.net.param, np * sizeof *mm.net.param);
	if (J->eo->refit && fr->end != FIT_SIGNAL &&
	    fr->end != FIT_DIVERGED && fr->best_epoch) {
		if (J->ar_all)
			mm.ar = J->ar_all;
		fit_refit(&mm, &opt, init, J->ss, J->all, J->nall, &fo, fr, rr);
	}
	memcpy(J->fin_param + k * np, mm.net.param, np * sizeof *mm.net.param);

	pthread_mutex_lock(&J->lock);
	report(J, k);
	pthread_mutex_unlock(&J->lock);

	rk_optim_release(&opt);
	free(init);
	free(mm.net.param);
	free(mm.optim_m);
	free(mm.optim_v);
	free(mm.fit_best);
	ws_release(&mm.info);
}

static void *
worker(void *arg)
{
	struct job *J = arg;
	size_t k;

	for (;;) {
		pthread_mutex_lock(&J->lock);
		k = J->next++;
		pthread_mutex_unlock(&J->lock);
		if (k >= J->eo->members || fit_stop)
			break;
		member_run(J, k);
	}
	return NULL;
}

/* "12 15 9": one value per member k < n with fmt */
static void
set_list(struct rnnm *m, const char *key, const struct fit_result *fr,
         size_t n, int what)
{
	char *s = emalloc(emul(n, 32)), *p = s;
	size_t k;

	*s = '\0';
	for (k = 0; k < n; k++)
		p += what == 0 ? sprintf(p, "%s%lld", k ? " " : "",
		                         fr[k].epochs) :
		     what == 1 ? sprintf(p, "%s%lld", k ? " " : "",
		                         fr[k].best_epoch) :
		     sprintf(p, "%s%.6g", k ? " " : "", fr[k].val_loss);
	ws_set(&m->info, key, "%s", s);
	free(s);
}

double
rnnm_loss(const struct rnnm *m, const struct series_set *ss,
          const struct window *w, size_t n)
{
	enum { MAXB = 64 };
	size_t i, k, B, no = (size_t)m->net.cfg.nout;
	struct rnnm_work *work;
	rk_real *x, *tg, *y;
	double sum = 0, d;
	int ce = m->net.cfg.loss == RNN_LOSS_CE;

	if (!n)
		return NAN;
	if (!(work = rnnm_work_new(m, MAXB, (int)m->window, 1)))
		die(EX_SOFTWARE, "out of memory");
	x = emalloc(emul(emul(MAXB, m->window), emul(ss->nin, sizeof *x)));
	tg = emalloc(emul(MAXB, emul(no, sizeof *tg)));
	y = emalloc(emul(MAXB, emul(no, sizeof *y)));
	for (i = 0; i < n; i += B) {
		B = n - i < MAXB ? n - i : MAXB;
		series_gather(ss, m, w + i, B, x, tg);
		rnnm_forward(m, work, y, x, (int)B, (int)m->window);
		for (k = 0; ce && k < B * no; k++)
			if (tg[k] != 0)     /* p: the mean probabilities */
				sum -= (double)tg[k] * log((double)y[k]);
		for (k = 0; !ce && k < B * no; k++) {
			d = (double)y[k] - (double)tg[k];
			sum += d * d;
		}
	}
	rnnm_work_free(work);
	free(x);
	free(tg);
	free(y);
	return sum / rnn_loss_norm(&m->net.cfg, n);
}

/* Is member k in the model? After a signal, only with an epoch done. */
static int
kept(const struct ens_result *er, size_t k)
{
	return er->end != FIT_SIGNAL || er->fr[k].epochs > er->fr[k].first;
}

/* m's members: the kept ones' weights from src (N x nparam) */
static void
take(struct rnnm *m, const struct ens_result *er, const rk_real *src)
{
	size_t np = m->net.nparam, k, j = 0;

	for (k = 0; k < er->n; k++)
		if (kept(er, k))
			memcpy(rnnm_member_param(m, j++), src + k * np,
			       np * sizeof *src);
}

void
ensemble_fit(struct rnnm *m, const struct series_set *ss,
             const struct window *train, size_t ntrain,
             const struct window *val, size_t nval,
             const struct window *all, size_t nall,
             const struct fit_opts *fo, const struct ens_opts *eo,
             struct ens_result *er)
{
	struct job J;
	size_t N = eo->members, np = m->net.nparam, k, j, nt;
	pthread_t *tid;
	char b[32];
	struct fit_result *kf;

	memset(er, 0, sizeof *er);
	er->n = N;
	er->fr = ecalloc(N, sizeof *er->fr);
	er->rr = ecalloc(N, sizeof *er->rr);
	er->val_loss = NAN;
	memset(&J, 0, sizeof J);
	J.m = m;
	J.ss = ss;
	J.train = train;
	J.ntrain = ntrain;
	J.val = val;
	J.nval = nval;
	J.all = all;
	J.nall = nall;
	J.fo = fo;
	J.eo = eo;
	J.er = er;
	J.val_param = emalloc(emul(N, emul(np, sizeof *J.val_param)));
	J.fin_param = emalloc(emul(N, emul(np, sizeof *J.fin_param)));
	pthread_mutex_init(&J.lock, NULL);
	if (eo->refit && m->ar_n) {
		/* the linear path on every window, with its ridge weight:
		 * the members' refits learn what it leaves */
		struct rnnm mc = *m;

		mc.ar = emalloc(emul(m->ntargets, emul(m->ar_n, sizeof *mc.ar)));
		memcpy(mc.ar, m->ar, m->ntargets * m->ar_n * sizeof *mc.ar);
		rnnm_ar_refit(&mc, ss, all, nall);
		J.ar_all = mc.ar;
	}

	/* the calling thread is one of the nt */
	nt = eo->threads < 1 ? 1 : (size_t)eo->threads;
	if (nt > N)
		nt = N;
	tid = emalloc(emul(nt, sizeof *tid));
	for (j = 1; j < nt; j++)
		if (pthread_create(&tid[j], NULL, worker, &J))
			die(EX_SOFTWARE, "cannot start a thread:");
	worker(&J);
	for (j = 1; j < nt; j++)
		pthread_join(tid[j], NULL);
	free(tid);
	pthread_mutex_destroy(&J.lock);

	er->end = fit_stop ? FIT_SIGNAL : FIT_DONE;
	er->signal = fit_stop;
	for (k = 0; k < N; k++) {
		if (er->fr[k].end == FIT_DIVERGED ||
		    er->rr[k].end == FIT_DIVERGED) {
			er->end = FIT_DIVERGED;
			er->diverged = k;
			if (er->rr[k].end == FIT_DIVERGED)
				memcpy(er->fr[k].why, er->rr[k].why,
				       sizeof er->fr[k].why);
			goto out;
		}
		if (er->rr[k].end == FIT_SIGNAL)
			er->refit_stopped = 1;
		if (er->rr[k].epochs && er->rr[k].end != FIT_SIGNAL)
			er->refitted = 1;
		if (kept(er, k))
			er->kept++;
	}
	if (er->refit_stopped)
		er->refitted = 0;
	if (!er->kept)
		goto out;

	rnnm_set_members(m, er->kept);
	take(m, er, J.val_param);
	/* the residuals and the loss of the validation runs' ensemble */
	conformal_fit(m, ss, val, nval);
	er->val_loss = rnnm_loss(m, ss, val, nval);
	if (er->refitted) {
		take(m, er, J.fin_param);
		if (J.ar_all)
			memcpy(m->ar, J.ar_all, m->ntargets * m->ar_n *
			       sizeof *m->ar);
	}

	/* the kept members' numbers, in member order */
	kf = emalloc(emul(er->kept, sizeof *kf));
	for (k = j = 0; k < N; k++)
		if (kept(er, k))
			kf[j++] = er->fr[k];
	ws_unset(&m->info, "epochs");
	ws_unset(&m->info, "train-loss");
	ws_unset(&m->info, "val-loss");
	ws_unset(&m->info, "best-epoch");
	ws_unset(&m->info, "refit");
	if (nval)
		ws_set(&m->info, "val-loss", "%s",
		       rk_fmt_double(b, er->val_loss));
	set_list(m, "member-epochs", kf, er->kept, 0);
	if (nval) {
		set_list(m, "member-best-epochs", kf, er->kept, 1);
		set_list(m, "member-val-loss", kf, er->kept, 2);
	}
	if (er->refitted) {
		/* what the refits ran, as one net's epochs: B */
		for (k = j = 0; k < N; k++)
			if (kept(er, k))
				kf[j++] = er->rr[k];
		set_list(m, "member-epochs", kf, er->kept, 0);
		ws_set(&m->info, "refit", "%s epochs on %zu window%s",
		       ws_get(&m->info, "member-epochs"), nall, plural(nall));
	}
	free(kf);
out:
	free(J.val_param);
	free(J.fin_param);
	free(J.ar_all);
}

void
ens_result_release(struct ens_result *er)
{
	free(er->fr);
	free(er->rr);
	memset(er, 0, sizeof *er);
}
