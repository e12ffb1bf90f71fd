#define _GNU_SOURCE /* memfd_create */
/* fuzz.h - what every fuzz target shares (tests/fuzz/README).
 *
 * A target is one LLVMFuzzerTestOneInput() over lib/: `make fuzz` links it
 * with libFuzzer (clang), `make check` with replay.c, which runs it over
 * the corpus in tests/fuzz/corpus/TARGET/ under the sanitizers.
 *
 * The library ends a run on bad input with die(), which exits. Here the
 * rk_atexit_hook jumps back into the target instead, which then releases
 * what the reader built (its structs are the target's, static, so they
 * are in a consistent state at any die()) and goes on with the next input.
 * The input reaches the reader as standard input: a memfd on fd 0.
 */
#ifndef RNNKIT_FUZZ_H
#define RNNKIT_FUZZ_H

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "util.h"

static jmp_buf fuzz_jmp;

static void
fuzz_hook(void)
{
	longjmp(fuzz_jmp, 1);
}

/* data on fd 0, from its start; the die() hook set */
static void
fuzz_stdin(const uint8_t *data, size_t size)
{
	static int fd = -1;
	size_t off = 0;
	ssize_t n;

	if (fd < 0) {
		fd = memfd_create("fuzz-input", 0);
		if (fd < 0 || dup2(fd, 0) < 0) {
			perror("fuzz: memfd");
			abort();
		}
		argv0 = "fuzz";
	}
	if (ftruncate(0, 0) < 0 || lseek(0, 0, SEEK_SET) < 0)
		abort();
	while (off < size) {
		if ((n = write(0, data + off, size - off)) <= 0)
			abort();
		off += (size_t)n;
	}
	if (lseek(0, 0, SEEK_SET) < 0)
		abort();
	rk_atexit_hook = fuzz_hook;
	rk_flush_hook = NULL;
}

#endif
