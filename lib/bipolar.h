/* bipolar.h - +-1 patterns: checking input, the sign update, cycle checks. */
#ifndef RNNKIT_BIPOLAR_H
#define RNNKIT_BIPOLAR_H

#include <stddef.h>
#include <stdint.h>

#include "csvread.h"

/* Make a table of patterns bipolar in place: values must all be +-1, or all
 * 0/1 (0 becomes -1). Dies (65) at the first offending cell otherwise. */
void bipolar_table(struct table *t, const char *what);

/* s[i] = phi(net[i]): +1 if > 0, -1 if < 0, unchanged if 0.
 * Returns the number of changed neurons. */
size_t bipolar_update(double *s, const double *net, size_t n);
/* Hash of a +-1 state (FNV-1a over the signs). */
uint64_t bipolar_hash(const double *s, size_t n);
size_t hamming(const double *a, const double *b, size_t n);

/* Cycle detection over a run of states by their hashes. */
struct cycdet {
	uint64_t *h;
	size_t n, cap;
};
void cycdet_reset(struct cycdet *c);
/* Record the state at the next step: returns P > 0 when it equals the state
 * P steps back (P = 1: stable), else 0. */
size_t cycdet_push(struct cycdet *c, uint64_t hash);
void cycdet_release(struct cycdet *c);

#endif
