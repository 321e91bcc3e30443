#!/bin/bash
# Runs clang-tidy over diobench's sources with the compile commands of a
# configured build (not part of `cmake --build`, which must stay fast).
#
#   tools/run-clang-tidy.sh [BUILD_DIR]     # default: build/tools
#
# Exits non-zero if clang-tidy reports any warning.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build/tools}
tidy=$(command -v clang-tidy-14 || command -v clang-tidy || true)
if [ -z "$tidy" ]; then
	echo "run-clang-tidy: clang-tidy not found (apt-get install clang-tidy)" >&2
	exit 2
fi
if [ ! -f "$build/compile_commands.json" ]; then
	echo "run-clang-tidy: $build/compile_commands.json missing; configure first:" >&2
	echo "  cmake -S tools -B build/tools -DCMAKE_BUILD_TYPE=Release" >&2
	exit 2
fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
find "$here/src" "$here/tests" -name '*.cpp' -print0 | sort -z |
	xargs -0 -n 4 -P "$(nproc)" "$tidy" -p "$build" --quiet >"$log" 2>&1 || status=$?
# clang-tidy prints "N warnings generated." for suppressed system-header
# warnings too; only diagnostics located in our files count.
if grep -E "^$here/.*: (warning|error):" "$log"; then
	echo "run-clang-tidy: warnings found" >&2
	exit 1
fi
if [ "$status" -ne 0 ]; then
	cat "$log" >&2
	echo "run-clang-tidy: clang-tidy failed (status $status)" >&2
	exit 1
fi
echo "run-clang-tidy: clean"
