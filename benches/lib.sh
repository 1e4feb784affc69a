# Shared by the bench scripts (sourced, not run): the release binary, the
# servers they start, and the temporary files, all cleaned up at exit.
#
#   bench_build              cd to the checkout; build release unless NO_BUILD=1;
#                            sets $bin (SSETUI_BIN measures another binary)
#   bench_temp VAR           a temporary file, removed at exit, its path in VAR
#   bench_start VAR SED CMD… runs CMD in the background (stopped at exit) and
#                            sets VAR to the URL the sed -n expression SED finds
#                            in its output, once it answers
#   bench_demo VAR           bench_start for `ssetui serve --port 0`
#   bench_count VALUE USAGE  exits 2 with USAGE unless VALUE is a whole number, 1 or more
#   bench_need TOOL…         exits 2 naming the first TOOL not found

bench_pids=()
bench_files=()

bench_cleanup() {
	local pid
	for pid in "${bench_pids[@]}"; do
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	if [ ${#bench_files[@]} -gt 0 ]; then
		rm -f "${bench_files[@]}"
	fi
}
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

bench_build() {
	cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
	if [ "${NO_BUILD:-}" != 1 ]; then
		cargo build --release --quiet
	fi
	bin=${SSETUI_BIN:-target/release/ssetui}
}

bench_temp() {
	local file
	file=$(mktemp)
	bench_files+=("$file")
	printf -v "$1" '%s' "$file"
}

bench_start() {
	local var=$1 pattern=$2 log pid url
	shift 2
	bench_temp log
	"$@" >"$log" 2>&1 &
	pid=$!
	bench_pids+=("$pid")
	for _ in $(seq 1 200); do
		url=$(sed -n "$pattern" "$log" | head -n 1)
		if [ -n "$url" ] && curl -s -o /dev/null "$url/"; then
			printf -v "$var" '%s' "$url"
			return 0
		fi
		if ! kill -0 "$pid" 2>/dev/null; then
			echo "$0: $1 exited:" >&2
			cat "$log" >&2
			exit 1
		fi
		sleep 0.05
	done
	echo "$0: $1 did not start answering within 10 s:" >&2
	cat "$log" >&2
	exit 1
}

bench_demo() {
	bench_start "$1" 's|^ssetui demo SSE server listening on \(http://[^ ]*\)/$|\1|p' "$bin" serve --port 0
}

bench_count() {
	case $1 in
	'' | *[!0-9]* | 0)
		echo "usage: $0 $2" >&2
		exit 2
		;;
	esac
}

bench_need() {
	local tool
	for tool in "$@"; do
		command -v "$tool" >/dev/null || {
			echo "$0: $tool is needed and was not found" >&2
			exit 2
		}
	done
}
