#!/usr/bin/env bash
# Installs what Brokkr needs on Debian 12, idempotently: packages already
# present are left alone, and apt-get runs only when something is missing.
#   scripts/install-deps.sh          build dependencies
#   scripts/install-deps.sh --test   plus what the test suite drives (real clients)
set -euo pipefail

build_packages=(
  build-essential cmake ccache pkg-config git
  libboost1.81-dev libtomlplusplus-dev libspdlog-dev libfmt-dev
  libzstd-dev liblz4-dev libsnappy-dev zlib1g-dev libisal-dev libssl-dev librdkafka-dev
)
test_packages=(
  catch2 python3 kcat python3-kafka python3-confluent-kafka nodejs
  python3-snappy python3-lz4 python3-zstandard  # kafka-python's codecs
  rpm rpm2cpio rpmlint cpio systemd  # integration.rpm_package: rpmbuild, rpmlint, systemd-analyze
)

packages=("${build_packages[@]}")
if [[ "${1:-}" == "--test" ]]; then packages+=("${test_packages[@]}"); fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
apt_updated=""

if ((${#missing[@]} > 0)); then
  echo "installing: ${missing[*]}"
  $sudo apt-get update -qq
  apt_updated=1
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# --test: the npm modules of the kafkajs tests (tests/integration/js), when
# node_modules is missing or was installed from another package.json /
# package-lock.json (a stamp in node_modules records their checksum).
if [[ "${1:-}" == "--test" ]]; then
  if ! command -v npm >/dev/null; then
    # Debian's nodejs comes without npm (other builds of node include it).
    [[ -n $apt_updated ]] || $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends npm
  fi
  # kafkajs-lz4's lz4 module compiles against node's headers (node-gyp).
  if [[ ! -f /usr/include/node/node.h ]] && ! dpkg -s libnode-dev >/dev/null 2>&1; then
    [[ -n $apt_updated ]] || $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends libnode-dev make g++
  fi
  js_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/tests/integration/js"
  want=$(cd "$js_dir" && cat package.json package-lock.json | sha256sum | cut -d' ' -f1)
  stamp="$js_dir/node_modules/.brokkr-deps.sha256"
  if [[ ! -f $stamp || "$(cat "$stamp")" != "$want" || ! -d $js_dir/node_modules/kafkajs ]]; then
    echo "installing npm modules in $js_dir"
    (cd "$js_dir" && npm ci --no-audit --no-fund --loglevel=error)
    echo "$want" >"$stamp"
  fi
fi
