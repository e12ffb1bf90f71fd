/* report.h - text shown by the recall tools: status words, states, grids. */
#ifndef RNNKIT_REPORT_H
#define RNNKIT_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "hopfield.h"
#include "output.h"

/* "stable", "cycle:P" or "limit"; "unknown:K" instead of "stable" when K
 * neurons are still unknown (0) in the final state. buf needs 48 bytes. */
const char *status_word(char *buf, enum hop_status s, size_t period,
                        size_t unknown);
/* "k", "-k" or "spurious"; buf needs 32 bytes. */
const char *match_word(char *buf, long match);
/* "1", "-1", or "0" for an unknown bit. */
const char *bit_word(double v);
/* A state as 1, -1 and 0 joined by delim, to a stdio stream or an output. */
void print_state(FILE *f, const double *s, size_t n, char delim);
void out_state(struct rk_out *o, const double *s, size_t n, char delim);
/* An energy known to the resolution tol (hop_energy_tol, bam_energy_tol):
 * an integer when one is within tol, else the fewest significant digits
 * within tol (rk_fmt_within); exact when tol is 0. buf needs 32 bytes. */
char *fmt_energy(char *buf, double e, double tol);
/* The resolution of an energy summed from the nn weights W over 'terms'
 * products: 0 when every weight is an integer (and the sum of |w| is below
 * 2^53, so the energy is exact), else terms * DBL_EPSILON * sum |w|. */
double energy_tol(const double *W, size_t nn, size_t terms);
/* Parse "RxC" for --show; exits 64 on a bad value. */
void parse_grid(const char *arg, size_t *rows, size_t *cols);
/* Draw grids side by side on f: '#' for +1, '.' for -1, '?' for 0. */
void show_grids(FILE *f, size_t rows, size_t cols, size_t ngrids,
                const double *const *grids, const char *const *titles);
/* Output header: names, then extra column names (may be NULL/0). */
void out_header(struct rk_out *o, char delim, char *const *names, size_t n,
                const char *const *extra, size_t nextra);

#endif
