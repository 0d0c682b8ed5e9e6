#!/usr/bin/env bash
# Builds Brokkr's RPMs from a clean copy of the source tree and checks them:
#   1. source tarball: `git archive HEAD` (default), or with --worktree the
#      working tree as git sees it (tracked and untracked files, less what
#      .gitignore excludes, e.g. build/ and node_modules/), so uncommitted
#      work can be packaged and checked before it is committed
#   2. rpmbuild -ba brokkr.spec (source and binary packages)
#   3. rpmlint: no errors (warnings are printed)
#   4. the file list, file attributes and scriptlets of each package
#   5. the packages unpacked (rpm2cpio | cpio) into a scratch root; the
#      broker from there with the packaged config (only --data-dir and --listen
#      overridden): --check-config, --list-plugins, then started as systemd
#      would (NOTIFY_SOCKET): READY=1, ApiVersions, kcat produce/consume,
#      SIGTERM -> STOPPING=1 and exit code 0 (smoke-test.py)
#   6. an SDK example plugin built against the unpacked brokkr-devel and
#      accepted by the unpacked broker
#   7. the units: systemd-analyze verify (any message fails) and security
#      (exposure at most 2.0), both with --root on the scratch root, and the
#      sysusers.d/tmpfiles.d files applied to it
#
# usage: packaging/rpm/build-and-check.sh [--worktree] [--workdir DIR] [--keep]
#   --workdir DIR  work there (default: a new temporary directory); removed
#                  at the end unless --keep
# Exit status: 0 passed, 1 failed, 77 rpmbuild is not installed (skipped;
# Debian: apt-get install rpm, or scripts/install-deps.sh --test).
#
# On a system other than the EL family (Debian here) rpmbuild lacks EL's
# macros (%cmake, %systemd_*, %_unitdir, %sysusers_create_compat, ...):
# non-el.macros supplies them, and the build runs with --nodeps because the
# BuildRequires are EL package names.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
source_mode=head
work=""
keep=""
while (($#)); do
  case $1 in
    --worktree) source_mode=worktree ;;
    --head) source_mode=head ;;
    --workdir) work=$2; shift ;;
    --keep) keep=1 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done

step() { echo "== $*"; }
fail() {
  echo "FAIL: $*" >&2
  exit 1
}

if ! command -v rpmbuild >/dev/null; then
  echo "SKIPPED: rpmbuild is not installed (Debian: apt-get install rpm;" \
    "scripts/install-deps.sh --test installs it)"
  exit 77
fi
for tool in rpm rpmlint rpm2cpio cpio systemd-analyze python3 cmake; do
  command -v "$tool" >/dev/null \
    || fail "$tool is not installed (scripts/install-deps.sh --test installs what this needs)"
done

start_time=$SECONDS
version=$(sed -n 's/^project(brokkr VERSION \([0-9][0-9.]*\).*/\1/p' "$root/CMakeLists.txt")
spec_version=$(sed -n 's/^Version:[[:space:]]*//p' "$here/brokkr.spec")
[[ -n $version && $version == "$spec_version" ]] \
  || fail "CMakeLists.txt says version '$version', brokkr.spec says '$spec_version'"

if [[ -z $work ]]; then
  work=$(mktemp -d "${TMPDIR:-/tmp}/brokkr-rpm.XXXXXX")
else
  # A fixed directory (ctest passes one in its build tree) keeps the paths
  # the same from run to run, so ccache hits even for the generated unity
  # sources, which name their files by absolute path. Emptied first, but
  # only when an earlier run of this script made it.
  mkdir -p "$work"
  work=$(cd "$work" && pwd)
  if [[ -f $work/.brokkr-rpm-check ]]; then
    find "$work" -mindepth 1 -delete
  elif [[ -n $(ls -A "$work") ]]; then
    fail "--workdir $work is not empty and was not made by this script"
  fi
fi
touch "$work/.brokkr-rpm-check"
cleanup() {
  local status=$?
  if [[ -n $keep ]]; then
    echo "kept $work"
  else
    rm -rf "$work"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

topdir=$work/rpmbuild
mkdir -p "$topdir"/{SOURCES,SPECS,BUILD,BUILDROOT,RPMS,SRPMS}
tarball=$topdir/SOURCES/brokkr-$version.tar.gz

# ---- 1. source tarball ----
if ! git -C "$root" rev-parse --git-dir >/dev/null 2>&1; then
  step "source: the directory tree (not a git checkout; build/, node_modules/ and brokkr-data/ left out)"
  tar -C "$root" --exclude=./build --exclude=node_modules --exclude=./brokkr-data \
    --exclude=__pycache__ --transform "s,^\./,brokkr-$version/," -czf "$tarball" .
elif [[ $source_mode == head ]]; then
  step "source: git archive HEAD ($(git -C "$root" rev-parse --short HEAD))"
  if [[ -n $(git -C "$root" status --porcelain --untracked-files=no 2>/dev/null) ]]; then
    echo "note: the working tree has uncommitted changes; they are not in this build (--worktree packages them)"
  fi
  git -C "$root" archive --format=tar.gz --prefix="brokkr-$version/" -o "$tarball" HEAD
else
  step "source: the working tree (tracked and untracked files, .gitignore applied)"
  (cd "$root" && git ls-files -z --cached --others --exclude-standard \
    | while IFS= read -r -d '' f; do [[ -e $f || -L $f ]] && printf '%s\0' "$f"; done \
    | LC_ALL=C sort -zu \
    | tar --null -T - --transform "s,^,brokkr-$version/," -czf "$tarball")
fi
echo "$(du -h "$tarball" | cut -f1) $tarball"
cp "$here/brokkr.spec" "$topdir/SPECS/"
cp "$here"/{brokkr.service,brokkr@.service,brokkr.sysusers,brokkr.tmpfiles,brokkr.toml} "$topdir/SOURCES/"

# ---- 2. rpmbuild ----
rpm_args=(--define "_topdir $topdir")
if [[ -z $(rpm --eval '%{?_unitdir}') ]]; then
  # Not EL: supply EL's macros. Debian's optflags are just "-O2 -g", which
  # the RelWithDebInfo build type has already; without them the compiler
  # flags are those of scripts/build.sh, so ccache can serve what the
  # ordinary build compiled (the plugins and the generated protocol code).
  rpm_args+=(--load "$here/non-el.macros" --define "optflags %{nil}")
  echo "not an EL system: EL macros from non-el.macros, BuildRequires not checked (--nodeps)"
fi
# ccache (used by CMakeLists.txt when present): paths relative to the
# unpacked tree, so every scratch directory shares one cache.
export CCACHE_BASEDIR=$topdir/BUILD
export CCACHE_NOHASHDIR=1
step "rpmbuild -ba brokkr.spec (log: $work/rpmbuild.log)"
build_start=$SECONDS
if ! rpmbuild -ba --nodeps "${rpm_args[@]}" "$topdir/SPECS/brokkr.spec" >"$work/rpmbuild.log" 2>&1; then
  tail -n 60 "$work/rpmbuild.log" >&2
  fail "rpmbuild failed (whole log: $work/rpmbuild.log; run with --keep to keep it)"
fi
echo "rpmbuild took $((SECONDS - build_start)) s"
mapfile -t binary_rpms < <(find "$topdir/RPMS" -name '*.rpm' | sort)
mapfile -t source_rpms < <(find "$topdir/SRPMS" -name '*.src.rpm')
((${#source_rpms[@]} == 1)) || fail "expected one source RPM, found ${#source_rpms[@]}"
for rpm_file in "${source_rpms[@]}" "${binary_rpms[@]}"; do echo "  $(basename "$rpm_file")"; done

package_file() {  # package_file NAME: the binary RPM of that package name
  local f
  for f in "${binary_rpms[@]}"; do
    if [[ $(rpm -qp --qf '%{NAME}' "$f" 2>/dev/null) == "$1" ]]; then
      echo "$f"
      return
    fi
  done
  fail "no $1 package was built"
}
main_rpm=$(package_file brokkr)
devel_rpm=$(package_file brokkr-devel)
if [[ -d $root/plugins/coordination-zookeeper ]]; then
  package_file brokkr-plugin-zookeeper >/dev/null
fi

# ---- 3. rpmlint ----
step "rpmlint"
# brokkr.rpmlintrc lists the findings accepted on purpose, with the reasons.
rpmlint -r "$here/brokkr.rpmlintrc" --ignore-unused-rpmlintrc \
  "$topdir/SPECS/brokkr.spec" "${source_rpms[@]}" "${binary_rpms[@]}" >"$work/rpmlint.log" 2>&1 || true
cat "$work/rpmlint.log"
summary=$(grep -E '[0-9]+ errors?, [0-9]+ warnings?' "$work/rpmlint.log" | tail -n 1)
[[ -n $summary ]] || fail "rpmlint printed no summary line"
errors=$(sed -E 's/.* ([0-9]+) errors?,.*/\1/' <<<"$summary")
((errors == 0)) || fail "rpmlint found $errors error(s)"

# ---- 4. file lists, attributes, scriptlets ----
step "package contents"
check_files() {  # check_files RPM PATH...: each PATH (a shell pattern) matches a packaged file
  local rpm_file=$1 listing pattern found line
  shift
  listing=$(rpm -qlp "$rpm_file")
  for pattern in "$@"; do
    found=""
    while IFS= read -r line; do
      # shellcheck disable=SC2053  # pattern match on purpose
      if [[ $line == $pattern ]]; then found=1; break; fi
    done <<<"$listing"
    [[ -n $found ]] || fail "$(basename "$rpm_file") has no $pattern"
  done
}
libdir=$(rpm -qlp "$main_rpm" | sed -n 's,^\(/usr/lib[^/]*\)/brokkr/plugins$,\1,p')
[[ -n $libdir ]] || fail "brokkr has no <libdir>/brokkr/plugins directory"
check_files "$main_rpm" \
  /usr/bin/brokkr \
  "$libdir"/brokkr/plugins/libbrokkr_coordination_raft.so \
  "$libdir"/brokkr/plugins/libbrokkr_storage_segment.so \
  "$libdir"/brokkr/plugins/libbrokkr_codec_{gzip,gzip_isal,snappy,lz4,zstd}.so \
  "$libdir"/brokkr/plugins/libbrokkr_assignor_{uniform,range,roundrobin}.so \
  /etc/brokkr/brokkr.toml \
  /usr/lib/systemd/system/brokkr.service /usr/lib/systemd/system/brokkr@.service \
  /usr/lib/sysusers.d/brokkr.conf /usr/lib/tmpfiles.d/brokkr.conf \
  /var/lib/brokkr /var/lib/brokkr/instances \
  /usr/share/doc/brokkr/{README,operations,quickstart,configuration}.md \
  /usr/share/licenses/brokkr/NOTICE
# The command-line tools: each one tools/cli builds (tools/cli/<tool>/).
for tool in topics configs console-producer console-consumer consumer-groups \
  producer-perf-test consumer-perf-test; do
  if [[ -f $root/tools/cli/$tool/CMakeLists.txt ]]; then
    check_files "$main_rpm" "/usr/bin/brokkr-$tool"
  fi
done
echo "command-line tools: $(rpm -qlp "$main_rpm" | grep '^/usr/bin/brokkr-' | xargs -r -n1 basename | tr '\n' ' ')"
# Everything the broker's CMake install puts out: no header, no CMake file in brokkr.
if rpm -qlp "$main_rpm" | grep -E '^/usr/include/|/cmake/|sdk-examples'; then
  fail "brokkr contains SDK files (they belong to brokkr-devel)"
fi
check_files "$devel_rpm" \
  /usr/include/brokkr/sdk/plugin.hpp /usr/include/brokkr/sdk/sdk_fingerprint.hpp \
  "$libdir"/cmake/BrokkrSDK/BrokkrSDKConfig.cmake \
  "$libdir"/cmake/BrokkrSDK/BrokkrSDKConfigVersion.cmake \
  "$libdir"/cmake/BrokkrSDK/BrokkrSDKTargets.cmake \
  "$libdir"/cmake/BrokkrSDK/BrokkrPlugin.cmake \
  '/usr/share/brokkr/sdk-examples/*/CMakeLists.txt' \
  /usr/share/doc/brokkr-devel/plugin-sdk.md
# %config(noreplace) ("cn"), owners and modes.
attributes=$(rpm -qp --qf '[%{FILENAMES} %{FILEFLAGS:fflags} %{FILEUSERNAME} %{FILEGROUPNAME} %{FILEMODES:perms}\n]' "$main_rpm")
expect_attributes() {
  grep -qxF "$1" <<<"$attributes" || fail "expected '$1', the package has: $(grep "^${1%% *} " <<<"$attributes")"
}
expect_attributes "/etc/brokkr/brokkr.toml cn root brokkr -rw-r-----"
expect_attributes "/var/lib/brokkr  brokkr brokkr drwxr-x---"
expect_attributes "/var/lib/brokkr/instances  brokkr brokkr drwxr-x---"
expect_attributes "/usr/bin/brokkr  root root -rwxr-xr-x"
scripts=$(rpm -qp --scripts "$main_rpm")
grep -q 'brokkr' <<<"$(sed -n '/^preinstall/,/^postinstall/p' <<<"$scripts")" \
  || fail "brokkr's %pre does not create the brokkr user"
for scriptlet in postinstall preuninstall postuninstall; do
  grep -A8 "^$scriptlet" <<<"$scripts" | grep -c 'brokkr.service' >/dev/null \
    || fail "brokkr's $scriptlet scriptlet does not handle brokkr.service"
done
for tag in PREIN POSTIN PREUN POSTUN; do  # valid shell, and bash has nothing to warn about
  rpm -qp --qf "%{$tag}" "$main_rpm" >"$work/scriptlet.sh"
  syntax=$(bash -n "$work/scriptlet.sh" 2>&1) && [[ -z $syntax ]] \
    || fail "brokkr's $tag scriptlet: $syntax"
done
# (grep -q in a pipeline could stop reading early: SIGPIPE fails it under pipefail.)
grep -qx brokkr.spec <<<"$(rpm -qpl "${source_rpms[0]}")" || fail "the source RPM has no brokkr.spec"
echo "file lists, attributes and scriptlets as expected"

# ---- 5. unpack and run the packaged broker ----
scratch_root=$work/root
mkdir -p "$scratch_root"
step "unpacking into $scratch_root"
for rpm_file in "${binary_rpms[@]}"; do
  [[ $(basename "$rpm_file") == *-debug* ]] && continue
  (cd "$scratch_root" && rpm2cpio "$rpm_file" | cpio -idm --quiet)
done
broker=$scratch_root/usr/bin/brokkr
config=$scratch_root/etc/brokkr/brokkr.toml
"$broker" --version

step "the packaged config: valid, and the defaults but for data_dir"
"$broker" --config "$config" --data-dir "$work/check-data" --check-config
python3 - "$config" "$root/configs/broker.toml" <<'EOF'
import sys, tomllib
packaged, defaults = (tomllib.load(open(p, "rb")) for p in sys.argv[1:])
assert packaged["broker"]["data_dir"] == "/var/lib/brokkr", packaged["broker"]["data_dir"]
packaged["broker"]["data_dir"] = defaults["broker"]["data_dir"]
if packaged != defaults:
    for table in sorted(set(packaged) | set(defaults)):
        if packaged.get(table) != defaults.get(table):
            print("  [%s] packaged %r\n  [%s] default  %r" % (table, packaged.get(table), table, defaults.get(table)))
    sys.exit("packaging/rpm/brokkr.toml differs from configs/broker.toml (only data_dir may)")
print("same keys and values as configs/broker.toml, data_dir = /var/lib/brokkr")
EOF

step "docs/operations.md (packaged) names every configuration key"
python3 - "$root/configs/broker.toml" "$scratch_root/usr/share/doc/brokkr/operations.md" <<'EOF'
import sys, tomllib
config, doc = tomllib.load(open(sys.argv[1], "rb")), open(sys.argv[2]).read()
def keys(table, prefix):
    for name, value in table.items():
        if isinstance(value, dict) and name not in ("config", "components"):
            yield from keys(value, prefix + name + ".")
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            for item in value:
                yield from keys(item, prefix + name + "[].")
        else:
            yield prefix + name
missing = sorted({k for k in keys(config, "") if "`" + k not in doc})
if missing:
    sys.exit("not in the reference of docs/operations.md: " + ", ".join(missing))
print("every key of configs/broker.toml is in its reference table")
EOF

step "plugins found beside the packaged binary"
"$broker" --config "$config" --data-dir "$work/check-data" --list-plugins | tee "$work/plugins.txt"
grep -qE "^# directory $scratch_root/usr/(bin/\.\./)?${libdir#/usr/}/brokkr/plugins/?\$" "$work/plugins.txt" \
  || fail "the broker did not look in <bindir>/../${libdir#/usr/}/brokkr/plugins"
if awk '!/^#/ && !/^KIND / && $4 != "ok"' "$work/plugins.txt" | grep .; then
  fail "a packaged plugin is not ok"
fi

step "the packaged broker, started as brokkr.service starts it"
python3 "$here/smoke-test.py" "$broker" "$config" "$work/smoke"

# ---- 6. the SDK of brokkr-devel ----
step "an SDK example built against the unpacked brokkr-devel"
# BrokkrSDK_DIR: Debian's CMake does not look in <prefix>/lib64/cmake.
example_build=$work/sdk-example
cmake -S "$scratch_root/usr/share/brokkr/sdk-examples/assignor-lexicographic" -B "$example_build" \
  -DCMAKE_PREFIX_PATH="$scratch_root/usr" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF \
  -DBrokkrSDK_DIR:PATH="$scratch_root$libdir/cmake/BrokkrSDK" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$work/sdk-example.log" 2>&1 \
  && grep -qF "BrokkrSDK_DIR:PATH=$scratch_root/usr/" "$example_build/CMakeCache.txt" \
  && cmake --build "$example_build" >>"$work/sdk-example.log" 2>&1 \
  || { cat "$work/sdk-example.log" >&2; fail "building the example against brokkr-devel failed"; }
"$broker" --config "$config" --data-dir "$work/check-data" \
  --override "plugins.directories=[\"$example_build\"]" --list-plugins >"$work/example-plugins.txt"
grep -E '^assignor +lexicographic .* ok ' "$work/example-plugins.txt" \
  || { cat "$work/example-plugins.txt" >&2; fail "the packaged broker refused the example plugin"; }

# ---- 7. systemd units, sysusers.d, tmpfiles.d ----
step "systemd-analyze verify --root (the packaged units, ExecStart in the scratch root)"
# systemd's own units (sysinit.target, network-online.target, ...) beside the packaged ones.
host_units=/usr/lib/systemd/system
[[ -f $host_units/sysinit.target ]] || host_units=/lib/systemd/system
cp -rn "$host_units/." "$scratch_root/usr/lib/systemd/system/"
verify_out=$(systemd-analyze verify --root="$scratch_root" brokkr.service brokkr@smoke.service 2>&1) \
  || fail "systemd-analyze verify failed: $verify_out"
[[ -z $verify_out ]] || fail "systemd-analyze verify: $verify_out"
echo "brokkr.service, brokkr@smoke.service: no findings"
for unit in brokkr.service brokkr@smoke.service; do
  systemd-analyze security --offline=yes --root="$scratch_root" --threshold=20 "$unit" \
    >"$work/security.txt" 2>&1 \
    || { cat "$work/security.txt" >&2; fail "$unit: exposure level above 2.0"; }
  grep 'Overall exposure' "$work/security.txt"
done
if [[ $(id -u) -eq 0 ]]; then
  step "sysusers.d and tmpfiles.d applied to the scratch root"
  systemd-sysusers --root="$scratch_root" "$scratch_root/usr/lib/sysusers.d/brokkr.conf"
  grep -q '^brokkr:x:[0-9]*:[0-9]*:Brokkr message broker:/var/lib/brokkr:' "$scratch_root/etc/passwd" \
    || fail "systemd-sysusers made no brokkr user: $(cat "$scratch_root/etc/passwd")"
  rm -rf "$scratch_root/var/lib/brokkr"
  systemd-tmpfiles --root="$scratch_root" --create "$scratch_root/usr/lib/tmpfiles.d/brokkr.conf"
  uid=$(awk -F: '$1 == "brokkr" { print $3 }' "$scratch_root/etc/passwd")
  for d in /var/lib/brokkr /var/lib/brokkr/instances; do
    [[ $(stat -c '%u %a' "$scratch_root$d") == "$uid 750" ]] \
      || fail "tmpfiles.d made $d as $(stat -c '%u %a' "$scratch_root$d"), wanted $uid 750"
  done
  echo "user brokkr ($uid), /var/lib/brokkr and /var/lib/brokkr/instances (0750, brokkr)"
else
  echo "not root: systemd-sysusers/systemd-tmpfiles --root check left out"
fi

echo "PASSED: RPMs built and checked in $((SECONDS - start_time)) s"
