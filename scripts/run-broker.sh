#!/usr/bin/env bash
# Installs the dependencies, builds, and starts one broker on 127.0.0.1:9092
# with the embedded defaults (data in ./brokkr-data). Extra arguments go to brokkr.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" -DBROKKR_BUILD_TESTS=OFF
exec "${BROKKR_BUILD_DIR:-$root/build}/bin/brokkr" "$@"
