#!/usr/bin/env python3
"""gen_letters.py - the demo's pictures: five letters on an 8x8 grid and
noisy copies of them.

    python3 scripts/gen_letters.py [OUTDIR]      (default testdata)

Writes OUTDIR/letters.csv (one letter per row, 64 values, +1 = ink, row by
row) and OUTDIR/letters-noisy.csv (each letter twice, with exactly 8 of its
64 pixels flipped, chosen by random.Random(2024): the same files on every
machine).
"""
import os
import random
import sys

LETTERS = {
    "A": ["...##...",
          "..#..#..",
          ".#....#.",
          ".#....#.",
          ".######.",
          ".#....#.",
          ".#....#.",
          ".#....#."],
    "C": ["..####..",
          ".#....#.",
          "#.......",
          "#.......",
          "#.......",
          "#.......",
          ".#....#.",
          "..####.."],
    "H": ["#......#",
          "#......#",
          "#......#",
          "########",
          "#......#",
          "#......#",
          "#......#",
          "#......#"],
    "T": ["########",
          "...##...",
          "...##...",
          "...##...",
          "...##...",
          "...##...",
          "...##...",
          "...##..."],
    "X": ["#......#",
          ".#....#.",
          "..#..#..",
          "...##...",
          "...##...",
          "..#..#..",
          ".#....#.",
          "#......#"],
}
NOISE = 8       # pixels flipped per copy
COPIES = 2


def write(path, rows):
    with open(path, "w", newline="\n") as f:
        for r in rows:
            f.write(",".join(str(v) for v in r) + "\n")


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "testdata")
    pats = [[1 if c == "#" else -1 for line in LETTERS[k] for c in line]
            for k in sorted(LETTERS)]
    rng = random.Random(2024)
    noisy = []
    for p in pats:
        for _ in range(COPIES):
            q = list(p)
            for i in rng.sample(range(64), NOISE):
                q[i] = -q[i]
            noisy.append(q)
    write(os.path.join(out, "letters.csv"), pats)
    write(os.path.join(out, "letters-noisy.csv"), noisy)


if __name__ == "__main__":
    main()
