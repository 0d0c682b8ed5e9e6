"""Committed offsets with unmodified librdkafka consumers (confluent-kafka):
two groups on one topic each receive every record; a consumer restarted in
its group resumes right after its last commit, also across a broker
restart (the offsets are durable in __consumer_offsets); auto.offset.reset
earliest, latest and error (librdkafka's "none"); and the lag the admin
APIs show (DescribeGroups + OffsetFetch + ListOffsets, through
kafka-python's admin client): CURRENT-OFFSET + LAG = LOG-END-OFFSET."""

import json
import time
import unittest

import groups_clients as gc
import groups_wire as gw
import harness as h


def consumer(broker, group, **extra):
    from confluent_kafka import Consumer
    config = {"bootstrap.servers": broker.address, "group.id": group, "enable.auto.commit": False,
              "auto.offset.reset": "earliest", "session.timeout.ms": 6000, "heartbeat.interval.ms": 500}
    config.update({k if k.endswith("_cb") else k.replace("_", "."): v for k, v in extra.items()})
    return Consumer(config)


def take(c, count, timeout=30, commit=True):
    """Polls `count` records, committing each synchronously; returns them."""
    out = []
    deadline = time.monotonic() + timeout
    while len(out) < count:
        if time.monotonic() > deadline:
            raise AssertionError("got %d of %d records in %ds: %r" % (len(out), count, timeout,
                                                                       [(m.partition(), m.offset()) for m in out]))
        msg = c.poll(0.5)
        if msg is None:
            continue
        if msg.error():
            raise AssertionError("consumer error: %s" % msg.error())
        if commit:
            c.commit(message=msg, asynchronous=False)
        out.append(msg)
    return out


class OffsetsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.broker = h.class_broker(cls, gc.FAST_GROUPS)

    @classmethod
    def tearDownClass(cls):
        cls.broker.__exit__(None, None, None)

    def committed(self, group, topic, partitions):
        with gw.connect(self.broker) as conn:
            error, offsets = conn.offset_fetch(group, {topic: partitions})
        self.assertEqual(error, 0)
        return {p: offsets[(topic, p)][0] for p in partitions}

    def test_two_groups_each_receive_every_record(self):
        gc.create_topic(self.broker, "shared", 2)
        values = {p: ["shared-%d-%d" % (p, i) for i in range(20)] for p in range(2)}
        gc.produce(self.broker, "shared", values)
        for group in ("g-one", "g-two"):
            c = consumer(self.broker, group)
            c.subscribe(["shared"])
            got = take(c, 40)
            c.close()
            self.assertEqual(sorted(m.value().decode() for m in got), sorted(v for vs in values.values() for v in vs))
            self.assertEqual(self.committed(group, "shared", [0, 1]), {0: 20, 1: 20})

    def test_restarted_consumer_resumes_after_its_commit_also_across_a_broker_restart(self):
        gc.create_topic(self.broker, "resume", 1)
        gc.produce(self.broker, "resume", {0: ["r-%d" % i for i in range(30)]})
        c = consumer(self.broker, "g-resume")
        c.subscribe(["resume"])
        got = take(c, 12)
        self.assertEqual([m.offset() for m in got], list(range(12)))
        c.close()
        self.assertEqual(self.committed("g-resume", "resume", [0]), {0: 12})

        c = consumer(self.broker, "g-resume")
        c.subscribe(["resume"])
        got = take(c, 5)
        self.assertEqual([m.offset() for m in got], list(range(12, 17)))
        c.close()

        self.broker.stop()
        self.broker.start()
        h.wait_until(lambda: self.committed("g-resume", "resume", [0]) == {0: 17}, 20,
                     lambda: "the commit did not survive the restart: %r\n%s"
                     % (self.committed("g-resume", "resume", [0]), self.broker.log()[-4000:]))
        with gw.connect(self.broker) as conn:
            self.assertEqual(conn.describe_groups(["g-resume"])["g-resume"]["state"], "Empty")
        c = consumer(self.broker, "g-resume")
        c.subscribe(["resume"])
        got = take(c, 13)
        self.assertEqual([m.offset() for m in got], list(range(17, 30)))
        self.assertEqual([m.value().decode() for m in got], ["r-%d" % i for i in range(17, 30)])
        c.close()

    def test_auto_offset_reset(self):
        from confluent_kafka import KafkaError
        gc.create_topic(self.broker, "reset", 1)
        gc.produce(self.broker, "reset", {0: ["old-%d" % i for i in range(10)]})

        c = consumer(self.broker, "g-earliest", auto_offset_reset="earliest")
        c.subscribe(["reset"])
        self.assertEqual([m.offset() for m in take(c, 10)], list(range(10)))
        c.close()

        # librdkafka's statistics say where its fetcher stands once "latest" is applied.
        fetcher = {}

        def on_stats(text):
            p = json.loads(text).get("topics", {}).get("reset", {}).get("partitions", {}).get("0")
            if p:
                fetcher.update(state=p.get("fetch_state"), next_offset=p.get("next_offset"))
        c = consumer(self.broker, "g-latest", auto_offset_reset="latest", statistics_interval_ms=100,
                     stats_cb=on_stats)
        c.subscribe(["reset"])

        def positioned():
            c.poll(0.1)
            return fetcher.get("state") == "active"
        h.wait_until(positioned, 20, lambda: "the latest consumer does not fetch: %r" % fetcher)
        self.assertEqual(fetcher["next_offset"], 10)
        gc.produce(self.broker, "reset", {0: ["new-%d" % i for i in range(5)]})
        got = take(c, 5)
        self.assertEqual([m.value().decode() for m in got], ["new-%d" % i for i in range(5)])
        c.close()

        # librdkafka's "none": no committed offset is an error, not a reset.
        c = consumer(self.broker, "g-none", auto_offset_reset="error")
        c.subscribe(["reset"])
        deadline = time.monotonic() + 20
        error = None
        while error is None and time.monotonic() < deadline:
            msg = c.poll(0.5)
            if msg is not None:
                self.assertIsNotNone(msg.error(), "got a record without a committed offset: %r" % msg.value())
                error = msg.error()
        c.close()
        self.assertIsNotNone(error, "no error for auto.offset.reset=error")
        self.assertEqual(error.code(), KafkaError._AUTO_OFFSET_RESET)
        # ... while with a committed offset the same consumer starts there.
        with gw.connect(self.broker) as conn:
            self.assertEqual(conn.offset_commit("g-none", -1, "", {"reset": {0: 13}}), {("reset", 0): 0})
        c = consumer(self.broker, "g-none", auto_offset_reset="error")
        c.subscribe(["reset"])
        self.assertEqual([m.offset() for m in take(c, 2)], [13, 14])
        c.close()

    def test_lag_from_the_admin_apis(self):
        from kafka import KafkaConsumer, TopicPartition
        from kafka.admin import KafkaAdminClient
        gc.create_topic(self.broker, "lag", 2)
        gc.produce(self.broker, "lag", {p: ["lag-%d-%d" % (p, i) for i in range(20)] for p in range(2)})
        c = consumer(self.broker, "g-lag")
        c.subscribe(["lag"])
        got = take(c, 15)
        consumed = {p: sum(1 for m in got if m.partition() == p) for p in range(2)}
        # A partition it has not read from yet is at its start (committed 0), so
        # that CURRENT-OFFSET exists for both.
        from confluent_kafka import TopicPartition as TP
        untouched = [TP("lag", p, 0) for p in range(2) if consumed[p] == 0]
        if untouched:
            c.commit(offsets=untouched, asynchronous=False)
        try:
            admin = KafkaAdminClient(bootstrap_servers=self.broker.address)
            described = admin.describe_consumer_groups(["g-lag"])[0]
            self.assertEqual(described.state, "Stable")
            self.assertEqual(len(described.members), 1)
            self.assertEqual(described.protocol_type, "consumer")
            assigned = described.members[0].member_assignment.assignment
            self.assertEqual(sorted((t, sorted(ps)) for t, ps in assigned), [("lag", [0, 1])])
            current = {tp.partition: om.offset for tp, om in admin.list_consumer_group_offsets("g-lag").items()
                       if tp.topic == "lag"}
            admin.close()
            reader = KafkaConsumer(bootstrap_servers=self.broker.address)
            log_end = {tp.partition: o for tp, o in
                       reader.end_offsets([TopicPartition("lag", 0), TopicPartition("lag", 1)]).items()}
            reader.close()
            with self.broker.connect() as conn:
                raw_end = {p: r["offset"] for (t, p), r in conn.list_offsets({"lag": {0: -1, 1: -1}}).items()}
        finally:
            c.close()
        self.assertEqual(log_end, {0: 20, 1: 20})
        self.assertEqual(raw_end, log_end)
        for p in range(2):
            lag = 20 - consumed[p]  # what this consumer has not read
            self.assertEqual(current[p], consumed[p])
            self.assertEqual(current[p] + lag, log_end[p], "partition %d: CURRENT-OFFSET + LAG != LOG-END-OFFSET" % p)
        print("    lag: consumed %r, committed %r, log end %r" % (consumed, current, log_end))


if __name__ == "__main__":
    h.main()
