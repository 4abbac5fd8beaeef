#!/usr/bin/env bash
# The portal for bench/peers.sh's extra rows: the harness's corpus given full tag and region pages
# (bench/peers_tags.py), then served as the harness serves it (its ours/serve.sh PORT cold|warm).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
(cd /tmp/bench-ours/repo && DJANGO_DATA_DIR=/tmp/bench-ours/var \
  DJANGO_SECRET_KEY=bench-only-secret-key-bench-only-secret-key-1234 .venv/bin/python "$here/peers_tags.py")
exec ours/serve.sh "$@"
