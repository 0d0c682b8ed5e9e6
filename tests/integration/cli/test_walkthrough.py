"""The Kafka quickstart, typed with Brokkr's tools: create a topic, list and
describe it, produce lines, consume them from the beginning, share them
between two consumers of one group, read the group's lag, reset its offsets
to the earliest and consume everything again. Real broker, real processes,
the same flags as Kafka's scripts."""

import subprocess
import time

import cli_harness as ch
import harness
from cli_harness import tool

TOPIC = "quickstart-events"


class Walkthrough(harness.BrokerTestCase):
    maxDiff = None
    # A short initial rebalance delay keeps group joins quick.
    BROKER_ARGS = ["--override", "groups.initial_rebalance_delay_ms=300"]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = cls.broker.address

    def run_tool(self, name, *args, stdin=None, timeout=60, with_stderr=False):
        out, err = ch.check_tool(self, name, "--bootstrap-server", self.server, *args, stdin=stdin, timeout=timeout)
        return (out, err) if with_stderr else out

    def produce(self, lines, keyed=False):
        args = ["--topic", TOPIC]
        if keyed:
            args += ["--property", "parse.key=true", "--property", "key.separator=:"]
        self.run_tool("brokkr-console-producer", *args, stdin="".join(l + "\n" for l in lines))

    def consume(self, *args, timeout=60):
        out = self.run_tool("brokkr-console-consumer", "--topic", TOPIC, *args, timeout=timeout)
        return out.splitlines()

    def group_rows(self, group):
        out, err = self.run_tool("brokkr-consumer-groups", "--describe", "--group", group, with_stderr=True)
        lines = [l for l in out.splitlines() if l.strip()]
        header = next(i for i, l in enumerate(lines) if l.split()[:2] == ["GROUP", "TOPIC"])
        columns = lines[header].split()
        # Kafka prints the "no active members" notice on stderr.
        return err + out, [dict(zip(columns, l.split())) for l in lines[header + 1:]]

    def test_quickstart(self):
        # 1. Create, list, describe.
        out = self.run_tool("brokkr-topics", "--create", "--topic", TOPIC, "--partitions", "3",
                            "--replication-factor", "1")
        self.assertEqual(out.strip(), "Created topic %s." % TOPIC)
        self.assertIn(TOPIC, self.run_tool("brokkr-topics", "--list").split())
        described = self.run_tool("brokkr-topics", "--describe", "--topic", TOPIC).splitlines()
        self.assertTrue(described[0].startswith("Topic: %s\tTopicId: " % TOPIC), described[0])
        self.assertIn("\tPartitionCount: 3\tReplicationFactor: 1\t", described[0])
        partitions = [l for l in described[1:] if l.strip()]
        self.assertEqual(len(partitions), 3)
        for p, line in enumerate(partitions):
            self.assertEqual(line, "\tTopic: %s\tPartition: %d\tLeader: 1\tReplicas: 1\tIsr: 1" % (TOPIC, p))

        # 2. Produce lines, read them back from the beginning.
        first = ["This is my first event", "This is my second event"] + ["event %d" % i for i in range(8)]
        self.produce(first)
        self.assertCountEqual(self.consume("--from-beginning", "--max-messages", str(len(first))), first)

        # 3. Two consumers in one group: each record goes to exactly one of them.
        consumers = [subprocess.Popen([tool("brokkr-console-consumer"), "--bootstrap-server", self.server,
                                       "--topic", TOPIC, "--group", "quickstart-group", "--timeout-ms", "6000",
                                       "--from-beginning"],
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                     for _ in range(2)]
        self.wait_for_members("quickstart-group", 2)
        second = ["key-%d:shared event %d" % (i, i) for i in range(30)]
        self.produce(second, keyed=True)
        results = [c.communicate(timeout=60) for c in consumers]
        outputs = [out.splitlines() for out, _ in results]
        for c, (_, err) in zip(consumers, results):
            self.assertEqual(c.returncode, 0, err)
        # The group started from the beginning: the first lines too, once.
        values = [s.split(":", 1)[1] for s in second]
        self.assertCountEqual(outputs[0] + outputs[1], first + values)
        self.assertTrue(set(outputs[0]) & set(values) and set(outputs[1]) & set(values),
                        "both members got partitions: %s" % outputs)

        # 4. Stopped consumers, more data: the group shows the lag.
        self.produce(["late %d" % i for i in range(5)])
        text, rows = self.group_rows("quickstart-group")
        self.assertIn("Consumer group 'quickstart-group' has no active members.", text)
        self.assertEqual(sorted(int(r["PARTITION"]) for r in rows), [0, 1, 2])
        for r in rows:
            self.assertEqual(int(r["CURRENT-OFFSET"]) + int(r["LAG"]), int(r["LOG-END-OFFSET"]), r)
        self.assertEqual(sum(int(r["LAG"]) for r in rows), 5)

        # 5. Reset to the earliest offsets and read everything again.
        out = self.run_tool("brokkr-consumer-groups", "--reset-offsets", "--group", "quickstart-group",
                            "--topic", TOPIC, "--to-earliest", "--execute")
        self.assertIn("NEW-OFFSET", out)
        _, rows = self.group_rows("quickstart-group")
        self.assertTrue(all(r["CURRENT-OFFSET"] == "0" for r in rows), rows)
        total = len(first) + len(second) + 5
        again = self.consume("--group", "quickstart-group", "--max-messages", str(total))
        self.assertEqual(len(again), total)
        self.assertEqual(len(set(again)), total)

    def wait_for_members(self, group, count, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            out = subprocess.run([tool("brokkr-consumer-groups"), "--bootstrap-server", self.server,
                                  "--describe", "--group", group, "--members"],
                                 capture_output=True, text=True).stdout
            members = [l for l in out.splitlines() if l.startswith(group + " ")]
            if len(members) == count and "Rebalanc" not in out:
                return
            time.sleep(0.5)
        self.fail("group %s never had %d members" % (group, count))


if __name__ == "__main__":
    harness.main()
