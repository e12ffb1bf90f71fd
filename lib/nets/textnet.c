/* textnet.c - a character-level net one symbol at a time (textnet.h). */
#include <stdlib.h>
#include <string.h>

#include "textnet.h"

int
rk_textnet_check(const struct rnn_model *m, size_t V)
{
	return V >= 2 && (size_t)m->cfg.nin == V && (size_t)m->cfg.nout == V &&
	       m->cfg.loss == RNN_LOSS_CE ? 0 : -1;
}

int
rk_textnet_init(struct rk_textnet *t, const struct rnn_model *m)
{
	memset(t, 0, sizeof *t);
	if (rk_textnet_check(m, (size_t)m->cfg.nin) < 0)
		return -1;
	t->m = m;
	t->V = (size_t)m->cfg.nin;
	t->last = -1;
	t->x = calloc(t->V, sizeof *t->x);
	t->y = calloc(t->V, sizeof *t->y);
	if (!t->x || !t->y || rnn_state_init(&t->s, m, 1) < 0) {
		rk_textnet_release(t);
		return -1;
	}
	return 0;
}

void
rk_textnet_release(struct rk_textnet *t)
{
	free(t->x);
	free(t->y);
	rnn_state_release(&t->s);
	if (t->w)
		rnn_work_free(t->w);
	free(t->cx);
	free(t->ct);
	free(t->ch);
	free(t->cc);
	memset(t, 0, sizeof *t);
}

void
rk_textnet_reset(struct rk_textnet *t)
{
	rnn_state_reset(&t->s);
}

const rk_real *
rk_textnet_step(struct rk_textnet *t, long k)
{
	/* x stays all zeros but for the current class */
	if (t->last >= 0)
		t->x[t->last] = 0;
	if (k >= 0)
		t->x[k] = 1;
	t->last = k;
	rnn_state_step(t->m, &t->s, t->x);
	rnn_state_output(t->m, &t->s, t->y);
	return t->y;
}

double
rk_textnet_nats(struct rk_textnet *t, const int32_t *cls, size_t n)
{
	size_t K = RK_TEXTNET_CHUNK, V = t->V, i, j, T;
	size_t L = (size_t)t->m->cfg.nlayers, H = (size_t)t->m->cfg.nhid;
	double nats = 0, loss;

	rk_textnet_reset(t);
	if (n < 2)
		return 0;
	if (!t->w) {
		t->w = rnn_work_new_seq(t->m, 1, (int)K, 1);
		t->cx = calloc(K * V, sizeof *t->cx);
		t->ct = calloc(K * V, sizeof *t->ct);
		t->ch = calloc(L * H, sizeof *t->ch);
		t->cc = calloc(L * H, sizeof *t->cc);
		if (!t->w || !t->cx || !t->ct || !t->ch || !t->cc)
			return -1;
	}
	memset(t->ch, 0, L * H * sizeof *t->ch);
	memset(t->cc, 0, L * H * sizeof *t->cc);
	/* inputs cls[0..n-2], targets cls[1..n-1] */
	for (i = 0; i + 1 < n; i += T) {
		T = n - 1 - i < K ? n - 1 - i : K;
		memset(t->cx, 0, T * V * sizeof *t->cx);
		memset(t->ct, 0, T * V * sizeof *t->ct);
		for (j = 0; j < T; j++) {
			t->cx[j * V + (size_t)cls[i + j]] = 1;
			t->ct[j * V + (size_t)cls[i + j + 1]] = 1;
		}
		loss = rnn_seq_forward(t->m, t->w, NULL, t->cx, t->ct, 1, (int)T,
		                       t->ch, t->cc, t->ch, t->cc);
		nats += loss * (double)T;
	}
	return nats;
}

int
rk_textnet_generate(struct rk_textnet *t, const int32_t *prime, size_t np,
                    size_t N, struct rk_sampler *s, struct rk_rng *rng,
                    void (*emit)(void *ctx, size_t k), void *ctx)
{
	const rk_real *y = NULL;
	size_t i;

	rk_textnet_reset(t);
	if (!np)
		y = rk_textnet_step(t, -1);
	for (i = 0; i < np; i++)
		y = rk_textnet_step(t, prime[i]);
	for (i = 0; i < N; i++) {
		long k = rk_sample(s, y, rng);

		if (k < 0)
			return -1;
		emit(ctx, (size_t)k);
		if (i + 1 < N)
			y = rk_textnet_step(t, k);
	}
	return 0;
}
