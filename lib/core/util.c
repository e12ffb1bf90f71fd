/* util.c - errors, allocation, option numbers, decimal text to double. */
#define _GNU_SOURCE     /* sched_getaffinity */
#include <sched.h>
#include <errno.h>
#include <signal.h>
#include <float.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

const char *argv0 = "rnnkit";
int rk_stdout_closed;
void (*rk_atexit_hook)(void);
void (*rk_flush_hook)(void);
void (*rk_fatal_hook)(int status);

void
rk_setprogname(char *argv[])
{
	char *s = strrchr(argv[0], '/');

	int fd;

	argv0 = s ? s + 1 : argv[0];
	argv[0] = (char *)argv0;
	/* a closed standard descriptor would be reused by the next open():
	 * a memory opened as fd 0 read again as stdin, an output file
	 * written with our messages. /dev/null stands in for it. */
	for (fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) < 0 && errno == EBADF) {
			if (open("/dev/null", fd ? O_WRONLY : O_RDONLY) != fd)
				_exit(EX_OSERR);
			if (fd == 1)
				rk_stdout_closed = 1;
		}
	/* past a file size limit (ulimit -f) a write fails with EFBIG, a
	 * write error (74) that removes the partial output, rather than
	 * SIGXFSZ killing us with temporary files left behind */
	signal(SIGXFSZ, SIG_IGN);
}

void
rk_stdout_check(void)
{
	if (rk_stdout_closed)
		die(EX_IOERR, "standard output is closed");
}

/* A fatal error ends the program at once: stdio is flushed, but the exit
 * handlers do not run, so a leak checker does not count what main still
 * held as leaked. */
static _Noreturn void
fatal_exit(int status)
{
	fflush(NULL);
	if (rk_fatal_hook)
		rk_fatal_hook(status);
	_exit(status);
}

static void
run_flush_hook(void)
{
	void (*f)(void) = rk_flush_hook;

	rk_flush_hook = NULL;
	if (f)
		f();
}

static void
vwarn(const char *fmt, va_list ap)
{
	int err = errno;
	size_t n = strlen(fmt);

	fflush(stdout);
	fprintf(stderr, "%s: ", argv0);
	vfprintf(stderr, fmt, ap);
	if (n && fmt[n - 1] == ':')
		fprintf(stderr, " %s", strerror(err));
	fputc('\n', stderr);
}

void
vdie(int status, const char *fmt, va_list ap)
{
	run_flush_hook();
	vwarn(fmt, ap);
	if (rk_atexit_hook)
		rk_atexit_hook();
	fatal_exit(status);
}

void
die(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdie(status, fmt, ap);
}

void
warnf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
}

void
die_at(const char *file, size_t line, size_t col, const char *fmt, ...)
{
	va_list ap;

	run_flush_hook();
	fflush(stdout);
	fprintf(stderr, "%s: %s:", argv0, file);
	if (line)
		fprintf(stderr, "%zu:", line);
	if (line && col)
		fprintf(stderr, "%zu:", col);
	fputc(' ', stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (rk_atexit_hook)
		rk_atexit_hook();
	fatal_exit(EX_DATAERR);
}

size_t
emul(size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		die(EX_SOFTWARE, "size overflow (%zu x %zu)", n, size);
	return n * size;
}

void *
emalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		die(EX_SOFTWARE, "out of memory (%zu bytes)", n);
	return p;
}

void *
ecalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		die(EX_SOFTWARE, "out of memory (%zu x %zu bytes)", n, size);
	return p;
}

void *
ereallocarray(void *p, size_t n, size_t size)
{
	size_t b = emul(n, size);

	p = realloc(p, b ? b : 1);
	if (!p)
		die(EX_SOFTWARE, "out of memory (%zu bytes)", b);
	return p;
}

char *
estrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(emalloc(n), s, n);
}

void
usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", argv0);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help' for more information.\n", argv0);
	exit(EX_USAGE);
}

long long
opt_int(const char *opt, const char *s, long long min, long long max)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (end == s || *end || errno == ERANGE)
		usage_error("invalid number for %s: '%s'", opt, s);
	if (v < min || v > max)
		usage_error("%s must be between %lld and %lld (got %s)",
		            opt, min, max, s);
	return v;
}

double
opt_real(const char *opt, const char *s, double min, double max)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end || errno == ERANGE || !isfinite(v))
		usage_error("invalid number for %s: '%s'", opt, s);
	if (v < min || v > max)
		usage_error("%s must be between %g and %g (got %s)",
		            opt, min, max, s);
	return v;
}

char
opt_delim(const char *opt, const char *s)
{
	if (!strcmp(s, "\\t") || !strcmp(s, "tab"))
		return '\t';
	if (strlen(s) != 1 || s[0] == '"' || s[0] == '\n' || s[0] == '\r')
		usage_error("%s takes one character other than a quote or "
		            "newline (got '%s')", opt, s);
	return s[0];
}

void
print_version(void)
{
	printf("%s (rnnkit) %s\n", argv0, RNNKIT_VERSION);
}

int
rk_ncpus(void)
{
	cpu_set_t set;
	long n;

	if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
		return CPU_COUNT(&set);
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (int)(n < 256 ? n : 256) : 1;
}

int
rk_mpi_size(void)
{
	static const char *const vars[] = { "OMPI_COMM_WORLD_SIZE", "PMI_SIZE" };
	const char *v;
	char *end;
	long n;
	size_t i;

	for (i = 0; i < sizeof vars / sizeof *vars; i++) {
		if (!(v = getenv(vars[i])) || !*v)
			continue;
		errno = 0;
		n = strtol(v, &end, 10);
		if (!errno && !*end && n >= 1)
			return n < 1000000000 ? (int)n : 1000000000;
	}
	return 1;
}

char *
rk_dirname(const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t n;
	char *dir;

	if (!slash)
		return estrdup(".");
	n = slash == path ? 1 : (size_t)(slash - path);
	dir = emalloc(n + 1);
	memcpy(dir, path, n);
	dir[n] = '\0';
	return dir;
}

int
rk_name_index(const char *const *names, size_t n, const char *s)
{
	size_t i;

	for (i = 0; s && i < n; i++)
		if (!strcmp(s, names[i]))
			return (int)i;
	return -1;
}

char *
rk_quote(char *buf, const char *s, size_t n)
{
	size_t i, k = 0;
	unsigned char c;

	for (i = 0; i < n && s[i]; i++) {
		if (i == RK_QUOTE_MAX) {
			memcpy(buf + k, "...", 3);
			k += 3;
			break;
		}
		c = (unsigned char)s[i];
		if (c == '\r' || c == '\n' || c == '\t') {
			buf[k++] = '\\';
			buf[k++] = c == '\r' ? 'r' : c == '\n' ? 'n' : 't';
		} else if (c < 0x20 || c == 0x7f) {
			k += (size_t)snprintf(buf + k, 5, "\\x%02x", c);
		} else {
			buf[k++] = (char)c;
		}
	}
	buf[k] = '\0';
	return buf;
}

/* The powers of ten exact in a double: 10^k = 5^k * 2^k, and 5^22 is
 * the last power of 5 under 2^53. */
static const double exact_pow10[23] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
};

int
rk_parse_decimal_fast(const char *s, double *v)
{
#if defined(FLT_EVAL_METHOD) && FLT_EVAL_METHOD == 0
	const char *p = s, *num, *q;
	uint64_t m = 0;         /* wraps past 19 digits, which are declined */
	ptrdiff_t nd, e = 0;
	int neg, x = 0, xneg;
	double d;

	while (*p == ' ' || *p == '\t')
		p++;
	neg = *p == '-';
	p += *p == '+' || *p == '-';
	num = p;
	while (*p == '0')
		p++;
	for (q = p; (unsigned)(*p - '0') < 10; p++)
		m = m * 10 + (uint64_t)(*p - '0');
	nd = p - q;             /* significant digits */
	if (*p == '.') {
		const char *point = ++p;

		if (!nd)        /* zeros after the point, before any digit */
			while (*p == '0')
				p++;
		for (q = p; (unsigned)(*p - '0') < 10; p++)
			m = m * 10 + (uint64_t)(*p - '0');
		nd += p - q;
		e = point - p;
		if (p - num == 1)
			return 1;       /* ".", "-.e5": strtod's (rejected) */
	} else if (p == num)
		return 1;               /* "", "+", "e5" */
	if (*p == 'e' || *p == 'E') {
		p++;
		xneg = *p == '-';
		p += *p == '+' || *p == '-';
		if ((unsigned)(*p - '0') >= 10)
			return 1;       /* "1e", "1e+": strtod stops at the 'e' */
		for (; (unsigned)(*p - '0') < 10; p++)
			if ((x = x * 10 + (*p - '0')) > 9999)
				return 1;
		e += xneg ? -x : x;
	}
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p || nd > 19 || m > (UINT64_C(1) << 53) || e < -22 || e > 22)
		return 1;
	d = (double)m;          /* exact: m <= 2^53 */
	d = e < 0 ? d / exact_pow10[-e] : d * exact_pow10[e];
	*v = neg ? -d : d;
	return 0;
#else
	(void)s;
	(void)v;
	return 1;       /* excess precision would round twice */
#endif
}
