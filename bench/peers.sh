#!/usr/bin/env bash
# The shared peer harness (../shared/bench-peers/run_all.sh) on this checkout, with two more rows
# that issue 18 names and the harness lacks: a tag page and a region page, cold, each measured
# under the path key `list_p1` so that the harness's "x wagtail" column compares it with the Wagtail
# peer's list page 1 (20 items a page on both). Usage: bench/peers.sh [bench.py options]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
harness=${BENCH_PEERS:-$here/../shared/bench-peers}
cat > /tmp/bench-ours-more.toml <<TOML
[targets.ours-tag-cold]
port = 8107
start = "$here/bench/peers_serve.sh {port} cold"
[targets.ours-tag-cold.paths]
list_p1 = "/en/tag/regional-cooperation/"

[targets.ours-region-cold]
port = 8108
start = "$here/bench/peers_serve.sh {port} cold"
[targets.ours-region-cold.paths]
list_p1 = "/en/region/changchun/"
TOML
exec flock /tmp/bench-peers.lock "$harness/run_all.sh" "$here" --config /tmp/bench-ours-more.toml "$@"
