"""A KIP-848 consumer group member over raw sockets, for the integration tests
(the project has no client library yet).

* ``heartbeat_body`` / ``parse_heartbeat``: ConsumerGroupHeartbeat (key 68) v0-v1.
* ``describe_body`` / ``parse_describe``: ConsumerGroupDescribe (key 69) v0.
* ``call``: one request with header v2 (both APIs are flexible from v0),
  response header v1.
* ``Member``: an honest member.  It reports the partitions it owns, gives up
  what the broker stops assigning at once and takes what it is given, so
  ``owned`` is what it would consume.
* Topic helpers: create a topic, add partitions, look up topic ids.
"""

import random

import harness as h

API_CONSUMER_GROUP_HEARTBEAT = 68
API_CONSUMER_GROUP_DESCRIBE = 69

ERR_UNKNOWN_SERVER_ERROR = -1
ERR_NONE = 0
ERR_UNKNOWN_MEMBER_ID = 25
ERR_INVALID_REQUEST = 42
ERR_GROUP_ID_NOT_FOUND = 69
ERR_FENCED_MEMBER_EPOCH = 110
ERR_UNRELEASED_INSTANCE_ID = 111
ERR_UNSUPPORTED_ASSIGNOR = 112
ERR_INVALID_REGULAR_EXPRESSION = 128   # Kafka 4.0
ERR_RETRIABLE_COORDINATOR = (14, 15, 16)  # load in progress, not available, not coordinator


def _nullable_strings(items):
    return h.compact_array(items, h.compact_string)


def heartbeat_body(group_id, member_id, member_epoch, instance_id=None, rack_id=None,
                   rebalance_timeout_ms=-1, subscribed_topic_names=None, subscribed_topic_regex=None,
                   server_assignor=None, topic_partitions=None, version=0):
    """ConsumerGroupHeartbeat request body.  `topic_partitions`: None or a list of
    (16-byte topic id, [partitions])."""

    def owned(item):
        topic_id, partitions = item
        return bytes(topic_id) + h.compact_array(list(partitions), h.int32) + h.EMPTY_TAGS

    out = h.compact_string(group_id) + h.compact_string(member_id) + h.int32(member_epoch)
    out += h.compact_string(instance_id) + h.compact_string(rack_id) + h.int32(rebalance_timeout_ms)
    out += _nullable_strings(subscribed_topic_names)
    if version >= 1:
        out += h.compact_string(subscribed_topic_regex)
    out += h.compact_string(server_assignor)
    out += h.compact_array(topic_partitions, owned)
    return out + h.EMPTY_TAGS


def parse_heartbeat(r):
    out = {"throttle_time_ms": r.int32(), "error_code": r.int16(), "error_message": r.compact_string(),
           "member_id": r.compact_string(), "member_epoch": r.int32(),
           "heartbeat_interval_ms": r.int32(), "assignment": None}
    present = r.int8()
    if present >= 0:
        def tps(rr):
            topic_id = rr.uuid()
            partitions = rr.compact_array(lambda r3: r3.int32())
            rr.tagged_fields()
            return topic_id, partitions

        out["assignment"] = r.compact_array(tps)
        r.tagged_fields()
    r.tagged_fields()
    r.expect_end("ConsumerGroupHeartbeat response")
    return out


def describe_body(group_ids, include_authorized_operations=False):
    return (h.compact_array(list(group_ids), h.compact_string) + h.boolean(include_authorized_operations)
            + h.EMPTY_TAGS)


def parse_describe(r):
    def assignment(rr):
        def tps(r3):
            t = {"topic_id": r3.uuid(), "topic_name": r3.compact_string(),
                 "partitions": r3.compact_array(lambda r4: r4.int32())}
            r3.tagged_fields()
            return t

        a = rr.compact_array(tps)
        rr.tagged_fields()
        return {(t["topic_name"], p) for t in a for p in t["partitions"]}

    def member(rr):
        m = {"member_id": rr.compact_string(), "instance_id": rr.compact_string(),
             "rack_id": rr.compact_string(), "member_epoch": rr.int32(),
             "client_id": rr.compact_string(), "client_host": rr.compact_string(),
             "subscribed_topic_names": rr.compact_array(lambda r3: r3.compact_string()),
             "subscribed_topic_regex": rr.compact_string()}
        m["assignment"] = assignment(rr)
        m["target_assignment"] = assignment(rr)
        rr.tagged_fields()
        return m

    def group(rr):
        g = {"error_code": rr.int16(), "error_message": rr.compact_string(),
             "group_id": rr.compact_string(), "group_state": rr.compact_string(),
             "group_epoch": rr.int32(), "assignment_epoch": rr.int32(),
             "assignor_name": rr.compact_string(), "members": rr.compact_array(member),
             "authorized_operations": rr.int32()}
        rr.tagged_fields()
        return g

    throttle = r.int32()
    groups = r.compact_array(group)
    r.tagged_fields()
    r.expect_end("ConsumerGroupDescribe response")
    return {"throttle_time_ms": throttle, "groups": groups}


def call(conn, api_key, version, body, client_id="brokkr-kip848"):
    """One request with header v2; returns a Reader at the response body."""
    correlation_id = random.randint(1, 2**31 - 1)
    conn.send(h.request(api_key, version, correlation_id, body, client_id=client_id, header_version=2))
    cid, r = h.parse_response_header(conn.recv_frame(), 1)
    if cid != correlation_id:
        raise AssertionError("API %d: correlation id %d, sent %d" % (api_key, cid, correlation_id))
    return r


def heartbeat(conn, version=0, **kw):
    return parse_heartbeat(call(conn, API_CONSUMER_GROUP_HEARTBEAT, version,
                                heartbeat_body(version=version, **kw)))


def describe(conn, group_ids, include_authorized_operations=False):
    r = call(conn, API_CONSUMER_GROUP_DESCRIBE, 0, describe_body(group_ids, include_authorized_operations))
    return parse_describe(r)["groups"]


# ---------------------------------------------------------------------------
# Topics


def create_topic(conn, name, partitions):
    r = conn.roundtrip(h.API_CREATE_TOPICS, 4, h.create_topics_body(4, [(name, partitions, 1)]))
    error, message = h.parse_create_topics(r, 4)[name]
    if error not in (0, h.ERR_TOPIC_ALREADY_EXISTS):
        raise AssertionError("CreateTopics %s: error %d %s" % (name, error, message))


def add_partitions(conn, name, total):
    r = conn.roundtrip(h.API_CREATE_PARTITIONS, 1, h.create_partitions_body(1, [(name, total)]))
    error, message = h.parse_create_partitions(r, 1)[name]
    if error != 0:
        raise AssertionError("CreatePartitions %s: error %d %s" % (name, error, message))


def topic_ids(conn, names):
    """{name: 16-byte topic id} from Metadata v12."""
    md = conn.metadata(version=12, topics=list(names))
    return {t["name"]: t["topic_id"] for t in md["topics"] if t["error_code"] == 0}


# ---------------------------------------------------------------------------
# An honest member


class Member:
    def __init__(self, broker, group, topics, member_id, server_assignor=None, rack_id=None,
                 instance_id=None, rebalance_timeout_ms=30000):
        self.conn = broker.connect()
        self.group = group
        self.topics = list(topics)
        self.member_id = member_id
        self.server_assignor = server_assignor
        self.rack_id = rack_id
        self.instance_id = instance_id
        self.rebalance_timeout_ms = rebalance_timeout_ms
        self.epoch = 0
        self.owned = set()            # (topic name, partition) it consumes now
        self.names = {}               # topic id -> name
        self.last = None

    def close(self):
        self.conn.close()

    def _ids(self):
        ids = topic_ids(self.conn, self.topics)
        self.names.update({v: k for k, v in ids.items()})
        return ids

    def _name(self, topic_id):
        if topic_id not in self.names:
            self._ids()
        return self.names.get(topic_id, "?")

    def owned_field(self):
        ids = {v: k for k, v in self.names.items()}
        by_topic = {}
        for topic, p in sorted(self.owned):
            by_topic.setdefault(ids[topic], []).append(p)
        return sorted(by_topic.items())

    def request(self, epoch=None, full=False):
        epoch = self.epoch if epoch is None else epoch
        first = epoch == 0 or full
        return dict(group_id=self.group, member_id=self.member_id, member_epoch=epoch,
                    instance_id=self.instance_id, rack_id=self.rack_id if first else None,
                    rebalance_timeout_ms=self.rebalance_timeout_ms if first else -1,
                    subscribed_topic_names=self.topics if first else None,
                    server_assignor=self.server_assignor if first else None,
                    topic_partitions=self.owned_field())

    def heartbeat(self, **overrides):
        """One heartbeat; applies the answer; returns the parsed response."""
        kw = self.request()
        kw.update(overrides)
        resp = heartbeat(self.conn, **kw)
        self.last = resp
        if resp["error_code"] == ERR_NONE:
            self.epoch = resp["member_epoch"]
            if resp["assignment"] is not None:
                self.owned = {(self._name(tid), p) for tid, ps in resp["assignment"] for p in ps}
        return resp

    def leave(self):
        return heartbeat(self.conn, group_id=self.group, member_id=self.member_id, member_epoch=-1,
                         instance_id=self.instance_id)
