#!/usr/bin/env bash
# Installs everything the tests need, builds, and runs the whole suite with ctest.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh" --test
"$root/scripts/build.sh" -DBROKKR_BUILD_TESTS=ON
cd "${BROKKR_BUILD_DIR:-$root/build}"
ctest --output-on-failure --timeout 600 -j "${BROKKR_TEST_JOBS:-2}" "$@"
