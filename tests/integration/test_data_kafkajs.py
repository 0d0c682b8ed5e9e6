"""kafkajs (Node) against the broker, both directions.

kafkajs's consumer needs consumer groups, which the broker does not have
yet, so (see js/roundtrip.js):
* kafkajs produces (after creating the topic with its admin client) and
  confluent-kafka reads the records back with assign(); kafkajs's admin also
  answers the offsets (ListOffsets: earliest, latest, by timestamp);
* confluent-kafka produces and kafkajs reads, through the broker connection
  of kafkajs's own cluster layer and its Fetch request (kafkajs decodes the
  record batches).

The test fails (it does not skip) when node or the npm modules are missing:
run scripts/install-deps.sh --test."""

import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
import unittest

import harness as h

JS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "js")
SCRIPT = os.path.join(JS_DIR, "roundtrip.js")
BASE_TS = (int(time.time()) - 600) * 1000


def b64(v):
    return None if v is None else base64.b64encode(v).decode()


def unb64(v):
    return None if v is None else base64.b64decode(v)


def node():
    path = shutil.which("node")
    if not path:
        raise AssertionError("node is not installed (scripts/install-deps.sh --test)")
    if not os.path.isfile(os.path.join(JS_DIR, "node_modules", "kafkajs", "package.json")):
        raise AssertionError("%s/node_modules has no kafkajs: run scripts/install-deps.sh --test"
                             % JS_DIR)
    return path


def run_node(command, request, timeout=60):
    with tempfile.TemporaryDirectory(prefix="brokkr-it-js-") as tmp:
        req = os.path.join(tmp, "request.json")
        res = os.path.join(tmp, "result.json")
        with open(req, "w") as f:
            json.dump(request, f)
        proc = subprocess.run([node(), SCRIPT, command, req, res], cwd=JS_DIR,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout,
                              env=dict(os.environ, KAFKAJS_NO_PARTITIONER_WARNING="1"))
        out = proc.stdout.decode(errors="replace") + proc.stderr.decode(errors="replace")
        if proc.returncode != 0:
            raise AssertionError("node roundtrip.js %s failed (exit %d):\n%s"
                                 % (command, proc.returncode, out))
        with open(res) as f:
            return json.load(f), out


def message(partition, i):
    """The i-th test message of a partition: keys, values (binary too), headers."""
    key = None if i % 10 == 9 else ("key-%d-%d" % (partition, i % 4)).encode()
    if i % 17 == 5:
        value = None  # a tombstone
    elif i % 13 == 3:
        value = bytes(range(256)) * 4  # binary
    else:
        value = ("value %d of partition %d \u2713" % (i, partition)).encode()
    headers = [("seq", str(i).encode()), ("origin", b"kafkajs")]
    if i % 5 == 0:
        headers.append(("bin", b"\x00\xff\x01"))
    return key, value, headers, BASE_TS + 10 * i + partition


class KafkajsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        node()  # fail early and clearly when the toolchain is missing
        cls.broker = h.class_broker(cls)

    @classmethod
    def tearDownClass(cls):
        cls.broker.__exit__(None, None, None)

    def detail(self, *what):
        return "\n".join(str(w) for w in what) + "\nbroker log (tail):\n" + self.broker.log()[-6000:]

    def consume_confluent(self, topic, ends):
        from confluent_kafka import Consumer, TopicPartition
        consumer = Consumer({"bootstrap.servers": self.broker.address, "group.id": "unused",
                             "enable.auto.commit": False, "fetch.wait.max.ms": 100})
        got = {p: [] for p in ends}
        try:
            consumer.assign([TopicPartition(topic, p, 0) for p in ends])
            deadline = time.monotonic() + 30
            while any(len(got[p]) < ends[p] for p in ends) and time.monotonic() < deadline:
                for msg in consumer.consume(num_messages=1000, timeout=0.5):
                    self.assertIsNone(msg.error(), self.detail(msg.error()))
                    got[msg.partition()].append(
                        (msg.offset(), msg.key(), msg.value(),
                         [(k, v) for k, v in (msg.headers() or [])], msg.timestamp()[1]))
        finally:
            consumer.close()
        return got

    def test_kafkajs_produces_confluent_reads(self):
        topic = "kafkajs-produced"
        partitions = 3
        per_partition = 40
        # 4 sends of 10 messages per partition, the partitions interleaved.
        groups = []
        for g in range(4):
            group = []
            for i in range(g * 10, g * 10 + 10):
                for p in range(partitions):
                    key, value, headers, ts = message(p, i)
                    group.append({"partition": p, "key": b64(key), "value": b64(value),
                                  "headers": [(k, b64(v)) for k, v in headers], "timestamp": ts})
            groups.append(group)
        probe_ts = [BASE_TS - 1, message(0, 20)[3], message(1, 20)[3] - 5, BASE_TS + 10 ** 9]
        request = {"broker": self.broker.address, "topic": topic, "partitions": partitions,
                   "groups": groups, "timestamps": probe_ts}
        result, out = run_node("produce", request)
        print("  kafkajs admin.createTopics + producer.send x4 (acks -1) + fetchTopicOffsets:\n"
              "    created=%r, send metadata %r" % (result["created"], result["sends"][0]))

        # Every send: one base offset per partition, 10 records each, in order.
        for g, metadata in enumerate(result["sends"]):
            self.assertEqual(sorted((m["partition"], m["errorCode"], m["baseOffset"])
                                    for m in metadata),
                             [(p, 0, g * 10) for p in range(partitions)],
                             self.detail("send %d metadata" % g, metadata, out))
        offsets = sorted((o["partition"], o["low"], o["high"]) for o in result["offsets"])
        self.assertEqual(offsets, [(p, 0, per_partition) for p in range(partitions)],
                         self.detail(result["offsets"]))
        # Offsets by timestamp: before everything -> 0; an exact timestamp -> its
        # record; between two records -> the later; after everything the broker
        # answers -1, which kafkajs replaces with the high watermark.
        by_ts = {r["timestamp"]: {o["partition"]: o["offset"] for o in r["offsets"]}
                 for r in result["offsetsByTimestamp"]}
        self.assertEqual(by_ts[probe_ts[0]], {p: 0 for p in range(partitions)}, self.detail(by_ts))
        self.assertEqual(by_ts[probe_ts[1]][0], 20, self.detail(by_ts))
        self.assertEqual(by_ts[probe_ts[1]][1], 20, self.detail(by_ts))  # p1's is 1 ms later
        self.assertEqual(by_ts[probe_ts[1]][2], 20, self.detail(by_ts))
        self.assertEqual(by_ts[probe_ts[2]][1], 20, self.detail(by_ts))
        self.assertEqual(by_ts[probe_ts[3]], {p: per_partition for p in range(partitions)},
                         self.detail(by_ts))

        got = self.consume_confluent(topic, {p: per_partition for p in range(partitions)})
        for p in range(partitions):
            self.assertEqual([r[0] for r in got[p]], list(range(per_partition)),
                             self.detail("partition %d offsets" % p))
            for offset, key, value, headers, ts in got[p]:
                exp_key, exp_value, exp_headers, exp_ts = message(p, offset)
                self.assertEqual((key, value, headers, ts),
                                 (exp_key, exp_value, exp_headers, exp_ts),
                                 self.detail("partition %d offset %d" % (p, offset)))
        print("    confluent Consumer read %d records: keys, values, headers, timestamps as sent"
              % sum(len(v) for v in got.values()))

    def test_confluent_produces_kafkajs_reads(self):
        from confluent_kafka import Producer
        topic = "kafkajs-reads"
        partitions = 2
        per_partition = 300
        with self.broker.connect() as conn:
            result = conn.create_topics([(topic, partitions, 1)])
            self.assertEqual(result[topic][0], h.ERR_NONE, self.detail(result))
            conn.wait_for_topic(topic, partitions)
        producer = Producer({"bootstrap.servers": self.broker.address, "acks": "all",
                             "linger.ms": 20})
        errors = []
        for i in range(per_partition):
            for p in range(partitions):
                key, value, headers, ts = message(p, i)
                producer.produce(topic, key=key, value=value, headers=headers, partition=p,
                                 timestamp=ts,
                                 on_delivery=lambda err, msg: err and errors.append(err))
        self.assertEqual(producer.flush(30), 0)
        self.assertEqual(errors, [], self.detail(errors))

        request = {"broker": self.broker.address, "topic": topic,
                   "ends": {str(p): per_partition for p in range(partitions)}}
        result, out = run_node("fetch", request)
        print("  confluent Producer -> %d records; kafkajs Fetch (its cluster/broker layer) "
              "read them in %d fetches" % (partitions * per_partition, result["fetches"]))
        for p in range(partitions):
            got = result["partitions"][str(p)]
            self.assertEqual([m["offset"] for m in got], list(range(per_partition)),
                             self.detail("partition %d" % p, out))
            self.assertEqual(result["highWatermarks"][str(p)], per_partition)
            for m in got:
                key, value, headers, ts = message(p, m["offset"])
                self.assertEqual(
                    (unb64(m["key"]), unb64(m["value"]),
                     [(k, unb64(v)) for k, v in m["headers"]], m["timestamp"]),
                    (key, value, headers, ts),
                    self.detail("partition %d offset %d" % (p, m["offset"])))


if __name__ == "__main__":
    h.main()
