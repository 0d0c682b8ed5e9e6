"""Message formats v0 and v1: Produce v0-2, Fetch v0-3 and ListOffsets v0.

* kafka-python 2.0.2 pinned to old brokers: api_version=(0, 10, 1) sends
  Produce v2 / Fetch v3 (magic 1), api_version=(0, 9) Produce v1 / Fetch v1 /
  ListOffsets v0 (magic 0); with and without gzip. What they write is read
  back by themselves and by a modern client (confluent-kafka), and what a
  modern client writes is read by them (down-conversion).
* librdkafka told the broker is 0.10.0 (no ApiVersions) sends gzip and snappy
  as MsgVer1 compressed wrappers: stored compressed, read by modern clients.
* librdkafka with its defaults now compresses gzip and snappy (it needs
  Produce v2 / Fetch v2 in the advertised ranges): the segment files hold
  batches with those codec bits.
* Raw sockets: a bad CRC in a Produce v2 message set is CORRUPT_MESSAGE and
  the broker keeps serving; Fetch v3 of zstd batches is
  UNSUPPORTED_COMPRESSION_TYPE."""

import struct
import subprocess
import time
import unittest
import zlib

import harness as h

GZIP, SNAPPY, ZSTD = 1, 2, 4
OLD_KAFKA_PYTHON = {"0.10.1": (0, 10, 1), "0.9": (0, 9)}


def legacy_message(offset, key, value, magic=1, timestamp=None, attributes=0):
    """One legacy message entry (offset, size, crc, magic, attributes, [timestamp], key, value);
    the timestamp is a minute ago unless given."""
    if timestamp is None:
        timestamp = (int(time.time()) - 60) * 1000
    def nbytes(b):
        return h.int32(-1) if b is None else h.int32(len(b)) + b
    body = h.int8(magic) + h.int8(attributes) + (h.int64(timestamp) if magic else b"") + nbytes(key) + nbytes(value)
    message = struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF) + body
    return h.int64(offset) + h.int32(len(message)) + message


def produce_v2_body(topic, records, acks=1):
    partition = h.int32(0) + h.int32(len(records)) + records
    return h.int16(acks) + h.int32(10000) + h.int32(1) + h.string(topic) + h.int32(1) + partition


def parse_produce_v2(r):
    out = {}
    for _ in range(r.int32()):
        name = r.string()
        for _ in range(r.int32()):
            index, error, base_offset, log_append_time = r.int32(), r.int16(), r.int64(), r.int64()
            out[(name, index)] = {"error_code": error, "base_offset": base_offset}
    r.int32()  # throttle time
    r.expect_end("Produce v2 response")
    return out


def fetch_v3_body(topic, offset, max_bytes=1 << 20):
    partition = h.int32(0) + h.int64(offset) + h.int32(max_bytes)
    return (h.int32(-1) + h.int32(0) + h.int32(1) + h.int32(max_bytes)
            + h.int32(1) + h.string(topic) + h.int32(1) + partition)


def parse_fetch_v3(r):
    r.int32()  # throttle time
    out = {}
    for _ in range(r.int32()):
        name = r.string()
        for _ in range(r.int32()):
            index, error, hw = r.int32(), r.int16(), r.int64()
            size = r.int32()
            out[(name, index)] = {"error_code": error, "high_watermark": hw,
                                  "records": b"" if size < 0 else r.take(size)}
    r.expect_end("Fetch v3 response")
    return out


def stored_codecs(data_dir, topic):
    """The codec bits of every batch in the partition's segment files."""
    return [codec for codec, _ in h.stored_batches(data_dir, topic)]


class LegacyFormatsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.broker = h.class_broker(cls)

    @classmethod
    def tearDownClass(cls):
        cls.broker.__exit__(None, None, None)

    def create(self, topic, configs=None):
        with self.broker.connect() as conn:
            self.assertEqual(conn.create_topics([(topic, 1, 1, configs or {})])[topic][0], 0)
            conn.wait_for_topic(topic, 1)

    # -- clients --

    def kafka_python_produce(self, topic, api_version, codec, count):
        from kafka import KafkaProducer
        kw = {"bootstrap_servers": self.broker.address, "linger_ms": 20}
        if api_version:
            kw["api_version"] = api_version
        if codec:
            kw["compression_type"] = codec
        producer = KafkaProducer(**kw)
        futures = [producer.send(topic, key=b"k%d" % i, value=b"kafka-python %d %s" % (i, b"x" * (i % 50)),
                                 partition=0) for i in range(count)]
        producer.flush(30)
        offsets = [f.get(timeout=30).offset for f in futures]
        producer.close(10)
        self.assertEqual(offsets, list(range(count)))

    def kafka_python_consume(self, topic, count, api_version=None):
        """[(offset, key, value, timestamp)] read by kafka-python from the beginning."""
        from kafka import KafkaConsumer, TopicPartition
        kw = {"bootstrap_servers": self.broker.address, "group_id": None, "enable_auto_commit": False,
              "auto_offset_reset": "earliest"}
        if api_version:
            kw["api_version"] = api_version
        consumer = KafkaConsumer(**kw)
        tp = TopicPartition(topic, 0)
        consumer.assign([tp])
        consumer.seek_to_beginning(tp)  # ListOffsets (v0 for 0.9)
        out = []
        deadline = time.monotonic() + 30
        while len(out) < count and time.monotonic() < deadline:
            for records in consumer.poll(timeout_ms=500).values():
                out.extend((m.offset, m.key, m.value, m.timestamp) for m in records)
        consumer.close()
        self.assertEqual(len(out), count, "kafka-python %r read %d of %d" % (api_version, len(out), count))
        return out

    def confluent_consume(self, topic, count):
        from confluent_kafka import Consumer, TopicPartition
        consumer = Consumer({"bootstrap.servers": self.broker.address, "group.id": "unused",
                             "enable.auto.commit": False})
        consumer.assign([TopicPartition(topic, 0, 0)])
        out = []
        deadline = time.monotonic() + 30
        while len(out) < count and time.monotonic() < deadline:
            for m in consumer.consume(1000, 1):
                self.assertIsNone(m.error(), m.error())
                out.append((m.offset(), m.key(), m.value()))
        consumer.close()
        self.assertEqual(len(out), count, "confluent read %d of %d" % (len(out), count))
        return out

    def confluent_produce(self, topic, config, count, headers=None):
        from confluent_kafka import Producer
        producer = Producer(dict({"bootstrap.servers": self.broker.address, "linger.ms": 50}, **config))
        errors = []
        for i in range(count):
            producer.produce(topic, key=b"c%d" % i, value=b"confluent %d %s" % (i, b"y" * (i % 40)),
                             partition=0, headers=headers,
                             on_delivery=lambda err, msg: err and errors.append(err))
        self.assertEqual(producer.flush(30), 0)
        self.assertEqual(errors, [])

    # -- tests --

    def test_api_versions_advertise_old_data_versions(self):
        with self.broker.connect() as conn:
            apis = conn.api_versions(2)["apis"]
        for key in (h.API_PRODUCE, h.API_FETCH, h.API_LIST_OFFSETS):
            self.assertEqual(apis[key][0], 0, "API %d range %r" % (key, apis[key]))
        self.assertGreaterEqual(apis[h.API_PRODUCE][1], 2)
        self.assertGreaterEqual(apis[h.API_FETCH][1], 3)

    def test_old_kafka_python_round_trip_and_modern_reader(self):
        for label, api in OLD_KAFKA_PYTHON.items():
            for codec in (None, "gzip"):
                with self.subTest(api_version=label, codec=codec):
                    topic = "kp-%s-%s" % (label.replace(".", "_"), codec or "none")
                    self.create(topic)
                    self.kafka_python_produce(topic, api, codec, 60)
                    expected = [(i, b"k%d" % i, b"kafka-python %d %s" % (i, b"x" * (i % 50))) for i in range(60)]
                    old = self.kafka_python_consume(topic, 60, api)
                    self.assertEqual([m[:3] for m in old], expected)
                    if api == (0, 9):
                        self.assertTrue(all(m[3] in (None, -1) for m in old), old[:2])  # magic 0: no timestamps
                    else:
                        now = time.time() * 1000
                        self.assertTrue(all(now - 120000 < m[3] <= now + 1000 for m in old), old[:2])
                    self.assertEqual(self.confluent_consume(topic, 60), expected)
                    codecs = stored_codecs(self.broker.data_dir, topic)
                    self.assertTrue(codecs)
                    self.assertEqual(set(codecs), {GZIP if codec else 0}, codecs)
                    print("  kafka-python api_version=%s codec=%s: 60 records, %d stored batches (codecs %s),"
                          " read by itself and by confluent" % (label, codec, len(codecs), sorted(set(codecs))))

    def test_modern_producer_read_by_old_kafka_python(self):
        topic = "modern-to-old"
        self.create(topic)
        self.confluent_produce(topic, {"compression.type": "gzip"}, 150, headers=[("h", b"dropped")])
        h.assert_stored_codec(self, self.broker.data_dir, topic, GZIP)
        expected = [(i, b"c%d" % i, b"confluent %d %s" % (i, b"y" * (i % 40))) for i in range(150)]
        for label, api in OLD_KAFKA_PYTHON.items():
            with self.subTest(api_version=label):
                got = self.kafka_python_consume(topic, 150, api)
                self.assertEqual([m[:3] for m in got], expected)
                print("  confluent gzip batches with headers -> kafka-python api_version=%s reads 150" % label)

    def test_librdkafka_msgver1_wrappers_stored_compressed(self):
        for codec, codec_id in (("gzip", GZIP), ("snappy", SNAPPY)):
            with self.subTest(codec=codec):
                topic = "msgver1-" + codec
                self.create(topic)
                self.confluent_produce(topic, {"api.version.request": False, "broker.version.fallback": "0.10.0",
                                               "compression.type": codec}, 400)
                codecs = h.assert_stored_codec(self, self.broker.data_dir, topic, codec_id)
                expected = [(i, b"c%d" % i, b"confluent %d %s" % (i, b"y" * (i % 40))) for i in range(400)]
                self.assertEqual(self.confluent_consume(topic, 400), expected)
                modern = self.kafka_python_consume(topic, 400)
                self.assertEqual([m[:3] for m in modern], expected)
                print("  librdkafka MsgVer1 %s wrappers -> %d %s batches, read by confluent and kafka-python"
                      % (codec, len(codecs), codec))

    def test_default_librdkafka_and_kcat_now_compress(self):
        for codec, codec_id in (("gzip", GZIP), ("snappy", SNAPPY)):
            with self.subTest(client="confluent", codec=codec):
                topic = "default-cf-" + codec
                self.create(topic)
                self.confluent_produce(topic, {"compression.type": codec}, 300)
                codecs = [c for c, _ in h.assert_stored_codec(self, self.broker.data_dir, topic, codec_id)]
                self.assertEqual(len(self.confluent_consume(topic, 300)), 300)
                print("  confluent default, compression.type=%s -> stored batches codecs %s"
                      % (codec, sorted(set(codecs))))
        topic = "default-kcat-gzip"
        self.create(topic)
        lines = ["kcat-%d %s" % (i, "z" * 40) for i in range(200)]
        subprocess.run(["kcat", "-b", self.broker.address, "-P", "-t", topic, "-p", "0", "-z", "gzip"],
                       input=("\n".join(lines) + "\n").encode(), check=True, timeout=30, capture_output=True)
        h.assert_stored_codec(self, self.broker.data_dir, topic, GZIP)
        out = subprocess.run(["kcat", "-b", self.broker.address, "-C", "-t", topic, "-o", "beginning", "-e", "-q"],
                             check=True, timeout=30, capture_output=True).stdout
        self.assertEqual(out.decode().splitlines(), lines)
        print("  kcat -z gzip -> stored gzip batches, read back")

    def test_raw_bad_crc_then_still_serving(self):
        topic = "raw-legacy"
        self.create(topic)
        good = legacy_message(0, b"k0", b"v0") + legacy_message(1, b"k1", b"v1")
        bad = bytearray(good)
        bad[30] ^= 0xFF  # the first message's key, under its CRC
        with self.broker.connect() as conn:
            resp = parse_produce_v2(conn.roundtrip(h.API_PRODUCE, 2, produce_v2_body(topic, bytes(bad))))
            self.assertEqual(resp[(topic, 0)]["error_code"], h.ERR_CORRUPT_MESSAGE)
            one = legacy_message(0, b"k", b"v")
            lying = one[:8] + b"\x7f" + one[9:]  # message_size ~2 GB
            resp = parse_produce_v2(conn.roundtrip(h.API_PRODUCE, 2, produce_v2_body(topic, lying)))
            self.assertEqual(resp[(topic, 0)]["error_code"], h.ERR_CORRUPT_MESSAGE)
            # Same connection: still served, and nothing was written.
            resp = parse_produce_v2(conn.roundtrip(h.API_PRODUCE, 2, produce_v2_body(topic, good)))
            self.assertEqual(resp[(topic, 0)], {"error_code": 0, "base_offset": 0})
            fetched = parse_fetch_v3(conn.roundtrip(h.API_FETCH, 3, fetch_v3_body(topic, 0)))[(topic, 0)]
            self.assertEqual(fetched["error_code"], 0)
            self.assertEqual(fetched["high_watermark"], 2)
            self.assertEqual(fetched["records"], good)  # same bytes back: magic 1, offsets 0 and 1
        print("  Produce v2 with a bad CRC / lying size -> error 2; the connection goes on")

    def test_raw_fetch_v3_of_zstd_is_unsupported_compression(self):
        topic = "zstd-old-fetch"
        # The topic stores zstd whatever the client sends (it may send a
        # batch of one short record uncompressed).
        self.create(topic, {"compression.type": "zstd"})
        self.confluent_produce(topic, {"compression.type": "zstd"}, 20)
        self.assertEqual(set(stored_codecs(self.broker.data_dir, topic)), {ZSTD})
        with self.broker.connect() as conn:
            fetched = parse_fetch_v3(conn.roundtrip(h.API_FETCH, 3, fetch_v3_body(topic, 0)))[(topic, 0)]
        self.assertEqual(fetched["error_code"], 76)
        self.assertEqual(fetched["records"], b"")
        print("  Fetch v3 of zstd batches -> UNSUPPORTED_COMPRESSION_TYPE")


if __name__ == "__main__":
    h.main()
