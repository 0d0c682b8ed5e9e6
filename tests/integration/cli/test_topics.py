"""brokkr-topics against a real broker: create (with configs, --if-not-exists),
list, describe in Kafka 3.7's exact layout, grow and the shrink error, delete,
regexes, error lines and exit codes; and interop with confluent-kafka's
AdminClient both ways.

Run as: python3 test_topics.py <brokkr binary> <build dir>
"""

import base64
import re
import tempfile

import cli_harness as ch
import harness as h

ERROR = "Error while executing topic command : "


def run(*args, timeout=60):
    """Runs brokkr-topics; returns (exit code, stdout, stderr)."""
    return ch.run_tool("brokkr-topics", *args, timeout=timeout)


def confluent_admin(address):
    from confluent_kafka.admin import AdminClient
    return AdminClient({"bootstrap.servers": address, "socket.timeout.ms": 10000})


class TopicsTest(h.BrokerTestCase):
    BROKER_ARGS = ["--override", "topics.auto_create=false"]

    def topics(self, *args):
        return run("--bootstrap-server", self.broker.address, *args)

    def ok(self, *args):
        return ch.check_tool(self, "brokkr-topics", "--bootstrap-server", self.broker.address, *args)[0]

    def fails(self, *args):
        return ch.check_tool(self, "brokkr-topics", "--bootstrap-server", self.broker.address, *args, expect_code=1)

    def topic_id(self, name):
        """The topic id from a raw Metadata v12 response, in Kafka's text form."""
        with self.broker.connect() as conn:
            md = conn.metadata(12, topics=[name])
        raw = md["topics"][0]["topic_id"]
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    # -- create --

    def test_create_with_configs_then_describe(self):
        out = self.ok("--create", "--topic", "orders", "--partitions", "3", "--replication-factor", "1",
                      "--config", "retention.ms=123456", "--config", "cleanup.policy=compact")
        self.assertEqual(out, "Created topic orders.\n")
        out = self.ok("--describe", "--topic", "orders")
        topic_id = self.topic_id("orders")
        self.assertRegex(topic_id, r"^[A-Za-z0-9_-]{22}$")
        lines = out.splitlines()
        self.assertEqual(len(lines), 4, out)
        header = lines[0].split("\t")
        self.assertEqual(header[:4], ["Topic: orders", "TopicId: " + topic_id, "PartitionCount: 3",
                                      "ReplicationFactor: 1"], out)
        self.assertTrue(header[4].startswith("Configs: "), out)
        configs = dict(kv.split("=", 1) for kv in header[4][len("Configs: "):].split(","))
        self.assertEqual(configs.get("retention.ms"), "123456", out)
        self.assertEqual(configs.get("cleanup.policy"), "compact", out)
        for p in range(3):
            self.assertEqual(lines[1 + p],
                             "\tTopic: orders\tPartition: %d\tLeader: 1\tReplicas: 1\tIsr: 1" % p)

    def test_if_not_exists(self):
        self.assertEqual(self.ok("--create", "--topic", "twice", "--partitions", "1"),
                         "Created topic twice.\n")
        # A second create with --if-not-exists: silent, exit 0.
        self.assertEqual(self.ok("--create", "--topic", "twice", "--partitions", "1", "--if-not-exists"), "")
        # Without it: Kafka's error line, exit 1.
        out, err = self.fails("--create", "--topic", "twice", "--partitions", "1")
        self.assertEqual(err, ERROR + "Topic 'twice' already exists.\n")

    def test_collision_warning(self):
        out = self.ok("--create", "--topic", "with.dot", "--partitions", "1")
        self.assertEqual(out, "WARNING: Due to limitations in metric names, topics with a period ('.') or "
                              "underscore ('_') could collide. To avoid issues it is best to use either, "
                              "but not both.\nCreated topic with.dot.\n")

    def test_bad_partitions_and_config(self):
        _, err = self.fails("--create", "--topic", "bad", "--partitions", "0")
        self.assertEqual(err, ERROR + "The partitions must be greater than 0\n")
        _, err = self.fails("--create", "--topic", "bad", "--config", "retention.ms")
        self.assertEqual(err, ERROR + "requirement failed: Invalid topic config: all configs to be added "
                                      "must be in the format \"key=val\".\n")

    # -- list / describe --

    def test_list_and_regex(self):
        for name in ("list-a1", "list-a2", "list-b1"):
            self.ok("--create", "--topic", name, "--partitions", "1")
        names = self.ok("--list").splitlines()
        self.assertEqual(names, sorted(names))
        self.assertTrue({"list-a1", "list-a2", "list-b1"} <= set(names), names)
        self.assertEqual(self.ok("--list", "--topic", "list-a.*"), "list-a1\nlist-a2\n")
        self.assertEqual(self.ok("--list", "--topic", "list-a1,list-b1"), "list-a1\nlist-b1\n")
        # Internal topics show unless excluded.
        if "__consumer_offsets" in names:
            self.assertNotIn("__consumer_offsets", self.ok("--list", "--exclude-internal").splitlines())
        out = self.ok("--describe", "--topic", "list-a.*")
        self.assertEqual([l.split("\t")[0] for l in out.splitlines() if not l.startswith("\t")],
                         ["Topic: list-a1", "Topic: list-a2"], out)

    def test_describe_unknown(self):
        out, err = self.fails("--describe", "--topic", "no-such-topic")
        self.assertEqual(err, ERROR + "Topic 'no-such-topic' does not exist as expected\n")
        # --if-exists: nothing to do.
        self.assertEqual(self.ok("--describe", "--topic", "no-such-topic", "--if-exists"), "")

    def test_partition_reports(self):
        self.ok("--create", "--topic", "healthy", "--partitions", "2")
        # One live broker with every replica in sync: nothing to report.
        self.assertEqual(self.ok("--describe", "--topic", "healthy", "--under-replicated-partitions"), "")
        self.assertEqual(self.ok("--describe", "--topic", "healthy", "--unavailable-partitions"), "")

    # -- alter / delete --

    def test_alter_grow_and_shrink(self):
        self.ok("--create", "--topic", "grow", "--partitions", "3")
        self.assertEqual(self.ok("--alter", "--topic", "grow", "--partitions", "5"), "")
        out = self.ok("--describe", "--topic", "grow")
        self.assertIn("\tPartitionCount: 5\t", out.splitlines()[0])
        self.assertEqual(len(out.splitlines()), 6, out)
        out, err = self.fails("--alter", "--topic", "grow", "--partitions", "2")
        self.assertEqual(err, ERROR + "Topic currently has 5 partitions, which is higher than the requested 2.\n")
        _, err = self.fails("--alter", "--topic", "grow")
        self.assertTrue(err.startswith("Missing required argument \"[partitions]\"\n"), err)

    def test_delete(self):
        self.ok("--create", "--topic", "doomed", "--partitions", "1")
        self.assertEqual(self.ok("--delete", "--topic", "doomed"), "")
        self.assertNotIn("doomed", self.ok("--list").splitlines())
        _, err = self.fails("--delete", "--topic", "doomed")
        self.assertEqual(err, ERROR + "Topic 'doomed' does not exist as expected\n")

    # -- usage and connection errors --

    def test_bad_flag(self):
        code, out, err = run("--bootstrap-server", self.broker.address, "--list", "--no-such-flag")
        self.assertEqual(code, 1)
        self.assertEqual(out, "")
        self.assertTrue(err.startswith("no-such-flag is not a recognized option\n"), err)
        code, out, err = run("--bootstrap-server", self.broker.address, "--list", "--describe")
        self.assertEqual(code, 1)
        self.assertTrue(err.startswith("Command must include exactly one action: --list, --describe, "
                                       "--create, --alter or --delete\n"), err)
        code, out, err = run("--bootstrap-server", self.broker.address, "--list", "--partitions", "3")
        self.assertEqual(code, 1)
        self.assertTrue(err.startswith("Option \"[partitions]\" can't be used with option \"[list]\"\n"), err)

    def test_help(self):
        code, out, err = run("--help")
        self.assertEqual(code, 0, err)
        for flag in ("--bootstrap-server", "--command-config", "--create", "--list", "--describe", "--delete",
                     "--alter", "--topic", "--partitions", "--replication-factor", "--config",
                     "--if-not-exists", "--if-exists", "--exclude-internal", "--under-replicated-partitions",
                     "--unavailable-partitions"):
            self.assertIn(flag, out)

    def test_unreachable_bootstrap(self):
        port = h.free_port()  # nobody listens there
        with tempfile.NamedTemporaryFile("w", suffix=".properties") as config:
            config.write("request.timeout.ms=2000\n")
            config.flush()
            code, out, err = run("--bootstrap-server", "127.0.0.1:%d" % port, "--command-config", config.name,
                                 "--list")
        self.assertEqual(code, 1)
        self.assertEqual(out, "")
        self.assertEqual(len(err.splitlines()), 1, err)
        self.assertTrue(err.startswith(ERROR), err)
        self.assertIn("127.0.0.1:%d" % port, err)

    # -- interop with confluent-kafka --

    def test_topic_created_by_confluent_is_described(self):
        from confluent_kafka.admin import NewTopic
        admin = confluent_admin(self.broker.address)
        futures = admin.create_topics([NewTopic("from-confluent", num_partitions=4, replication_factor=1,
                                                config={"retention.ms": "7200000"})], request_timeout=15)
        futures["from-confluent"].result(15)
        del admin
        out = self.ok("--describe", "--topic", "from-confluent")
        lines = out.splitlines()
        self.assertEqual(len(lines), 5, out)
        self.assertEqual(lines[0].split("\t")[:4], ["Topic: from-confluent", "TopicId: " + self.topic_id("from-confluent"),
                                                   "PartitionCount: 4", "ReplicationFactor: 1"])
        self.assertIn("retention.ms=7200000", lines[0])

    def test_topic_created_by_brokkr_seen_by_confluent(self):
        from confluent_kafka.admin import ConfigResource
        self.ok("--create", "--topic", "for-confluent", "--partitions", "6", "--config", "retention.ms=3600000")
        admin = confluent_admin(self.broker.address)
        md = admin.list_topics(topic="for-confluent", timeout=10)
        self.assertIsNone(md.topics["for-confluent"].error)
        self.assertEqual(len(md.topics["for-confluent"].partitions), 6)
        resource = ConfigResource("topic", "for-confluent")
        configs = admin.describe_configs([resource], request_timeout=15)[resource].result(15)
        del admin
        self.assertEqual(configs["retention.ms"].value, "3600000")
        self.assertFalse(configs["retention.ms"].is_default)


if __name__ == "__main__":
    h.main()
