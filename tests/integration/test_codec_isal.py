"""A broker whose gzip codec is the `gzip-isal` plugin (Intel ISA-L) instead of
zlib's `gzip`: started with plugins.codecs = ["gzip-isal", "snappy", "lz4", "zstd"].

- gzip batches written by Python's gzip module (one member, a header with a
  file name) are checked by the plugin's decompress() and stored as
  produced; kcat and confluent-kafka (librdkafka, zlib) and kafka-python
  (Python's gzip) read them back; a batch of several gzip members is
  accepted too and read by kafka-python (librdkafka reads only the first
  member of a gzip batch);
- a corrupt gzip batch and a gzip bomb are refused by the plugin;
- a topic with compression.type=gzip stores what is produced uncompressed
  (raw batches, and confluent-kafka's, which librdkafka 2.0.2 sends
  uncompressed to this broker; see test_data_compression.py) as gzip batches
  written by the plugin's compress() at the topic's compression.gzip.level,
  and the same three clients read them."""

import gzip
import io
import subprocess
import time
import unittest

import harness as h

GZIP = 1
CODECS_OVERRIDE = 'plugins.codecs=["gzip-isal", "snappy", "lz4", "zstd"]'
# The header ISA-L writes (igzip's generic one): no flags, MTIME 0, XFL 0,
# OS 255 "unknown". zlib writes OS 3 (Unix); Python's gzip a non-zero MTIME.
ISAL_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"


def records_payload(prefix, count):
    return b"".join(h.encode_record(i, i, b"key-%d" % i, b"%s value %d %s" % (prefix, i, b"x" * 40))
                    for i in range(count))


def expected_lines(prefix, count, first_offset=0):
    return ["%d key-%d %s value %d %s" % (first_offset + i, i, prefix.decode(), i, "x" * 40)
            for i in range(count)]


def batch_with_payload(codec, payload, count):
    """A v2 batch of `count` records whose records section is `payload` (already
    compressed with `codec`). Timestamped now: older records would be due for
    retention (7 days) and could vanish while the test reads them."""
    base_timestamp = int(time.time() * 1000)
    after_crc = (h.int16(codec) + h.int32(count - 1) + h.int64(base_timestamp)
                 + h.int64(base_timestamp + count - 1) + h.int64(-1) + h.int16(-1) + h.int32(-1)
                 + h.int32(count) + payload)
    after_length = h.int32(-1) + h.int8(2) + h.struct.pack(">I", h.crc32c(after_crc)) + after_crc
    return h.int64(0) + h.int32(len(after_length)) + after_length


def gzip_with_name(data):
    buf = io.BytesIO()
    with gzip.GzipFile(filename="records.bin", mode="wb", fileobj=buf, mtime=1700000000) as f:
        f.write(data)
    return buf.getvalue()


def split_batches(raw):
    """(attributes, whole batch bytes) of each complete batch in a Fetch's records."""
    out = []
    pos = 0
    while pos + h.BATCH_HEADER_SIZE <= len(raw):
        length = h.struct.unpack(">i", raw[pos + 8:pos + 12])[0]
        if pos + 12 + length > len(raw):
            break
        batch = raw[pos:pos + 12 + length]
        out.append((h.struct.unpack(">h", batch[21:23])[0], batch))
        pos += 12 + length
    return out


def decompressed(batch):
    """The same batch with its gzip records section decompressed (Python's gzip)."""
    attributes = h.struct.unpack(">h", batch[21:23])[0]
    assert attributes & 7 == GZIP, attributes
    records = gzip.decompress(batch[h.BATCH_HEADER_SIZE:])
    after_crc = h.int16(attributes & ~7) + batch[23:h.BATCH_HEADER_SIZE] + records
    after_length = batch[12:17] + h.struct.pack(">I", h.crc32c(after_crc)) + after_crc
    return batch[:8] + h.int32(len(after_length)) + after_length


class IsalCodecTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.broker = h.class_broker(cls, ["--override", CODECS_OVERRIDE, "--override",
                                          "network.max_decompressed_batch_bytes=1048576"])

    @classmethod
    def tearDownClass(cls):
        cls.broker.__exit__(None, None, None)

    def detail(self, *what):
        return "\n".join(str(w) for w in what) + "\nbroker log (tail):\n" + self.broker.log()[-4000:]

    def create_topic(self, conn, topic, configs=None):
        result = conn.create_topics([(topic, 1, 1, configs or {})])[topic]
        self.assertEqual(result[0], 0, self.detail(result))
        conn.wait_for_topic(topic, 1)

    def fetch_raw(self, topic):
        with self.broker.connect() as conn:
            p = conn.fetch({topic: {0: (0, 8 << 20)}})["partitions"][(topic, 0)]
        self.assertEqual(p["error_code"], 0, p)
        return p["records"] or b""

    # -- the three clients --

    def read_kcat(self, topic):
        return subprocess.run(["kcat", "-b", self.broker.address, "-C", "-t", topic, "-o",
                               "beginning", "-e", "-q", "-f", "%o %k %s\\n"],
                              capture_output=True, timeout=30, check=True).stdout.decode().splitlines()

    def read_confluent(self, topic, count):
        from confluent_kafka import Consumer, TopicPartition
        consumer = Consumer({"bootstrap.servers": self.broker.address, "group.id": "unused",
                             "enable.auto.commit": False})
        lines = []
        try:
            consumer.assign([TopicPartition(topic, 0, 0)])
            while len(lines) < count:
                batch = consumer.consume(1000, 5)
                self.assertTrue(batch, "confluent: no more records after %d" % len(lines))
                for m in batch:
                    self.assertIsNone(m.error())
                    lines.append("%d %s %s" % (m.offset(), m.key().decode(), m.value().decode()))
        finally:
            consumer.close()
        return lines

    def read_kafka_python(self, topic, count):
        from kafka import KafkaConsumer, TopicPartition
        consumer = KafkaConsumer(bootstrap_servers=self.broker.address, group_id=None,
                                 enable_auto_commit=False, fetch_max_wait_ms=100)
        lines = []
        try:
            tp = TopicPartition(topic, 0)
            consumer.assign([tp])
            consumer.seek_to_beginning()
            deadline = time.monotonic() + 30
            while len(lines) < count and time.monotonic() < deadline:
                for m in consumer.poll(timeout_ms=500).get(tp, []):
                    lines.append("%d %s %s" % (m.offset, m.key.decode(), m.value.decode()))
        finally:
            consumer.close()
        return lines

    def check_clients_read(self, topic, expected):
        for name, lines in (("kcat", self.read_kcat(topic)),
                            ("confluent-kafka", self.read_confluent(topic, len(expected))),
                            ("kafka-python", self.read_kafka_python(topic, len(expected)))):
            self.assertEqual(lines, expected, self.detail("%s read %s wrong" % (name, topic)))
            print("    %s: %d records read back" % (name, len(lines)))

    # -- tests --

    def test_loaded_instead_of_zlib(self):
        log = self.broker.log()
        self.assertIn("loaded plugin codec/gzip-isal", log)
        self.assertNotIn("loaded plugin codec/gzip ", log)

    def produce_gzip_payloads(self, topic, payloads):
        with self.broker.connect() as conn:
            self.create_topic(conn, topic)
            for what, payload, count in payloads:
                resp = conn.produce({topic: {0: batch_with_payload(GZIP, payload, count)}})
                self.assertEqual(resp["partitions"][(topic, 0)]["error_code"], 0,
                                 self.detail(what, resp))
                print("  gzip batch, %s (%d bytes): accepted" % (what, len(payload)))
        stored = split_batches(self.fetch_raw(topic))
        self.assertEqual([a & 7 for a, _ in stored], [GZIP] * len(payloads))
        self.assertEqual([b[h.BATCH_HEADER_SIZE:] for _, b in stored], [p for _, p, _ in payloads],
                         "stored as produced")

    def test_gzip_batches_from_python_stored_and_read(self):
        topic = "isal-producer-gzip"
        self.produce_gzip_payloads(topic, [
            ("one member", gzip.compress(records_payload(b"one", 40)), 40),
            ("a member with a file name", gzip_with_name(records_payload(b"two", 20)), 20)])
        self.check_clients_read(topic, expected_lines(b"one", 40) + expected_lines(b"two", 20, 40))

    def test_multi_member_gzip_batch(self):
        # Accepted (the plugin reads every member, as Java's GZIPInputStream
        # does) and read back by kafka-python (Python's gzip reads them all).
        # Not by librdkafka 2.0.2: it inflates only the first member and then
        # refetches the batch forever, so kcat and confluent-kafka stay out.
        topic = "isal-producer-gzip-members"
        plain = records_payload(b"parts", 30)
        self.produce_gzip_payloads(topic, [
            ("three members", gzip.compress(plain[:500]) + gzip.compress(plain[500:1200])
             + gzip.compress(plain[1200:]), 30)])
        lines = self.read_kafka_python(topic, 30)
        self.assertEqual(lines, expected_lines(b"parts", 30), self.detail("kafka-python"))
        print("    kafka-python: %d records read back" % len(lines))

    def test_corrupt_and_bomb_refused(self):
        topic = "isal-bad"
        with self.broker.connect() as conn:
            self.create_topic(conn, topic)
            good = gzip.compress(records_payload(b"ok", 3))
            bad = bytearray(good)
            bad[len(bad) // 2] ^= 0xFF
            trailing = good + b"\x00\x00\x00\x00"
            bomb = gzip.compress(b"\x00" * (32 << 20))
            self.assertLess(len(bomb), 64 * 1024)
            for what, payload in (("flipped byte", bytes(bad)), ("garbage after the member", trailing),
                                  ("bomb 32 MiB", bomb)):
                resp = conn.produce({topic: {0: batch_with_payload(GZIP, payload, 3)}})
                code = resp["partitions"][(topic, 0)]["error_code"]
                print("  %s -> error %d" % (what, code))
                self.assertEqual(code, h.ERR_CORRUPT_MESSAGE, self.detail(what, resp))
            resp = conn.produce({topic: {0: batch_with_payload(GZIP, good, 3)}})
            self.assertEqual(resp["partitions"][(topic, 0)]["error_code"], 0)
            self.assertEqual(resp["partitions"][(topic, 0)]["base_offset"], 0)

    def check_recompressed(self, topic, expected_batches):
        stored = split_batches(self.fetch_raw(topic))
        self.assertEqual(len(stored), expected_batches)
        for attributes, batch in stored:
            self.assertEqual(attributes & 7, GZIP,
                             self.detail("%s: batch stored with codec %d, not recompressed to gzip"
                                         % (topic, attributes & 7)))
            self.assertEqual(batch[h.BATCH_HEADER_SIZE:h.BATCH_HEADER_SIZE + 10], ISAL_HEADER,
                             "the gzip member was written by ISA-L")
            # Whole and consistent: Python's gzip reads it, the records parse.
            h.parse_record_batches(decompressed(batch), allow_partial=False)
        return stored

    def test_topic_compression_gzip_recompressed_by_the_plugin(self):
        for level in (None, "1", "9"):
            with self.subTest(level=level):
                topic = "isal-topic-gzip-%s" % (level or "default")
                configs = {"compression.type": "gzip"}
                if level:
                    configs["compression.gzip.level"] = level
                with self.broker.connect() as conn:
                    self.create_topic(conn, topic, configs)
                    for n, prefix in ((200, b"first"), (150, b"second")):
                        batch = h.record_batch([(b"key-%d" % i, b"%s value %d %s" % (prefix, i, b"x" * 40))
                                                for i in range(n)])
                        resp = conn.produce({topic: {0: batch}})
                        self.assertEqual(resp["partitions"][(topic, 0)]["error_code"], 0, resp)
                stored = self.check_recompressed(topic, 2)
                print("  compression.type=gzip, level %s: 2 uncompressed batches stored as gzip "
                      "(%s bytes)" % (level or "default", [len(b) for _, b in stored]))
                self.check_clients_read(topic, expected_lines(b"first", 200)
                                        + expected_lines(b"second", 150, 200))

    def produce_confluent(self, topic, compression):
        from confluent_kafka import Producer
        producer = Producer({"bootstrap.servers": self.broker.address,
                             "compression.type": compression, "linger.ms": 50})
        for i in range(2000):
            producer.produce(topic, key=b"key-%d" % i, value=b"cf value %d %s" % (i, b"y" * 40))
        self.assertEqual(producer.flush(30), 0)
        return ["%d key-%d cf value %d %s" % (i, i, i, "y" * 40) for i in range(2000)]

    def test_confluent_uncompressed_into_gzip_topic(self):
        topic = "isal-topic-gzip-confluent"
        with self.broker.connect() as conn:
            self.create_topic(conn, topic, {"compression.type": "gzip"})
        expected = self.produce_confluent(topic, "none")
        stored = split_batches(self.fetch_raw(topic))
        self.assertTrue(stored)
        self.check_recompressed(topic, len(stored))
        print("  confluent-kafka (uncompressed) into compression.type=gzip -> %d batches, all "
              "gzip by ISA-L" % len(stored))
        self.check_clients_read(topic, expected)

    def test_confluent_gzip_producer(self):
        # librdkafka's own gzip (zlib) batches, when it compresses: checked by
        # the plugin's decompress() and stored as produced.
        topic = "isal-confluent-gzip"
        with self.broker.connect() as conn:
            self.create_topic(conn, topic)
        expected = self.produce_confluent(topic, "gzip")
        codecs = sorted({a & 7 for a, _ in split_batches(self.fetch_raw(topic))})
        print("  confluent-kafka compression.type=gzip -> stored batches with codec ids %s" % codecs)
        self.check_clients_read(topic, expected)

if __name__ == "__main__":
    h.main()
