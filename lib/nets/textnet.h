/* textnet.h - a character-level net run one symbol at a time: scoring a
 * text in bits per character, and generating text.
 *
 * The net is rnn.h's with nin = nout = V >= 2, the classes of a
 * vocabulary (text.h), and a softmax head (loss CE: its outputs are
 * logits). One
 * stream (rnn_state with B = 1) from the zero state:
 *   step(k):  x = one-hot of class k (x_j = [j == k]; k = -1: the zero
 *             row, "no symbol", the start of a generation without a
 *             prime), h advances one step (rnn_state_step), and the
 *             logits y = W_out h + b_out of the next symbol are returned.
 *
 * Score of classes c_0 .. c_{n-1} (rk_textnet_nats): from the zero state
 * the net reads c_0 .. c_{n-2} and predicts c_1 .. c_{n-1}:
 *   nats = sum_{t=1}^{n-1} -ln softmax(y_t)[c_t],  y_t = step(c_{t-1}),
 * over n - 1 predicted symbols (rk_bits_per_char(nats, n - 1) is the
 * bits per character, sample.h). scripts/markov_bpc.py and
 * scripts/bench_torch_charlstm.py score a held-out part the same way.
 *
 * Generation (rk_textnet_generate): from the zero state, y = step(p_i)
 * for each class of the prime p_0 .. p_{np-1} (np = 0: y = step(-1));
 * then N times: k = rk_sample(y) (sample.h: temperature, top-k, the
 * seeded generator), emit(k), y = step(k) (not after the last). The
 * prime is not emitted. Deterministic: the same net, prime, sampler
 * settings and seed give the same classes (on one CPU kernel level:
 * rk_cpu_level(), gemm.h).
 */
#ifndef RK_TEXTNET_H
#define RK_TEXTNET_H

#include <stddef.h>
#include <stdint.h>

#include "rnn.h"
#include "sample.h"

struct rk_textnet {
	const struct rnn_model *m;
	size_t V;
	struct rnn_state s;     /* B = 1 */
	rk_real *x, *y;         /* V each: the input row, the logits */
	long last;              /* the class whose one-hot x holds, or -1 */
	/* scoring in chunks of RK_TEXTNET_CHUNK steps (rnn_seq_forward):
	 * allocated at the first rk_textnet_nats */
	struct rnn_work *w;
	rk_real *cx, *ct, *ch, *cc;
};
#define RK_TEXTNET_CHUNK 256

/* 0 when the net fits a vocabulary of V classes (nin = nout = V >= 2,
 * loss CE), else -1. */
int rk_textnet_check(const struct rnn_model *m, size_t V);
/* A stream of m from the zero state: 0, or -1 when m does not fit
 * (rk_textnet_check with V = nin) or memory is short. */
int rk_textnet_init(struct rk_textnet *t, const struct rnn_model *m);
void rk_textnet_release(struct rk_textnet *t);
/* back to the zero state */
void rk_textnet_reset(struct rk_textnet *t);
/* One step on class k (-1: no symbol; k < V): the V logits of the next
 * symbol, valid until the next call. */
const rk_real *rk_textnet_step(struct rk_textnet *t, long k);
/* The score above of cls[0..n) (classes < V) from the zero state, 0 for
 * n < 2; computed in chunks of RK_TEXTNET_CHUNK steps with the state
 * carried (rnn_seq_forward, the head and the cross-entropy at every step:
 * the same sum, in the order of the chunks, as step by step, but not the
 * same bits). The step stream is left at the zero state. -1 when out of
 * memory. */
double rk_textnet_nats(struct rk_textnet *t, const int32_t *cls, size_t n);
/* Generation above; emit(ctx, k) gets each class as it is drawn. Returns
 * 0, or -1 when a logit is not finite (nothing more is emitted). */
int rk_textnet_generate(struct rk_textnet *t, const int32_t *prime, size_t np,
                        size_t N, struct rk_sampler *s, struct rk_rng *rng,
                        void (*emit)(void *ctx, size_t k), void *ctx);

#endif
