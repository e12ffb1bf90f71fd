/* textdata.h - a text as fit()'s data (fit.h, "Data sources"): what
 * rnn-train --text trains on.
 *
 * The classes c_0 .. c_{n-1} of the training part (int32 each, < V, the
 * vocabulary of text.h) are one span of n - 1 steps: step t reads the
 * one-hot row of c_t (x_j = [j == c_t]) and its target is the one-hot
 * row of c_{t+1}. fit()'s sequence mode cuts it as it cuts a series
 * (fit.h, "Sequences": B streams, shifted by a draw of the epoch's
 * generator, chunks of K steps, the state carried); gather writes the
 * rows of one chunk only, into fit()'s buffers of B K V reals, so the
 * memory is O(B K V) and the text is never one-hot as a whole.
 *
 * The held-out classes h_0 .. h_{m-1} (m >= 2; else none) are scored
 * from the zero state by textnet.h (rk_textnet_nats: h_0 is context
 * only): the validation loss is the mean over the m - 1 predicted
 * symbols of -ln p(h_t), nats (bits per character: / ln 2). A text
 * model's accuracy is not computed (NaN).
 *
 * fit() is then called with ss, train and val NULL, ntrain = n - 1 and
 * nval = m - 1 (0: none), o->source = &td->src and o->bpc = 1. With MPI
 * ranks only rank 0 has the text and the source (fit.h, "MPI ranks"):
 * the others get each chunk's rows of their streams, and the score.
 */
#ifndef RK_TEXTDATA_H
#define RK_TEXTDATA_H

#include <stddef.h>
#include <stdint.h>

#include "fit.h"

struct rk_textdata {
	const int32_t *train, *val;     /* not copied: the caller's */
	size_t ntrain, nval;
	struct fit_span span;
	struct fit_source src;          /* for fit_opts.source */
};

/* td for the classes train[0..ntrain) (ntrain >= 2) and the held-out
 * val[0..nval); the arrays must outlive fit(). */
void rk_textdata_init(struct rk_textdata *td, const int32_t *train,
                      size_t ntrain, const int32_t *val, size_t nval);

#endif
