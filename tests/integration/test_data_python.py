"""The Python clients move real volumes: confluent-kafka's Producer
(librdkafka) and kafka-python's KafkaProducer each write 100,000 keyed records
with acks=all over a 3-partition topic (created with their admin clients'
CreateTopics); both consumers (assign + explicit offsets, no groups) read
everything back.  Checked: nothing lost or duplicated, offsets dense from 0,
every key in one partition with its sequence numbers in order, values and
CreateTime timestamps as sent; ListOffsets earliest/latest and
offsets_for_times answer right."""

import logging
import threading
import time
import unittest

import harness as h

logging.basicConfig(level=logging.WARNING, format="    [%(name)s] %(message)s")

N = 100000
KEYS = 37
PARTITIONS = 3
# CreateTime of record i: BASE_TS + i (an hour ago, well inside retention).
BASE_TS = (int(time.time()) - 3600) * 1000


def key_of(i):
    return "key-%02d" % (i % KEYS)


def value_of(i):
    # key | sequence number within the key | global index
    return "%s|%d|%d" % (key_of(i), i // KEYS, i)


class Expected:
    """What the producer's acknowledgements say is where."""

    def __init__(self):
        self.at = {}  # (partition, offset) -> i
        self.errors = []
        self.lock = threading.Lock()

    def add(self, partition, offset, i):
        with self.lock:
            self.at[(partition, offset)] = i


class DataTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.broker = h.class_broker(cls)

    @classmethod
    def tearDownClass(cls):
        cls.broker.__exit__(None, None, None)

    def detail(self, *what):
        log = self.broker.log()
        return "\n".join(str(w) for w in what) + "\nbroker log (tail):\n" + log[-6000:]

    # -- producing --

    def produce_confluent(self, topic):
        from confluent_kafka import Producer
        from confluent_kafka.admin import AdminClient, NewTopic
        admin = AdminClient({"bootstrap.servers": self.broker.address})
        futures = admin.create_topics([NewTopic(topic, PARTITIONS, 1)], operation_timeout=30)
        futures[topic].result(timeout=30)
        del admin

        expected = Expected()
        producer = Producer({"bootstrap.servers": self.broker.address, "acks": "all",
                             "linger.ms": 5, "queue.buffering.max.messages": 200000,
                             "queue.buffering.max.kbytes": 512 * 1024,
                             "message.send.max.retries": 0})

        def report(i):
            def cb(err, msg):
                if err is not None:
                    expected.errors.append((i, str(err)))
                else:
                    expected.add(msg.partition(), msg.offset(), i)
            return cb

        start = time.monotonic()
        for i in range(N):
            while True:
                try:
                    producer.produce(topic, key=key_of(i), value=value_of(i),
                                     timestamp=BASE_TS + i, on_delivery=report(i))
                    break
                except BufferError:
                    producer.poll(0.1)
            if i % 1000 == 0:
                producer.poll(0)
        left = producer.flush(60)
        took = time.monotonic() - start
        print("  confluent Producer: %d records to %s (acks=all) in %.1fs, %d unflushed"
              % (N, topic, took, left))
        self.assertEqual(left, 0, self.detail("records still queued after flush(60)"))
        return expected

    def produce_kafka_python(self, topic):
        from kafka import KafkaAdminClient, KafkaProducer
        from kafka.admin import NewTopic
        admin = KafkaAdminClient(bootstrap_servers=self.broker.address, request_timeout_ms=30000)
        try:
            admin.create_topics([NewTopic(topic, PARTITIONS, 1)], timeout_ms=30000)
        finally:
            admin.close()

        expected = Expected()
        producer = KafkaProducer(bootstrap_servers=self.broker.address, acks="all",
                                 linger_ms=5, batch_size=64 * 1024, retries=0,
                                 buffer_memory=128 * 1024 * 1024, request_timeout_ms=30000)
        start = time.monotonic()
        try:
            for i in range(N):
                future = producer.send(topic, key=key_of(i).encode(), value=value_of(i).encode(),
                                       timestamp_ms=BASE_TS + i)
                future.add_callback(lambda md, i=i: expected.add(md.partition, md.offset, i))
                future.add_errback(lambda e, i=i: expected.errors.append((i, repr(e))))
            producer.flush(timeout=60)
        finally:
            producer.close(timeout=10)
        print("  kafka-python KafkaProducer: %d records to %s (acks=all) in %.1fs"
              % (N, topic, time.monotonic() - start))
        return expected

    # -- checking --

    def check_acknowledgements(self, expected):
        self.assertEqual(expected.errors[:10], [], self.detail("%d delivery errors"
                                                              % len(expected.errors)))
        self.assertEqual(len(expected.at), N, self.detail("acknowledged %d of %d"
                                                          % (len(expected.at), N)))
        per_partition = {}
        partition_of_key = {}
        for (p, o), i in expected.at.items():
            per_partition.setdefault(p, []).append(o)
            self.assertEqual(partition_of_key.setdefault(key_of(i), p), p,
                             "key %s acknowledged in two partitions" % key_of(i))
        self.assertEqual(sorted(per_partition), list(range(PARTITIONS)), per_partition.keys())
        ends = {}
        for p, offsets in per_partition.items():
            offsets.sort()
            self.assertEqual(offsets, list(range(len(offsets))),
                             self.detail("partition %d: acknowledged offsets not dense" % p))
            ends[p] = len(offsets)
        print("    acknowledged: %s" % ", ".join("p%d 0..%d" % (p, ends[p] - 1) for p in sorted(ends)))
        return ends

    def check_consumed(self, who, expected, ends, records):
        """records: {partition: [(offset, key bytes, value bytes, timestamp)]} in consumed order."""
        self.assertEqual(sorted(records), list(range(PARTITIONS)), who)
        total = 0
        for p in range(PARTITIONS):
            got = records[p]
            offsets = [r[0] for r in got]
            if offsets != list(range(ends[p])):
                missing = sorted(set(range(ends[p])) - set(offsets))
                extra = len(offsets) - len(set(offsets))
                self.fail(self.detail("%s: partition %d: %d records, expected offsets 0..%d; "
                                      "missing %d (first %r), %d duplicates"
                                      % (who, p, len(got), ends[p] - 1, len(missing),
                                         missing[:5], extra)))
            last_seq = {}
            for offset, key, value, ts in got:
                i = expected.at[(p, offset)]
                if (key, value, ts) != (key_of(i).encode(), value_of(i).encode(), BASE_TS + i):
                    self.fail(self.detail("%s: partition %d offset %d: got key %r value %r ts %r, "
                                          "acknowledged record %d: %r %r %r"
                                          % (who, p, offset, key, value, ts, i, key_of(i),
                                             value_of(i), BASE_TS + i)))
                k, seq, _ = value.decode().split("|")
                seq = int(seq)
                self.assertEqual(seq, last_seq.get(k, -1) + 1,
                                 "%s: partition %d offset %d: key %s sequence %d after %d"
                                 % (who, p, offset, k, seq, last_seq.get(k, -1)))
                last_seq[k] = seq
            total += len(got)
        self.assertEqual(total, N, who)

    def consume_confluent(self, topic, ends):
        from confluent_kafka import Consumer, TopicPartition, TIMESTAMP_CREATE_TIME
        consumer = Consumer({"bootstrap.servers": self.broker.address, "group.id": "unused",
                             "enable.auto.commit": False, "enable.auto.offset.store": False,
                             "fetch.wait.max.ms": 100})
        records = {p: [] for p in range(PARTITIONS)}
        try:
            consumer.assign([TopicPartition(topic, p, 0) for p in range(PARTITIONS)])
            start = time.monotonic()
            deadline = start + 60
            while (any(len(records[p]) < ends[p] for p in records)
                   and time.monotonic() < deadline):
                for msg in consumer.consume(num_messages=10000, timeout=0.5):
                    if msg.error():
                        self.fail(self.detail("confluent Consumer error: %s" % msg.error()))
                    ts_type, ts = msg.timestamp()
                    self.assertEqual(ts_type, TIMESTAMP_CREATE_TIME)
                    records[msg.partition()].append((msg.offset(), msg.key(), msg.value(), ts))
            print("    confluent Consumer (assign at offset 0): %d records in %.1fs"
                  % (sum(map(len, records.values())), time.monotonic() - start))
            if all(len(records[p]) == ends[p] for p in records):
                self.check_list_offsets_confluent(consumer, topic, ends, records)
        finally:
            consumer.close()
        return records

    def consume_kafka_python(self, topic, ends):
        from kafka import KafkaConsumer, TopicPartition
        consumer = KafkaConsumer(bootstrap_servers=self.broker.address, group_id=None,
                                 enable_auto_commit=False, fetch_max_wait_ms=100,
                                 max_partition_fetch_bytes=4 * 1024 * 1024)
        records = {p: [] for p in range(PARTITIONS)}
        try:
            tps = [TopicPartition(topic, p) for p in range(PARTITIONS)]
            consumer.assign(tps)
            consumer.seek_to_beginning()
            start = time.monotonic()
            deadline = start + 60
            while (any(len(records[p]) < ends[p] for p in records)
                   and time.monotonic() < deadline):
                for tp, msgs in consumer.poll(timeout_ms=500, max_records=20000).items():
                    for m in msgs:
                        self.assertEqual(m.timestamp_type, 0)  # CreateTime
                        records[tp.partition].append((m.offset, m.key, m.value, m.timestamp))
            print("    kafka-python KafkaConsumer (assign + seek_to_beginning): %d records in %.1fs"
                  % (sum(map(len, records.values())), time.monotonic() - start))
            if all(len(records[p]) == ends[p] for p in records):
                self.check_list_offsets_kafka_python(consumer, topic, ends, records)
        finally:
            consumer.close()
        return records

    # -- ListOffsets --

    def probes(self, records):
        """(partition, timestamp, expected offset) triples: exact timestamps, timestamps
        between two records, before everything."""
        out = []
        for p, got in records.items():
            for idx in (0, 1, len(got) // 3, len(got) // 2, len(got) - 1):
                offset, _, _, ts = got[idx]
                out.append((p, ts, offset))
                if idx > 0 and got[idx - 1][3] < ts - 1:
                    out.append((p, ts - 1, offset))  # between idx-1 and idx: the later one
            out.append((p, BASE_TS - 1000, 0))
        return out

    def check_list_offsets_confluent(self, consumer, topic, ends, records):
        from confluent_kafka import TopicPartition
        for p in range(PARTITIONS):
            low, high = consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10,
                                                       cached=False)
            self.assertEqual((low, high), (0, ends[p]), self.detail("watermarks of p%d" % p))
        probes = self.probes(records)
        # One partition appears once per request (librdkafka merges duplicates).
        result = []
        for p, ts, _ in probes:
            result += consumer.offsets_for_times([TopicPartition(topic, p, ts)], timeout=10)
        got = [(tp.partition, tp.offset) for tp in result]
        self.assertEqual(got, [(p, o) for p, _, o in probes],
                         self.detail("offsets_for_times", [(p, ts) for p, ts, _ in probes]))
        # Later than everything: no offset (-1, OFFSET_END).
        late = consumer.offsets_for_times([TopicPartition(topic, p, BASE_TS + N + 1000)
                                           for p in range(PARTITIONS)], timeout=10)
        self.assertEqual([tp.offset for tp in late], [-1] * PARTITIONS, self.detail(late))
        for tp in list(result) + list(late):
            self.assertIsNone(tp.error, self.detail(tp))
        print("    confluent: get_watermark_offsets and %d offsets_for_times probes OK"
              % (len(probes) + PARTITIONS))

    def check_list_offsets_kafka_python(self, consumer, topic, ends, records):
        from kafka import TopicPartition
        tps = [TopicPartition(topic, p) for p in range(PARTITIONS)]
        self.assertEqual(consumer.beginning_offsets(tps), {tp: 0 for tp in tps}, self.detail())
        self.assertEqual(consumer.end_offsets(tps), {tp: ends[tp.partition] for tp in tps},
                         self.detail())
        for p, ts, offset in self.probes(records):
            tp = TopicPartition(topic, p)
            found = consumer.offsets_for_times({tp: ts})[tp]
            self.assertIsNotNone(found, self.detail("offsets_for_times p%d ts %d" % (p, ts)))
            self.assertEqual(found.offset, offset, self.detail("p%d ts %d -> %r" % (p, ts, found)))
            self.assertGreaterEqual(found.timestamp, ts)
        late = consumer.offsets_for_times({tp: BASE_TS + N + 1000 for tp in tps})
        self.assertEqual(late, {tp: None for tp in tps}, self.detail(late))
        print("    kafka-python: beginning/end_offsets and offsets_for_times OK")

    # -- the tests --

    def test_confluent_producer(self):
        topic = "confluent-100k"
        expected = self.produce_confluent(topic)
        ends = self.check_acknowledgements(expected)
        self.check_consumed("confluent Consumer", expected, ends,
                            self.consume_confluent(topic, ends))
        self.check_consumed("kafka-python KafkaConsumer", expected, ends,
                            self.consume_kafka_python(topic, ends))

    def test_kafka_python_producer(self):
        topic = "kafka-python-100k"
        expected = self.produce_kafka_python(topic)
        ends = self.check_acknowledgements(expected)
        self.check_consumed("confluent Consumer", expected, ends,
                            self.consume_confluent(topic, ends))
        self.check_consumed("kafka-python KafkaConsumer", expected, ends,
                            self.consume_kafka_python(topic, ends))


if __name__ == "__main__":
    h.main()
