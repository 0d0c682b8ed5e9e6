"""kafka-python (2.0.2) consumer groups: two KafkaConsumers (each on its own
thread) in one group share a 2-partition topic and together read every
record once; when one closes (LeaveGroup) the other takes both partitions;
a restarted consumer resumes after the group's commits;
auto_offset_reset='none' without a commit is NoOffsetForPartitionError; and
kafka-python's admin client lists, describes, reads the offsets of and
deletes the group."""

import threading
import time
import unittest

import groups_clients as gc
import harness as h

TOPIC = "kp-topic"
GROUP = "g-kafka-python"


class Member:
    """A KafkaConsumer polled on its own thread; it commits after every batch."""

    def __init__(self, broker, name, group=GROUP, **extra):
        from kafka import KafkaConsumer
        self.name = name
        self.records = []  # (partition, offset, value, committed?)
        self.errors = []
        self.lock = threading.Lock()
        self.stopping = False
        config = dict(bootstrap_servers=broker.address, group_id=group, enable_auto_commit=False,
                      auto_offset_reset="earliest", session_timeout_ms=6000, heartbeat_interval_ms=500,
                      max_poll_interval_ms=10000, client_id=name)
        config.update(extra)
        self.consumer = KafkaConsumer(TOPIC, **config)
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        from kafka.errors import CommitFailedError
        while not self.stopping:
            batch = self.consumer.poll(timeout_ms=200)
            got = [(tp.partition, r.offset, r.value.decode()) for tp, rs in batch.items() for r in rs]
            committed = True
            if got:
                try:
                    self.consumer.commit()
                except CommitFailedError as e:
                    committed = False
                    self.errors.append(str(e))
            with self.lock:
                self.records.extend((p, o, v, committed) for p, o, v in got)
        self.consumer.close()

    def assignment(self):
        return {tp.partition for tp in self.consumer.assignment()}

    def values(self):
        with self.lock:
            return [v for _, _, v, committed in self.records if committed]

    def stop(self):
        self.stopping = True
        self.thread.join(20)


class KafkaPythonGroupTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.broker = h.class_broker(cls, gc.FAST_GROUPS)
        gc.create_topic(cls.broker, TOPIC, 2)

    @classmethod
    def tearDownClass(cls):
        cls.broker.__exit__(None, None, None)

    def test_1_group_shares_rebalances_resumes_and_admin(self):
        from kafka.admin import KafkaAdminClient
        a, b = Member(self.broker, "kp-a"), Member(self.broker, "kp-b")
        members = [a, b]
        try:
            h.wait_until(lambda: a.assignment() and b.assignment() and a.assignment() | b.assignment() == {0, 1},
                         30, lambda: "no partition each: %r %r" % (a.assignment(), b.assignment()))
            first = {p: ["kp-%d-%d" % (p, i) for i in range(20)] for p in range(2)}
            gc.produce(self.broker, TOPIC, first)
            every = sorted(v for vs in first.values() for v in vs)
            h.wait_until(lambda: sorted(a.values() + b.values()) == every, 30,
                         lambda: "a %r b %r" % (a.values(), b.values()))
            # Each read one partition.
            self.assertEqual({v.split("-")[1] for v in a.values()} & {v.split("-")[1] for v in b.values()}, set())

            admin = KafkaAdminClient(bootstrap_servers=self.broker.address)
            self.assertIn((GROUP, "consumer"), admin.list_consumer_groups())
            described = admin.describe_consumer_groups([GROUP])[0]
            self.assertEqual(described.state, "Stable")
            self.assertEqual(sorted(m.client_id for m in described.members), ["kp-a", "kp-b"])

            b.stop()  # LeaveGroup: a takes both partitions
            members.remove(b)
            h.wait_until(lambda: a.assignment() == {0, 1}, 30, lambda: "a has %r" % a.assignment())
            second = {p: ["kp2-%d-%d" % (p, i) for i in range(5)] for p in range(2)}
            gc.produce(self.broker, TOPIC, second)
            h.wait_until(lambda: set(v for vs in second.values() for v in vs) <= set(a.values()), 30,
                         lambda: "a has %r" % a.values())
            delivered = a.values() + b.values()
            self.assertEqual(sorted(delivered), sorted(every + [v for vs in second.values() for v in vs]))
            a.stop()
            members.remove(a)

            offsets = {tp.partition: om.offset for tp, om in admin.list_consumer_group_offsets(GROUP).items()}
            self.assertEqual(offsets, {0: 25, 1: 25})

            # A new consumer resumes after the commits: only what is produced now.
            c = Member(self.broker, "kp-c")
            members.append(c)
            h.wait_until(lambda: c.assignment() == {0, 1}, 30, lambda: "c has %r" % c.assignment())
            gc.produce(self.broker, TOPIC, {0: ["kp3-0"], 1: ["kp3-1"]})
            h.wait_until(lambda: len(c.values()) >= 2, 30, lambda: "c has %r" % c.values())
            time.sleep(0.5)
            self.assertEqual(sorted(c.values()), ["kp3-0", "kp3-1"])
            self.assertEqual(sorted((p, o) for p, o, _, _ in c.records), [(0, 25), (1, 25)])
            c.stop()
            members.remove(c)

            self.assertEqual(admin.describe_consumer_groups([GROUP])[0].state, "Empty")
            self.assertEqual(admin.delete_consumer_groups([GROUP]), [(GROUP, h_error_none())])
            self.assertNotIn(GROUP, [g for g, _ in admin.list_consumer_groups()])
            self.assertEqual(admin.list_consumer_group_offsets(GROUP), {})
            admin.close()
        finally:
            for m in members:
                m.stop()

    def test_2_auto_offset_reset_none(self):
        from kafka import KafkaConsumer
        from kafka.consumer.fetcher import NoOffsetForPartitionError
        consumer = KafkaConsumer(TOPIC, bootstrap_servers=self.broker.address, group_id="g-kp-none",
                                 auto_offset_reset="none", enable_auto_commit=False,
                                 session_timeout_ms=6000, heartbeat_interval_ms=500)
        try:
            with self.assertRaises(NoOffsetForPartitionError):
                deadline = time.monotonic() + 20
                while time.monotonic() < deadline:
                    consumer.poll(timeout_ms=200)
        finally:
            consumer.close()


def h_error_none():
    from kafka.errors import NoError
    return NoError


if __name__ == "__main__":
    h.main()
