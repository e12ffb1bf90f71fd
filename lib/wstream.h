/* wstream.h - the rnnkit weight stream (man 5 rnnkit-weights).
 *
 * Decompressed, a stream is:
 *   rnnkit-weights 1.0\n            magic and format version MAJOR.MINOR
 *   key: value\n ...                 kind first, then free-form metadata
 *   tensor: NAME DTYPE D1xD2\n ...   one line per tensor, in data order
 *   end\n
 *   tensor data                      little-endian, row-major, back to back
 *   "RKCRC" + crc32 (4 bytes LE) + byte count before the trailer (8 bytes LE)
 * DTYPE is f64, f32 or bits (row-major bits packed LSB first, each row padded
 * to a whole byte; values 1 -> +1, 0 -> -1). The whole thing is gzip
 * compressed when written; readers take it compressed or not.
 */
#ifndef RNNKIT_WSTREAM_H
#define RNNKIT_WSTREAM_H

#include <stddef.h>

#include "input.h"
#include "output.h"

#define RK_WS_MAGIC "rnnkit-weights"
#define RK_WS_MAJOR 1
#define RK_WS_MINOR 0
#define RK_WS_MAXTENSORS 1024
/* a tensor larger than this is not a real model: refused before allocation */
#define RK_WS_MAXELEMS ((size_t)1 << 30)

enum rk_dtype { RK_F64, RK_F32, RK_BITS };

struct rk_tensor {
	char name[40];
	enum rk_dtype dtype;
	size_t rows, cols;      /* a vector is rows x 1 */
	void *data;             /* owned by the stream struct */
};

struct rk_wstream {
	char *name;             /* source, for messages */
	int major, minor;
	size_t nkeys, capkeys;  /* as many keys as the 16 MiB header holds */
	char **key, **val;
	size_t ntensors;
	struct rk_tensor t[RK_WS_MAXTENSORS];
};

void ws_init(struct rk_wstream *w, const char *kind);
void ws_release(struct rk_wstream *w);
/* Set (or replace) a metadata value; keys are [a-z0-9-]+, values one line. */
void ws_set(struct rk_wstream *w, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
const char *ws_get(const struct rk_wstream *w, const char *key);
/* Remove a key, if there. */
void ws_unset(struct rk_wstream *w, const char *key);
/* A key that must be there and a whole number in [min, max]; dies (65). */
size_t ws_get_size(const struct rk_wstream *w, const char *key, size_t min, size_t max);
/* Add a tensor; data is copied (f64/f32: that many values; bits: +-1
 * doubles converted to packed bits). */
struct rk_tensor *ws_add(struct rk_wstream *w, const char *name,
                         enum rk_dtype dt, size_t rows, size_t cols,
                         const void *data);
/* A tensor by name, or NULL. ws_need dies (65) unless it exists with
 * exactly these dimensions. */
const struct rk_tensor *ws_find(const struct rk_wstream *w, const char *name);
const struct rk_tensor *ws_need(const struct rk_wstream *w, const char *name,
                                size_t rows, size_t cols);
/* Copy a tensor's values out as doubles / floats (bits become +-1). */
void ws_get_f64(const struct rk_tensor *t, double *out);
void ws_get_f32(const struct rk_tensor *t, float *out);

/* Write the stream (caller opens o with gzip). */
void ws_write(struct rk_out *o, const struct rk_wstream *w);
/* Read a stream whose magic line is next in 'in'. Dies (65) with a clear
 * message on a bad magic, a newer major version, oversized dimensions, a
 * short stream, a bad checksum or trailing data. */
void ws_read(struct rk_in *in, struct rk_wstream *w);
/* Die unless the stream's kind is one of the NULL-terminated list. */
void ws_expect_kind(const struct rk_wstream *w, const char *tool_use, ...);
/* Does the decoded input start with the magic? (peeks, consumes nothing) */
int ws_sniff(struct rk_in *in);

/* Bits: pack n values (+1 -> 1) into (n+7)/8 bytes; unpack to +-1. */
void rk_pack_bits(unsigned char *dst, const double *src, size_t n);
void rk_unpack_bits(double *dst, const unsigned char *src, size_t n);

#endif
