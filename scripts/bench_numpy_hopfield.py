#!/usr/bin/python3
"""bench_numpy_hopfield.py - numpy reference for hop-store | hop-recall.

Stores PATTERNS (Hebb, W = X^T X - m I) and recalls PROBES synchronously
(o <- sign(W o), zero keeps the old value) as one batch until every probe is
stable or max-iter, like `hop-recall --mode sync`; prints seconds for store
and recall and the number of probes that reached a stored pattern.

In memory: the times leave out loading the CSV files. The matrices are
float64, as np.loadtxt gives them. Each time is the best of --repeat runs
at every thread count of --threads (threadpoolctl's BLAS limit, when it is
installed); the last line is JSON: {"store": s, "recall": s,
"threads": {"store": n, "recall": n}, "recalled": k, "maxrss_kb": k}.

usage: scripts/bench_numpy_hopfield.py [--repeat 3] [--threads 1,2]
       PATTERNS.csv PROBES.csv
"""
import argparse
import json
import resource
import time

import numpy as np

try:
    from threadpoolctl import threadpool_limits
except ImportError:
    threadpool_limits = None


def store(pats):
    m, n = pats.shape
    return pats.T @ pats - m * np.eye(n)


def recall(W, probes):
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
    return S


def best_of(fn, repeat):
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--threads", default="")
    ap.add_argument("patterns")
    ap.add_argument("probes")
    a = ap.parse_args()
    pats = np.loadtxt(a.patterns, delimiter=",", ndmin=2)
    probes = np.loadtxt(a.probes, delimiter=",", ndmin=2)
    m, n = pats.shape
    res = {"store": float("inf"), "recall": float("inf"), "threads": {}}
    S = None
    for nt in [int(s) for s in a.threads.split(",")] if a.threads else [0]:
        if nt and threadpool_limits:
            lim = threadpool_limits(limits=nt)
        ts, W = best_of(lambda: store(pats), a.repeat)
        tr, S = best_of(lambda: recall(W, probes), a.repeat)
        if nt and threadpool_limits:
            lim.unregister()
        if ts < res["store"]:
            res["store"], res["threads"]["store"] = ts, nt
        if tr < res["recall"]:
            res["recall"], res["threads"]["recall"] = tr, nt
        print(f"numpy threads={nt or 'default'}: store {ts:.4f}s recall {tr:.4f}s "
              f"({len(S)} probes, n={n}, m={m})")
    hits = int(((np.abs(S @ pats.T) == n).any(axis=1)).sum())
    res["recalled"] = hits
    res["maxrss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"numpy: recalled {hits}")
    print(json.dumps(res))


main()
