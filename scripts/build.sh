#!/usr/bin/env bash
# Configures and builds Brokkr in ./build (one build directory, ccache when present).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir="${BROKKR_BUILD_DIR:-$root/build}"
jobs="${BROKKR_JOBS:-$(nproc)}"
cmake -S "$root" -B "$build_dir" -DCMAKE_BUILD_TYPE="${BROKKR_BUILD_TYPE:-RelWithDebInfo}" "$@" >/dev/null
cmake --build "$build_dir" -j "$jobs"
