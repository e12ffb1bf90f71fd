#!/usr/bin/python3
"""torch_seq_reference.py - PyTorch references for rnnkit's sequence models.

For every case directory testdata/torch/<case>/ written by
torch_reference.py (config, the PyTorch-named tensors, series.csv), write
testdata/torch/<case>/expected-seq.csv: header y1,...,yO, then one row per
row of series.csv, the many-to-many output of the same net run over the
whole series as ONE sequence from a zero state, the state carried from row
to row, the nn.Linear head applied at every step:

    out, _ = rnn(x)          # x: (1, N, F), batch_first
    y = fc(out)[0]           # (N, O)

which is what `rnn-predict --import DIR` prints for the same tensors with
`mode=seq` in DIR/config in place of `window=W` (tests/seq.bats). The
computation is float32 on one thread; the script also runs the series in
chunks of 7 rows, carrying (h, c) detached from chunk to chunk, as
`rnn-train --mode seq` does, and prints the largest difference from the
one-call run (it must be 0 up to rounding).

    /usr/bin/python3 scripts/torch_seq_reference.py
"""

import os

import numpy as np
import torch
import torch.nn as nn

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TORCH = os.path.join(ROOT, "testdata", "torch")


def read_config(path):
    cfg = {}
    with open(path) as f:
        for line in f:
            k, v = line.strip().split("=", 1)
            cfg[k] = v
    return cfg


def read_csv(path, header=False):
    return np.loadtxt(path, delimiter=",", ndmin=2, skiprows=1 if header else 0)


def build(d, cfg):
    F, H, L, O = (int(cfg[k]) for k in ("input", "hidden", "layers", "output"))
    cell = cfg["cell"]
    if cell == "lstm":
        rnn = nn.LSTM(F, H, num_layers=L, batch_first=True)
    elif cell == "gru-torch":
        rnn = nn.GRU(F, H, num_layers=L, batch_first=True)
    elif cell == "elman":
        rnn = nn.RNN(F, H, num_layers=L, nonlinearity=cfg.get("act", "tanh"),
                     batch_first=True)
    else:
        raise ValueError(cell)
    fc = nn.Linear(H, O)
    with torch.no_grad():
        for name, p in list(rnn.named_parameters()) + [
                ("fc.weight", fc.weight), ("fc.bias", fc.bias)]:
            v = read_csv(os.path.join(d, name + ".csv"))
            p.copy_(torch.tensor(v.reshape(p.shape), dtype=torch.float32))
    return rnn, fc


def main():
    torch.set_num_threads(1)
    for case in sorted(os.listdir(TORCH)):
        d = os.path.join(TORCH, case)
        if not os.path.exists(os.path.join(d, "config")):
            continue
        cfg = read_config(os.path.join(d, "config"))
        rnn, fc = build(d, cfg)
        x = torch.tensor(read_csv(os.path.join(d, "series.csv"), header=True),
                         dtype=torch.float32).unsqueeze(0)
        with torch.no_grad():
            out, _ = rnn(x)
            y = fc(out)[0].numpy()
            # chunks of 7 rows, the state carried (detached)
            state, parts = None, []
            for k in range(0, x.shape[1], 7):
                o, state = rnn(x[:, k:k + 7], state)
                parts.append(fc(o)[0].numpy())
            yc = np.concatenate(parts)
        O = y.shape[1]
        with open(os.path.join(d, "expected-seq.csv"), "w") as f:
            f.write(",".join("y%d" % (i + 1) for i in range(O)) + "\n")
            for row in y:
                f.write(",".join("%.9g" % v for v in row) + "\n")
        print("%-10s %d rows, chunks of 7 vs one run: max diff %.3g"
              % (case, y.shape[0], float(np.abs(y - yc).max())))


if __name__ == "__main__":
    main()
