/* input.h - read a file or stdin, plain or gzip-compressed (told apart by
 * content), in constant memory.
 *
 * Reads return as soon as some data is there (a pipe fed by `tail -f` gives
 * each line when it arrives). Errors end the program: a read error exits 74,
 * corrupt or truncated gzip data exits 65, and so does data compressed in
 * another format (xz, zstd, bzip2, lz4, zip, 7z: "x.xz: xz-compressed input
 * is not supported; use xz -dc"), told by its magic bytes.
 */
#ifndef RNNKIT_INPUT_H
#define RNNKIT_INPUT_H

#include <stddef.h>
#include <zlib.h>

#define RK_INBUF (64 * 1024)

struct rk_in {
	char *name;             /* for messages: the path, or "<stdin>" */
	int fd;
	int gz;                 /* 1: gzip data, inflated */
	int zinit, zend;        /* inflate state set up; a member just ended */
	int eof;                /* no more raw input */
	int detected;           /* plain or gzip decided */
	z_stream z;
	unsigned char *raw;     /* raw input, [rpos, rlen) unread */
	size_t rpos, rlen;
	unsigned char *dec;     /* decoded data, [dpos, dlen) unread */
	size_t dpos, dlen, dcap;
	unsigned long long nread; /* decoded bytes handed out so far */
	/* called before every read(2), which may block: a streaming filter
	 * flushes its output there, so output keeps up with input without a
	 * write per line when input comes in bulk; called again after a
	 * read interrupted by a signal, so that it can stop the filter */
	void (*before_read)(void *ctx);
	void *before_read_ctx;
};

/* path NULL or "-" is stdin. Returns 0, or -1 with errno set. */
int rk_in_open(struct rk_in *in, const char *path);
/* Same, dying with status 66 and "cannot open 'PATH':" on failure. */
void rk_in_eopen(struct rk_in *in, const char *path);
void rk_in_close(struct rk_in *in);

/* Up to len bytes; returns 0 only at the end of the data. */
size_t rk_in_read(struct rk_in *in, void *buf, size_t len);
/* Exactly len bytes unless the data ends first; returns the count. */
size_t rk_in_readfull(struct rk_in *in, void *buf, size_t len);
/* Make at least n decoded bytes available without consuming them (fewer at
 * the end of the data; n <= RK_INBUF). Sets *avail, returns a pointer. */
const unsigned char *rk_in_peek(struct rk_in *in, size_t n, size_t *avail);
/* The unread decoded bytes, refilled when empty: *avail 0 at end of data. */
const unsigned char *rk_in_buffer(struct rk_in *in, size_t *avail);
void rk_in_consume(struct rk_in *in, size_t n);

#endif
