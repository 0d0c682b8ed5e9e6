"""KIP-848 groups with the project's own client: two brokkr-console-consumer
members speak ConsumerGroupHeartbeat (--group-protocol consumer) and get
their partitions from each server-side assignor plugin in turn; every record
reaches exactly one of them."""

import re
import signal
import subprocess
import time

import cli_harness as ch
import harness
from cli_harness import tool

ASSIGNORS = ["uniform", "range", "roundrobin"]
PARTITIONS = 4


class Kip848Assignors(harness.BrokerTestCase):
    BROKER_ARGS = ["--override", 'groups.consumer_assignors=["uniform", "range", "roundrobin"]']

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = cls.broker.address

    def run_tool(self, name, *args, stdin=None):
        return ch.check_tool(self, name, "--bootstrap-server", self.server, *args, stdin=stdin)[0]

    def member_assignments(self, group):
        """{member id: [partitions]} from --describe --members --verbose ({} before the group exists)."""
        out = ch.run_tool("brokkr-consumer-groups", "--bootstrap-server", self.server, "--describe",
                          "--group", group, "--members", "--verbose")[1]
        members = {}
        for line in out.splitlines():
            fields = line.split()
            if not fields or fields[0] != group:
                continue
            match = re.search(r"\(([\d,]*)\)", line)
            members[fields[1]] = sorted(int(p) for p in match.group(1).split(",")) if match and match.group(1) else []
        return members

    def wait_for_balance(self, group, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            members = self.member_assignments(group)
            if len(members) == 2 and all(len(p) == PARTITIONS // 2 for p in members.values()):
                return sorted(members.values())
            time.sleep(0.5)
        self.fail("group %s never settled at two members with two partitions each: %s"
                  % (group, self.member_assignments(group)))

    def test_each_assignor(self):
        for assignor in ASSIGNORS:
            with self.subTest(assignor=assignor):
                self.check_assignor(assignor)

    def check_assignor(self, assignor):
        topic, group = "kip848-" + assignor, "kip848-group-" + assignor
        self.run_tool("brokkr-topics", "--create", "--topic", topic, "--partitions", str(PARTITIONS))
        consumers = [subprocess.Popen(
            [tool("brokkr-console-consumer"), "--bootstrap-server", self.server, "--topic", topic,
             "--group", group, "--group-protocol", "consumer", "--from-beginning",
             "--consumer-property", "group.remote.assignor=" + assignor,
             "--property", "print.partition=true"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
        try:
            shares = self.wait_for_balance(group)
            if assignor == "range":  # contiguous ranges of partitions
                self.assertEqual(shares, [[0, 1], [2, 3]])
            elif assignor == "roundrobin":  # every other partition
                self.assertEqual(shares, [[0, 2], [1, 3]])
            else:  # uniform: balanced, every partition once
                self.assertEqual(sorted(p for s in shares for p in s), list(range(PARTITIONS)))
            state = self.run_tool("brokkr-consumer-groups", "--describe", "--group", group, "--state")
            self.assertIn(assignor, state.split())

            lines = ["k%d:%s value %d" % (i, assignor, i) for i in range(40)]
            self.run_tool("brokkr-console-producer", "--topic", topic, "--property", "parse.key=true",
                          "--property", "key.separator=:", stdin="".join(l + "\n" for l in lines))
            self.wait_for_lag_zero(group)
        finally:
            for c in consumers:
                c.send_signal(signal.SIGTERM)
            outputs = [c.communicate(timeout=30) for c in consumers]
        printed = [line for out, _ in outputs for line in out.splitlines()]
        values = [line.split("\t", 1)[1] for line in printed]
        self.assertCountEqual(values, ["%s value %d" % (assignor, i) for i in range(40)])
        # Each member printed only records of the partitions it was given.
        for out, _ in outputs:
            partitions = {int(line.split("\t")[0].split(":")[1]) for line in out.splitlines()}
            self.assertTrue(any(partitions <= set(share) for share in shares), (partitions, shares))

    def wait_for_lag_zero(self, group, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            out = self.run_tool("brokkr-consumer-groups", "--describe", "--group", group)
            rows = [l.split() for l in out.splitlines() if l.startswith(group + " ")]
            if len(rows) == PARTITIONS and all(r[5] == "0" for r in rows):
                return
            time.sleep(0.5)
        self.fail("group %s did not consume everything" % group)


if __name__ == "__main__":
    harness.main()
