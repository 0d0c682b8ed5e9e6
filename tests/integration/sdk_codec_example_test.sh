#!/usr/bin/env bash
# The example codec works out of tree and in a broker: install the SDK from a
# build, build sdk/examples/codec-gzip-fast against the installed copy, start
# a broker that uses it instead of the bundled gzip plugin, and check with
# real clients that
#   - a topic with compression.type=gzip stores the records produced
#     uncompressed as gzip batches (codec bits 1 in the segment file), written
#     by the plugin's compress() and read back by librdkafka (kcat,
#     confluent-kafka) and by Python's gzip module;
#   - a multi-member gzip batch is accepted (the plugin's decompress() checks
#     every produced compressed batch) and a gzip bomb is refused;
#   - the broker log shows the plugin loaded and used.
#
#   sdk_codec_example_test.sh <brokkr build dir> <path to the brokkr binary>
#
# BROKKR_SDK_CODEC_RECOMPRESSION=optional accepts a broker that stores the
# uncompressed batches as produced (one without topic-level recompression).
set -euo pipefail

build_dir=${1:?usage: sdk_codec_example_test.sh <build dir> <brokkr binary>}
brokkr=${2:?usage: sdk_codec_example_test.sh <build dir> <brokkr binary>}
build_dir=$(cd "$build_dir" && pwd)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
python=${BROKKR_PYTHON:-/usr/bin/python3}
recompression=${BROKKR_SDK_CODEC_RECOMPRESSION:-required}

# shellcheck source=sdk_test_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/sdk_test_lib.sh"
sdk_test_setup brokkr-sdk-codec

[[ -x $brokkr ]] || fail "no broker binary at $brokkr"

# ---- 1. install the SDK (devel component only) into a temporary prefix ----
install_sdk

# ---- 2. build the example against the installed SDK only ----
build_sdk_example codec-gzip-fast libbrokkr_codec_gzip_fast.so
plugin=$built_plugin
example_build=$(dirname "$plugin")

# ---- 3. the broker lists it as ok, next to the bundled gzip ----
plugins_dir=$build_dir/lib/brokkr/plugins
[[ -d $plugins_dir ]] || fail "no plugin directory $plugins_dir"
directories="plugins.directories=[\"$example_build\",\"$plugins_dir\"]"
codecs='plugins.codecs=["gzip-fast","snappy","lz4","zstd"]'
step "brokkr --list-plugins"
rc=0
listing=$("$brokkr" --list-plugins --override "$directories" 2>&1) || rc=$?
if ((rc != 0)); then echo "$listing" >&2; fail "brokkr --list-plugins exited with status $rc"; fi
line=$(grep -F gzip-fast <<<"$listing" | head -n 1 || true)
echo "$line"
[[ -n $line ]] || fail "the example plugin is not listed"
grep -qw ok <<<"$line" || fail "the example plugin is not listed as ok: $line"

# A bad [plugins.gzip-fast] setting stops the broker at start, naming the key.
rc=0
out=$("$brokkr" --check-config --override "$directories" --override "$codecs" \
      --override 'plugins.gzip-fast.strategy="fastest"' 2>&1) || rc=$?
((rc != 0)) || fail "brokkr --check-config accepted plugins.gzip-fast.strategy=\"fastest\""
grep -qF "plugins.gzip-fast.strategy" <<<"$out" || fail "the config error does not name the key: $out"

# ---- 4. start a broker with gzip-fast as its gzip codec ----
port_is_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port=
for _ in $(seq 100); do
  candidate=$((20000 + RANDOM % 40000))
  if ! port_is_open "$candidate"; then port=$candidate; break; fi
done
[[ -n $port ]] || fail "found no free port"

step "starting brokkr on 127.0.0.1:$port with $codecs"
data_dir=$tmp/data
mkdir -p "$data_dir"
"$brokkr" --data-dir "$data_dir" --listen "127.0.0.1:$port" \
  --override "$directories" --override "$codecs" \
  --override 'network.max_decompressed_batch_bytes=1048576' > "$tmp/broker.log" 2>&1 &
broker_pid=$!

listening=false
for _ in $(seq 300); do  # 30 s
  if ! kill -0 "$broker_pid" 2>/dev/null; then
    rc=0
    wait "$broker_pid" || rc=$?
    broker_pid=
    fail "brokkr exited early with status $rc"
  fi
  if port_is_open "$port"; then listening=true; break; fi
  sleep 0.1
done
$listening || fail "brokkr does not accept connections on port $port"
grep -qF "loaded plugin codec/gzip-fast" "$tmp/broker.log" \
  || fail "no 'loaded plugin codec/gzip-fast' in the broker log"
if grep -qF "loaded plugin codec/gzip " "$tmp/broker.log"; then
  fail "the bundled gzip plugin was loaded too"
fi

# ---- 5. clients against it ----
step "producing and consuming through gzip-fast"
"$python" -B - "127.0.0.1:$port" "$data_dir" "$recompression" "$here" <<'PY' || fail "client checks failed"
import glob, gzip, json, os, struct, subprocess, sys, time

address, data_dir, recompression, here = sys.argv[1:5]
host, port = address.split(":")
sys.path.insert(0, here)
import harness as h
from confluent_kafka import Consumer, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

topic = "gzip-fast"

def check(condition, message):
    if not condition:
        print("FAIL: " + message, file=sys.stderr)
        sys.exit(1)

def value(i):  # compressible, like most real payloads
    return json.dumps({"id": i, "event": "page_view", "path": "/products/%d" % (i % 37),
                       "agent": "Mozilla/5.0 (X11; Linux x86_64)"}).encode()

# A topic whose batches the broker stores as gzip, whatever the producer sent.
admin = AdminClient({"bootstrap.servers": address})
futures = admin.create_topics([NewTopic(topic, 1, 1, config={"compression.type": "gzip"})],
                              operation_timeout=15)
futures[topic].result(timeout=20)
with h.KafkaConnection(host, int(port)) as conn:
    conn.wait_for_topic(topic, 1)
expected = []

# 1. Uncompressed records: the broker recompresses them with gzip-fast.
producer = Producer({"bootstrap.servers": address, "compression.type": "none", "linger.ms": 20})
for i in range(400):
    producer.produce(topic, key=b"plain-%d" % i, value=value(i))
    expected.append((b"plain-%d" % i, value(i)))
check(producer.flush(20) == 0, "uncompressed produce did not complete")

# 2. compression.type=gzip in librdkafka: gzip batches, which gzip-fast's
#    decompress() checks and the broker stores as sent. (librdkafka 2.0.2
#    sends them uncompressed to a broker without Produce v2, see
#    test_data_compression.py; then they are recompressed like the above.)
producer = Producer({"bootstrap.servers": address, "compression.type": "gzip", "linger.ms": 20})
for i in range(400):
    producer.produce(topic, key=b"rdgz-%d" % i, value=value(i))
    expected.append((b"rdgz-%d" % i, value(i)))
check(producer.flush(20) == 0, "gzip produce did not complete")

# 3. A batch of two gzip members back to back, as Python's gzip or a Java
#    GZIPOutputStream per chunk may write: the broker accepts it only if
#    gzip-fast's decompress() reads both members (it checks the record count
#    against the batch header). It goes to its own topic, stored as produced:
#    librdkafka 2.0.2 reads only the first member of a gzip stream, so kcat
#    and confluent-kafka would see 50 of its 100 records.
multi_topic = "gzip-fast-multi"
raw = [(b"multi-%d" % i, value(i)) for i in range(100)]
records = [h.encode_record(i, 0, k, v) for i, (k, v) in enumerate(raw)]
members = gzip.compress(b"".join(records[:50])) + gzip.compress(b"".join(records[50:]))
header = bytearray(h.record_batch(raw)[:h.BATCH_HEADER_SIZE])
header[21:23] = struct.pack(">h", 1)  # attributes: gzip

def gzip_batch(payload):
    batch = header + payload
    batch[8:12] = struct.pack(">i", len(batch) - 12)               # batch length
    batch[17:21] = struct.pack(">I", h.crc32c(bytes(batch[21:])))  # CRC-32C
    return bytes(batch)

with h.KafkaConnection(host, int(port)) as conn:
    check(conn.create_topics([(multi_topic, 1, 1, {})])[multi_topic][0] == 0, "CreateTopics failed")
    conn.wait_for_topic(multi_topic, 1)
    resp = conn.produce({multi_topic: {0: gzip_batch(members)}})["partitions"][(multi_topic, 0)]
    check(resp["error_code"] == 0, "the two-member gzip batch was refused: %r" % resp)

    # 4. A gzip bomb (32 MiB of zeros in ~32 KiB) over the 1 MiB bound: refused.
    resp = conn.produce({multi_topic: {0: gzip_batch(gzip.compress(b"\0" * (32 << 20)))}})
    resp = resp["partitions"][(multi_topic, 0)]
    check(resp["error_code"] == h.ERR_CORRUPT_MESSAGE, "the gzip bomb got %r" % resp)
print("  produced %d records to %s; a two-member gzip batch accepted; a gzip bomb refused"
      % (len(expected), topic))

# Read back with confluent-kafka...
consumer = Consumer({"bootstrap.servers": address, "group.id": "unused", "enable.auto.commit": False})
consumer.assign([TopicPartition(topic, 0, 0)])
got = []
deadline = time.monotonic() + 20
while len(got) < len(expected) and time.monotonic() < deadline:
    for m in consumer.consume(1000, 1):
        check(m.error() is None, "consume error %s" % m.error())
        got.append((m.key(), m.value()))
consumer.close()
check(got == expected, "confluent-kafka read %d records, not the %d produced (first difference at %s)"
      % (len(got), len(expected), next((i for i, (a, b) in enumerate(zip(got, expected)) if a != b), "the end")))
print("  confluent-kafka read all %d records back" % len(got))

# ... and with kcat.
out = subprocess.run(["kcat", "-b", address, "-C", "-t", topic, "-o", "beginning", "-e", "-q",
                      "-f", "%k\\t%s\\n"], capture_output=True, timeout=30, check=True).stdout
lines = out.decode().splitlines()
check(lines == ["%s\t%s" % (k.decode(), v.decode()) for k, v in expected],
      "kcat read %d records, not the %d produced" % (len(lines), len(expected)))
print("  kcat read all %d records back" % len(lines))

# The segment files: every stored batch is gzip (codec bits 1), and each
# records section is RFC 1952 gzip that Python's gzip module reads.
def stored_batches(name):
    """(base offset, record count, codec, records section uncompressed) per stored batch."""
    segments = sorted(glob.glob(os.path.join(data_dir, "**", name + "-0", "*.log"), recursive=True))
    check(segments, "no segment file for %s-0 under %s" % (name, data_dir))
    out = []
    for path in segments:
        data = open(path, "rb").read()
        pos = 0
        while pos + h.BATCH_HEADER_SIZE <= len(data):
            base_offset, length = struct.unpack(">qi", data[pos:pos + 12])
            codec = struct.unpack(">h", data[pos + 21:pos + 23])[0] & 7
            count = struct.unpack(">i", data[pos + 57:pos + 61])[0]
            body = data[pos + h.BATCH_HEADER_SIZE:pos + 12 + length]
            out.append((base_offset, count, codec, gzip.decompress(body) if codec == 1 else body))
            pos += 12 + length
    return out

stored = stored_batches(topic)
check(sum(b[1] for b in stored) == len(expected),
      "the segment holds %d records, %d were produced" % (sum(b[1] for b in stored), len(expected)))
codecs = sorted({b[2] for b in stored})
if codecs == [1]:
    print("  %s segment: %d batches, all gzip (codec bits 1), all read by Python's gzip"
          % (topic, len(stored)))
elif recompression == "optional":
    print("  NOTE: %s stores batches with codecs %s: this broker does not recompress for "
          "compression.type=gzip (accepted: BROKKR_SDK_CODEC_RECOMPRESSION=optional)" % (topic, codecs))
else:
    check(False, "compression.type=gzip, yet stored batches have codecs %s" % codecs)

multi = stored_batches(multi_topic)
check([(b[0], b[1], b[2]) for b in multi] == [(0, 100, 1)],
      "%s: stored %r, expected one gzip batch of 100 records" % (multi_topic, [b[:3] for b in multi]))
check(multi[0][3] == b"".join(records), "%s: the stored batch does not hold the records sent" % multi_topic)
print("  %s segment: the two-member gzip batch stored as produced" % multi_topic)
PY

# ---- 6. the broker log: gzip-fast did the work ----
grep -qF "decompressing batches" "$tmp/broker.log" \
  || fail "gzip-fast never logged 'decompressing batches'"
if [[ $recompression != optional ]]; then
  grep -qF "compressing batches (default level 1" "$tmp/broker.log" \
    || fail "gzip-fast never logged 'compressing batches'"
fi
grep -E "codec/gzip-fast|\[gzip-fast\]" "$tmp/broker.log" | sed 's/^/  log: /'

# ---- 7. and stops cleanly on SIGTERM ----
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

echo "PASS"
