#!/usr/bin/env python3
"""Rows of the benchmark table (a TSV file) and the table itself.

  report.py pair RESULTS JSON SECTION MEASURE A B BASELINE [--metric median|cpu|maxrss_mib|anon_mib] [--note T]
      appends one row comparing commands A (docker-secops) and B (the baseline) of a measure.py JSON report
  report.py row RESULTS SECTION MEASURE OURS BASELINE_VALUE BASELINE RATIO NOTE
      appends a row as given
  report.py get JSON NAME [METRIC]
      prints one figure of a measure.py JSON report, formatted (default metric: median)
  report.py table RESULTS
      prints the table (markdown)
"""

import argparse
import json

UNITS = {"median": "s", "cpu": "s", "maxrss_mib": "MiB", "anon_mib": "MiB"}


def fmt(value, unit):
    if unit == "s":
        return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"
    return f"{value:.1f} {unit}"


def append(path, cells):
    with open(path, "a") as f:
        f.write("\t".join(c.replace("\t", " ") for c in cells) + "\n")


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("pair")
    for a in ("results", "json", "section", "measure", "a", "b", "baseline"):
        p.add_argument(a)
    p.add_argument("--metric", default="median", choices=UNITS)
    p.add_argument("--note", default="")
    r = sub.add_parser("row")
    for a in ("results", "section", "measure", "ours", "base_value", "baseline", "ratio", "note"):
        r.add_argument(a)
    g = sub.add_parser("get")
    g.add_argument("json")
    g.add_argument("name")
    g.add_argument("metric", nargs="?", default="median", choices=UNITS)
    t = sub.add_parser("table")
    t.add_argument("results")
    args = ap.parse_args()

    if args.cmd == "pair":
        rep = json.load(open(args.json))
        a, b = rep[args.a][args.metric], rep[args.b][args.metric]
        unit = UNITS[args.metric]
        ratio = f"{a / b:.2f}" if b else "-"
        append(args.results, [args.section, args.measure, fmt(a, unit), fmt(b, unit), args.baseline, ratio, args.note])
    elif args.cmd == "get":
        print(fmt(json.load(open(args.json))[args.name][args.metric], UNITS[args.metric]))
    elif args.cmd == "row":
        append(args.results, [args.section, args.measure, args.ours, args.base_value, args.baseline, args.ratio,
                              args.note])
    else:
        head = ["section", "measure", "docker-secops", "baseline", "baseline is", "ours / baseline", "note"]
        rows = [ln.rstrip("\n").split("\t") for ln in open(args.results) if ln.strip()]
        rows = [r + [""] * (len(head) - len(r)) for r in rows]
        widths = [max(len(x) for x in col) for col in zip(head, *rows)]
        line = lambda cells: "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths)) + " |"  # noqa: E731
        print(line(head))
        print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
        for row in rows:
            print(line(row))


if __name__ == "__main__":
    main()
