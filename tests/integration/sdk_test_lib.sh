# Shared steps of the SDK example tests (sourced, not run): a scratch
# directory with cleanup, install the SDK from a build into a scratch prefix,
# and build an example plugin against that installed copy only. The caller
# sets `build_dir` and calls sdk_test_setup first.

# sdk_test_setup <name>: sets `tmp` (removed at exit) and `broker_pid` (a
# broker the test starts there is stopped at exit).
sdk_test_setup() {
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
  broker_pid=
  trap sdk_test_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

sdk_test_cleanup() {
  local status=$?
  if [[ -n $broker_pid ]] && kill -0 "$broker_pid" 2>/dev/null; then
    kill -TERM "$broker_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$broker_pid" 2>/dev/null || break; sleep 0.1; done
    pkill -KILL -P "$broker_pid" 2>/dev/null || true  # anything it started
    kill -KILL "$broker_pid" 2>/dev/null || true
    wait "$broker_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
  exit "$status"
}

fail() {
  echo "FAIL: $*" >&2
  if [[ -f $tmp/broker.log ]]; then
    echo "---- broker log (last 40 lines) ----" >&2
    tail -n 40 "$tmp/broker.log" >&2
  fi
  exit 1
}
step() { echo "== $*"; }

# Installs the devel component into $tmp/sdk and sets `prefix`.
install_sdk() {
  prefix=$tmp/sdk
  step "installing the SDK from $build_dir into $prefix"
  cmake --install "$build_dir" --prefix "$prefix" --component devel > "$tmp/install.log" \
    || { cat "$tmp/install.log" >&2; fail "cmake --install --component devel failed"; }
  for f in include/brokkr/sdk/plugin.hpp include/brokkr/sdk/sdk_fingerprint.hpp; do
    [[ -f $prefix/$f ]] || fail "the SDK install lacks $f"
  done
  [[ -n $(find "$prefix" -name BrokkrSDKConfig.cmake -print -quit) ]] \
    || fail "the SDK install lacks BrokkrSDKConfig.cmake"
}

# build_sdk_example <example dir name> <plugin library file name>
# Builds sdk-examples/<name> from the installed SDK into a fresh
# $tmp/example-build.* (no plugin name in it: tests grep listings for names)
# and sets `built_plugin` to the library's path.
build_sdk_example() {
  local name=$1 library=$2
  local src out cxx
  src=$(find "$prefix" -type d -path "*sdk-examples/$name" -print -quit)
  [[ -n $src ]] || fail "the SDK install lacks the $name example"
  out=$(mktemp -d "$tmp/example-build.XXXXXX")
  # Same compiler as the broker, or the plugin would be refused (toolchain fingerprint).
  cxx=$(sed -n 's/^CMAKE_CXX_COMPILER:[A-Z]*=//p' "$build_dir/CMakeCache.txt" | head -n 1)
  step "building the $name example from $src"
  cmake -S "$src" -B "$out" \
    -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    ${cxx:+-DCMAKE_CXX_COMPILER="$cxx"} > "$tmp/$name-configure.log" 2>&1 \
    || { cat "$tmp/$name-configure.log" >&2; fail "configuring the $name example failed"; }
  grep -qF "BrokkrSDK_DIR:PATH=$prefix/" "$out/CMakeCache.txt" \
    || fail "the $name example did not use the SDK installed in $prefix"
  cmake --build "$out" > "$tmp/$name-build.log" 2>&1 \
    || { cat "$tmp/$name-build.log" >&2; fail "building the $name example failed"; }
  built_plugin=$out/$library
  [[ -f $built_plugin ]] || fail "the $name example build produced no $built_plugin"
  echo "built $built_plugin"
}
