#!/usr/bin/env python3
"""Writes the files below DIR of COMMIT in a git directory into DEST (bench/corpus.sh).

`git archive` stops at the first blob a partial mirror lacks (its largest files may be absent); this skips those and
any file over 1 MiB (no compose project needs one to load), and keeps the executable bit and symlinks.
"""
import os
import subprocess
import sys

git_dir, commit, subdir, dest = sys.argv[1:5]
spec = [] if subdir == "." else ["--", subdir]
listing = subprocess.run(["git", "--git-dir", git_dir, "ls-tree", "-r", "-l", "-z", commit, *spec],
                         check=True, capture_output=True).stdout.split(b"\0")
wanted = []
for entry in listing:
    if not entry:
        continue
    meta, path = entry.split(b"\t", 1)
    mode, kind, sha, size = meta.split()
    if kind != b"blob" or not size.isdigit() or int(size) > 1 << 20:
        continue
    wanted.append((mode, sha.decode(), path.decode("utf-8", "surrogateescape")))
batch = subprocess.Popen(["git", "--git-dir", git_dir, "cat-file", "--batch"], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE)
for mode, sha, path in wanted:
    batch.stdin.write(sha.encode() + b"\n")
    batch.stdin.flush()
    header = batch.stdout.readline().split()
    if len(header) < 3 or header[1] == b"missing":
        continue
    data = batch.stdout.read(int(header[2]))
    batch.stdout.read(1)
    target = os.path.join(dest, path)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    if mode == b"120000":
        os.symlink(data.decode("utf-8", "surrogateescape"), target)
        continue
    with open(target, "wb") as f:
        f.write(data)
    if mode == b"100755":
        os.chmod(target, 0o755)
batch.stdin.close()
batch.wait()
