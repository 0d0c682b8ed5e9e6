"""Consumer group rebalancing with unmodified librdkafka consumers
(confluent-kafka), each in its own process: three consumers of one group on a
3-partition topic get one partition each (with the eager range assignor, and
with cooperative-sticky); one is killed with SIGKILL, and
once its session times out the other two own all three partitions. Every
consumer commits each record synchronously before taking the next, so
across the rebalance no record is lost and none is delivered (committed)
twice. The group then shows two Stable members in DescribeGroups."""

import time
import unittest

import groups_clients as gc
import groups_wire as gw
import harness as h

SESSION_MS = 4000


class RebalanceTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.broker = h.class_broker(cls, gc.FAST_GROUPS)

    @classmethod
    def tearDownClass(cls):
        cls.broker.__exit__(None, None, None)

    def detail(self, consumers):
        return "\n".join(c.describe() for c in consumers) + "\nbroker log tail:\n" + self.broker.log()[-5000:]

    def wait_owned(self, consumers, what, timeout=30):
        """Until the consumers' assignments are disjoint and cover partitions 0-2."""
        def covered():
            owned = [c.assignment() for c in consumers]
            union = set().union(*owned)
            return union == {0, 1, 2} and sum(len(o) for o in owned) == 3 and owned
        return h.wait_until(covered, timeout, lambda: what + "\n" + self.detail(consumers))

    def wait_delivered(self, consumers, values, timeout=30):
        h.wait_until(lambda: set(values) <= {v for c in consumers for v in c.committed_values()},
                     timeout, lambda: "not every record was consumed and committed:\n" + self.detail(consumers))

    def test_eager_range(self):
        self.sigkill_moves_partitions_without_loss_or_duplicates("range", "rebalance-eager", "g-eager")

    def test_cooperative_sticky(self):
        # The broker runs plain rebalances; the clients revoke incrementally
        # (and rejoin at once after giving partitions up).
        self.sigkill_moves_partitions_without_loss_or_duplicates("cooperative-sticky", "rebalance-coop", "g-coop")

    def sigkill_moves_partitions_without_loss_or_duplicates(self, strategy, topic, group):
        gc.create_topic(self.broker, topic, 3)
        config = {"session.timeout.ms": SESSION_MS, "heartbeat.interval.ms": 300,
                  "partition.assignment.strategy": strategy}
        consumers = [gc.ConsumerProc(self.broker, group, topic, config, "consumer-%d" % i) for i in range(3)]
        try:
            owned = self.wait_owned(consumers, "three consumers do not get one partition each")
            self.assertEqual(sorted(len(o) for o in owned), [1, 1, 1])

            first = {p: ["first-%d-%d" % (p, i) for i in range(20)] for p in range(3)}
            gc.produce(self.broker, topic, first)
            self.wait_delivered(consumers, [v for vs in first.values() for v in vs])

            # Kill the owner of partition 2 while it is idle: all it took is committed.
            victim = next(c for c in consumers if 2 in c.assignment())
            survivors = [c for c in consumers if c is not victim]
            kept = {c.name: c.assignment() for c in survivors}
            victim.kill()
            killed_at = time.monotonic()

            # Records keep coming while the group notices and rebalances.
            second = {p: ["second-%d-%d" % (p, i) for i in range(30)] for p in range(3)}
            for i in range(0, 30, 5):
                gc.produce(self.broker, topic, {p: vs[i:i + 5] for p, vs in second.items()})
                time.sleep(0.3)
            self.wait_owned(survivors, "the two survivors do not own all three partitions", timeout=SESSION_MS / 1000 + 20)
            moved_at = min(e["at"] for c in survivors for e in c.of("assign") if 2 in e["partitions"])
            print("    partition 2 moved %.1fs after the SIGKILL (session timeout %.1fs)"
                  % (moved_at - killed_at, SESSION_MS / 1000))
            # Not before the session timeout: nothing told the group the member died.
            self.assertGreater(moved_at - killed_at, SESSION_MS / 1000 - 0.5)
            if strategy == "cooperative-sticky":
                # Sticky: the survivors keep what they had. (Not necessarily
                # without a revocation: a commit of the old generation that
                # races the rebalance gets ILLEGAL_GENERATION, and librdkafka
                # then gives its partitions up and rejoins, as with Kafka.)
                for c in survivors:
                    self.assertLessEqual(kept[c.name], c.assignment(), c.describe())

            every = [v for vs in list(first.values()) + list(second.values()) for v in vs]
            self.wait_delivered(consumers, every)
            delivered = [v for c in consumers for v in c.committed_values()]
            duplicates = sorted({v for v in delivered if delivered.count(v) > 1})
            self.assertEqual(duplicates, [], "delivered and committed twice:\n" + self.detail(consumers))
            self.assertEqual(sorted(delivered), sorted(every))
            # Each partition's records were committed in order, offsets dense.
            for p in range(3):
                offsets = sorted(e["offset"] for c in consumers for e in c.of("record") if e["partition"] == p)
                self.assertEqual(offsets, list(range(50)))

            with gw.connect(self.broker) as conn:
                described = conn.describe_groups([group])[group]
                self.assertEqual(described["state"], "Stable")
                self.assertEqual(len(described["members"]), 2)
                error, offsets = conn.offset_fetch(group, {topic: [0, 1, 2]})
                self.assertEqual(error, 0)
                self.assertEqual({k: v[0] for k, v in offsets.items()}, {(topic, p): 50 for p in range(3)})
        finally:
            for c in consumers:
                c.stop()
        # A clean close leaves the group (LeaveGroup): it ends up Empty.
        with gw.connect(self.broker) as conn:
            h.wait_until(lambda: conn.describe_groups([group])[group]["state"] == "Empty", 15,
                         lambda: "group not Empty after the consumers closed: %r" % conn.describe_groups([group]))


if __name__ == "__main__":
    h.main()
