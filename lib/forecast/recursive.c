/* recursive.c - recursive forecasts from origins (recursive.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "conformal.h"
#include "output.h"
#include "recursive.h"
#include "util.h"

void
fc_rec_init(struct fc_rec *r, const struct rnnm *m,
            const struct series_set *ss, size_t maxB)
{
	size_t W = m->window, nc = ss->ncols, d = m->tf.lag;

	memset(r, 0, sizeof *r);
	r->m = m;
	r->ss = ss;
	r->maxB = maxB ? maxB : 1;
	r->ar = rnnm_autoregressive(m) && m->horizon == 1 && m->steps == 1;
	r->work = rnnm_work_new(m, (int)r->maxB, (int)W, 1);
	if (!r->work)
		die(EX_SOFTWARE, "out of memory");
	r->x = emalloc(emul(emul(r->maxB, W), emul(ss->nin, sizeof *r->x)));
	r->y = emalloc(emul(r->maxB, emul((size_t)m->net.cfg.nout,
	                                  sizeof *r->y)));
	r->z = emalloc(emul(emul(r->maxB, W), emul(nc, sizeof *r->z)));
	r->lev = emalloc(emul(emul(r->maxB, d + 1), emul(nc, sizeof *r->lev)));
	r->next = emalloc(emul(nc, sizeof *r->next));
}

void
fc_rec_start(struct fc_rec *r, const struct window *w, size_t B)
{
	const struct rnnm *m = r->m;
	size_t W = m->window, nc = r->ss->ncols, d = m->tf.lag, b, j, k;

	r->B = B;
	r->h = 0;
	for (b = 0; b < B; b++) {
		memcpy(r->z + b * W * nc, r->ss->z[w[b].series] + w[b].start *
		       nc, W * nc * sizeof *r->z);
		/* the levels of rows o - d + 1 .. o, o = start + W - 1 */
		for (j = 0; j < d; j++)
			for (k = 0; k < nc; k++)
				r->lev[(b * (d + 1) + j) * nc + k] =
					series_level(r->ss, m, w[b].series,
					             w[b].start + W - d + j, k);
	}
}

const double *
fc_rec_window(const struct fc_rec *r, size_t b)
{
	return r->z + b * r->m->window * r->ss->ncols;
}

void
fc_rec_step(struct fc_rec *r, double *v, double *res)
{
	const struct rnnm *m = r->m;
	size_t W = m->window, nc = r->ss->ncols, nin = r->ss->nin;
	size_t nt = m->ntargets, no = (size_t)m->net.cfg.nout;
	size_t d = m->tf.lag, b, k, col;
	double *zb, *lb, e, *next = r->next;

	for (b = 0; b < r->B; b++)
		rnnm_window_x(m, r->x + b * W * nin, r->z + b * W * nc, nc);
	rnnm_forward(m, r->work, r->y, r->x, (int)r->B, (int)W);
	for (b = 0; b < r->B; b++) {
		zb = r->z + b * W * nc;
		lb = r->lev + b * (d + 1) * nc;
		for (k = 0; k < nt; k++) {
			/* the net computes in float: its output's resolution,
			 * in the data's units, goes on through the inversion */
			float y = (float)r->y[b * no + k];

			col = m->targets[k];
			next[k] = (double)y + rnnm_window_base(m, zb, nc, k);
			e = rk_float_res(y) * m->scale[col];
			v[b * nt + k] = rnnm_predicted(m, k, next[k],
			                d ? lb + (d - 1) * nc + col : NULL, nc,
			                res ? &e : NULL, d ? lb + d * nc + k :
			                NULL);
			if (res)
				res[b * nt + k] = e;
		}
		/* slide: drop the oldest row, append the prediction (scaled,
		 * transformed; nt == nc); the new level becomes the newest */
		if (!r->ar)
			continue;
		memmove(zb, zb + nc, (W - 1) * nc * sizeof *zb);
		memcpy(zb + (W - 1) * nc, next, nc * sizeof *zb);
		memmove(lb, lb + nc, d * nc * sizeof *lb);
	}
	r->h++;
}

void
fc_rec_release(struct fc_rec *r)
{
	rnnm_work_free(r->work);
	free(r->x);
	free(r->y);
	free(r->z);
	free(r->lev);
	free(r->next);
	memset(r, 0, sizeof *r);
}

size_t
fc_score(const struct rnnm *m, const struct series_set *ss, size_t K,
         size_t P, struct score *out)
{
	enum { MAXB = 64 };
	const struct table *t = &ss->s[0];
	size_t W = m->window, d = m->tf.lag, nt = m->ntargets;
	size_t o0 = d + W - 1, o, no, b, B, h, k;
	struct score_acc *acc;
	struct window w[MAXB];
	struct fc_rec r;
	double *v, *step;

	if (P > 1 && P - 1 > o0)
		o0 = P - 1;
	if (t->rows < K + 1 || o0 > t->rows - 1 - K)
		return 0;
	no = t->rows - K - o0;
	acc = ecalloc(nt, sizeof *acc);
	v = emalloc(emul(emul(MAXB, K), emul(nt, sizeof *v)));
	step = emalloc(emul(MAXB, emul(nt, sizeof *step)));
	if (m->steps == 1)
		fc_rec_init(&r, m, ss, MAXB);
	for (o = o0; o < o0 + no; o += B) {
		B = o0 + no - o < MAXB ? o0 + no - o : MAXB;
		/* v (B, K, nt): forecast b of origin o + b */
		if (m->steps > 1) {
			for (b = 0; b < B; b++)
				series_forecast_direct(ss, 0, o + b, m, K,
				                       v + b * K * nt, NULL);
		} else {
			for (b = 0; b < B; b++) {
				w[b].series = 0;
				w[b].start = o + b + 1 - W;
			}
			fc_rec_start(&r, w, B);
			for (h = 0; h < K; h++) {
				fc_rec_step(&r, step, NULL);
				for (b = 0; b < B; b++)
					for (k = 0; k < nt; k++)
						v[(b * K + h) * nt + k] =
							step[b * nt + k];
			}
		}
		for (b = 0; b < B; b++)
			for (h = 1; h <= K; h++)
				for (k = 0; k < nt; k++) {
					double f = v[(b * K + h - 1) * nt + k];

					if (m->fc_blend && h >= 2)
						f = conformal_blended(m, k, h, f,
						    conformal_naive(m, t, k, o + b,
						                    h));
					score_acc_add(&acc[k], t->v +
					              m->targets[k], t->cols, o + b,
					              h, P, f);
				}
	}
	for (k = 0; k < nt; k++)
		score_acc_finish(out + k * SCORE_NMETHODS, &acc[k],
		                 t->v + m->targets[k], t->cols, t->rows, P);
	if (m->steps == 1)
		fc_rec_release(&r);
	free(acc);
	free(v);
	free(step);
	return no;
}
