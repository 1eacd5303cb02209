#!/usr/bin/env python3
"""Probe answers of the swarm section per timed run: swarm_probe_count.py DIR.

Reads DIR/windows.tsv (mode, start, end per run, written by bench/lib/swarm_window.sh) and the timestamped logs of
every app task container of STACK that swarm_window.sh saved in DIR/logs before each run and at the end (Swarm
removes a slot's oldest task containers, logs and all, after a few updates), and prints one line per
mode: `mode<TAB>measure<TAB>value` with the refused logins and connection errors of each run of that mode.
"""

import datetime
import glob
import sys


def stamp(text):
    # 2026-12-01T16:53:09.123456789Z -> seconds since the epoch (nanoseconds cut to microseconds)
    head, _, frac = text.rstrip("Z").partition(".")
    t = datetime.datetime.strptime(head, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc)
    return t.timestamp() + float("0." + (frac or "0")[:6])


def main():
    directory = sys.argv[1]
    windows = [line.split("\t") for line in open(f"{directory}/windows.tsv").read().splitlines() if line]
    answers = []
    for log in glob.glob(f"{directory}/logs/*.log"):
        for line in open(log, errors="replace").read().splitlines():
            when, _, rest = line.partition(" ")
            if rest.startswith("probe "):
                answers.append((stamp(when), rest[len("probe "):]))
    per_mode = {}
    for mode, start, end in windows:
        ok = refused = errors = 0
        for when, answer in answers:
            if float(start) <= when <= float(end):
                if answer.strip() == "PONG":
                    ok += 1
                elif "WRONGPASS" in answer or "NOAUTH" in answer:
                    refused += 1
                else:
                    errors += 1
        per_mode.setdefault(mode, []).append(f"{refused} refused, {errors} conn errors / {ok + refused + errors}")
    names = {"secops": "docker-secops rotate --stack", "manual": "by hand (service update)"}
    for mode, runs in per_mode.items():
        print(f"{mode}\tlogins during {names.get(mode, mode)}\t{'; '.join(runs)}")


if __name__ == "__main__":
    main()
