"""brokkr-configs against a real broker: describe, add and delete topic
configs (square-bracket lists included) checked both through brokkr-configs
--describe and confluent-kafka's AdminClient.describe_configs; broker and
cluster-default broker configs; Kafka's error lines and exit codes.

Run as: python3 test_configs.py <brokkr binary> <build dir>
"""


import cli_harness as ch
import harness as h


class ConfigsTest(h.BrokerTestCase):
    BROKER_ARGS = ["--override", "topics.auto_create=false"]

    def configs(self, *args):
        return ch.run_tool("brokkr-configs", "--bootstrap-server", self.broker.address, *args)

    def ok(self, *args):
        return ch.check_tool(self, "brokkr-configs", "--bootstrap-server", self.broker.address, *args)[0]

    def fails(self, *args):
        return ch.check_tool(self, "brokkr-configs", "--bootstrap-server", self.broker.address, *args, expect_code=1)

    def create_topic(self, name, *extra):
        ch.check_tool(self, "brokkr-topics", "--bootstrap-server", self.broker.address, "--create",
                      "--topic", name, "--partitions", "1", *extra)

    def confluent_configs(self, kind, name):
        from confluent_kafka.admin import AdminClient, ConfigResource
        admin = AdminClient({"bootstrap.servers": self.broker.address, "socket.timeout.ms": 10000})
        resource = ConfigResource(kind, name)
        try:
            return admin.describe_configs([resource], request_timeout=15)[resource].result(15)
        finally:
            del admin

    def test_topic_add_and_delete(self):
        self.create_topic("cfg-topic", "--config", "retention.ms=86400000")
        out = self.ok("--describe", "--topic", "cfg-topic")
        self.assertEqual(out, "Dynamic configs for topic cfg-topic are:\n"
                              "  retention.ms=86400000 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:"
                              "retention.ms=86400000, DEFAULT_CONFIG:log.retention.ms=604800000}\n")

        out = self.ok("--alter", "--entity-type", "topics", "--entity-name", "cfg-topic",
                      "--add-config", "cleanup.policy=[compact,delete],max.message.bytes=200000")
        self.assertEqual(out, "Completed updating config for topic cfg-topic.\n")
        lines = self.ok("--describe", "--entity-type", "topics", "--entity-name", "cfg-topic").splitlines()
        self.assertEqual(lines[0], "Dynamic configs for topic cfg-topic are:")
        # Sorted by name, as Kafka prints them.
        self.assertEqual([l.split("=", 1)[0].strip() for l in lines[1:]],
                         ["cleanup.policy", "max.message.bytes", "retention.ms"], lines)
        self.assertTrue(lines[1].startswith("  cleanup.policy=compact,delete sensitive=false synonyms={"
                                            "DYNAMIC_TOPIC_CONFIG:cleanup.policy=compact,delete, "), lines)

        configs = self.confluent_configs("topic", "cfg-topic")
        self.assertEqual(configs["cleanup.policy"].value, "compact,delete")
        self.assertEqual(configs["max.message.bytes"].value, "200000")
        self.assertEqual(configs["retention.ms"].value, "86400000")

        out = self.ok("--alter", "--topic", "cfg-topic", "--delete-config", "retention.ms,max.message.bytes")
        self.assertEqual(out, "Completed updating config for topic cfg-topic.\n")
        lines = self.ok("--describe", "--topic", "cfg-topic").splitlines()
        self.assertEqual([l.split("=", 1)[0].strip() for l in lines[1:]], ["cleanup.policy"], lines)
        configs = self.confluent_configs("topic", "cfg-topic")
        self.assertTrue(configs["retention.ms"].is_default)
        self.assertEqual(configs["retention.ms"].value, "604800000")

        # --all lists every config, defaults included.
        out = self.ok("--describe", "--topic", "cfg-topic", "--all")
        self.assertTrue(out.startswith("All configs for topic cfg-topic are:\n"), out)
        self.assertIn("\n  retention.ms=604800000 sensitive=false synonyms={DEFAULT_CONFIG:"
                      "log.retention.ms=604800000}\n", out)

    def test_delete_config_not_set(self):
        self.create_topic("cfg-unset")
        out, err = self.fails("--alter", "--topic", "cfg-unset", "--delete-config", "retention.ms")
        self.assertEqual(err, "Invalid config(s): retention.ms\n")

    def test_invalid_value_and_unknown_topic(self):
        self.create_topic("cfg-bad")
        args = ["--alter", "--topic", "cfg-bad", "--add-config", "retention.ms=soon"]
        out, err = self.fails(*args)
        lines = err.splitlines()
        self.assertEqual(lines[0], "Error while executing config command with args '--bootstrap-server %s %s'"
                         % (self.broker.address, " ".join(args)))
        self.assertTrue(lines[1].startswith("InvalidConfigurationException: "), err)
        out, err = self.fails("--describe", "--topic", "cfg-missing")
        self.assertIn("UnknownTopicOrPartitionException: The topic 'cfg-missing' does not exist.", err)

    def test_bad_arguments(self):
        _, err = self.fails("--describe")
        self.assertEqual(err, "At least one entity type must be specified\n")
        _, err = self.fails("--alter", "--topic", "x")
        self.assertEqual(err, "At least one of --add-config, --add-config-file, or --delete-config must be "
                              "specified with --alter\n")
        _, err = self.fails("--alter", "--topic", "x", "--add-config", "a=b=c")
        self.assertEqual(err, "requirement failed: Invalid entity config: all configs to be added must be in "
                              "the format \"key=val\".\n")
        _, err = self.fails("--describe", "--broker", "one")
        self.assertEqual(err, "The entity name for brokers must be a valid integer broker id, but it is: one\n")
        code, out, err = self.configs("--describe", "--alter", "--topic", "x")
        self.assertEqual(code, 1)
        self.assertTrue(err.startswith("Command must include exactly one action: --describe, --alter\n"), err)

    def test_broker_and_default_configs(self):
        out = self.ok("--alter", "--broker-defaults", "--add-config", "log.retention.ms=7200000")
        self.assertEqual(out, "Completed updating default config for brokers in the cluster.\n")
        out = self.ok("--describe", "--entity-type", "brokers", "--entity-default")
        self.assertEqual(out, "Default configs for brokers in the cluster are:\n"
                              "  log.retention.ms=7200000 sensitive=false synonyms={DYNAMIC_DEFAULT_BROKER_CONFIG:"
                              "log.retention.ms=7200000, DEFAULT_CONFIG:log.retention.ms=604800000}\n")

        out = self.ok("--alter", "--broker", "1", "--add-config", "log.segment.bytes=50000000")
        self.assertEqual(out, "Completed updating config for broker 1.\n")
        out = self.ok("--describe", "--entity-type", "brokers", "--entity-name", "1")
        self.assertEqual(out, "Dynamic configs for broker 1 are:\n"
                              "  log.segment.bytes=50000000 sensitive=false synonyms={DYNAMIC_BROKER_CONFIG:"
                              "log.segment.bytes=50000000, DEFAULT_CONFIG:log.segment.bytes=1073741824}\n")
        configs = self.confluent_configs("broker", "1")
        self.assertEqual(configs["log.segment.bytes"].value, "50000000")
        self.assertEqual(configs["log.retention.ms"].value, "7200000")

        # Without a name: every broker, then the cluster default.
        out = self.ok("--describe", "--entity-type", "brokers")
        headers = [l for l in out.splitlines() if not l.startswith("  ")]
        self.assertEqual(headers, ["Dynamic configs for broker 1 are:",
                                   "Default configs for brokers in the cluster are:"])

        self.ok("--alter", "--broker", "1", "--delete-config", "log.segment.bytes")
        self.ok("--alter", "--broker-defaults", "--delete-config", "log.retention.ms")
        self.assertEqual(self.ok("--describe", "--broker", "1"), "Dynamic configs for broker 1 are:\n")
        self.assertEqual(self.ok("--describe", "--broker-defaults"),
                         "Default configs for brokers in the cluster are:\n")


if __name__ == "__main__":
    h.main()
