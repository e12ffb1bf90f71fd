/* textnet.c - a character-level net one symbol at a time (textnet.h). */
#include <stdlib.h>
#include <string.h>

#include "textnet.h"

int
rk_textnet_check(const struct rnn_model *m, size_t V)
{
	return V >= 2 && (size_t)m->cfg.nin == V && (size_t)m->cfg.nout == V ?
	       0 : -1;
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
	double nats = 0;
	size_t i;

	rk_textnet_reset(t);
	for (i = 1; i < n; i++) {
		const rk_real *y = rk_textnet_step(t, cls[i - 1]);

		nats -= rk_log_softmax(y, t->V, (size_t)cls[i]);
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
