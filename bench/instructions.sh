#!/usr/bin/env bash
# Instructions per request of one page, counted by valgrind (callgrind): the same on a quiet and a
# loaded machine, so two versions of the code can be compared while other work runs.
#
#   bench/instructions.sh CHECKOUT DATA_DIR PATH [REQUESTS] [--warm]
#
# Runs CHECKOUT's bench/inprocess.py (20 warm-up requests, then REQUESTS, 40 by default) twice,
# with 0 and with REQUESTS measured requests, and prints (difference / REQUESTS): what one request
# costs, Django's start-up cancelled out. DATA_DIR is a corpus `make bench` built (migrated for
# CHECKOUT's code). --warm: page-cache hits (use 500 requests: a hit is ~0.8 M instructions and
# start-up varies by a few million). Needs valgrind (apt-get install valgrind); ~1 min a run.
set -euo pipefail
checkout=$(cd "$1" && pwd); data=$(cd "$2" && pwd); path=$3; requests=${4:-40}; shift $(( $# < 4 ? 3 : 4 ))
count() {
  local n=$1 out; shift; out=$(mktemp)
  (cd "$checkout" && PYTHONHASHSEED=0 DJANGO_DATA_DIR="$data" valgrind --tool=callgrind --callgrind-out-file="$out" \
    .venv/bin/python bench/inprocess.py "$path" "$n" "$@" 2>&1 | grep -o 'Collected : [0-9]*' | grep -o '[0-9]*$')
  rm -f "$out"
}
base=$(count 0 "$@"); total=$(count "$requests" "$@")
echo "$path $(( (total - base) / requests )) instructions per request ($requests requests)"
