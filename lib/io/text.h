/* text.h - raw text for character-level models: read it (a file or stdin,
 * plain or gzip, input.h), decode it, build its vocabulary, map it to
 * class indices, and keep the vocabulary in a model's weight stream.
 *
 * Symbols. A text is a sequence of symbols: Unicode code points decoded
 * from strict UTF-8 (RFC 3629), or, in bytes mode, its bytes 0..255 as
 * they are (any input is then valid). Every symbol counts, newline, NUL
 * and a byte-order mark included; nothing is normalized or stripped.
 * Strict UTF-8 refuses: a continuation byte (0x80..0xBF) where a sequence
 * should start; the bytes 0xC0, 0xC1, 0xF5..0xFF; a lead byte not
 * followed by enough continuation bytes (within the text or at its end);
 * an overlong form; a surrogate U+D800..U+DFFF; anything above U+10FFFF.
 * The error names the 0-based byte offset of the first byte of the bad
 * sequence, counted in the decoded (gunzipped) text: "FILE: byte N:
 * invalid UTF-8 (why)" (N is what `grep -b` and `tail -c +N+1` take).
 *
 * Vocabulary. The distinct symbols of the training texts sorted by value,
 * ascending: sym[0] < sym[1] < ... < sym[V-1]; the class of a symbol is
 * its rank k, which is the index of its one-hot input and of its output
 * logit. A symbol of a later text that is not in the vocabulary has no
 * class (rk_vocab_class -1): the caller says what to do.
 *
 * In a weight stream (rnnkit-weights(5)) a vocabulary is the key
 * "text: utf-8" or "text: bytes", the key "vocabulary: V" and the tensor
 * "text.vocabulary", f64, V x 1: the symbols in order, each an integer
 * (exact in a double). A reader refuses (65) an unknown text key, V
 * outside 1..RK_TEXT_MAXVOCAB (256 for bytes), a value that is not an
 * integer, out of range (bytes above 255; code points above U+10FFFF or
 * surrogates) or not above the one before. So any vocabulary, with
 * newline, comma, quote or NUL, round-trips exactly: nothing of it is in
 * the text header.
 */
#ifndef RNNKIT_TEXT_H
#define RNNKIT_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "wstream.h"

#define RK_TEXT_MAXCP 0x10FFFFu
/* Code points a vocabulary may hold (every valid one: 0x110000 less the
 * 2048 surrogates) */
#define RK_TEXT_MAXVOCAB 1112064u
/* Bytes of one text (1 GiB): its symbols take 4 bytes each in memory */
#define RK_TEXT_MAXBYTES ((size_t)1 << 30)

struct rk_text {
	char *name;             /* source, for messages: path or "<stdin>" */
	int bytes;              /* 1: symbols are bytes, else code points */
	size_t n;               /* symbols */
	uint32_t *sym;          /* n symbols, owned */
};

/* Decode UTF-8 s[0..n) into out (room for n symbols), appending *nout
 * symbols. final 0: s may end inside a sequence that is valid so far; its
 * (at most 3) bytes are left unconsumed, to come again with what
 * follows. Returns the bytes consumed (n, or n - 1..3 when final is 0),
 * or -1 on invalid UTF-8 with *bad the offset in s of the first byte of
 * the bad sequence and *why a short reason ("overlong form", ...); the
 * symbols before it are in out. */
long long rk_utf8_decode(uint32_t *out, size_t *nout, const unsigned char *s,
                         size_t n, int final, size_t *bad, const char **why);
/* The UTF-8 of a code point (<= U+10FFFF, not a surrogate: else 0) into
 * buf; returns its length, 1..4. */
size_t rk_utf8_encode(unsigned char buf[4], uint32_t cp);

/* Read a whole text from path (NULL or "-": stdin), plain or gzip,
 * decoding UTF-8 unless bytes. Dies: 66 cannot open, 74 read error, 65
 * corrupt gzip, invalid UTF-8 ("PATH: byte N: invalid UTF-8 (why)") or a
 * text over RK_TEXT_MAXBYTES. An empty text is n = 0, not an error. */
void rk_text_read(struct rk_text *t, const char *path, int bytes);
/* The same from a string (--prime): 0, or -1 on invalid UTF-8 with *bad
 * the byte offset and *why the reason (t is then empty). */
int rk_text_from_mem(struct rk_text *t, const char *name, const void *s,
                     size_t n, int bytes, size_t *bad, const char **why);
void rk_text_release(struct rk_text *t);
/* The byte offset of symbol i (i <= n) in the text's encoding. */
size_t rk_text_offset(const struct rk_text *t, size_t i);

struct rk_vocab {
	int bytes;              /* 1: symbols are bytes */
	size_t n;               /* V */
	uint32_t *sym;          /* V symbols, strictly increasing, owned */
};

/* The vocabulary of ntexts texts (all of the same mode as bytes; V may be
 * 0 for empty texts). */
void rk_vocab_build(struct rk_vocab *v, int bytes, const struct rk_text *t,
                    size_t ntexts);
/* A vocabulary from given symbols: 0, or -1 when they are not strictly
 * increasing or out of range for the mode (v is then empty). */
int rk_vocab_set(struct rk_vocab *v, int bytes, const uint32_t *sym,
                 size_t n);
void rk_vocab_release(struct rk_vocab *v);
/* The class of symbol s, or -1 when it is not in the vocabulary
 * (binary search). */
long rk_vocab_class(const struct rk_vocab *v, uint32_t s);
/* cls[i] = class of t->sym[i] for i < t->n. 0, or -1 at the first symbol
 * not in the vocabulary, with *missing its index (cls filled before
 * it). */
int rk_vocab_map(const struct rk_vocab *v, const struct rk_text *t,
                 int32_t *cls, size_t *missing);
/* The same, dying (65) at the first symbol not in the vocabulary:
 * "NAME: byte N: SYM is not in the model's vocabulary" (N its byte
 * offset, SYM as rk_sym_name). */
void rk_vocab_emap(const struct rk_vocab *v, const struct rk_text *t,
                   int32_t *cls);
/* The bytes of class k's symbol (its UTF-8, or the byte) into buf;
 * returns the length, 1..4. */
size_t rk_vocab_put(const struct rk_vocab *v, size_t k, unsigned char buf[4]);
/* A symbol for a message: "'a' (U+0061)", "U+000A", "'a' (byte 0x61)",
 * "byte 0xFF" (control characters, the quote and non-ASCII by number
 * only); buf of RK_SYM_BUF bytes. */
#define RK_SYM_BUF 32
char *rk_sym_name(char *buf, uint32_t s, int bytes);

/* The vocabulary into a stream being built (keys and tensor above). */
void rk_vocab_to_stream(const struct rk_vocab *v, struct rk_wstream *w);
/* On a header just read (ws_read), before ws_load: 0 when the stream has
 * no "text" key; else checks the keys, declares the tensor (ws_need) and
 * returns V. Dies (65) on a bad key. */
size_t rk_vocab_need(struct rk_wstream *w);
/* After ws_load, the vocabulary of a stream for which rk_vocab_need gave
 * V > 0. Dies (65) on a bad value (above). */
void rk_vocab_from_stream(struct rk_vocab *v, const struct rk_wstream *w);

#endif
