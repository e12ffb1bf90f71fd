#!/usr/bin/env python3
"""gen_letters.py - the demo's pictures: five letters on an 8x8 grid and
noisy copies of them.

    python3 scripts/gen_letters.py [OUTDIR]      (default testdata)

Writes OUTDIR/letters.csv (one letter per row, 64 values, +1 = ink, row by
row) and OUTDIR/letters-noisy.csv (each letter twice, with exactly 8 of its
64 pixels flipped, chosen by random.Random(2024): the same files on every
machine), and OUTDIR/letters26.csv (all 26 letters, A to Z) with
OUTDIR/letters26-noisy.csv (each once, 6 pixels flipped, random.Random(2026),
drawn again while the copy is no nearer its own letter than another), for
the dense-memory demo.
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
# The rest of the alphabet, for the dense-memory demo: letters26.csv holds
# all 26 (A..Z), far more than a Hebbian memory of 64 neurons holds.
MORE = {
    "B": ["######..", ".#....#.", ".#....#.", ".#####..",
          ".#....#.", ".#....#.", ".#....#.", "######.."],
    "D": ["#####...", ".#...#..", ".#....#.", ".#....#.",
          ".#....#.", ".#....#.", ".#...#..", "#####..."],
    "E": ["########", "#.......", "#.......", "######..",
          "#.......", "#.......", "#.......", "########"],
    "F": ["########", "#.......", "#.......", "######..",
          "#.......", "#.......", "#.......", "#......."],
    "G": ["..####..", ".#....#.", "#.......", "#.......",
          "#...####", "#......#", ".#....#.", "..####.."],
    "I": [".######.", "...##...", "...##...", "...##...",
          "...##...", "...##...", "...##...", ".######."],
    "J": ["...#####", ".....#..", ".....#..", ".....#..",
          ".....#..", "#....#..", ".#..#...", "..##...."],
    "K": ["#.....#.", "#....#..", "#...#...", "####....",
          "#...#...", "#....#..", "#.....#.", "#......#"],
    "L": ["#.......", "#.......", "#.......", "#.......",
          "#.......", "#.......", "#.......", "########"],
    "M": ["#......#", "##....##", "#.#..#.#", "#..##..#",
          "#......#", "#......#", "#......#", "#......#"],
    "N": ["#......#", "##.....#", "#.#....#", "#..#...#",
          "#...#..#", "#....#.#", "#.....##", "#......#"],
    "O": ["..####..", ".#....#.", "#......#", "#......#",
          "#......#", "#......#", ".#....#.", "..####.."],
    "P": ["######..", "#.....#.", "#.....#.", "######..",
          "#.......", "#.......", "#.......", "#......."],
    "Q": ["..####..", ".#....#.", "#......#", "#......#",
          "#...#..#", "#....#.#", ".#....#.", "..####.#"],
    "R": ["######..", "#.....#.", "#.....#.", "######..",
          "#...#...", "#....#..", "#.....#.", "#......#"],
    "S": [".######.", "#.......", "#.......", ".#####..",
          "......#.", ".......#", ".......#", "#######."],
    "U": ["#......#", "#......#", "#......#", "#......#",
          "#......#", "#......#", ".#....#.", "..####.."],
    "V": ["#......#", "#......#", ".#....#.", ".#....#.",
          "..#..#..", "..#..#..", "...##...", "...##..."],
    "W": ["#......#", "#......#", "#......#", "#......#",
          "#..##..#", "#.#..#.#", "##....##", "#......#"],
    "Y": ["#......#", ".#....#.", "..#..#..", "...##...",
          "...##...", "...##...", "...##...", "...##..."],
    "Z": ["########", "......#.", ".....#..", "....#...",
          "...#....", "..#.....", ".#......", "########"],
}
NOISE26 = 6     # pixels flipped in each letter's one noisy copy
NOISE = 8       # pixels flipped per copy
COPIES = 2


def hamming(a, b):
    return sum(x != y for x, y in zip(a, b))


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
    # the whole alphabet, one noisy copy each, from a generator of its own
    # (letters.csv and letters-noisy.csv stay as they were)
    every = dict(LETTERS, **MORE)
    pats = [[1 if c == "#" else -1 for line in every[k] for c in line]
            for k in sorted(every)]
    rng = random.Random(2026)
    noisy = []
    for p in pats:
        # a copy nearer another letter than its own (O and Q differ in 3
        # pixels) is that letter's to any memory: draw again
        while True:
            q = list(p)
            for i in rng.sample(range(64), NOISE26):
                q[i] = -q[i]
            if all(hamming(q, r) > NOISE26 for r in pats if r is not p):
                break
        noisy.append(q)
    write(os.path.join(out, "letters26.csv"), pats)
    write(os.path.join(out, "letters26-noisy.csv"), noisy)


if __name__ == "__main__":
    main()
