#!/usr/bin/python3
"""bench_torch.py - PyTorch CPU float32 peers of rnnkit for make bench.

Reads the series (one column, a header line) that rnn-train and
rnn-predict read, scales it to zero mean and unit variance, cuts it into
the same windows (W rows predict the next) and times, in this process:

  train   nn.RNN|LSTM|GRU(1, H, batch_first) + nn.Linear(H, 1), MSE loss,
          Adam (lr 1e-3): forward + backward + step over minibatches of
          --batch windows in order; windows/s
  eval    the same net under torch.no_grad() over every window, in batches
          of 256 and of 4096; windows/s
  stream  one window (1, W, 1) per step, as rnn-predict --stream computes
          each prediction; steps/s
  seq     as rnn-train --mode seq: the series cut into --batch streams of
          S = N / batch rows, each run in chunks of --window (K) steps with
          the (h, c) state carried and detached between chunks (truncated
          BPTT), nn.Linear at every step, MSE over every step against the
          next row, Adam (lr 1e-3), one step per chunk; the state is reset
          at the start of each pass; time steps trained per second (batch *
          K per chunk)

Each rate is the best of --repeat runs of about --seconds each, at every
thread count of --threads (torch.set_num_threads, and threadpoolctl's limit
for the BLAS when it is installed); the best of all is reported. The last
line is JSON: {"best": rate, "threads": n, "rates": {n: rate}, "maxrss_kb": k}.

usage: scripts/bench_torch.py train|eval|stream|seq --series FILE [--cell lstm]
       [--hidden 128] [--window 50] [--batch 32] [--seconds 1]
       [--repeat 3] [--threads 1,2]
"""
import argparse
import json
import resource
import time

import numpy as np
import torch

try:
    from threadpoolctl import threadpool_limits
except ImportError:  # the rates are then of torch's own threads only
    threadpool_limits = None


class Net(torch.nn.Module):
    def __init__(self, cell, hidden):
        super().__init__()
        rnn = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU, "elman": torch.nn.RNN}[cell]
        self.rnn = rnn(1, hidden, batch_first=True)
        self.fc = torch.nn.Linear(hidden, 1)

    def forward(self, x):
        out, _ = self.rnn(x)
        return self.fc(out[:, -1, :])

    def seq(self, x, state):
        out, state = self.rnn(x, state)
        return self.fc(out), state


def detach(state):
    if isinstance(state, tuple):
        return tuple(s.detach() for s in state)
    return state.detach()


def streams(path, B):
    """x (B, S, 1) inputs and y (B, S, 1) the next rows: B contiguous
    streams of S = (N - 1) // B steps of the scaled series"""
    v = np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.float64, ndmin=1)
    v = (v - v.mean()) / v.std()
    S = (len(v) - 1) // B
    x = v[:B * S].reshape(B, S)
    y = v[1:B * S + 1].reshape(B, S)
    return (torch.tensor(x[:, :, None], dtype=torch.float32),
            torch.tensor(y[:, :, None], dtype=torch.float32))


def windows(path, W):
    v = np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.float64, ndmin=1)
    v = (v - v.mean()) / v.std()
    n = len(v) - W
    idx = np.arange(W)[None, :] + np.arange(n)[:, None]
    x = torch.tensor(v[idx][:, :, None], dtype=torch.float32)
    y = torch.tensor(v[W:][:, None], dtype=torch.float32)
    return x, y


def timed(fn, seconds, repeat):
    """best rate of repeat runs: fn() does some work and returns its count"""
    fn()  # warm up
    best = 0.0
    for _ in range(repeat):
        n = 0
        t0 = time.perf_counter()
        while True:
            n += fn()
            t = time.perf_counter() - t0
            if t >= seconds:
                break
        best = max(best, n / t)
    return best


def measure(a, x, y):
    torch.manual_seed(0)
    net = Net(a.cell, a.hidden)
    if a.mode == "train":
        opt = torch.optim.Adam(net.parameters(), lr=1e-3)
        lossf = torch.nn.MSELoss()
        nb = len(x) // a.batch
        pos = [0]

        def step():
            b = pos[0] % nb
            pos[0] += 1
            xb = x[b * a.batch:(b + 1) * a.batch]
            yb = y[b * a.batch:(b + 1) * a.batch]
            opt.zero_grad()
            loss = lossf(net(xb), yb)
            loss.backward()
            opt.step()
            return a.batch
        return timed(step, a.seconds, a.repeat)
    if a.mode == "seq":
        opt = torch.optim.Adam(net.parameters(), lr=1e-3)
        lossf = torch.nn.MSELoss()
        K, S = a.window, x.shape[1]
        st = {"p": 0, "state": None}

        def chunk():
            p = st["p"]
            if p >= S:
                p, st["state"] = 0, None
            xb, yb = x[:, p:p + K], y[:, p:p + K]
            st["p"] = p + K
            opt.zero_grad()
            out, state = net.seq(xb, st["state"])
            loss = lossf(out, yb)
            loss.backward()
            opt.step()
            st["state"] = detach(state)
            return xb.shape[0] * xb.shape[1]
        return timed(chunk, a.seconds, a.repeat)
    net.eval()
    if a.mode == "eval":
        best = 0.0
        for bs in (256, 4096):
            pos = [0]

            def run(bs=bs):
                # one batch a call, cycling through the windows
                i = pos[0] * bs % len(x)
                pos[0] += 1
                with torch.no_grad():
                    net(x[i:i + bs])
                return len(x[i:i + bs])
            best = max(best, timed(run, a.seconds, a.repeat))
        return best
    # stream: one window per step
    pos = [0]

    def one():
        i = pos[0] % len(x)
        pos[0] += 1
        with torch.no_grad():
            net(x[i:i + 1])
        return 1
    return timed(one, a.seconds, a.repeat)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["train", "eval", "stream", "seq"])
    ap.add_argument("--series", required=True)
    ap.add_argument("--cell", default="lstm", choices=["lstm", "gru", "elman"])
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--window", type=int, default=50)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--seconds", type=float, default=1.0)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--threads", default="1,2")
    a = ap.parse_args()
    x, y = streams(a.series, a.batch) if a.mode == "seq" else windows(a.series, a.window)
    rates = {}
    for nt in [int(s) for s in a.threads.split(",")]:
        torch.set_num_threads(nt)
        if threadpool_limits:
            with threadpool_limits(limits=nt):
                rates[nt] = measure(a, x, y)
        else:
            rates[nt] = measure(a, x, y)
        print("torch %s %s %s H=%d W=%d threads=%d: %.1f /s"
              % (torch.__version__, a.mode, a.cell, a.hidden, a.window, nt, rates[nt]))
    best = max(rates, key=rates.get)
    print(json.dumps({"best": rates[best], "threads": best, "rates": rates,
                      "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))


if __name__ == "__main__":
    main()
