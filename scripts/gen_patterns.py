#!/usr/bin/env python3
"""gen_patterns.py - deterministic random +-1 patterns and noisy probes for
the recall-quality tests (tests/hop-recall.bats).

    python3 scripts/gen_patterns.py [OUTDIR]     (default testdata/recall)

Plain python3, no packages: random.Random(seed) makes every file the same on
every machine and Python 3 version.  For each set NAME (n neurons, m
patterns, seed) it writes

    NAME.csv             m random patterns, one per row, values 1/-1
    NAME-pK.csv          probes: each pattern PER times, with exactly
                         round(K/100 * n) distinct bits flipped; probe j
                         (0-based) is a copy of pattern j // PER + 1

and for each BAM set NAME (na + nb columns, m pairs) NAME.csv (rows A then
B, for --split na) and NAME-pK.csv (A sides with K % of their bits flipped,
PER per pair).
"""
import os
import random
import sys

# name, n, m, seed, [(noise percent, probes per pattern)]
SETS = [
    ("n100-m5", 100, 5, 1005, [(5, 20)]),
    ("n100-m20", 100, 20, 1020, [(5, 5), (10, 5)]),
    ("n100-m25", 100, 25, 1025, [(10, 4)]),
]

# name, na, nb, m, seed, [(noise percent, probes per pair)]
BAM_SETS = [
    ("bam-a30-b20-m3", 30, 20, 3, 2003, [(10, 10)]),
]


def pattern(rng, n):
    return [rng.choice((1, -1)) for _ in range(n)]


def noisy(rng, x, k):
    y = list(x)
    for i in rng.sample(range(len(x)), k):
        y[i] = -y[i]
    return y


def write(path, rows):
    with open(path, "w", newline="\n") as f:
        for r in rows:
            f.write(",".join(str(v) for v in r) + "\n")


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "testdata", "recall")
    os.makedirs(out, exist_ok=True)
    for name, n, m, seed, noises in SETS:
        rng = random.Random(seed)
        pats = [pattern(rng, n) for _ in range(m)]
        write(os.path.join(out, name + ".csv"), pats)
        for pct, per in noises:
            k = round(pct * n / 100)
            probes = [noisy(rng, x, k) for x in pats for _ in range(per)]
            write(os.path.join(out, "%s-p%d.csv" % (name, pct)), probes)
    for name, na, nb, m, seed, noises in BAM_SETS:
        rng = random.Random(seed)
        pairs = [pattern(rng, na + nb) for _ in range(m)]
        write(os.path.join(out, name + ".csv"), pairs)
        for pct, per in noises:
            k = round(pct * na / 100)
            probes = [noisy(rng, x[:na], k) for x in pairs for _ in range(per)]
            write(os.path.join(out, "%s-p%d.csv" % (name, pct)), probes)


if __name__ == "__main__":
    main()
