#!/usr/bin/env python3
"""Run commands alternately and report medians: wall time, CPU time and peak RSS of each.

Usage: measure.py [--runs R] [--warmup W] [--json OUT] [--between CMD] [--log-dir DIR] [--sample-anon]
                  [--ok-codes 0,1] NAME=CMD NAME=CMD ...

Round r runs every command once, in the given order on even rounds and reversed on odd ones (A B, B A, ...), so a
slow drift of the machine's load hits all commands alike. Commands are split with shlex and exec'ed directly (no
shell, like `hyperfine -N`), stdout to /dev/null, stderr to DIR/NAME.R.err when --log-dir is given.

Per run: wall time (perf_counter around spawn..wait4), user and system CPU and peak RSS as `/usr/bin/time` reports
them ("Maximum resident set size": the largest of the process and its waited-for descendants): each command runs
under `/usr/bin/time` unless --no-time-wrapper (then wall time is exact to the exec, but RSS is meaningless). --sample-anon also samples /proc/PID/status RssAnon of the top process every 2 ms (the
memory it allocates, as opposed to file-backed mappings such as mmapped git packs, which the kernel can drop).
--between CMD runs (untimed, through the shell) before every timed run, e.g. to wait until a stack is healthy.
"""

import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import threading
import time


def status_kib(pid, key):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


TIME = "/usr/bin/time"


def target_pid(pid, wrapped):
    """The measured process: `pid`, or its child when `pid` is /usr/bin/time (0 while it has none yet)."""
    if not wrapped:
        return pid
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            kids = f.read().split()
        return int(kids[0]) if kids else 0
    except (OSError, ValueError):
        return 0


def run_once(argv, stderr_path, sample_anon, wrap):
    """One run. With `wrap`, through `/usr/bin/time -f %M -o FILE`: wait4 on a child of python would charge
    python's own resident size to the child (the spawn shares or copies python's memory until exec, and Linux counts
    that in ru_maxrss), whereas /usr/bin/time is a 2 MiB process. The wrapper's extra exec (~0.5 ms) is in `wall`."""
    rss_file = None
    if wrap:
        rss_file = f"/tmp/measure-{os.getpid()}.rss"
        argv = [TIME, "-f", "%M", "-o", rss_file] + argv
    devnull = os.open(os.devnull, os.O_RDWR)
    err = os.open(stderr_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644) if stderr_path else devnull
    actions = [(os.POSIX_SPAWN_DUP2, devnull, 0), (os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, err, 2)]
    peak = [0]
    done = threading.Event()
    t0 = time.perf_counter()
    pid = os.posix_spawnp(argv[0], argv, os.environ, file_actions=actions)
    sampler = None
    if sample_anon:
        def sample():
            target = 0
            while not done.is_set():
                target = target or target_pid(pid, wrap)
                if target:
                    peak[0] = max(peak[0], status_kib(target, "RssAnon:"))
                time.sleep(0.002)
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
    _, status, ru = os.wait4(pid, 0)
    wall = time.perf_counter() - t0
    done.set()
    if sampler:
        sampler.join()
    os.close(devnull)
    if stderr_path:
        os.close(err)
    code = os.waitstatus_to_exitcode(status)
    maxrss, user, sys_ = ru.ru_maxrss, ru.ru_utime, ru.ru_stime
    if rss_file:
        with open(rss_file) as f:
            fields = f.read().split()
        os.unlink(rss_file)
        # GNU time prints "Command exited with non-zero status N" first when the command failed. CPU times stay
        # wait4's (microseconds, and they include the waited-for grandchild); time's own are in 10 ms steps.
        maxrss = int(fields[-1])
    return {"wall": wall, "user": user, "sys": sys_, "maxrss_kib": maxrss,
            "anon_kib": peak[0] if sample_anon else None, "code": code}


def summary(runs):
    med = lambda k: statistics.median(r[k] for r in runs)  # noqa: E731
    out = {
        "runs": len(runs),
        "median": med("wall"),
        "min": min(r["wall"] for r in runs),
        "max": max(r["wall"] for r in runs),
        "cpu": statistics.median(r["user"] + r["sys"] for r in runs),
        "maxrss_mib": med("maxrss_kib") / 1024,
        "maxrss_max_mib": max(r["maxrss_kib"] for r in runs) / 1024,
        "codes": sorted({r["code"] for r in runs}),
        "walls": [round(r["wall"], 4) for r in runs],
    }
    if runs and runs[0]["anon_kib"] is not None:
        out["anon_mib"] = med("anon_kib") / 1024
        out["anon_max_mib"] = max(r["anon_kib"] for r in runs) / 1024
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--json")
    ap.add_argument("--between")
    ap.add_argument("--log-dir")
    ap.add_argument("--sample-anon", action="store_true")
    ap.add_argument("--ok-codes", default="0")
    ap.add_argument("--no-time-wrapper", action="store_true",
                    help="spawn commands directly: the most exact wall time, but peak RSS includes python's own")
    ap.add_argument("commands", nargs="+", metavar="NAME=CMD")
    args = ap.parse_args()
    ok = {int(c) for c in args.ok_codes.split(",")}
    cmds = []
    for spec in args.commands:
        name, sep, cmd = spec.partition("=")
        if not sep:
            sys.exit(f"measure.py: expected NAME=CMD, got {spec!r}")
        cmds.append((name, shlex.split(cmd)))
    wrap = not args.no_time_wrapper and os.access(TIME, os.X_OK)
    if args.log_dir:
        os.makedirs(args.log_dir, exist_ok=True)

    def between():
        if args.between:
            subprocess.run(args.between, shell=True, check=True)

    for w in range(args.warmup):
        for name, argv in cmds:
            between()
            log = os.path.join(args.log_dir, f"{name}.warmup{w}.err") if args.log_dir else None
            r = run_once(argv, log, False, wrap)
            if r["code"] not in ok:
                tail = open(log).read()[-2000:] if log else ""
                sys.exit(f"measure.py: warm-up of {name} exited {r['code']}: {shlex.join(argv)}\n{tail}")
    results = {name: [] for name, _ in cmds}
    for rnd in range(args.runs):
        order = cmds if rnd % 2 == 0 else cmds[::-1]
        for name, argv in order:
            between()
            log = os.path.join(args.log_dir, f"{name}.{rnd}.err") if args.log_dir else None
            r = run_once(argv, log, args.sample_anon, wrap)
            if r["code"] not in ok:
                tail = open(log).read()[-2000:] if log else ""
                sys.exit(f"measure.py: {name} exited {r['code']}: {shlex.join(argv)}\n{tail}")
            results[name].append(r)
            print(f"  {name:<22} run {rnd + 1}/{args.runs}: {r['wall']:.3f} s, {r['maxrss_kib'] / 1024:.1f} MiB",
                  file=sys.stderr)
    report = {name: summary(runs) for name, runs in results.items()}
    for name, s in report.items():
        anon = f", anon {s['anon_mib']:.1f} MiB" if "anon_mib" in s else ""
        print(f"  {name:<22} median {s['median']:.3f} s (min {s['min']:.3f}, max {s['max']:.3f}), "
              f"cpu {s['cpu']:.3f} s, peak RSS {s['maxrss_mib']:.1f} MiB{anon}", file=sys.stderr)
    text = json.dumps(report, indent=1)
    if args.json:
        with open(args.json, "w") as f:
            f.write(text + "\n")
    else:
        print(text)


if __name__ == "__main__":
    main()
