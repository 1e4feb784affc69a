#!/usr/bin/env bash
# `ssetui print --validate --schema` on the demo's /firehose in its JSON mode
# (`json=1`: each data is `{"pad":"abc…"}`, 100 bytes), against the same
# print without validation, run alternately so both see the same load.
# Prints the median wall time and events per second of each.
#
# Usage: benches/validate.sh [RUNS] [EVENTS]   (defaults: 5 runs, 200000 events)
#        NO_BUILD=1 benches/validate.sh        (skip `cargo build --release`)
#
# The target (issue 17): at least 500,000 validated events per second.
set -euo pipefail

runs=${1:-5}
events=${2:-200000}
for value in "$runs" "$events"; do
	case $value in
	'' | *[!0-9]* | 0)
		echo "usage: $0 [RUNS] [EVENTS]  (whole numbers, at least 1)" >&2
		exit 2
		;;
	esac
done
command -v curl >/dev/null || {
	echo "$0: curl is needed (to see the demo server answer) and was not found" >&2
	exit 2
}

. "$(dirname "$0")/lib.sh"
bench_build
schema=docs/schemas/firehose.json
bench_demo base
url="$base/firehose?n=$events&json=1&id=0"

now_us() { echo "${EPOCHREALTIME/[.,]/}"; }
# Seconds one print takes; its stdout counted, so every line is checked written.
timed() {
	local start end lines
	start=$(now_us)
	lines=$("$bin" print --no-reconnect "$@" "$url" | wc -l)
	end=$(now_us)
	[ "$lines" -eq "$events" ] || {
		echo "$0: print $* wrote $lines lines, not $events" >&2
		exit 1
	}
	awk -v us=$((end - start)) 'BEGIN { printf "%.3f", us / 1e6 }'
}
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# The validated lines must all be valid: a schema that rejected every event
# would measure the error path.
invalid=$("$bin" print --no-reconnect --validate --schema "$schema" "$url" | grep -c '"valid":false' || true)
[ "$invalid" -eq 0 ] || {
	echo "$0: $invalid events were invalid" >&2
	exit 1
}

plain=() validated=()
for _ in $(seq 1 "$runs"); do
	plain+=("$(timed)")
	validated+=("$(timed --validate --schema "$schema")")
done
for name in plain validated; do
	declare -n times=$name
	m=$(median "${times[@]}")
	awk -v n="$events" -v s="$m" -v name="$name" \
		'BEGIN { printf "%-10s %8.3f s  %10.0f events/s\n", name, s, n / s }'
done
echo "($events events of 100 bytes, median of $runs runs each; $(nproc 2>/dev/null || echo '?') cores; target: validated >= 500000 events/s)"
