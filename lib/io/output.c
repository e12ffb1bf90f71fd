/* output.c - stdout or atomic files, plain or gzip, with checked writes. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output.h"
#include "paths.h"
#include "util.h"

#define OUTBUF (64 * 1024)
#define MAXTMP 8

/* Temporary files to remove when the program dies or is killed. */
static char *volatile tmpfiles[MAXTMP];

/* A temporary directory to empty and remove likewise (rk_out_tmpdir). */
static char *volatile tmpdir;

static void
remove_tmpdir(void)
{
	char *dir = tmpdir, path[4096];
	struct dirent *e;
	DIR *d;

	if (!dir)
		return;
	tmpdir = NULL;
	if ((d = opendir(dir))) {
		while ((e = readdir(d)))
			if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
			    (size_t)snprintf(path, sizeof path, "%s/%s", dir,
			                     e->d_name) < sizeof path)
				unlink(path);
		closedir(d);
	}
	rmdir(dir);
}

static void
remove_tmpfiles(void)
{
	int i;

	for (i = 0; i < MAXTMP; i++)
		if (tmpfiles[i])
			unlink(tmpfiles[i]);
	remove_tmpdir();
}

static void
on_signal(int sig)
{
	remove_tmpfiles();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
track_tmp(char *path, int add)
{
	static int handlers;
	int i;

	for (i = 0; path && i < MAXTMP; i++) {
		if (add && !tmpfiles[i]) {
			tmpfiles[i] = path;
			break;
		}
		if (!add && tmpfiles[i] == path) {
			tmpfiles[i] = NULL;
			return;
		}
	}
	if (add && !handlers) {
		struct sigaction sa;
		int sigs[] = { SIGINT, SIGTERM, SIGHUP }, k;

		handlers = 1;
		rk_atexit_hook = remove_tmpfiles;
		for (k = 0; k < 3; k++) {
			struct sigaction old;

			sigaction(sigs[k], NULL, &old);
			if (old.sa_handler == SIG_IGN)
				continue;
			/* a tool with its own handler (rnn-train) keeps it */
			if (old.sa_handler != SIG_DFL)
				continue;
			memset(&sa, 0, sizeof sa);
			sa.sa_handler = on_signal;
			sigemptyset(&sa.sa_mask);
			sigaction(sigs[k], &sa, NULL);
		}
	}
}

/* Remove the temporaries of earlier runs on this path that died without
 * cleaning up (SIGKILL, a crash, a power cut): ".NAME.rkPID.XXXXXX", ours
 * by name and owner, a regular file, whose process PID is gone. Anything
 * else is left alone. dir: the directory part of path (dl bytes). */
static void
remove_stale(const char *path, size_t dl)
{
	const char *base = path + dl;
	char *dir = dl ? estrdup(path) : estrdup("./"), *full;
	size_t bl = strlen(base), n;
	struct dirent *e;
	struct stat st;
	DIR *d;

	dir[dl ? dl : 2] = '\0';
	if (!(d = opendir(dir))) {
		free(dir);
		return;
	}
	while ((e = readdir(d))) {
		const char *s = e->d_name, *p;
		char *end;
		long pid;

		/* "." base ".rk" digits "." and six characters */
		if (s[0] != '.' || strncmp(s + 1, base, bl) ||
		    strncmp(s + 1 + bl, ".rk", 3))
			continue;
		p = s + 1 + bl + 3;
		if (*p < '1' || *p > '9')
			continue;
		errno = 0;
		pid = strtol(p, &end, 10);
		if (errno || *end != '.' || strlen(end + 1) != 6 ||
		    pid > 2147483647L || pid == (long)getpid() ||
		    !(kill((pid_t)pid, 0) < 0 && errno == ESRCH))
			continue;
		n = strlen(dir) + strlen(s) + 1;
		full = emalloc(n);
		snprintf(full, n, "%s%s", dir, s);
		if (lstat(full, &st) == 0 && S_ISREG(st.st_mode) &&
		    st.st_uid == getuid())
			unlink(full);
		free(full);
	}
	closedir(d);
	free(dir);
}

char *
rk_out_tmpdir(const char *dir)
{
	size_t n = strlen(dir), dl;
	char *d = estrdup(dir), *parent, *t;
	const char *slash;
	mode_t um;

	while (n > 1 && d[n - 1] == '/')
		d[--n] = '\0';
	slash = strrchr(d, '/');
	dl = slash ? (size_t)(slash - d) + 1 : 0;
	parent = rk_dirname(d);
	if (rk_mkdirs(parent) < 0)
		die(EX_CANTCREAT, "cannot create '%s':", dir);
	free(parent);
	t = emalloc(n + 40);
	sprintf(t, "%.*s.%s.rk%ld.XXXXXX", (int)dl, d, d + dl, (long)getpid());
	free(d);
	if (!mkdtemp(t))
		die(EX_CANTCREAT, "cannot create '%s':", dir);
	tmpdir = t;
	/* the mode mkdir would give (mkdtemp's is 0700) */
	um = umask(0);
	umask(um);
	chmod(t, 0777 & ~um);
	track_tmp(NULL, 1);
	return t;
}

void
rk_out_tmpdir_done(char *tmp, const char *dir)
{
	char from[4096], to[4096];
	struct dirent *e;
	DIR *d;

	/* a new or empty dir: at once; else file by file (renames need no
	 * space, so a full disk has failed already, in the temporary) */
	if (rename(tmp, dir) < 0) {
		if (errno != ENOTEMPTY && errno != EEXIST)
			die(EX_CANTCREAT, "cannot create '%s':", dir);
		if (!(d = opendir(tmp)))
			die(EX_CANTCREAT, "cannot create '%s':", dir);
		while ((e = readdir(d))) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			snprintf(from, sizeof from, "%s/%s", tmp, e->d_name);
			snprintf(to, sizeof to, "%s/%s", dir, e->d_name);
			if (rename(from, to) < 0)
				die(EX_CANTCREAT, "cannot create '%s':", to);
		}
		closedir(d);
		rmdir(tmp);
	}
	tmpdir = NULL;
	free(tmp);
}

int
rk_out_gz_name(const char *path)
{
	size_t n = path ? strlen(path) : 0;

	return n > 3 && !strcmp(path + n - 3, ".gz");
}

void
rk_out_open(struct rk_out *o, const char *path, int gzip, int force)
{
	struct stat st;

	gzip = gzip || rk_out_gz_name(path);
	memset(o, 0, sizeof *o);
	o->crc = crc32(0L, Z_NULL, 0);
	if (!path || !strcmp(path, "-")) {
		rk_stdout_check();
		o->fd = 1;
		o->name = estrdup("<stdout>");
		if (gzip && !force && isatty(1))
			die(EX_USAGE, "refusing to write compressed data to a "
			    "terminal (use -o FILE, a redirection, or -f)");
	} else if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		die(EX_CANTCREAT, "cannot create '%s':", path);
	} else if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		/* a device or a FIFO (-o /dev/stdout, /dev/full, a named
		 * pipe): write to it directly; it cannot be replaced */
		o->name = estrdup(path);
		o->fd = open(path, O_WRONLY | O_APPEND);
		if (o->fd < 0)
			die(EX_CANTCREAT, "cannot create '%s':", path);
		if (gzip && !force && isatty(o->fd))
			die(EX_USAGE, "refusing to write compressed data to a "
			    "terminal (use -o FILE, a redirection, or -f)");
	} else {
		const char *slash;
		size_t dl;
		mode_t um;
		char *real = NULL;

		/* through a symbolic link, replace the file it points to,
		 * not the link (-o /dev/stdout redirected to a file) */
		if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
			real = realpath(path, NULL);
		o->name = estrdup(path);
		o->path = real ? real : estrdup(path);
		path = o->path;
		slash = strrchr(path, '/');
		dl = slash ? (size_t)(slash - path) + 1 : 0;
		remove_stale(path, dl);
		o->tmp = emalloc(strlen(path) + 40);
		sprintf(o->tmp, "%.*s.%s.rk%ld.XXXXXX", (int)dl, path,
		        path + dl, (long)getpid());
		o->fd = mkstemp(o->tmp);
		if (o->fd < 0)
			die(EX_CANTCREAT, "cannot create '%s':", o->name);
		track_tmp(o->tmp, 1);
		if (stat(path, &st) == 0) {
			/* replacing a file: keep its permissions */
			fchmod(o->fd, st.st_mode & 07777);
		} else {
			um = umask(0);
			umask(um);
			fchmod(o->fd, 0666 & ~um);
		}
	}
	o->buf = emalloc(OUTBUF);
	if (gzip) {
		o->gz = 1;
		o->zbuf = emalloc(OUTBUF);
		/* level 1: weight streams of big memories compress 4x faster
		 * than at 6 for 1.4x the size; speed wins in pipelines */
		if (deflateInit2(&o->z, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8,
		                 Z_DEFAULT_STRATEGY) != Z_OK)
			die(EX_SOFTWARE, "zlib initialisation failed");
	}
}

void
rk_out_open_log(struct rk_out *o, const char *path)
{
	memset(o, 0, sizeof *o);
	o->crc = crc32(0L, Z_NULL, 0);
	o->name = estrdup(path);
	o->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
	if (o->fd < 0)
		die(EX_CANTCREAT, "cannot create '%s':", path);
	o->buf = emalloc(OUTBUF);
}

/* the directory part of path ("." if none) is a directory we may write */
static int
dir_writable(const char *path)
{
	char *dir = rk_dirname(path);
	struct stat st;
	int r;

	r = stat(dir, &st);
	if (r == 0 && !S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		r = -1;
	}
	if (r == 0)
		r = access(dir, W_OK | X_OK);
	free(dir);
	return r;
}

int
rk_out_check(const char *path)
{
	struct stat st;
	char *real;
	int r;

	if (!path || !strcmp(path, "-"))
		return 0;
	if (path[0] && path[strlen(path) - 1] == '/') {
		errno = EISDIR;
		return -1;
	}
	if (stat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			errno = EISDIR;
			return -1;
		}
		if (!S_ISREG(st.st_mode))
			return access(path, W_OK);
		/* as rk_out_open: the file a symbolic link points to */
		real = realpath(path, NULL);
		r = dir_writable(real ? real : path);
		free(real);
		return r;
	}
	if (errno != ENOENT)
		return -1;
	return dir_writable(path);
}

void
rk_out_echeck(const char *path, int gzip, int force)
{
	struct stat st;
	int tty = 0;

	if (!path || !strcmp(path, "-"))
		rk_stdout_check();
	if (rk_out_check(path) < 0)
		die(EX_CANTCREAT, "cannot create '%s':", path);
	if (!(gzip || rk_out_gz_name(path)) || force)
		return;
	if (!path || !strcmp(path, "-")) {
		tty = isatty(1);
	} else if (stat(path, &st) == 0 && S_ISCHR(st.st_mode)) {
		int fd = open(path, O_WRONLY | O_NOCTTY | O_NONBLOCK);

		tty = fd >= 0 && isatty(fd);
		if (fd >= 0)
			close(fd);
	}
	if (tty)
		die(EX_USAGE, "refusing to write compressed data to a "
		    "terminal (use -o FILE, a redirection, or -f)");
}

static void
write_fd(struct rk_out *o, const unsigned char *p, size_t n)
{
	ssize_t w;

	while (n) {
		w = write(o->fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EPIPE && !o->path) {
			if (rk_atexit_hook)
				rk_atexit_hook();
			_exit(EX_IOERR);        /* reader went away: quietly */
		}
		if (w <= 0)
			die(EX_IOERR, "write error on '%s':", o->name);
		p += w;
		n -= (size_t)w;
	}
}

static void
drain(struct rk_out *o, int flush)
{
	int ret;

	if (!o->gz) {
		write_fd(o, o->buf, o->len);
		o->len = 0;
		return;
	}
	o->z.next_in = o->buf;
	o->z.avail_in = (uInt)o->len;
	do {
		o->z.next_out = o->zbuf;
		o->z.avail_out = OUTBUF;
		ret = deflate(&o->z, flush);
		if (ret == Z_STREAM_ERROR)
			die(EX_SOFTWARE, "zlib deflate failed");
		write_fd(o, o->zbuf, OUTBUF - o->z.avail_out);
	} while (o->z.avail_out == 0 || (flush == Z_FINISH && ret != Z_STREAM_END));
	o->len = 0;
}

void
rk_out_write(struct rk_out *o, const void *p, size_t n)
{
	const unsigned char *s = p;
	size_t k;

	o->crc = crc32(o->crc, s, (uInt)n);
	while (n) {
		k = OUTBUF - o->len < n ? OUTBUF - o->len : n;
		memcpy(o->buf + o->len, s, k);
		o->len += k;
		s += k;
		n -= k;
		if (o->len == OUTBUF)
			drain(o, Z_NO_FLUSH);
	}
}

void
rk_out_printf(struct rk_out *o, const char *fmt, ...)
{
	char small[512], *big;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		die(EX_SOFTWARE, "output formatting failed");
	if ((size_t)n < sizeof small) {
		rk_out_write(o, small, (size_t)n);
		return;
	}
	big = emalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	rk_out_write(o, big, (size_t)n);
	free(big);
}

void
rk_out_flush(struct rk_out *o)
{
	drain(o, o->gz ? Z_SYNC_FLUSH : Z_NO_FLUSH);
}

static void
out_free(struct rk_out *o)
{
	free(o->buf);
	free(o->zbuf);
	free(o->tmp);
	free(o->path);
	free(o->name);
	memset(o, 0, sizeof *o);
	o->fd = -1;
}

static struct rk_out *flush_target;

static void
flush_before_die(void)
{
	struct rk_out *o = flush_target;

	flush_target = NULL;
	if (o)
		rk_out_flush(o);
}

void
rk_out_flush_on_error(struct rk_out *o)
{
	flush_target = o;
	rk_flush_hook = o ? flush_before_die : NULL;
}

void
rk_out_close(struct rk_out *o)
{
	if (flush_target == o)
		rk_out_flush_on_error(NULL);
	drain(o, o->gz ? Z_FINISH : Z_NO_FLUSH);
	if (o->gz)
		deflateEnd(&o->z);
	if (o->path) {
		if (fsync(o->fd) < 0 && errno != EINVAL)
			die(EX_IOERR, "write error on '%s':", o->name);
		if (close(o->fd) < 0)
			die(EX_IOERR, "write error on '%s':", o->name);
		if (rename(o->tmp, o->path) < 0)
			die(EX_CANTCREAT, "cannot create '%s':", o->path);
		track_tmp(o->tmp, 0);
	} else if (o->fd > 2 && close(o->fd) < 0) {
		die(EX_IOERR, "write error on '%s':", o->name);
	}
	out_free(o);
}

void
rk_out_abort(struct rk_out *o)
{
	if (flush_target == o)
		rk_out_flush_on_error(NULL);
	if (o->gz)
		deflateEnd(&o->z);
	if (o->path) {
		close(o->fd);
		unlink(o->tmp);
		track_tmp(o->tmp, 0);
	} else if (o->fd > 2) {
		close(o->fd);
	}
	out_free(o);
}

static int precision;           /* rk_set_precision; 0: shortest exact */

void
rk_set_precision(int digits)
{
	precision = digits > 0 && digits <= 17 ? digits : 0;
}

/* what strtod(buf, NULL) gives, for buf a number printed by %g: the
 * round-trip checks below parse a few digits, mostly the fast path's */
static double
reread(const char *buf)
{
	double v;

	return rk_parse_decimal_fast(buf, &v) ? strtod(buf, NULL) : v;
}

/* Does "%.*g" with p digits of v, left in buf, fit: read back as v (tol
 * 0), or within tol of v without an exponent where plain digits fit (10,
 * not 1e+01)?  Both are monotone in p: the nearest p + 1 digit decimal is
 * no farther from v than the p digit one (which is one of them), an
 * exponent, once gone, stays gone, and v's rounding interval is symmetric
 * unless v is a power of two (rk_fmt_double). */
static int
fits(char *buf, double v, int p, double tol)
{
	snprintf(buf, 32, "%.*g", p, v);
	if (tol == 0)
		return reread(buf) == v;
	if (strchr(buf, 'e') && fabs(v) >= 1 && fabs(v) < 1e15)
		return 0;
	return fabs(reread(buf) - v) <= tol;
}

/* buf = v with the fewest digits p <= pmax that fit, or pmax digits
 * (which the caller checks), and returns p: the same string as trying p = 1, 2, ... in turn, found
 * from a guess: if hint fits and hint - 1 does not, two formats; else by
 * bisection on the side the guess leaves (instead of up to 17 formats) */
static int
shortest(char *buf, double v, int pmax, double tol, int hint)
{
	int lo = 1, hi = pmax, mid = 0;

	hint = hint < 1 ? 1 : hint > pmax ? pmax : hint;
	if (fits(buf, v, hint, tol)) {
		hi = hint;
		if (hint > 1 && !fits(buf, v, hint - 1, tol))
			lo = hint;
		else
			hi = hint - 1 > 1 ? hint - 1 : 1, mid = hint - 1;
	} else {
		lo = hint + 1, mid = hint;
	}
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;       /* buf: mid's digits */
		if (fits(buf, v, mid, tol))
			hi = mid;
		else
			lo = mid + 1;
	}
	if (mid != lo)
		snprintf(buf, 32, "%.*g", lo, v);
	return lo;
}

char *
rk_fmt_double(char *buf, double v)
{
	int p;

	if (v == 0) {
		strcpy(buf, "0");       /* also -0 */
		return buf;
	}
	if (precision) {
		snprintf(buf, 32, "%.*g", precision, v);
		return buf;
	}
	if (fabs(v) < 9007199254740992.0 && v == floor(v)) {
		sprintf(buf, "%.0f", v);
		return buf;
	}
	/* The fewest digits that read back as v.  Not found by binary search
	 * at a power of two: its rounding interval is narrower below than
	 * above, so p digits may read back when p + 1 do not. */
	if (frexp(v, &p) == 0.5 || frexp(v, &p) == -0.5) {
		for (p = 1; p < 17; p++) {
			snprintf(buf, 32, "%.*g", p, v);
			if (reread(buf) == v)
				return buf;
		}
		snprintf(buf, 32, "%.17g", v);
		return buf;
	}
	shortest(buf, v, 17, 0, 16);    /* most doubles need 16-17; 17 fit */
	return buf;
}

double
rk_float_res(float z)
{
	float a = fabsf(z);

	return isfinite(a) ? (double)(nextafterf(a, INFINITY) - a) / 2 : 0;
}

char *
rk_fmt_within(char *buf, double v, double tol)
{
	double guess;

	if (!(tol > 0) || !isfinite(v) || precision)
		return rk_fmt_double(buf, v);
	/* the guess: the digits from v's leading one down to tol's */
	guess = floor(log10(fabs(v))) - floor(log10(tol)) + 1;
	if (!(guess >= 1 && guess <= 16))       /* v 0, tol huge: NaN, -inf */
		guess = guess > 16 ? 16 : 1;
	if (shortest(buf, v, 16, tol, (int)guess) == 16 && !fits(buf, v, 16, tol))
		return rk_fmt_double(buf, v);
	return buf;
}

char *
rk_fmt_float(char *buf, float v)
{
	int p;

	if (v == 0) {
		strcpy(buf, "0");
		return buf;
	}
	if (fabsf(v) < 16777216.0f && v == floorf(v)) {
		sprintf(buf, "%.0f", (double)v);
		return buf;
	}
	for (p = 1; p < 9; p++) {
		snprintf(buf, 32, "%.*g", p, (double)v);
		if (strtof(buf, NULL) == v)
			return buf;
	}
	snprintf(buf, 32, "%.9g", (double)v);
	return buf;
}

void
rk_out_cell(struct rk_out *o, double v)
{
	char b[32];

	rk_fmt_double(b, v);
	rk_out_write(o, b, strlen(b));
}

void
rk_out_row(struct rk_out *o, char delim, const double *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i)
			rk_out_write(o, &delim, 1);
		rk_out_cell(o, v[i]);
	}
	rk_out_write(o, "\n", 1);
}

void
rk_out_names(struct rk_out *o, char delim, char *const *names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i)
			rk_out_write(o, &delim, 1);
		rk_out_text(o, delim, names[i]);
	}
	rk_out_write(o, "\n", 1);
}

void
rk_out_text(struct rk_out *o, char delim, const char *s)
{
	if (strchr(s, delim) || strpbrk(s, "\"\r\n") ||
	    (s[0] == ' ' || (*s && s[strlen(s) - 1] == ' '))) {
		rk_out_write(o, "\"", 1);
		for (; *s; s++) {
			if (*s == '"')
				rk_out_write(o, "\"", 1);
			rk_out_write(o, s, 1);
		}
		rk_out_write(o, "\"", 1);
	} else {
		rk_out_write(o, s, strlen(s));
	}
}
