/* bipolar.h - +-1 patterns: checking input, the sign update, cycle checks. */
#ifndef RNNKIT_BIPOLAR_H
#define RNNKIT_BIPOLAR_H

#include <stddef.h>
#include <stdint.h>

#include "csvread.h"

/* How a file writes its +-1 values (--encoding).
 *
 * BIP_PM1: +1 and -1; in probes a 0 is an unknown bit (it stays 0 in the
 *          state until its field is non-zero), in patterns it is an error.
 * BIP_01:  1 and 0, 0 meaning -1; a -1 is an error.
 * BIP_AUTO (the default): every value must be -1, 0 or 1. A file with a -1
 *          is PM1; a file without one is 01, as before unknown bits existed
 *          (so a file of only 0 and 1 means -1/+1, never "unknown"; force
 *          PM1 to read its 0s as unknown). In a pattern file, 0 beside -1
 *          is an error ("patterns mix 0 and -1"). */
enum bip_encoding { BIP_AUTO, BIP_PM1, BIP_01 };

/* "auto", "pm1", "01": 0, else -1. */
int bip_encoding_parse(const char *s, enum bip_encoding *e);
/* The same for the --encoding option: a usage error (64) when unknown. */
enum bip_encoding bip_encoding_opt(const char *s);

/* Make a table bipolar in place, read with enc: afterwards every value is
 * +1 or -1, or 0 for an unknown bit where unknowns is set (probes).
 * what names a row in messages ("pattern", "probe"). Dies (65) at the first
 * offending cell. Returns the number of unknown (0) cells. */
size_t bipolar_table(struct table *t, const char *what, enum bip_encoding enc,
                     int unknowns);

/* The sign update with phi(0) keeping the old value:
 * s[i] = +1 if net[i] > 0, -1 if net[i] < 0, unchanged if net[i] == 0.
 * An unknown neuron (s[i] == 0) thus stays 0 until its field is non-zero.
 * Returns the number of changed neurons. */
size_t bipolar_update(double *s, const double *net, size_t n);
/* Hash of a state of +1, -1 and 0 (FNV-1a over the three values; a +-1
 * state hashes as it did before unknown bits existed). */
uint64_t bipolar_hash(const double *s, size_t n);
/* Positions where a and b differ. An unknown (0) in a differs from +-1. */
size_t hamming(const double *a, const double *b, size_t n);
/* Distances of a state s (+-1 or 0) to a +-1 pattern p and to -p: *d to p,
 * *dneg to -p. An unknown bit counts as a mismatch in both, so
 * *d + *dneg = n + (unknown bits of s). */
void bipolar_dist(const double *s, const double *p, size_t n, size_t *d,
                  size_t *dneg);

/* The nearest stored pattern, from each pattern k's distance d to the
 * state and dneg to its negation, fed in order k = 0, 1, ...: match is
 * k+1 for the first pattern at distance 0, else -(k+1) for the first
 * whose negation is at 0, else 0 (a pattern wins over the negation of an
 * earlier one); best the least distance to a pattern or a negation
 * ((size_t)-1 before any). */
struct bip_nearest { long match, neg; size_t best; };
void bip_nearest_init(struct bip_nearest *b);
void bip_nearest_add(struct bip_nearest *b, size_t k, size_t d, size_t dneg);
/* match as above */
long bip_nearest_match(const struct bip_nearest *b);
/* Unknown (0) neurons of s. */
size_t bipolar_unknown(const double *s, size_t n);

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
