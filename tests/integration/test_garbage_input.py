"""Malformed input closes the offending connection (or gets an error answer),
never hangs it, and never disturbs anyone else: after every case a connection
opened before it and a brand-new one still get ApiVersions answers, and at the
end the broker is alive and exits 0 on SIGTERM."""

import random
import re
import socket
import time
import unittest

import harness as h

MAX_REQUEST_BYTES = 2048
CLOSE_TIMEOUT = 5.0


def header_v1(api_key, version, cid, client_id="garbage-test"):
    return h.int16(api_key) + h.int16(version) + h.int32(cid) + h.string(client_id)


# (name, bytes sent) for input after which the broker must close the connection.
# Frames received before the close may only be valid answers to earlier
# well-formed requests in the same send (none here).
CLOSE_CASES = [
    ("size 0x7fffffff", h.int32(0x7FFFFFFF) + b"\x00" * 64),
    ("size -1", b"\xff\xff\xff\xff" + b"\x00" * 64),
    ("size -2147483648", b"\x80\x00\x00\x00" + b"\x00" * 64),
    ("size 0", h.int32(0)),
    ("size 0 followed by a valid request", h.int32(0) + h.api_versions_request(0, 1)),
    ("size 3", h.int32(3) + b"abc"),
    ("size 7 (one short of api key+version+correlation id)",
     h.int32(7) + h.int16(18) + h.int16(0) + b"\x00\x00\x00"),
    ("size max_request_bytes+1 (%d)" % (MAX_REQUEST_BYTES + 1),
     h.int32(MAX_REQUEST_BYTES + 1) + b"\x00" * 200),
    ("size 1 MiB (above max_request_bytes)", h.int32(1 << 20) + b"\x00" * 200),
    ("truncated header: ApiVersions v1 without client id (size 8)",
     h.frame(h.int16(18) + h.int16(1) + h.int32(11))),
    ("truncated header: ApiVersions v1 with half a client id length",
     h.frame(h.int16(18) + h.int16(1) + h.int32(12) + b"\x00")),
    ("truncated header: ApiVersions v3 header v2 without the tag section",
     h.frame(header_v1(18, 3, 13))),
    ("truncated header: Metadata v1 in an 8-byte frame (no client id)",
     h.frame(h.int16(3) + h.int16(1) + h.int16(0) + b"\x00\x05")),
    ("client id length 30000 in a 20-byte frame",
     h.frame(h.int16(18) + h.int16(1) + h.int32(14) + h.int16(30000) + b"abcdefghij")),
    ("client id length -2",
     h.frame(h.int16(18) + h.int16(1) + h.int32(15) + h.int16(-2) + b"abcd")),
    ("header v2 tag section with a 6-byte varint",
     h.frame(header_v1(18, 3, 16) + b"\xff\xff\xff\xff\xff\x01" + h.api_versions_body(3))),
    ("header v2 tag claiming 1000 bytes",
     h.frame(header_v1(18, 3, 17) + b"\x01\x00\xe8\x07" + b"zz")),
    ("ApiVersions v3 software name length 1000 with 3 bytes",
     h.frame(header_v1(18, 3, 18) + h.EMPTY_TAGS + h.uvarint(1001) + b"abc")),
    ("ApiVersions v3 with no body", h.frame(header_v1(18, 3, 19) + h.EMPTY_TAGS)),
    ("Metadata v1 with no body", h.frame(header_v1(3, 1, 20))),
    ("Metadata v0 with no body", h.frame(header_v1(3, 0, 21))),
    ("Metadata v12 with no body", h.frame(header_v1(3, 12, 22) + h.EMPTY_TAGS)),
    ("Metadata v1 claiming 0x7fffffff topics",
     h.frame(header_v1(3, 1, 23) + h.int32(0x7FFFFFFF) + h.string("t"))),
    ("Metadata v1 claiming 3 topics, sending 1",
     h.frame(header_v1(3, 1, 24) + h.int32(3) + h.string("t"))),
    ("Metadata v1 topic name length 500 with 4 bytes",
     h.frame(header_v1(3, 1, 25) + h.int32(1) + h.int16(500) + b"abcd")),
    ("Metadata v1 topics count -2",
     h.frame(header_v1(3, 1, 26) + h.int32(-2))),
    ("Metadata v9 compact array claiming 100000 topics",
     h.frame(header_v1(3, 9, 27) + h.EMPTY_TAGS + h.uvarint(100001) + b"\x02t")),
    ("unknown API key 12345", h.frame(header_v1(12345, 0, 28))),
    ("unknown API key -1", h.frame(header_v1(-1, 0, 29))),
    ("API key 1000 (no such API)",
     h.frame(header_v1(1000, 0, 30) + b"\x00" * 40)),
    ("Fetch v3 claiming 1000 topics",
     h.frame(header_v1(1, 3, 31) + h.int32(-1) + h.int32(0) + h.int32(0) + h.int32(0) + h.int32(1000))),
    ("Produce v2 with a topic count that lies",
     h.frame(header_v1(0, 2, 32) + h.int16(1) + h.int32(1000) + h.int32(1000))),
    ("Produce v3 with a topic count that lies",
     h.frame(header_v1(0, 3, 36) + h.string(None) + h.int16(1) + h.int32(1000) + h.int32(1000))),
    ("unsupported Metadata v13", h.frame(header_v1(3, 13, 33) + h.EMPTY_TAGS + b"\x01\x00\x00")),
    ("unsupported Metadata v-1", h.frame(header_v1(3, -1, 34) + h.int32(0))),
    ("unsupported Metadata v32767", h.frame(header_v1(3, 32767, 35) + h.int32(0))),
    ("random bytes starting with 0xff",
     b"\xff" + bytes(random.Random(7).getrandbits(8) for _ in range(300))),
    ("HTTP request", b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"),
    ("TLS ClientHello", bytes.fromhex("16030100c4010000c00303") + b"\x00" * 190),
]


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS for pid %d" % pid)


def await_reply_or_close(conn, timeout=CLOSE_TIMEOUT):
    """('closed', frames before the close) or ('reply', first frame) within timeout."""
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError("no reply and no close within %.1fs" % timeout)
        if len(conn._buffer) >= 4:
            size = int.from_bytes(conn._buffer[:4], "big", signed=True)
            if 0 <= size <= len(conn._buffer) - 4:
                reply = conn._buffer[4:4 + size]
                conn._buffer = conn._buffer[4 + size:]
                return "reply", reply
        conn.sock.settimeout(left)
        try:
            chunk = conn.sock.recv(65536)
        except ConnectionResetError:
            return "closed", conn._buffer
        except socket.timeout:
            continue
        if not chunk:
            return "closed", conn._buffer
        conn._buffer += chunk


class GarbageInputTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.broker = h.class_broker(
            cls, ["--override", "network.max_request_bytes=%d" % MAX_REQUEST_BYTES,
                  # random Metadata frames name random topics: keep them unknown
                  "--override", "topics.auto_create=false"])
        # The well-behaved client, connected before any garbage and kept open.
        cls.steady = cls.broker.connect()
        cls.assert_healthy_now(cls.steady, "before any garbage")

    @classmethod
    def tearDownClass(cls):
        if not cls.broker.alive():
            raise AssertionError("broker died:\n" + cls.broker.log())
        cls.assert_healthy_now(cls.steady, "at the end")
        print("  broker alive at the end; stopping it with SIGTERM (must exit 0)")
        cls.steady.close()
        cls.broker.__exit__(None, None, None)

    @staticmethod
    def assert_healthy_now(conn, when):
        result = conn.api_versions(1)
        if result["error_code"] != 0 or 18 not in result["apis"]:
            raise AssertionError("ApiVersions %s: %r" % (when, result))

    def assert_everyone_else_fine(self, case):
        self.assertTrue(self.broker.alive(), "broker died after %s.\nlog:\n%s"
                        % (case, self.broker.log()))
        try:
            self.assert_healthy_now(self.steady, "on the first connection after " + case)
        except (AssertionError, OSError) as e:
            self.fail("the connection opened first no longer works after %s: %s\nlog:\n%s"
                      % (case, e, self.broker.log()))
        with self.broker.connect() as fresh:
            self.assert_healthy_now(fresh, "on a new connection after " + case)
            self.assertEqual(fresh.metadata(1)["brokers"][0]["node_id"], 1)

    def test_connection_closed(self):
        for name, data in CLOSE_CASES:
            with self.subTest(case=name):
                print("  %s (%d bytes: %s%s) -> connection closed"
                      % (name, len(data), data[:24].hex(), ".." if len(data) > 24 else ""))
                with self.broker.connect() as conn:
                    try:
                        conn.send(data)
                    except (BrokenPipeError, ConnectionResetError):
                        pass  # closed while we were still writing: fine
                    try:
                        frames = conn.wait_closed(CLOSE_TIMEOUT)
                    except AssertionError as e:
                        self.fail("%s: sent %s: %s\nlog tail:\n%s"
                                  % (name, data[:64].hex(), e,
                                     "\n".join(self.broker.log().splitlines()[-5:])))
                    self.assertEqual(frames, [], "%s: the broker answered %r before closing"
                                     % (name, [f if isinstance(f, tuple) else f.hex()
                                               for f in frames]))
                self.assert_everyone_else_fine(name)

    def test_valid_request_then_garbage(self):
        # Answers to requests before the bad one may still go out (in order), then
        # the connection closes.
        cases = [
            ("unknown API key", h.frame(header_v1(12345, 0, 99))),
            ("Metadata v1 with no body", h.frame(header_v1(3, 1, 99))),
            ("size -1", b"\xff\xff\xff\xff"),
        ]
        for name, garbage in cases:
            with self.subTest(case=name):
                print("  ApiVersions v0 (cid 1) + Metadata v1 (cid 2) + %s in one send "
                      "-> at most the two answers in order, then closed" % name)
                with self.broker.connect() as conn:
                    conn.send(h.api_versions_request(0, 1) + h.metadata_request(1, 2) + garbage)
                    frames = conn.wait_closed(CLOSE_TIMEOUT)
                    self.assertLessEqual(len(frames), 2, frames)
                    for i, f in enumerate(frames):
                        self.assertNotIsInstance(f, tuple, "partial frame %r" % (f,))
                        self.assertEqual(f[:4], h.int32(i + 1), "answer %d: %s" % (i, f.hex()))
                self.assert_everyone_else_fine(name)

    def test_request_at_max_size_is_served(self):
        # A Metadata v1 request of exactly max_request_bytes.
        print("  Metadata v1 of exactly max_request_bytes (%d) -> answered"
              % MAX_REQUEST_BYTES)
        cid = 4711
        names = ["t%03d-" % i + "x" * 195 for i in range(9)]
        # Pad the last name so the frame (size prefix excluded) is exactly the limit.
        short = len(h.metadata_request(1, cid, names + [""])) - 4
        names.append("last-" + "y" * (MAX_REQUEST_BYTES - short - 5))
        data = h.metadata_request(1, cid, names)
        self.assertEqual(len(data), 4 + MAX_REQUEST_BYTES)
        with self.broker.connect() as conn:
            conn.send(data)
            got, r = h.parse_response_header(conn.recv_frame(), 0)
            self.assertEqual(got, cid)
            result = h.parse_metadata(r, 1)
            self.assertEqual(sorted(t["name"] for t in result["topics"]), sorted(names))
            self.assertTrue(all(t["error_code"] == 3 for t in result["topics"]),
                            result["topics"])
        self.assert_everyone_else_fine("a request of max size")

    def test_random_frames(self):
        # Well-framed random content (fixed seed, so failures reproduce): each
        # frame gets a well-formed answer with its correlation id or a close.
        rng = random.Random(20240611)
        outcomes = {"closed": 0, "reply": 0}
        for i in range(90):
            api = rng.choice([3, 18])
            version = rng.randint(0, 12 if api == 3 else 4)
            cid = rng.randint(0, 2**31 - 1)
            if i % 3 == 0:
                # Random from the size prefix on (api key, version, everything).
                size = rng.randint(8, 300)
                payload = bytes(rng.getrandbits(8) for _ in range(size))
            elif i % 3 == 1:
                # A valid header for an API we serve, then a random body.
                payload = h.request_header(api, version, cid) + bytes(
                    rng.getrandbits(8) for _ in range(rng.randint(0, 200)))
            else:
                # A valid request with a few bytes after the header changed.
                if api == 3:
                    valid = h.metadata_request(version, cid, ["topic-a", "b", "c" * 30])[4:]
                else:
                    valid = h.api_versions_request(version, cid)[4:]
                mutable = bytearray(valid)
                start = len(h.request_header(api, version, cid))
                for _ in range(rng.randint(1, 3)):
                    if len(mutable) > start:
                        mutable[rng.randrange(start, len(mutable))] = rng.getrandbits(8)
                payload = bytes(mutable[:rng.randint(start, len(mutable))]
                                if rng.random() < 0.3 else mutable)
            data = h.int32(len(payload)) + payload
            api = int.from_bytes(payload[0:2], "big", signed=True)
            version = int.from_bytes(payload[2:4], "big", signed=True)
            cid = int.from_bytes(payload[4:8], "big", signed=True)
            name = "random frame %d (%s)" % (i, data.hex())
            with self.subTest(case=name), self.broker.connect() as conn:
                conn.send(data)
                kind, what = await_reply_or_close(conn)
                outcomes[kind] += 1
                if kind == "reply":
                    self.assertIn(api, (3, 18), "%s: answered an unknown API: %s"
                                  % (name, what.hex()))
                    self.check_reply(name, api, version, cid, what)
                    # Whatever was answered, the connection still works.
                    self.assert_healthy_now(conn, "after " + name)
                else:
                    self.assertEqual(what, b"", "%s: partial data before close" % name)
            self.assert_everyone_else_fine(name)
        print("  90 random frames: %(closed)d closed, %(reply)d answered" % outcomes)
        self.assertGreater(outcomes["closed"], 0)
        self.assertGreater(outcomes["reply"], 0)

    def check_reply(self, name, api, version, cid, reply):
        """An answer to a mangled request must still be a well-formed response."""
        try:
            if api == 18:
                got, r = h.parse_response_header(reply, 0)
                body_version = version if 0 <= version <= 4 else 0
                result = h.parse_api_versions(r, body_version)
                self.assertIn(result["error_code"], (0, 35, 42), result)
                if version > 4:
                    self.assertEqual(result["error_code"], 35, result)
            else:
                self.assertTrue(0 <= version <= 12, "answered Metadata v%d" % version)
                got, r = h.parse_response_header(reply, h.response_header_version(3, version))
                result = h.parse_metadata(r, version)
                for t in result["topics"]:
                    name_ok = t["name"] and re.fullmatch(r"[A-Za-z0-9._-]{1,249}", t["name"]) \
                        and t["name"] not in (".", "..")
                    self.assertEqual(t["error_code"], 3 if name_ok else 17, t)
        except h.DecodeError as e:
            self.fail("%s: malformed answer %s: %s" % (name, reply.hex(), e))
        self.assertEqual(got, cid, "%s: correlation id" % name)

    def test_client_that_never_reads(self):
        # network.max_inflight_requests_per_connection: "Requests read ahead on
        # one connection before its responses are sent".  A client that sends
        # and never reads must be stopped by TCP backpressure, not buffered in
        # the broker's memory without bound.
        total = 24 * 1024 * 1024
        print("  a client pipelines %d MB of ApiVersions v0 and never reads -> the broker's "
              "memory stays bounded (< 16 MB growth)" % (total >> 20))
        request = h.api_versions_request(0, 1)
        chunk = request * (65536 // len(request))
        before = rss_kib(self.broker.proc.pid)
        sent = 0
        with self.broker.connect() as conn:
            conn.sock.settimeout(3.0)
            try:
                while sent < total:
                    conn.sock.sendall(chunk)
                    sent += len(chunk)
            except socket.timeout:
                pass
            time.sleep(0.5)
            growth = rss_kib(self.broker.proc.pid) - before
            print("    sent %.1f MB (%d requests) before %s; broker RSS grew by %.1f MB"
                  % (sent / 2**20, sent // len(request),
                     "blocking" if sent < total else "the end", growth / 1024))
            self.assertLess(growth, 16 * 1024,
                            "broker RSS grew by %d KiB while a client sent %d requests "
                            "(%d bytes) without reading any answer" % (growth,
                                                                      sent // len(request), sent))
        self.assert_everyone_else_fine("a client that never reads")

    def test_many_connections(self):
        print("  100 concurrent connections each send ApiVersions v2 -> all answered")
        conns = [self.broker.connect() for _ in range(100)]
        try:
            for i, c in enumerate(conns):
                c.send(h.api_versions_request(2, i))
            for i, c in enumerate(conns):
                got, r = h.parse_response_header(c.recv_frame(), 0)
                self.assertEqual(got, i)
                self.assertEqual(h.parse_api_versions(r, 2)["error_code"], 0)
        finally:
            for c in conns:
                c.close()
        self.assert_everyone_else_fine("100 connections")


if __name__ == "__main__":
    h.main()
