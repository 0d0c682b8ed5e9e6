#!/usr/bin/env bash
# Runs brokkr-bench against a fresh broker and against librdkafka's mock
# cluster (in-memory, in the client's process), with 1 and 8 partitions, and
# prints a table: MB/s and records/s per phase, and the broker/mock ratio.
#
#   tools/bench/run-bench.sh <build dir>
#
# Environment: RECORDS (default 1000000), RECORD_SIZE (1024), ACKS (1),
# PARTITIONS ("1 8"), KEEP=1 keeps the broker's data dir and log.
# Not a test: nothing here asserts a speed.
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 <build dir>" >&2
  exit 2
fi
build=$(cd "$1" && pwd)
brokkr="$build/bin/brokkr"
bench="$build/bin/brokkr-bench"
for f in "$brokkr" "$bench"; do
  if [[ ! -x $f ]]; then
    echo "$f is missing: build the brokkr and brokkr-bench targets (brokkr-bench needs librdkafka-dev)" >&2
    exit 1
  fi
done
records=${RECORDS:-1000000}
size=${RECORD_SIZE:-1024}
acks=${ACKS:-1}
partition_counts=${PARTITIONS:-"1 8"}

work=$(mktemp -d /tmp/brokkr-bench.XXXXXX)
broker_pid=""
cleanup() {
  if [[ -n $broker_pid ]] && kill -0 "$broker_pid" 2>/dev/null; then
    kill -TERM "$broker_pid" 2>/dev/null || true
    wait "$broker_pid" 2>/dev/null || true
  fi
  if [[ -n ${KEEP:-} ]]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$brokkr" --data-dir "$work/data" --listen "127.0.0.1:$port" >"$work/broker.log" 2>&1 &
broker_pid=$!
for _ in $(seq 1 200); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
  if ! kill -0 "$broker_pid" 2>/dev/null; then
    echo "the broker exited:" >&2
    cat "$work/broker.log" >&2
    exit 1
  fi
  sleep 0.05
done
echo "broker: $brokkr on 127.0.0.1:$port, data in $work/data"
echo "records: $records x $size bytes, acks=$acks; $(nproc) cores"
echo

# run <label> <partitions> <target args...>: prints "<produce MB/s> <produce rec/s>
# <consume MB/s> <consume rec/s>" and keeps the tool's output in $work.
run() {
  local label=$1 parts=$2
  shift 2
  local out="$work/$label-$parts.out"
  if ! "$bench" "$@" --topic "bench-$label-$parts" --partitions "$parts" --records "$records" \
      --record-size "$size" --acks "$acks" >"$out" 2>&1; then
    echo "brokkr-bench failed ($label, $parts partitions):" >&2
    cat "$out" >&2
    [[ $label == brokkr ]] && tail -20 "$work/broker.log" >&2
    exit 1
  fi
  sed 's/^/    /' "$out" >&2
  awk '/^produce:/ {pm=$(NF-1); pr=$(NF-3)} /^consume:/ && /MB\/s/ {cm=$(NF-1); cr=$(NF-3)}
       END {print pm, pr, cm, cr}' "$out"
}

declare -A result
for parts in $partition_counts; do
  echo "== $parts partition(s)" >&2
  result[brokkr,$parts]=$(run brokkr "$parts" --bootstrap "127.0.0.1:$port")
  result[mock,$parts]=$(run mock "$parts" --mock)
done
echo

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
printf "%-10s %-8s %12s %12s %12s %12s %8s\n" partitions phase "brokkr MB/s" "mock MB/s" \
  "brokkr rec/s" "mock rec/s" ratio
for parts in $partition_counts; do
  read -r bpm bpr bcm bcr <<<"${result[brokkr,$parts]}"
  read -r mpm mpr mcm mcr <<<"${result[mock,$parts]}"
  printf "%-10s %-8s %12s %12s %12s %12s %8s\n" "$parts" produce "$bpm" "$mpm" "$bpr" "$mpr" "$(ratio "$bpm" "$mpm")"
  printf "%-10s %-8s %12s %12s %12s %12s %8s\n" "$parts" consume "$bcm" "$mcm" "$bcr" "$mcr" "$(ratio "$bcm" "$mcm")"
done
echo
echo "ratio = brokkr / mock (MB/s). The mock cluster keeps partitions in memory inside the"
echo "client process and retains only the last few MB of each, which it serves repeatedly."
