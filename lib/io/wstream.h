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
/* The resource policy (man 5 rnnkit-weights, "Limits"): a reader checks
 * every one of these on the header, before it allocates any tensor, and a
 * writer checks the same before it writes, so that what rnnkit writes,
 * rnnkit reads. */
#define RK_WS_MAXTENSORS 1024                  /* tensor lines (an
                                                  ensemble's members) */
#define RK_WS_MAXKEYS 262144                   /* key lines */
#define RK_WS_MAXHEADER (16 * 1024 * 1024)     /* header bytes */
/* bytes of a header line: room for every list a model may hold, one
 * value per column or target (at most 100000, rnnm_check_limits), e.g.
 * forecast-blend's weights of up to 24 bytes each; the header's total
 * still bounds what a stream may make a reader hold */
#define RK_WS_MAXLINE (4 * 1024 * 1024)
#define RK_WS_MAXELEMS ((size_t)1 << 28)       /* values in one tensor */
#define RK_WS_MAXPARAMS ((size_t)1 << 28)      /* values in all tensors */
#define RK_WS_MAXDATA ((size_t)1 << 30)        /* tensor bytes in a stream */
/* Memory for the tensors a reader needs: each costs its stored bytes plus
 * 8 bytes per value for the decoded copy. RNNKIT_MAX_MEMORY (bytes, with
 * an optional K, M or G suffix) lowers it. */
#define RK_WS_MAXMEMORY ((size_t)1 << 30)
/* window x columns of an rnn model: the --stream ring (rnn-predict) */
#define RK_WS_MAXRING ((size_t)1 << 24)

enum rk_dtype { RK_F64, RK_F32, RK_BITS };

struct rk_tensor {
	char name[40];
	enum rk_dtype dtype;
	size_t rows, cols;      /* a vector is rows x 1 */
	void *data;             /* owned by the stream struct; NULL until
	                           ws_load() for a stream being read */
	int want;               /* ws_need()ed: ws_load() keeps its data */
};

/* The bytes of a tensor's data: 8 or 4 a value (f64, f32), or a row of
 * bits padded to whole bytes. */
size_t ws_data_bytes(enum rk_dtype dt, size_t rows, size_t cols);

struct rk_wstream {
	char *name;             /* source, for messages */
	int major, minor;
	size_t nkeys, capkeys;  /* at most RK_WS_MAXKEYS, all distinct */
	char **key, **val;
	size_t *hash, hcap;     /* open addressing: index + 1, 0 empty */
	size_t ntensors;
	struct rk_tensor t[RK_WS_MAXTENSORS];
	/* a stream being read: the input its tensor data is still in (NULL
	 * once loaded, and for a stream built in memory), the running crc32
	 * and byte count */
	struct rk_in *in;
	unsigned long crc;
	unsigned long long count;
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
/* Declare a tensor without data (for ws_check on a stream's plan). */
void ws_declare(struct rk_wstream *w, const char *name, enum rk_dtype dt,
                size_t rows, size_t cols);
/* A tensor by name, or NULL. ws_need dies (65) unless it exists with
 * exactly these dimensions, and marks it wanted: ws_load() reads it. */
const struct rk_tensor *ws_find(const struct rk_wstream *w, const char *name);
const struct rk_tensor *ws_need(struct rk_wstream *w, const char *name,
                                size_t rows, size_t cols);
/* Copy a loaded tensor's values out as doubles / floats (bits become
 * +-1). */
void ws_get_f64(const struct rk_tensor *t, double *out);
void ws_get_f32(const struct rk_tensor *t, float *out);
/* Die (65) if a loaded f64/f32 tensor holds NaN or Inf. */
void ws_finite(const struct rk_wstream *w, const struct rk_tensor *t);

/* The memory cap: RK_WS_MAXMEMORY, or less by RNNKIT_MAX_MEMORY (dies 64
 * on a malformed value). */
size_t ws_max_memory(void);
/* Bytes a reader needs for these tensors (stored + 8 per value). */
size_t ws_cost(enum rk_dtype dt, size_t rows, size_t cols);
/* Check a stream (header, or the plan of one) against every limit a
 * reader applies, with every tensor needed and the hard memory cap:
 * 0, or -1 with why filled in (one line). */
int ws_check(const struct rk_wstream *w, char *why, size_t whylen);
/* The bytes of its header (an upper bound for the tensor lines). */
size_t ws_header_bytes(const struct rk_wstream *w);
/* The same, dying (status) with "what: why". */
void ws_echeck(const struct rk_wstream *w, int status, const char *what);

/* Write the stream (caller opens o with gzip). */
void ws_write(struct rk_out *o, const struct rk_wstream *w);
/* Read the header of a stream whose magic line is next in 'in', checking
 * it strictly and against the limits above; no tensor is allocated. Dies
 * (65) with a one-line message on a bad magic or version, a malformed,
 * duplicate or CR-ended line, too many keys or tensors, a tensor or a
 * total over the limits. The caller then checks kind, keys and shapes
 * (ws_need) and calls ws_load() while 'in' is still open. */
void ws_read(struct rk_in *in, struct rk_wstream *w);
/* Read the tensor data: the wanted tensors into memory (their cost against
 * ws_max_memory() first), the others streamed past; then the trailer.
 * Dies (65) on a short stream, a bad checksum or trailing data. Does
 * nothing for a stream built in memory or already loaded. */
void ws_load(struct rk_wstream *w);
/* Die unless the stream's kind is one of the NULL-terminated list. */
void ws_expect_kind(const struct rk_wstream *w, const char *tool_use, ...);
/* Does the decoded input start with the magic? (peeks, consumes nothing) */
int ws_sniff(struct rk_in *in);

/* Bits: pack n values (+1 -> 1) into (n+7)/8 bytes; unpack to +-1. */
void rk_pack_bits(unsigned char *dst, const double *src, size_t n);
void rk_unpack_bits(double *dst, const unsigned char *src, size_t n);

#endif
