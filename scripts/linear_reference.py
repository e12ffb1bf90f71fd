#!/usr/bin/python3
"""linear_reference.py - reference coefficients of rnn-train's linear path
(lib/forecast/arpath.h, rnn-train(1) "The linear path") for tests/linear.bats,
computed here with numpy, independently of the C code.

Writes testdata/linear/ (relative to the repository root):
  <case>.csv       header x, then the series (values exactly as written)
  <case>-coef.csv  one line: the coefficients on the window's W values,
                   oldest first, then the intercept; or the word none when
                   the holdout chooses no linear path
  <case>-refit-coef.csv  the same with --refit: the chosen lambda fitted
                   again on all n windows, the validation ones too
                   (ar2 only)
for the options the test gives, rnn-train --window 4 --scaling none
--transform none and --val auto (0.2 of the windows: these series have
more than 20), so the net's inputs are the values themselves and target
row t+4 follows the window of rows t..t+3.

The rule: of the n windows, the last round(0.2 n) are validation windows
and take no part; of the m training windows left, the last round(0.2 m)
are the holdout; for lambda in 0.001, 0.003, 0.01, ..., 30, 100 (1 and
3 times the powers of ten), and for each lambda the prior a0 = 0 then
a0 = the last value (1 on the window's last value, 0 elsewhere), the
ridge regression on the other m - h windows, min |y - F a|^2 +
lambda (m - h) |a' - a0'|^2 (a' all but the intercept), and its squared
error on the holdout; none (a = 0) has the holdout's |y|^2. The lowest
wins (the first of equals); the winner's lambda and prior are fitted
again on all m windows. With --refit, it is
fitted once more on all n windows, min |y - F a|^2 + lambda n |a'|^2.

Cases: ar2, an AR(2) y = 0.6 y' - 0.3 y'' + e around 10 (120 rows; a
lambda wins), and noise, i.i.d. normal around 0 (60 rows; none wins).
"""
import os

import numpy as np

W = 4
GRID = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30, 100]


def windows(y):
    n = len(y) - W
    F = np.array([np.append(y[t:t + W], 1.0) for t in range(n)])
    return F, y[W:]


def prior(last):
    a0 = np.zeros(W + 1)
    if last:
        a0[W - 1] = 1
    return a0


def ridge(F, y, lam, a0):
    D = np.eye(F.shape[1])
    D[-1, -1] = 0
    return np.linalg.solve(F.T @ F + lam * len(y) * D,
                           F.T @ y + lam * len(y) * D @ a0)


def reference(y, refit=False):
    F, t = windows(y)
    Fa, ta = F, t
    n = len(t)
    m = n - int(np.floor(0.2 * n + 0.5))
    F, t = F[:m], t[:m]
    h = int(np.floor(0.2 * m + 0.5))
    best, lam, a0 = float(t[m - h:] @ t[m - h:]), None, None
    for g in GRID:
        for last in (False, True):
            a = ridge(F[:m - h], t[:m - h], g, prior(last))
            r = t[m - h:] - F[m - h:] @ a
            if r @ r < best:
                best, lam, a0 = float(r @ r), g, prior(last)
    if lam is None:
        return None
    return ridge(Fa, ta, lam, a0) if refit else ridge(F, t, lam, a0)


def write(root, name, y, refit=False):
    # values rounded to 6 decimals, as the file has them
    y = np.round(y, 6)
    with open(os.path.join(root, name + ".csv"), "w") as f:
        f.write("x\n" + "".join("%.6f\n" % v for v in y))
    for suffix, r in (("-coef.csv", False), ("-refit-coef.csv", True)):
        if r and not refit:
            continue
        a = reference(y, r)
        with open(os.path.join(root, name + suffix), "w") as f:
            f.write("none\n" if a is None else
                    ",".join("%.17g" % v for v in a) + "\n")


def main():
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                        "testdata", "linear")
    os.makedirs(root, exist_ok=True)
    g = np.random.default_rng(3)
    n = 120
    y = np.zeros(n)
    e = g.normal(0, 1, n)
    for i in range(2, n):
        y[i] = 0.6 * y[i - 1] - 0.3 * y[i - 2] + e[i]
    write(root, "ar2", 10 + y, refit=True)
    g = np.random.default_rng(3)
    write(root, "noise", g.normal(0, 1, 60))


if __name__ == "__main__":
    main()
