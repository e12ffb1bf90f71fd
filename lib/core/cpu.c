/* cpu.c - the vector instruction level of this CPU, capped by RNNKIT_CPU. */
#include <stdlib.h>
#include <string.h>

#include "cpu.h"

static int
detect(void)
{
	int lvl = 0;
	const char *e = getenv("RNNKIT_CPU");

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
	lvl = __builtin_cpu_supports("x86-64-v4") ? 4 :
	      __builtin_cpu_supports("x86-64-v3") ? 3 : 0;
#endif
	if (e && (!strcmp(e, "baseline") || !strcmp(e, "generic")))
		lvl = 0;
	else if (e && (!strcmp(e, "avx2") || !strcmp(e, "x86-64-v3")) && lvl > 3)
		lvl = 3;
	return lvl;
}

int
rk_cpu_level(void)
{
	/* computed once; a race only computes the same value twice */
	static volatile int level = -1;

	if (level < 0)
		level = detect();
	return level;
}
