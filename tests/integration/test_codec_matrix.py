"""Every client × every codec: each producer compresses with each codec,
every consumer reads every topic back, and the segment files show the codec
the producer chose (so the batch really was compressed, not sent plain).

Producers and consumers: kcat (librdkafka), confluent-kafka (librdkafka),
kafka-python (Debian's python3-snappy, -lz4, -zstandard) and kafkajs
(gzip built in; snappy and lz4 through kafkajs-snappy and kafkajs-lz4; zstd
through an adapter on zstd-napi, see js/codecs.js). kafkajs reads through its
own Fetch request (js/roundtrip.js; its consumer needs consumer groups).

The last test sets a topic's compression.type to zstd and produces
uncompressed: the segment holds zstd batches and every client reads them."""

import base64
import os
import subprocess
import time
import unittest

import harness as h
from test_data_kafkajs import b64, run_node, unb64

CODECS = ("gzip", "snappy", "lz4", "zstd")
CODEC_IDS = {"none": 0, "gzip": 1, "snappy": 2, "lz4": 3, "zstd": 4}
PRODUCERS = ("kcat", "confluent", "kafka-python", "kafkajs")
COUNT = 300


def topic_name(producer, codec):
    return "mx-%s-%s" % (producer, codec)


def expected_records(producer, codec):
    """Text-like values (they compress), distinct per producer and codec."""
    return [(("k%d" % i).encode(),
             ("%s %s record %d: the quick brown fox jumps over the lazy dog %s"
              % (producer, codec, i, "lorem ipsum " * (i % 7))).encode())
            for i in range(COUNT)]


class CodecMatrixTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.broker = h.class_broker(cls)
        from confluent_kafka.admin import AdminClient, NewTopic
        admin = AdminClient({"bootstrap.servers": cls.broker.address})
        topics = [topic_name(p, c) for p in PRODUCERS for c in CODECS]
        for future in admin.create_topics([NewTopic(t, 1, 1) for t in topics]).values():
            future.result(30)
        for codec in CODECS:
            cls.produce_kcat(codec)
            cls.produce_confluent(codec)
            cls.produce_kafka_python(codec)
            cls.produce_kafkajs(codec)

    @classmethod
    def tearDownClass(cls):
        cls.broker.__exit__(None, None, None)

    # ---- producers ----
    @classmethod
    def produce_kcat(cls, codec):
        lines = b"".join(k + b"\t" + v + b"\n" for k, v in expected_records("kcat", codec))
        subprocess.run(["kcat", "-b", cls.broker.address, "-P", "-t", topic_name("kcat", codec),
                        "-z", codec, "-K", "\t", "-X", "linger.ms=200"],
                       input=lines, check=True, timeout=60, capture_output=True)

    @classmethod
    def produce_confluent(cls, codec):
        from confluent_kafka import Producer
        producer = Producer({"bootstrap.servers": cls.broker.address, "compression.type": codec,
                             "linger.ms": 200, "acks": "all"})
        for key, value in expected_records("confluent", codec):
            producer.produce(topic_name("confluent", codec), key=key, value=value, partition=0)
        assert producer.flush(30) == 0, "confluent %s: records left unsent" % codec

    @classmethod
    def produce_kafka_python(cls, codec):
        from kafka import KafkaProducer
        producer = KafkaProducer(bootstrap_servers=cls.broker.address, compression_type=codec,
                                 linger_ms=200, acks="all")
        futures = [producer.send(topic_name("kafka-python", codec), key=k, value=v, partition=0)
                   for k, v in expected_records("kafka-python", codec)]
        for f in futures:
            f.get(timeout=30)
        producer.close(10)

    @classmethod
    def produce_kafkajs(cls, codec):
        ts = int(time.time() * 1000)
        records = expected_records("kafkajs", codec)
        groups = [[{"partition": 0, "key": b64(k), "value": b64(v), "headers": [], "timestamp": ts}
                   for k, v in records[g:g + 100]] for g in range(0, COUNT, 100)]
        run_node("produce", {"broker": cls.broker.address, "topic": topic_name("kafkajs", codec),
                             "partitions": 1, "groups": groups, "timestamps": [],
                             "compression": codec})

    # ---- consumers: each returns {topic: [(key, value), ...]} ----
    def consume_kcat(self, topics):
        got = {}
        for topic in topics:
            out = subprocess.run(["kcat", "-b", self.broker.address, "-C", "-t", topic, "-o", "beginning",
                                  "-e", "-q", "-f", "%k\\t%s\\n"],
                                 capture_output=True, check=True, timeout=60).stdout
            got[topic] = [tuple(line.split(b"\t", 1)) for line in out.splitlines()]
        return got

    def consume_confluent(self, topics):
        from confluent_kafka import Consumer, TopicPartition
        consumer = Consumer({"bootstrap.servers": self.broker.address, "group.id": "unused",
                             "enable.auto.commit": False})
        got = {t: [] for t in topics}
        try:
            consumer.assign([TopicPartition(t, 0, 0) for t in topics])
            deadline = time.monotonic() + 60
            while any(len(v) < COUNT for v in got.values()) and time.monotonic() < deadline:
                for msg in consumer.consume(1000, 0.5):
                    self.assertIsNone(msg.error(), str(msg.error()))
                    got[msg.topic()].append((msg.key(), msg.value()))
        finally:
            consumer.close()
        return got

    def consume_kafka_python(self, topics):
        from kafka import KafkaConsumer, TopicPartition
        consumer = KafkaConsumer(bootstrap_servers=self.broker.address, group_id=None,
                                 enable_auto_commit=False, auto_offset_reset="earliest")
        got = {t: [] for t in topics}
        try:
            consumer.assign([TopicPartition(t, 0) for t in topics])
            deadline = time.monotonic() + 60
            while any(len(v) < COUNT for v in got.values()) and time.monotonic() < deadline:
                for tp, messages in consumer.poll(timeout_ms=500).items():
                    got[tp.topic].extend((m.key, m.value) for m in messages)
        finally:
            consumer.close()
        return got

    def consume_kafkajs(self, topics):
        got = {}
        for topic in topics:
            result, _ = run_node("fetch", {"broker": self.broker.address, "topic": topic, "ends": {"0": COUNT}})
            got[topic] = [(unb64(m["key"]), unb64(m["value"])) for m in result["partitions"]["0"]]
        return got

    def check_consumer(self, name, consume):
        topics = [topic_name(p, c) for p in PRODUCERS for c in CODECS]
        got = consume(topics)
        cells = 0
        for producer in PRODUCERS:
            for codec in CODECS:
                with self.subTest(producer=producer, codec=codec, consumer=name):
                    topic = topic_name(producer, codec)
                    self.assertEqual(got[topic], expected_records(producer, codec),
                                     "%s read %d of %d records of %s" % (name, len(got[topic]), COUNT, topic))
                    cells += 1
        print("  %s read back all %d producer×codec topics" % (name, cells))

    def test_every_producer_stored_its_codec(self):
        for producer in PRODUCERS:
            for codec in CODECS:
                with self.subTest(producer=producer, codec=codec):
                    h.assert_stored_codec(self, self.broker.data_dir, topic_name(producer, codec), CODEC_IDS[codec])

    def test_kcat_reads_all(self):
        self.check_consumer("kcat", self.consume_kcat)

    def test_confluent_reads_all(self):
        self.check_consumer("confluent-kafka", self.consume_confluent)

    def test_kafka_python_reads_all(self):
        self.check_consumer("kafka-python", self.consume_kafka_python)

    def test_kafkajs_reads_all(self):
        self.check_consumer("kafkajs", self.consume_kafkajs)

    def test_topic_compression_type_zstd_recompresses(self):
        from confluent_kafka import Producer
        from confluent_kafka.admin import AdminClient, NewTopic
        topic = "stored-as-zstd"
        admin = AdminClient({"bootstrap.servers": self.broker.address})
        admin.create_topics([NewTopic(topic, 1, 1, config={"compression.type": "zstd",
                                                            "compression.zstd.level": "9"})])[topic].result(30)
        producer = Producer({"bootstrap.servers": self.broker.address, "compression.type": "none",
                             "linger.ms": 50})
        records = expected_records("plain", "zstd")
        for key, value in records:
            producer.produce(topic, key=key, value=value, partition=0)
        self.assertEqual(producer.flush(30), 0)
        # The broker re-encodes every batch, however small.
        batches = h.stored_batches(self.broker.data_dir, topic)
        self.assertTrue(batches)
        self.assertEqual({c for c, _ in batches}, {CODEC_IDS["zstd"]}, "stored batches %s" % batches)
        size = sum(os.path.getsize(p) for p in h.segment_files(self.broker.data_dir, topic, 0))
        raw = sum(len(k) + len(v) for k, v in records)
        print("  compression.type=zstd: %d uncompressed record bytes stored in %d bytes of zstd batches"
              % (raw, size))
        self.assertLess(size, raw / 2)
        for name, consume in (("kcat", self.consume_kcat), ("confluent-kafka", self.consume_confluent),
                              ("kafka-python", self.consume_kafka_python), ("kafkajs", self.consume_kafkajs)):
            with self.subTest(consumer=name):
                self.assertEqual(consume([topic])[topic], records)


if __name__ == "__main__":
    h.main()
