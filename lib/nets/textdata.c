/* textdata.c - a text as fit()'s data (textdata.h). */
#include <math.h>
#include <string.h>

#include "textdata.h"
#include "textnet.h"
#include "util.h"

/* the one-hot rows of steps pos[b].start .. + T - 1 of the span */
static void
gather(void *ctx, const struct rnnm *m, const struct window *pos, size_t B,
       size_t T, rk_real *x, rk_real *tg)
{
	const struct rk_textdata *td = ctx;
	size_t V = (size_t)m->net.cfg.nin, b, t, st;

	memset(x, 0, B * T * V * sizeof *x);
	if (tg)
		memset(tg, 0, B * T * V * sizeof *tg);
	for (b = 0; b < B; b++)
		for (t = 0; t < T; t++) {
			st = pos[b].start + t;
			x[(b * T + t) * V + (size_t)td->train[st]] = 1;
			if (tg)
				tg[(b * T + t) * V +
				   (size_t)td->train[st + 1]] = 1;
		}
}

/* the held-out part's mean nats per predicted symbol */
static double
score(void *ctx, const struct rnnm *m, double *acc)
{
	const struct rk_textdata *td = ctx;
	struct rk_textnet tn;
	double nats;

	*acc = NAN;
	if (td->nval < 2)
		return NAN;
	if (rk_textnet_init(&tn, &m->net) < 0)
		die(EX_SOFTWARE, "out of memory for scoring");
	nats = rk_textnet_nats(&tn, td->val, td->nval);
	rk_textnet_release(&tn);
	if (nats < 0)
		die(EX_SOFTWARE, "out of memory for scoring");
	return nats / (double)(td->nval - 1);
}

void
rk_textdata_init(struct rk_textdata *td, const int32_t *train, size_t ntrain,
                 const int32_t *val, size_t nval)
{
	memset(td, 0, sizeof *td);
	td->train = train;
	td->ntrain = ntrain;
	td->val = val;
	td->nval = nval;
	td->span.series = 0;
	td->span.start = 0;
	td->span.len = ntrain - 1;
	td->src.train = &td->span;
	td->src.ntrain = 1;
	td->src.gather = gather;
	td->src.score = score;
	td->src.ctx = td;
}
