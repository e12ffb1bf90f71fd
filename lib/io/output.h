/* output.h - stdout or an atomically written file, plain or gzip.
 *
 * With a path, data goes to a temporary file in the same directory that is
 * renamed over the path by rk_out_close() and removed on any failure, on
 * die(), and on SIGINT, SIGTERM or SIGHUP: a reader never sees a partial
 * file. The temporary is ".NAME.rkPID.XXXXXX"; one left by a run that was
 * killed (SIGKILL), which is ours (owner, name) and whose PID is gone, is
 * removed by the next rk_out_open() of the same path. Write errors exit 74 ("write error"); a closed pipe ends quietly.
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

/* path NULL or "-" is stdout. gzip, or a path ending in ".gz"
 * (rk_out_gz_name): compress. Binary (gzip) data is refused for a
 * terminal unless force. Dies with 73 if the file cannot be created. */
void rk_out_open(struct rk_out *o, const char *path, int gzip, int force);
/* Does path end in ".gz" (and is more than that)? */
int rk_out_gz_name(const char *path);
/* A log: path written in place (created or truncated now), never
 * compressed, so that `tail -f` follows it as rk_out_flush pushes it. */
void rk_out_open_log(struct rk_out *o, const char *path);
/* Could rk_out_open(path) create the file? Checks, creating nothing, that
 * the directory exists and is writable (a file is replaced by renaming a
 * new one over it; through a symbolic link, the file it points to), or
 * that an existing device or FIFO is writable. 0 for stdout. Returns 0, or
 * -1 with errno set (ENOENT, ENOTDIR, EISDIR, EACCES, EROFS...). */
int rk_out_check(const char *path);
/* The same before long work, dying as rk_out_open would: 73 "cannot create
 * 'PATH': ...", or 64 for compressed data to a terminal (stdout, or a
 * terminal device named by path) without force. */
void rk_out_echeck(const char *path, int gzip, int force);
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

/* A directory of outputs written as a whole: rk_out_tmpdir makes the
 * missing parents of dir and a temporary directory beside it
 * (".NAME.rkPID.XXXXXX"), removed with what it holds on die() or a
 * signal; the caller writes its files there; rk_out_tmpdir_done renames
 * it to dir (a new or empty dir) or its files into dir, and frees tmp.
 * Dies 73. One at a time. */
char *rk_out_tmpdir(const char *dir);
void rk_out_tmpdir_done(char *tmp, const char *dir);

/* Shortest text that reads back as exactly v: integers as integers, else
 * %.{1..17}g. buf needs 32 bytes. Returns buf. */
char *rk_fmt_double(char *buf, double v);
/* The shortest %.Ng text whose value is within tol of v (tol <= 0: exact,
 * as rk_fmt_double). For numbers known only to a resolution. */
char *rk_fmt_within(char *buf, double v, double tol);
/* The resolution of a value the nets computed in float: half the gap from
 * |z| to the next float up (rk_fmt_within's tol for it, times a scale to
 * take it to the data's units); 0 when z is not finite. */
double rk_float_res(float z);
/* --precision: from now on rk_fmt_double, rk_fmt_within and so rk_out_cell
 * and rk_out_row print every value as %.{digits}g (digits 1..17; 0 goes
 * back to the shortest exact form). For a tool's printed results only: a
 * file that must read back exactly (an export) is written without it. */
void rk_set_precision(int digits);
/* The same for a float (at most 9 significant digits). */
char *rk_fmt_float(char *buf, float v);

/* CSV output rows: values joined by delim, then '\n'. */
void rk_out_row(struct rk_out *o, char delim, const double *v, size_t n);
void rk_out_cell(struct rk_out *o, double v);
/* A header row; names quoted when they need it. */
void rk_out_names(struct rk_out *o, char delim, char *const *names, size_t n);
/* One text cell (no delimiter, no line end), quoted as rk_out_names
 * quotes a name. */
void rk_out_text(struct rk_out *o, char delim, const char *s);

#endif
