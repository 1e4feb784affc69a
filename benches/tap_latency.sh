#!/usr/bin/env bash
# What `ssetui tap` adds to the time an event takes to reach the client.
# The demo's /clock stamps each event with the time it was written (its
# data's "time"); `ssetui print` stamps each with the time its read arrived
# (the line's "time"). N events 20 ms apart, read directly and through a
# `tap --headless` to the same demo, alternately: the median, p90 and max of
# arrival minus sending, in ms (both clocks have ms resolution), and the
# tap's added median. Issue 18 asks for a few ms at most.
#
# Usage: benches/tap_latency.sh [N]        (N events per run, default 200)
#        NO_BUILD=1 benches/tap_latency.sh (skip `cargo build --release`)
#        SSETUI_BIN=target/debug/ssetui ... (measure another binary)
set -euo pipefail

n=${1:-200}
. "$(dirname "$0")/lib.sh"
bench_count "$n" '[N]  (N: events per run, at least 1)'
bench_need curl cargo python3
bench_build
bench_demo demo
bench_start tap 's|^tapping .* at \(http://[^ ]*\)/$|\1|p' "$bin" tap --headless --port 0 --upstream "$demo"

# Arrival minus sending of each event, in ms, one per line.
delays() {
	"$bin" print --no-reconnect "$1/clock?count=$n&interval_ms=20" | python3 -c '
import json, sys
from datetime import datetime
def ms(t): return datetime.fromisoformat(t.replace("Z", "+00:00")).timestamp() * 1000
for line in sys.stdin:
    e = json.loads(line)
    print(round(ms(e["time"]) - ms(json.loads(e["data"])["time"])))
'
}

bench_temp direct
bench_temp tapped
for _ in 1 2 3; do
	delays "$demo" >>"$direct"
	delays "$tap" >>"$tapped"
done
python3 - "$direct" "$tapped" <<'PY'
import sys
def stats(path):
    xs = sorted(int(l) for l in open(path))
    pick = lambda q: xs[min(len(xs) - 1, int(q * len(xs)))]
    return pick(0.5), pick(0.9), xs[-1], len(xs)
d, t = stats(sys.argv[1]), stats(sys.argv[2])
print(f"direct       median {d[0]} ms  p90 {d[1]} ms  max {d[2]} ms  ({d[3]} events)")
print(f"through tap  median {t[0]} ms  p90 {t[1]} ms  max {t[2]} ms  ({t[3]} events)")
print(f"tap adds     median {t[0] - d[0]} ms  p90 {t[1] - d[1]} ms")
PY
