/* memory.h - load an associative memory: a weight stream, or a plain CSV
 * matrix (as the seed examples give W), from a file or stdin. */
#ifndef RNNKIT_MEMORY_H
#define RNNKIT_MEMORY_H

#include "bam.h"
#include "csvread.h"
#include "dense.h"
#include "hopfield.h"

/* Square CSV matrix -> rule "matrix", no patterns. */
void hop_load(struct hopfield *h, const char *path, const struct csv_opts *o);
/* The same, or a dense memory (a stream of kind "dense"): returns 1 with d
 * filled, else 0 with h filled. */
int assoc_load(struct hopfield *h, struct dense *d, const char *path,
               const struct csv_opts *o);
/* na x nb CSV matrix -> no pairs. */
void bam_load(struct bam *b, const char *path, const struct csv_opts *o);

#endif
