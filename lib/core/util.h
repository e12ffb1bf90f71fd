/* util.h - errors, allocation, option numbers, decimal text to double: what
 * every rnnkit tool needs.
 *
 * Messages go to stderr as "argv0: message". A format ending in ':' has
 * strerror(errno) appended. die() exits with one of the <sysexits.h>
 * statuses below; nothing in lib/ except the e* functions exits.
 */
#ifndef RNNKIT_UTIL_H
#define RNNKIT_UTIL_H

#include <stddef.h>
#include <stdarg.h>
#include <sysexits.h>

#define RNNKIT_VERSION "1.0.0"

extern const char *argv0;

/* Exit statuses (sysexits.h): EX_USAGE 64, EX_DATAERR 65, EX_NOINPUT 66,
 * EX_SOFTWARE 70, EX_CANTCREAT 73, EX_IOERR 74. */

/* Hook run by die() before exiting (removes a half-written output file). */
extern void (*rk_atexit_hook)(void);
/* Hook run by die() first, before the message (a streaming filter pushes
 * out what it computed before the error: output.h). Cleared before it
 * runs. */
extern void (*rk_flush_hook)(void);
/* Hook run by a fatal error last, with the exit status, instead of
 * _exit (an MPI job ends every rank: dist.h); if it returns, _exit. */
extern void (*rk_fatal_hook)(int status);

/* argv0 = basename of argv[0], and argv[0] = argv0 so that getopt's own
 * messages name the tool as ours do. A closed stdin, stdout or stderr is
 * opened on /dev/null, so no file the tool opens takes its place; a
 * closed stdout is remembered (rk_stdout_closed), and output meant for it
 * is then an error (rk_stdout_check).
 * SIGXFSZ is ignored: a write past ulimit -f fails (EFBIG, 74), and the
 * partial output is removed. */
void rk_setprogname(char *argv[]);
extern int rk_stdout_closed;
/* Output is to go to stdout: dies (74) "standard output is closed" when
 * it was closed at start (output to /dev/null would be lost, exit 0). */
void rk_stdout_check(void);
_Noreturn void die(int status, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
_Noreturn void vdie(int status, const char *fmt, va_list ap);
void warnf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Data error at a place in an input: "argv0: FILE:LINE:COL: msg".
 * line or col 0 leaves that part out. Exits 65. */
_Noreturn void die_at(const char *file, size_t line, size_t col,
                      const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

void *emalloc(size_t n);
void *ecalloc(size_t n, size_t size);
void *ereallocarray(void *p, size_t n, size_t size);
char *estrdup(const char *s);
/* n * size, or die (70) on overflow */
size_t emul(size_t n, size_t size);

/* Option arguments: the whole string must be a number in [min, max],
 * else a usage error (64) naming the option. */
long long opt_int(const char *opt, const char *s, long long min, long long max);
double opt_real(const char *opt, const char *s, double min, double max);

/* Decimal text to double, exact and fast (Clinger's fast path): s in the
 * decimal notation strtod reads whole (blanks around, sign, digits, '.',
 * e/E exponent) with at most 19 significant digits, a mantissa m <= 2^53
 * and a decimal exponent e, |e| <= 22, is m * 10^e or m / 10^-e: one
 * correctly rounded operation on exact operands, so the double strtod
 * gives, bit for bit (-0 too). 0 with *v set; 1 when it declines (any
 * other spelling, valid or not), for strtod to decide. */
int rk_parse_decimal_fast(const char *s, double *v);

/* one char, or \t for "\\t"/"tab" */
char opt_delim(const char *opt, const char *s);

/* The index of s among names[0..n), or -1: for parsing option words. */
int rk_name_index(const char *const *names, size_t n, const char *s);

/* Input quoted in a message: the first n bytes of s (up to a NUL), with
 * control characters (below 0x20, and 0x7f) escaped (\r, \n, \t, \xNN),
 * cut after RK_QUOTE_MAX bytes with "..." appended, into buf
 * (RK_QUOTE_BUF bytes). Returns buf. */
#define RK_QUOTE_MAX 60
#define RK_QUOTE_BUF (4 * RK_QUOTE_MAX + 8)
char *rk_quote(char *buf, const char *s, size_t n);

/* The directory part of path, as a new string: "." when it has no '/',
 * "/" for "/x". */
char *rk_dirname(const char *path);

/* The CPUs this process may run on (at least 1): what --threads=0 means. */
int rk_ncpus(void);

/* The number of processes of the MPI job this process was started in:
 * OMPI_COMM_WORLD_SIZE (Open MPI's mpirun), else PMI_SIZE (MPICH, Slurm),
 * when it is an integer >= 1; else 1 (not started by an MPI launcher).
 * rnn-train built without MPI (dist.h) refuses N > 1, which would be N
 * copies each training the whole model. */
int rk_mpi_size(void);

/* Counts agree in number: "%zu row%s", n, plural(n) gives "1 row",
 * "2 rows". */
static inline const char *plural(size_t n) { return n == 1 ? "" : "s"; }

/* Print "--version" text to stdout. */
void print_version(void);
/* "Try 'PROG --help' for more information." and exit 64 */
_Noreturn void usage_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

#endif
