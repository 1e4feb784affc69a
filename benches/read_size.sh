#!/usr/bin/env bash
# What the HTTP client's read size does to `ssetui print` (issue 19: the
# large events' floor). hyper reads up to its `max_buf_size` (about 400 KiB,
# 496 KiB in practice) at a time; reqwest does not pass hyper-util's
# `http1_max_buf_size` on, so `print` cannot choose. This script builds a
# second binary with hyper patched to take that default from
# SSETUI_BENCH_MAX_BUF (an experiment, never shipped), then runs `curl -sN`,
# `print`, and the patched `print` at 64 and 128 KiB alternately against
# the demo server (the unpatched binary) and prints the medians of wall
# time and CPU.
#
# Usage: benches/read_size.sh [RUNS]     (RUNS defaults to 15)
#
# The first run builds into target/read-size (a copy of the sources and of
# hyper live there too): several minutes on two cores. Cargo.lock is not touched.
set -euo pipefail

runs=${1:-15}
. "$(dirname "$0")/lib.sh"
bench_count "$runs" '[RUNS]  (RUNS: a whole number of runs per binary, at least 1)'
bench_need curl cargo python3
bench_build
root=$PWD
scratch=$root/target/read-size

# hyper as Cargo.lock pins it, from cargo's registry sources.
version=$(awk '$0 == "name = \"hyper\"" { getline; gsub(/"/, "", $3); print $3 }' Cargo.lock)
find_hyper() { ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/"hyper-$version" 2>/dev/null | head -n 1 || true; }
hyper_src=$(find_hyper)
if [ -z "$hyper_src" ]; then
	cargo fetch --quiet
	hyper_src=$(find_hyper)
fi
[ -n "$hyper_src" ] || {
	echo "$0: hyper $version's sources were not found in cargo's registry" >&2
	exit 1
}

# Copied once and kept: a fresh copy would rebuild hyper and all above it.
hyper=$scratch/hyper-$version
if [ ! -f "$hyper/.patched" ]; then
	rm -rf "$hyper"
	mkdir -p "$scratch"
	cp -R "$hyper_src" "$hyper"
	chmod -R u+w "$hyper"
	io=$hyper/src/proto/h1/io.rs
	from='ReadStrategy::with_max(DEFAULT_MAX_BUFFER_SIZE)'
	if [ "$(grep -c -F "$from" "$io")" != 1 ]; then
		echo "$0: hyper $version's read strategy is not where this script expects it ($io)" >&2
		exit 1
	fi
	to='ReadStrategy::with_max(std::env::var("SSETUI_BENCH_MAX_BUF").ok().and_then(|v| v.parse().ok()).unwrap_or(DEFAULT_MAX_BUFFER_SIZE))'
	FROM=$from TO=$to perl -0pi -e 's/\Q$ENV{FROM}\E/$ENV{TO}/' "$io"
	grep -q -F SSETUI_BENCH_MAX_BUF "$io" || {
		echo "$0: patching $io failed" >&2
		exit 1
	}
	touch "$hyper/.patched"
fi

# The sources, copied so that the patch does not rewrite the checkout's Cargo.lock.
work=$scratch/sources
mkdir -p "$work"
for part in Cargo.toml Cargo.lock src assets benches docs; do
	rm -rf "${work:?}/$part"
	cp -Rp "$part" "$work/$part"
done
(cd "$work" && cargo build --release --quiet --target-dir "$scratch" \
	--config "patch.crates-io.hyper.path=\"$hyper\"")
patched=$scratch/release/ssetui

bench_demo base
python3 - "$base" "$bin" "$patched" "$runs" <<'EOF'
import os, statistics, sys, time

base, plain, patched, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
devnull = os.open(os.devnull, os.O_WRONLY)


def run(argv, env):
    """Wall and CPU seconds of one run, its stdout discarded."""
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        os.dup2(devnull, 1)
        os.environ.update(env)
        os.execvp(argv[0], argv)
    _, status, usage = os.wait4(pid, 0)
    if status != 0:
        sys.exit(f"{argv[0]} exited with status {status}")
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


for name, n, size in (("small", 1_000_000, 100), ("large", 1_000, 102_400)):
    url = f"{base}/firehose?n={n}&size={size}&id=1&event=tick"
    print_args = ["print", "--no-reconnect", url]
    contenders = [
        ("curl -sN", ["curl", "-sN", url], {}),
        ("print", [plain, *print_args], {}),
        ("print, reads <= 64 KiB", [patched, *print_args], {"SSETUI_BENCH_MAX_BUF": "65536"}),
        ("print, reads <= 128 KiB", [patched, *print_args], {"SSETUI_BENCH_MAX_BUF": "131072"}),
    ]
    times = {label: [] for label, _, _ in contenders}
    for _ in range(runs):
        for label, argv, env in contenders:
            times[label].append(run(argv, env))
    curl_wall = statistics.median(wall for wall, _ in times["curl -sN"])
    print(f"{name}: {n} events of {size} bytes")
    for label, _, _ in contenders:
        wall = statistics.median(w for w, _ in times[label])
        cpu = statistics.median(c for _, c in times[label])
        print(f"  {label:24} wall {wall * 1000:6.1f} ms  cpu {cpu * 1000:6.1f} ms  {wall / curl_wall:.2f}x curl")
print(f"(medians of {runs} runs each, alternating; {os.cpu_count()} cores)")
EOF
