#!/usr/bin/python3
"""torch_reference.py - write PyTorch reference models for rnnkit's import tests.

What it writes
--------------
For each case below, the directory testdata/torch/<case>/ (relative to the
repository root, whatever the current directory) with:

  config              lines key=value: cell (elman | lstm | gru-torch), act
                      (tanh | relu; the nn.RNN nonlinearity; always tanh for
                      lstm and gru-torch), input, hidden, layers, output, window
  weight_ih_l<k>.csv  the PyTorch tensors of layer k (k = 0, 1, ...), named and
  weight_hh_l<k>.csv  shaped exactly as in the nn.RNN/nn.LSTM/nn.GRU state_dict
  bias_ih_l<k>.csv    (gate order: LSTM i,f,g,o; GRU r,z,n)
  bias_hh_l<k>.csv
  fc.weight.csv       the nn.Linear head, nout x hidden
  fc.bias.csv         nout values
  series.csv          header x1,...,xF then N = 40 rows of input (sine waves
                      plus noise, magnitude about 1; every value is exactly a
                      float32)
  expected.csv        header y1,...,yO then N-W+1 rows: row j (0-based) is the
                      model output for the window of series rows j..j+W-1

Tensor files have no header, ',' between values, a 2-D tensor one row per
line, a 1-D tensor one value per line; every number is printed with '%.17g'
(so a float32 value reads back exactly).

The model is nn.RNN / nn.LSTM / nn.GRU(input, hidden, num_layers=layers,
batch_first=True) with zero initial states, followed by nn.Linear(hidden,
output) applied to the output of the last time step (many-to-one), float32,
default PyTorch initialisation after torch.manual_seed(<fixed per case>).
expected.csv is that float32 computation. For information the script also
prints the largest difference from a float64 copy of the same model, and the
largest difference from an independent float64 NumPy implementation that
reads the written CSV files back (a check of the files themselves).

How to rerun
------------
    /usr/bin/python3 scripts/torch_reference.py

(needs torch and numpy, which /usr/bin/python3 has here). The output is
deterministic: rerunning rewrites identical files on the same machine (one
thread is used; a different CPU or torch build could at most change the last
bits of expected.csv).
"""

import os
import sys

import numpy as np
import torch
import torch.nn as nn

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUTDIR = os.path.join(ROOT, "testdata", "torch")
NROWS = 40

# name, cell, act, F, H, L, O, W, seed
CASES = [
    ("rnn",       "elman",     "tanh", 3, 8, 1, 2, 5, 101),
    ("rnn2-relu", "elman",     "relu", 2, 6, 2, 1, 4, 102),
    ("lstm",      "lstm",      "tanh", 3, 8, 1, 2, 6, 103),
    ("lstm2",     "lstm",      "tanh", 2, 5, 2, 2, 5, 104),
    ("gru",       "gru-torch", "tanh", 3, 8, 1, 2, 6, 105),
    ("gru2",      "gru-torch", "tanh", 2, 4, 2, 1, 3, 106),
]


class Model(nn.Module):
    def __init__(self, cell, act, F, H, L, O):
        super().__init__()
        if cell == "elman":
            self.rnn = nn.RNN(F, H, num_layers=L, nonlinearity=act,
                              batch_first=True)
        elif cell == "lstm":
            self.rnn = nn.LSTM(F, H, num_layers=L, batch_first=True)
        elif cell == "gru-torch":
            self.rnn = nn.GRU(F, H, num_layers=L, batch_first=True)
        else:
            raise ValueError(cell)
        self.fc = nn.Linear(H, O)

    def forward(self, x):            # x: (batch, W, F); zero initial states
        out, _ = self.rnn(x)
        return self.fc(out[:, -1, :])


def fmt(v):
    return "%.17g" % float(v)


def write_tensor(path, t):
    a = t.detach().cpu().numpy()
    with open(path, "w") as f:
        if a.ndim == 1:
            for v in a:
                f.write(fmt(v) + "\n")
        elif a.ndim == 2:
            for row in a:
                f.write(",".join(fmt(v) for v in row) + "\n")
        else:
            raise ValueError("tensor of rank %d" % a.ndim)


def write_table(path, prefix, a):
    with open(path, "w") as f:
        f.write(",".join("%s%d" % (prefix, i + 1) for i in range(a.shape[1]))
                + "\n")
        for row in a:
            f.write(",".join(fmt(v) for v in row) + "\n")


def make_series(seed, n, F):
    """Smooth-ish series: a sine wave per column plus a little noise."""
    rng = np.random.RandomState(seed)
    t = np.arange(n, dtype=np.float64)
    cols = []
    for k in range(F):
        period = rng.uniform(6.0, 15.0)
        phase = rng.uniform(0.0, 2.0 * np.pi)
        amp = rng.uniform(0.6, 1.2)
        cols.append(amp * np.sin(2.0 * np.pi * t / period + phase)
                    + 0.15 * rng.standard_normal(n))
    # Round to float32 so the written decimal values are exactly the inputs.
    return np.stack(cols, axis=1).astype(np.float32)


def windows(x, W):
    return np.stack([x[j:j + W] for j in range(x.shape[0] - W + 1)])


# ---- independent float64 reference from the written files ----------------

def read_csv(path):
    return np.loadtxt(path, delimiter=",", ndmin=2, dtype=np.float64)


def read_vec(path):
    return np.loadtxt(path, delimiter=",", ndmin=1, dtype=np.float64)


def sigmoid(v):
    return 1.0 / (1.0 + np.exp(-v))


def numpy_forward(d, cfg, win):
    """win: (W, F) float64. Follows the PyTorch equations literally."""
    H, L = cfg["hidden"], cfg["layers"]
    seq = win
    for k in range(L):
        Wih = read_csv(os.path.join(d, "weight_ih_l%d.csv" % k))
        Whh = read_csv(os.path.join(d, "weight_hh_l%d.csv" % k))
        bih = read_vec(os.path.join(d, "bias_ih_l%d.csv" % k))
        bhh = read_vec(os.path.join(d, "bias_hh_l%d.csv" % k))
        h = np.zeros(H)
        c = np.zeros(H)
        outs = []
        for x in seq:
            gi = Wih @ x + bih
            gh = Whh @ h + bhh
            if cfg["cell"] == "elman":
                s = gi + gh
                h = np.tanh(s) if cfg["act"] == "tanh" else np.maximum(s, 0.0)
            elif cfg["cell"] == "lstm":
                g = gi + gh
                i, f, gg, o = (g[0:H], g[H:2 * H], g[2 * H:3 * H],
                               g[3 * H:4 * H])
                c = sigmoid(f) * c + sigmoid(i) * np.tanh(gg)
                h = sigmoid(o) * np.tanh(c)
            else:  # gru-torch
                r = sigmoid(gi[0:H] + gh[0:H])
                z = sigmoid(gi[H:2 * H] + gh[H:2 * H])
                n = np.tanh(gi[2 * H:] + r * gh[2 * H:])
                h = (1.0 - z) * n + z * h
            outs.append(h)
        seq = np.array(outs)
    fw = read_csv(os.path.join(d, "fc.weight.csv"))
    fb = read_vec(os.path.join(d, "fc.bias.csv"))
    return fw @ seq[-1] + fb


def read_config(path):
    cfg = {}
    with open(path) as f:
        for line in f:
            k, v = line.strip().split("=", 1)
            cfg[k] = int(v) if k in ("input", "hidden", "layers", "output",
                                     "window") else v
    return cfg


def main():
    torch.set_num_threads(1)
    os.makedirs(OUTDIR, exist_ok=True)
    worst = 0.0
    for name, cell, act, F, H, L, O, W, seed in CASES:
        d = os.path.join(OUTDIR, name)
        os.makedirs(d, exist_ok=True)

        torch.manual_seed(seed)
        model = Model(cell, act, F, H, L, O).float().eval()

        with open(os.path.join(d, "config"), "w") as f:
            f.write("cell=%s\nact=%s\ninput=%d\nhidden=%d\nlayers=%d\n"
                    "output=%d\nwindow=%d\n" % (cell, act, F, H, L, O, W))
        for pname, p in model.rnn.state_dict().items():
            write_tensor(os.path.join(d, pname + ".csv"), p)
        write_tensor(os.path.join(d, "fc.weight.csv"), model.fc.weight)
        write_tensor(os.path.join(d, "fc.bias.csv"), model.fc.bias)

        x = make_series(seed, NROWS, F)
        write_table(os.path.join(d, "series.csv"), "x", x)

        win = windows(x, W)                       # (N-W+1, W, F) float32
        with torch.no_grad():
            y32 = model(torch.from_numpy(win)).numpy()
            m64 = Model(cell, act, F, H, L, O)
            m64.load_state_dict(model.state_dict())
            m64 = m64.double().eval()
            y64 = m64(torch.from_numpy(win.astype(np.float64))).numpy()
        assert y32.dtype == np.float32 and y32.shape == (NROWS - W + 1, O)
        write_table(os.path.join(d, "expected.csv"), "y", y32)

        # Read everything back and recompute independently in float64.
        cfg = read_config(os.path.join(d, "config"))
        xs = np.loadtxt(os.path.join(d, "series.csv"), delimiter=",",
                        skiprows=1, ndmin=2)
        ye = np.loadtxt(os.path.join(d, "expected.csv"), delimiter=",",
                        skiprows=1, ndmin=2)
        assert np.array_equal(xs, x.astype(np.float64))
        assert np.array_equal(ye, y32.astype(np.float64))
        ynp = np.array([numpy_forward(d, cfg, xs[j:j + W])
                        for j in range(xs.shape[0] - W + 1)])
        d64 = float(np.abs(y32.astype(np.float64) - y64).max())
        dnp = float(np.abs(ynp - y64).max())
        worst = max(worst, d64)
        print("%-10s %-9s F=%d H=%d L=%d O=%d W=%d rows=%d  "
              "|f32-f64|max=%.3g  |numpy64-torch64|max=%.3g"
              % (name, cell, F, H, L, O, W, ye.shape[0], d64, dnp))
        if dnp > 1e-12 or d64 > 1e-4:
            print("torch_reference: %s: unexpected difference" % name,
                  file=sys.stderr)
            return 1
    print("wrote %s (worst float32 vs float64 difference %.3g)"
          % (os.path.relpath(OUTDIR, ROOT), worst))
    return 0


if __name__ == "__main__":
    sys.exit(main())
