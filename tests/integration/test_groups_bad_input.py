"""The group APIs refuse bad input with Kafka's error codes and the group stays
intact: stale generations (ILLEGAL_GENERATION), unknown member ids
(UNKNOWN_MEMBER_ID), session timeouts out of bounds, protocols that do not
match, an empty group id, commits to unknown topics or with too much
metadata, an assignment too large to store (UNKNOWN_SERVER_ERROR, then the
group rebalances and carries on), LeaveGroup of strangers, and truncated
requests (the connection is closed, the broker keeps serving)."""

import unittest

import groups_clients as gc
import groups_wire as gw
import harness as h

GROUP = "g-bad"
TOPIC = "bad-input"


class BadInputTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.broker = h.class_broker(cls, gc.FAST_GROUPS)
        gc.create_topic(cls.broker, TOPIC, 1)

    @classmethod
    def tearDownClass(cls):
        cls.broker.__exit__(None, None, None)

    def join_alone(self, conn, group=GROUP, member_id=""):
        r = conn.join_group(group, member_id=member_id, protocols=[("range", gw.subscription([TOPIC]))])
        if r["error_code"] == gw.ERR_MEMBER_ID_REQUIRED:
            r = conn.join_group(group, member_id=r["member_id"], protocols=[("range", gw.subscription([TOPIC]))])
        self.assertEqual(r["error_code"], 0, r)
        return r

    def test_requests_that_do_not_fit_the_group(self):
        with gw.connect(self.broker) as conn:
            coordinator = conn.find_coordinator(GROUP)
            self.assertEqual((coordinator["error_code"], coordinator["port"]), (0, self.broker.port))

            # Refused before a group exists.
            self.assertEqual(conn.join_group(GROUP, session_timeout_ms=10)["error_code"],
                             gw.ERR_INVALID_SESSION_TIMEOUT)
            self.assertEqual(conn.join_group(GROUP, session_timeout_ms=10**9)["error_code"],
                             gw.ERR_INVALID_SESSION_TIMEOUT)
            self.assertEqual(conn.join_group("", protocols=[("range", b"")])["error_code"], gw.ERR_INVALID_GROUP_ID)
            self.assertEqual(conn.join_group(GROUP, protocols=[])["error_code"], gw.ERR_INCONSISTENT_GROUP_PROTOCOL)
            self.assertEqual(conn.join_group(GROUP, member_id="made-up")["error_code"], gw.ERR_UNKNOWN_MEMBER_ID)
            self.assertEqual(conn.heartbeat("nobody-group", 1, "x"), gw.ERR_UNKNOWN_MEMBER_ID)

            joined = self.join_alone(conn)
            member, generation = joined["member_id"], joined["generation_id"]
            synced = conn.sync_group(GROUP, generation, member, {member: gw.assignment({TOPIC: [0]})})
            self.assertEqual(synced["error_code"], 0)

            # Stale generations and unknown members.
            self.assertEqual(conn.heartbeat(GROUP, generation - 1, member), gw.ERR_ILLEGAL_GENERATION)
            self.assertEqual(conn.heartbeat(GROUP, generation + 5, member), gw.ERR_ILLEGAL_GENERATION)
            self.assertEqual(conn.heartbeat(GROUP, generation, "stranger"), gw.ERR_UNKNOWN_MEMBER_ID)
            self.assertEqual(conn.heartbeat(GROUP, generation, member, "not-static"), gw.ERR_UNKNOWN_MEMBER_ID)
            self.assertEqual(conn.sync_group(GROUP, generation - 1, member)["error_code"], gw.ERR_ILLEGAL_GENERATION)
            self.assertEqual(conn.sync_group(GROUP, generation, "stranger")["error_code"], gw.ERR_UNKNOWN_MEMBER_ID)
            self.assertEqual(conn.offset_commit(GROUP, generation - 1, member, {TOPIC: {0: 1}}),
                             {(TOPIC, 0): gw.ERR_ILLEGAL_GENERATION})
            self.assertEqual(conn.offset_commit(GROUP, -1, "", {TOPIC: {0: 1}}),
                             {(TOPIC, 0): gw.ERR_UNKNOWN_MEMBER_ID})  # the group is in use
            self.assertEqual(conn.join_group(GROUP, protocol_type="connect")["error_code"],
                             gw.ERR_INCONSISTENT_GROUP_PROTOCOL)
            self.assertEqual(conn.join_group(GROUP, protocols=[("sticky", b"")])["error_code"],
                             gw.ERR_INCONSISTENT_GROUP_PROTOCOL)
            left = conn.leave_group(GROUP, [("stranger", None), ("", "no-such-instance")])
            self.assertEqual([m[2] for m in left["members"]], [gw.ERR_UNKNOWN_MEMBER_ID] * 2)

            # Commits: unknown topic or partition, metadata over offset.metadata.max.bytes.
            self.assertEqual(conn.offset_commit(GROUP, generation, member, {"no-such-topic": {0: 1}, TOPIC: {5: 1}}),
                             {("no-such-topic", 0): gw.ERR_UNKNOWN_TOPIC_OR_PARTITION,
                              (TOPIC, 5): gw.ERR_UNKNOWN_TOPIC_OR_PARTITION})
            self.assertEqual(conn.offset_commit(GROUP, generation, member, {TOPIC: {0: 3}}, metadata="x" * 4097),
                             {(TOPIC, 0): gw.ERR_OFFSET_METADATA_TOO_LARGE})
            self.assertEqual(conn.offset_commit(GROUP, generation, member, {TOPIC: {0: 3}}, metadata="x" * 4096),
                             {(TOPIC, 0): 0})

            # None of it disturbed the group.
            self.assertEqual(conn.heartbeat(GROUP, generation, member), 0)
            described = conn.describe_groups([GROUP])[GROUP]
            self.assertEqual((described["state"], len(described["members"])), ("Stable", 1))
            self.assertEqual(conn.offset_fetch(GROUP, {TOPIC: [0]})[1][(TOPIC, 0)][0], 3)

    def test_an_assignment_too_large_to_store(self):
        group = GROUP + "-large"
        with gw.connect(self.broker) as conn:
            joined = self.join_alone(conn, group)
            member, generation = joined["member_id"], joined["generation_id"]
            huge = b"\x00" * (2 * 1024 * 1024)
            synced = conn.sync_group(group, generation, member, {member: huge})
            self.assertEqual(synced["error_code"], gw.ERR_UNKNOWN_SERVER_ERROR)
            # The group is intact: it asks for a rebalance, and the member carries on.
            self.assertEqual(conn.heartbeat(group, generation, member), gw.ERR_REBALANCE_IN_PROGRESS)
            rejoined = self.join_alone(conn, group, member_id=member)
            self.assertEqual(rejoined["generation_id"], generation + 1)
            synced = conn.sync_group(group, rejoined["generation_id"], member, {member: gw.assignment({TOPIC: [0]})})
            self.assertEqual(synced["error_code"], 0)
            self.assertEqual(gw.parse_assignment(synced["assignment"]), {TOPIC: [0]})
            self.assertEqual(conn.describe_groups([group])[group]["state"], "Stable")
            self.assertEqual(conn.leave_group(group, [(member, None)])["members"][0][2], 0)
            self.assertEqual(conn.describe_groups([group])[group]["state"], "Empty")

    def test_truncated_group_requests_close_only_their_connection(self):
        for api_key, version in ((gw.API_JOIN_GROUP, 5), (gw.API_SYNC_GROUP, 3), (gw.API_OFFSET_COMMIT, 7),
                                 (gw.API_HEARTBEAT, 3), (gw.API_LEAVE_GROUP, 3), (gw.API_OFFSET_FETCH, 5)):
            with gw.connect(self.broker) as conn:
                body = h.string(GROUP) + h.int32(1000)  # cut off after two fields
                conn.send(h.request(api_key, version, 7, body, header_version=1))
                conn.wait_closed(10)
        with self.broker.connect() as conn:
            self.assertTrue(conn.metadata(1)["brokers"])
        with gw.connect(self.broker) as conn:
            self.assertEqual(conn.list_groups()[0], 0)


if __name__ == "__main__":
    h.main()
