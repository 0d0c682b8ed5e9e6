"""The classic group protocol over raw sockets, for the group tests: requests at
fixed non-flexible versions (JoinGroup v5, SyncGroup v3, Heartbeat v3,
LeaveGroup v3, OffsetCommit v7, OffsetFetch v5, DescribeGroups v4,
ListGroups v2, FindCoordinator v2) and the consumer protocol's subscription
and assignment encodings."""

import random
import struct

import harness as h

API_OFFSET_COMMIT = 8
API_OFFSET_FETCH = 9
API_FIND_COORDINATOR = 10
API_JOIN_GROUP = 11
API_HEARTBEAT = 12
API_LEAVE_GROUP = 13
API_SYNC_GROUP = 14
API_DESCRIBE_GROUPS = 15
API_LIST_GROUPS = 16

ERR_NONE = 0
ERR_UNKNOWN_SERVER_ERROR = -1
ERR_UNKNOWN_TOPIC_OR_PARTITION = 3
ERR_OFFSET_METADATA_TOO_LARGE = 12
ERR_ILLEGAL_GENERATION = 22
ERR_INCONSISTENT_GROUP_PROTOCOL = 23
ERR_INVALID_GROUP_ID = 24
ERR_UNKNOWN_MEMBER_ID = 25
ERR_INVALID_SESSION_TIMEOUT = 26
ERR_REBALANCE_IN_PROGRESS = 27
ERR_MEMBER_ID_REQUIRED = 79
ERR_FENCED_INSTANCE_ID = 82


def nbytes(b):
    """BYTES / NULLABLE_BYTES: int32 length (-1 for null)."""
    return h.int32(-1) if b is None else h.int32(len(b)) + b


def read_bytes(r):
    n = r.int32()
    return None if n < 0 else r.take(n)


def subscription(topics, user_data=None):
    """ConsumerProtocolSubscription v0."""
    return h.int16(0) + h.array(topics, h.string) + nbytes(user_data)


def assignment(partitions, user_data=None):
    """ConsumerProtocolAssignment v0; `partitions`: {topic: [partition, ...]}."""
    def topic(item):
        return h.string(item[0]) + h.array(item[1], h.int32)
    return h.int16(0) + h.array(sorted(partitions.items()), topic) + nbytes(user_data)


def parse_assignment(data):
    """ConsumerProtocolAssignment (any version's v0 prefix) -> {topic: [partitions]}."""
    if not data:
        return {}
    r = h.Reader(data)
    r.int16()
    out = {}
    for _ in range(r.int32()):
        name = r.string()
        out[name] = [r.int32() for _ in range(r.int32())]
    return out


class GroupConnection(h.KafkaConnection):
    """A KafkaConnection that speaks the group APIs (header v1, response header v0)."""

    def request(self, api_key, version, body, timeout=None):
        cid = random.randint(1, 2**31 - 1)
        self.send(h.request(api_key, version, cid, body, header_version=1))
        got, r = h.parse_response_header(self.recv_frame(timeout), 0)
        if got != cid:
            raise AssertionError("API %d: correlation id %d, sent %d" % (api_key, got, cid))
        return r

    def find_coordinator(self, key, key_type=0):
        r = self.request(API_FIND_COORDINATOR, 2, h.string(key) + h.int8(key_type))
        out = {"throttle_time_ms": r.int32(), "error_code": r.int16(), "error_message": r.string(),
               "node_id": r.int32(), "host": r.string(), "port": r.int32()}
        r.expect_end("FindCoordinator v2")
        return out

    def join_group(self, group, member_id="", protocols=None, session_timeout_ms=10000,
                   rebalance_timeout_ms=30000, instance_id=None, protocol_type="consumer",
                   timeout=60.0):
        """JoinGroup v5; `protocols`: [(name, metadata bytes)]. Waits for the (delayed) answer."""
        protocols = protocols if protocols is not None else [("range", subscription(["t"]))]
        body = (h.string(group) + h.int32(session_timeout_ms) + h.int32(rebalance_timeout_ms)
                + h.string(member_id) + h.string(instance_id) + h.string(protocol_type)
                + h.array(protocols, lambda p: h.string(p[0]) + nbytes(p[1])))
        r = self.request(API_JOIN_GROUP, 5, body, timeout)
        out = {"throttle_time_ms": r.int32(), "error_code": r.int16(), "generation_id": r.int32(),
               "protocol_name": r.string(), "leader": r.string(), "member_id": r.string()}
        out["members"] = r.array(lambda rr: {"member_id": rr.string(), "group_instance_id": rr.string(),
                                             "metadata": read_bytes(rr)})
        r.expect_end("JoinGroup v5")
        return out

    def sync_group(self, group, generation, member_id, assignments=None, instance_id=None,
                   timeout=60.0):
        """SyncGroup v3; `assignments`: {member id: bytes} (the leader's)."""
        items = sorted((assignments or {}).items())
        body = (h.string(group) + h.int32(generation) + h.string(member_id) + h.string(instance_id)
                + h.array(items, lambda a: h.string(a[0]) + nbytes(a[1])))
        r = self.request(API_SYNC_GROUP, 3, body, timeout)
        out = {"throttle_time_ms": r.int32(), "error_code": r.int16(), "assignment": read_bytes(r)}
        r.expect_end("SyncGroup v3")
        return out

    def heartbeat(self, group, generation, member_id, instance_id=None):
        body = h.string(group) + h.int32(generation) + h.string(member_id) + h.string(instance_id)
        r = self.request(API_HEARTBEAT, 3, body)
        r.int32()
        error = r.int16()
        r.expect_end("Heartbeat v3")
        return error

    def leave_group(self, group, members):
        """LeaveGroup v3; `members`: [(member id, instance id or None)]."""
        body = h.string(group) + h.array(members, lambda m: h.string(m[0]) + h.string(m[1]))
        r = self.request(API_LEAVE_GROUP, 3, body)
        out = {"throttle_time_ms": r.int32(), "error_code": r.int16()}
        out["members"] = r.array(lambda rr: (rr.string(), rr.string(), rr.int16()))
        r.expect_end("LeaveGroup v3")
        return out

    def offset_commit(self, group, generation, member_id, offsets, metadata="", instance_id=None):
        """OffsetCommit v7; `offsets`: {topic: {partition: offset}} -> {(topic, p): error}."""
        def partition(item):
            return h.int32(item[0]) + h.int64(item[1]) + h.int32(-1) + h.string(metadata)

        def topic(item):
            return h.string(item[0]) + h.array(sorted(item[1].items()), partition)

        body = (h.string(group) + h.int32(generation) + h.string(member_id) + h.string(instance_id)
                + h.array(sorted(offsets.items()), topic))
        r = self.request(API_OFFSET_COMMIT, 7, body)
        r.int32()
        out = {}
        for _ in range(r.int32()):
            name = r.string()
            for _ in range(r.int32()):
                p = r.int32()
                out[(name, p)] = r.int16()
        r.expect_end("OffsetCommit v7")
        return out

    def offset_fetch(self, group, topics=None):
        """OffsetFetch v5; `topics`: {topic: [partitions]} or None for all ->
        (group error, {(topic, p): (offset, metadata, error)})."""
        body = h.string(group) + h.array(
            None if topics is None else sorted(topics.items()),
            lambda t: h.string(t[0]) + h.array(t[1], h.int32))
        r = self.request(API_OFFSET_FETCH, 5, body)
        r.int32()
        out = {}
        for _ in range(r.int32()):
            name = r.string()
            for _ in range(r.int32()):
                p, offset, _epoch, metadata, error = r.int32(), r.int64(), r.int32(), r.string(), r.int16()
                out[(name, p)] = (offset, metadata, error)
        error = r.int16()
        r.expect_end("OffsetFetch v5")
        return error, out

    def describe_groups(self, groups):
        """DescribeGroups v4 -> {group id: dict(error_code, state, protocol_type, protocol, members)}."""
        r = self.request(API_DESCRIBE_GROUPS, 4, h.array(groups, h.string) + h.boolean(False))
        r.int32()
        out = {}
        for _ in range(r.int32()):
            g = {"error_code": r.int16()}
            gid = r.string()
            g["state"], g["protocol_type"], g["protocol"] = r.string(), r.string(), r.string()
            g["members"] = r.array(lambda rr: {
                "member_id": rr.string(), "group_instance_id": rr.string(), "client_id": rr.string(),
                "client_host": rr.string(), "metadata": read_bytes(rr), "assignment": read_bytes(rr)})
            r.int32()  # authorized operations
            out[gid] = g
        r.expect_end("DescribeGroups v4")
        return out

    def list_groups(self):
        r = self.request(API_LIST_GROUPS, 2, b"")
        r.int32()
        error = r.int16()
        groups = r.array(lambda rr: (rr.string(), rr.string()))
        r.expect_end("ListGroups v2")
        return error, dict(groups)


def connect(broker, timeout=30.0):
    return GroupConnection("127.0.0.1", broker.port, timeout=timeout)
