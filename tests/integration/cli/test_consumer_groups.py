"""brokkr-consumer-groups (Kafka's kafka-consumer-groups.sh) against a broker
with real librdkafka consumers (confluent-kafka) in separate processes:
--describe of a live group (every partition owned, CURRENT-OFFSET + LAG =
LOG-END-OFFSET, Kafka's column widths), of the same group once stopped ("has
no active members", lag of what was produced after), --members, --state,
--list [--state], --reset-offsets in every scenario (dry run, execute,
clamping, refused while members are active), --delete, --delete-offsets, and
the errors: unknown group, bad flags, unreachable bootstrap server."""

import datetime
import time

import cli_harness as ch
import groups_clients as gc
import harness as h

TOOL = "brokkr-consumer-groups"


def wait_until(check, timeout=30, what="condition"):
    return h.wait_until(check, timeout, what, interval=0.3)


def pad(text, width):
    return text.ljust(width)


def kafka_offsets_table(rows):
    """Kafka's printOffsets for one group's rows (lists of 9 strings)."""
    widths = [max([15] + [len(r[0]) for r in rows]), max([15] + [len(r[1]) for r in rows]), 10, 15, 15, 15,
              max([15] + [len(r[6]) for r in rows]), max([15] + [len(r[7]) for r in rows])]
    header = ["GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG", "CONSUMER-ID", "HOST",
              "CLIENT-ID"]
    lines = [" ".join(pad(v, w) for v, w in zip(r[:8], widths)) + " " + r[8] for r in [header] + rows]
    return "\n" + "\n".join(lines) + "\n"


def offset_rows(out):
    """The data rows of a --describe table, each split into its 9 columns."""
    lines = [l for l in out.split("\n") if l.strip()]
    assert lines[0].split() == ["GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG",
                                "CONSUMER-ID", "HOST", "CLIENT-ID"], out
    return [l.split() for l in lines[1:]]


class ConsumerGroupsTest(h.BrokerTestCase):
    BROKER_ARGS = gc.FAST_GROUPS

    def run_tool(self, *args, bootstrap=None):
        return ch.run_tool(TOOL, "--bootstrap-server", bootstrap or self.broker.address, *args)

    def ok(self, *args):
        return ch.check_tool(self, TOOL, "--bootstrap-server", self.broker.address, *args)

    def committed(self, group, topic, partitions):
        from confluent_kafka import Consumer, TopicPartition
        c = Consumer({"bootstrap.servers": self.broker.address, "group.id": group})
        try:
            result = c.committed([TopicPartition(topic, p) for p in partitions], timeout=15)
            return {tp.partition: tp.offset for tp in result}
        finally:
            c.close()

    def commit(self, group, topic, offsets):
        """Commits {partition: offset} for an empty group, as a standalone consumer."""
        from confluent_kafka import Consumer, TopicPartition
        c = Consumer({"bootstrap.servers": self.broker.address, "group.id": group, "enable.auto.commit": False})
        try:
            c.commit(offsets=[TopicPartition(topic, p, o) for p, o in offsets.items()], asynchronous=False)
        finally:
            c.close()

    def start_group(self, group, topic, count, total):
        """`count` consumers in `group`, each owning a partition, having committed `total` records."""
        consumers = [gc.ConsumerProc(self.broker, group, topic, name="c%d" % i) for i in range(count)]
        self.addCleanup(lambda: [c.stop() for c in consumers])

        def settled():
            owned = [c.assignment() for c in consumers]
            records = sum(len(c.of("record")) for c in consumers)
            return all(owned) and records >= total
        wait_until(settled, 60, "group %s to settle: %s" % (group, [c.describe() for c in consumers]))
        return consumers

    # -- describe ----------------------------------------------------------

    def test_describe_live_group_then_stopped(self):
        topic, group = "cg-describe", "cg-describe-group"
        gc.create_topic(self.broker, topic, 3)
        sizes = {0: 5, 1: 3, 2: 4}
        gc.produce(self.broker, topic, {p: ["v%d-%d" % (p, i) for i in range(n)] for p, n in sizes.items()})
        consumers = self.start_group(group, topic, 2, sum(sizes.values()))

        def stable_table():
            code, out, err = self.run_tool("--describe", "--group", group)
            if code != 0 or not out.strip():
                return None
            rows = offset_rows(out)
            if len(rows) != 3 or any(r[6] == "-" or r[5] != "0" for r in rows):
                return None
            return out, err, rows
        out, err, rows = wait_until(stable_table, 60, "a stable describe table")
        self.assertEqual(err, "")
        self.assertEqual(sorted(int(r[2]) for r in rows), [0, 1, 2])
        for r in rows:
            self.assertEqual(r[0], group)
            self.assertEqual(r[1], topic)
            self.assertEqual(int(r[3]) + int(r[5]), int(r[4]))
            self.assertEqual(int(r[4]), sizes[int(r[2])])
            self.assertTrue(r[7].startswith("/"), r)
        self.assertEqual(len({r[6] for r in rows}), 2, "two consumers own the partitions")
        # Exactly Kafka's layout: re-rendered from the values, it is the same text.
        self.assertEqual(out, kafka_offsets_table(rows))

        # --members and --members --verbose
        out, _ = self.ok("--describe", "--group", group, "--members")
        lines = out.split("\n")
        self.assertEqual(lines[0], "")
        self.assertEqual(lines[1].split(), ["GROUP", "CONSUMER-ID", "HOST", "CLIENT-ID", "#PARTITIONS"])
        members = [l.split() for l in lines[2:] if l.strip()]
        self.assertEqual(len(members), 2)
        self.assertEqual(sum(int(m[4]) for m in members), 3)
        widths = [max(15, len(group)), max(15, max(len(m[1]) for m in members)), max(15, max(len(m[2]) for m in members)),
                  max(15, max(len(m[3]) for m in members)), 15]
        expected = "\n" + "".join(" ".join(pad(v, w) for v, w in zip(r, widths)) + " \n"
                                  for r in [["GROUP", "CONSUMER-ID", "HOST", "CLIENT-ID", "#PARTITIONS"]] + members)
        self.assertEqual(out, expected)
        out, _ = self.ok("--describe", "--group", group, "--members", "--verbose")
        self.assertIn("#PARTITIONS     ASSIGNMENT", out)
        assigned = [l.split(None, 5)[5] for l in out.split("\n")[2:] if l.strip()]
        self.assertEqual(sorted(assigned)[0].split("(")[0], topic)
        partitions = sorted(int(p) for a in assigned for p in a[len(topic) + 1:-1].split(","))
        self.assertEqual(partitions, [0, 1, 2])

        # --state
        out, _ = self.ok("--describe", "--group", group, "--state")
        coordinator = out.split("\n")[2].split()[1] + "  " + out.split("\n")[2].split()[2]
        self.assertTrue(coordinator.startswith("127.0.0.1:%d  (" % self.broker.port), out)
        width = max(25, len(coordinator))

        def state_line(*values):
            return "\n" + " ".join(pad(v, w) for v, w in zip(values, [width, 25, 20, 15])) + " " + values[4]
        self.assertEqual(out, state_line("GROUP", "COORDINATOR (ID)", "ASSIGNMENT-STRATEGY", "STATE", "#MEMBERS")
                         + state_line(group, coordinator, "range", "Stable", "2") + "\n")

        # Reset and delete are refused while members are active.
        code, out, err = self.run_tool("--reset-offsets", "--group", group, "--topic", topic, "--to-earliest",
                                       "--execute")
        self.assertEqual(code, 1, out + err)
        self.assertIn("Error: Assignments can only be reset if the group '%s' is inactive, but the current state "
                      "is Stable." % group, err)
        self.assertEqual(out, "\n" + pad("GROUP", 30) + " " + pad("TOPIC", 30) + " " + pad("PARTITION", 10) + " "
                         + pad("NEW-OFFSET", 15) + "\n")
        code, out, err = self.run_tool("--delete", "--group", group)
        self.assertEqual(code, 1, out + err)
        self.assertIn("* Group '%s' could not be deleted due to: java.util.concurrent.ExecutionException: "
                      "org.apache.kafka.common.errors.GroupNotEmptyException: The group is not empty." % group, err)
        self.assertEqual(self.committed(group, topic, [0, 1, 2]), sizes)

        # Stopped: no active members, committed partitions listed without owner, lag of new records.
        for c in consumers:
            c.stop()
        gc.produce(self.broker, topic, {0: ["late-1", "late-2"]})

        def empty_table():
            code, out, err = self.run_tool("--describe", "--group", group)
            return (code, out, err) if "has no active members" in err else None
        code, out, err = wait_until(empty_table, 30, "the group to be empty")
        self.assertEqual(code, 0, err)
        self.assertEqual(err, "\nConsumer group '%s' has no active members.\n" % group)
        rows = offset_rows(out)
        self.assertEqual(out, kafka_offsets_table(rows))
        by_partition = {int(r[2]): r for r in rows}
        self.assertEqual(sorted(by_partition), [0, 1, 2])
        self.assertEqual(by_partition[0][3:9], ["5", "7", "2", "-", "-", "-"])
        self.assertEqual(by_partition[1][3:6], ["3", "3", "0"])

        out, err = self.ok("--describe", "--group", group, "--state")
        self.assertIn("has no active members", err)
        self.assertEqual(out.split("\n")[2].split()[-2:], ["Empty", "0"])
        out, err = self.ok("--describe", "--group", group, "--members")
        self.assertEqual(out.split("\n")[1].split(), ["GROUP", "CONSUMER-ID", "HOST", "CLIENT-ID", "#PARTITIONS"])
        self.assertEqual([l for l in out.split("\n")[2:] if l.strip()], [])

    def test_describe_kip848_group(self):
        import kip848 as k
        topic, group = "cg-kip848", "cg-kip848-group"
        gc.create_topic(self.broker, topic, 2)
        member = k.Member(self.broker, group, [topic], "cg-kip848-member-1")
        self.addCleanup(member.close)
        wait_until(lambda: member.heartbeat()["error_code"] == 0 and len(member.owned) == 2, 30,
                   "the KIP-848 member to own both partitions")
        member.heartbeat()
        out, err = self.ok("--describe", "--group", group)
        rows = offset_rows(out)
        self.assertEqual(out, kafka_offsets_table(rows))
        self.assertEqual([(r[2], r[3], r[6]) for r in rows], [("0", "-", member.member_id), ("1", "-", member.member_id)])
        out, _ = self.ok("--describe", "--group", group, "--members", "--verbose")
        self.assertIn(member.member_id, out)
        self.assertTrue(out.rstrip().endswith("2               %s(0,1)" % topic), out)
        out, _ = self.ok("--describe", "--group", group, "--state")
        self.assertEqual(out.split("\n")[2].split()[-2:], ["Stable", "1"])
        out, _ = self.ok("--list", "--type", "consumer")
        self.assertIn(pad(group, max(15, len(group)) + 10) + " " + pad("Consumer", 20), out.split("\n"))
        code, out, err = self.run_tool("--reset-offsets", "--group", group, "--all-topics", "--to-earliest")
        self.assertEqual(code, 1)
        self.assertIn("but the current state is Stable.", err)

    def test_describe_unknown_group(self):
        code, out, err = self.run_tool("--describe", "--group", "no-such-group")
        self.assertEqual(code, 1)
        self.assertEqual(out, "")
        self.assertIn("Error: Consumer group 'no-such-group' does not exist.", err)

    # -- list and delete -----------------------------------------------------

    def test_list_and_delete(self):
        topic = "cg-list"
        gc.create_topic(self.broker, topic, 1)
        self.commit("cg-list-a", topic, {0: 0})
        self.commit("cg-list-longer-group-name", topic, {0: 0})
        out, _ = self.ok("--list")
        self.assertIn("cg-list-a", out.split("\n"))
        self.assertIn("cg-list-longer-group-name", out.split("\n"))

        out, _ = self.ok("--list", "--state")
        lines = out.split("\n")
        width = max(15, max(len(l.split()[0]) for l in lines[1:] if l.strip())) + 10
        self.assertEqual(lines[0], pad("GROUP", width) + " " + pad("STATE", 20))
        self.assertIn(pad("cg-list-longer-group-name", width) + " " + pad("Empty", 20), lines)

        out, _ = self.ok("--list", "--state", "empty")
        self.assertIn("cg-list-a", out)
        out, _ = self.ok("--list", "--state", "Stable,PreparingRebalance")
        self.assertNotIn("cg-list-a", out)
        out, _ = self.ok("--list", "--type")
        self.assertIn("Classic", out)
        self.assertTrue(out.startswith("GROUP"), out)

        code, out, err = self.run_tool("--list", "--state", "bogus")
        self.assertEqual(code, 1)
        self.assertIn("Invalid state list 'bogus'. Valid states are: PreparingRebalance, CompletingRebalance, "
                      "Stable, Dead, Empty, Assigning, Reconciling", err)

        out, _ = self.ok("--delete", "--group", "cg-list-a")
        self.assertEqual(out, "Deletion of requested consumer groups ('cg-list-a') was successful.\n")
        out, _ = self.ok("--list")
        self.assertNotIn("cg-list-a", out.split("\n"))
        code, out, err = self.run_tool("--delete", "--group", "cg-list-a")
        self.assertEqual(code, 1)
        self.assertIn("GroupIdNotFoundException", err)

    # -- reset-offsets --------------------------------------------------------

    def reset(self, group, *args):
        out, err = self.ok("--reset-offsets", "--group", group, *args)
        lines = [l for l in out.split("\n") if l.strip()]
        self.assertEqual(lines[0], pad("GROUP", 30) + " " + pad("TOPIC", 30) + " " + pad("PARTITION", 10) + " "
                         + pad("NEW-OFFSET", 15))
        plan = {}
        for l in lines[1:]:
            g, t, p, o = l.split()
            self.assertEqual(l, pad(g, 30) + " " + pad(t, 30) + " " + pad(p, 10) + " " + pad(o, 15))
            plan[(t, int(p))] = int(o)
        return plan, err

    def test_reset_offsets(self):
        topic, group = "cg-reset", "cg-reset-group"
        gc.create_topic(self.broker, topic, 2)
        gc.produce(self.broker, topic, {0: ["a%d" % i for i in range(5)], 1: ["b%d" % i for i in range(5)]})
        time.sleep(0.05)
        middle = datetime.datetime.now(datetime.timezone.utc)
        time.sleep(0.05)
        gc.produce(self.broker, topic, {0: ["a%d" % i for i in range(5, 10)], 1: ["b%d" % i for i in range(5, 10)]})
        self.commit(group, topic, {0: 7, 1: 8})

        # Dry run (the default): a plan, nothing committed.
        plan, err = self.reset(group, "--topic", topic, "--to-earliest")
        self.assertIn("WARN: No action will be performed as the --execute option is missing.", err)
        self.assertEqual(plan, {(topic, 0): 0, (topic, 1): 0})
        plan, _ = self.reset(group, "--topic", topic, "--to-earliest", "--dry-run")
        self.assertEqual(self.committed(group, topic, [0, 1]), {0: 7, 1: 8})

        # --execute commits it; a consumer of the group then reads from the start.
        plan, err = self.reset(group, "--topic", topic, "--to-earliest", "--execute")
        self.assertEqual(err, "")
        self.assertEqual(self.committed(group, topic, [0, 1]), {0: 0, 1: 0})
        from confluent_kafka import Consumer
        c = Consumer({"bootstrap.servers": self.broker.address, "group.id": group, "enable.auto.commit": False,
                      "auto.offset.reset": "latest", "session.timeout.ms": 6000})
        c.subscribe([topic])
        first = {}
        deadline = time.monotonic() + 30
        while len(first) < 2 and time.monotonic() < deadline:
            m = c.poll(0.5)
            if m is not None and not m.error():
                first.setdefault(m.partition(), (m.offset(), m.value().decode()))
        c.close()
        self.assertEqual(first, {0: (0, "a0"), 1: (0, "b0")})
        wait_until(lambda: "has no active members" in self.run_tool("--describe", "--group", group)[2], 30,
                   "the consumer to leave")

        plan, _ = self.reset(group, "--topic", topic, "--to-offset", "3", "--execute")
        self.assertEqual(plan, {(topic, 0): 3, (topic, 1): 3})
        plan, _ = self.reset(group, "--topic", topic + ":1", "--shift-by", "-2", "--execute")
        self.assertEqual(plan, {(topic, 1): 1})
        self.assertEqual(self.committed(group, topic, [0, 1]), {0: 3, 1: 1})
        plan, err = self.reset(group, "--all-topics", "--shift-by", "-2", "--execute")
        self.assertEqual(plan, {(topic, 0): 1, (topic, 1): 0})  # 1 - 2 is clamped to the earliest
        self.assertIn("New offset (-1) is lower than earliest offset for topic partition %s-1. Value will be set "
                      "to 0" % topic, err)
        plan, err = self.reset(group, "--topic", topic, "--to-offset", "100", "--execute")
        self.assertEqual(plan, {(topic, 0): 10, (topic, 1): 10})
        self.assertIn("is higher than latest offset", err)

        stamp = middle.strftime("%Y-%m-%dT%H:%M:%S.") + "%03d" % (middle.microsecond // 1000)
        plan, _ = self.reset(group, "--topic", topic, "--to-datetime", stamp, "--execute")
        self.assertEqual(plan, {(topic, 0): 5, (topic, 1): 5})
        plan, _ = self.reset(group, "--topic", topic, "--to-datetime", stamp + "+00:00")
        self.assertEqual(plan, {(topic, 0): 5, (topic, 1): 5})
        plan, _ = self.reset(group, "--topic", topic, "--by-duration", "PT1H")
        self.assertEqual(plan, {(topic, 0): 0, (topic, 1): 0})
        plan, _ = self.reset(group, "--topic", topic, "--to-latest", "--execute")
        self.assertEqual(plan, {(topic, 0): 10, (topic, 1): 10})
        plan, _ = self.reset(group, "--all-topics", "--to-current")
        self.assertEqual(plan, {(topic, 0): 10, (topic, 1): 10})
        self.assertEqual(self.committed(group, topic, [0, 1]), {0: 10, 1: 10})

        out, _ = self.ok("--reset-offsets", "--group", group, "--topic", topic, "--to-offset", "4", "--export")
        self.assertEqual(out, "%s,0,4\n%s,1,4\n\n" % (topic, topic))

        code, out, err = self.run_tool("--reset-offsets", "--group", group, "--topic", topic, "--to-datetime", "yesterday")
        self.assertEqual(code, 1)
        self.assertIn("Error: Executing consumer group command failed due to", err)
        code, out, err = self.run_tool("--reset-offsets", "--group", group, "--to-earliest")
        self.assertEqual(code, 1)
        self.assertIn("One of the reset scopes should be defined: --all-topics, --topic.", err)
        code, out, err = self.run_tool("--reset-offsets", "--group", group, "--topic", topic, "--to-earliest",
                                       "--to-latest")
        self.assertEqual(code, 1)
        self.assertIn("can't be used with option", err)

    def test_delete_offsets(self):
        topic, group = "cg-delete-offsets", "cg-delete-offsets-group"
        gc.create_topic(self.broker, topic, 2)
        self.commit(group, topic, {0: 0, 1: 0})
        out, _ = self.ok("--delete-offsets", "--group", group, "--topic", topic)
        self.assertEqual(out, "Request succeed for deleting offsets with topic %s group %s\n\n%s %s %s\n%s %s %s\n%s %s %s\n"
                         % (topic, group, pad("TOPIC", 30), pad("PARTITION", 15), pad("STATUS", 15),
                            pad(topic, 30), pad("0", 15), pad("Successful", 15),
                            pad(topic, 30), pad("1", 15), pad("Successful", 15)))
        self.assertEqual(self.committed(group, topic, [0, 1]), {0: -1001, 1: -1001})

    # -- usage and connection errors ------------------------------------------

    def test_bad_flags(self):
        code, out, err = self.run_tool("--describe", "--nonsense")
        self.assertEqual(code, 1)
        self.assertIn("nonsense is not a recognized option", err)
        self.assertIn("--reset-offsets", err)  # the usage follows
        code, out, err = self.run_tool("--group", "x")
        self.assertEqual(code, 1)
        self.assertIn("Command must include exactly one action: --list, --describe, --delete, --reset-offsets, "
                      "--delete-offsets", err)
        code, out, err = self.run_tool("--describe")
        self.assertEqual(code, 1)
        self.assertIn("Option [describe] takes one of these options: [group], [all-groups]", err)
        code, out, err = self.run_tool("--describe", "--group", "g", "--members", "--state")
        self.assertEqual(code, 1)
        self.assertIn("Option [describe] takes at most one of these options", err)
        ch.check_tool(self, TOOL, "--list", expect_code=1)
        ch.check_tool(self, TOOL, "--help")

    def test_unreachable_bootstrap(self):
        code, out, err = self.run_tool("--list", bootstrap="127.0.0.1:%d" % h.free_port())
        self.assertEqual(code, 1)
        self.assertEqual(out, "")
        self.assertEqual(len(err.strip().split("\n")), 1, err)
        self.assertTrue(err.startswith("Error: "), err)


if __name__ == "__main__":
    h.main()
