#!/usr/bin/python3
"""The figures of issue 20 from tools/bench/levers' arms (DIR/<arm>/ each a quarry simulate
output): for every arm and strategy, the labels it needs to reach the accuracy that random
selection with plain supervised training (arm `plain`, strategy random) reaches with all its
labels, seed by seed, and the saving; the same against random with FixMatch (arm `fixmatch`);
accuracy at the first two label counts (the cold start); the stopping round against the round
where the test curve flattens; the audit's flag precision and recall and its accuracy gain over
`noisy`. Mean and standard deviation over seeds; arms not run yet are left out, arms still
running count their finished runs.

  tools/bench/levers_summary.py DIR
"""
import csv
import glob
import os
import statistics
import sys

import h5py  # tools/setup installs it (python3-h5py)

FLAT = 0.005  # a curve has flattened once it is within half a point of its final accuracy
# The stopping criterion's kappa thresholds to report (simulate's default 0.99 first), each with
# simulate's default window of 3 successive rounds.
KAPPAS = (0.99, 0.98, 0.97, 0.95)
WINDOW = 3


def curve_files(arm_dir):
    """The curve.csv of each finished run of the arm: the arm's own curve.csv holds only the
    seeds of its last invocation (SEEDS=3 after SEEDS=1,2), and is missing while it runs."""
    return sorted(glob.glob(os.path.join(arm_dir, "runs", "*", "seed-*", "curve.csv")))


def read_curves(arm_dir, cost="labels"):
    """{(strategy, seed): [(cost, accuracy), ...] in round order} of one arm; cost is a column
    of curve.csv: labels, or votes (the answers bought, the audit's second answers included)."""
    curves = {}
    rows = [row for path in curve_files(arm_dir) for row in csv.DictReader(open(path))]
    for row in rows:
        key = (row["strategy"], int(row["seed"]))
        curves.setdefault(key, []).append((int(row["round"]), int(row[cost]),
                                           float(row["accuracy"])))
    return {k: [(l, a) for _, l, a in sorted(v)] for k, v in curves.items()}


def labels_to_reach(curve, target):
    """Cost (labels or votes) at which the curve first reaches target, linear between rounds;
    None if never."""
    for i, (labels, acc) in enumerate(curve):
        if acc >= target:
            if i == 0:
                return float(labels)
            l0, a0 = curve[i - 1]
            return l0 + (labels - l0) * (target - a0) / (acc - a0)
    return None


def spread(values, fmt="{:.2f}"):
    if not values:
        return "-"
    if len(values) == 1:
        return fmt.format(values[0])
    return (fmt + " +- " + fmt).format(statistics.mean(values), statistics.stdev(values))


def saving_rows(arms, votes, baseline_arm, baseline_strategy):
    """Per arm and strategy: labels and votes needed to reach the baseline's final accuracy
    (seed by seed), the saving in labels, and the final accuracy."""
    base = arms.get(baseline_arm, {})
    targets = {seed: c[-1] for (s, seed), c in base.items() if s == baseline_strategy}
    if not targets:
        return []
    rows = []
    for arm, curves in arms.items():
        for strategy in sorted({s for s, _ in curves}):
            needed, votes_needed, saving, finals = [], [], [], []
            seeds = sorted(seed for s, seed in curves if s == strategy)
            for seed in seeds:
                if seed not in targets:
                    continue
                curve = curves[(strategy, seed)]
                finals.append(curve[-1][1])
                got = labels_to_reach(curve, targets[seed][1])
                if got is not None:
                    needed.append(got)
                    saving.append(targets[seed][0] / got)
                    votes_needed.append(labels_to_reach(votes[arm][(strategy, seed)],
                                                        targets[seed][1]))
            rows.append((arm, strategy, f"{len(needed)}/{len(finals)}", spread(needed, "{:.0f}"),
                         spread(votes_needed, "{:.0f}"), spread(saving),
                         spread(finals, "{:.4f}")))
    return rows


def print_table(title, header, rows):
    print(f"\n{title}")
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    for row in [header] + rows:
        print("  ".join(str(x).ljust(w) for x, w in zip(row, widths)))


def fires_at(kappas, threshold):
    """The round the criterion fires: the third of 3 successive rounds at or above threshold."""
    streak = 0
    for rnd, kappa in kappas:
        streak = streak + 1 if kappa >= threshold else 0
        if streak >= WINDOW:
            return rnd
    return None


def stopping_rows(arm_dir, curves):
    """Per run with a stopping.csv: the round the criterion fires at each of KAPPAS (window 3)
    and the round the test curve flattens."""
    rows = []
    for (strategy, seed), curve in sorted(curves.items()):
        path = os.path.join(arm_dir, "runs", strategy, f"seed-{seed}", "stopping.csv")
        if not os.path.exists(path):
            continue
        kappas = [(int(r["round"]), float(r["kappa"])) for r in csv.DictReader(open(path))]
        if not kappas:
            continue  # a run of one round has no two successive rounds to compare
        fired = [fires_at(kappas, t) for t in KAPPAS]
        final = curve[-1][1]
        flat = next(i for i, (_, acc) in enumerate(curve) if final - acc <= FLAT)
        rows.append((strategy, seed) + tuple("-" if f is None else f for f in fired) +
                    (flat, " ".join(f"{k:.3f}" for _, k in kappas)))
    return rows


def audit_rows(arm_dir):
    rows = []
    runs = os.path.join(arm_dir, "runs")
    if not os.path.isdir(runs):
        return rows
    for strategy in sorted(os.listdir(runs)):
        for seed_dir in sorted(os.listdir(os.path.join(runs, strategy))):
            path = os.path.join(runs, strategy, seed_dir, "audit.csv")
            finished = os.path.join(runs, strategy, seed_dir, "curve.csv")
            if not os.path.exists(path) or not os.path.exists(finished):
                continue
            data = list(csv.DictReader(open(path)))
            if not data:
                continue
            wrong = sum(int(r["wrong"]) for r in data)
            labels = sum(int(r["labels"]) for r in data)
            flagged = sum(int(r["flagged"]) for r in data)
            caught = sum(int(r["wrong_flagged"]) for r in data)
            rows.append((strategy, seed_dir, f"{wrong / max(1, labels):.3f}",
                         f"{caught / max(1, flagged):.3f}", f"{caught / max(1, wrong):.3f}"))
    return rows


def ledger_wrong_share(run_dir, truth):
    """Share of the run's final ledger labels that differ from the pool's ground truth."""
    path = os.path.join(run_dir, "labels.h5")
    if not os.path.exists(path) or not os.path.exists(os.path.join(run_dir, "curve.csv")):
        return None
    with h5py.File(path, "r") as ledger:
        ids, labels = ledger["ids"][:], ledger["labels"][:]
    wrong = sum(int(label != truth[int(i)]) for i, label in zip(ids, labels))
    return wrong / max(1, len(ids))


def wrong_label_rows(top, arms):
    """Per finished run of `noisy` and `audit`: the wrong share of its final ledger."""
    pool = os.path.join(top, "..", "fashion-mnist-train.h5")
    if not os.path.exists(pool):
        return []
    with h5py.File(pool, "r") as f:
        truth = dict(zip((int(i) for i in f["ids"][:]), f["labels"][:]))
    rows = []
    for arm in ("noisy", "audit"):
        for strategy, seed in sorted(arms.get(arm, {})):
            share = ledger_wrong_share(
                os.path.join(top, arm, "runs", strategy, f"seed-{seed}"), truth)
            if share is not None:
                rows.append((arm, strategy, seed, f"{share:.3f}"))
    return rows


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    top = sys.argv[1]
    arms, votes = {}, {}
    for arm in ("plain", "typiclust", "noisy", "audit", "fixmatch", "together"):
        curves = read_curves(os.path.join(top, arm))
        if curves:
            arms[arm] = curves
            votes[arm] = read_curves(os.path.join(top, arm), "votes")
    if "plain" not in arms:
        sys.exit(f"levers_summary: {top}/plain/curve.csv is missing: run the plain arm first")
    header = ("arm", "strategy", "seeds reaching", "labels needed", "votes needed", "saving",
              "final accuracy")
    print_table("Against random selection with supervised training (plain/random's final accuracy)",
                header, saving_rows(arms, votes, "plain", "random"))
    if "fixmatch" in arms:
        print_table("Against random selection with FixMatch (fixmatch/random's final accuracy)",
                    header, saving_rows(arms, votes, "fixmatch", "random"))
    cold = []
    for arm in ("plain", "typiclust"):
        for (strategy, seed), curve in sorted(arms.get(arm, {}).items()):
            if strategy == "random":
                cold.append((arm, seed) + tuple(f"{l}:{a:.4f}" for l, a in curve[:2]))
    if cold:
        print_table("Cold start: random's accuracy at the first two label counts",
                    ("arm", "seed", "first", "second"), cold)
    stops = stopping_rows(os.path.join(top, "plain"), arms["plain"])
    if stops:
        print_table("Stopping: round the criterion fires (kappa >= K for 3 rounds; - never) vs "
                    "round the curve is within 0.5 points of its final accuracy",
                    ("strategy", "seed") + tuple(f"K={t}" for t in KAPPAS) + ("flat", "kappas"),
                    stops)
    audits = audit_rows(os.path.join(top, "audit"))
    if audits:
        print_table("Audit: share of wrong ledger labels, flag precision and recall (all rounds)",
                    ("strategy", "seed", "wrong", "precision", "recall"), audits)
    wrong = wrong_label_rows(top, arms)
    if wrong:
        print_table("Wrong labels in the final ledger (against the pool's ground truth)",
                    ("arm", "strategy", "seed", "wrong share"), wrong)
    if "audit" in arms and "noisy" in arms:
        gain = []
        for key, curve in sorted(arms["audit"].items()):
            if key in arms["noisy"]:
                gain.append(curve[-1][1] - arms["noisy"][key][-1][1])
        print(f"\nAudit's final accuracy minus noisy's: {spread(gain, '{:+.4f}')}")


if __name__ == "__main__":
    main()
