/* input.c - plain or gzip input from a file or stdin, in constant memory. */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "input.h"
#include "util.h"

int
rk_in_open(struct rk_in *in, const char *path)
{
	memset(in, 0, sizeof *in);
	if (!path || !strcmp(path, "-")) {
		in->fd = 0;
		in->name = estrdup("<stdin>");
	} else {
		struct stat st;

		in->fd = open(path, O_RDONLY);
		if (in->fd < 0)
			return -1;
		if (fstat(in->fd, &st) == 0 && S_ISDIR(st.st_mode)) {
			close(in->fd);
			errno = EISDIR;
			return -1;
		}
		in->name = estrdup(path);
	}
	in->raw = emalloc(RK_INBUF);
	in->dcap = RK_INBUF;
	in->dec = emalloc(in->dcap);
	return 0;
}

void
rk_in_eopen(struct rk_in *in, const char *path)
{
	if (rk_in_open(in, path) < 0)
		die(EX_NOINPUT, "cannot open '%s':", path);
}

void
rk_in_close(struct rk_in *in)
{
	if (in->zinit)
		inflateEnd(&in->z);
	if (in->fd > 0)
		close(in->fd);
	free(in->raw);
	free(in->dec);
	free(in->name);
	memset(in, 0, sizeof *in);
	in->fd = -1;
}

/* Read more raw bytes (blocking until some arrive); 0 at end of input. */
static size_t
fill_raw(struct rk_in *in)
{
	ssize_t r;

	if (in->rpos == in->rlen)
		in->rpos = in->rlen = 0;
	if (in->rpos && in->rlen == RK_INBUF) {
		/* keep the unread tail (a gzip magic split over reads) */
		memmove(in->raw, in->raw + in->rpos, in->rlen - in->rpos);
		in->rlen -= in->rpos;
		in->rpos = 0;
	}
	if (in->eof || in->rlen == RK_INBUF)
		return 0;
	if (in->before_read)
		in->before_read(in->before_read_ctx);
	for (;;) {
		r = read(in->fd, in->raw + in->rlen, RK_INBUF - in->rlen);
		if (r >= 0)
			break;
		if (errno != EINTR)
			die(EX_IOERR, "read error on '%s':", in->name);
		/* a signal: a filter may stop here (rnn-predict --state) */
		if (in->before_read)
			in->before_read(in->before_read_ctx);
	}
	if (r == 0)
		in->eof = 1;
	in->rlen += (size_t)r;
	return (size_t)r;
}

static int
is_gzip_start(struct rk_in *in)
{
	while (in->rlen - in->rpos < 2 && fill_raw(in))
		;
	return in->rlen - in->rpos >= 2 && in->raw[in->rpos] == 0x1f &&
	       in->raw[in->rpos + 1] == 0x8b;
}

/* Formats told by their first bytes: byte i in [lo[i], hi[i]]. */
static const struct magic {
	const char *what, *hint;
	size_t len;
	unsigned char lo[10], hi[10];
} magics[] = {
#define EXACT(what, hint, ...) { what, hint, \
	sizeof (unsigned char[]){ __VA_ARGS__ }, { __VA_ARGS__ }, { __VA_ARGS__ } }
	EXACT("gzip", NULL, 0x1f, 0x8b),
	EXACT("xz-compressed", "xz -dc", 0xFD, '7', 'z', 'X', 'Z', 0),
	EXACT("zstd-compressed", "zstd -dc", 0x28, 0xB5, 0x2F, 0xFD),
	EXACT("lz4-compressed", "lz4 -dc", 0x04, 0x22, 0x4D, 0x18),
	EXACT("zip archive", "unzip -p", 'P', 'K', 3, 4),
	EXACT("zip archive", "unzip -p", 'P', 'K', 5, 6),
	EXACT("7z archive", "7z x -so", '7', 'z', 0xBC, 0xAF, 0x27, 0x1C),
#undef EXACT
	/* "BZh", the block size 1-9, then a block or the end of stream */
	{ "bzip2-compressed", "bzip2 -dc", 10,
	  { 'B', 'Z', 'h', '1', 0x31, 0x41, 0x59, 0x26, 0x53, 0x59 },
	  { 'B', 'Z', 'h', '9', 0x31, 0x41, 0x59, 0x26, 0x53, 0x59 } },
	{ "bzip2-compressed", "bzip2 -dc", 10,
	  { 'B', 'Z', 'h', '1', 0x17, 0x72, 0x45, 0x38, 0x50, 0x90 },
	  { 'B', 'Z', 'h', '9', 0x17, 0x72, 0x45, 0x38, 0x50, 0x90 } },
};
#define NMAGIC (sizeof magics / sizeof *magics)

/* The format whose magic starts the raw input, or NULL. Reads only while
 * the bytes so far could still start one (a `tail -f` pipe giving a short
 * first line is not kept waiting). */
static const struct magic *
sniff(struct rk_in *in)
{
	size_t k, i, avail;
	int more;

	for (;;) {
		avail = in->rlen - in->rpos;
		more = 0;
		for (k = 0; k < NMAGIC; k++) {
			const struct magic *m = &magics[k];
			const unsigned char *p = in->raw + in->rpos;

			for (i = 0; i < m->len && i < avail; i++)
				if (p[i] < m->lo[i] || p[i] > m->hi[i])
					break;
			if (i == m->len)
				return m;
			if (i == avail)
				more = 1;
		}
		if (!more || !fill_raw(in))
			return NULL;
	}
}

/* Append newly decoded bytes to dec[dlen..]; returns how many (0: end). */
static size_t
decode_more(struct rk_in *in)
{
	size_t room, got;
	int ret;

	if (in->dpos == in->dlen)
		in->dpos = in->dlen = 0;
	room = in->dcap - in->dlen;
	if (!room)
		return 0;
	if (!in->detected) {
		/* first call: decide plain or gzip */
		const struct magic *m;

		in->detected = 1;
		m = sniff(in);
		if (m && m->hint)
			die(EX_DATAERR, "%s: %s input is not supported; use %s",
			    in->name, m->what, m->hint);
		if (m) {
			in->gz = 1;
			if (inflateInit2(&in->z, 15 + 16) != Z_OK)
				die(EX_SOFTWARE, "zlib initialisation failed");
			in->zinit = 1;
		}
	}
	if (!in->gz) {
		if (in->rpos == in->rlen && !fill_raw(in))
			return 0;
		got = in->rlen - in->rpos < room ? in->rlen - in->rpos : room;
		memcpy(in->dec + in->dlen, in->raw + in->rpos, got);
		in->rpos += got;
		in->dlen += got;
		return got;
	}
	for (;;) {
		if (in->zend) {
			/* a member ended: another may follow */
			if (in->rpos == in->rlen && !fill_raw(in))
				return 0;
			if (!is_gzip_start(in))
				die(EX_DATAERR, "%s: trailing garbage after gzip data",
				    in->name);
			inflateReset(&in->z);
			in->zend = 0;
		}
		if (in->rpos == in->rlen && !fill_raw(in))
			die(EX_DATAERR, "%s: unexpected end of gzip data "
			    "(truncated file)", in->name);
		in->z.next_in = in->raw + in->rpos;
		in->z.avail_in = (uInt)(in->rlen - in->rpos);
		in->z.next_out = in->dec + in->dlen;
		in->z.avail_out = (uInt)room;
		ret = inflate(&in->z, Z_NO_FLUSH);
		in->rpos = in->rlen - in->z.avail_in;
		got = room - in->z.avail_out;
		in->dlen += got;
		if (ret == Z_STREAM_END)
			in->zend = 1;
		else if (ret == Z_MEM_ERROR)
			die(EX_SOFTWARE, "out of memory in zlib");
		else if (ret != Z_OK && ret != Z_BUF_ERROR)
			die(EX_DATAERR, "%s: corrupt gzip data (%s)", in->name,
			    in->z.msg ? in->z.msg : "inflate error");
		if (got)
			return got;
	}
}

const unsigned char *
rk_in_buffer(struct rk_in *in, size_t *avail)
{
	if (in->dpos == in->dlen)
		decode_more(in);
	*avail = in->dlen - in->dpos;
	return in->dec + in->dpos;
}

void
rk_in_consume(struct rk_in *in, size_t n)
{
	in->dpos += n;
	in->nread += n;
}

const unsigned char *
rk_in_peek(struct rk_in *in, size_t n, size_t *avail)
{
	if (n > in->dcap)
		n = in->dcap;
	if (in->dcap - in->dpos < n) {
		memmove(in->dec, in->dec + in->dpos, in->dlen - in->dpos);
		in->dlen -= in->dpos;
		in->dpos = 0;
	}
	while (in->dlen - in->dpos < n && in->dlen < in->dcap &&
	       decode_more(in))
		;
	*avail = in->dlen - in->dpos;
	return in->dec + in->dpos;
}

size_t
rk_in_read(struct rk_in *in, void *buf, size_t len)
{
	size_t avail;
	const unsigned char *p = rk_in_buffer(in, &avail);

	if (avail > len)
		avail = len;
	memcpy(buf, p, avail);
	rk_in_consume(in, avail);
	return avail;
}

size_t
rk_in_readfull(struct rk_in *in, void *buf, size_t len)
{
	size_t got = 0, r;

	while (got < len && (r = rk_in_read(in, (char *)buf + got, len - got)))
		got += r;
	return got;
}
