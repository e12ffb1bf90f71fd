#!/usr/bin/python3
"""bench_table.py - make bench's one table: rnnkit against PyTorch and
numpy on this machine, every ratio taken in this run.

Each rnnkit figure is the best of 3 short runs of the tool, as a whole
process (CSV parsing and output included) unless the row says otherwise;
each peer figure is the best of 3 short runs at its best thread setting
(1 or 2), measured in memory by scripts/bench_torch.py or
scripts/bench_numpy_hopfield.py. The ratio is always rnnkit's advantage:
rate / peer rate, or peer time / rnnkit time, or peer RSS / rnnkit RSS;
above 1, rnnkit is faster or smaller.

usage: scripts/bench_table.py [--bin DIR] [--out FILE] [--quick] [--only LIST]
  --bin    the tools (default bin)
  --only   some of train,predict,hopfield,csv,startup (default all)
  --out    also write the table as markdown there (default build/bench.md)
  --quick  smaller sizes, for trying the script (not for the README)
"""
import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time

PY = "/usr/bin/python3"
HERE = os.path.dirname(os.path.abspath(__file__))
REPEAT = 3


def have(module):
    return subprocess.run([PY, "-c", "import " + module], stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL).returncode == 0


def run(cmd, stdin=None, stdout=subprocess.DEVNULL):
    """seconds of one run of cmd; dies when it fails"""
    fin = open(stdin, "rb") if stdin else subprocess.DEVNULL
    t0 = time.perf_counter()
    p = subprocess.run(cmd, stdin=fin, stdout=stdout, stderr=subprocess.PIPE)
    t = time.perf_counter() - t0
    if stdin:
        fin.close()
    if p.returncode != 0:
        sys.exit("bench: %s failed (%d): %s" % (" ".join(cmd), p.returncode,
                                                 p.stderr.decode(errors="replace")))
    return t


def best_time(cmd, stdin=None, n=1):
    """the best of REPEAT runs; n > 1: each run is n calls, the time per call"""
    best = float("inf")
    for _ in range(REPEAT):
        t = sum(run(cmd, stdin) for _ in range(n)) / n
        best = min(best, t)
    return best


def max_rss_kb(cmd, stdin=None):
    """peak RSS of cmd by /usr/bin/time -f %M"""
    with tempfile.NamedTemporaryFile("r") as f:
        run(["/usr/bin/time", "-f", "%M", "-o", f.name] + cmd, stdin)
        return int(f.read().split()[-1])


def peer(args):
    """run a peer helper; its last line is JSON"""
    p = subprocess.run([PY] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        sys.exit("bench: %s failed: %s" % (" ".join(args), p.stderr.decode(errors="replace")))
    lines = p.stdout.decode().strip().splitlines()
    for ln in lines[:-1]:
        print("    " + ln, file=sys.stderr)
    return json.loads(lines[-1])


def write_series(path, rows, seed=1, cols=1):
    r = random.Random(seed)
    with open(path, "w") as f:
        f.write(",".join("x%d" % (c + 1) for c in range(cols)) + "\n")
        for i in range(rows):
            f.write(",".join("%.6f" % (((i + 3 * c) % 97) / 50.0 - 1 + 0.1 * r.random())
                             for c in range(cols)) + "\n")


def write_patterns(pats, probes, n, m, nprobes, seed):
    r = random.Random(seed)
    X = [[1 if r.random() < 0.5 else -1 for _ in range(n)] for _ in range(m)]
    with open(pats, "w") as f:
        for x in X:
            f.write(",".join(map(str, x)) + "\n")
    with open(probes, "w") as f:
        for j in range(nprobes):
            x = X[j % m]
            f.write(",".join(str(-v if r.random() < 0.1 else v) for v in x) + "\n")


def fmt(v, unit):
    if unit == "s":
        return "%.3g s" % v if v >= 0.01 else "%.2f ms" % (v * 1e3)
    if unit == "MB":
        return "%.0f MB" % (v / 1024)
    return "{:,.0f} {}".format(v, unit) if v >= 100 else "%.1f %s" % (v, unit)


class Table:
    def __init__(self):
        self.rows = []

    def add(self, what, mine, theirs, unit, who, higher_better=True):
        """mine, theirs: values in unit; theirs None: no peer here"""
        if theirs is None:
            ratio = "n/a"
            ptxt = "(not installed: %s)" % who
        else:
            r = mine / theirs if higher_better else theirs / mine
            ratio = "%.2f×" % r
            ptxt = "%s (%s)" % (fmt(theirs, unit), who)
        row = (what, fmt(mine, unit), ptxt, ratio)
        self.rows.append(row)
        print("  %s: rnnkit %s, %s: %s" % row, file=sys.stderr)

    def markdown(self):
        out = ["| workload | rnnkit | peer | rnnkit / peer |", "| --- | --- | --- | --- |"]
        out += ["| %s | %s | %s | %s |" % r for r in self.rows]
        return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="bin")
    ap.add_argument("--out", default="build/bench.md")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--only", default="train,seq,predict,hopfield,csv,startup")
    a = ap.parse_args()
    tab = Table()
    tmp = tempfile.mkdtemp(prefix="rnnkit-bench.")
    try:
        measure(a, tab, tmp)
    finally:
        subprocess.run(["rm", "-rf", tmp])
    md = tab.markdown()
    print()
    print(md, end="")
    if a.out:
        os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
        with open(a.out, "w") as f:
            f.write(md)
        print("\n(written to %s)" % a.out)


def measure(a, tab, tmp):
    B = os.path.abspath(a.bin)
    torch_ok, numpy_ok = have("torch"), have("numpy")
    T = lambda name: os.path.join(tmp, name)
    W = 50
    tver = ""
    if torch_ok:
        tver = subprocess.run([PY, "-c", "import torch; print(torch.__version__)"],
                              stdout=subprocess.PIPE).stdout.decode().strip()
    tname = "PyTorch %s" % tver if torch_ok else "PyTorch"

    rss = {}
    # ---- training: windows/s of forward + backward + Adam, batch 32
    if "train" in a.only.split(","):
        for cell in ("elman", "lstm", "gru"):
            G = {"elman": 1, "lstm": 4, "gru": 3}[cell]
            for H in (32, 128, 512):
                # about half a second an epoch on one thread
                n = int(0.5 * 7000 * 4 * 128 * 128 / (G * H * H))
                n = max(320, min(16000 if a.quick else 32000, n)) // 32 * 32
                if a.quick:
                    n = max(320, n // 4 // 32 * 32)
                series = T("train-%s-%d.csv" % (cell, H))
                write_series(series, n + W)
                rk_cell = "gru-torch" if cell == "gru" else cell
                base = [B + "/rnn-train", "-q", "--ensemble", "1", "--val", "0",
                        "--transform", "none", "--cell", rk_cell, "--hidden", str(H),
                        "--window", str(W), "--batch", "32", "--seed", "1"]
                mine = {}
                for t in (1, 2):
                    log = T("log.csv")
                    run(base + ["--epochs", str(REPEAT), "--threads", str(t), "--log", log, series])
                    with open(log) as f:
                        secs = [float(ln.split(",")[4]) for ln in list(f)[1:]]
                    mine[t] = n / min(secs)
                if cell == "lstm" and H == 128:
                    rss["train"] = max_rss_kb(base + ["--epochs", "1", "--threads", "1", series])
                theirs, who = None, tname
                if torch_ok:
                    j = peer([HERE + "/bench_torch.py", "train", "--series", series, "--cell", cell,
                              "--hidden", str(H), "--window", str(W), "--batch", "32",
                              "--seconds", "0.5" if a.quick else "1", "--threads", "1,2"])
                    theirs, who = j["best"], "%s, %d thread%s" % (tname, j["threads"],
                                                                  "s" if j["threads"] > 1 else "")
                    if cell == "lstm" and H == 128:
                        rss["train_peer"] = j["maxrss_kb"]
                for t in (1, 2):
                    tab.add("train %s, hidden %d, window %d, batch 32, Adam; rnnkit %d thread%s"
                            % (cell, H, W, t, "s" if t > 1 else ""), mine[t], theirs, "windows/s", who)

    # ---- sequences (rnn-train --mode seq): time steps trained per second,
    # LSTM, 32 streams, chunks of K = 50 steps, the state carried
    if "seq" in a.only.split(","):
        K, Bs = 50, 32
        for H in (128, 512):
            # about half a second an epoch on one thread
            n = int(0.5 * 7000 * 50 * 128 * 128 / (H * H))
            n = max(2 * Bs * K, min(100000 if a.quick else 400000, n))
            if a.quick:
                n = max(2 * Bs * K, n // 4)
            n = n // (Bs * K) * (Bs * K)
            series = T("seq-%d.csv" % H)
            write_series(series, n + 1)
            base = [B + "/rnn-train", "-q", "--mode", "seq", "--val", "0", "--cell", "lstm",
                    "--hidden", str(H), "--bptt", str(K), "--batch", str(Bs), "--seed", "1"]
            mine = {}
            for t in (1, 2):
                log = T("log.csv")
                run(base + ["--epochs", str(REPEAT), "--threads", str(t), "--log", log, series])
                with open(log) as f:
                    secs = [float(ln.split(",")[4]) for ln in list(f)[1:]]
                mine[t] = n / min(secs)
            theirs, who = None, tname
            if torch_ok:
                j = peer([HERE + "/bench_torch.py", "seq", "--series", series, "--cell", "lstm",
                          "--hidden", str(H), "--window", str(K), "--batch", str(Bs),
                          "--seconds", "0.5" if a.quick else "1", "--threads", "1,2"])
                theirs, who = j["best"], "%s, (%d, %d) chunks, state carried, %d thread%s" % (
                    tname, Bs, K, j["threads"], "s" if j["threads"] > 1 else "")
            for t in (1, 2):
                tab.add("train --mode seq lstm, hidden %d, %d streams, --bptt %d, Adam; rnnkit "
                        "%d thread%s" % (H, Bs, K, t, "s" if t > 1 else ""), mine[t], theirs,
                        "steps/s", who)

    # ---- inference: LSTM hidden 128, window 50
    if "predict" in a.only.split(","):
        small = T("s3250.csv")
        write_series(small, 3250)
        model = T("lstm128.gz")
        run([B + "/rnn-train", "-q", "--ensemble", "1", "--val", "0", "--transform", "none",
             "--cell", "lstm", "--hidden", "128", "--window", str(W), "--epochs", "1",
             "-o", model, small])
        nwin = 5000 if a.quick else 20000
        big = T("predict.csv")
        write_series(big, nwin + W - 1, seed=2)
        theirs, who = None, tname
        if torch_ok:
            j = peer([HERE + "/bench_torch.py", "eval", "--series", big, "--cell", "lstm",
                      "--hidden", "128", "--window", str(W), "--seconds", "1", "--threads", "1,2"])
            theirs = j["best"]
            who = "%s eval, no_grad, batches of 256 or 4096, %d thread%s, in memory" % (
                tname, j["threads"], "s" if j["threads"] > 1 else "")
            rss["predict_peer"] = j["maxrss_kb"]
        for t in (1, 2):
            s = best_time([B + "/rnn-predict", "--threads", str(t), "-m", model, big])
            tab.add("rnn-predict, lstm hidden 128, window %d, %d windows; %d thread%s"
                    % (W, nwin, t, "s" if t > 1 else ""), nwin / s, theirs, "windows/s", who)
        rss["nwin"] = nwin
        rss["predict"] = max_rss_kb([B + "/rnn-predict", "--threads", "2", "-m", model, big])
        nstream = 1000 if a.quick else 3000
        sfile = T("stream.csv")
        write_series(sfile, nstream + W - 1, seed=3)
        s = best_time([B + "/rnn-predict", "--stream", "-m", model], stdin=sfile)
        theirs = None
        if torch_ok:
            j = peer([HERE + "/bench_torch.py", "stream", "--series", sfile, "--cell", "lstm",
                      "--hidden", "128", "--window", str(W), "--seconds", "1", "--threads", "1,2"])
            theirs = j["best"]
            who = "%s, one window per step, %d thread%s" % (tname, j["threads"],
                                                         "s" if j["threads"] > 1 else "")
        tab.add("rnn-predict --stream, lstm hidden 128, window %d (%d rows on stdin)" % (W, nstream),
                nstream / s, theirs, "steps/s", who)

    # ---- Hopfield: hebb, 10% of bits flipped, sync recall
    if "hopfield" in a.only.split(","):
        for n, m in ((1024, 100), (4096, 400)):
            nprobes = 200 if a.quick else 1000
            pats, probes = T("pats%d.csv" % n), T("probes%d.csv" % n)
            write_patterns(pats, probes, n, m, nprobes, seed=n)
            mem = T("mem%d.gz" % n)
            ts = best_time([B + "/hop-store", "-q", "-o", mem, pats])
            tr = best_time([B + "/hop-recall", "-q", "-m", mem, probes])
            if n == 4096:
                rss["recall"] = max_rss_kb([B + "/hop-recall", "-q", "-m", mem, probes])
            js = None
            if numpy_ok:
                js = peer([HERE + "/bench_numpy_hopfield.py", "--repeat", str(REPEAT),
                           "--threads", "1,2", pats, probes])
                if n == 4096:
                    rss["recall_peer"] = js["maxrss_kb"]
            for what, mine, key in (("store", ts, "store"), ("recall", tr, "recall")):
                who = "numpy" if not js else \
                    "numpy float64, %d thread%s, in memory (no CSV)" % (
                        js["threads"][key], "s" if js["threads"][key] > 1 else "")
                tab.add("hop-%s, hebb, n %d, m %d%s; whole process with its CSV" % (
                    what, n, m, ", %d probes, 10%% flipped, sync" % nprobes if what == "recall"
                    else ""), mine, js[key] if js else None, "s", who, higher_better=False)

    # ---- CSV ingestion: a 20-column file through a 1-unit net
    if "csv" in a.only.split(","):
        wide_small, wide = T("wide-small.csv"), T("wide.csv")
        write_series(wide_small, 200, cols=20)
        write_series(wide, 20000 if a.quick else 100000, seed=4, cols=20)
        tiny = T("tiny.gz")
        run([B + "/rnn-train", "-q", "--ensemble", "1", "--val", "0", "--transform", "none",
             "--cell", "elman", "--hidden", "1", "--window", "2", "--epochs", "1",
             "--target", "1", "-o", tiny, wide_small])
        mb = os.path.getsize(wide) / 1e6
        s = best_time([B + "/rnn-predict", "--threads", "1", "-m", tiny, wide])
        theirs = None
        if numpy_ok:
            code = ("import time, numpy as np\nb = 1e9\nfor _ in range(%d):\n"
                    "    t = time.perf_counter(); np.loadtxt(%r, delimiter=',', skiprows=1)\n"
                    "    b = min(b, time.perf_counter() - t)\nprint(b)" % (REPEAT, wide))
            p = subprocess.run([PY, "-c", code], stdout=subprocess.PIPE, check=True)
            theirs = mb / float(p.stdout.decode())
        tab.add("CSV ingestion: rnn-predict, 1-unit Elman net, 20-column file of %.0f MB "
                "(one value out per row)" % mb, mb / s, theirs, "MB/s",
                "numpy.loadtxt of the same file")

    # ---- start-up
    if "startup" in a.only.split(","):
        pats, probe = T("ex3.csv"), T("ex3-probe.csv")
        with open(pats, "w") as f:
            f.write("1,-1,1,-1,1,-1\n-1,1,-1,1,-1,1\n1,1,1,-1,-1,-1\n-1,-1,1,1,1,1\n")
        with open(probe, "w") as f:
            f.write("1,-1,1,-1,1,1\n")
        mem = T("ex3.gz")
        run([B + "/hop-store", "-q", "-o", mem, pats])
        s1 = best_time([B + "/rnn-predict", "--version"], n=10)
        s2 = best_time([B + "/hop-recall", "-m", mem, probe], n=10)
        p1 = p2 = None
        if torch_ok:
            p1 = best_time([PY, "-c", "import torch"])
        if numpy_ok:
            p2 = best_time([PY, "-c", "import numpy"])
        tab.add("start-up: rnn-predict --version", s1, p1, "s", "python3 -c 'import torch'",
                higher_better=False)
        tab.add("start-up: hop-recall of one 6-bit probe", s2, p2, "s",
                "python3 -c 'import numpy'", higher_better=False)

    # ---- peak RSS (/usr/bin/time -f %M; peers: ru_maxrss of their process)
    if "train" in rss:
        tab.add("peak RSS: rnn-train, lstm hidden 128, window 50, 1 epoch",
                rss["train"], rss.get("train_peer"), "MB", "the PyTorch training process",
                higher_better=False)
    if "predict" in rss:
        tab.add("peak RSS: rnn-predict, lstm hidden 128, window 50, %d windows"
                % rss["nwin"], rss["predict"], rss.get("predict_peer"), "MB",
                "the PyTorch eval process", higher_better=False)
    if "recall" in rss:
        tab.add("peak RSS: hop-recall, n 4096, m 400", rss["recall"], rss.get("recall_peer"),
                "MB", "the numpy process", higher_better=False)



if __name__ == "__main__":
    main()
