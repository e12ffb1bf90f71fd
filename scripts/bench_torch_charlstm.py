#!/usr/bin/python3
"""bench_torch_charlstm.py - the PyTorch peer of rnn-train --text for make bench.

A character-level LSTM trained for a fixed time on the same text, with the
same held-out split, as rnn-train --text trains it:

  text     the symbols of the files (UTF-8 code points, or bytes with
           --bytes; gzip read too) concatenated; the last floor(N * F)
           held out (F = --val), the rest trained on (scripts/markov_bpc.py
           splits the same way); the vocabulary is the training part's,
           sorted by code point (a held-out symbol outside it is an error)
  net      one-hot input of V classes, nn.LSTM(V, H, --layers), then
           nn.Linear(H, V): logits; softmax cross-entropy at every step
  batches  --batch parallel streams, stream b starting at offset
           b * floor(n_train / B) of the training part; each step takes the
           next --bptt symbols of every stream (targets: the symbols one
           later), carries the hidden state from chunk to chunk (detached:
           truncated BPTT), and wraps a stream to its start at the end of
           the training part; Adam (--lr), gradient norm clipped to --clip
  time     training stops at the first step that ends after --seconds;
           then the held-out part is scored in one stream from a zero
           state: bits per character = mean -log2 p(next symbol)

Prints progress lines to stderr and, last on stdout, JSON: {"bpc": ...,
"train_chars_per_s": ..., "train_chars": ..., "steps": ..., "seconds": ...,
"threads": ..., "vocab": V, "params": ..., "train_bpc_last": ...}.
train_chars_per_s counts the symbols trained on (B * bptt per step) per
second of training, evaluation excluded.

usage: scripts/bench_torch_charlstm.py [--hidden 128] [--layers 1]
       [--bptt 64] [--batch 32] [--lr 0.002] [--clip 5] [--seconds 240]
       [--threads 2] [--val 0.1] [--seed 1] [--bytes] FILE...
"""
import argparse
import gzip
import json
import math
import sys
import time

import torch

try:
    from threadpoolctl import threadpool_limits
except ImportError:  # torch's own threads only
    threadpool_limits = None


def read_symbols(paths, as_bytes):
    out = []
    for p in paths:
        with open(p, "rb") as f:
            raw = f.read()
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        out.extend(raw if as_bytes else (ord(c) for c in raw.decode("utf-8")))
    return out


class CharLSTM(torch.nn.Module):
    def __init__(self, V, H, layers):
        super().__init__()
        self.V = V
        self.rnn = torch.nn.LSTM(V, H, layers, batch_first=True)
        self.fc = torch.nn.Linear(H, V)

    def forward(self, idx, state):
        x = torch.nn.functional.one_hot(idx, self.V).float()
        out, state = self.rnn(x, state)
        return self.fc(out), state


def held_out_bpc(net, val, chunk=4096):
    """mean -log2 p over val (1-D LongTensor), one stream from zero state:
    symbol t+1 predicted after symbols 0..t"""
    nats, n, state = 0.0, 0, None
    with torch.no_grad():
        for s in range(0, len(val) - 1, chunk):
            x = val[s:s + chunk + 1]
            if len(x) < 2:
                break
            logits, state = net(x[None, :-1], state)
            nats += torch.nn.functional.cross_entropy(
                logits[0], x[1:], reduction="sum").item()
            n += len(x) - 1
    return nats / (n * math.log(2))


def train(a, seq):
    N = len(seq)
    nval = math.floor(N * a.val)
    ntrain = N - nval
    train_part = seq[:ntrain]
    vocab = sorted(set(train_part))
    cls = {s: k for k, s in enumerate(vocab)}
    missing = [s for s in set(seq[ntrain:]) if s not in cls]
    if missing:
        sys.exit("bench_torch_charlstm: held-out symbol U+%04X not in the "
                 "training part" % missing[0])
    data = torch.tensor([cls[s] for s in seq], dtype=torch.long)
    tr, val = data[:ntrain], data[ntrain:]
    V, B, K = len(vocab), a.batch, a.bptt
    stride = ntrain // B
    if stride < K + 1:
        sys.exit("bench_torch_charlstm: training part too short for %d "
                 "streams of %d steps" % (B, K))
    torch.manual_seed(a.seed)
    net = CharLSTM(V, a.hidden, a.layers)
    opt = torch.optim.Adam(net.parameters(), lr=a.lr)
    nparam = sum(p.numel() for p in net.parameters())
    pos = [b * stride for b in range(B)]
    state = None
    steps, chars, last = 0, 0, float("nan")
    t0 = time.perf_counter()
    report = t0
    while True:
        xs, ys = [], []
        for b in range(B):
            if pos[b] + K + 1 > ntrain:
                pos[b] = 0  # wrap; the state goes on
            xs.append(tr[pos[b]:pos[b] + K])
            ys.append(tr[pos[b] + 1:pos[b] + K + 1])
            pos[b] += K
        x, y = torch.stack(xs), torch.stack(ys)
        if state is not None:
            state = tuple(s.detach() for s in state)
        logits, state = net(x, state)
        loss = torch.nn.functional.cross_entropy(logits.reshape(-1, V), y.reshape(-1))
        opt.zero_grad()
        loss.backward()
        if a.clip > 0:
            torch.nn.utils.clip_grad_norm_(net.parameters(), a.clip)
        opt.step()
        steps += 1
        chars += B * K
        last = loss.item() / math.log(2)
        t = time.perf_counter()
        if t - report >= 30:
            report = t
            print("bench_torch_charlstm: %.0f s, %d steps, train bpc %.3f"
                  % (t - t0, steps, last), file=sys.stderr)
        if t - t0 >= a.seconds:
            break
    secs = time.perf_counter() - t0
    bpc = held_out_bpc(net, val)
    return {"bpc": round(bpc, 4), "train_chars_per_s": round(chars / secs, 1),
            "train_chars": chars, "steps": steps, "seconds": round(secs, 2),
            "threads": a.threads, "vocab": V, "params": nparam,
            "train_bpc_last": round(last, 4)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--layers", type=int, default=1)
    ap.add_argument("--bptt", type=int, default=64)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=0.002)
    ap.add_argument("--clip", type=float, default=5.0)
    ap.add_argument("--seconds", type=float, default=240)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--val", type=float, default=0.1)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--bytes", action="store_true")
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()
    if not 0 < a.val < 1:
        ap.error("--val must be in (0, 1)")
    torch.set_num_threads(a.threads)
    seq = read_symbols(a.files, a.bytes)
    if threadpool_limits is not None:
        with threadpool_limits(limits=a.threads):
            r = train(a, seq)
    else:
        r = train(a, seq)
    print(json.dumps(r))


if __name__ == "__main__":
    main()
