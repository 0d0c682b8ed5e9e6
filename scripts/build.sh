#!/usr/bin/env bash
# Configures and builds Brokkr in ./build (one build directory, ccache when present).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir="${BROKKR_BUILD_DIR:-$root/build}"
jobs="${BROKKR_JOBS:-$(nproc)}"
# Let ccache share results between checkouts in different directories (CI clones).
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$root}"
export CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-1}"
cmake -S "$root" -B "$build_dir" -DCMAKE_BUILD_TYPE="${BROKKR_BUILD_TYPE:-RelWithDebInfo}" "$@" >/dev/null
cmake --build "$build_dir" -j "$jobs"
