/* test_text.c - text.h (UTF-8, texts, vocabularies in weight streams) and
 * sample.h (temperature / top-k sampling, log-softmax, bits per char).
 *
 * UTF-8: a byte string is valid iff it is the concatenation of encodings
 * of code points (RFC 3629), so the decoder is checked against the
 * encoder over every code point and every string of 1 to 3 bytes (and
 * 4-byte strings over each lead byte F0..F4 with every continuation);
 * texts read from files in 64 KiB buffers with sequences split between
 * buffers, plain and gzip; errors (fatal, so in a child process) with
 * their byte offset; vocabularies with NUL, newline, comma, quote and
 * U+10FFFF through a gzip weight stream and back; bad stored vocabularies.
 *
 * textnet.h: the score (sum -ln p) and greedy generation of PyTorch
 * character nets (testdata/text/torch/, scripts/textnet_reference.py)
 * against float64 PyTorch: nats within 1e-12 relative in double, 1e-6 in
 * float; the same 200 greedy characters; sampled generation deterministic
 * for a seed.
 *
 * Sampling: the distribution against hand-computed values, the empirical
 * frequencies of N = 200000 draws against it (each within 5 standard
 * deviations, sqrt(p (1 - p) / N), and exactly 0 outside the top k),
 * argmax at T = 0, one uniform per draw, determinism for a seed.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "input.h"
#include "output.h"
#include "rng.h"
#include "rnnmodel.h"
#include "sample.h"
#include "text.h"
#include "textnet.h"
#include "util.h"
#include "wstream.h"

static int nfail, ncheck;
static char tmpdir[] = "/tmp/rk-test-text.XXXXXX";

static void
check(const char *label, int ok)
{
	ncheck++;
	if (!ok) {
		nfail++;
		printf("FAIL %s\n", label);
	}
}

static void
check_near(const char *label, double got, double want, double tol)
{
	ncheck++;
	if (!(fabs(got - want) <= tol)) {
		nfail++;
		printf("FAIL %s: got %.12g, want %.12g (tol %.3g)\n", label,
		       got, want, tol);
	}
}

static char *
tmp_path(const char *name)
{
	static char buf[8][256];
	static int i;

	i = (i + 1) % 8;
	snprintf(buf[i], sizeof buf[i], "%s/%s", tmpdir, name);
	return buf[i];
}

static void
write_file(const char *path, const void *p, size_t n, int gzip)
{
	struct rk_out o;

	rk_out_open(&o, path, gzip, 1);
	rk_out_write(&o, p, n);
	rk_out_close(&o);
}

/* Run fn(arg) in a child with stderr to a file: check it exits with
 * status and that stderr holds want. */
static void
expect_die(const char *label, void (*fn)(const void *), const void *arg,
           int status, const char *want)
{
	char *err = tmp_path("stderr"), msg[1024] = "";
	int st = 0;
	pid_t pid;
	FILE *f;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		if (!freopen(err, "w", stderr))
			_exit(99);
		fn(arg);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	if ((f = fopen(err, "r"))) {
		size_t n = fread(msg, 1, sizeof msg - 1, f);

		msg[n] = '\0';
		fclose(f);
	}
	ncheck++;
	if (!WIFEXITED(st) || WEXITSTATUS(st) != status || !strstr(msg, want)) {
		nfail++;
		printf("FAIL %s: status %d, stderr '%s'; want %d and '%s'\n",
		       label, WIFEXITED(st) ? WEXITSTATUS(st) : -1, msg, status,
		       want);
	}
}

/* ------------------------------------------------------------- UTF-8 */

/* Is b[0..n) valid UTF-8 by the definition: decodes, and re-encoding the
 * code points gives b back? */
static int
valid_by_decoder(const unsigned char *b, size_t n)
{
	uint32_t cp[4];
	size_t ncp = 0, bad;
	const char *why;

	return rk_utf8_decode(cp, &ncp, b, n, 1, &bad, &why) == (long long)n;
}

static int
valid_by_encoder(const unsigned char *b, size_t n)
{
	/* is b a concatenation of encodings? try every split greedily by
	 * length of the lead byte's class, then compare re-encodings */
	size_t i = 0;

	while (i < n) {
		unsigned char e[4];
		size_t len, k;
		uint32_t cp;

		if (b[i] < 0x80)
			len = 1, cp = b[i];
		else if ((b[i] & 0xE0) == 0xC0)
			len = 2, cp = b[i] & 0x1F;
		else if ((b[i] & 0xF0) == 0xE0)
			len = 3, cp = b[i] & 0x0F;
		else if ((b[i] & 0xF8) == 0xF0)
			len = 4, cp = b[i] & 0x07;
		else
			return 0;
		if (i + len > n)
			return 0;
		for (k = 1; k < len; k++) {
			if ((b[i + k] & 0xC0) != 0x80)
				return 0;
			cp = cp << 6 | (b[i + k] & 0x3F);
		}
		/* the unique shortest form of a valid code point */
		if (rk_utf8_encode(e, cp) != len || memcmp(e, b + i, len))
			return 0;
		i += len;
	}
	return 1;
}

static void
test_utf8_exhaustive(void)
{
	unsigned char b[4], e[4];
	uint32_t cp, got[4];
	size_t n, ncp, bad, bad_encode = 0, bad_cp = 0, disagree = 0;
	const char *why;
	unsigned a, c, d, lead;

	/* every code point: encode, decode, same */
	for (cp = 0; cp <= 0x10FFFF; cp++) {
		n = rk_utf8_encode(e, cp);
		if (cp >= 0xD800 && cp <= 0xDFFF) {
			bad_encode += n != 0;
			continue;
		}
		ncp = 0;
		if (n == 0 || rk_utf8_decode(got, &ncp, e, n, 1, &bad, &why) !=
		    (long long)n || ncp != 1 || got[0] != cp)
			bad_cp++;
	}
	check("utf8: every code point round-trips", bad_cp == 0);
	check("utf8: surrogates have no encoding", bad_encode == 0);
	check("utf8: U+110000 has no encoding", rk_utf8_encode(e, 0x110000) == 0);
	/* every string of 1, 2 and 3 bytes (3: leads 0xE0 and above, the
	 * others being covered by shorter strings plus one byte) */
	for (a = 0; a < 256; a++) {
		b[0] = (unsigned char)a;
		disagree += valid_by_decoder(b, 1) != valid_by_encoder(b, 1);
		for (c = 0; c < 256; c++) {
			b[1] = (unsigned char)c;
			disagree += valid_by_decoder(b, 2) != valid_by_encoder(b, 2);
			if (a < 0xE0)
				continue;
			for (d = 0; d < 256; d++) {
				b[2] = (unsigned char)d;
				disagree += valid_by_decoder(b, 3) !=
				            valid_by_encoder(b, 3);
			}
		}
	}
	/* 4 bytes: leads F0..F4 with every continuation triple, and with
	 * the second byte anything */
	for (lead = 0xF0; lead <= 0xF4; lead++)
		for (a = 0; a < 256; a++)
			for (c = 0x80; c < 0xC0; c++)
				for (d = 0x80; d < 0xC0; d++) {
					b[0] = (unsigned char)lead;
					b[1] = (unsigned char)a;
					b[2] = (unsigned char)c;
					b[3] = (unsigned char)d;
					disagree += valid_by_decoder(b, 4) !=
					            valid_by_encoder(b, 4);
				}
	if (disagree)
		printf("  %zu strings judged differently\n", disagree);
	check("utf8: decoder accepts exactly the encodings (1-4 bytes)",
	      disagree == 0);
}

static void
expect_bad(const char *s, size_t n, size_t want_off, const char *want_why)
{
	uint32_t cp[16];
	size_t ncp = 0, bad = 999;
	const char *why = "";
	char label[128];

	snprintf(label, sizeof label, "utf8: bad at %zu (%s)", want_off,
	         want_why);
	check(label, rk_utf8_decode(cp, &ncp, (const unsigned char *)s, n, 1,
	                            &bad, &why) == -1 && bad == want_off &&
	             !strcmp(why, want_why) && ncp == want_off);
}

static void
test_utf8_cases(void)
{
	/* a, e acute, euro, grinning face */
	const char *s = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80";
	uint32_t cp[16];
	size_t ncp = 0, bad;
	const char *why;
	long long used;

	check("utf8: 4 symbols",
	      rk_utf8_decode(cp, &ncp, (const unsigned char *)s, 10, 1, &bad,
	                     &why) == 10 && ncp == 4 && cp[0] == 0x61 &&
	      cp[1] == 0xE9 && cp[2] == 0x20AC && cp[3] == 0x1F600);
	/* ASCII only symbols counted before the bad byte (ncp == offset) */
	expect_bad("ab\x80z", 4, 2, "continuation byte without a lead byte");
	expect_bad("a\xC0\x80", 3, 1, "overlong form");
	expect_bad("\xE0\x80\x80", 3, 0, "overlong form");
	expect_bad("\xF0\x80\x80\x80", 4, 0, "overlong form");
	expect_bad("x\xED\xA0\x80", 4, 1, "surrogate");
	expect_bad("\xF4\x90\x80\x80", 4, 0, "code point above U+10FFFF");
	expect_bad("\xF5\x80\x80\x80", 4, 0, "byte that never appears in UTF-8");
	expect_bad("\xFF", 1, 0, "byte that never appears in UTF-8");
	expect_bad("\xE2\x28\xA1", 3, 0, "sequence cut short");
	expect_bad("xy\xE2\x82", 4, 2, "sequence cut short by the end of the text");
	/* not final: the cut sequence is left for later */
	ncp = 0;
	used = rk_utf8_decode(cp, &ncp, (const unsigned char *)"xy\xF0\x9F\x98",
	                      5, 0, &bad, &why);
	check("utf8: partial tail left unconsumed", used == 2 && ncp == 2);
	/* ... but a prefix already bad is refused at once */
	ncp = 0;
	used = rk_utf8_decode(cp, &ncp, (const unsigned char *)"x\xED\xA0",
	                      3, 0, &bad, &why);
	check("utf8: bad prefix refused before the end", used == -1 && bad == 1);
	ncp = 0;
	check("utf8: NUL is a character",
	      rk_utf8_decode(cp, &ncp, (const unsigned char *)"a\0b", 3, 1,
	                     &bad, &why) == 3 && ncp == 3 && cp[1] == 0);
}

/* ------------------------------------------------------------- texts */

/* 200000 bytes of ASCII with multibyte characters split across the
 * 64 KiB buffer boundaries: 2+1 at 65536, 2+2 at 131072, 1+3 at 196608 */
static unsigned char *
split_text(size_t *n, uint32_t **want, size_t *nwant)
{
	unsigned char *b = emalloc(200000);
	uint32_t *w = emalloc(200000 * sizeof *w);
	size_t i = 0, k = 0;

	while (i < 200000) {
		if (i == 65534) {
			memcpy(b + i, "\xE2\x82\xAC", 3); /* euro */
			w[k++] = 0x20AC;
			i += 3;
		} else if (i == 131070 || i == 196607) {
			memcpy(b + i, "\xF0\x9F\x98\x80", 4);
			w[k++] = 0x1F600;
			i += 4;
		} else {
			b[i] = (unsigned char)("abc \n"[i % 5]);
			w[k++] = b[i++];
		}
	}
	*n = i;
	*want = w;
	*nwant = k;
	return b;
}

static void
read_text(const void *path)
{
	struct rk_text t;

	rk_text_read(&t, path, 0);
	rk_text_release(&t);
}

static void
test_text_read(void)
{
	size_t n, nwant, i;
	uint32_t *want;
	unsigned char *b = split_text(&n, &want, &nwant);
	struct rk_text t;
	int gz;

	for (gz = 0; gz < 2; gz++) {
		char *p = tmp_path(gz ? "split.txt.gz" : "split.txt");

		write_file(p, b, n, gz);
		rk_text_read(&t, p, 0);
		check(gz ? "text: split sequences, gzip" :
		      "text: split sequences, plain",
		      t.n == nwant && !memcmp(t.sym, want, nwant * sizeof *want));
		check("text: offset of the last symbol",
		      rk_text_offset(&t, t.n - 1) == n - 1);
		check("text: offset past the face at 131070",
		      t.n > 131070 && rk_text_offset(&t, 131070 - 2 + 1) == 131074);
		rk_text_release(&t);
		rk_text_read(&t, p, 1);
		check("text: bytes mode reads every byte", t.n == n);
		for (i = 0; i < n && t.sym[i] == b[i]; i++)
			;
		check("text: bytes mode symbols are the bytes", i == n);
		rk_text_release(&t);
	}
	/* an invalid sequence across the first boundary: 65535 'a', E2 82
	 * then 'x' */
	memset(b, 'a', 65535);
	memcpy(b + 65535, "\xE2\x82x", 3);
	write_file(tmp_path("bad1.txt"), b, 65538, 0);
	expect_die("text: error across a buffer boundary", read_text,
	           tmp_path("bad1.txt"), 65,
	           "bad1.txt: byte 65535: invalid UTF-8 (sequence cut short)");
	write_file(tmp_path("bad1.gz"), b, 65538, 1);
	expect_die("text: error across a boundary, gzip (decoded offset)",
	           read_text, tmp_path("bad1.gz"), 65,
	           "bad1.gz: byte 65535: invalid UTF-8 (sequence cut short)");
	write_file(tmp_path("bad2.txt"), "ab\xE2\x82", 4, 0);
	expect_die("text: cut at the end", read_text, tmp_path("bad2.txt"), 65,
	           "bad2.txt: byte 2: invalid UTF-8 (sequence cut short by "
	           "the end of the text)");
	/* 131071 bytes, then 0xFF: in the third buffer */
	memset(b, 'a', 131071);
	b[131071] = 0xFF;
	write_file(tmp_path("bad3.txt"), b, 131072, 0);
	expect_die("text: error in a later buffer", read_text,
	           tmp_path("bad3.txt"), 65,
	           "bad3.txt: byte 131071: invalid UTF-8 (byte that never "
	           "appears in UTF-8)");
	expect_die("text: missing file", read_text, tmp_path("none.txt"), 66,
	           "cannot open");
	write_file(tmp_path("empty.txt"), "", 0, 0);
	rk_text_read(&t, tmp_path("empty.txt"), 0);
	check("text: empty text", t.n == 0);
	rk_text_release(&t);
	free(b);
	free(want);
}

/* -------------------------------------------------------- vocabulary */

static void
write_stream(const char *path, struct rk_wstream *w)
{
	struct rk_out o;

	rk_out_open(&o, path, 1, 1);
	ws_write(&o, w);
	rk_out_close(&o);
}

/* read path's vocabulary back; V = 0 when it has none */
static size_t
read_vocab(const char *path, struct rk_vocab *v)
{
	struct rk_in in;
	struct rk_wstream w;
	size_t V;

	memset(v, 0, sizeof *v);
	rk_in_eopen(&in, path);
	ws_read(&in, &w);
	V = rk_vocab_need(&w);
	ws_load(&w);
	if (V)
		rk_vocab_from_stream(v, &w);
	ws_release(&w);
	rk_in_close(&in);
	return V;
}

static void
read_vocab_die(const void *path)
{
	struct rk_vocab v;

	read_vocab(path, &v);
}

/* a stream with text mode and symbols written as the doubles d */
static void
bad_stream(const char *name, const char *mode, const double *d, size_t n)
{
	struct rk_wstream w;

	ws_init(&w, "rnn");
	ws_set(&w, "text", "%s", mode);
	ws_set(&w, "vocabulary", "%zu", n);
	ws_add(&w, "text.vocabulary", RK_F64, n, 1, d);
	write_stream(tmp_path(name), &w);
	ws_release(&w);
}

static void
test_vocab(void)
{
	struct rk_text t[2];
	struct rk_vocab v, r;
	const char *a = "hello,\n\"x\"", *b = "w\xC3\xB6rld\0\xF4\x8F\xBF\xBF";
	/* sorted: \0 \n " , d e h l o r w x U+F6 U+10FFFF */
	static const uint32_t want[] = { 0, '\n', '"', ',', 'd', 'e', 'h', 'l',
		'o', 'r', 'w', 'x', 0xF6, 0x10FFFF };
	size_t bad, missing = 0, i;
	const char *why;
	int32_t cls[16];
	unsigned char buf[4];
	struct rk_wstream w;
	uint32_t all[256];

	check("vocab: texts",
	      rk_text_from_mem(&t[0], "a", a, strlen(a), 0, &bad, &why) == 0 &&
	      rk_text_from_mem(&t[1], "b", b, 12, 0, &bad, &why) == 0);
	rk_vocab_build(&v, 0, t, 2);
	check("vocab: sorted distinct symbols",
	      v.n == 14 && !memcmp(v.sym, want, sizeof want));
	check("vocab: classes", rk_vocab_class(&v, 'h') == 6 &&
	      rk_vocab_class(&v, 0x10FFFF) == 13 &&
	      rk_vocab_class(&v, 0) == 0 && rk_vocab_class(&v, 'z') == -1 &&
	      rk_vocab_class(&v, 0x10FFFE) == -1);
	check("vocab: map", rk_vocab_map(&v, &t[0], cls, &missing) == 0 &&
	      cls[0] == 6 && cls[5] == 3 && cls[6] == 1 && cls[7] == 2);
	check("vocab: put", rk_vocab_put(&v, 12, buf) == 2 &&
	      buf[0] == 0xC3 && buf[1] == 0xB6 && rk_vocab_put(&v, 0, buf) == 1 &&
	      buf[0] == 0);
	rk_text_release(&t[1]);
	rk_text_from_mem(&t[1], "c", "hez", 3, 0, &bad, &why);
	check("vocab: symbol not in the vocabulary",
	      rk_vocab_map(&v, &t[1], cls, &missing) == -1 && missing == 2);
	rk_text_release(&t[1]);
	check("text: invalid string",
	      rk_text_from_mem(&t[1], "d", "ok\xC3", 3, 0, &bad, &why) == -1 &&
	      bad == 2);
	/* through a weight stream, gzip, and back */
	ws_init(&w, "rnn");
	rk_vocab_to_stream(&v, &w);
	write_stream(tmp_path("vocab.gz"), &w);
	ws_release(&w);
	check("vocab: stream round trip",
	      read_vocab(tmp_path("vocab.gz"), &r) == 14 && r.n == 14 &&
	      !r.bytes && !memcmp(r.sym, want, sizeof want));
	rk_vocab_release(&r);
	/* all 256 bytes */
	for (i = 0; i < 256; i++)
		all[i] = (uint32_t)i;
	rk_vocab_release(&v);
	check("vocab: set bytes", rk_vocab_set(&v, 1, all, 256) == 0);
	ws_init(&w, "rnn");
	rk_vocab_to_stream(&v, &w);
	write_stream(tmp_path("bytes.gz"), &w);
	ws_release(&w);
	check("vocab: 256 bytes round trip",
	      read_vocab(tmp_path("bytes.gz"), &r) == 256 && r.bytes &&
	      !memcmp(r.sym, all, sizeof all));
	rk_vocab_release(&r);
	rk_vocab_release(&v);
	check("vocab: set refuses disorder, surrogates, big bytes",
	      rk_vocab_set(&v, 0, (uint32_t[]){ 2, 1 }, 2) == -1 &&
	      rk_vocab_set(&v, 0, (uint32_t[]){ 0xD800 }, 1) == -1 &&
	      rk_vocab_set(&v, 1, (uint32_t[]){ 256 }, 1) == -1 &&
	      rk_vocab_set(&v, 0, (uint32_t[]){ 256, 0x10FFFF }, 2) == 0);
	rk_vocab_release(&v);
	/* a stream without a vocabulary */
	ws_init(&w, "rnn");
	write_stream(tmp_path("novocab.gz"), &w);
	ws_release(&w);
	check("vocab: none in a plain stream",
	      read_vocab(tmp_path("novocab.gz"), &r) == 0);
	/* bad stored vocabularies */
	bad_stream("v1.gz", "utf-8", (double[]){ 97, 97 }, 2);
	expect_die("vocab: repeated symbol", read_vocab_die, tmp_path("v1.gz"),
	           65, "text.vocabulary is not in increasing order at 1");
	bad_stream("v2.gz", "utf-8", (double[]){ 0xD800 }, 1);
	expect_die("vocab: surrogate", read_vocab_die, tmp_path("v2.gz"), 65,
	           "text.vocabulary[0] is not a Unicode code point (55296)");
	bad_stream("v3.gz", "bytes", (double[]){ 10, 256 }, 2);
	expect_die("vocab: byte 256", read_vocab_die, tmp_path("v3.gz"), 65,
	           "text.vocabulary[1] is not a byte (256)");
	bad_stream("v4.gz", "utf-8", (double[]){ 1.5 }, 1);
	expect_die("vocab: not an integer", read_vocab_die, tmp_path("v4.gz"),
	           65, "text.vocabulary[0] is not a Unicode code point (1.5)");
	bad_stream("v5.gz", "utf-16", (double[]){ 1 }, 1);
	expect_die("vocab: unknown mode", read_vocab_die, tmp_path("v5.gz"), 65,
	           "unknown text 'utf-16' (utf-8 or bytes)");
	bad_stream("v6.gz", "utf-8", (double[]){ -1 }, 1);
	expect_die("vocab: negative", read_vocab_die, tmp_path("v6.gz"), 65,
	           "text.vocabulary[0] is not a Unicode code point (-1)");
	rk_text_release(&t[0]);
	{
		char nb[RK_SYM_BUF];

		check("sym names", !strcmp(rk_sym_name(nb, 'a', 0), "'a' (U+0061)") &&
		      !strcmp(rk_sym_name(nb, '\n', 0), "U+000A") &&
		      !strcmp(rk_sym_name(nb, 0x1F600, 0), "U+1F600") &&
		      !strcmp(rk_sym_name(nb, 0xFF, 1), "byte 0xFF") &&
		      !strcmp(rk_sym_name(nb, 'a', 1), "'a' (byte 0x61)"));
	}
}

/* ---------------------------------------------------------- sampling */

#define NV 5

static void
check_probs(const char *label, const rk_real *z, double T, size_t K,
            const double *want)
{
	struct rk_sampler s;
	double p[NV];
	size_t i;
	char l[128];

	rk_sampler_init(&s, NV, T, K);
	rk_sampler_probs(&s, p, z);
	for (i = 0; i < NV; i++) {
		snprintf(l, sizeof l, "%s: p[%zu]", label, i);
		check_near(l, p[i], want[i], 1e-6);
	}
	rk_sampler_release(&s);
}

/* N draws against the distribution: |f - p| <= 5 sqrt(p (1-p) / N) for
 * each class, and no draw at all where p = 0 */
static void
check_freq(const char *label, const rk_real *z, double T, size_t K,
           uint64_t seed)
{
	const long N = 200000;
	struct rk_sampler s;
	struct rk_rng g;
	double p[NV], worst = 0;
	long count[NV] = { 0 }, i;
	int ok = 1;

	rk_sampler_init(&s, NV, T, K);
	rk_sampler_probs(&s, p, z);
	rk_rng_seed(&g, seed);
	for (i = 0; i < N; i++) {
		long c = rk_sample(&s, z, &g);

		if (c < 0 || c >= NV) {
			ok = 0;
			break;
		}
		count[c]++;
	}
	for (i = 0; i < NV && ok; i++) {
		double f = (double)count[i] / N;
		double sd = sqrt(p[i] * (1 - p[i]) / N);

		if (p[i] == 0 ? count[i] != 0 : fabs(f - p[i]) > 5 * sd)
			ok = 0;
		if (sd > 0 && fabs(f - p[i]) / sd > worst)
			worst = fabs(f - p[i]) / sd;
	}
	ncheck++;
	if (!ok) {
		nfail++;
		printf("FAIL %s: counts", label);
		for (i = 0; i < NV; i++)
			printf(" %ld (p %.4f)", count[i], p[i]);
		printf("\n");
	}
	rk_sampler_release(&s);
}

static void
test_sample(void)
{
	/* logits ln 1, ln 2, ln 3, ln 4, ln 0.5: softmax is w / 10.5 */
	rk_real z[NV] = { 0, (rk_real)log(2.0), (rk_real)log(3.0),
	                  (rk_real)log(4.0), (rk_real)log(0.5) };
	rk_real tie[NV] = { 1, 3, 3, 3, 0 };
	double s2 = 1 + sqrt(2.0) + sqrt(3.0) + 2 + sqrt(0.5);
	struct rk_sampler s, s0;
	struct rk_rng g, h;
	long a[1000], b[1000], i;
	int same = 1, differ = 0;

	check_probs("T=1", z, 1, 0, (double[]){ 1 / 10.5, 2 / 10.5, 3 / 10.5,
	            4 / 10.5, 0.5 / 10.5 });
	check_probs("T=0.5", z, 0.5, 0, (double[]){ 1 / 30.25, 4 / 30.25,
	            9 / 30.25, 16 / 30.25, 0.25 / 30.25 });
	check_probs("T=2", z, 2, 0, (double[]){ 1 / s2, sqrt(2.0) / s2,
	            sqrt(3.0) / s2, 2 / s2, sqrt(0.5) / s2 });
	check_probs("T=1 top-2", z, 1, 2, (double[]){ 0, 0, 3 / 7.0, 4 / 7.0, 0 });
	check_probs("T=0.5 top-3", z, 0.5, 3, (double[]){ 0, 4 / 29.0,
	            9 / 29.0, 16 / 29.0, 0 });
	check_probs("top-k = n is all", z, 1, NV, (double[]){ 1 / 10.5,
	            2 / 10.5, 3 / 10.5, 4 / 10.5, 0.5 / 10.5 });
	check_probs("T=0 argmax", z, 0, 0, (double[]){ 0, 0, 0, 1, 0 });
	check_probs("top-1 argmax", z, 1, 1, (double[]){ 0, 0, 0, 1, 0 });
	check_probs("ties at the cut: lower index", tie, 1, 2,
	            (double[]){ 0, 0.5, 0.5, 0, 0 });
	check_probs("argmax tie: lowest index", tie, 0, 0,
	            (double[]){ 0, 1, 0, 0, 0 });
	check_freq("freq T=1", z, 1, 0, 1);
	check_freq("freq T=0.5", z, 0.5, 0, 2);
	check_freq("freq T=2", z, 2, 0, 3);
	check_freq("freq T=1 top-2", z, 1, 2, 4);
	check_freq("freq T=1.5 top-3", z, 1.5, 3, 5);
	check_freq("freq ties top-2", tie, 1, 2, 6);
	/* one uniform per draw; none for argmax */
	rk_sampler_init(&s, NV, 1, 0);
	rk_sampler_init(&s0, NV, 0, 0);
	rk_rng_seed(&g, 9);
	rk_rng_seed(&h, 9);
	rk_sample(&s, z, &g);
	rk_rng_u64(&h);
	check("one uniform per draw", rk_rng_u64(&g) == rk_rng_u64(&h));
	check("argmax draws nothing",
	      rk_sample(&s0, z, &g) == 3 && rk_rng_u64(&g) == rk_rng_u64(&h));
	/* deterministic for a seed, different for another */
	rk_rng_seed(&g, 42);
	for (i = 0; i < 1000; i++)
		a[i] = rk_sample(&s, z, &g);
	rk_rng_seed(&g, 42);
	for (i = 0; i < 1000; i++)
		same &= (b[i] = rk_sample(&s, z, &g)) == a[i];
	rk_rng_seed(&g, 43);
	for (i = 0; i < 1000; i++)
		differ |= rk_sample(&s, z, &g) != a[i];
	check("same seed, same draws", same);
	check("another seed, other draws", differ);
	z[2] = (rk_real)NAN;
	check("NaN logit refused", rk_sample(&s, z, &g) == -1 &&
	      rk_sample(&s0, z, &g) == -1);
	rk_sampler_release(&s);
	rk_sampler_release(&s0);
	check("no classes", rk_sampler_init(&s, 0, 1, 0) == -1);
}

static void
test_log_softmax(void)
{
	rk_real z[3] = { 0, (rk_real)log(2.0), (rk_real)log(3.0) };
	rk_real big[2] = { 1000, 0 };

	check_near("log_softmax 1/6", rk_log_softmax(z, 3, 0), log(1 / 6.0), 1e-6);
	check_near("log_softmax 3/6", rk_log_softmax(z, 3, 2), log(0.5), 1e-6);
	check_near("log_softmax no overflow", rk_log_softmax(big, 2, 1), -1000,
	           1e-9);
	check_near("log_softmax of the max", rk_log_softmax(big, 2, 0), 0, 1e-12);
	/* 4 uniform classes over 10 chars: 2 bits each */
	check_near("bpc uniform 4", rk_bits_per_char(10 * log(4.0), 10), 2,
	           1e-12);
	check_near("bpc of nothing", rk_bits_per_char(0, 0), 0, 0);
}

/* ----------------------------------------------------- textnet.h */

struct gen_buf {
	const struct rk_vocab *v;
	char s[4096];
	size_t n;
};

static void
gen_emit(void *ctx, size_t k)
{
	struct gen_buf *g = ctx;
	unsigned char b[4];
	size_t len = rk_vocab_put(g->v, k, b);

	if (g->n + len < sizeof g->s) {
		memcpy(g->s + g->n, b, len);
		g->n += len;
	}
	g->s[g->n] = '\0';
}

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *s = ecalloc(1, 8192);
	size_t n;

	if (!f)
		return s;
	n = fread(s, 1, 8191, f);
	s[n] = '\0';
	fclose(f);
	return s;
}

static void
test_textnet_torch(const char *name)
{
	char dir[256], path[300], label[128];
	struct rnnm m;
	struct rk_vocab v;
	struct rk_text t, pt;
	struct rk_textnet tn;
	struct rk_sampler smp;
	struct rk_rng g;
	struct gen_buf gb, gb2;
	uint32_t sym[4096];
	size_t V = 0, chars = 0, bad, missing;
	double want = 0, nats;
	int32_t *cls, pcls[256];
	const char *why;
	char *prime, *greedy;
	FILE *f;
	unsigned cp;
#ifdef RK_REAL_DOUBLE
	const double tol = 1e-12;
#else
	const double tol = 1e-6;
#endif

	snprintf(dir, sizeof dir, "testdata/text/torch/%s", name);
	rnnm_import_csv(&m, dir);
	check("torch: an MSE net is not a text net",
	      rk_textnet_check(&m.net, (size_t)m.net.cfg.nin) == -1);
	m.net.cfg.loss = RNN_LOSS_CE;   /* the CSV config has no loss */
	snprintf(path, sizeof path, "%s/vocab.csv", dir);
	f = fopen(path, "r");
	while (f && V < 4096 && fscanf(f, "%u", &cp) == 1)
		sym[V++] = cp;
	if (f)
		fclose(f);
	check("torch: vocabulary", rk_vocab_set(&v, 0, sym, V) == 0 &&
	      rk_textnet_check(&m.net, V) == 0 &&
	      rk_textnet_check(&m.net, V + 1) == -1);
	snprintf(path, sizeof path, "%s/expected.csv", dir);
	f = fopen(path, "r");
	if (!f || fscanf(f, "chars,nats %zu,%lf", &chars, &want) != 2)
		check("torch: expected.csv", 0);
	if (f)
		fclose(f);
	snprintf(path, sizeof path, "%s/score.txt", dir);
	rk_text_read(&t, path, 0);
	cls = ecalloc(t.n ? t.n : 1, sizeof *cls);
	check("torch: score.txt in the vocabulary",
	      rk_vocab_map(&v, &t, cls, &missing) == 0 && t.n == chars + 1);
	check("torch: textnet init", rk_textnet_init(&tn, &m.net) == 0);
	nats = rk_textnet_nats(&tn, cls, t.n);
	snprintf(label, sizeof label, "torch %s: nats of score.txt", name);
	check_near(label, nats, want, tol * want);
	/* again: the stream starts from zero each time */
	check("torch: score again, same bits",
	      rk_textnet_nats(&tn, cls, t.n) == nats);
	snprintf(path, sizeof path, "%s/prime.txt", dir);
	prime = slurp(path);
	snprintf(path, sizeof path, "%s/greedy.txt", dir);
	greedy = slurp(path);
	rk_text_from_mem(&pt, "prime", prime, strlen(prime), 0, &bad, &why);
	rk_vocab_map(&v, &pt, pcls, &missing);
	rk_sampler_init(&smp, V, 0, 0);
	rk_rng_seed(&g, 1);
	gb.v = &v;
	gb.n = 0;
	rk_textnet_generate(&tn, pcls, pt.n, 200, &smp, &g, gen_emit, &gb);
	snprintf(label, sizeof label, "torch %s: greedy generation", name);
	check(label, gb.n == 200 && !strcmp(gb.s, greedy));
	if (strcmp(gb.s, greedy))
		printf("  got  '%s'\n  want '%s'\n", gb.s, greedy);
	rk_sampler_release(&smp);
	/* sampled: the same seed gives the same text, another another */
	rk_sampler_init(&smp, V, 1, 0);
	rk_rng_seed(&g, 7);
	gb.n = 0;
	rk_textnet_generate(&tn, pcls, pt.n, 300, &smp, &g, gen_emit, &gb);
	rk_rng_seed(&g, 7);
	gb2.v = &v;
	gb2.n = 0;
	rk_textnet_generate(&tn, pcls, pt.n, 300, &smp, &g, gen_emit, &gb2);
	check("torch: sampled, same seed, same text", !strcmp(gb.s, gb2.s));
	rk_rng_seed(&g, 8);
	gb2.n = 0;
	rk_textnet_generate(&tn, NULL, 0, 300, &smp, &g, gen_emit, &gb2);
	check("torch: another seed and no prime, another text",
	      strcmp(gb.s, gb2.s) != 0 && gb2.n == 300);
	rk_sampler_release(&smp);
	rk_textnet_release(&tn);
	rk_text_release(&t);
	rk_text_release(&pt);
	rk_vocab_release(&v);
	rnnm_release(&m);
	free(cls);
	free(prime);
	free(greedy);
}

int
main(int argc, char **argv)
{
	(void)argc;
	rk_setprogname(argv);
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 2;
	}
	test_utf8_exhaustive();
	test_utf8_cases();
	test_text_read();
	test_vocab();
	test_sample();
	test_log_softmax();
	test_textnet_torch("lstm2");
	test_textnet_torch("gru");
	{
		char cmd[300];

		snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
		if (system(cmd) != 0)
			printf("warning: could not remove %s\n", tmpdir);
	}
	printf("test_text: %d checks, %d failed\n", ncheck, nfail);
	return nfail != 0;
}
