#!/usr/bin/python3
"""bench_numpy_hopfield.py - numpy reference for hop-store | hop-recall.

Stores PATTERNS (Hebb, W = X^T X - m I) and recalls PROBES synchronously
(o <- sign(W o), zero keeps the old value) as one batch until every probe is
stable or max-iter, like `hop-recall --mode sync`; prints seconds for store
and recall and the number of probes that reached a stored pattern.

usage: scripts/bench_numpy_hopfield.py PATTERNS.csv PROBES.csv
"""
import sys
import time

import numpy as np


def main():
    pats = np.loadtxt(sys.argv[1], delimiter=",", ndmin=2)
    probes = np.loadtxt(sys.argv[2], delimiter=",", ndmin=2)
    t0 = time.perf_counter()
    m, n = pats.shape
    W = pats.T @ pats - m * np.eye(n)
    t1 = time.perf_counter()
    S = probes.copy()
    active = np.ones(len(S), dtype=bool)
    for _ in range(100):
        if not active.any():
            break
        idx = np.nonzero(active)[0]
        net = S[idx] @ W.T
        new = np.where(net > 0, 1.0, np.where(net < 0, -1.0, S[idx]))
        stable = (new == S[idx]).all(axis=1)
        S[idx] = new
        active[idx[stable]] = False
    t2 = time.perf_counter()
    hits = sum(1 for s in S if (np.abs(pats @ s) == n).any())
    print(f"numpy: store {t1 - t0:.4f}s recall {t2 - t1:.4f}s ({len(S)} probes, n={n}, m={m}); recalled {hits}")


main()
