"""Bad data-path requests get Kafka's error codes, per partition, and the
broker goes on serving (raw protocol through the harness):

* a batch with a wrong CRC -> CORRUPT_MESSAGE (2) for that partition only;
* a batch larger than the topic's max.message.bytes -> MESSAGE_TOO_LARGE (10);
* a partition that does not exist -> UNKNOWN_TOPIC_OR_PARTITION (3);
* CreatePartitions to fewer (or as many) partitions -> INVALID_PARTITIONS (37);
* Fetch beyond the end of the log -> OFFSET_OUT_OF_RANGE (1);
* acks=0: no response, the connection goes on (the next request's response
  carries its own correlation id) and the records are appended; an acks=0
  produce that fails closes the connection (Kafka's way of telling);
* Produce v3+ with two batches for a partition, a magic-1 batch or no batch
  -> INVALID_RECORD (87);
* afterwards a real client produces and consumes normally.
"""

import socket
import time
import unittest

import harness as h

TOPIC = "bad-input"
SMALL = "bad-input-small"   # max.message.bytes = 2048


def batch(n, size=20, base_timestamp=None):
    return h.record_batch([("k%d" % i, b"v" * size) for i in range(n)],
                          base_timestamp=base_timestamp)


class BadInputTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.broker = h.class_broker(cls)
        with cls.broker.connect() as conn:
            result = conn.create_topics([(TOPIC, 3, 1, {}),
                                         (SMALL, 1, 1, {"max.message.bytes": "2048"})])
            for name, (code, message) in result.items():
                if code != 0:
                    raise AssertionError("CreateTopics %s: %d %s\n%s"
                                         % (name, code, message, cls.broker.log()))
            conn.wait_for_topic(TOPIC, 3)
            conn.wait_for_topic(SMALL, 1)

    @classmethod
    def tearDownClass(cls):
        cls.broker.__exit__(None, None, None)

    def setUp(self):
        self.conn = self.broker.connect()

    def tearDown(self):
        self.conn.close()

    def detail(self, *what):
        return "\n".join(str(w) for w in what) + "\nbroker log (tail):\n" + self.broker.log()[-6000:]

    def latest(self, topic, partition):
        return self.conn.list_offsets({topic: {partition: h.LATEST}})[(topic, partition)]["offset"]

    def still_serving(self):
        """The same connection still answers, and so does a new one."""
        self.conn.api_versions(0)
        self.still_serving_elsewhere()

    def still_serving_elsewhere(self):
        with self.broker.connect() as other:
            other.metadata(1)
            resp = other.produce({TOPIC: {0: batch(1)}})
            self.assertEqual(resp["partitions"][(TOPIC, 0)]["error_code"], 0, self.detail(resp))

    def test_wrong_crc_is_corrupt_message_for_that_partition(self):
        good = batch(3)
        bad = bytearray(batch(3))
        bad[17] ^= 0xFF  # a CRC byte (bytes 17..20)
        before = {p: self.latest(TOPIC, p) for p in (0, 1)}
        for version in (3, 8, 9):
            resp = self.conn.produce({TOPIC: {0: bytes(bad), 1: good}}, version=version)
            print("  Produce v%d, partition 0 with a broken CRC, partition 1 fine -> %r"
                  % (version, {k[1]: (v["error_code"], v["base_offset"], v["error_message"])
                               for k, v in resp["partitions"].items()}))
            p0, p1 = resp["partitions"][(TOPIC, 0)], resp["partitions"][(TOPIC, 1)]
            self.assertEqual(p0["error_code"], h.ERR_CORRUPT_MESSAGE, self.detail(resp))
            self.assertEqual(p0["base_offset"], -1, self.detail(resp))
            self.assertEqual(p1["error_code"], h.ERR_NONE, self.detail(resp))
        # Nothing of the bad batch was appended; the good ones were.
        self.assertEqual(self.latest(TOPIC, 0), before[0])
        self.assertEqual(self.latest(TOPIC, 1), before[1] + 9)
        # A payload byte flipped (CRC unchanged) is caught too.
        bad = bytearray(batch(3))
        bad[-3] ^= 0x01
        resp = self.conn.produce({TOPIC: {0: bytes(bad)}})
        self.assertEqual(resp["partitions"][(TOPIC, 0)]["error_code"], h.ERR_CORRUPT_MESSAGE,
                         self.detail(resp))
        self.still_serving()

    def test_batch_larger_than_max_message_bytes(self):
        fits = batch(1, size=1500)
        too_big = batch(1, size=3000)
        self.assertLess(len(fits), 2048)
        self.assertGreater(len(too_big), 2048)
        resp = self.conn.produce({SMALL: {0: too_big}})
        p = resp["partitions"][(SMALL, 0)]
        print("  %d-byte batch, max.message.bytes=2048 -> error %d %r"
              % (len(too_big), p["error_code"], p["error_message"]))
        self.assertEqual(p["error_code"], h.ERR_MESSAGE_TOO_LARGE, self.detail(resp))
        self.assertEqual(self.latest(SMALL, 0), 0)
        resp = self.conn.produce({SMALL: {0: fits}})
        self.assertEqual(resp["partitions"][(SMALL, 0)]["error_code"], h.ERR_NONE, self.detail(resp))
        # The broker-wide default (1048588) applies elsewhere: 1.1 MB is too large.
        huge = h.record_batch([("k", b"x" * (1100 * 1024))])
        resp = self.conn.produce({TOPIC: {2: huge}}, timeout=30)
        self.assertEqual(resp["partitions"][(TOPIC, 2)]["error_code"], h.ERR_MESSAGE_TOO_LARGE,
                         self.detail(resp))
        self.still_serving()

    def test_unknown_partition(self):
        resp = self.conn.produce({TOPIC: {99: batch(1), 0: batch(1)}})
        print("  Produce to %s-99 (3 partitions) -> %r"
              % (TOPIC, resp["partitions"][(TOPIC, 99)]["error_code"]))
        self.assertEqual(resp["partitions"][(TOPIC, 99)]["error_code"],
                         h.ERR_UNKNOWN_TOPIC_OR_PARTITION, self.detail(resp))
        self.assertEqual(resp["partitions"][(TOPIC, 0)]["error_code"], h.ERR_NONE, self.detail(resp))
        self.assertEqual(resp["partitions"][(TOPIC, 99)]["base_offset"], -1)
        resp = self.conn.fetch({TOPIC: {99: 0}})
        self.assertEqual(resp["partitions"][(TOPIC, 99)]["error_code"],
                         h.ERR_UNKNOWN_TOPIC_OR_PARTITION, self.detail(resp))
        lo = self.conn.list_offsets({TOPIC: {99: h.LATEST}})
        self.assertEqual(lo[(TOPIC, 99)]["error_code"], h.ERR_UNKNOWN_TOPIC_OR_PARTITION,
                         self.detail(lo))
        resp = self.conn.produce({TOPIC: {-1: batch(1)}})
        self.assertEqual(resp["partitions"][(TOPIC, -1)]["error_code"],
                         h.ERR_UNKNOWN_TOPIC_OR_PARTITION, self.detail(resp))
        self.still_serving()

    def test_create_partitions_cannot_shrink(self):
        for count in (2, 1, 3):
            result = self.conn.create_partitions([(TOPIC, count)])
            print("  CreatePartitions %s 3 -> %d: %r" % (TOPIC, count, result[TOPIC]))
            self.assertEqual(result[TOPIC][0], h.ERR_INVALID_PARTITIONS, self.detail(result))
        # validate_only does not change that either.
        result = self.conn.create_partitions([(TOPIC, 2)], validate_only=True)
        self.assertEqual(result[TOPIC][0], h.ERR_INVALID_PARTITIONS, self.detail(result))
        md = self.conn.metadata(1, topics=[TOPIC])
        self.assertEqual(len(md["topics"][0]["partitions"]), 3, self.detail(md))
        self.still_serving()

    def test_fetch_beyond_the_end(self):
        self.conn.produce({TOPIC: {2: batch(5)}})
        end = self.latest(TOPIC, 2)
        # At the end: no error, no records (max_wait 0 answers right away).
        resp = self.conn.fetch({TOPIC: {2: end}})
        p = resp["partitions"][(TOPIC, 2)]
        self.assertEqual((p["error_code"], p["high_watermark"]), (0, end), self.detail(resp))
        self.assertEqual(h.records_of(p["records"]), [])
        for version in (4, 11):
            for offset in (end + 1, end + 1000, 2 ** 62):
                resp = self.conn.fetch({TOPIC: {2: offset}}, version=version)
                p = resp["partitions"][(TOPIC, 2)]
                self.assertEqual(p["error_code"], h.ERR_OFFSET_OUT_OF_RANGE,
                                 self.detail("Fetch v%d at %d (end %d)" % (version, offset, end),
                                             resp))
                self.assertIn(p["records"], (None, b""), self.detail(resp))
        print("  Fetch at %d (end %d) -> %d" % (end + 1, end, h.ERR_OFFSET_OUT_OF_RANGE))
        # A long poll beyond the end answers at once with the error too.
        start = time.monotonic()
        resp = self.conn.fetch({TOPIC: {2: end + 5}}, max_wait_ms=5000)
        self.assertEqual(resp["partitions"][(TOPIC, 2)]["error_code"], h.ERR_OFFSET_OUT_OF_RANGE)
        self.assertLess(time.monotonic() - start, 3.0, "long poll waited despite the error")
        self.still_serving()

    def test_acks_0_no_response_connection_continues(self):
        before = self.latest(TOPIC, 1)
        for version in (3, 8, 9):
            self.conn.produce({TOPIC: {1: batch(4)}}, acks=0, version=version, correlation_id=1000)
            # The next response on this connection is the ApiVersions one.
            cid, r = self.conn.call(h.api_versions_request(0, 2000 + version), h.API_VERSIONS, 0)
            self.assertEqual(cid, 2000 + version,
                             self.detail("after an acks=0 Produce v%d the next response has "
                                         "correlation id %d" % (version, cid)))
            h.parse_api_versions(r, 0)
        print("  3 x Produce acks=0 (no response) each followed by ApiVersions: answered in turn")
        # Several acks=0 requests pipelined, then one with acks=1: only that one answers.
        for _ in range(5):
            self.conn.produce({TOPIC: {1: batch(2)}}, acks=0)
        resp = self.conn.produce({TOPIC: {1: batch(1)}}, acks=1, correlation_id=4242)
        p = resp["partitions"][(TOPIC, 1)]
        self.assertEqual(p["error_code"], 0, self.detail(resp))
        self.assertEqual(p["base_offset"], before + 3 * 4 + 5 * 2, self.detail(resp))
        self.assertEqual(self.latest(TOPIC, 1), before + 3 * 4 + 5 * 2 + 1)
        # Nothing else is waiting on the socket.
        self.conn.sock.settimeout(0.3)
        with self.assertRaises(socket.timeout):
            data = self.conn.sock.recv(1)
            raise AssertionError("unexpected bytes after the acks=1 response: %r" % data)
        self.conn.sock.settimeout(self.conn.timeout)
        self.still_serving()

    def test_acks_0_error_closes_connection(self):
        # Kafka answers nothing to acks=0, so when such a produce fails it
        # closes the connection: that is how the client learns something is
        # wrong and refreshes its metadata (KafkaApis.handleProduceRequest).
        self.conn.produce({TOPIC: {99: batch(1)}}, acks=0)
        self.conn.send(h.api_versions_request(0, 77))
        frames = self.conn.wait_closed(timeout=3.0)
        print("  acks=0 Produce to %s-99 (no such partition), then ApiVersions -> closed after "
              "%d response(s)" % (TOPIC, len(frames)))
        self.assertEqual(frames, [], self.detail("the broker answered instead of closing"))
        self.still_serving_elsewhere()

    def test_produce_v3_plus_record_shape_is_invalid_record(self):
        # Produce v3 and later carry exactly one magic-2 batch per partition;
        # Kafka refuses anything else with INVALID_RECORD (87) before looking
        # further (ProduceRequest.validateRecords).
        one = batch(1)
        magic1 = bytearray(batch(1))
        magic1[16] = 1
        cases = [("two batches", one + batch(1)), ("magic 1", bytes(magic1)),
                 ("no batch (0 bytes)", b"")]
        before = self.latest(TOPIC, 0)
        answers = {}
        for what, records in cases:
            resp = self.conn.produce({TOPIC: {0: records}})
            p = resp["partitions"][(TOPIC, 0)]
            answers[what] = (p["error_code"], p["error_message"])
        print("  Produce v8 with %s" % answers)
        self.assertEqual(self.latest(TOPIC, 0), before, self.detail(answers))
        self.assertEqual({w: a[0] for w, a in answers.items()},
                         {w: h.ERR_INVALID_RECORD for w, _ in cases}, self.detail(answers))
        self.still_serving()

    def test_zz_normal_traffic_after_all_that(self):
        # Runs last (alphabetical order): the broker took every bad request above.
        from confluent_kafka import Consumer, Producer, TopicPartition
        topic = "after-bad-input"
        result = self.conn.create_topics([(topic, 1, 1)])
        self.assertEqual(result[topic][0], h.ERR_NONE, self.detail(result))
        self.conn.wait_for_topic(topic, 1)
        producer = Producer({"bootstrap.servers": self.broker.address, "acks": "all"})
        errors = []
        for i in range(500):
            producer.produce(topic, key=b"k%d" % i, value=b"value-%d" % i,
                             on_delivery=lambda err, msg: err and errors.append(err))
        self.assertEqual(producer.flush(30), 0)
        self.assertEqual(errors, [], self.detail(errors))
        consumer = Consumer({"bootstrap.servers": self.broker.address, "group.id": "unused",
                             "enable.auto.commit": False})
        try:
            consumer.assign([TopicPartition(topic, 0, 0)])
            got = []
            deadline = time.monotonic() + 20
            while len(got) < 500 and time.monotonic() < deadline:
                for msg in consumer.consume(500, timeout=0.5):
                    self.assertIsNone(msg.error(), self.detail(msg.error()))
                    got.append((msg.offset(), msg.value()))
        finally:
            consumer.close()
        self.assertEqual(got, [(i, b"value-%d" % i) for i in range(500)], self.detail())
        print("  then confluent Producer/Consumer: 500 records to a new topic and back")
        self.assertTrue(self.broker.alive())


if __name__ == "__main__":
    h.main()
