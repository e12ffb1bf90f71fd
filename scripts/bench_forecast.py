#!/usr/bin/python3
"""bench_forecast.py - rnnkit's forecasting recipe against the simple and
the classical forecasts (make bench-forecast; not part of make check).

usage: bench_forecast.py [-k] [--dev | --steady-season] [--series NAME,...]
                         [--seeds N] [--train-args 'ARGS']

--dev runs the development set instead (dev_series() below): synthetic
series of known kinds, made with a fixed seed, and real series the test
set leaves out, on which rnn-train's defaults are chosen. --series takes
names, a name ending in * every series it begins. --steady-season runs
six synthetic series of a steady season on a steady level instead
(steady_season_series()), a development measurement of --transform
auto's seasonal rule. The public series are the test set: nothing is tuned
on them. --train-args replaces the recipe's options (not -q, --seed, -o
and --period) for experiments, e.g. --train-args '--hidden 16'; {E} in it
is replaced by the value of the Python expression E in the series' period
P, e.g. --train-args '--window {2*P}'.

Data: public-domain series that ship with Debian's python3-statsmodels
(statsmodels/datasets/*/data.py give their sources): elec_equip (monthly),
elnino (monthly, flattened), co2 (weekly, averaged into months, the five
empty months interpolated), nile and sunspots (annual), macrodata columns
and danish_data columns (quarterly). They are written as one-column CSV
files into a scratch directory (removed at the end unless -k), never into
the repository.

Split: a monthly series holds out its last 24 points, the others their last
20 %. Everything is fitted on the training part only.

Methods, each giving one-step forecasts over the held-out part (true history
known, the fitted parameters kept) and a multi-step forecast from the end of
the training part:
  last value   y[t-1]; the last training value
  seasonal     y[t-P]; the last training period repeated (P = 1: last value)
  mean         the training mean
  ETS          statsmodels ExponentialSmoothing, additive trend, additive
               season when P > 1, initial states estimated
  ARIMA        statsmodels SARIMAX: (1,1,1)(0,1,1,P) when P > 1, else the
               order (p,d,q), p, q <= 2, d <= 1, with the lowest AIC
  rnnkit       rnn-train -q --period P, every other option at its default
               (the files have no time column); rnn-predict --align
               on the whole series for the one-step part (row t's
               prediction from the rows before it), rnn-predict --forecast for the multi-step one

Scores: RMSE per series, method and kind; the share of held-out points
inside rnnkit's 80% intervals (rnn-predict --interval 80; seed 1, pooled
and per series, then over the seeds: pooled, the mean of the series'
shares, their mean distance from 80%, and the geometric mean over series
of the intervals' mean half-width over the RMSE of the same predictions,
1.28 for exact intervals of normal errors); per method the number of series
it wins (lowest RMSE of all methods), the number where it beats the best of
the three simple forecasts (last value, seasonal, mean, chosen per series on
the held-out part, an oracle), and the geometric mean over series of its
RMSE divided by that best simple RMSE (ties count as wins for each method).
The tables use rnn-train's default seed, 1; then the recipe is run again
with seeds 2 ... N (--seeds, default 5) and the spread of its summary over
the seeds is printed. Printed as Markdown on stdout, progress on stderr.
The tools rnn-train and rnn-predict are taken from PATH.
"""
import argparse
import gzip
import importlib
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np

from statsmodels.tsa.holtwinters import ExponentialSmoothing  # noqa: E402
from statsmodels.tsa.statespace.sarimax import SARIMAX  # noqa: E402

# statsmodels asks for its ConvergenceWarning "always" on import: after it
warnings.simplefilter("ignore")

METHODS = ["last value", "seasonal", "mean", "ETS", "ARIMA", "rnnkit"]
SIMPLE = ["last value", "seasonal", "mean"]


def dataset(name):
    return importlib.import_module("statsmodels.datasets." + name).load_pandas().data


def load_series():
    """[(name, values, period, monthly)]"""
    out = []
    d = dataset("elec_equip")
    out.append(("elec_equip", d.iloc[:, 0].to_numpy(float), 12, True))
    d = dataset("elnino")
    out.append(("elnino", d.iloc[:, 1:].to_numpy(float).ravel(), 12, True))
    d = dataset("co2")
    c = d["co2"].resample("MS").mean().interpolate()
    out.append(("co2 (monthly)", c.to_numpy(float), 12, True))
    out.append(("nile", dataset("nile")["volume"].to_numpy(float), 1, False))
    out.append(("sunspots", dataset("sunspots")["SUNACTIVITY"].to_numpy(float), 1, False))
    d = dataset("macrodata")
    for col in ["realgdp", "realcons", "realinv", "cpi", "m1", "unemp",
                "tbilrate", "infl"]:
        out.append(("macrodata " + col, d[col].to_numpy(float), 4, False))
    d = dataset("danish_data")
    for col in ["lrm", "lry"]:
        out.append(("danish " + col, d[col].to_numpy(float), 4, False))
    return out


def dev_series():
    """The development set: [(name, values, period, monthly)], synthetic
    series of the kinds users bring (trend, season, both, noise, a level
    shift, a random walk, cycles, counts), 60 to 480 rows, made with a
    fixed seed, and the real quarterly series of the same statsmodels
    datasets that the test set leaves out (macrodata realgovt, realdpi,
    pop, realint; danish_data lpy, ibo, ide; interest_inflation Dp, R),
    and short trending annual ones: 16 countries' fertility rates
    (statsmodels' fertility, 52 years; testdata/README.md).
    rnn-train's defaults are chosen on these; the public series of
    load_series() are never used to choose anything."""
    g = np.random.default_rng(20261202)
    out = []

    def season(n, P, amp):
        return amp * np.sin(2 * np.pi * np.arange(n) / P + g.uniform(0, 6.3))

    for n in (72, 144, 240, 480):       # monthly: trend + season + noise
        t = np.arange(n)
        y = 50 + 0.3 * t + season(n, 12, 8) + g.normal(0, 2, n)
        out.append(("trend+season %d" % n, y, 12, True))
    for n in (96, 216):                 # multiplicative season, growth
        t = np.arange(n)
        y = (100 + 1.5 * t) * (1 + 0.15 * np.sin(2 * np.pi * t / 12)) \
            * np.exp(g.normal(0, 0.03, n))
        out.append(("airline-like %d" % n, y, 12, True))
    n = 160                             # quarterly trend + season
    t = np.arange(n)
    out.append(("quarterly", 20 + 0.2 * t + season(n, 4, 3) + g.normal(0, 1, n),
                 4, False))
    for n in (80, 300):                 # random walk with drift
        out.append(("random walk %d" % n, 100 + np.cumsum(0.4 + g.normal(0, 2, n)),
                    1, False))
    for n in (120, 400):                # AR(2), stationary
        y = np.zeros(n + 50)
        e = g.normal(0, 1, n + 50)
        for i in range(2, n + 50):
            y[i] = 0.6 * y[i - 1] - 0.3 * y[i - 2] + e[i]
        out.append(("AR(2) %d" % n, 10 + y[50:], 1, False))
    n = 200                             # an 11-step cycle (sunspot-like)
    t = np.arange(n)
    out.append(("cycle 11", 60 + 40 * np.abs(np.sin(np.pi * t / 11)) +
                g.normal(0, 6, n), 1, False))
    n = 150                             # a level shift in the training part
    y = 30 + g.normal(0, 1.5, n)
    y[90:] += 12
    out.append(("level shift", y, 1, False))
    n = 100                             # white noise: the mean is best
    out.append(("white noise", 5 + g.normal(0, 1, n), 1, False))
    n = 180                             # counts with a season
    t = np.arange(n)
    lam = 8 + 5 * np.sin(2 * np.pi * t / 12)
    out.append(("counts", g.poisson(lam).astype(float), 12, True))
    n = 260                             # damped trend, weekly-like period 7
    t = np.arange(n)
    y = 40 + 30 * (1 - np.exp(-t / 80)) + season(n, 7, 4) + g.normal(0, 1.5, n)
    out.append(("damped+weekly", y, 7, False))
    d = dataset("macrodata")
    for col in ["realgovt", "realdpi", "pop", "realint"]:
        out.append(("macrodata " + col, d[col].to_numpy(float), 4, False))
    d = dataset("danish_data")
    for col in ["lpy", "ibo", "ide"]:
        out.append(("danish " + col, d[col].to_numpy(float), 4, False))
    d = dataset("interest_inflation")
    for col in ["Dp", "R"]:
        out.append(("interest_inflation " + col, d[col].to_numpy(float), 4, False))
    # short trending annual series: the World Bank's total fertility
    # rate, 1960-2011 (52 years; 2012 and 2013 are empty), of every 12th
    # row of the file (1st, 13th, ...) among the 192 with all 52 years
    d = dataset("fertility")
    years = [str(y) for y in range(1960, 2012)]
    v = d[years].to_numpy(float)
    full = np.flatnonzero(~np.isnan(v).any(axis=1))
    for i in full[::12]:
        out.append(("fertility " + d["Country Code"].iloc[i], v[i], 1, False))
    return out


def steady_season_series():
    """--steady-season: six synthetic series with a strong, steady season
    on a steady level (the kind on which --transform auto takes no
    seasonal difference), made with a fixed seed; a development
    measurement of that rule, apart from --dev's set."""
    g = np.random.default_rng(20261203)
    out = []
    for n in (120, 240, 480):           # season + AR(1) noise
        t = np.arange(n)
        e = np.zeros(n)
        z = g.normal(0, 1.5, n)
        for i in range(1, n):
            e[i] = 0.5 * e[i - 1] + z[i]
        out.append(("steady season %d" % n, 30 + 6 * np.sin(
            2 * np.pi * t / 12 + g.uniform(0, 6.3)) + e, 12, True))
    for n in (144, 360):                # a season whose amplitude drifts
        t = np.arange(n)
        amp = 5 + 2 * np.sin(2 * np.pi * t / (n * 0.7))
        y = 50 + amp * np.sin(2 * np.pi * t / 12) + \
            2 * np.cos(4 * np.pi * t / 12) + g.normal(0, 1, n)
        out.append(("drifting season %d" % n, y, 12, True))
    n = 300                             # period 7
    t = np.arange(n)
    out.append(("steady weekly", 20 + np.array([0, 1, 3, 2, 5, -4, -6])[t % 7]
                + g.normal(0, 1, n), 7, False))
    return out


def rmse(f, y):
    f = np.asarray(f, float)
    return float(np.sqrt(np.mean((f - y) ** 2)))


def simple(y, n, P):
    """{method: (one-step, multi-step)} for the held-out part y[n:]"""
    h = len(y) - n
    last = (y[n - 1:-1], np.full(h, y[n - 1]))
    seas = (y[n - P:len(y) - P], np.array([y[n - P + (k % P)] for k in range(h)]))
    m = y[:n].mean()
    return {"last value": last, "seasonal": seas,
            "mean": (np.full(h, m), np.full(h, m))}


def ets(y, n, P):
    kw = dict(trend="add", seasonal="add" if P > 1 else None,
              seasonal_periods=P if P > 1 else None)
    r = ExponentialSmoothing(y[:n], initialization_method="estimated", **kw).fit()
    p = r.params
    known = dict(initial_level=p["initial_level"], initial_trend=p["initial_trend"])
    fixed = dict(smoothing_level=p["smoothing_level"],
                 smoothing_trend=p["smoothing_trend"])
    if P > 1:
        known["initial_seasonal"] = p["initial_seasons"]
        fixed["smoothing_seasonal"] = p["smoothing_seasonal"]
    # the same model and states run over the whole series: one-step forecasts
    r2 = ExponentialSmoothing(y, initialization_method="known", **known,
                              **kw).fit(optimized=False, **fixed)
    return r2.fittedvalues[n:], r.forecast(len(y) - n)


def arima(y, n, P):
    if P > 1:
        r = SARIMAX(y[:n], order=(1, 1, 1), seasonal_order=(0, 1, 1, P)).fit(disp=False)
    else:
        best = None
        for d in (0, 1):
            for p in range(3):
                for q in range(3):
                    try:
                        c = SARIMAX(y[:n], order=(p, d, q),
                                    trend="c" if d == 0 else "n").fit(disp=False)
                    except Exception:
                        continue
                    if np.isfinite(c.aic) and (best is None or c.aic < best.aic):
                        best = c
        r = best
    one = r.apply(y).get_prediction(start=n).predicted_mean
    return one, r.forecast(len(y) - n)


def write_csv(path, v):
    with open(path, "w") as f:
        f.write("value\n")
        for x in v:
            f.write(repr(float(x)) + "\n")


def read_col(text):
    return np.array([float(line) for line in text.splitlines()[1:]])


TRAIN_ARGS = None   # --train-args


def rnnkit(y, n, P, tmp, tag, seed):
    h = len(y) - n
    recipe = ["--period", str(P)]
    if TRAIN_ARGS is not None:
        # {expression} in P, the series' period: --window {2*P}
        args = re.sub(r"\{([^}]*)\}",
                      lambda e: str(eval(e.group(1), {"P": P, "max": max})),
                      TRAIN_ARGS)
        recipe = args.split() + ["--period", str(P)]
    train, full, model = (os.path.join(tmp, tag + s) for s in
                          ("-train.csv", "-full.csv", "-model.gz"))
    write_csv(train, y[:n])
    write_csv(full, y)
    subprocess.run(["rnn-train", "-q"] + recipe + ["--seed", str(seed), "-o",
                                                   model, train], check=True)
    def predict(args):
        """rows of floats, with --interval 80 when the model has the
        residuals for it (a series too short for a validation part has
        none, a short one too few steps for a long forecast): (rows, 1),
        else without: (rows, 0)"""
        for iv in (["--interval", "80"], []):
            r = subprocess.run(["rnn-predict", "-m", model] + args[:-1] + iv +
                               args[-1:], capture_output=True, text=True)
            if r.returncode == 0:
                return r.stdout.splitlines()[1:], len(iv) > 0
        r.check_returncode()

    # --align: row t's prediction from the rows before it, whatever
    # history the model's transform needs
    rows, iv1 = predict(["--align", full])
    one = np.array([[float(c) for c in r.split(",")[1:]]
                    for r in rows[n:len(y)]])
    rows, ok = predict(["--forecast", str(h), train])
    multi = np.array([[float(c) for c in r.split(",")] for r in rows])
    fm = multi if ok else None
    k = 0 if ok else steps_kept(model)
    if k:
        # the steps the model keeps residuals for
        rows, ok = predict(["--forecast", str(min(k, h)), train])
        if ok:
            fm = np.array([[float(c) for c in r.split(",")] for r in rows])
    for kind, f in (("one-step", one if iv1 else None), ("multi-step", fm)):
        c = COVER.setdefault(seed, {"one-step": [0, 0, 0, 0],
                                    "multi-step": [0, 0, 0, 0]})[kind]
        if f is not None:
            t = y[n:n + len(f)]
            hit = int(np.sum((f[:, 1] <= t) & (t <= f[:, 2])))
            c[0] += hit
            c[1] += len(f)
            c[2] += 1
            COVSER.setdefault(seed, {}).setdefault(kind, {})[tag] = \
                hit / len(f)
            # the mean half-width over the RMSE of the same points
            WIDTH.setdefault(seed, {}).setdefault(kind, {})[tag] = \
                np.mean(f[:, 2] - f[:, 1]) / 2 / max(rmse(f[:, 0], t), 1e-300)
        else:
            c[3] += 1
    return one[:, 0], multi[:, 0]


# per seed and kind: hits, points, series with intervals, series without
COVER = {}
# per seed, kind and series (tag): the share of its points covered, and
# the intervals' mean half-width over the RMSE of the same predictions
# (1.28 for exact intervals of normal errors)
COVSER = {}
WIDTH = {}


def steps_kept(model):
    """the forecast steps a model has 80% intervals for (0: none): those
    it keeps residuals for with at least 4 validation windows (step h
    has windows - h + 1)"""
    kv = {}
    with gzip.open(model, "rt", errors="replace") as f:
        for line in f:
            if line.strip() == "end":
                break
            k, _, v = line.partition(": ")
            kv[k] = v.strip()
    if "interval-steps" not in kv:
        return 0
    return max(0, min(int(kv["interval-steps"]),
                      int(kv["interval-windows"]) - 3))


def held_out(y, monthly):
    return 24 if monthly else int(round(0.2 * len(y)))


def summary(rows, m):
    """method m: series where it beats the best simple forecast (one-step,
    multi-step), geometric-mean RMSE ratio to it (one-step, multi-step)"""
    out = []
    for k in ("one-step", "multi-step"):
        out.append(sum(1 for _, _, _, _, r in rows
                       if r[k][m] < min(r[k][s] for s in SIMPLE)))
    for k in ("one-step", "multi-step"):
        lr = [math.log(r[k][m] / min(r[k][s] for s in SIMPLE))
              for _, _, _, _, r in rows]
        out.append(math.exp(sum(lr) / len(lr)))
    return out


def fmtc(c):
    return str(c) if isinstance(c, int) else "%.2f" % c


def fmt(x):
    return "%.3g" % x if x < 1000 else "%.0f" % x


def main():
    tmp = tempfile.mkdtemp(prefix="bench-forecast.")
    keep = "-k" in sys.argv[1:]
    try:
        run(tmp)
    finally:
        if keep:
            print("bench-forecast: files kept in " + tmp, file=sys.stderr)
        else:
            shutil.rmtree(tmp)


def run(tmp):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-k", action="store_true", help="keep the scratch directory")
    ap.add_argument("--series", help="only these series (comma-separated names)")
    ap.add_argument("--dev", action="store_true",
                    help="the development set (synthetic), not the test set")
    ap.add_argument("--steady-season", action="store_true",
                    help="six synthetic steady seasons instead (development)")
    ap.add_argument("--train-args", help="rnn-train options replacing the recipe's")
    ap.add_argument("--seeds", type=int, default=5,
                    help="rnn-train seeds 1..N for the spread (default 5)")
    a = ap.parse_args()
    global TRAIN_ARGS
    TRAIN_ARGS = a.train_args
    t0 = time.time()
    series = (steady_season_series() if a.steady_season else
              dev_series() if a.dev else load_series())
    if a.series:
        keep = a.series.split(",")
        series = [s for s in series if s[0] in keep or any(
            k.endswith("*") and s[0].startswith(k[:-1]) for k in keep)]
    res = {}        # name -> kind -> method -> rmse
    rows = []
    for i, (name, y, P, monthly) in enumerate(series):
        n = len(y) - held_out(y, monthly)
        yt = y[n:]
        f = simple(y, n, P)
        f["ETS"] = ets(y, n, P)
        f["ARIMA"] = arima(y, n, P)
        f["rnnkit"] = rnnkit(y, n, P, tmp, "s%02d" % i, 1)
        r = {k: {m: rmse(f[m][j], yt) for m in METHODS}
             for j, k in enumerate(("one-step", "multi-step"))}
        res[name] = r
        rows.append((name, len(y), n, P, r))
        print("bench-forecast: %s: done (%.0f s)" % (name, time.time() - t0),
              file=sys.stderr)
    print("### RMSE on the held-out part, one-step / multi-step\n")
    print("| series | rows | held out | P | " + " | ".join(METHODS) + " |")
    print("|---" * (4 + len(METHODS)) + "|")
    for name, N, n, P, r in rows:
        cells = ["%s / %s" % (fmt(r["one-step"][m]), fmt(r["multi-step"][m]))
                 for m in METHODS]
        print("| %s | %d | %d | %d | %s |" % (name, N, N - n, P, " | ".join(cells)))
    S = len(rows)
    print("\n### Summary over %d series\n" % S)
    print("| method | wins, one-step | wins, multi-step | beats best simple, "
          "one-step | same, multi-step | geo-mean RMSE ratio to best simple, "
          "one-step | same, multi-step |")
    print("|---|---|---|---|---|---|---|")
    for m in METHODS:
        cells = [sum(1 for _, _, _, _, r in rows if r[k][m] <= min(r[k].values()))
                 for k in ("one-step", "multi-step")]
        cells += [fmtc(c) for c in summary(rows, m)]
        print("| %s | %s |" % (m, " | ".join(str(c) for c in cells)))
    c1, cm = COVER[1]["one-step"], COVER[1]["multi-step"]
    if c1[1] and cm[1]:
        print("\n80%% intervals (`--interval 80`, split conformal), seed 1: "
              "they cover %.0f%% of the held-out points one-step (%d points "
              "of %d series) and %.0f%% multi-step (%d points of %d series, "
              "the steps ahead each model keeps residuals for); %d and %d "
              "series have no validation windows for them."
              % (100.0 * c1[0] / c1[1], c1[1], c1[2], 100.0 * cm[0] / cm[1],
                 cm[1], cm[2], c1[3], cm[3]))
    if COVSER.get(1):
        print("\n80% interval coverage per series, seed 1 (one-step / "
              "multi-step, %): " + "; ".join(
                  "%s %s / %s" % (name, *("%.0f" % (100 * COVSER[1][k][
                      "s%02d" % i]) if "s%02d" % i in COVSER[1].get(k, {})
                      else "-" for k in ("one-step", "multi-step")))
                  for i, (name, _, _, _, _) in enumerate(rows)) + ".")
    if a.seeds > 1:
        spread = [summary(rows, "rnnkit")]
        for seed in range(2, a.seeds + 1):
            rs = []
            for i, (name, y, P, monthly) in enumerate(series):
                n = len(y) - held_out(y, monthly)
                one, multi = rnnkit(y, n, P, tmp, "s%02d" % i, seed)
                r = {k: dict(res[name][k]) for k in res[name]}
                r["one-step"]["rnnkit"] = rmse(one, y[n:])
                r["multi-step"]["rnnkit"] = rmse(multi, y[n:])
                rs.append((name, len(y), n, P, r))
            spread.append(summary(rs, "rnnkit"))
            print("bench-forecast: seed %d: done (%.0f s)" % (seed, time.time() - t0),
                  file=sys.stderr)
        print("\n### rnnkit over seeds 1-%d: lowest - highest\n" % a.seeds)
        print("| beats best simple, one-step | same, multi-step | geo-mean RMSE "
              "ratio, one-step | same, multi-step |")
        print("|---|---|---|---|")
        print("| " + " | ".join("%s - %s" % (fmtc(min(c)), fmtc(max(c)))
                                for c in zip(*spread)) + " |")
        cov = [[100.0 * COVER[s][k][0] / max(1, COVER[s][k][1])
                for s in sorted(COVER)] for k in ("one-step", "multi-step")]
        ser = [[100.0 * np.mean(list(COVSER[s][k].values()))
                for s in sorted(COVSER)] for k in ("one-step", "multi-step")]
        dev = [[100.0 * np.mean([abs(v - 0.8) for v in COVSER[s][k].values()])
                for s in sorted(COVSER)] for k in ("one-step", "multi-step")]
        wid = [[math.exp(np.mean(np.log(list(WIDTH[s][k].values()))))
                for s in sorted(WIDTH)] for k in ("one-step", "multi-step")]
        print("\n80%% intervals over seeds 1-%d: they cover %.0f-%.0f%% of "
              "the held-out points one-step and %.0f-%.0f%% multi-step; "
              "the mean over series of each series' share, %.0f-%.0f%% and "
              "%.0f-%.0f%%; its mean distance from 80%%, %.1f-%.1f and "
              "%.1f-%.1f points; the geometric mean over series of the mean "
              "half-width over the RMSE, %.2f-%.2f and %.2f-%.2f."
              % (a.seeds, min(cov[0]), max(cov[0]), min(cov[1]), max(cov[1]),
                 min(ser[0]), max(ser[0]), min(ser[1]), max(ser[1]),
                 min(dev[0]), max(dev[0]), min(dev[1]), max(dev[1]),
                 min(wid[0]), max(wid[0]), min(wid[1]), max(wid[1])))
        print("\n80%% interval coverage per series over seeds 1-%d "
              "(%%, one-step; multi-step) and the mean half-width over "
              "the RMSE (mean over seeds, one-step / multi-step):\n"
              % a.seeds)
        print("| series | one-step | multi-step | half-width / RMSE |")
        print("|---|---|---|---|")
        for i, (name, _, _, _, _) in enumerate(rows):
            tag = "s%02d" % i
            cells = []
            for k in ("one-step", "multi-step"):
                v = [COVSER[s][k][tag] for s in sorted(COVSER)
                     if tag in COVSER[s].get(k, {})]
                cells.append(" ".join("%.0f" % (100 * x) for x in v) or "-")
            w = ["%.2f" % np.mean([WIDTH[s][k][tag] for s in sorted(WIDTH)
                                   if tag in WIDTH[s].get(k, {})])
                 if any(tag in WIDTH[s].get(k, {}) for s in WIDTH) else "-"
                 for k in ("one-step", "multi-step")]
            print("| %s | %s | %s | %s |" % (name, cells[0], cells[1],
                                            " / ".join(w)))
    print("\nRun time: %.0f s." % (time.time() - t0))


if __name__ == "__main__":
    main()
