/* output.h - stdout or an atomically written file, plain or gzip.
 *
 * With a path, data goes to a temporary file in the same directory that is
 * renamed over the path by rk_out_close() and removed on any failure, on
 * die(), and on SIGINT, SIGTERM or SIGHUP: a reader never sees a partial
 * file. Write errors exit 74 ("write error"); a closed pipe ends quietly.
 */
#ifndef RNNKIT_OUTPUT_H
#define RNNKIT_OUTPUT_H

#include <stddef.h>
#include <zlib.h>

struct rk_out {
	char *name;             /* path, or "<stdout>" */
	char *path, *tmp;       /* final and temporary path; NULL for stdout */
	int fd;
	int gz;
	z_stream z;
	unsigned char *buf, *zbuf;
	size_t len;
	unsigned long crc;      /* crc32 of the uncompressed bytes written */
};

/* path NULL or "-" is stdout. gzip: compress. Binary (gzip) data is refused
 * for a terminal unless force. Dies with 73 if the file cannot be created. */
void rk_out_open(struct rk_out *o, const char *path, int gzip, int force);
void rk_out_write(struct rk_out *o, const void *p, size_t n);
void rk_out_printf(struct rk_out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Push everything written so far to the file or pipe (gzip: sync flush). */
void rk_out_flush(struct rk_out *o);
/* On a fatal error (die), flush o first: a streaming filter keeps what it
 * wrote before a bad row. NULL: no more. */
void rk_out_flush_on_error(struct rk_out *o);
/* Finish the stream, check it, rename a file into place. */
void rk_out_close(struct rk_out *o);
/* Drop the output: remove the temporary file. */
void rk_out_abort(struct rk_out *o);

/* Shortest text that reads back as exactly v: integers as integers, else
 * %.{1..17}g. buf needs 32 bytes. Returns buf. */
char *rk_fmt_double(char *buf, double v);
/* The shortest %.Ng text whose value is within tol of v (tol <= 0: exact,
 * as rk_fmt_double). For numbers known only to a resolution. */
char *rk_fmt_within(char *buf, double v, double tol);
/* The same for a float (at most 9 significant digits). */
char *rk_fmt_float(char *buf, float v);

/* CSV output rows: values joined by delim, then '\n'. */
void rk_out_row(struct rk_out *o, char delim, const double *v, size_t n);
void rk_out_cell(struct rk_out *o, double v);
/* A header row; names quoted when they need it. */
void rk_out_names(struct rk_out *o, char delim, char *const *names, size_t n);

#endif
