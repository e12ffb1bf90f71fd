/* trace.c - rnn-predict --trace (trace.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "trace.h"
#include "util.h"

struct tctx {
	FILE *f;
	char head[64];          /* "window k" or "window k member j" */
};

/* v with the digits a float needs */
static void
put_real(FILE *f, rk_real v)
{
	char b[32];
	float z = (float)v;

	fputs(rk_fmt_within(b, (double)z, rk_float_res(z)), f);
}

static void
put_vec(FILE *f, const rk_real *v, size_t n)
{
	size_t j;

	for (j = 0; j < n; j++) {
		if (j)
			fputc(',', f);
		put_real(f, v[j]);
	}
}

static void
on_step(void *ctx, size_t t, size_t l, const char *const *name,
        const rk_real *const *v, const size_t *len, size_t n)
{
	struct tctx *c = ctx;
	size_t k;

	fprintf(c->f, "%s%sstep %zu", c->head, *c->head ? " " : "", t);
	if (l)
		fprintf(c->f, " layer %zu", l);
	fputc(':', c->f);
	for (k = 0; k < n; k++) {
		fprintf(c->f, " %s ", name[k]);
		put_vec(c->f, v[k], len[k]);
	}
	fputc('\n', c->f);
}

void
series_trace(const struct series_set *ss, const struct rnnm *m, FILE *f)
{
	const struct table *t = &ss->s[0];
	size_t nc = ss->ncols, nin = (size_t)m->net.cfg.nin;
	size_t nout = (size_t)m->net.cfg.nout, N = rnnm_nmembers(m);
	size_t W, n, i, j, r, d = m->tf.lag;
	struct rnn_trace tr;
	struct tctx c;
	rk_real *x, *y;

	memset(&c, 0, sizeof c);
	c.f = f;
	tr.ctx = &c;
	tr.seq = m->mode == RNNM_SEQ;
	tr.step = on_step;
	y = emalloc(emul(nout, sizeof *y));
	if (m->mode == RNNM_SEQ) {
		/* one window: every row, from a zero state */
		W = t->rows;
		x = emalloc(emul(emul(W ? W : 1, nin), sizeof *x));
		for (r = 0; r < W; r++)
			for (j = 0; j < nin; j++)
				x[r * nin + j] = (rk_real)ss->z[0][r * nc + j];
		if (W && rnn_trace_window(&m->net, m->net.param, x, (int)W, &tr,
		                          y) < 0)
			die(EX_SOFTWARE, "out of memory for the trace");
		free(x);
		free(y);
		return;
	}
	W = m->window;
	n = t->rows >= d + W ? t->rows - d - W + 1 : 0;
	x = emalloc(emul(emul(W, nin), sizeof *x));
	for (i = 0; i < n; i++) {
		fprintf(f, "window %zu: rows %zu-%zu", i + 1, d + i + 1,
		        d + i + W);
		if (d)
			fprintf(f, " (after %zu row%s of history for the "
			        "transform)", d, plural(d));
		fputc('\n', f);
		rnnm_window_x(m, x, ss->z[0] + (d + i) * nc, nc);
		for (j = 0; j < N; j++) {
			if (N > 1)
				snprintf(c.head, sizeof c.head, "window %zu "
				         "member %zu", i + 1, j + 1);
			else
				snprintf(c.head, sizeof c.head, "window %zu",
				         i + 1);
			if (rnn_trace_window(&m->net, rnnm_member_param(m, j),
			                     x, (int)W, &tr, y) < 0)
				die(EX_SOFTWARE, "out of memory for the trace");
			fprintf(f, "%s: y ", c.head);
			put_vec(f, y, nout);
			fputc('\n', f);
		}
	}
	free(x);
	free(y);
}
