#!/usr/bin/python3
"""textnet_reference.py - PyTorch reference character nets for textnet.h.

For each case below it trains a small character-level net in PyTorch
(float32, one thread, a fixed seed; the training only makes the weights
meaningful, nothing of it is compared) on the first 30000 characters of
testdata/text/kjv-gospels-acts.txt.gz, then writes testdata/text/torch/<case>/:

  config, *.csv   the net as rnnm_import_csv reads it (testdata/torch's
                  layout: config key=value lines, PyTorch state_dict
                  tensors, '%.17g'); input = output = V, window 1
  vocab.csv       the V code points of the training characters, ascending,
                  one per line: class k is line k + 1
  score.txt       characters 30000..31999 of the text (held out)
  expected.csv    header chars,nats then one row: the 1999 symbols of
                  score.txt after its first, and sum -ln p of each given the
                  ones before it from the zero state (textnet.h's score),
                  computed in float64 from the float32 weights
  prime.txt       "And Jesus said unto them, "
  greedy.txt      the 200 characters of greedy (argmax, temperature 0)
                  generation after prime.txt, in float64; the script checks
                  that at every step the best logit leads the second by more
                  than 1e-3, so a float32 computation picks the same ones

The net: one-hot input of V classes, nn.LSTM or nn.GRU (rnnkit's lstm and
gru-torch), nn.Linear(H, V) at every step, softmax cross-entropy.

Rerun: /usr/bin/python3 scripts/textnet_reference.py (torch; deterministic
on one machine).
"""
import gzip
import math
import os

import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TEXT = os.path.join(ROOT, "testdata", "text", "kjv-gospels-acts.txt.gz")
OUTDIR = os.path.join(ROOT, "testdata", "text", "torch")
NTRAIN, NSCORE, NGEN = 30000, 2000, 200
PRIME = "And Jesus said unto them, "

# name, cell (rnnkit), H, layers, seed, training steps
CASES = [
    ("lstm2", "lstm", 24, 2, 11, 300),
    ("gru", "gru-torch", 32, 1, 12, 300),
]


class Net(torch.nn.Module):
    def __init__(self, cell, V, H, L):
        super().__init__()
        self.V = V
        rnn = torch.nn.LSTM if cell == "lstm" else torch.nn.GRU
        self.rnn = rnn(V, H, L, batch_first=True)
        self.fc = torch.nn.Linear(H, V)

    def forward(self, x, state=None):
        out, state = self.rnn(x, state)
        return self.fc(out), state


def onehot(idx, V, dtype):
    return torch.nn.functional.one_hot(idx, V).to(dtype)


def fmt(v):
    return "%.17g" % v


def write_tensor(path, t):
    t = t.detach().to(torch.float64)
    with open(path, "w") as f:
        if t.dim() == 1:
            f.write("".join(fmt(v) + "\n" for v in t.tolist()))
        else:
            for row in t.tolist():
                f.write(",".join(fmt(v) for v in row) + "\n")


def main():
    torch.set_num_threads(1)
    text = gzip.open(TEXT, "rb").read().decode("utf-8")
    train, score = text[:NTRAIN], text[NTRAIN:NTRAIN + NSCORE]
    vocab = sorted(set(train))
    assert set(score) <= set(vocab) and set(PRIME) <= set(vocab)
    cls = {c: k for k, c in enumerate(vocab)}
    V = len(vocab)
    data = torch.tensor([cls[c] for c in train])
    for name, cell, H, L, seed, steps in CASES:
        torch.manual_seed(seed)
        net = Net(cell, V, H, L)
        opt = torch.optim.Adam(net.parameters(), lr=0.01)
        B, K = 16, 32
        g = torch.Generator().manual_seed(seed)
        for _ in range(steps):
            off = torch.randint(0, NTRAIN - K - 1, (B,), generator=g)
            x = torch.stack([data[o:o + K] for o in off])
            y = torch.stack([data[o + 1:o + K + 1] for o in off])
            logits, _ = net(onehot(x, V, torch.float32))
            loss = torch.nn.functional.cross_entropy(logits.reshape(-1, V), y.reshape(-1))
            opt.zero_grad()
            loss.backward()
            opt.step()
        d = os.path.join(OUTDIR, name)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "config"), "w") as f:
            f.write("cell=%s\nact=tanh\ninput=%d\nhidden=%d\nlayers=%d\n"
                    "output=%d\nwindow=1\n" % (cell, V, H, L, V))
        sd = net.state_dict()
        for k in range(L):
            for t in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
                write_tensor(os.path.join(d, "%s_l%d.csv" % (t, k)),
                             sd["rnn.%s_l%d" % (t, k)])
        write_tensor(os.path.join(d, "fc.weight.csv"), sd["fc.weight"])
        write_tensor(os.path.join(d, "fc.bias.csv"), sd["fc.bias"])
        with open(os.path.join(d, "vocab.csv"), "w") as f:
            f.write("".join("%d\n" % ord(c) for c in vocab))
        with open(os.path.join(d, "score.txt"), "w") as f:
            f.write(score)
        with open(os.path.join(d, "prime.txt"), "w") as f:
            f.write(PRIME)
        # float64 copy of the float32 weights
        net64 = Net(cell, V, H, L).double()
        net64.load_state_dict({k: v.double() for k, v in sd.items()})
        with torch.no_grad():
            sidx = torch.tensor([cls[c] for c in score])
            logits, _ = net64(onehot(sidx[None, :-1], V, torch.float64))
            nats = torch.nn.functional.cross_entropy(
                logits[0], sidx[1:], reduction="sum").item()
        # greedy generation after the prime, one step at a time
        with torch.no_grad():
            y, state = net64(onehot(torch.tensor([[cls[c] for c in PRIME]]), V,
                                    torch.float64))
            y = y[0, -1]
            out, margin = [], math.inf
            for i in range(NGEN):
                top = torch.topk(y, 2).values
                margin = min(margin, (top[0] - top[1]).item())
                k = int(torch.argmax(y))
                out.append(vocab[k])
                if i + 1 < NGEN:
                    y, state = net64(onehot(torch.tensor([[k]]), V, torch.float64), state)
                    y = y[0, -1]
        assert margin > 1e-3, "%s: greedy margin %g too small" % (name, margin)
        with open(os.path.join(d, "greedy.txt"), "w") as f:
            f.write("".join(out))
        with open(os.path.join(d, "expected.csv"), "w") as f:
            f.write("chars,nats\n%d,%s\n" % (NSCORE - 1, fmt(nats)))
        print("%s: V %d, bpc %.4f on score.txt, greedy margin %.3g: %r" %
              (name, V, nats / ((NSCORE - 1) * math.log(2)), margin,
               "".join(out)[:60]))


if __name__ == "__main__":
    main()
