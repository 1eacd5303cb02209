#!/usr/bin/env python3
"""Generate a git repository with a realistic, long history for the `secret-in-git-history` benchmark.

Usage: bench/gen_history_repo.py N DIR [--seed S]

Builds DIR (must not exist) holding N commits of a compose project: three services (Python API, TypeScript web,
Go worker), env files, infra config, docs, a lock file of ~300 KB, a few binary assets, and migrations that keep
growing. Each commit edits 1-4 files chosen with a hot-spot bias, sometimes adds or deletes one; every ~150 commits
a short topic branch is merged back; a release tag every 250 commits.

Secrets (generated from the seed, so none is written in this file):
  * at 30 % of the history `envs/.env.prod` is committed with four secrets and a hard-coded token lands in
    `api/app/settings.py`; at 35 % both are removed (the env file deleted and git-ignored);
  * at 60 % a side branch `feature/payments` (never merged) commits a payment-provider key.
DIR/.git/bench-needles lists ten needles, one per line: the six committed secrets, then four values that were
never committed (absent needles must produce no hit).

The stream goes through `git fast-import` (seconds for 20k commits, where one `git commit` per commit would take
minutes), then `git gc` packs it the way a real clone would be.
"""

import argparse
import os
import random
import string
import subprocess
import sys

WORDS = (
    "user order item price total cache client server config token session queue worker retry timeout value "
    "result error handler request response payload record batch stream buffer index schema field record model "
    "service deploy health status metric counter limit offset page cursor filter select update insert delete"
).split()

LANG = {
    "py": ("def {a}_{b}({c}):", "    return {c}.{a}({b!r})", "    {a} = {b}_{c}({a}, retry=3)", "# {a} {b} {c}"),
    "ts": ("export function {a}{B}({c}: string) {{", "  const {a} = await {b}.{c}();", "}}", "// {a} {b} {c}"),
    "go": ("func {A}{B}({c} string) error {{", "\t{a}, err := {b}.{C}({c})", "\treturn err", "}}"),
    "md": ("## {A} {b}", "The {a} {b} keeps the {c} in sync.", "- {a}: {b} {c}", ""),
    "tf": ('resource "aws_{a}" "{b}" {{', '  name = "{a}-{c}"', "  count = 2", "}}"),
    "conf": ("location /{a} {{", "    proxy_pass http://{b}:8080;", "}}", "# {c}"),
    "sql": ("ALTER TABLE {a} ADD COLUMN {b}_{c} TEXT;", "CREATE INDEX {a}_{b} ON {a}({c});", "", "-- {a}"),
}


class Gen:
    def __init__(self, seed):
        self.rng = random.Random(seed)

    def word(self):
        return self.rng.choice(WORDS)

    def line(self, ext):
        tpl = self.rng.choice(LANG[ext])
        a, b, c = self.word(), self.word(), self.word()
        return tpl.format(a=a, b=b, c=c, A=a.title(), B=b.title(), C=c.title())

    def text(self, ext, size):
        lines, n = [], 0
        while n < size:
            ln = self.line(ext)
            lines.append(ln)
            n += len(ln) + 1
        return lines

    def token(self, n, alphabet=string.ascii_letters + string.digits):
        return "".join(self.rng.choice(alphabet) for _ in range(n))


def initial_tree(g):
    files = {}
    for i in range(40):
        files[f"api/app/{g.word()}_{i}.py"] = g.text("py", g.rng.randint(1_000, 15_000))
    files["api/app/settings.py"] = ["import os", "", 'DATABASE_URL = os.environ["DATABASE_URL"]', ""]
    for i in range(60):
        files[f"web/src/components/{g.word().title()}{i}.tsx"] = g.text("ts", g.rng.randint(800, 12_000))
    files["web/package-lock.json"] = [f'    "{g.word()}-{i}": "^{i % 9}.{i % 13}.{i % 7}",' for i in range(9_000)]
    for i in range(40):
        files[f"worker/internal/{g.word()}/{g.word()}_{i}.go"] = g.text("go", g.rng.randint(1_000, 20_000))
    for i in range(10):
        files[f"infra/terraform/{g.word()}_{i}.tf"] = g.text("tf", g.rng.randint(500, 4_000))
    files["infra/nginx/default.conf"] = g.text("conf", 2_000)
    for i in range(20):
        files[f"docs/{g.word()}_{i}.md"] = g.text("md", g.rng.randint(1_000, 8_000))
    files["compose.yaml"] = ["services:"] + [
        f"  {s}:\n    image: {s}:latest\n    env_file: [envs/.env.${{ENV:-local}}]"
        for s in ("api", "web", "worker", "postgres", "redis")
    ]
    files["compose.prod.yaml"] = ["services:", "  api:", "    restart: always"]
    files[".env.example"] = ["POSTGRES_PASSWORD=changeme", "REDIS_PASSWORD=changeme", "AWS_ACCESS_KEY_ID="]
    files[".gitignore"] = ["node_modules/", "__pycache__/", "*.log"]
    files["README.md"] = g.text("md", 4_000)
    for i in range(3):  # binary assets: raw bytes, never edited
        files[f"web/public/asset_{i}.png"] = bytes(g.rng.getrandbits(8) for _ in range(40_000 + 10_000 * i))
    return files


def blob(content):
    return content if isinstance(content, bytes) else ("\n".join(content) + "\n").encode()


class Writer:
    """Writes a git fast-import stream to `out`."""

    def __init__(self, out, g):
        self.out, self.g = out, g
        self.time = 1_577_836_800  # 2020-01-01
        self.mark = 0
        self.count = 0

    def data(self, payload):
        self.out.write(b"data %d\n" % len(payload))
        self.out.write(payload)
        self.out.write(b"\n")

    def commit(self, ref, parents, changes, message):
        """changes: {path: content or None (delete)}; parents: list of marks (first is `from`)."""
        self.mark += 1
        self.count += 1
        self.time += self.g.rng.randint(600, 2 * 86_400)
        who = self.g.rng.choice(["Ada <ada@example.com>", "Linus <linus@example.com>", "Grace <grace@example.com>"])
        self.out.write(b"commit %s\nmark :%d\n" % (ref.encode(), self.mark))
        self.out.write(f"author {who} {self.time} +0000\ncommitter {who} {self.time} +0000\n".encode())
        self.data(message.encode())
        if parents:
            self.out.write(b"from :%d\n" % parents[0])
            for p in parents[1:]:
                self.out.write(b"merge :%d\n" % p)
        for path, content in sorted(changes.items()):
            if content is None:
                self.out.write(f"D {path}\n".encode())
            else:
                self.out.write(f"M 100644 inline {path}\n".encode())
                self.data(blob(content))
        return self.mark

    def tag(self, name, mark):
        self.out.write(f"reset refs/tags/{name}\nfrom :{mark}\n\n".encode())


def edit(g, files, n_files):
    """Returns {path: new content or None} for one ordinary commit, applied to `files` as well."""
    text_paths = sorted(p for p, c in files.items() if not isinstance(c, bytes))
    changes = {}
    # Hot spots: a few files get most edits, like real projects.
    hot = text_paths[: max(8, len(text_paths) // 10)]
    for _ in range(n_files):
        path = g.rng.choice(hot) if g.rng.random() < 0.6 else g.rng.choice(text_paths)
        lines = list(files[path])
        ext = path.rsplit(".", 1)[-1]
        ext = ext if ext in LANG else "md"
        for _ in range(g.rng.randint(1, 4)):
            i = g.rng.randrange(len(lines) + 1)
            op = g.rng.random()
            if op < 0.5 and i < len(lines):
                lines[i] = g.line(ext)
            elif op < 0.85 or len(lines) < 5:
                lines[i:i] = [g.line(ext) for _ in range(g.rng.randint(1, 6))]
            else:
                del lines[i : i + g.rng.randint(1, 3)]
        files[path] = lines
        changes[path] = lines
    r = g.rng.random()
    if r < 0.03:
        path = f"api/app/{g.word()}_{g.rng.randrange(10**6)}.py"
        files[path] = changes[path] = g.text("py", g.rng.randint(500, 6_000))
    elif r < 0.045:
        path = f"api/migrations/{len(files):05d}_{g.word()}.sql"
        files[path] = changes[path] = g.text("sql", g.rng.randint(200, 2_000))
    elif r < 0.055:
        victims = [p for p in text_paths if p.startswith(("docs/", "web/src/")) and p not in changes]
        if victims:
            path = g.rng.choice(victims)
            del files[path]
            changes[path] = None
    return changes


def generate(n, out, seed):
    g = Gen(seed)
    w = Writer(out, g)
    files = initial_tree(g)
    head = w.commit("refs/heads/main", [], dict(files), "Initial import")
    secrets = {
        "POSTGRES_PASSWORD": g.token(24),
        "REDIS_PASSWORD": g.token(32),
        "AWS_ACCESS_KEY_ID": "AKIA" + g.token(16, string.ascii_uppercase + string.digits),
        "AWS_SECRET_ACCESS_KEY": g.token(40, string.ascii_letters + string.digits + "/+"),
    }
    github_token = "ghp_" + g.token(36)
    payment_key = "sk_" + "live_" + g.token(24)
    absent = [g.token(24), g.token(32), "AKIA" + g.token(16, string.ascii_uppercase), g.token(20)]
    leak_at, fix_at, side_at = int(n * 0.30), int(n * 0.35), int(n * 0.60)

    while w.count < n:
        i = w.count
        if i == leak_at:
            files["envs/.env.prod"] = [f"{k}={v}" for k, v in secrets.items()]
            files["api/app/settings.py"] = files["api/app/settings.py"] + [f'GITHUB_TOKEN = "{github_token}"']
            changes = {p: files[p] for p in ("envs/.env.prod", "api/app/settings.py")}
            head = w.commit("refs/heads/main", [head], changes, "Add production config")
        elif i == fix_at:
            del files["envs/.env.prod"]
            files["api/app/settings.py"] = [ln for ln in files["api/app/settings.py"] if "GITHUB_TOKEN" not in ln]
            files["api/app/settings.py"].append('GITHUB_TOKEN = os.environ["GITHUB_TOKEN"]')
            files[".gitignore"] = files[".gitignore"] + ["envs/.env.*", "!envs/.env.example"]
            changes = {"envs/.env.prod": None, ".gitignore": files[".gitignore"]}
            changes["api/app/settings.py"] = files["api/app/settings.py"]
            head = w.commit("refs/heads/main", [head], changes, "Remove secrets from the repository")
        elif i == side_at:
            side = dict(files)
            side["web/src/payments.ts"] = [f'export const PAYMENT_KEY = "{payment_key}";']
            mark = w.commit("refs/heads/feature/payments", [head], {"web/src/payments.ts": side["web/src/payments.ts"]},
                            "WIP payments")
            for _ in range(min(20, n - w.count)):
                mark = w.commit("refs/heads/feature/payments", [mark], edit(g, side, 1), "payments: more")
        elif i % 150 == 75 and n - i > 10:
            topic = dict(files)
            touched = {}
            mark = head
            for k in range(5):
                ch = edit(g, topic, g.rng.randint(1, 2))
                touched.update(ch)
                mark = w.commit(f"refs/heads/topic/{i}", [mark], ch, f"topic {i}: step {k}")
            for p, c in touched.items():
                if c is None:
                    files.pop(p, None)
                else:
                    files[p] = c
            head = w.commit("refs/heads/main", [head, mark], touched, f"Merge topic/{i}")
        else:
            head = w.commit("refs/heads/main", [head], edit(g, files, g.rng.randint(1, 4)), f"Change {i}")
        if w.count % 250 == 0:
            w.tag(f"v0.{w.count // 250}", head)
    needles = list(secrets.values()) + [github_token, payment_key] + absent
    return needles


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int, help="number of commits")
    ap.add_argument("dir", help="repository to create (must not exist)")
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args()
    if os.path.exists(args.dir):
        sys.exit(f"{args.dir} already exists")
    subprocess.run(["git", "init", "-q", "-b", "main", args.dir], check=True)
    fi = subprocess.Popen(["git", "-C", args.dir, "fast-import", "--quiet"], stdin=subprocess.PIPE)
    needles = generate(args.n, fi.stdin, args.seed)
    fi.stdin.close()
    if fi.wait() != 0:
        sys.exit("git fast-import failed")
    subprocess.run(["git", "-C", args.dir, "gc", "-q"], check=True)
    subprocess.run(["git", "-C", args.dir, "checkout", "-q", "-f", "main"], check=True)
    with open(os.path.join(args.dir, ".git", "bench-needles"), "w") as f:
        f.write("\n".join(needles) + "\n")
    print(f"{args.dir}: {args.n} commits, needles in {args.dir}/.git/bench-needles", file=sys.stderr)


if __name__ == "__main__":
    main()
