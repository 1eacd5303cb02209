#!/usr/bin/env python3
"""A compose project whose one env file holds N secret-named keys, for timing `docker secops check` on many keys.

Usage: bench/gen_many_secrets.py N DIR [--seed SEED] [--plain]

Writes DIR/compose.yaml (one service `app` with `env_file: app.env`) and DIR/app.env with N lines
`SVC_i_PASSWORD=<24 random letters and digits>`, mode 600. Without --plain it also exercises every check that
groups or compares keys, so that findings can be compared before and after a change:

  every 97th value is reused under an unrelated key (secret-reused),
  every 101st key is set twice (env-duplicate-key),
  every 103rd secret is embedded in a `SVC_i_DSN` connection string without a URL password (found as a secret
    only because it embeds another secret's value), and every 107th in a `SVC_i_NOTE` value longer than it,
  an `app.env.example` template with the first N - N/10 keys and N/10 keys of its own (example-drift),
  a few values that are substrings of the secrets but shorter than the 8-byte minimum.

Deterministic for a seed. Prints the compose file's path.
"""

import argparse
import os
import random
import string

ALNUM = string.ascii_letters + string.digits


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int)
    ap.add_argument("dir")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--plain", action="store_true", help="only the N secret lines, nothing else")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    tok = lambda k: "".join(rng.choice(ALNUM) for _ in range(k))  # noqa: E731
    os.makedirs(args.dir, exist_ok=True)

    values = [tok(24) for _ in range(args.n)]
    lines = [f"SVC_{i}_PASSWORD={v}" for i, v in enumerate(values)]
    template = None
    if not args.plain:
        extra = []
        for i in range(0, args.n, 97):
            extra.append(f"OTHER{i}_TOKEN={values[(i * 7 + 1) % args.n]}")
        for i in range(0, args.n, 101):
            extra.append(f"SVC_{i}_PASSWORD={tok(24)}")
        for i in range(0, args.n, 103):
            extra.append(f"SVC_{i}_DSN=postgres://db{i}:5432/app?password={values[i]}&sslmode=require")
        for i in range(0, args.n, 107):
            extra.append(f"SVC_{i}_NOTE=prefix{values[i]}suffix")
        for i in range(0, args.n, 211):
            extra.append(f"SVC_{i}_SHORT={values[i][:7]}")
            extra.append(f"SVC_{i}_URL=redis://:{tok(16)}@cache{i}:6379/0")
        lines += extra
        keep = args.n - args.n // 10
        template = [f"SVC_{i}_PASSWORD=change-me" for i in range(keep)]
        template += [f"TEMPLATE_ONLY_{i}_SECRET=change-me" for i in range(args.n // 10)]

    env = os.path.join(args.dir, "app.env")
    with open(env, "w") as f:
        f.write("\n".join(lines) + "\n")
    os.chmod(env, 0o600)
    example = os.path.join(args.dir, "app.env.example")
    if template is not None:
        with open(example, "w") as f:
            f.write("\n".join(template) + "\n")
    elif os.path.exists(example):
        os.remove(example)
    compose = os.path.join(args.dir, "compose.yaml")
    with open(compose, "w") as f:
        f.write("name: many-secrets\nservices:\n  app:\n    image: alpine:3\n    env_file: app.env\n")
    print(compose)


if __name__ == "__main__":
    main()
