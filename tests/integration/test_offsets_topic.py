"""__consumer_offsets, the internal topic of consumer-group state: the broker
creates it at start with groups.offsets_partitions partitions, Metadata and
kcat report it as internal, it survives a restart unchanged, and DeleteTopics
on it is refused (by the raw protocol and by confluent-kafka's admin client),
and so is Produce."""

import json
import shutil
import subprocess
import unittest

import harness as h

TOPIC = "__consumer_offsets"
PARTITIONS = 5
KCAT = shutil.which("kcat") or "/usr/bin/kcat"
ERR_INVALID_TOPIC_EXCEPTION = 17


def delete_topics_v1(conn, names):
    """DeleteTopics v1 (topic_names, timeout_ms) -> {name: error code}."""
    body = h.array(names, h.string) + h.int32(10000)
    r = conn.roundtrip(h.API_DELETE_TOPICS, 1, body)
    r.int32()  # throttle_time_ms
    results = r.array(lambda rr: (rr.string(), rr.int16()))
    r.expect_end("DeleteTopics v1 response")
    return dict(results)


def offsets_topic(conn, version=12):
    md = conn.metadata(version, topics=None)
    found = [t for t in md["topics"] if t["name"] == TOPIC]
    return found[0] if found else None


class OffsetsTopicTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.broker = h.class_broker(
            cls, ["--override", "groups.offsets_partitions=%d" % PARTITIONS])
        with cls.broker.connect() as conn:
            # Created right after the listener opens: wait for it.
            conn.wait_for_topic(TOPIC, PARTITIONS)

    @classmethod
    def tearDownClass(cls):
        cls.broker.__exit__(None, None, None)

    def detail(self, *what):
        return "\n".join([repr(w) for w in what] + ["broker log:", self.broker.log()])

    def test_metadata_lists_it_as_internal(self):
        print("  Metadata v1/v9/v12 (all topics) -> %s internal, %d partitions, each led by 1"
              % (TOPIC, PARTITIONS))
        with self.broker.connect() as conn:
            for version in (1, 9, 12):
                with self.subTest(version=version):
                    topic = offsets_topic(conn, version)
                    self.assertIsNotNone(topic, self.detail(version))
                    self.assertEqual(topic["error_code"], 0, self.detail(topic))
                    self.assertTrue(topic["is_internal"], self.detail(topic))
                    self.assertEqual(sorted(p["partition_index"] for p in topic["partitions"]),
                                     list(range(PARTITIONS)), self.detail(topic))
                    self.assertTrue(all(p["leader_id"] == 1 and p["replica_nodes"] == [1]
                                        for p in topic["partitions"]), self.detail(topic))
        self.assertIn("created %s (%d partitions, replication factor 1)" % (TOPIC, PARTITIONS),
                      self.broker.log())

    def test_kcat_lists_it(self):
        cmd = [KCAT, "-b", self.broker.address, "-m", "10", "-L", "-J"]
        print("  %s -> %s with %d partitions" % (" ".join(cmd), TOPIC, PARTITIONS))
        proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=30)
        self.assertEqual(proc.returncode, 0, self.detail(proc.stderr))
        doc = json.loads(proc.stdout)
        topics = {t["topic"]: t for t in doc["topics"]}
        self.assertIn(TOPIC, topics, self.detail(doc))
        self.assertEqual(len(topics[TOPIC]["partitions"]), PARTITIONS, self.detail(doc))
        self.assertNotIn("error", topics[TOPIC], self.detail(doc))

    def test_delete_topics_is_refused(self):
        print("  DeleteTopics v1 [%s] -> INVALID_TOPIC_EXCEPTION (17); the topic stays" % TOPIC)
        with self.broker.connect() as conn:
            result = delete_topics_v1(conn, [TOPIC])
            self.assertEqual(result, {TOPIC: ERR_INVALID_TOPIC_EXCEPTION}, self.detail(result))
            self.assertIsNotNone(offsets_topic(conn), self.detail("deleted anyway"))

        print("  confluent-kafka AdminClient.delete_topics([%s]) -> an error" % TOPIC)
        from confluent_kafka import KafkaException
        from confluent_kafka.admin import AdminClient
        admin = AdminClient({"bootstrap.servers": self.broker.address})
        future = admin.delete_topics([TOPIC], operation_timeout=10)[TOPIC]
        with self.assertRaises(KafkaException) as raised:
            future.result(timeout=30)
        print("    -> %s" % raised.exception)
        del admin
        with self.broker.connect() as conn:
            self.assertEqual(len(offsets_topic(conn)["partitions"]), PARTITIONS)

    def test_clients_cannot_produce_to_it(self):
        print("  Produce v8 to %s-0 -> INVALID_TOPIC_EXCEPTION (17): only the broker writes it" % TOPIC)
        with self.broker.connect() as conn:
            resp = conn.produce({TOPIC: {0: h.record_batch([("k", "v")])}})
            self.assertEqual(resp["partitions"][(TOPIC, 0)]["error_code"], ERR_INVALID_TOPIC_EXCEPTION,
                             self.detail(resp))

    def test_clients_cannot_auto_create_internal_topics(self):
        print("  Metadata v4 asking for __transaction_state with auto-creation -> "
              "UNKNOWN_TOPIC_OR_PARTITION (internal topics are their owners' to create)")
        with self.broker.connect() as conn:
            md = conn.metadata(4, topics=["__transaction_state"], allow_auto_topic_creation=True)
            self.assertEqual([(t["name"], t["error_code"]) for t in md["topics"]],
                             [("__transaction_state", 3)], self.detail(md))


class OffsetsTopicRestartTest(unittest.TestCase):
    def test_survives_restart_unchanged(self):
        args = ["--override", "groups.offsets_partitions=%d" % PARTITIONS]
        with h.Broker(args) as broker:
            with broker.connect() as conn:
                first = conn.wait_for_topic(TOPIC, PARTITIONS)
                topic_id = offsets_topic(conn)["topic_id"]
            broker.stop()
            print("  restart with groups.offsets_partitions=7: the existing topic (id %s) keeps "
                  "its %d partitions" % (topic_id.hex(), PARTITIONS))
            broker.extra_args = ["--override", "groups.offsets_partitions=7"]
            broker.start()
            with broker.connect() as conn:
                again = conn.wait_for_topic(TOPIC, PARTITIONS)
                topic = offsets_topic(conn)
            log = broker.current_log()
            self.assertEqual(topic["topic_id"], topic_id, log)
            self.assertTrue(topic["is_internal"], log)
            self.assertEqual(len(again["partitions"]), len(first["partitions"]), log)
            self.assertNotIn("created %s" % TOPIC, log)
            self.assertIn("%s has %d partitions; groups.offsets_partitions = 7 only applies when "
                          "it is created" % (TOPIC, PARTITIONS), log)
            self.assertGreaterEqual(len(h.segment_files(broker.data_dir, TOPIC, 0)), 1, log)


if __name__ == "__main__":
    h.main()
