/* recursive.c - recursive forecasts from origins (recursive.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

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
			e = (nextafterf(fabsf(y), INFINITY) - fabsf(y)) *
			    m->scale[col] / 2;
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
