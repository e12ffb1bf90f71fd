#!/usr/bin/python3
"""bench_torch.py - PyTorch CPU float32 reference throughput for rnnkit.

Trains nn.LSTM(nin, H, batch_first) + nn.Linear(H, nout) with MSE loss and
Adam on random windows (B, T, nin) and prints windows/second of
forward + backward + optimizer step, with torch.set_num_threads(1) and (2).

usage: scripts/bench_torch.py [--cell lstm|gru|elman] [--hidden 128]
       [--window 50] [--batch 32] [--nin 1] [--nout 1] [--seconds 3]
       [--threads 1,2]
"""
import argparse
import time

import torch


class Net(torch.nn.Module):
    def __init__(self, cell, nin, hidden, nout):
        super().__init__()
        rnn = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU, "elman": torch.nn.RNN}[cell]
        self.rnn = rnn(nin, hidden, batch_first=True)
        self.fc = torch.nn.Linear(hidden, nout)

    def forward(self, x):
        out, _ = self.rnn(x)
        return self.fc(out[:, -1, :])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cell", default="lstm", choices=["lstm", "gru", "elman"])
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--window", type=int, default=50)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--nin", type=int, default=1)
    ap.add_argument("--nout", type=int, default=1)
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--threads", default="1,2")
    a = ap.parse_args()
    torch.manual_seed(0)
    x = torch.randn(a.batch, a.window, a.nin)
    y = torch.randn(a.batch, a.nout)
    for nt in [int(s) for s in a.threads.split(",")]:
        torch.set_num_threads(nt)
        net = Net(a.cell, a.nin, a.hidden, a.nout)
        opt = torch.optim.Adam(net.parameters(), lr=1e-3)
        lossf = torch.nn.MSELoss()

        def step():
            opt.zero_grad()
            loss = lossf(net(x), y)
            loss.backward()
            opt.step()

        for _ in range(5):
            step()
        n = 0
        t0 = time.perf_counter()
        while True:
            step()
            n += 1
            t1 = time.perf_counter()
            if t1 - t0 >= a.seconds:
                break
        print("torch %s %s H=%d T=%d B=%d nin=%d nout=%d adam threads=%d: "
              "%.1f windows/s (%.3f ms/step)"
              % (torch.__version__, a.cell, a.hidden, a.window, a.batch, a.nin, a.nout,
                 nt, n * a.batch / (t1 - t0), 1e3 * (t1 - t0) / n))


if __name__ == "__main__":
    main()
