/* paths.h - the files a run names, checked before anything is read or
 * written; directories made on demand.
 *
 * A tool lists its outputs and inputs once, right after option parsing:
 *
 *   rk_check_paths(RK_PATHS({ "-o", rk_stdout_or(cli.output), RK_PATH_MEMORY }),
 *                  RK_PATHS({ "-m", memfile, RK_PATH_MEMORY }), &input, 1);
 *
 * Files are compared by device and inode (stat(2), so "./s.csv", a hard
 * link and a symbolic link to s.csv are all s.csv); only regular files can
 * collide (two outputs /dev/null are fine). An output that does not exist
 * yet cannot be an input; two such outputs are the same when their paths
 * are, once the directory part is resolved (realpath(3)).
 */
#ifndef RNNKIT_PATHS_H
#define RNNKIT_PATHS_H

#include <stddef.h>

enum {
	/* a directory whose files "config" and "*.csv" are the real inputs or
	 * outputs (--import, --export) */
	RK_PATH_DIR = 1,
	/* a weight stream of a model / a memory: an output of the same kind
	 * may replace it in place (rnn-train --init m.gz -o m.gz, hop-store
	 * -m mem.gz -o mem.gz: read whole, then renamed over); and as an input
	 * it cannot come from a terminal */
	RK_PATH_MODEL = 2,
	RK_PATH_MEMORY = 4
};

struct rk_path {
	const char *opt;        /* "-o", "--log", "-m", ...; NULL: an operand */
	const char *path;       /* NULL: not given; "-": stdin / stdout */
	int flags;              /* RK_PATH_* */
};

/* An array literal and its length, as two arguments. */
#define RK_PATHS(...) (const struct rk_path[]){ __VA_ARGS__ }, \
	(sizeof (const struct rk_path[]){ __VA_ARGS__ } / sizeof (struct rk_path))

/* path, or "-" (standard output) when NULL: for the -o entry. */
const char *rk_stdout_or(const char *path);

/* Die with 64 ("refusing to overwrite input 's.csv' with -o './s.csv'")
 * when an output is the same file as an input, unless both are the same
 * kind of weight stream (RK_PATH_MODEL, RK_PATH_MEMORY) and the output is
 * a file (standard output is never atomic); when two outputs are the same
 * file; or when a model or memory is to be read from standard input and
 * that is a terminal. An --export directory collides with an input when
 * one of its files "config" or "*.csv" (which an export replaces) is that
 * input. Operands are data files ("-": standard input), read whole or
 * streamed. Reads nothing but file metadata. Then an output "-" with
 * standard output closed at start dies (74, rk_stdout_check). */
void rk_check_paths(const struct rk_path *out, size_t nout,
                    const struct rk_path *in, size_t nin,
                    char *const *operands, size_t noperands);

/* mkdir -p: make dir and its missing parents, mode 0777 & ~umask. Returns
 * 0, or -1 with errno set (ENOTDIR when a part is not a directory). */
int rk_mkdirs(const char *dir);
/* Could rk_mkdirs(dir) succeed and files be created in it? Creates
 * nothing. Returns 0, or -1 with errno set. */
int rk_dir_check(const char *dir);
/* The same, dying with 73 and "cannot create 'DIR':". */
void rk_dir_echeck(const char *dir);

#endif
