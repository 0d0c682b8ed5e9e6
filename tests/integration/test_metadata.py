"""Metadata over raw sockets: every version v0-v12 lists this broker as the
only broker and controller, with the cluster id; unknown and invalid topic
names get per-topic errors."""

import os
import shutil
import tempfile
import unittest

import harness as h

NODE_ID = 7


class MetadataTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # Auto-creation off: unknown names must come back as unknown.
        cls.broker = h.class_broker(cls, ["--node-id", str(NODE_ID),
                                          "--override", "topics.auto_create=false"])
        cls.conn = cls.broker.connect()
        # The cluster id from the log line "broker 7 started: cluster <id>, ...".
        cls.broker.wait_for_log("started: cluster ")
        line = [l for l in cls.broker.current_log().splitlines() if "started: cluster " in l][0]
        cls.log_cluster_id = line.split("started: cluster ", 1)[1].split(",", 1)[0].strip()

    @classmethod
    def tearDownClass(cls):
        cls.conn.close()
        cls.broker.__exit__(None, None, None)

    def test_every_version_lists_this_broker(self):
        print("  log says cluster id %r" % self.log_cluster_id)
        self.assertTrue(self.log_cluster_id)
        for version in range(0, 13):
            with self.subTest(version=version):
                print("  Metadata v%d (all topics) -> broker %d at %s, controller, cluster id"
                      % (version, NODE_ID, self.broker.address))
                result = self.conn.metadata(version, topics=None)
                self.assertEqual(len(result["brokers"]), 1, result)
                broker = result["brokers"][0]
                self.assertEqual(broker["node_id"], NODE_ID)
                self.assertEqual(broker["host"], "127.0.0.1")
                self.assertEqual(broker["port"], self.broker.port)
                if version >= 1:
                    self.assertIsNone(broker["rack"])
                    self.assertEqual(result["controller_id"], NODE_ID)
                if version >= 2:
                    self.assertEqual(result["cluster_id"], self.log_cluster_id)
                if version >= 3:
                    self.assertEqual(result["throttle_time_ms"], 0)
                # Only the broker's own internal topic exists yet.
                self.assertEqual([t["name"] for t in result["topics"]], ["__consumer_offsets"],
                                 "no topics but __consumer_offsets exist yet")

    def test_empty_topic_list(self):
        # v1+: an empty (non-null) list asks for no topics at all.
        for version in (1, 4, 9, 12):
            with self.subTest(version=version):
                print("  Metadata v%d with an empty topic list -> no topics, broker listed"
                      % version)
                result = self.conn.metadata(version, topics=[])
                self.assertEqual(result["topics"], [])
                self.assertEqual(result["brokers"][0]["node_id"], NODE_ID)

    def test_unknown_and_invalid_topics(self):
        names = ["no-such-topic", "bad/name", "x" * 250, "..", "fine.name_1"]
        expected = {"no-such-topic": 3, "bad/name": 17, "x" * 250: 17, "..": 17,
                    "fine.name_1": 3}
        for version in (0, 1, 5, 9, 10, 12):
            with self.subTest(version=version):
                print("  Metadata v%d for %s -> errors 3 (unknown) / 17 (invalid name)"
                      % (version, ", ".join(n if len(n) < 20 else n[:8] + "...(250)"
                                            for n in names)))
                result = self.conn.metadata(version, topics=names)
                got = {t["name"]: t["error_code"] for t in result["topics"]}
                self.assertEqual(got, expected, result["topics"])
                for t in result["topics"]:
                    self.assertIn(t["partitions"], ([], None))
                    if version >= 10:
                        self.assertEqual(t["topic_id"], b"\x00" * 16)

    def test_auto_creation(self):
        print("  auto_create on (the default): Metadata v4+ with allow=true creates the topic")
        with h.Broker() as broker:
            conn = broker.connect()
            refused = conn.metadata(9, topics=["made-by-metadata"], allow_auto_topic_creation=False)
            self.assertEqual(refused["topics"][0]["error_code"], 3)
            first = conn.metadata(9, topics=["made-by-metadata"], allow_auto_topic_creation=True)
            # Kafka answers LEADER_NOT_AVAILABLE (5) while it creates the topic.
            self.assertIn(first["topics"][0]["error_code"], (0, 5), first)
            made = h.wait_until(
                lambda: (lambda m: m if m["topics"][0]["error_code"] == 0 else None)(
                    conn.metadata(9, topics=["made-by-metadata"])), 10, "auto-created topic")
            topic = made["topics"][0]
            self.assertEqual(len(topic["partitions"]), 1)
            self.assertEqual(topic["partitions"][0]["leader_id"], 1)
            again = conn.metadata(1, topics=["made-by-v1"])  # v0-v3 always allow it
            self.assertIn(again["topics"][0]["error_code"], (0, 5), again)
            h.wait_until(lambda: conn.metadata(1, topics=["made-by-v1"])["topics"][0]["error_code"] == 0,
                         10, "topic auto-created by Metadata v1")
            invalid = conn.metadata(9, topics=["bad/name"], allow_auto_topic_creation=True)
            self.assertEqual(invalid["topics"][0]["error_code"], 17)
            conn.close()

    def test_pipelined_metadata(self):
        print("  13 pipelined Metadata requests v0..v12 in one send -> answered in order")
        data = b"".join(h.metadata_request(v, 500 + v) for v in range(13))
        self.conn.send(data)
        for v in range(13):
            cid, r = h.parse_response_header(self.conn.recv_frame(),
                                             h.response_header_version(h.API_METADATA, v))
            self.assertEqual(cid, 500 + v)
            self.assertEqual(h.parse_metadata(r, v)["brokers"][0]["node_id"], NODE_ID)


class TwoListenersTest(unittest.TestCase):
    def test_endpoint_of_the_listener_asked(self):
        # Clients are told the endpoint of the listener their request came in on.
        port_b = h.free_port()
        config_dir = tempfile.mkdtemp(prefix="brokkr-it-listeners-")
        try:
            config = os.path.join(config_dir, "broker.toml")
            with open(config, "w") as f:
                f.write('[[listeners]]\nname = "INTERNAL"\nlisten = "127.0.0.1:0"\n'
                        'advertise = "internal.example:9093"\n'
                        '[[listeners]]\nname = "EXTERNAL"\nlisten = "127.0.0.1:%d"\n' % port_b)
            # --listen replaces the first listener's address (INTERNAL).
            with h.Broker(["--config", config]) as broker:
                broker.wait_for_log("listener EXTERNAL accepting on 127.0.0.1:%d" % port_b)
                print("  listener INTERNAL on %s (advertised internal.example:9093), EXTERNAL on "
                      "127.0.0.1:%d: Metadata through each names that listener's endpoint"
                      % (broker.address, port_b))
                with broker.connect() as conn:
                    md = conn.metadata(1)
                self.assertEqual([(b["node_id"], b["host"], b["port"]) for b in md["brokers"]],
                                 [(1, "internal.example", 9093)])
                with h.KafkaConnection("127.0.0.1", port_b) as conn:
                    md = conn.metadata(1)
                self.assertEqual([(b["node_id"], b["host"], b["port"]) for b in md["brokers"]],
                                 [(1, "127.0.0.1", port_b)])
        finally:
            shutil.rmtree(config_dir, ignore_errors=True)


if __name__ == "__main__":
    h.main()
