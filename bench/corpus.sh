#!/usr/bin/env bash
# `check` on real public compose projects (issue 14): rebuilds the corpus pinned in bench/corpus/manifest.tsv from
# fetched mirrors, runs `docker secops check` on each project, and prints precision and recall per check against
# the hand labels in bench/corpus/labels.tsv. The third-party files never enter this repository.
#
# Usage: bench/corpus.sh [SECOPS_BINARY]          (default: target/debug/docker-secops)
#
# Env:  CORPUS_MIRRORS  where the mirrors are: <owner>+<name>/repo git directories (default /work/.mirror)
#       CORPUS_OUT      work dir: extracted projects, one JSON report per project, results (default /tmp/secops-corpus)
#       GITLEAKS        a gitleaks binary: when set, `gitleaks detect --no-git` runs on the same folders and its
#                       findings are counted beside ours (bench/fetch_gitleaks.sh gets one from Debian)
#       COMPOSE_CHECK   1: also run `docker compose config -q` on each project, to confirm compose accepts it
#
# A project whose mirror is absent is skipped with a notice; with no mirror at all the script exits 0 after saying so.
#
# Labels: one row per problem (check, project, file, service, key): T = a real problem the project's maintainer
# would act on, F = not one. A finding (error or warning; infos are not counted) whose row is T is a true
# positive, F a false positive, and a finding with no row is printed as UNLABELLED (and counted as false: label it).
# A T row no finding matched is a missed problem (false negative). Findings repeated on one row count once.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
secops="${1:-$here/../target/debug/docker-secops}"
mirrors="${CORPUS_MIRRORS:-/work/.mirror}"
out="${CORPUS_OUT:-/tmp/secops-corpus}"
manifest="$here/corpus/manifest.tsv"
labels="$here/corpus/labels.tsv"

if ! ls "$mirrors"/*/repo >/dev/null 2>&1; then
    echo "corpus: no mirrors under $mirrors; skipped (fetch the repositories of $manifest first)"
    exit 0
fi
secops="$(cd "$(dirname "$secops")" && pwd)/$(basename "$secops")"
rm -rf "$out/projects" "$out/reports"
mkdir -p "$out/projects" "$out/reports"
# A fixed fingerprint key, so that finding ids are the same from run to run (when the binary knows the option).
key="$out/fingerprint.key"
[ -f "$key" ] || { head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$key"; chmod 600 "$key"; }
key_opt=()
if "$secops" check --help 2>/dev/null | grep -q -- --fingerprint-key-file; then key_opt=(--fingerprint-key-file "$key"); fi

loaded=0 refused=0 skipped=0
: >"$out/exit-codes.tsv"
while IFS=$'\t' read -r name repo commit dir files copies; do
    case "$name" in '#'* | '') continue ;; esac
    git_dir="$mirrors/${repo/\//+}/repo"
    if ! git --git-dir="$git_dir" cat-file -e "$commit^{commit}" 2>/dev/null; then
        echo "corpus: $name: no mirror of $repo at $commit; skipped"
        skipped=$((skipped + 1))
        continue
    fi
    root="$out/projects/$name"
    mkdir -p "$root"
    python3 "$here/corpus/extract.py" "$git_dir" "$commit" "$dir" "$root"
    project="$root/$dir"
    if [ "$copies" != "-" ]; then
        IFS=, read -ra pairs <<<"$copies"
        for pair in "${pairs[@]}"; do cp "$project/${pair%%:*}" "$project/${pair#*:}"; done
    fi
    args=()
    if [ "$files" != "-" ]; then
        IFS=, read -ra list <<<"$files"
        for f in "${list[@]}"; do args+=(-f "$project/$f"); done
    fi
    code=0
    (cd "$project" && "$secops" check --format json --no-history --fail-on never "${key_opt[@]}" "${args[@]}") \
        >"$out/reports/$name.json" 2>"$out/reports/$name.err" || code=$?
    printf '%s\t%s\n' "$name" "$code" >>"$out/exit-codes.tsv"
    if [ "$code" -ge 2 ]; then
        refused=$((refused + 1))
        echo "corpus: $name: REFUSED (exit $code): $(head -c 300 "$out/reports/$name.err")"
    else
        loaded=$((loaded + 1))
    fi
    if [ "${COMPOSE_CHECK:-0}" = 1 ]; then
        (cd "$project" && docker compose "${args[@]}" config -q >/dev/null 2>"$out/reports/$name.compose.err") ||
            echo "corpus: $name: docker compose config refuses it too: $(head -c 200 "$out/reports/$name.compose.err")"
    fi
done <"$manifest"

echo "corpus: $loaded loaded, $refused refused, $skipped skipped (binary: $secops)"

if [ -n "${GITLEAKS:-}" ]; then
    total=0
    for project in "$out"/projects/*; do
        n=$(basename "$project")
        "$GITLEAKS" detect --no-git --no-banner --exit-code 0 -s "$project" -f json -r "$out/reports/$n.gitleaks.json" \
            >/dev/null 2>&1 || true
        c=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1])) or []))' "$out/reports/$n.gitleaks.json")
        total=$((total + c))
    done
    echo "gitleaks detect --no-git: $total findings over the same folders (reports in $out/reports/*.gitleaks.json)"
fi
python3 "$here/corpus/score.py" "$labels" "$out/reports" "$manifest"
