#!/usr/bin/python3
"""markov_bpc.py - the character Markov baseline for rnnkit's text models.

For k = 1..K (default 5) an order-k character model, P(c_t | the k
characters before it), with interpolated Kneser-Ney smoothing (Chen and
Goodman 1998, section 3, "interpolated Kneser-Ney", one absolute discount
per order D_n = n1 / (n1 + 2 n2) from the counts of counts of that order,
0.5 when there is no count of 1 or of 2),
is trained on the training part of the text and scored on the held-out
part in bits per character, -(1/N) sum log2 P. The lowest order is the
continuation unigram interpolated with the uniform distribution over the
training vocabulary plus one unknown symbol, so every character, even one
never seen in training, has a probability. Nothing is tuned on the
held-out part.

The split is rnn-train --text's: the symbols of the files (UTF-8 code
points, or bytes with --bytes; gzip read too) concatenated, the last
n_val = floor(N * F) held out (F = --val, default 0.1), the first N - n_val
trained on. The held-out part is scored alone, as rnn-train and
rnn-predict --score score a text (textnet.h): its symbols 1 .. n_val-1,
each from the (up to) k held-out symbols before it; its first symbol is
context only.

Prints one line per order, `order,bits_per_char`, after the header, then
`best,K,BPC` on stderr. Plain python3, no numpy.

    scripts/markov_bpc.py [--val F] [--max-order K] [--bytes] FILE...
"""
import argparse
import gzip
import math
import sys
from collections import defaultdict


def read_symbols(paths, as_bytes):
    out = []
    for p in paths:
        with open(p, "rb") as f:
            raw = f.read()
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        if as_bytes:
            out.extend(raw)
        else:
            out.extend(ord(c) for c in raw.decode("utf-8"))
    return out


class KneserNey:
    """Interpolated Kneser-Ney over contexts of up to `order` symbols."""

    def __init__(self, seq, order, vocab_size):
        self.order = order
        self.vocab_size = vocab_size + 1  # + one unknown symbol
        n = order + 1  # the longest n-gram: context plus the symbol
        raw = defaultdict(int)
        s = tuple(seq)
        for i in range(len(s)):
            lo = max(0, i - order)
            for j in range(lo, i + 1):  # n-grams s[j..i]
                raw[s[j:i + 1]] += 1
        # count[m][g], g of m symbols: the raw count at the top (m = n);
        # below, the continuation count N1+(. g), the distinct symbols
        # seen before g (a lower order stands in for contexts the higher
        # one has not seen, so it counts contexts, not occurrences)
        self.count = [None] + [defaultdict(int) for _ in range(n)]
        for g, c in raw.items():
            if len(g) == n:
                self.count[n][g] = c
            if len(g) >= 2:
                self.count[len(g) - 1][g[1:]] += 1
        # the m-grams that start the text have no symbol before them:
        # each counts once more, as if a start symbol preceded the text
        for m in range(1, min(n, len(s) + 1)):
            self.count[m][s[:m]] += 1
        # per order: context totals and distinct followers
        self.total = [None] + [defaultdict(int) for _ in range(n)]
        self.types = [None] + [defaultdict(int) for _ in range(n)]
        self.disc = [None] + [0.0] * n
        for m in range(1, n + 1):
            n1 = n2 = 0
            for g, c in self.count[m].items():
                self.total[m][g[:-1]] += c
                self.types[m][g[:-1]] += 1
                n1 += c == 1
                n2 += c == 2
            # no count of 1 (or of 2) makes the estimate 0 (or 1): a
            # context would then give its unseen symbols no probability
            self.disc[m] = n1 / (n1 + 2 * n2) if n1 and n2 else 0.5

    def prob(self, ctx, sym):
        """P(sym | ctx), ctx a tuple of up to `order` symbols."""
        p = 1.0 / self.vocab_size
        for m in range(1, len(ctx) + 2):
            h = ctx[len(ctx) - (m - 1):] if m > 1 else ()
            tot = self.total[m].get(h, 0)
            if not tot:
                continue  # unseen context: the lower order as it is
            c = self.count[m].get(h + (sym,), 0)
            d = self.disc[m]
            p = (max(c - d, 0.0) + d * self.types[m][h] * p) / tot
        return p


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--val", type=float, default=0.1)
    ap.add_argument("--max-order", type=int, default=5)
    ap.add_argument("--bytes", action="store_true")
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()
    if not 0 < a.val < 1:
        ap.error("--val must be in (0, 1)")
    seq = read_symbols(a.files, a.bytes)
    N = len(seq)
    nval = math.floor(N * a.val)
    ntrain = N - nval
    if nval < 2 or ntrain < 1:
        ap.error("text too short for --val %g (%d symbols)" % (a.val, N))
    train = seq[:ntrain]
    vocab = set(train)
    print("order,bits_per_char")
    best = None
    for k in range(1, a.max_order + 1):
        lm = KneserNey(train, k, len(vocab))
        nats = 0.0
        for t in range(ntrain + 1, N):
            ctx = tuple(seq[max(ntrain, t - k):t])
            nats -= math.log(lm.prob(ctx, seq[t]))
        bpc = nats / ((nval - 1) * math.log(2))
        print("%d,%.4f" % (k, bpc))
        sys.stdout.flush()
        if best is None or bpc < best[1]:
            best = (k, bpc)
    print("best,%d,%.4f" % best, file=sys.stderr)


if __name__ == "__main__":
    main()
