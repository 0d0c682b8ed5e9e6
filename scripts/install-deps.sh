#!/usr/bin/env bash
# Installs what Brokkr needs on Debian 12, idempotently: packages already
# present are left alone, and apt-get runs only when something is missing.
#   scripts/install-deps.sh          build dependencies
#   scripts/install-deps.sh --test   plus what the test suite drives (real clients)
set -euo pipefail

build_packages=(
  build-essential cmake ccache pkg-config git
  libboost1.81-dev libtomlplusplus-dev libspdlog-dev libfmt-dev
  libzstd-dev liblz4-dev libsnappy-dev zlib1g-dev libssl-dev
)
test_packages=(
  catch2 python3 kcat python3-kafka python3-confluent-kafka
)

packages=("${build_packages[@]}")
if [[ "${1:-}" == "--test" ]]; then packages+=("${test_packages[@]}"); fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "installing: ${missing[*]}"
sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
