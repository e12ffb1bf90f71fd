#!/usr/bin/python3
"""bench_blas.py - say which BLAS numpy or torch runs on (make bench).

usage: scripts/bench_blas.py numpy|torch
Prints the libraries threadpoolctl finds loaded after importing the module
(file, version, threading layer, threads), and for torch the BLAS of its
build (torch.__config__.show(): BLAS_INFO, MKL, MKL-DNN); Debian's torch
is built against the generic libblas.so.3, so the BLAS it runs is the one
the alternatives system gives (libopenblas0-pthread when installed).
"""
import importlib
import sys

name = sys.argv[1]
mod = importlib.import_module(name)
print("%s %s" % (name, mod.__version__))
try:
    from threadpoolctl import threadpool_info
    for lib in threadpool_info():
        print("  %s: %s %s (%s, %s threads) %s" % (
            lib.get("user_api"), lib.get("internal_api"), lib.get("version") or "",
            lib.get("threading_layer", "-"), lib.get("num_threads"), lib.get("filepath")))
except ImportError:
    print("  (python3-threadpoolctl not installed: the loaded BLAS is unknown)")
if name == "torch":
    cfg = mod.__config__.show()
    for part in cfg.replace(",", "\n").splitlines():
        p = part.strip().lstrip("- ").replace("Build settings: ", "")
        if p.startswith(("BLAS_INFO", "LAPACK_INFO", "USE_MKL", "Intel(R) MKL", "CPU capability")):
            print("  build: " + p.lstrip("- "))
    print("  torch threads: %d" % mod.get_num_threads())
