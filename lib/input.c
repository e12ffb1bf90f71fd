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
		in->detected = 1;
		if (is_gzip_start(in)) {
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
