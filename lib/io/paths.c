/* paths.c - outputs that would overwrite inputs; mkdir -p. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "paths.h"
#include "util.h"

/* One file of the run: what it is called in messages, and its identity. */
struct ent {
	char *desc;             /* "input 's.csv'", "--log 'x'", ... */
	int flags;
	int stdio;              /* standard input or output */
	int exists;             /* a regular file: dev, ino are set */
	dev_t dev;
	ino_t ino;
	char *norm;             /* absent output: resolved path, or NULL */
};

struct set {
	struct ent *e;
	size_t n, cap;
};

static struct ent *
add(struct set *s)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 8;
		s->e = ereallocarray(s->e, s->cap, sizeof *s->e);
	}
	memset(&s->e[s->n], 0, sizeof *s->e);
	return &s->e[s->n++];
}

static char *
fmt(const char *f, const char *a, const char *b)
{
	size_t n = strlen(f) + strlen(a) + (b ? strlen(b) : 0) + 1;
	char *p = emalloc(n);

	snprintf(p, n, f, a, b);
	return p;
}

/* realpath of the directory part, then the last component */
static char *
normalize(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir, *real, *p;

	if (slash && slash[1] == '\0')
		return NULL;
	dir = rk_dirname(path);
	real = realpath(dir, NULL);
	free(dir);
	if (!real)
		return NULL;
	p = fmt("%s/%s", real, slash ? slash + 1 : path);
	free(real);
	return p;
}

static void
identify(struct ent *e, const char *path, int fd, int output)
{
	struct stat st;
	int r = path ? stat(path, &st) : fstat(fd, &st);

	if (r == 0 && S_ISREG(st.st_mode)) {
		e->exists = 1;
		e->dev = st.st_dev;
		e->ino = st.st_ino;
	} else if (r < 0 && path && output) {
		e->norm = normalize(path);
	}
}

static int
is_std(const char *path)
{
	return !strcmp(path, "-");
}

/* The entries of dir that an export writes or an import reads. */
static void
add_dir_files(struct set *s, const struct rk_path *p, int output)
{
	struct dirent **list;
	int k, nl = scandir(p->path, &list, NULL, alphasort);
	size_t n;

	for (k = 0; k < nl; k++) {
		struct dirent *de = list[k];
		char *file;
		struct ent *e;

		n = strlen(de->d_name);
		if (strcmp(de->d_name, "config") &&
		    (n < 5 || strcmp(de->d_name + n - 4, ".csv")))
			continue;
		file = emalloc(strlen(p->path) + n + 2);
		sprintf(file, "%s/%s", p->path, de->d_name);
		e = add(s);
		e->flags = p->flags;
		if (output)
			e->desc = fmt("%s '%s'", p->opt, p->path);
		else
			e->desc = fmt("%s file '%s'", p->opt, file);
		identify(e, file, -1, output);
		free(file);
	}
	for (k = 0; k < nl; k++)
		free(list[k]);
	if (nl >= 0)
		free(list);
}

static void
add_path(struct set *s, const struct rk_path *p, int output)
{
	struct ent *e;
	const char *what = p->flags & RK_PATH_MEMORY ? "memory" : "model";

	if (!p->path)
		return;
	if (p->flags & RK_PATH_DIR) {
		add_dir_files(s, p, output);
		return;
	}
	if (!output && is_std(p->path) &&
	    (p->flags & (RK_PATH_MODEL | RK_PATH_MEMORY)) && isatty(0))
		die(EX_USAGE, "the %s is read from standard input, which is a "
		    "terminal; give it with %s FILE or a pipe", what,
		    p->opt ? p->opt : "a file argument");
	e = add(s);
	e->flags = p->flags;
	if (is_std(p->path)) {
		e->stdio = 1;
		e->desc = estrdup(output ? "standard output" : "standard input");
		identify(e, NULL, output ? 1 : 0, output);
	} else {
		if (output)
			e->desc = fmt("%s '%s'", p->opt, p->path);
		else if (p->opt)
			e->desc = fmt("%s file '%s'", p->opt, p->path);
		else
			e->desc = fmt("input '%s'", p->path, NULL);
		identify(e, p->path, -1, output);
	}
}

static int
same(const struct ent *a, const struct ent *b)
{
	if (a->exists && b->exists)
		return a->dev == b->dev && a->ino == b->ino;
	return a->norm && b->norm && !strcmp(a->norm, b->norm);
}

static void
release(struct set *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->e[i].desc);
		free(s->e[i].norm);
	}
	free(s->e);
}

const char *
rk_stdout_or(const char *path)
{
	return path ? path : "-";
}

void
rk_check_paths(const struct rk_path *out, size_t nout,
               const struct rk_path *in, size_t nin,
               char *const *operands, size_t noperands)
{
	struct set o = { 0 }, i = { 0 };
	size_t a, b;
	const int kinds = RK_PATH_MODEL | RK_PATH_MEMORY;

	for (a = 0; a < nin; a++)
		add_path(&i, &in[a], 0);
	for (a = 0; a < noperands; a++) {
		struct rk_path p = { NULL, operands[a], 0 };

		add_path(&i, &p, 0);
	}
	for (a = 0; a < nout; a++)
		add_path(&o, &out[a], 1);
	for (a = 0; a < o.n; a++) {
		const struct ent *x = &o.e[a];

		for (b = 0; b < i.n; b++) {
			const struct ent *y = &i.e[b];

			if (!x->exists || !same(x, y))
				continue;
			/* an update in place: read whole, then renamed over */
			if (!x->stdio && (x->flags & y->flags & kinds))
				continue;
			die(EX_USAGE, "refusing to overwrite %s with %s",
			    y->desc, x->desc);
		}
		/* (files of one --export directory are distinct outputs
		 * even when hard links of each other) */
		for (b = 0; b < a; b++)
			if (same(&o.e[b], x) && strcmp(o.e[b].desc, x->desc))
				die(EX_USAGE, "%s and %s are the same file",
				    o.e[b].desc, x->desc);
	}
	release(&o);
	release(&i);
	/* output to a standard output closed at start: an error now, not
	 * lost in /dev/null (util.h) */
	for (a = 0; a < nout; a++)
		if (out[a].path && !strcmp(out[a].path, "-"))
			rk_stdout_check();
}

int
rk_mkdirs(const char *dir)
{
	char *p = estrdup(dir), *s;
	struct stat st;
	mode_t um = umask(0);
	int r = 0;

	umask(um);
	for (s = p; r == 0; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		if (s == p) {                   /* the root */
			if (!*s)
				break;
			continue;
		}
		{
			char c = *s;

			*s = '\0';
			if (mkdir(p, 0777 & ~um) < 0) {
				if (errno != EEXIST ||
				    stat(p, &st) < 0)
					r = -1;
				else if (!S_ISDIR(st.st_mode)) {
					errno = ENOTDIR;
					r = -1;
				}
			}
			*s = c;
			if (!c)
				break;
		}
	}
	free(p);
	return r;
}

int
rk_dir_check(const char *dir)
{
	char *p = estrdup(dir), *s;
	struct stat st;
	int r;

	/* the deepest part that exists must be a writable directory */
	for (;;) {
		if (stat(p, &st) == 0) {
			if (!S_ISDIR(st.st_mode)) {
				errno = ENOTDIR;
				r = -1;
			} else {
				r = access(p, W_OK | X_OK);
			}
			break;
		}
		if (errno != ENOENT || !strcmp(p, ".")) {
			r = -1;
			break;
		}
		s = strrchr(p, '/');
		while (s && s > p && s[1] == '\0') {    /* "a/b/" */
			*s = '\0';
			s = strrchr(p, '/');
		}
		if (!s) {
			strcpy(p, ".");
		} else if (s == p) {
			p[1] = '\0';
		} else {
			*s = '\0';
		}
	}
	free(p);
	return r;
}

void
rk_dir_echeck(const char *dir)
{
	if (rk_dir_check(dir) < 0)
		die(EX_CANTCREAT, "cannot create '%s':", dir);
}
