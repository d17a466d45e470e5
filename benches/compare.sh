#!/usr/bin/env bash
# Whole-process figures for docs/performance.md: a cold build at N runbooks (time, peak
# memory), a refresh after one change, and a warm `runbook search --json` next to ripgrep.
#
#   apt-get install -y ripgrep hyperfine time
#   cargo build --release --bin runbook --example gen_corpus
#   bash benches/compare.sh [N]        # default 10000
#
# The corpus goes to ${RUNBOOK_BENCH_DIR:-/tmp}/runbook-bench-N (the same one `cargo bench`
# uses), the index cache to a temporary folder that is removed afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

N="${1:-10000}"
BIN="${RUNBOOK_BIN:-target/release/runbook}"
GEN="${GEN_BIN:-target/release/examples/gen_corpus}"
CORPUS="${RUNBOOK_BENCH_DIR:-/tmp}/runbook-bench-$N"
RUNS="${RUNS:-5}"
export RUNBOOK_CACHE_DIR
RUNBOOK_CACHE_DIR="$(mktemp -d)"
trap 'rm -rf "$RUNBOOK_CACHE_DIR"' EXIT

if [ ! -e "$CORPUS/.complete-v1-$N" ]; then
  rm -rf "$CORPUS"
  "$GEN" "$CORPUS" "$N"
  touch "$CORPUS/.complete-v1-$N"
fi
# The walk and the manifest check stat every file; make sure they are in the page cache.
rg -l -e zzzz "$CORPUS" >/dev/null || true

echo "== machine"
echo "nproc: $(nproc)"
lscpu | grep -m1 'Model name' || true
free -h | awk 'NR<=2'
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"

echo "== cold build, $N runbooks ($RUNS runs: wall s, max RSS KB)"
for _ in $(seq "$RUNS"); do
  rm -rf "${RUNBOOK_CACHE_DIR:?}"/*
  /usr/bin/time -f "%e %M" "$BIN" search --dir "$CORPUS" disk full --json 2>&1 >/dev/null | tail -n1
done

echo "== refresh after one file changed ($RUNS runs: wall s)"
FILE="$(find "$CORPUS" -name '*.md' | sort | sed -n 1p)"
cp "$FILE" "$FILE.orig"
for i in $(seq "$RUNS"); do
  printf '\nNote %s.\n' "$i" >>"$FILE"
  /usr/bin/time -f "%e" "$BIN" search --dir "$CORPUS" disk full --json 2>&1 >/dev/null | tail -n1
done
mv "$FILE.orig" "$FILE"
"$BIN" search --dir "$CORPUS" disk full --json >/dev/null

echo "== warm search process vs ripgrep (rg exits 1 when nothing matches: -i)"
hyperfine -N -i --warmup 3 --runs 30 --export-json "$RUNBOOK_CACHE_DIR/hyperfine.json" \
  "$BIN search --dir $CORPUS disk full --json" \
  "rg -i -l -e disk -e full $CORPUS" \
  "$BIN search --dir $CORPUS certficate expird --json" \
  "rg -i -l -e certficate -e expird $CORPUS"
python3 - "$RUNBOOK_CACHE_DIR/hyperfine.json" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(f"median {r['median'] * 1000:7.1f} ms  mean {r['mean'] * 1000:7.1f} ms  {r['command']}")
PY
