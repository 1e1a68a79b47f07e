#!/usr/bin/env python3
"""Scores `qshard predict backtest --predictions-out DIR` files against the raw traces, independently of the
Java harness (standard library only).

For every prediction row (t, predicted_peak, hotspot_probability) the actual outcome is the maximum cpu_pct of the
trace's samples in (t, t + horizon]; rows whose window holds no sample are not scored. Prints, per source (file-name
prefix before '-') and overall: points, under-prediction rate, over-provisioning (mean of predicted - actual where
predicted > actual), and hotspot precision / recall / F1 with "probability >= cut" against "actual > threshold".

usage: score-predictions.py TRACES_DIR PREDICTIONS_DIR [--horizon 1800] [--threshold 80] [--cut 0.35]
"""
import argparse
import bisect
import collections
import csv
import os


def load_trace(path):
    times, values = [], []
    with open(path) as f:
        for row in csv.reader(f):
            try:
                t, v = int(row[0]), float(row[1])
            except (ValueError, IndexError):
                continue  # header or malformed row (the harness skips them too)
            if v < 0 or v != v or (times and t <= times[-1]):
                continue
            times.append(t)
            values.append(v)
    return times, values


def window_max(times, values, t, horizon):
    lo = bisect.bisect_right(times, t)
    hi = bisect.bisect_right(times, t + horizon)
    return max(values[lo:hi]) if hi > lo else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("traces")
    ap.add_argument("predictions")
    ap.add_argument("--horizon", type=int, default=1800)
    ap.add_argument("--threshold", type=float, default=80)
    ap.add_argument("--cut", type=float, default=0.35)
    a = ap.parse_args()
    stats = collections.defaultdict(lambda: collections.Counter())
    for name in sorted(os.listdir(a.predictions)):
        if not name.endswith(".csv"):
            continue
        times, values = load_trace(os.path.join(a.traces, name))
        source = name[:-4].split("-")[0]
        with open(os.path.join(a.predictions, name)) as f:
            for row in csv.DictReader(f):
                t = int(row["timestamp_s"])
                actual = window_max(times, values, t, a.horizon)
                if actual is None or row["predicted_peak"] == "":
                    continue
                peak = float(row["predicted_peak"])
                hot_predicted = float(row["hotspot_probability"]) >= a.cut
                hot = actual > a.threshold
                for key in (source, "overall"):
                    s = stats[key]
                    s["points"] += 1
                    s["under"] += actual > peak
                    if peak > actual:
                        s["over"] += 1
                        s["over_sum"] += peak - actual
                    s["tp"] += hot_predicted and hot
                    s["fp"] += hot_predicted and not hot
                    s["fn"] += hot and not hot_predicted
    print("| source | points | under-prediction | over-provisioning | precision | recall | F1 |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for key in sorted(stats, key=lambda k: (k == "overall", k)):
        s = stats[key]
        precision = s["tp"] / (s["tp"] + s["fp"]) if s["tp"] + s["fp"] else float("nan")
        recall = s["tp"] / (s["tp"] + s["fn"]) if s["tp"] + s["fn"] else float("nan")
        f1 = 2 * s["tp"] / (2 * s["tp"] + s["fp"] + s["fn"]) if s["tp"] + s["fp"] + s["fn"] else float("nan")
        print(f"| {key} | {s['points']} | {100 * s['under'] / s['points']:.1f}% | "
              f"{s['over_sum'] / max(1, s['over']):.2f} | {precision:.3f} | {recall:.3f} | {f1:.3f} |")


if __name__ == "__main__":
    main()
