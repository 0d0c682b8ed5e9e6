"""KIP-848 consumer groups over raw sockets (ConsumerGroupHeartbeat and
ConsumerGroupDescribe), with the Python member of kip848.py: each bundled
assignor plugin hands out assignments; members converge to a balanced
assignment with revocation before reassignment; a silent member is fenced
after the session timeout and its partitions move; partitions added to a
topic reach the group; describe; and bad input (stale epoch, unknown member,
unknown assignor, invalid regex, malformed frames); regex subscriptions;
classic SyncGroup/Heartbeat/LeaveGroup against a consumer group's id; and
group state that survives a broker restart (__consumer_offsets)."""

import random
import time
import unittest

import groups_wire as gw
import harness as h
import kip848 as k

SESSION_TIMEOUT_MS = 6000
ASSIGNORS = ["uniform", "range", "roundrobin"]
BROKER_ARGS = [
    "--override", 'plugins.assignors=["uniform", "range", "roundrobin"]',
    "--override", 'groups.consumer_assignors=["uniform", "range", "roundrobin"]',
    "--override", "groups.consumer_session_timeout_ms=%d" % SESSION_TIMEOUT_MS,
    "--override", "groups.consumer_heartbeat_interval_ms=500",
]


def no_two_owners(members):
    seen = {}
    for m in members:
        for tp in m.owned:
            if tp in seen:
                raise AssertionError("%s-%d owned by both %s and %s"
                                     % (tp[0], tp[1], seen[tp], m.member_id))
            seen[tp] = m.member_id


def settle(testcase, members, rounds=30, expect=None):
    """Heartbeats every member in turn until the group is stable (describe),
    checking at every step that no partition has two owners."""
    for _ in range(rounds):
        for m in members:
            resp = m.heartbeat()
            testcase.assertEqual(resp["error_code"], 0, "%s: %r" % (m.member_id, resp))
            no_two_owners(members)
        group = k.describe(members[0].conn, [members[0].group])[0]
        owned_now = all(m.owned == next(x["assignment"] for x in group["members"]
                                         if x["member_id"] == m.member_id) for m in members)
        if group["group_state"] == "Stable" and owned_now:
            return group
        time.sleep(0.05)
    raise AssertionError("group %s did not settle: %r" % (members[0].group, group))


API_OFFSET_COMMIT, API_OFFSET_FETCH, API_LIST_GROUPS = 8, 9, 16
ERR_STALE_MEMBER_EPOCH = 113


def offset_commit_v9(conn, group, member_id, epoch, topic, partition, offset):
    """OffsetCommit v9 of one partition; returns its error code."""
    part = h.int32(partition) + h.int64(offset) + h.int32(-1) + h.compact_string("") + h.EMPTY_TAGS
    topics = h.compact_array([topic], lambda t: h.compact_string(t) + h.compact_array([part], bytes) + h.EMPTY_TAGS)
    body = (h.compact_string(group) + h.int32(epoch) + h.compact_string(member_id) + h.compact_string(None)
            + topics + h.EMPTY_TAGS)
    r = k.call(conn, API_OFFSET_COMMIT, 9, body)
    r.int32()

    def partition_error(rr):
        rr.int32()
        error = rr.int16()
        rr.tagged_fields()
        return error

    def topic_errors(rr):
        rr.compact_string()
        errors = rr.compact_array(partition_error)
        rr.tagged_fields()
        return errors

    errors = r.compact_array(topic_errors)
    r.tagged_fields()
    r.expect_end("OffsetCommit response")
    return errors[0][0]


def offset_fetch_v9(conn, group, member_id, epoch, topic, partition):
    """OffsetFetch v9 of one partition; returns (group error, committed offset)."""
    topics = h.compact_array([topic], lambda t: h.compact_string(t) + h.compact_array([partition], h.int32)
                             + h.EMPTY_TAGS)
    group_body = h.compact_string(group) + h.compact_string(member_id) + h.int32(epoch) + topics + h.EMPTY_TAGS
    body = h.compact_array([group_body], bytes) + h.boolean(False) + h.EMPTY_TAGS
    r = k.call(conn, API_OFFSET_FETCH, 9, body)
    r.int32()

    def part(rr):
        rr.int32()
        offset = rr.int64()
        rr.int32()
        rr.compact_string()
        rr.int16()
        rr.tagged_fields()
        return offset

    def topic_offsets(rr):
        rr.compact_string()
        offsets = rr.compact_array(part)
        rr.tagged_fields()
        return offsets

    def group_result(rr):
        rr.compact_string()
        topics_out = rr.compact_array(topic_offsets)
        error = rr.int16()
        rr.tagged_fields()
        return error, topics_out

    groups = r.compact_array(group_result)
    r.tagged_fields()
    r.expect_end("OffsetFetch response")
    error, topics_out = groups[0]
    return error, (topics_out[0][0] if topics_out else None)


def list_groups_v5(conn, types_filter=()):
    """ListGroups v5: {group id: (protocol type, state, group type)}."""
    body = h.compact_array([], h.compact_string) + h.compact_array(list(types_filter), h.compact_string)
    r = k.call(conn, API_LIST_GROUPS, 5, body + h.EMPTY_TAGS)
    r.int32()
    error = r.int16()

    def listed(rr):
        out = (rr.compact_string(), rr.compact_string(), rr.compact_string(), rr.compact_string())
        rr.tagged_fields()
        return out

    groups = r.compact_array(listed)
    r.tagged_fields()
    r.expect_end("ListGroups response")
    assert error == 0, error
    return {g[0]: g[1:] for g in groups}


class Kip848Test(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.broker = h.class_broker(cls, BROKER_ARGS)
        cls.admin = cls.broker.connect()

    @classmethod
    def tearDownClass(cls):
        cls.admin.close()
        cls.broker.__exit__(None, None, None)

    def setUp(self):
        self.members = []

    def tearDown(self):
        for m in self.members:
            m.close()

    def member(self, group, topics, member_id, **kw):
        m = k.Member(self.broker, group, topics, member_id, **kw)
        self.members.append(m)
        return m

    def test_apis_advertised(self):
        apis = self.admin.api_versions(3)["apis"]
        print("  ApiVersions lists ConsumerGroupHeartbeat %r, ConsumerGroupDescribe %r"
              % (apis.get(68), apis.get(69)))
        self.assertEqual(apis.get(68), (0, 1))
        self.assertEqual(apis.get(69), (0, 0))

    def test_each_assignor_plugin_assigns(self):
        for assignor in ASSIGNORS:
            with self.subTest(assignor=assignor):
                topic, group = "kip848-%s" % assignor, "group-%s" % assignor
                k.create_topic(self.admin, topic, 5)
                a = self.member(group, [topic], "member-a", server_assignor=assignor)
                b = self.member(group, [topic], "member-b", server_assignor=assignor)
                resp = a.heartbeat()
                self.assertEqual(resp["error_code"], 0, resp)
                self.assertEqual(resp["member_id"], "member-a")
                self.assertEqual(resp["member_epoch"], 1)
                self.assertEqual(resp["heartbeat_interval_ms"], 500)
                self.assertEqual(a.owned, {(topic, p) for p in range(5)})
                b.heartbeat()
                described = settle(self, [a, b])
                self.assertEqual(described["assignor_name"], assignor)
                print("  %-10s a=%s b=%s" % (assignor, sorted(p for _, p in a.owned),
                                              sorted(p for _, p in b.owned)))
                if assignor == "range":  # contiguous, the first member one more
                    self.assertEqual(a.owned, {(topic, p) for p in (0, 1, 2)})
                    self.assertEqual(b.owned, {(topic, p) for p in (3, 4)})
                elif assignor == "roundrobin":
                    self.assertEqual(a.owned, {(topic, p) for p in (0, 2, 4)})
                    self.assertEqual(b.owned, {(topic, p) for p in (1, 3)})
                else:
                    self.assertEqual(sorted([len(a.owned), len(b.owned)]), [2, 3])
                    self.assertEqual(len(a.owned | b.owned), 5)

    def test_three_members_converge_revoking_first(self):
        topic, group = "kip848-converge", "group-converge"
        k.create_topic(self.admin, topic, 6)
        a = self.member(group, [topic], "a")
        b = self.member(group, [topic], "b")
        c = self.member(group, [topic], "c")
        a.heartbeat()
        self.assertEqual(len(a.owned), 6)
        print("  a alone: 6 partitions at epoch %d" % a.epoch)

        resp = b.heartbeat()
        self.assertEqual(resp["error_code"], 0)
        self.assertEqual(b.owned, set(), "b must wait until a revoked")
        self.assertEqual(resp["member_epoch"], 2)
        before = a.epoch
        a.heartbeat()  # told to revoke, at its old epoch
        self.assertEqual(len(a.owned), 3)
        self.assertEqual(a.epoch, before, "the epoch moves only once the revocation is acknowledged")
        # The revocation is acknowledged by a's next heartbeat; only then does b get partitions.
        b.heartbeat()
        self.assertEqual(b.owned, set())
        a.heartbeat()
        b.heartbeat()
        no_two_owners([a, b])
        self.assertEqual((len(a.owned), len(b.owned)), (3, 3))
        print("  a + b: 3 + 3 after a revoked first")

        c.heartbeat()
        group_state = settle(self, [a, b, c])
        self.assertEqual(sorted(len(m.owned) for m in (a, b, c)), [2, 2, 2])
        self.assertEqual(len(a.owned | b.owned | c.owned), 6)
        self.assertEqual(group_state["group_epoch"], 3)
        print("  a + b + c: 2 + 2 + 2 at group epoch %d" % group_state["group_epoch"])

    def test_silent_member_is_fenced_and_its_partitions_move(self):
        topic, group = "kip848-fence", "group-fence"
        k.create_topic(self.admin, topic, 6)
        a = self.member(group, [topic], "a")
        b = self.member(group, [topic], "b")
        a.heartbeat()
        b.heartbeat()
        settle(self, [a, b])
        self.assertEqual((len(a.owned), len(b.owned)), (3, 3))
        start = time.monotonic()
        print("  b stops heartbeating; a goes on every 0.5 s")
        while len(a.owned) < 6:
            self.assertLess(time.monotonic() - start, SESSION_TIMEOUT_MS / 1000.0 + 10,
                            "b's partitions did not move to a")
            time.sleep(0.5)
            self.assertEqual(a.heartbeat()["error_code"], 0)
        elapsed = time.monotonic() - start
        print("  a has all 6 partitions %.1f s later" % elapsed)
        self.assertGreaterEqual(elapsed, SESSION_TIMEOUT_MS / 1000.0 - 1.0)
        described = k.describe(self.admin, [group])[0]
        self.assertEqual([m["member_id"] for m in described["members"]], ["a"])
        self.assertEqual(b.heartbeat()["error_code"], k.ERR_UNKNOWN_MEMBER_ID)

    def test_describe_shows_members_and_assignments(self):
        topic, group = "kip848-describe", "group-describe"
        k.create_topic(self.admin, topic, 4)
        a = self.member(group, [topic], "a", rack_id="rack-1")
        b = self.member(group, [topic], "b", instance_id="instance-b")
        a.heartbeat()
        b.heartbeat()
        settle(self, [a, b])
        groups = k.describe(self.admin, [group, "no-such-group"], include_authorized_operations=True)
        g, missing = groups
        self.assertEqual(g["error_code"], 0)
        self.assertEqual(g["group_state"], "Stable")
        self.assertEqual(g["assignor_name"], "uniform")
        self.assertEqual(g["group_epoch"], g["assignment_epoch"])
        self.assertNotEqual(g["authorized_operations"], -2**31)
        members = {m["member_id"]: m for m in g["members"]}
        self.assertEqual(set(members), {"a", "b"})
        self.assertEqual(members["a"]["rack_id"], "rack-1")
        self.assertEqual(members["b"]["instance_id"], "instance-b")
        self.assertEqual(members["a"]["client_id"], "brokkr-kip848")
        self.assertTrue(members["a"]["client_host"].startswith("/127.0.0.1"), members["a"])
        self.assertEqual(members["a"]["subscribed_topic_names"], [topic])
        self.assertEqual(members["a"]["assignment"], a.owned)
        self.assertEqual(members["b"]["target_assignment"], b.owned)
        self.assertEqual(missing["error_code"], k.ERR_GROUP_ID_NOT_FOUND)
        print("  describe: %s, epoch %d, a=%s b=%s; unknown group -> %d"
              % (g["group_state"], g["group_epoch"], sorted(a.owned), sorted(b.owned),
                 missing["error_code"]))

    def test_partitions_added_reach_the_group(self):
        topic, group = "kip848-grow", "group-grow"
        k.create_topic(self.admin, topic, 2)
        a = self.member(group, [topic], "a")
        b = self.member(group, [topic], "b")
        a.heartbeat()
        b.heartbeat()
        before = settle(self, [a, b])["group_epoch"]
        k.add_partitions(self.admin, topic, 6)

        def bumped():  # the broker's metadata cache follows the store shortly
            a.heartbeat()
            return k.describe(self.admin, [group])[0]["group_epoch"] > before

        h.wait_until(bumped, 10, "the group epoch did not move after CreatePartitions")
        after = settle(self, [a, b])
        self.assertGreater(after["group_epoch"], before)
        self.assertEqual(len(a.owned | b.owned), 6)
        self.assertEqual(sorted([len(a.owned), len(b.owned)]), [3, 3])
        print("  2 -> 6 partitions: group epoch %d -> %d, 3 + 3" % (before, after["group_epoch"]))

    def test_bad_input(self):
        topic, group = "kip848-errors", "group-errors"
        k.create_topic(self.admin, topic, 2)
        a = self.member(group, [topic], "a")
        b = self.member(group, [topic], "b")
        a.heartbeat()
        b.heartbeat()
        settle(self, [a, b])
        self.assertGreaterEqual(a.epoch, 2)

        # The previous epoch is accepted only with a subset of the current
        # partitions (a lost response); with more, it is stale.
        topic_id = k.topic_ids(self.admin, [topic])[topic]
        resp = a.heartbeat(member_epoch=a.epoch - 1, topic_partitions=[(topic_id, [0, 1])])
        self.assertEqual(resp["error_code"], k.ERR_FENCED_MEMBER_EPOCH, resp)
        print("  stale member epoch -> %d (%s)" % (resp["error_code"], resp["error_message"]))
        resp = a.heartbeat(member_epoch=a.epoch + 5)
        self.assertEqual(resp["error_code"], k.ERR_FENCED_MEMBER_EPOCH)

        resp = a.heartbeat(member_id="nobody")
        self.assertEqual(resp["error_code"], k.ERR_UNKNOWN_MEMBER_ID)
        print("  unknown member -> %d" % resp["error_code"])

        c = self.member(group, [topic], "c", server_assignor="no-such-assignor")
        resp = c.heartbeat()
        self.assertEqual(resp["error_code"], k.ERR_UNSUPPORTED_ASSIGNOR)
        print("  unknown assignor -> %d (%s)" % (resp["error_code"], resp["error_message"]))

        resp = k.heartbeat(a.conn, version=1, group_id=group, member_id="r", member_epoch=0,
                           rebalance_timeout_ms=1000, subscribed_topic_names=[topic],
                           subscribed_topic_regex="kip848-(", topic_partitions=[])
        self.assertEqual(resp["error_code"], k.ERR_INVALID_REGULAR_EXPRESSION)
        print("  invalid regex -> %d (%s)" % (resp["error_code"], resp["error_message"]))

        resp = k.heartbeat(a.conn, group_id=group, member_id="x", member_epoch=0,
                           subscribed_topic_names=[topic], topic_partitions=[])
        self.assertEqual(resp["error_code"], k.ERR_INVALID_REQUEST)  # no rebalance timeout
        resp = k.heartbeat(a.conn, group_id="never-seen", member_id="x", member_epoch=3,
                           topic_partitions=[])
        self.assertEqual(resp["error_code"], k.ERR_GROUP_ID_NOT_FOUND)

        # A truncated body closes that connection only; the group lives on.
        with self.broker.connect() as bad:
            body = k.heartbeat_body(group_id=group, member_id="a", member_epoch=1)[:-3]
            bad.send(h.request(k.API_CONSUMER_GROUP_HEARTBEAT, 0, 9, body, header_version=2))
            bad.wait_closed()
        with self.broker.connect() as bad:  # absurd array length
            body = h.compact_string(group) + h.compact_string("a") + h.int32(1) + b"\x00\x00" \
                + h.int32(-1) + h.uvarint(2**31)
            bad.send(h.request(k.API_CONSUMER_GROUP_HEARTBEAT, 0, 9, body, header_version=2))
            bad.wait_closed()
        self.assertEqual(a.heartbeat()["error_code"], 0)
        self.assertTrue(self.broker.alive())

    def test_mutated_requests_never_hurt_the_broker(self):
        topic = "kip848-fuzz"
        k.create_topic(self.admin, topic, 3)
        tid = k.topic_ids(self.admin, [topic])[topic]
        rng = random.Random(848)
        bodies = [
            (k.API_CONSUMER_GROUP_HEARTBEAT, 1, k.heartbeat_body(
                group_id="fuzz", member_id="m", member_epoch=0, rebalance_timeout_ms=1000,
                subscribed_topic_names=[topic], server_assignor="range", topic_partitions=[],
                instance_id="i", rack_id="r", version=1)),
            (k.API_CONSUMER_GROUP_HEARTBEAT, 0, k.heartbeat_body(
                group_id="fuzz", member_id="m", member_epoch=3, topic_partitions=[(tid, [0, 1, 2])])),
            (k.API_CONSUMER_GROUP_DESCRIBE, 0, k.describe_body(["fuzz", "other"], True)),
        ]
        answered = closed = 0
        for i in range(150):
            api, version, body = rng.choice(bodies)
            data = bytearray(body)
            for _ in range(rng.randint(1, 4)):
                what = rng.random()
                if what < 0.6 and data:
                    data[rng.randrange(len(data))] = rng.randrange(256)
                elif what < 0.8:
                    del data[rng.randrange(len(data) + 1):]
                else:
                    data += bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
            with self.broker.connect() as conn:
                conn.send(h.request(api, version, i, bytes(data), header_version=2))
                try:
                    conn.recv_frame(timeout=2.0)
                    answered += 1
                except (h.ConnectionClosed, OSError):
                    closed += 1
        print("  150 mutated requests: %d answered, %d closed the connection" % (answered, closed))
        self.assertTrue(self.broker.alive())
        self.assertIn(k.describe(self.admin, ["fuzz"])[0]["error_code"], (0, k.ERR_GROUP_ID_NOT_FOUND))

    def test_member_commits_and_fetches_offsets(self):
        """A KIP-848 member's OffsetCommit v9 carries its member epoch; a stale
        one is refused (113); OffsetFetch v9 returns the offset; ListGroups
        lists the group as a consumer group."""
        topic, group = "kip848-offsets", "group-offsets"
        k.create_topic(self.admin, topic, 2)
        a = self.member(group, [topic], "member-offsets")
        self.assertEqual(a.heartbeat()["error_code"], 0)
        self.assertGreater(a.epoch, 0)
        self.assertEqual(offset_commit_v9(a.conn, group, a.member_id, a.epoch, topic, 1, 17), 0)
        self.assertEqual(offset_fetch_v9(a.conn, group, a.member_id, a.epoch, topic, 1), (0, 17))
        self.assertEqual(offset_commit_v9(a.conn, group, a.member_id, a.epoch - 1, topic, 1, 18),
                         ERR_STALE_MEMBER_EPOCH)
        self.assertEqual(offset_fetch_v9(a.conn, group, a.member_id, a.epoch + 1, topic, 1)[0],
                         ERR_STALE_MEMBER_EPOCH)
        # An admin (no member, epoch -1) reads the offset too; it was not overwritten.
        self.assertEqual(offset_fetch_v9(self.admin, group, None, -1, topic, 1), (0, 17))
        listed = list_groups_v5(self.admin)
        self.assertIn(group, listed)
        self.assertEqual(listed[group][0], "consumer")
        self.assertEqual(listed[group][2], "consumer")
        self.assertNotIn(group, list_groups_v5(self.admin, ["classic"]))
        self.assertIn(group, list_groups_v5(self.admin, ["consumer"]))
        print("  committed 17 at epoch %d, ListGroups: %r" % (a.epoch, listed[group]))

    def test_regex_subscription(self):
        group = "group-regex"
        a = self.member(group, ["orders-a", "orders-b", "payments"], "regex-a")
        resp = a.heartbeat(version=1, subscribed_topic_names=None, subscribed_topic_regex="orders-.*")
        self.assertEqual(resp["error_code"], 0, resp)
        self.assertEqual(a.owned, set())  # nothing matches yet
        for name, partitions in (("orders-a", 2), ("orders-b", 3), ("payments", 2)):
            k.create_topic(self.admin, name, partitions)
        want = {("orders-a", p) for p in range(2)} | {("orders-b", p) for p in range(3)}
        deadline = time.monotonic() + 15
        while a.owned != want and time.monotonic() < deadline:
            time.sleep(0.2)
            self.assertEqual(a.heartbeat()["error_code"], 0, a.last)
        self.assertEqual(a.owned, want)
        described = k.describe(self.admin, [group])[0]
        self.assertEqual(described["members"][0]["subscribed_topic_regex"], "orders-.*")
        print("  regex orders-.* -> %s (epoch %d)" % (sorted(a.owned), a.epoch))

    def test_classic_requests_to_a_consumer_group(self):
        topic, group = "kip848-classic", "group-classic-probe"
        k.create_topic(self.admin, topic, 2)
        a = self.member(group, [topic], "cg-a")
        settle(self, [a])
        before = k.describe(self.admin, [group])[0]
        with gw.GroupConnection("127.0.0.1", self.broker.port) as classic:
            sync = classic.sync_group(group, a.epoch, a.member_id)
            beat = classic.heartbeat(group, a.epoch, a.member_id)
            leave = classic.leave_group(group, [(a.member_id, None), ("nobody", None)])
        # Kafka 3.8+ (no classic member in the group): UNKNOWN_MEMBER_ID, LeaveGroup per member.
        self.assertEqual(sync["error_code"], gw.ERR_UNKNOWN_MEMBER_ID)
        self.assertEqual(beat, gw.ERR_UNKNOWN_MEMBER_ID)
        self.assertEqual(leave["error_code"], 0)
        self.assertEqual([m[2] for m in leave["members"]], [gw.ERR_UNKNOWN_MEMBER_ID] * 2)
        print("  SyncGroup -> %d, Heartbeat -> %d, LeaveGroup -> %d %r"
              % (sync["error_code"], beat, leave["error_code"], [m[2] for m in leave["members"]]))
        # The group is intact.
        after = k.describe(self.admin, [group])[0]
        self.assertEqual(after["group_epoch"], before["group_epoch"])
        self.assertEqual([m["member_id"] for m in after["members"]], [a.member_id])
        self.assertEqual(a.heartbeat()["error_code"], 0)


class Kip848RestartTest(unittest.TestCase):
    """A KIP-848 group comes back after SIGTERM and a restart on the same data dir."""

    def heartbeat_until_loaded(self, m, deadline=20.0):
        end = time.monotonic() + deadline
        while True:
            resp = m.heartbeat()
            if resp["error_code"] not in k.ERR_RETRIABLE_COORDINATOR or time.monotonic() > end:
                return resp
            time.sleep(0.1)

    def test_member_continues_after_restart(self):
        topic, group = "kip848-restart", "group-restart"
        with h.Broker(BROKER_ARGS) as broker:
            with broker.connect() as admin:
                k.create_topic(admin, topic, 4)
            a = k.Member(broker, group, [topic], "restart-a")
            b = k.Member(broker, group, [topic], "restart-b")
            try:
                a.heartbeat()
                b.heartbeat()
                before = settle(self, [a, b])
                owned_a, owned_b, epoch_a, epoch_b = set(a.owned), set(b.owned), a.epoch, b.epoch
                self.assertEqual(len(owned_a | owned_b), 4)
                a.close()
                b.close()
                broker.stop()  # SIGTERM, exit 0
                broker.start()
                a.conn = broker.connect()
                b.conn = broker.connect()
                for m, epoch, owned in ((a, epoch_a, owned_a), (b, epoch_b, owned_b)):
                    resp = self.heartbeat_until_loaded(m)
                    self.assertEqual(resp["error_code"], 0, "%s: %r\n%s" % (m.member_id, resp, broker.log()))
                    self.assertEqual(resp["member_epoch"], epoch)  # no rejoin, no new epoch
                    self.assertEqual(m.owned, owned)
                with broker.connect() as admin:
                    after = k.describe(admin, [group])[0]
                self.assertEqual(after["error_code"], 0, after)
                self.assertEqual(after["group_state"], "Stable")
                self.assertEqual(after["group_epoch"], before["group_epoch"])
                self.assertEqual(after["assignment_epoch"], before["assignment_epoch"])
                described = {m["member_id"]: m for m in after["members"]}
                self.assertEqual(set(described), {"restart-a", "restart-b"})
                self.assertEqual(described["restart-a"]["member_epoch"], epoch_a)
                self.assertEqual(described["restart-a"]["assignment"], a.owned)
                self.assertEqual(described["restart-b"]["assignment"], b.owned)
                self.assertIn("loaded 1 consumer group(s) (KIP-848) with 2 member(s)", broker.current_log())
                print("  after restart: epochs a=%d b=%d kept, group epoch %d, assignments %s / %s"
                      % (epoch_a, epoch_b, after["group_epoch"], sorted(a.owned), sorted(b.owned)))
            finally:
                a.close()
                b.close()


if __name__ == "__main__":
    h.main()
