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
        group = cols[6] if len(cols) > 6 and cols[6] not in ("", "-") else None
        labels[(check, project, file, service, key)] = (label, group)

projects = []
for line in open(manifest_path, encoding="utf-8"):
    if line.startswith("#") or not line.strip():
        continue
    projects.append(line.split("\t")[0])

found = set()
lines_of = defaultdict(set)
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
        if f.get("line"):
            lines_of[row].add(f["line"])
        if row in found:
            continue
        found.add(row)
        if row not in labels:
            unlabelled.append((row, f["message"]))

tp, fp, fn = defaultdict(int), defaultdict(int), defaultdict(int)
ran = set(projects)
# A group is one problem: its first row found is a true positive, every further one a duplicate (false).
groups_found = set()
for row in sorted(found):
    label, group = labels.get(row, ("?", None))
    if label == "T" and group is None:
        tp[row[0]] += 1
    elif label == "T" and group not in groups_found:
        groups_found.add(group)
        tp[row[0]] += 1
    else:
        fp[row[0]] += 1
groups_missed = set()
for row, (label, group) in labels.items():
    if label != "T" or row[1] not in ran or row in found:
        continue
    if group is None:
        fn[row[0]] += 1
    elif group not in groups_found and group not in groups_missed:
        groups_missed.add(group)
        fn[row[0]] += 1

with open(unlabelled_out, "w", encoding="utf-8") as out:
    for row, message in unlabelled:
        out.write("?\t" + "\t".join(row) + "\t" + message + "\n")
if unlabelled:
    print(f"score: {len(unlabelled)} findings have no label (counted as false): {os.path.normpath(unlabelled_out)}")

# gitleaks beside the secret-value checks (when bench/corpus.sh ran it): a true problem of one of those checks is
# found by gitleaks when one of its findings is in the same file on the line of ours (or on a line naming the key).
VALUE_CHECKS = {"weak-secret", "secret-inline", "example-has-secret", "secret-reused", "secret-in-command",
                "secret-in-git-history"}
dirs = {}
for line in open(manifest_path, encoding="utf-8"):
    if not line.startswith("#") and line.strip():
        cols = line.rstrip("\n").split("\t")
        dirs[cols[0]] = cols[3]
leaks = defaultdict(list)
for project in projects:
    path = os.path.join(reports_dir, project + ".gitleaks.json")
    if not os.path.exists(path):
        continue
    root = os.path.normpath(os.path.join(reports_dir, "..", "projects", project, dirs[project]))
    for hit in json.load(open(path, encoding="utf-8")) or []:
        rel = os.path.relpath(os.path.normpath(hit["File"]), root)
        leaks[(project, rel)].append((hit.get("StartLine"), hit.get("Match") or ""))
gl_found, gl_total = defaultdict(set), defaultdict(set)
for row, (label, group) in labels.items():
    if label != "T" or row[0] not in VALUE_CHECKS or row[1] not in ran:
        continue
    problem = group or row
    gl_total[row[0]].add(problem)
    hits = leaks.get((row[1], row[3]), [])
    if any(line in lines_of[row] or (row[4] != "-" and row[4] in match) for line, match in hits):
        gl_found[row[0]].add(problem)
have_gitleaks = bool(leaks) or any(os.path.exists(os.path.join(reports_dir, p + ".gitleaks.json")) for p in projects)

checks = sorted(set(tp) | set(fp) | set(fn))
gl_head = f" {'gitleaks':>9}" if have_gitleaks else ""
print(f"{'check':<24} {'TP':>4} {'FP':>4} {'FN':>4} {'precision':>10} {'recall':>8}{gl_head}")
def pct(a, b):
    return f"{100 * a / b:.1f}%" if b else "-"
def gl(c):
    if not have_gitleaks:
        return ""
    return f" {str(len(gl_found[c])) + '/' + str(len(gl_total[c])) if c in gl_total else '-':>9}"
for c in checks:
    print(f"{c:<24} {tp[c]:>4} {fp[c]:>4} {fn[c]:>4} {pct(tp[c], tp[c] + fp[c]):>10} {pct(tp[c], tp[c] + fn[c]):>8}{gl(c)}")
T, F, N = sum(tp.values()), sum(fp.values()), sum(fn.values())
print(f"{'all':<24} {T:>4} {F:>4} {N:>4} {pct(T, T + F):>10} {pct(T, T + N):>8}")
if have_gitleaks:
    hits = sum(len(v) for v in leaks.values())
    found = sum(len(v) for v in gl_found.values())
    total = sum(len(v) for v in gl_total.values())
    print(f"gitleaks column: true secret-value problems gitleaks also reports (same file and line): "
          f"{found}/{total} ({pct(found, total)}); gitleaks reported {hits} findings in all")
