#!/usr/bin/env bash
# Peak memory (max RSS) and time of `runbook check` and of a cold index build (`runbook
# search` with an empty cache) over a folder of deeply nested files, at growing depths: what
# docs/performance.md reports for hostile input. Nothing may grow faster than the input.
#
#   apt-get install -y time
#   cargo build --release --bin runbook
#   bash benches/hostile_memory.sh [DEPTH...]     # default 1000 10000 100000
set -euo pipefail
cd "$(dirname "$0")/.."

BIN="${RUNBOOK_BIN:-target/release/runbook}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
DEPTHS=("$@")
[ ${#DEPTHS[@]} -gt 0 ] || DEPTHS=(1000 10000 100000)

printf '| depth | folder | check: time, max RSS | cold index build: time, max RSS |\n|---|---|---|---|\n'
for depth in "${DEPTHS[@]}"; do
  dir="$WORK/hostile-$depth"
  mkdir -p "$dir"
  python3 - "$dir" "$depth" <<'EOF'
import sys
d, n = sys.argv[1], int(sys.argv[2])
def put(name, text):
    with open(f"{d}/{name}", "w") as f:
        f.write(text)
put("quotes.md", "# Quotes\n\n" + ">" * n + " zebra\n")
put("lists.md", "# Lists\n\n" + "- " * n + "zebra\n")
put("ordered.md", "# Ordered\n\n" + "1. " * n + "zebra\n")
put("mixed.md", "# Mixed\n\n" + "> 1. - " * (n // 3) + "**zebra**\n")
put("alerts.md", "# Alerts\n\n" + "".join("> " * i + "> [!CAUTION]\n" for i in range(min(n, 1000))) + "> " * 1000 + "zebra\n")
put("emphasis.md", "# Emphasis\n\n" + "*" * n + "zebra" + "*" * n + "\n")
put("links.md", "# Links\n\n" + "[" * n + "zebra" + "](#a)" * n + "\n")
put("html.md", "# Html\n\n" + "<div>" * n + "zebra" + "</div>" * n + "\n")
put("quote-lines.md", "# Quote lines\n\n" + "".join(">" * min(n, 2000) + f" line {i}\n" for i in range(500)))
EOF
  size=$(du -sh "$dir" | cut -f1)
  measure() {
    /usr/bin/time -f '%e s, %M KB' "$@" >/dev/null 2>"$WORK/time" || true
    tail -n 1 "$WORK/time"
  }
  check=$(measure "$BIN" --dir "$dir" check)
  cache="$WORK/cache-$depth"
  cold=$(RUNBOOK_CACHE_DIR="$cache" measure "$BIN" --dir "$dir" search zebra)
  printf '| %s | %s | %s | %s |\n' "$depth" "$size" "$check" "$cold"
done
