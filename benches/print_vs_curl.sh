#!/usr/bin/env bash
# `ssetui print` against `curl -sN` on the demo server's /firehose, run
# alternately so both see the same machine load. Prints the median wall time
# of each, their ratio, print's peak RSS, and the spread of the runs' own
# ratios (each print run over the curl run just before it).
#
# Usage: benches/print_vs_curl.sh [RUNS]     (RUNS defaults to 7)
#        NO_BUILD=1 benches/print_vs_curl.sh  (skip `cargo build --release`)
#
# Workloads: "small" is 1,000,000 events of 100 data bytes (about 131 MB on
# the wire), "large" is 1,000 events of 100 KiB (about 102 MB). The targets:
# print within 2x curl on small and 1x on large, peak RSS under 16 MB (issue 19).
set -euo pipefail

runs=${1:-7}
. "$(dirname "$0")/lib.sh"
bench_count "$runs" '[RUNS]  (RUNS: a whole number of runs per workload, at least 1)'
bench_need curl cargo
bench_build
bench_temp rss_file
bench_demo base

# Wall time of one command in seconds, its stdout discarded.
now_us() {
	if [ -n "${EPOCHREALTIME:-}" ]; then
		echo "${EPOCHREALTIME/[.,]/}"
	else
		echo $(($(date +%s%N) / 1000))
	fi
}
seconds() {
	local start end
	start=$(now_us)
	"$@" >/dev/null
	end=$(now_us)
	awk -v us=$((end - start)) 'BEGIN { printf "%.4f", us / 1e6 }'
}
median() {
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
		if (NR % 2) print v[(NR + 1) / 2]; else printf "%.4f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

if [ -x /usr/bin/time ]; then
	has_time=1
else
	has_time=0
	echo "(/usr/bin/time not found: peak RSS is not measured)"
fi

printf '%-6s %8s %9s %10s %7s %7s %12s %14s\n' workload events "curl s" "print s" ratio target "print RSS" "runs' ratios"
status=0
for workload in "small 1000000 100 2" "large 1000 102400 1"; do
	read -r name n size target <<<"$workload"
	url="$base/firehose?n=$n&size=$size&id=1&event=tick"
	curl_times=()
	print_times=()
	for _ in $(seq 1 "$runs"); do
		curl_times+=("$(seconds curl -sN "$url")")
		print_times+=("$(seconds "$bin" print --no-reconnect "$url")")
	done
	curl_median=$(median "${curl_times[@]}")
	print_median=$(median "${print_times[@]}")
	ratio=$(awk -v p="$print_median" -v c="$curl_median" 'BEGIN { printf "%.2f", p / c }')
	# The spread: each run's print time over the curl run just before it.
	spread=$(paste <(printf '%s\n' "${print_times[@]}") <(printf '%s\n' "${curl_times[@]}") |
		awk '{ r = $1 / $2; if (NR == 1 || r < lo) lo = r; if (NR == 1 || r > hi) hi = r }
			END { printf "%.2f-%.2fx", lo, hi }')
	# One more run, untimed, checks that every event was printed and measures memory.
	rss="-"
	if [ "$has_time" = 1 ]; then
		lines=$(/usr/bin/time -f %M -o "$rss_file" "$bin" print --no-reconnect "$url" | wc -l)
		rss="$(awk '{ printf "%.1f MB", $1 / 1024 }' "$rss_file")"
	else
		lines=$("$bin" print --no-reconnect "$url" | wc -l)
	fi
	if [ "$lines" -ne "$n" ]; then
		echo "$0: print wrote $lines lines for $n events on $name" >&2
		status=1
	fi
	printf '%-6s %8s %9s %10s %7s %7s %12s %14s\n' "$name" "$n" "$curl_median" "$print_median" "${ratio}x" "${target}x" "$rss" "$spread"
	if awk -v r="$ratio" -v t="$target" 'BEGIN { exit !(r > t) }'; then
		echo "$0: $name: print took ${ratio}x curl's time, over the ${target}x target" >&2
		status=1
	fi
	if [ "$has_time" = 1 ] && awk '{ exit !($1 > 16 * 1024) }' "$rss_file"; then
		echo "$0: $name: print's peak RSS $rss is over the 16 MB target" >&2
		status=1
	fi
done
echo "(median of $runs runs each, alternating; $(nproc 2>/dev/null || echo '?') cores)"
exit "$status"
