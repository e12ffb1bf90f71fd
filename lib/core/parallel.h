/* parallel.h - a function over contiguous chunks of [0, n) on threads.
 *
 * rk_parallel splits [0, n) into at most `threads` contiguous chunks of
 * near-equal size (chunk j is [j n / c, (j + 1) n / c) for c chunks), runs
 * fn(ctx, begin, end) on each, the first on the calling thread, and returns
 * when every chunk is done. A chunk is never smaller than `grain` items
 * (fewer chunks instead); threads <= 1 or n <= grain: one call fn(ctx, 0, n)
 * on the caller. A thread that cannot be started runs its chunk on the
 * caller. fn must write only what its chunk owns: then the result is the
 * same for any number of threads.
 */
#ifndef RNNKIT_PARALLEL_H
#define RNNKIT_PARALLEL_H

#include <stddef.h>

typedef void (*rk_chunk_fn)(void *ctx, size_t begin, size_t end);

void rk_parallel(int threads, size_t n, size_t grain, rk_chunk_fn fn,
                 void *ctx);

#endif
