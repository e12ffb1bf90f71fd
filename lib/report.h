/* report.h - text shown by the recall tools: status words, states, grids. */
#ifndef RNNKIT_REPORT_H
#define RNNKIT_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "hopfield.h"
#include "output.h"

/* "stable", "cycle:P" or "limit"; buf needs 32 bytes. */
const char *status_word(char *buf, enum hop_status s, size_t period);
/* "k", "-k" or "spurious"; buf needs 32 bytes. */
const char *match_word(char *buf, long match);
/* A state as integers joined by delim, to a stdio stream. */
void print_state(FILE *f, const double *s, size_t n, char delim);
/* Parse "RxC" for --show; exits 64 on a bad value. */
void parse_grid(const char *arg, size_t *rows, size_t *cols);
/* Draw grids side by side on f: '#' for +1, '.' for -1. */
void show_grids(FILE *f, size_t rows, size_t cols, size_t ngrids,
                const double *const *grids, const char *const *titles);
/* Output header: names, then extra column names (may be NULL/0). */
void out_header(struct rk_out *o, char delim, char *const *names, size_t n,
                const char *const *extra, size_t nextra);

#endif
