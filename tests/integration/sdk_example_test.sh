#!/usr/bin/env bash
# The SDK works out of tree: install the SDK from a build, build the example
# assignor plugins (lexicographic, rack-aware) against the installed copy,
# then (given a broker binary) check that the broker lists lexicographic,
# loads it and shuts down cleanly, and that a KIP-848 group choosing
# rack-aware (server_assignor) is handed exactly what rack-aware computes.
#
#   sdk_example_test.sh <brokkr build dir> [<path to the brokkr binary>]
#
# Without a broker binary only the install-and-build half runs.
set -euo pipefail

build_dir=${1:?usage: sdk_example_test.sh <build dir> [<brokkr binary>]}
brokkr=${2:-}
build_dir=$(cd "$build_dir" && pwd)

# shellcheck source=sdk_test_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/sdk_test_lib.sh"
sdk_test_setup brokkr-sdk-example

# ---- 1. install the SDK (devel component only) into a temporary prefix ----
install_sdk

# ---- 2. build the examples against the installed SDK only ----
build_sdk_example assignor-lexicographic libbrokkr_assignor_lexicographic.so
plugin=$built_plugin
example_build=$(dirname "$plugin")
build_sdk_example assignor-rack-aware libbrokkr_assignor_rack_aware.so
rack_plugin=$built_plugin
rack_build=$(dirname "$rack_plugin")

if [[ -z $brokkr ]]; then
  echo "SKIP: no broker binary given; the broker half did not run"
  echo "PASS (SDK install and example build)"
  exit 0
fi
[[ -x $brokkr ]] || fail "no broker binary at $brokkr"

# ---- 3. the broker lists the example as ok ----
plugins_dir=$build_dir/lib/brokkr/plugins
[[ -d $plugins_dir ]] || fail "no plugin directory $plugins_dir"
directories="plugins.directories=[\"$example_build\",\"$plugins_dir\"]"
step "brokkr --list-plugins"
rc=0
listing=$("$brokkr" --list-plugins --override "$directories" 2>&1) || rc=$?
if ((rc != 0)); then echo "$listing" >&2; fail "brokkr --list-plugins exited with status $rc"; fi
echo "$listing"
line=$(grep -F lexicographic <<<"$listing" | head -n 1 || true)
[[ -n $line ]] || fail "the example plugin is not listed"
grep -qw ok <<<"$line" || fail "the example plugin is not listed as ok: $line"
if grep -qiw refused <<<"$line"; then fail "the example plugin is refused: $line"; fi

# ---- 4. the broker loads it, listens, and stops cleanly on SIGTERM ----
port_is_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
started() { grep -qE '\[broker\] broker [0-9]+ started' "$tmp/broker.log"; }
port=
for _ in $(seq 100); do
  candidate=$((20000 + RANDOM % 40000))
  if ! port_is_open "$candidate"; then port=$candidate; break; fi
done
[[ -n $port ]] || fail "found no free port"

step "starting brokkr on 127.0.0.1:$port"
mkdir -p "$tmp/data"
"$brokkr" --data-dir "$tmp/data" --listen "127.0.0.1:$port" \
  --override "$directories" \
  --override 'plugins.assignors=["lexicographic"]' > "$tmp/broker.log" 2>&1 &
broker_pid=$!

loaded=false
listening=false
for _ in $(seq 300); do  # 30 s
  if ! kill -0 "$broker_pid" 2>/dev/null; then
    rc=0
    wait "$broker_pid" || rc=$?
    broker_pid=
    fail "brokkr exited early with status $rc"
  fi
  if ! $loaded && grep -qF "loaded plugin assignor/lexicographic" "$tmp/broker.log"; then
    loaded=true
  fi
  if ! $listening && port_is_open "$port"; then listening=true; fi
  # SIGTERM is handled once the broker says it started (it accepts earlier).
  if $loaded && $listening && started; then break; fi
  sleep 0.1
done
$loaded || fail "no 'loaded plugin assignor/lexicographic' in the broker log"
$listening || fail "brokkr does not accept connections on port $port"
started || fail "no 'broker ... started' in the broker log"

step "stopping brokkr with SIGTERM"
kill -TERM "$broker_pid"
for _ in $(seq 200); do  # 20 s
  kill -0 "$broker_pid" 2>/dev/null || break
  sleep 0.1
done
if kill -0 "$broker_pid" 2>/dev/null; then fail "brokkr did not stop within 20 s of SIGTERM"; fi
rc=0
wait "$broker_pid" || rc=$?
broker_pid=
[[ $rc -eq 0 ]] || fail "brokkr exited with status $rc after SIGTERM"

# ---- 5. a KIP-848 group picks rack-aware and gets what it computes ----
# The broker is in rack r1, so every replica is; members a and c are in r1,
# b in r2: rack-aware gives a and c everything, uniform would give b some.
port=
for _ in $(seq 100); do
  candidate=$((20000 + RANDOM % 40000))
  if ! port_is_open "$candidate"; then port=$candidate; break; fi
done
[[ -n $port ]] || fail "found no free port"
step "starting brokkr on 127.0.0.1:$port with the rack-aware assignor, in rack r1"
rm -rf "$tmp/data" && mkdir -p "$tmp/data"
: > "$tmp/broker.log"
"$brokkr" --data-dir "$tmp/data" --listen "127.0.0.1:$port" \
  --override "plugins.directories=[\"$rack_build\",\"$plugins_dir\"]" \
  --override 'plugins.assignors=["uniform", "rack-aware"]' \
  --override 'groups.consumer_assignors=["uniform", "rack-aware"]' \
  --override 'broker.rack="r1"' > "$tmp/broker.log" 2>&1 &
broker_pid=$!
for _ in $(seq 300); do  # 30 s
  kill -0 "$broker_pid" 2>/dev/null || { broker_pid=; fail "brokkr exited early"; }
  port_is_open "$port" && started && break
  sleep 0.1
done
port_is_open "$port" || fail "brokkr does not accept connections on port $port"
started || fail "no 'broker ... started' in the broker log"
grep -qF "loaded plugin assignor/rack-aware" "$tmp/broker.log" \
  || fail "no 'loaded plugin assignor/rack-aware' in the broker log"

step "KIP-848 members a (r1), b (r2), c (r1) with server_assignor rack-aware, then uniform"
here=$(cd "$(dirname "$0")" && pwd)
PYTHONPATH=$here PYTHONDONTWRITEBYTECODE=1 "${BROKKR_PYTHON:-/usr/bin/python3}" - "$port" <<'PY' \
  || fail "the rack-aware group check failed"
import sys
import time

import harness as h
import kip848 as k

port = int(sys.argv[1])


class Broker:
    def connect(self):
        return h.KafkaConnection("127.0.0.1", port)


def expected_rack_aware(members, partitions, replica_racks):
    """What rack-aware computes (see its source): partitions in order, each to
    the least loaded subscriber in a replica's rack (else any subscriber),
    ties to the smallest member id."""
    load = {m: 0 for m in sorted(members)}
    out = {m: set() for m in members}
    for p in range(partitions):
        near = [m for m in sorted(members) if members[m] in replica_racks] or sorted(members)
        best = min(near, key=lambda m: (load[m], m))
        load[best] += 1
        out[best].add(p)
    return out


def run(group, assignor, topic):
    racks = {"a": "r1", "b": "r2", "c": "r1"}
    ms = [k.Member(Broker(), group, [topic], mid, server_assignor=assignor, rack_id=racks[mid])
          for mid in sorted(racks)]
    for _ in range(40):
        for m in ms:
            resp = m.heartbeat()
            assert resp["error_code"] == 0, resp
        g = k.describe(ms[0].conn, [group])[0]
        settled = all(m.owned == next(x["assignment"] for x in g["members"] if x["member_id"] == m.member_id)
                      for m in ms)
        if g["group_state"] == "Stable" and settled:
            break
        time.sleep(0.05)
    assert g["group_state"] == "Stable", g
    assert g["assignor_name"] == assignor, g
    got = {m.member_id: {p for _, p in m.owned} for m in ms}
    targets = {x["member_id"]: {p for _, p in x["target_assignment"]} for x in g["members"]}
    for m in ms:
        m.close()
    return got, targets


admin = Broker().connect()
k.create_topic(admin, "racked", 6)
got, targets = run("group-rack-aware", "rack-aware", "racked")
want = expected_rack_aware({"a": "r1", "b": "r2", "c": "r1"}, 6, {"r1"})
print("rack-aware: broker handed out %r, the assignor computes %r" % (got, want))
assert got == want, (got, want)
assert targets == want, (targets, want)
got, _ = run("group-uniform", "uniform", "racked")
print("uniform:    broker handed out %r" % got)
assert got["b"], "uniform should give b partitions too"
PY

step "stopping brokkr"
kill -TERM "$broker_pid"
for _ in $(seq 200); do kill -0 "$broker_pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$broker_pid" 2>/dev/null; then fail "brokkr did not stop within 20 s of SIGTERM"; fi
rc=0
wait "$broker_pid" || rc=$?
broker_pid=
[[ $rc -eq 0 ]] || fail "brokkr exited with status $rc after SIGTERM"

echo "PASS"
