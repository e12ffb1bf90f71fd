#!/usr/bin/python3
"""bench_torch_charlstm.py - the PyTorch peer of rnn-train --text for make bench.

A character-level LSTM trained for a fixed time on the same text, with the
same held-out split, as rnn-train --text trains it:

  text     the symbols of the files (UTF-8 code points, or bytes with
           --bytes; gzip read too) concatenated; the last floor(N * F)
           held out (F = --val), the rest trained on (scripts/markov_bpc.py
           splits the same way); the vocabulary is the whole text's,
           sorted by code point, as rnn-train's
  net      one-hot input of V classes, nn.LSTM(V, H, --layers, dropout =
           --dropout between layers), then nn.Linear(H, V): logits;
           softmax cross-entropy at every step
  batches  B = min(--batch, n - 1) parallel streams over the n training
           symbols, stream b reading the S = floor((n - 1) / B) inputs from
           b * S (targets: the symbols one later); an epoch is chunks of
           --bptt steps of every stream (the last one shorter), the hidden
           state zero at its start and carried from chunk to chunk
           (detached: truncated BPTT); Adam (--lr), gradient norm clipped
           to --clip
  time     training stops after the first step that ends past --seconds;
           then the held-out part is scored in one stream from a zero
           state: bits per character = mean -log2 p(next symbol)

Prints progress lines to stderr and, last on stdout, JSON: {"bpc": ...,
"train_chars_per_s": ..., "train_chars": ..., "steps": ..., "seconds": ...,
"threads": ..., "vocab": V, "params": ..., "train_bpc_last": ...}.
train_chars_per_s counts the symbols trained on (B * bptt per step) per
second of training, evaluation excluded.

usage: scripts/bench_torch_charlstm.py [--hidden 128] [--layers 1] [--dropout 0]
       [--bptt 64] [--batch 32] [--lr 0.002] [--clip 5] [--seconds 240]
       [--epochs 0] [--threads 2] [--val 0.1] [--seed 1] [--bytes] FILE...
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
    def __init__(self, V, H, layers, dropout):
        super().__init__()
        self.V = V
        self.rnn = torch.nn.LSTM(V, H, layers, batch_first=True,
                                 dropout=dropout if layers > 1 else 0)
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
    vocab = sorted(set(seq))
    cls = {s: k for k, s in enumerate(vocab)}
    data = torch.tensor([cls[s] for s in seq], dtype=torch.long)
    tr, val = data[:ntrain], data[ntrain:]
    V, K = len(vocab), a.bptt
    B = min(a.batch, ntrain - 1)
    S = (ntrain - 1) // B
    K = min(K, S)
    # stream b: inputs tr[b*S .. b*S+S-1], targets one later
    xs = torch.stack([tr[b * S:b * S + S] for b in range(B)])
    ys = torch.stack([tr[b * S + 1:b * S + S + 1] for b in range(B)])
    torch.manual_seed(a.seed)
    net = CharLSTM(V, a.hidden, a.layers, a.dropout)
    opt = torch.optim.Adam(net.parameters(), lr=a.lr)
    nparam = sum(p.numel() for p in net.parameters())
    steps, chars, last, epochs = 0, 0, float("nan"), 0
    t0 = time.perf_counter()
    report = t0
    done = False
    while not done:
        state = None  # zero at each epoch's start
        for j in range(0, S, K):
            x, y = xs[:, j:j + K], ys[:, j:j + K]
            logits, state = net(x, state)
            state = tuple(h.detach() for h in state)
            loss = torch.nn.functional.cross_entropy(logits.reshape(-1, V), y.reshape(-1))
            opt.zero_grad()
            loss.backward()
            if a.clip > 0:
                torch.nn.utils.clip_grad_norm_(net.parameters(), a.clip)
            opt.step()
            steps += 1
            chars += x.numel()
            last = loss.item() / math.log(2)
            t = time.perf_counter()
            if t - report >= 30:
                report = t
                print("bench_torch_charlstm: %.0f s, epoch %d, %d steps, "
                      "train bpc %.3f" % (t - t0, epochs + 1, steps, last),
                      file=sys.stderr)
            if t - t0 >= a.seconds:
                done = True
                break
        else:
            epochs += 1
            if a.epochs and epochs >= a.epochs:
                done = True
    secs = time.perf_counter() - t0
    net.eval()  # no dropout when scoring
    bpc = held_out_bpc(net, val)
    return {"bpc": round(bpc, 4), "train_chars_per_s": round(chars / secs, 1),
            "train_chars": chars, "steps": steps, "seconds": round(secs, 2),
            "threads": a.threads, "vocab": V, "params": nparam,
            "epochs": epochs,
            "train_bpc_last": round(last, 4)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--layers", type=int, default=1)
    ap.add_argument("--dropout", type=float, default=0.0)
    ap.add_argument("--bptt", type=int, default=64)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=0.002)
    ap.add_argument("--clip", type=float, default=5.0)
    ap.add_argument("--seconds", type=float, default=240)
    ap.add_argument("--epochs", type=int, default=0,
                    help="stop after this many epochs too (0: time only)")
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
