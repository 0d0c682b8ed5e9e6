"""Malformed input closes the offending connection (or gets an error answer),
never hangs it, and never disturbs anyone else: after every case a connection
opened before it and a brand-new one still get ApiVersions answers, and at the
end the broker is alive and exits 0 on SIGTERM."""

import random
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
    ("API key 1 (Fetch, not served)", h.frame(header_v1(1, 4, 30) + b"\x00" * 40)),
    ("unsupported Produce v3 (Produce not served)",
     h.frame(header_v1(0, 3, 31) + h.string(None) + h.int16(1) + h.int32(1000) + h.int32(0))),
    ("unsupported Produce v9",
     h.frame(header_v1(0, 9, 32) + h.EMPTY_TAGS + b"\x00\x00\x01\x00\x00\x03\xe8\x01\x00")),
    ("unsupported Metadata v13", h.frame(header_v1(3, 13, 33) + h.EMPTY_TAGS + b"\x01\x00\x00")),
    ("unsupported Metadata v-1", h.frame(header_v1(3, -1, 34) + h.int32(0))),
    ("unsupported Metadata v32767", h.frame(header_v1(3, 32767, 35) + h.int32(0))),
    ("random bytes starting with 0xff",
     b"\xff" + bytes(random.Random(7).getrandbits(8) for _ in range(300))),
    ("HTTP request", b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"),
    ("TLS ClientHello", bytes.fromhex("16030100c4010000c00303") + b"\x00" * 190),
]


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
        cls.broker = h.Broker(
            ["--override", "network.max_request_bytes=%d" % MAX_REQUEST_BYTES]).__enter__()
        # The well-behaved client, connected before any garbage and kept open.
        cls.steady = cls.broker.connect()
        cls.assert_healthy_now(cls.steady, "before any garbage")

    @classmethod
    def tearDownClass(cls):
        try:
            cls.assert_healthy_now(cls.steady, "at the end")
            if not cls.broker.alive():
                raise AssertionError("broker died:\n" + cls.broker.log())
            print("  broker alive at the end; stopping it with SIGTERM (must exit 0)")
            cls.steady.close()
            cls.broker.__exit__(None, None, None)
        except BaseException:
            cls.broker.cleanup()
            raise

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
        names = []
        size = len(h.request_header(3, 1, cid)) + 4
        while MAX_REQUEST_BYTES - size > 2 + 200:
            names.append("t%03d-" % len(names) + "x" * 195)
            size += 2 + len(names[-1])
        names.append("last-" + "y" * (MAX_REQUEST_BYTES - size - 2 - 5))
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
        for i in range(60):
            size = rng.randint(8, 300)
            body = bytearray(rng.getrandbits(8) for _ in range(size))
            if i % 2 == 0:
                # Aim at the two APIs we serve, in a supported version.
                api = rng.choice([3, 18])
                hi = 12 if api == 3 else 4
                body[0:4] = h.int16(api) + h.int16(rng.randint(0, hi))
            data = h.int32(size) + bytes(body)
            api = int.from_bytes(body[0:2], "big", signed=True)
            version = int.from_bytes(body[2:4], "big", signed=True)
            cid = int.from_bytes(body[4:8], "big", signed=True)
            name = "random frame %d (%s)" % (i, data.hex())
            with self.subTest(case=name), self.broker.connect() as conn:
                conn.send(data)
                kind, what = await_reply_or_close(conn)
                outcomes[kind] += 1
                if kind == "reply":
                    self.assertIn(api, (3, 18), "%s: answered an unknown API: %s"
                                  % (name, what.hex()))
                    got = int.from_bytes(what[:4], "big", signed=True)
                    self.assertEqual(got, cid, "%s: correlation id" % name)
                    # Whatever was answered, the connection still works.
                    self.assert_healthy_now(conn, "after " + name)
                else:
                    self.assertEqual(what, b"", "%s: partial data before close" % name)
            self.assert_everyone_else_fine(name)
        print("  60 random frames: %(closed)d closed, %(reply)d answered" % outcomes)
        self.assertGreater(outcomes["closed"], 0)

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
