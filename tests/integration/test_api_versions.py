"""ApiVersions over raw sockets: every version, the unknown-version fallback,
pipelining and slow (fragmented) requests."""

import unittest

import harness as h

ALL_VERSIONS = (0, 1, 2, 3, 4)


class ApiVersionsTest(unittest.TestCase):
    extra_args = []

    @classmethod
    def setUpClass(cls):
        if cls.extra_args:
            print("\n  (broker started with %s)" % " ".join(cls.extra_args))
        cls.broker = h.class_broker(cls, cls.extra_args)

    @classmethod
    def tearDownClass(cls):
        cls.broker.__exit__(None, None, None)

    def setUp(self):
        self.conn = self.broker.connect()

    def tearDown(self):
        self.conn.close()

    def check_ranges(self, result, what):
        apis = result["apis"]
        self.assertIn(h.API_VERSIONS, apis, "%s: ApiVersions (18) missing from %r" % (what, apis))
        self.assertIn(h.API_METADATA, apis, "%s: Metadata (3) missing from %r" % (what, apis))
        self.assertEqual(apis[h.API_VERSIONS], (0, 4), "%s: ApiVersions range" % what)
        self.assertEqual(apis[h.API_METADATA], (0, 12), "%s: Metadata range" % what)
        for key, (lo, hi) in apis.items():
            self.assertGreaterEqual(key, 0, what)
            self.assertLessEqual(lo, hi, "%s: api %d has min %d > max %d" % (what, key, lo, hi))

    def test_each_version(self):
        for version in ALL_VERSIONS:
            with self.subTest(version=version):
                print("  ApiVersions v%d (request header v%d) -> error 0 with ranges"
                      % (version, h.request_header_version(h.API_VERSIONS, version)))
                result = self.conn.api_versions(version, correlation_id=1000 + version)
                self.assertEqual(result["error_code"], 0, "v%d: %r" % (version, result))
                self.check_ranges(result, "v%d" % version)
                if version >= 1:
                    self.assertEqual(result["throttle_time_ms"], 0)

    def test_flexible_versions_on_fresh_connections(self):
        # What librdkafka and the Java client send first: v3 with their software name.
        for version in (3, 4):
            with self.subTest(version=version), self.broker.connect() as conn:
                print("  ApiVersions v%d first on a new connection, software name/version set"
                      % version)
                result = conn.api_versions(version, correlation_id=7,
                                           software_name="librdkafka",
                                           software_version="2.0.2")
                self.assertEqual(result["error_code"], 0)
                self.check_ranges(result, "v%d" % version)

    def test_response_header_is_v0_for_flexible_request(self):
        print("  ApiVersions v3 response: header v0 (correlation id then the body, no tags)")
        cid = 0x01020304
        self.conn.send(h.api_versions_request(3, cid))
        data = self.conn.recv_frame()
        self.assertEqual(data[:4], b"\x01\x02\x03\x04")
        # A v1 response header would put a tag count (0x00) before the body; the
        # v0 header is followed directly by error_code = 0 (0x0000) and the
        # compact array length of the api list (> 1 since two APIs are listed).
        self.assertEqual(data[4:6], b"\x00\x00", "error code right after correlation id: %s"
                         % data[:16].hex())
        self.assertGreater(data[6], 2, "compact array length right after error code: %s"
                           % data[:16].hex())
        result = h.parse_api_versions(h.Reader(data[4:]), 3)
        self.check_ranges(result, "v3 header check")

    def test_invalid_software_name_v3(self):
        print("  ApiVersions v3 with client software name '-bad name-' -> error 42 "
              "INVALID_REQUEST")
        result = self.conn.api_versions(3, correlation_id=9, software_name="-bad name-",
                                        software_version="1.0")
        self.assertEqual(result["error_code"], 42, result)
        # The connection is still usable.
        self.assertEqual(self.conn.api_versions(3, software_name="ok")["error_code"], 0)

    def test_unknown_version_gets_v0_fallback(self):
        for version in (5, 99, 0x7FFF):
            with self.subTest(version=version), self.broker.connect() as conn:
                print("  ApiVersions v%d (request header v2) -> error 35 UNSUPPORTED_VERSION, "
                      "v0 body, header v0" % version)
                cid = 4242 + version
                conn.send(h.request(h.API_VERSIONS, version, cid,
                                    h.api_versions_body(3), header_version=2))
                data = conn.recv_frame()
                got_cid, r = h.parse_response_header(data, 0)
                self.assertEqual(got_cid, cid)
                try:
                    result = h.parse_api_versions(r, 0)
                except h.DecodeError as e:
                    self.fail("v%d fallback is not a v0 ApiVersions body: %s (frame %s)"
                              % (version, e, data.hex()))
                self.assertEqual(result["error_code"], 35, result)
                self.check_ranges(result, "v%d fallback" % version)
                # After the fallback the client retries with a version we know.
                self.assertEqual(conn.api_versions(3)["error_code"], 0)

    def test_unknown_version_empty_body(self):
        # A probe body we cannot parse must not matter: the version alone decides.
        print("  ApiVersions v99 with header v2 and no body -> error 35 with the api list")
        self.conn.send(h.request(h.API_VERSIONS, 99, 77, b"", header_version=2))
        cid, r = h.parse_response_header(self.conn.recv_frame(), 0)
        self.assertEqual(cid, 77)
        result = h.parse_api_versions(r, 0)
        self.assertEqual(result["error_code"], 35)
        self.check_ranges(result, "v99 empty body")

    def test_null_client_id(self):
        print("  ApiVersions v1 with a null client id -> answered")
        self.conn.send(h.request(h.API_VERSIONS, 1, 5, b"", client_id=None))
        cid, r = h.parse_response_header(self.conn.recv_frame(), 0)
        self.assertEqual(cid, 5)
        self.assertEqual(h.parse_api_versions(r, 1)["error_code"], 0)

    def test_pipelined_requests_in_order(self):
        print("  50 requests (ApiVersions v0-v4 and Metadata v0-v12 mixed) in one send "
              "-> 50 answers in request order")
        requests = []
        data = b""
        for i in range(50):
            cid = 100000 + i * 7
            if i % 3 == 2:
                version = i % 13
                data += h.metadata_request(version, cid)
                requests.append((cid, h.API_METADATA, version))
            else:
                version = i % 5
                data += h.api_versions_request(version, cid)
                requests.append((cid, h.API_VERSIONS, version))
        self.conn.send(data)
        got = []
        for cid, api, version in requests:
            payload = self.conn.recv_frame()
            got_cid, r = h.parse_response_header(payload,
                                                 h.response_header_version(api, version))
            got.append(got_cid)
            self.assertEqual(got_cid, cid, "response %d out of order; so far %r"
                             % (len(got), got))
            if api == h.API_VERSIONS:
                self.assertEqual(h.parse_api_versions(r, version)["error_code"], 0)
            else:
                self.assertEqual(h.parse_metadata(r, version)["brokers"][0]["node_id"], 1)
        self.assertEqual(got, [r[0] for r in requests])

    def test_many_pipelined_batches(self):
        print("  3 x 200 pipelined ApiVersions v2 requests (above the in-flight limit) "
              "-> all answered in order")
        for batch in range(3):
            cids = [batch * 1000 + i for i in range(200)]
            self.conn.send(b"".join(h.api_versions_request(2, c) for c in cids))
            for c in cids:
                got, r = h.parse_response_header(self.conn.recv_frame(), 0)
                self.assertEqual(got, c)
                self.assertEqual(h.parse_api_versions(r, 2)["error_code"], 0)

    def test_fragmented_request(self):
        print("  ApiVersions v3 sent one byte at a time -> answered")
        data = h.api_versions_request(3, 31337)
        for i in range(len(data)):
            self.conn.send(data[i:i + 1])
        cid, r = h.parse_response_header(self.conn.recv_frame(), 0)
        self.assertEqual(cid, 31337)
        self.assertEqual(h.parse_api_versions(r, 3)["error_code"], 0)


class ApiVersionsFourThreadsTest(ApiVersionsTest):
    """The same with four I/O threads: ordering must not depend on one thread."""
    extra_args = ["--override", "network.io_threads=4"]


class ApiVersionsOneInflightTest(ApiVersionsTest):
    """The same reading one request ahead at a time."""
    extra_args = ["--override", "network.max_inflight_requests_per_connection=1"]


if __name__ == "__main__":
    h.main()
