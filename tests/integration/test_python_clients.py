"""Real client libraries connect: kafka-python's KafkaAdminClient and
confluent-kafka's (librdkafka) AdminClient see broker 1, the controller, the
cluster id and only the internal topic __consumer_offsets; --advertise
changes what they are told."""

import logging
import unittest

import harness as h

# kafka-python logs connection trouble at ERROR/WARNING; keep it visible.
logging.basicConfig(level=logging.WARNING, format="    [%(name)s] %(message)s")


def cluster_id_of(broker):
    """The cluster id the broker logged ("broker 1 started: cluster <id>, ...")."""
    broker.wait_for_log("started: cluster ")
    line = [l for l in broker.current_log().splitlines() if "started: cluster " in l][-1]
    return line.split("started: cluster ", 1)[1].split(",", 1)[0].strip()


class KafkaPythonTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # Unknown topics must stay unknown here: auto-creation is tested in test_metadata.py.
        cls.broker = h.class_broker(cls, ["--override", "topics.auto_create=false"])
        cls.cluster_id = cluster_id_of(cls.broker)

    @classmethod
    def tearDownClass(cls):
        cls.broker.__exit__(None, None, None)

    def admin(self):
        from kafka import KafkaAdminClient
        return KafkaAdminClient(bootstrap_servers=self.broker.address, client_id="brokkr-it",
                                request_timeout_ms=10000, api_version_auto_timeout_ms=10000)

    def test_describe_cluster(self):
        print("  kafka-python KafkaAdminClient(bootstrap_servers=%s).describe_cluster()"
              % self.broker.address)
        admin = self.admin()
        try:
            info = admin.describe_cluster()
        finally:
            admin.close()
        print("    -> %r" % (info,))
        detail = "%r\nbroker log:\n%s" % (info, self.broker.log())
        brokers = info["brokers"]
        self.assertEqual(len(brokers), 1, detail)
        self.assertEqual(brokers[0]["node_id"], 1, detail)
        self.assertEqual(brokers[0]["host"], "127.0.0.1", detail)
        self.assertEqual(brokers[0]["port"], self.broker.port, detail)
        self.assertEqual(info["controller_id"], 1, detail)
        self.assertEqual(info["cluster_id"], self.cluster_id, detail)

    def test_list_topics(self):
        print("  kafka-python KafkaAdminClient.list_topics() -> ['__consumer_offsets']")
        admin = self.admin()
        try:
            topics = admin.list_topics()
        finally:
            admin.close()
        self.assertEqual(list(topics), ["__consumer_offsets"])  # the broker's internal topic

    def test_client_api_versions(self):
        print("  kafka-python KafkaClient: api versions learned from the broker")
        from kafka.client_async import KafkaClient
        client = KafkaClient(bootstrap_servers=self.broker.address, client_id="brokkr-it",
                             api_version_auto_timeout_ms=10000)
        try:
            client.check_version(timeout=10)
            versions = client.get_api_versions()
        finally:
            client.close()
        print("    -> %r" % (versions,))
        self.assertEqual(versions.get(18), (0, 4))
        self.assertEqual(versions.get(3), (0, 12))


class ConfluentKafkaTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # Unknown topics must stay unknown here: auto-creation is tested in test_metadata.py.
        cls.broker = h.class_broker(cls, ["--override", "topics.auto_create=false"])
        cls.cluster_id = cluster_id_of(cls.broker)

    @classmethod
    def tearDownClass(cls):
        cls.broker.__exit__(None, None, None)

    def list_topics(self, address, **kw):
        from confluent_kafka.admin import AdminClient
        admin = AdminClient({"bootstrap.servers": address, "client.id": "brokkr-it",
                             "socket.timeout.ms": 10000})
        return admin.list_topics(timeout=10, **kw)

    def test_list_topics(self):
        print("  confluent-kafka AdminClient({'bootstrap.servers': %r}).list_topics(timeout=10)"
              % self.broker.address)
        md = self.list_topics(self.broker.address)
        brokers = {b.id: (b.host, b.port) for b in md.brokers.values()}
        print("    -> brokers %r, controller %r, cluster id %r, topics %r, orig broker %r"
              % (brokers, md.controller_id, md.cluster_id, list(md.topics), md.orig_broker_id))
        detail = "broker log:\n" + self.broker.log()
        self.assertEqual(brokers, {1: ("127.0.0.1", self.broker.port)}, detail)
        self.assertEqual(md.controller_id, 1, detail)
        self.assertEqual(md.cluster_id, self.cluster_id, detail)
        self.assertEqual(md.orig_broker_id, 1, detail)
        self.assertEqual(list(md.topics), ["__consumer_offsets"], detail)  # the internal topic

    def test_unknown_topic(self):
        print("  confluent-kafka list_topics(topic='no-such-topic') -> "
              "UNKNOWN_TOPIC_OR_PART for it")
        from confluent_kafka import KafkaError
        md = self.list_topics(self.broker.address, topic="no-such-topic")
        self.assertIn("no-such-topic", md.topics)
        err = md.topics["no-such-topic"].error
        self.assertIsNotNone(err)
        self.assertEqual(err.code(), KafkaError.UNKNOWN_TOPIC_OR_PART, err)


class AdvertiseTest(unittest.TestCase):
    def test_advertised_address(self):
        # Listen on one port, advertise another: clients are told the advertised
        # one (which nobody listens on), the metadata they got first shows it.
        advertised_port = h.free_port()
        with h.Broker(["--advertise", "127.0.0.1:%d" % advertised_port]) as broker:
            print("  --listen %s --advertise 127.0.0.1:%d: Metadata v1 and librdkafka "
                  "list broker 1 at the advertised port" % (broker.address, advertised_port))
            with broker.connect() as conn:
                md = conn.metadata(1)
            self.assertEqual([(b["node_id"], b["host"], b["port"]) for b in md["brokers"]],
                             [(1, "127.0.0.1", advertised_port)])
            from confluent_kafka.admin import AdminClient
            admin = AdminClient({"bootstrap.servers": broker.address})
            cluster = admin.list_topics(timeout=10)
            del admin  # disconnect before the broker stops
            self.assertEqual({b.id: (b.host, b.port) for b in cluster.brokers.values()},
                             {1: ("127.0.0.1", advertised_port)})

    def test_advertised_hostname(self):
        with h.Broker(["--advertise", "broker-one.example:19092"]) as broker:
            print("  --advertise broker-one.example:19092 -> Metadata v12 says so")
            with broker.connect() as conn:
                md = conn.metadata(12)
            self.assertEqual([(b["node_id"], b["host"], b["port"]) for b in md["brokers"]],
                             [(1, "broker-one.example", 19092)])


if __name__ == "__main__":
    h.main()
