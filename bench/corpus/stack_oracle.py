#!/usr/bin/env python3
"""`check --swarm` on the corpus against the real docker CLI: for each project bench/corpus.sh extracted, does
`docker stack config` (docker/cli's own loader) refuse the files, and does docker-secops' stack-unsupported report
a refusal? A refusal we report that docker does not make is a false alarm; a docker refusal we do not report is
one outside the credential features the check covers (docker's reason is printed). Run after bench/corpus.sh.

Usage: bench/corpus/stack_oracle.py SECOPS_BINARY [CORPUS_OUT]   (default CORPUS_OUT: /tmp/secops-corpus)
"""
import json
import os
import subprocess
import sys
from collections import Counter

secops = os.path.abspath(sys.argv[1])
out = sys.argv[2] if len(sys.argv) > 2 else os.environ.get("CORPUS_OUT", "/tmp/secops-corpus")
manifest = os.path.join(os.path.dirname(os.path.abspath(__file__)), "manifest.tsv")
# Neither tool may see this shell's variables: both interpolate from their environment.
env = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/root")}

table = Counter()
counts = Counter()
for line in open(manifest, encoding="utf-8"):
    if line.startswith("#") or not line.strip():
        continue
    name, _repo, _commit, subdir, files = line.rstrip("\n").split("\t")[:5]
    project = os.path.join(out, "projects", name, subdir)
    if not os.path.isdir(project):
        continue
    listed = [] if files == "-" else files.split(",")
    if not listed:
        listed = [f for f in ("compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml")
                  if os.path.exists(os.path.join(project, f))][:1]
    flags = [a for f in listed for a in ("-f", f)]
    stack = subprocess.run(["docker", "stack", "config"] + [a for f in listed for a in ("-c", f)],
                           cwd=project, env=env, capture_output=True, text=True)
    ours = subprocess.run([secops, "check", "--format", "json", "--fail-on", "never", "--no-history", "--swarm",
                           "--only", "stack-unsupported", "--only", "stack-secret-unversioned"] + flags,
                          cwd=project, env=env, capture_output=True, text=True)
    if ours.returncode != 0:
        print(f"{name}: docker-secops exit {ours.returncode}: {ours.stderr.strip()[:200]}")
        continue
    findings = json.loads(ours.stdout)["findings"]
    refusals = [f for f in findings if f["check"] == "stack-unsupported" and "refuses" in f["message"]]
    for f in findings:
        kind = "refusal" if f in refusals else f"{f['check']} {f['severity']}"
        counts[kind] += 1
    docker_refuses = stack.returncode != 0
    verdict = ("both refuse" if refusals else "docker only") if docker_refuses else \
        ("FALSE ALARM" if refusals else "both accept")
    table[verdict] += 1
    reason = stack.stderr.strip().splitlines()[0][:110] if docker_refuses and stack.stderr.strip() else ""
    ours_text = "; ".join(f"{f['file']}:{f['line']}" for f in refusals)[:80]
    print(f"{name:28} {verdict:12} docker: {reason or '-'}  ours: {ours_text or '-'}")

print()
print("projects: " + ", ".join(f"{k} {v}" for k, v in sorted(table.items())))
print("findings: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
sys.exit(1 if table["FALSE ALARM"] else 0)
