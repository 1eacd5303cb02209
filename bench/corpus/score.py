#!/usr/bin/env python3
"""Scores corpus reports against hand labels: precision and recall per check (see bench/corpus.sh)."""
import json
import os
import sys
from collections import defaultdict

labels_path, reports_dir, manifest_path = sys.argv[1:4]
unlabelled_out = os.path.join(reports_dir, "..", "unlabelled.tsv")

labels = {}
if os.path.exists(labels_path):
    for line in open(labels_path, encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        cols = line.rstrip("\n").split("\t")
        label, check, project, file, service, key = cols[:6]
        labels[(check, project, file, service, key)] = label

projects = []
for line in open(manifest_path, encoding="utf-8"):
    if line.startswith("#") or not line.strip():
        continue
    projects.append(line.split("\t")[0])

found = set()
unlabelled = []
for project in projects:
    path = os.path.join(reports_dir, project + ".json")
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        continue
    try:
        report = json.load(open(path, encoding="utf-8"))
    except json.JSONDecodeError:
        continue
    for f in report.get("findings", []):
        if f["severity"] not in ("error", "warning"):
            continue
        row = (f["check"], project, f.get("file") or "-", f.get("service") or "-", f.get("key") or "-")
        if row in found:
            continue
        found.add(row)
        if row not in labels:
            unlabelled.append((row, f["message"]))

tp, fp, fn = defaultdict(int), defaultdict(int), defaultdict(int)
ran = set(projects)
for row in found:
    if labels.get(row) == "T":
        tp[row[0]] += 1
    else:
        fp[row[0]] += 1
for row, label in labels.items():
    if label == "T" and row not in found and row[1] in ran:
        fn[row[0]] += 1

with open(unlabelled_out, "w", encoding="utf-8") as out:
    for row, message in unlabelled:
        out.write("?\t" + "\t".join(row) + "\t" + message + "\n")
if unlabelled:
    print(f"score: {len(unlabelled)} findings have no label (counted as false): {os.path.normpath(unlabelled_out)}")

checks = sorted(set(tp) | set(fp) | set(fn))
print(f"{'check':<24} {'TP':>4} {'FP':>4} {'FN':>4} {'precision':>10} {'recall':>8}")
def pct(a, b):
    return f"{100 * a / b:.1f}%" if b else "-"
for c in checks:
    print(f"{c:<24} {tp[c]:>4} {fp[c]:>4} {fn[c]:>4} {pct(tp[c], tp[c] + fp[c]):>10} {pct(tp[c], tp[c] + fn[c]):>8}")
T, F, N = sum(tp.values()), sum(fp.values()), sum(fn.values())
print(f"{'all':<24} {T:>4} {F:>4} {N:>4} {pct(T, T + F):>10} {pct(T, T + N):>8}")
