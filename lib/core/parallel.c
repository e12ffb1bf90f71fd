/* parallel.c - a function over contiguous chunks of [0, n) on threads. */
#include <pthread.h>
#include <stdlib.h>

#include "parallel.h"
#include "util.h"

struct chunk {
	rk_chunk_fn fn;
	void *ctx;
	size_t begin, end;
};

static void *
run_chunk(void *arg)
{
	struct chunk *c = arg;

	c->fn(c->ctx, c->begin, c->end);
	return NULL;
}

void
rk_parallel(int threads, size_t n, size_t grain, rk_chunk_fn fn, void *ctx)
{
	size_t c, j;
	struct chunk *ch;
	pthread_t *tid;
	int *started;

	if (grain < 1)
		grain = 1;
	c = threads > 1 ? (size_t)threads : 1;
	if (c > n / grain)
		c = n / grain;
	if (c <= 1) {
		fn(ctx, 0, n);
		return;
	}
	ch = ecalloc(c, sizeof *ch);
	tid = ecalloc(c, sizeof *tid);
	started = ecalloc(c, sizeof *started);
	for (j = 0; j < c; j++) {
		ch[j].fn = fn;
		ch[j].ctx = ctx;
		ch[j].begin = j * n / c;
		ch[j].end = (j + 1) * n / c;
	}
	for (j = 1; j < c; j++)
		started[j] = !pthread_create(&tid[j], NULL, run_chunk, &ch[j]);
	run_chunk(&ch[0]);
	for (j = 1; j < c; j++) {
		if (started[j])
			pthread_join(tid[j], NULL);
		else
			run_chunk(&ch[j]);
	}
	free(started);
	free(tid);
	free(ch);
}
