"""Static membership (KIP-345) with unmodified librdkafka consumers: two
consumers with group.instance.id, each in its own process, share a topic;
one is killed and started again with the same instance id within its
session timeout. The group does not rebalance: the new process takes the
old member's place and partitions under a new member id, the other consumer
sees no new assignment, and a third member (speaking the protocol itself,
static too) keeps heartbeating the same generation without ever being told
REBALANCE_IN_PROGRESS. A fourth process with a taken instance id fences
the one before it."""

import threading
import time
import unittest

import groups_clients as gc
import groups_wire as gw
import harness as h

TOPIC = "static-t"
GROUP = "g-static"
SESSION_MS = 15000


class Observer:
    """A static member of the group on a raw connection: joins, syncs, and
    heartbeats every 300 ms, remembering every answer."""

    def __init__(self, broker):
        self.conn = gw.connect(broker)
        self.answers = []
        self.stopped = False
        joined = self.conn.join_group(GROUP, instance_id="observer", session_timeout_ms=SESSION_MS,
                                      protocols=[("range", gw.subscription([TOPIC]))])
        if joined["error_code"] != 0:
            raise AssertionError("observer JoinGroup: %r" % joined)
        self.member_id = joined["member_id"]
        self.generation = joined["generation_id"]
        synced = self.conn.sync_group(GROUP, self.generation, self.member_id, instance_id="observer")
        if synced["error_code"] != 0:
            raise AssertionError("observer SyncGroup: %r" % synced)
        self.thread = threading.Thread(target=self._beat, daemon=True)
        self.thread.start()

    def _beat(self):
        while not self.stopped:
            self.answers.append(self.conn.heartbeat(GROUP, self.generation, self.member_id, "observer"))
            time.sleep(0.3)

    def stop(self):
        self.stopped = True
        self.thread.join(5)
        self.conn.leave_group(GROUP, [(self.member_id, "observer")])
        self.conn.close()


class StaticMembershipTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.broker = h.class_broker(cls, gc.FAST_GROUPS)

    @classmethod
    def tearDownClass(cls):
        cls.broker.__exit__(None, None, None)

    def describe(self):
        with gw.connect(self.broker) as conn:
            return conn.describe_groups([GROUP])[GROUP]

    def by_instance(self):
        return {m["group_instance_id"]: (m["member_id"], gw.parse_assignment(m["assignment"]))
                for m in self.describe()["members"]}

    def test_restart_within_the_session_keeps_the_generation(self):
        gc.create_topic(self.broker, TOPIC, 2)
        config = {"session.timeout.ms": SESSION_MS, "heartbeat.interval.ms": 300,
                  "partition.assignment.strategy": "range"}
        a = gc.ConsumerProc(self.broker, GROUP, TOPIC, dict(config, **{"group.instance.id": "inst-a"}), "a")
        b = gc.ConsumerProc(self.broker, GROUP, TOPIC, dict(config, **{"group.instance.id": "inst-b"}), "b")
        consumers = [a, b]
        observer = None
        try:
            detail = lambda: "\n".join(c.describe() for c in consumers) + "\n" + self.broker.log()[-4000:]
            h.wait_until(lambda: a.assignment() | b.assignment() == {0, 1}, 30,
                         lambda: "a and b do not share the partitions\n" + detail())
            assigned_before = {c.name: len(c.of("assign")) for c in consumers}
            observer = Observer(self.broker)  # a third member: one more rebalance, then quiet
            h.wait_until(lambda: self.describe()["state"] == "Stable" and len(self.describe()["members"]) == 3,
                         30, lambda: "no Stable group of three: %r\n%s" % (self.describe(), detail()))
            # a and b took part in that rebalance and hold their partitions again.
            h.wait_until(lambda: all(len(c.of("assign")) > assigned_before[c.name] for c in consumers)
                         and a.assignment() | b.assignment() == {0, 1}, 30,
                         lambda: "a and b were not reassigned after the observer joined\n" + detail())
            before = self.by_instance()
            a_partitions = a.assignment()
            b_assigns = len(b.of("assign"))
            self.assertEqual(before["inst-a"][1], {TOPIC: sorted(a_partitions)})

            a.kill()
            a2 = gc.ConsumerProc(self.broker, GROUP, TOPIC, dict(config, **{"group.instance.id": "inst-a"}), "a2")
            consumers.append(a2)
            h.wait_until(lambda: a2.assignment(), 30, lambda: "the restarted a got nothing\n" + detail())
            self.assertEqual(a2.assignment(), a_partitions)
            time.sleep(2)  # time for any rebalance to show

            after = self.by_instance()
            self.assertEqual(self.describe()["state"], "Stable")
            self.assertNotEqual(after["inst-a"][0], before["inst-a"][0], "the restart kept the member id")
            self.assertEqual(after["inst-a"][1], before["inst-a"][1])
            self.assertEqual(after["inst-b"], before["inst-b"])
            self.assertEqual(len(b.of("assign")), b_assigns, "b was reassigned:\n" + detail())
            answers = list(observer.answers)
            self.assertTrue(answers)
            self.assertEqual(set(answers), {0}, "the observer's generation %d was disturbed: %r"
                             % (observer.generation, answers))

            # The old member id is fenced; so is a's process when a second one takes inst-a.
            with gw.connect(self.broker) as conn:
                self.assertEqual(conn.heartbeat(GROUP, observer.generation, before["inst-a"][0], "inst-a"),
                                 gw.ERR_FENCED_INSTANCE_ID)
            a3 = gc.ConsumerProc(self.broker, GROUP, TOPIC, dict(config, **{"group.instance.id": "inst-a"}), "a3")
            consumers.append(a3)
            h.wait_until(lambda: a2.of("error") or a2.proc.poll() is not None, 30,
                         lambda: "a2 was not told it is fenced\n" + detail())
            fenced = " ".join(e.get("error", "") for e in a2.of("error")) + " ".join(a2.stderr)
            self.assertIn("FENCED", fenced.upper(), detail())
        finally:
            if observer:
                observer.stop()
            for c in consumers:
                c.stop()


if __name__ == "__main__":
    h.main()
