"""Shared helpers for Brokkr's integration tests.

Every test script is run as

    /usr/bin/python3 tests/integration/<script>.py <path-to-brokkr> [<build dir>]

and uses unittest.  This module provides:

* ``main()``: reads the two positional arguments, then runs unittest.
* ``Broker``: starts one broker process on a free loopback port with its own
  temporary data directory, captures its stderr (the log) to a file, waits
  until the port accepts connections, and stops it with SIGTERM, checking the
  exit code.  It is a context manager; every broker started is also killed at
  interpreter exit, whatever happened.
* Raw Kafka protocol helpers built on ``struct``: frames, request headers v1
  and v2, ApiVersions and Metadata requests and response parsers, and a
  ``KafkaConnection`` that sends frames and reads them back.
"""

import atexit
import os
import random
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import unittest

# ---------------------------------------------------------------------------
# Command line

BROKKR = None      # path to the broker binary
BUILD_DIR = None   # the build directory (may be None)


def main():
    """Takes <brokkr> [<build dir>] off the command line and runs unittest."""
    global BROKKR, BUILD_DIR
    args = sys.argv[1:]
    if not args or args[0].startswith("-"):
        sys.stderr.write("usage: %s <path-to-brokkr> [<build dir>] [unittest options]\n"
                         % sys.argv[0])
        sys.exit(2)
    BROKKR = os.path.abspath(args.pop(0))
    if args and not args[0].startswith("-"):
        BUILD_DIR = os.path.abspath(args.pop(0))
    if not os.access(BROKKR, os.X_OK):
        sys.stderr.write("broker binary %s is not executable\n" % BROKKR)
        sys.exit(2)
    print("broker binary: %s" % BROKKR)
    if BUILD_DIR:
        print("build dir:     %s" % BUILD_DIR)
    sys.stdout.flush()
    unittest.main(argv=[sys.argv[0]] + args, verbosity=2)


def repo_root():
    return os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


# ---------------------------------------------------------------------------
# Ports and processes


def free_port():
    """A TCP port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_accepts(port, host="127.0.0.1", timeout=0.5):
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


_live_processes = set()


def _kill_leftovers():
    for proc in list(_live_processes):
        if proc.poll() is None:
            proc.kill()
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                pass


atexit.register(_kill_leftovers)


def run_brokkr(args, timeout=20, cwd=None):
    """Runs the broker to completion (for startup errors, --version and the like).

    Returns (exit code, stdout text, stderr text).  A broker that is still
    running after `timeout` seconds is killed and the test fails."""
    proc = subprocess.Popen([BROKKR] + list(args), stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd)
    _live_processes.add(proc)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        raise AssertionError("brokkr %s did not exit within %ss (it should have failed).\n"
                             "stdout:\n%s\nstderr:\n%s"
                             % (" ".join(args), timeout, out.decode(errors="replace"),
                                err.decode(errors="replace")))
    finally:
        _live_processes.discard(proc)
    return proc.returncode, out.decode(errors="replace"), err.decode(errors="replace")


class BrokerError(AssertionError):
    pass


class Broker:
    """One broker process.

        with Broker(["--node-id", "2"]) as broker:
            conn = broker.connect()
            ...

    The broker listens on 127.0.0.1:<free port> (``broker.port``) with data in
    ``broker.data_dir`` (a fresh temporary directory unless given).  Leaving
    the ``with`` block normally stops it with SIGTERM and fails unless it
    exits 0 in time; leaving it with an exception kills it.  The temporary
    directory is removed either way (set BROKKR_IT_KEEP=1 to keep it)."""

    def __init__(self, extra_args=(), data_dir=None, port=None, listen_host="127.0.0.1",
                 binary=None, start_timeout=20.0):
        self.binary = binary or BROKKR
        self.extra_args = list(extra_args)
        self.workdir = tempfile.mkdtemp(prefix="brokkr-it-")
        self.data_dir = data_dir or os.path.join(self.workdir, "data")
        self.log_path = os.path.join(self.workdir, "broker.log")
        self._fixed_port = port
        self.port = port
        self.listen_host = listen_host
        self.start_timeout = start_timeout
        self.proc = None
        self.returncode = None
        self._stopped = False
        self._log_file = None
        self._log_offset = 0

    # -- lifecycle --

    def command(self):
        return [self.binary, "--data-dir", self.data_dir,
                "--listen", "%s:%d" % (self.listen_host, self.port)] + self.extra_args

    def start(self):
        # A free port can be taken by a test running in parallel between our
        # check and the broker's bind: pick another and retry then.
        for attempt in range(5):
            if self._fixed_port is None:
                self.port = free_port()
            self._spawn()
            try:
                self._wait_until_accepting()
                return self
            except BrokerError:
                if (self._fixed_port is None and self.proc.poll() is not None
                        and "Address already in use" in self.current_log() and attempt < 4):
                    continue
                self.kill()
                raise
        raise BrokerError("unreachable")

    def _spawn(self):
        if self._log_file:
            self._log_file.close()
        self._log_file = open(self.log_path, "ab")
        self._log_file.write(("=== %s\n" % " ".join(self.command())).encode())
        self._log_file.flush()
        self._log_offset = self._log_file.tell()
        self.proc = subprocess.Popen(self.command(), stdin=subprocess.DEVNULL,
                                     stdout=self._log_file, stderr=self._log_file,
                                     cwd=self.workdir)
        _live_processes.add(self.proc)
        self.returncode = None
        self._stopped = False

    def _wait_until_accepting(self):
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise BrokerError("broker exited with code %d before accepting on port %d.\n"
                                  "log:\n%s" % (self.proc.returncode, self.port, self.log()))
            if port_accepts(self.port):
                return
            time.sleep(0.05)
        raise BrokerError("broker did not accept connections on port %d within %.0fs.\nlog:\n%s"
                          % (self.port, self.start_timeout, self.log()))

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def send_signal(self, signum):
        self.proc.send_signal(signum)

    def stop(self, timeout=10.0, signum=signal.SIGTERM, expect_code=0):
        """Sends SIGTERM and waits; fails unless the exit code is `expect_code`."""
        if self.proc is None or self._stopped:
            return self.returncode
        if self.proc.poll() is not None:
            code = self.proc.returncode
            _live_processes.discard(self.proc)
            raise BrokerError("broker had already exited with code %d before it was stopped.\n"
                              "log:\n%s" % (code, self.log()))
        self.proc.send_signal(signum)
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise BrokerError("broker did not exit within %.0fs of signal %d.\nlog:\n%s"
                              % (timeout, signum, self.log()))
        _live_processes.discard(self.proc)
        self.returncode = code
        self._stopped = True
        if expect_code is not None and code != expect_code:
            raise BrokerError("broker exited with code %d after signal %d, expected %d.\nlog:\n%s"
                              % (code, signum, expect_code, self.log()))
        return code

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                pass
        if self.proc is not None:
            _live_processes.discard(self.proc)

    def cleanup(self):
        self.kill()
        if self._log_file:
            self._log_file.close()
            self._log_file = None
        if os.environ.get("BROKKR_IT_KEEP"):
            print("keeping %s" % self.workdir)
        else:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self):
        try:
            return self.start()
        except BaseException:
            self.cleanup()
            raise

    def __exit__(self, exc_type, exc, tb):
        try:
            if exc_type is None:
                self.stop()
        finally:
            self.cleanup()
        return False

    # -- log --

    def log(self):
        """Everything the broker wrote (stderr and stdout), across restarts."""
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode(errors="replace")
        except OSError:
            return ""

    def current_log(self):
        """What the current process wrote."""
        try:
            with open(self.log_path, "rb") as f:
                f.seek(self._log_offset)
                return f.read().decode(errors="replace")
        except OSError:
            return ""

    def wait_for_log(self, text, timeout=10.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.current_log():
                return
            time.sleep(0.05)
        raise BrokerError("broker log has no %r after %.0fs.\nlog:\n%s"
                          % (text, timeout, self.log()))

    # -- clients --

    @property
    def address(self):
        return "127.0.0.1:%d" % self.port

    def connect(self, timeout=10.0):
        return KafkaConnection("127.0.0.1", self.port, timeout=timeout)


def class_broker(test_class, extra_args=(), **kw):
    """Starts a broker for a whole TestCase class (call from setUpClass).

    tearDownClass should call ``broker.__exit__(None, None, None)`` to stop it
    and check its exit code; the temporary directory is removed and the
    process killed in any case, even when setUpClass fails later on."""
    broker = Broker(extra_args, **kw).__enter__()
    test_class.addClassCleanup(broker.cleanup)
    return broker


class BrokerTestCase(unittest.TestCase):
    """A TestCase with one broker (``cls.broker``) for the whole class, started
    with ``BROKER_ARGS``; stopped at the end, failing unless it exits 0."""

    BROKER_ARGS = ()

    @classmethod
    def setUpClass(cls):
        cls.broker = class_broker(cls, list(cls.BROKER_ARGS))

    @classmethod
    def tearDownClass(cls):
        cls.broker.__exit__(None, None, None)


# ---------------------------------------------------------------------------
# Encoding


def int8(v): return struct.pack(">b", v)
def int16(v): return struct.pack(">h", v)
def int32(v): return struct.pack(">i", v)
def int64(v): return struct.pack(">q", v)
def boolean(v): return b"\x01" if v else b"\x00"


def uvarint(v):
    out = bytearray()
    while True:
        b = v & 0x7F
        v >>= 7
        if v:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def string(s):
    """STRING / NULLABLE_STRING: int16 length (-1 for null) and UTF-8 bytes."""
    if s is None:
        return int16(-1)
    data = s.encode() if isinstance(s, str) else s
    return int16(len(data)) + data


def compact_string(s):
    """COMPACT_(NULLABLE_)STRING: unsigned varint length+1 (0 for null)."""
    if s is None:
        return uvarint(0)
    data = s.encode() if isinstance(s, str) else s
    return uvarint(len(data) + 1) + data


def array(items, encode_item):
    """ARRAY: int32 count (-1 for null)."""
    if items is None:
        return int32(-1)
    return int32(len(items)) + b"".join(encode_item(i) for i in items)


def compact_array(items, encode_item):
    if items is None:
        return uvarint(0)
    return uvarint(len(items) + 1) + b"".join(encode_item(i) for i in items)


EMPTY_TAGS = b"\x00"


def frame(payload):
    """A size-prefixed frame."""
    return int32(len(payload)) + payload


# API keys and the request header version Kafka uses for each request version.
API_PRODUCE = 0
API_FETCH = 1
API_LIST_OFFSETS = 2
API_METADATA = 3
API_VERSIONS = 18
API_CREATE_TOPICS = 19
API_DELETE_TOPICS = 20
API_DELETE_RECORDS = 21
API_OFFSET_FOR_LEADER_EPOCH = 23
API_DESCRIBE_CONFIGS = 32
API_CREATE_PARTITIONS = 37

# The first flexible version of each API (request header v2 / response header
# v1 from there on).
FIRST_FLEXIBLE_VERSION = {
    API_PRODUCE: 9,
    API_FETCH: 12,
    API_LIST_OFFSETS: 6,
    API_METADATA: 9,
    API_VERSIONS: 3,
    API_CREATE_TOPICS: 5,
    API_DELETE_TOPICS: 4,
    API_DELETE_RECORDS: 2,
    API_OFFSET_FOR_LEADER_EPOCH: 4,
    API_DESCRIBE_CONFIGS: 4,
    API_CREATE_PARTITIONS: 2,
}


def request_header_version(api_key, version):
    if api_key not in FIRST_FLEXIBLE_VERSION:
        raise ValueError("unknown API %d" % api_key)
    return 2 if version >= FIRST_FLEXIBLE_VERSION[api_key] else 1


def response_header_version(api_key, version):
    # ApiVersions responses always use header v0 (so any client can read them).
    if api_key == API_VERSIONS:
        return 0
    if api_key not in FIRST_FLEXIBLE_VERSION:
        raise ValueError("unknown API %d" % api_key)
    return 1 if version >= FIRST_FLEXIBLE_VERSION[api_key] else 0


def request_header(api_key, version, correlation_id, client_id="brokkr-it", header_version=None):
    """Request header v1 (api key, version, correlation id, client id) or v2 (plus tags)."""
    if header_version is None:
        header_version = request_header_version(api_key, version)
    out = int16(api_key) + int16(version) + int32(correlation_id)
    if header_version >= 1:
        out += string(client_id)
    if header_version >= 2:
        out += EMPTY_TAGS
    return out


def request(api_key, version, correlation_id, body=b"", client_id="brokkr-it",
            header_version=None):
    """A complete request frame."""
    return frame(request_header(api_key, version, correlation_id, client_id, header_version)
                 + body)


def api_versions_body(version, software_name="brokkr-it", software_version="1.0"):
    if version >= 3:
        return compact_string(software_name) + compact_string(software_version) + EMPTY_TAGS
    return b""


def api_versions_request(version, correlation_id, **kw):
    software = {k: kw.pop(k) for k in ("software_name", "software_version") if k in kw}
    return request(API_VERSIONS, version, correlation_id, api_versions_body(version, **software),
                   **kw)


def metadata_body(version, topics=None, allow_auto_topic_creation=False,
                  include_cluster_ops=False, include_topic_ops=False):
    """Metadata request body.  `topics` None asks for every topic (v0: empty list)."""
    flexible = version >= 9
    if version == 0 and topics is None:
        topics = []

    def topic(name):
        out = b""
        if version >= 10:
            out += b"\x00" * 16  # topic id: zero means "by name"
        out += compact_string(name) if flexible else string(name)
        if flexible:
            out += EMPTY_TAGS
        return out

    out = compact_array(topics, topic) if flexible else array(topics, topic)
    if version >= 4:
        out += boolean(allow_auto_topic_creation)
    if 8 <= version <= 10:
        out += boolean(include_cluster_ops)
    if version >= 8:
        out += boolean(include_topic_ops)
    if flexible:
        out += EMPTY_TAGS
    return out


def metadata_request(version, correlation_id, topics=None, allow_auto_topic_creation=False, **kw):
    return request(API_METADATA, version, correlation_id,
                   metadata_body(version, topics, allow_auto_topic_creation), **kw)


# ---------------------------------------------------------------------------
# Decoding


class DecodeError(AssertionError):
    pass


class Reader:
    def __init__(self, data):
        self.data = bytes(data)
        self.pos = 0

    def remaining(self):
        return len(self.data) - self.pos

    def take(self, n):
        if n < 0 or self.pos + n > len(self.data):
            raise DecodeError("truncated: need %d bytes at offset %d of %d: %s"
                              % (n, self.pos, len(self.data), self.data.hex()))
        out = self.data[self.pos:self.pos + n]
        self.pos += n
        return out

    def int8(self): return struct.unpack(">b", self.take(1))[0]
    def int16(self): return struct.unpack(">h", self.take(2))[0]
    def int32(self): return struct.unpack(">i", self.take(4))[0]
    def int64(self): return struct.unpack(">q", self.take(8))[0]
    def boolean(self): return self.int8() != 0
    def uuid(self): return self.take(16)

    def uvarint(self):
        value = 0
        for i in range(5):
            b = self.take(1)[0]
            value |= (b & 0x7F) << (7 * i)
            if not b & 0x80:
                return value
        raise DecodeError("unsigned varint longer than 5 bytes")

    def string(self):
        n = self.int16()
        if n < 0:
            return None
        return self.take(n).decode(errors="surrogateescape")

    def compact_string(self):
        n = self.uvarint()
        if n == 0:
            return None
        return self.take(n - 1).decode(errors="surrogateescape")

    def array(self, read_item):
        n = self.int32()
        if n < 0:
            return None
        return [read_item(self) for _ in range(n)]

    def compact_array(self, read_item):
        n = self.uvarint()
        if n == 0:
            return None
        return [read_item(self) for _ in range(n - 1)]

    def tagged_fields(self):
        """Reads a tagged-field section; returns {tag: raw bytes}."""
        fields = {}
        for _ in range(self.uvarint()):
            tag = self.uvarint()
            fields[tag] = self.take(self.uvarint())
        return fields

    def expect_end(self, what):
        if self.remaining():
            raise DecodeError("%s: %d unexpected trailing bytes: %s"
                              % (what, self.remaining(), self.data[self.pos:].hex()))


def parse_response_header(data, header_version):
    """Returns (correlation id, Reader positioned at the body)."""
    r = Reader(data)
    correlation_id = r.int32()
    if header_version >= 1:
        r.tagged_fields()
    return correlation_id, r


def parse_api_versions(r, version):
    """ApiVersions response body -> dict(error_code, apis={key: (min, max)}, throttle_time_ms,
    tags)."""
    flexible = version >= 3
    out = {"error_code": r.int16(), "throttle_time_ms": None, "tags": {}}

    def entry(rr):
        key, lo, hi = rr.int16(), rr.int16(), rr.int16()
        if flexible:
            rr.tagged_fields()
        return key, lo, hi

    entries = r.compact_array(entry) if flexible else r.array(entry)
    if entries is None:
        raise DecodeError("ApiVersions response has a null api_keys array")
    keys = [e[0] for e in entries]
    if len(set(keys)) != len(keys):
        raise DecodeError("ApiVersions response lists an API twice: %r" % keys)
    out["apis"] = {k: (lo, hi) for k, lo, hi in entries}
    if version >= 1:
        out["throttle_time_ms"] = r.int32()
    if flexible:
        out["tags"] = r.tagged_fields()
    r.expect_end("ApiVersions v%d response" % version)
    return out


def parse_metadata(r, version):
    """Metadata response body (v0-v12) -> dict."""
    flexible = version >= 9
    s = (lambda rr: rr.compact_string()) if flexible else (lambda rr: rr.string())
    arr = (lambda rr, f: rr.compact_array(f)) if flexible else (lambda rr, f: rr.array(f))
    out = {"throttle_time_ms": None, "cluster_id": None, "controller_id": None,
           "cluster_authorized_operations": None}
    if version >= 3:
        out["throttle_time_ms"] = r.int32()

    def broker(rr):
        b = {"node_id": rr.int32(), "host": s(rr), "port": rr.int32(), "rack": None}
        if version >= 1:
            b["rack"] = s(rr)
        if flexible:
            rr.tagged_fields()
        return b

    out["brokers"] = arr(r, broker)
    if version >= 2:
        out["cluster_id"] = s(r)
    if version >= 1:
        out["controller_id"] = r.int32()

    def partition(rr):
        p = {"error_code": rr.int16(), "partition_index": rr.int32(), "leader_id": rr.int32()}
        if version >= 7:
            p["leader_epoch"] = rr.int32()
        ints = lambda r3: r3.int32()
        p["replica_nodes"] = arr(rr, ints)
        p["isr_nodes"] = arr(rr, ints)
        if version >= 5:
            p["offline_replicas"] = arr(rr, ints)
        if flexible:
            rr.tagged_fields()
        return p

    def topic(rr):
        t = {"error_code": rr.int16(), "name": s(rr)}
        if version >= 10:
            t["topic_id"] = rr.uuid()
        if version >= 1:
            t["is_internal"] = rr.boolean()
        t["partitions"] = arr(rr, partition)
        if version >= 8:
            t["topic_authorized_operations"] = rr.int32()
        if flexible:
            rr.tagged_fields()
        return t

    out["topics"] = arr(r, topic)
    if 8 <= version <= 10:
        out["cluster_authorized_operations"] = r.int32()
    if flexible:
        out["tags"] = r.tagged_fields()
    r.expect_end("Metadata v%d response" % version)
    return out


# ---------------------------------------------------------------------------
# Connections


class ConnectionClosed(AssertionError):
    pass


class KafkaConnection:
    """A blocking client socket speaking size-prefixed frames."""

    def __init__(self, host, port, timeout=10.0):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.timeout = timeout
        self._buffer = b""

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def send(self, data):
        self.sock.sendall(data)

    def _recv_exact(self, n, timeout):
        deadline = time.monotonic() + timeout
        while len(self._buffer) < n:
            left = deadline - time.monotonic()
            if left <= 0:
                raise socket.timeout("timed out after %.1fs waiting for %d bytes (have %d: %s)"
                                     % (timeout, n, len(self._buffer), self._buffer[:64].hex()))
            self.sock.settimeout(left)
            try:
                chunk = self.sock.recv(65536)
            except ConnectionResetError:
                chunk = b""
            if not chunk:
                raise ConnectionClosed("connection closed by the broker while waiting for %d bytes"
                                       " (have %d: %s)" % (n, len(self._buffer),
                                                           self._buffer[:64].hex()))
            self._buffer += chunk
        out, self._buffer = self._buffer[:n], self._buffer[n:]
        return out

    def recv_frame(self, timeout=None):
        """The next response frame's payload (without the size prefix)."""
        timeout = self.timeout if timeout is None else timeout
        size = struct.unpack(">i", self._recv_exact(4, timeout))[0]
        if size < 4 or size > 64 * 1024 * 1024:
            raise DecodeError("response size prefix %d is absurd" % size)
        return self._recv_exact(size, timeout)

    def wait_closed(self, timeout=5.0):
        """Waits until the broker closes the connection.

        Returns the list of response frames received before the close; raises
        if the connection is still open after `timeout` seconds."""
        frames = []
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError("connection still open %.1fs later (no close, no reply%s)"
                                     % (timeout, "" if not frames else
                                        "; got %d frames" % len(frames)))
            self.sock.settimeout(left)
            try:
                chunk = self.sock.recv(65536)
            except ConnectionResetError:
                return frames
            except socket.timeout:
                continue
            if not chunk:
                if self._buffer:
                    frames.append(("partial", self._buffer))
                    self._buffer = b""
                return frames
            self._buffer += chunk
            while len(self._buffer) >= 4:
                size = struct.unpack(">i", self._buffer[:4])[0]
                if len(self._buffer) < 4 + size:
                    break
                frames.append(self._buffer[4:4 + size])
                self._buffer = self._buffer[4 + size:]

    def call(self, frame_bytes, api_key, version, timeout=None):
        """Sends one request and parses the response header; returns (correlation id, Reader)."""
        self.send(frame_bytes)
        data = self.recv_frame(timeout)
        return parse_response_header(data, response_header_version(api_key, version))

    def api_versions(self, version=0, correlation_id=None, **kw):
        """Sends ApiVersions and returns the parsed body; checks the correlation id."""
        if correlation_id is None:
            correlation_id = random.randint(1, 2**31 - 1)
        cid, r = self.call(api_versions_request(version, correlation_id, **kw), API_VERSIONS,
                           version)
        if cid != correlation_id:
            raise AssertionError("ApiVersions v%d: correlation id %d, sent %d"
                                 % (version, cid, correlation_id))
        return parse_api_versions(r, version)

    def metadata(self, version=1, topics=None, correlation_id=None, **kw):
        if correlation_id is None:
            correlation_id = random.randint(1, 2**31 - 1)
        cid, r = self.call(metadata_request(version, correlation_id, topics, **kw), API_METADATA,
                           version)
        if cid != correlation_id:
            raise AssertionError("Metadata v%d: correlation id %d, sent %d"
                                 % (version, cid, correlation_id))
        return parse_metadata(r, version)


    # -- generic round trip and the data-path APIs --

    def roundtrip(self, api_key, version, body, correlation_id=None, timeout=None,
                  client_id="brokkr-it"):
        """Sends one request; returns a Reader at the response body (correlation id checked)."""
        if correlation_id is None:
            correlation_id = random.randint(1, 2**31 - 1)
        cid, r = self.call(request(api_key, version, correlation_id, body, client_id=client_id),
                           api_key, version, timeout)
        if cid != correlation_id:
            raise AssertionError("API %d v%d: correlation id %d, sent %d"
                                 % (api_key, version, cid, correlation_id))
        return r

    def produce(self, topics, acks=-1, version=8, timeout_ms=10000, correlation_id=None,
                transactional_id=None, timeout=None):
        """Produce; `topics` as for produce_body().  Returns the parsed response, or None
        for acks=0 (nothing is read: the broker sends no response)."""
        body = produce_body(version, acks, timeout_ms, topics, transactional_id)
        if acks == 0:
            if correlation_id is None:
                correlation_id = random.randint(1, 2**31 - 1)
            self.send(request(API_PRODUCE, version, correlation_id, body))
            return None
        r = self.roundtrip(API_PRODUCE, version, body, correlation_id, timeout)
        return parse_produce(r, version)

    def fetch(self, topics, version=11, max_wait_ms=0, min_bytes=1, max_bytes=50 * 1024 * 1024,
              isolation_level=0, correlation_id=None, timeout=None, **kw):
        """Sessionless Fetch; `topics` as for fetch_body().  Returns the parsed response."""
        body = fetch_body(version, topics, max_wait_ms=max_wait_ms, min_bytes=min_bytes,
                          max_bytes=max_bytes, isolation_level=isolation_level, **kw)
        if timeout is None:
            timeout = self.timeout + max_wait_ms / 1000.0
        r = self.roundtrip(API_FETCH, version, body, correlation_id, timeout)
        return parse_fetch(r, version)

    def list_offsets(self, topics, version=5, isolation_level=0, correlation_id=None):
        """`topics`: {name: {partition: timestamp}} (-1 latest, -2 earliest, -3 max timestamp).
        Returns {(topic, partition): partition response dict}."""
        body = list_offsets_body(version, topics, isolation_level)
        r = self.roundtrip(API_LIST_OFFSETS, version, body, correlation_id)
        return parse_list_offsets(r, version)

    def create_topics(self, topics, version=4, timeout_ms=30000, validate_only=False,
                      correlation_id=None):
        """`topics`: list of (name, num_partitions, replication_factor, {config: value}).
        Returns {name: (error code, error message)}."""
        body = create_topics_body(version, topics, timeout_ms, validate_only)
        r = self.roundtrip(API_CREATE_TOPICS, version, body, correlation_id,
                           timeout=self.timeout + timeout_ms / 1000.0)
        return parse_create_topics(r, version)

    def create_partitions(self, topics, version=1, timeout_ms=30000, validate_only=False,
                          correlation_id=None):
        """`topics`: list of (name, new total count).  Returns {name: (error code, message)}."""
        body = create_partitions_body(version, topics, timeout_ms, validate_only)
        r = self.roundtrip(API_CREATE_PARTITIONS, version, body, correlation_id,
                           timeout=self.timeout + timeout_ms / 1000.0)
        return parse_create_partitions(r, version)

    def read_partition(self, topic, partition, start=0, end=None, version=11,
                       max_bytes=4 * 1024 * 1024, timeout=30.0):
        """Reads records [start, end) of a partition with sessionless Fetches (end: the
        high watermark).  Returns (records, last fetch's partition response); fails on a
        partition error or when no progress is made for `timeout` seconds."""
        records = []
        offset = start
        deadline = time.monotonic() + timeout
        while True:
            resp = self.fetch({topic: {partition: (offset, max_bytes)}}, version=version)
            p = resp["partitions"][(topic, partition)]
            if p["error_code"] != 0:
                raise AssertionError("Fetch %s-%d at offset %d: error %d"
                                     % (topic, partition, offset, p["error_code"]))
            stop = p["high_watermark"] if end is None else end
            for rec in records_of(p["records"]):
                if offset <= rec.offset < stop:
                    records.append(rec)
                    offset = rec.offset + 1
                    deadline = time.monotonic() + timeout
            if offset >= stop:
                return records, p
            if time.monotonic() > deadline:
                raise AssertionError("Fetch %s-%d: stuck at offset %d (end %d), last response %r"
                                     % (topic, partition, offset, stop,
                                        {k: v for k, v in p.items() if k != "records"}))
            # Offsets can be missing (compacted away): continue after the last batch.
            batches = parse_record_batches(p["records"] or b"")
            if batches and batches[-1]["last_offset"] + 1 > offset:
                offset = batches[-1]["last_offset"] + 1

    def wait_for_topic(self, name, partitions, timeout=15.0):
        """Polls Metadata v1 until `name` has `partitions` partitions, each with a leader."""
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            md = self.metadata(1, topics=[name])
            last = [t for t in md["topics"] if t["name"] == name]
            if (last and last[0]["error_code"] == 0 and len(last[0]["partitions"]) == partitions
                    and all(p["leader_id"] >= 0 and p["error_code"] == 0
                            for p in last[0]["partitions"])):
                return last[0]
            time.sleep(0.05)
        raise AssertionError("topic %r does not have %d partitions with leaders after %.0fs: %r"
                             % (name, partitions, timeout, last))


def log_lines(text):
    return [line for line in text.splitlines() if line.strip()]


# ---------------------------------------------------------------------------
# Record batches (magic 2, uncompressed)


def _crc32c_table():
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    return table


_CRC32C_TABLE = _crc32c_table()


def crc32c(data, crc=0):
    """CRC-32C (Castagnoli), as record batches use."""
    table = _CRC32C_TABLE
    crc ^= 0xFFFFFFFF
    for b in data:
        crc = table[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def varint(v):
    """Signed (zig-zag) varint / varlong."""
    return uvarint((v << 1) ^ (v >> 63))


def _as_bytes(v):
    if v is None or isinstance(v, bytes):
        return v
    return v.encode()


class Record:
    """One record of a batch: offset, timestamp, key, value (bytes or None), headers
    [(name str, value bytes or None)]."""

    __slots__ = ("offset", "timestamp", "key", "value", "headers")

    def __init__(self, offset, timestamp, key, value, headers=()):
        self.offset = offset
        self.timestamp = timestamp
        self.key = key
        self.value = value
        self.headers = list(headers)

    def __repr__(self):
        return "Record(offset=%r, timestamp=%r, key=%r, value=%r, headers=%r)" % (
            self.offset, self.timestamp, self.key,
            self.value if self.value is None or len(self.value) <= 40 else
            self.value[:40] + b"...(%d bytes)" % len(self.value), self.headers)


def encode_record(offset_delta, timestamp_delta, key, value, headers=()):
    key, value = _as_bytes(key), _as_bytes(value)
    body = int8(0) + varint(timestamp_delta) + varint(offset_delta)
    body += varint(-1) if key is None else varint(len(key)) + key
    body += varint(-1) if value is None else varint(len(value)) + value
    body += varint(len(headers))
    for name, hvalue in headers:
        name, hvalue = _as_bytes(name), _as_bytes(hvalue)
        body += varint(len(name)) + name
        body += varint(-1) if hvalue is None else varint(len(hvalue)) + hvalue
    return varint(len(body)) + body


def record_batch(records, base_offset=0, base_timestamp=None, attributes=0,
                 partition_leader_epoch=-1, producer_id=-1, producer_epoch=-1,
                 base_sequence=-1, crc=None, record_count=None, last_offset_delta=None):
    """An uncompressed v2 record batch.

    `records`: (key, value) or (key, value, headers) or (key, value, headers, timestamp)
    tuples.  Timestamps default to `base_timestamp` (default: now).  `crc`,
    `record_count` and `last_offset_delta` override the correct values (to build
    broken batches)."""
    if base_timestamp is None:
        base_timestamp = int(time.time() * 1000)
    encoded = []
    timestamps = []
    for i, rec in enumerate(records):
        key, value = rec[0], rec[1]
        headers = rec[2] if len(rec) > 2 and rec[2] is not None else ()
        ts = rec[3] if len(rec) > 3 and rec[3] is not None else base_timestamp
        timestamps.append(ts)
        encoded.append(encode_record(i, ts - base_timestamp, key, value, headers))
    count = len(encoded) if record_count is None else record_count
    last_delta = len(encoded) - 1 if last_offset_delta is None else last_offset_delta
    max_ts = max(timestamps) if timestamps else base_timestamp
    after_crc = (int16(attributes) + int32(last_delta) + int64(base_timestamp) + int64(max_ts)
                 + int64(producer_id) + int16(producer_epoch) + int32(base_sequence)
                 + int32(count) + b"".join(encoded))
    checksum = crc32c(after_crc) if crc is None else crc
    after_length = int32(partition_leader_epoch) + int8(2) + struct.pack(">I", checksum) + after_crc
    return int64(base_offset) + int32(len(after_length)) + after_length


BATCH_HEADER_SIZE = 61


def parse_record_batches(data, check_crc=True, allow_partial=True):
    """Splits `data` into batches; returns a list of dicts (base_offset, last_offset,
    attributes, crc, crc_ok, base_timestamp, max_timestamp, producer_id, records=[Record]).
    A truncated trailing batch (as Fetch may return) is ignored when `allow_partial`."""
    out = []
    pos = 0
    while pos < len(data):
        if len(data) - pos < 12:
            if allow_partial:
                break
            raise DecodeError("truncated batch header at %d" % pos)
        base_offset, length = struct.unpack(">qi", data[pos:pos + 12])
        if len(data) - pos < 12 + length:
            if allow_partial:
                break
            raise DecodeError("truncated batch at %d: length %d" % (pos, length))
        batch = data[pos:pos + 12 + length]
        pos += 12 + length
        r = Reader(batch)
        b = {"base_offset": r.int64(), "length": r.int32(), "partition_leader_epoch": r.int32(),
             "magic": r.int8()}
        if b["magic"] != 2:
            raise DecodeError("record batch magic %d at offset %d" % (b["magic"], base_offset))
        b["crc"] = struct.unpack(">I", r.take(4))[0]
        b["crc_ok"] = crc32c(batch[21:]) == b["crc"]
        if check_crc and not b["crc_ok"]:
            raise DecodeError("record batch at offset %d: CRC mismatch" % base_offset)
        b["attributes"] = r.int16()
        b["last_offset_delta"] = r.int32()
        b["last_offset"] = base_offset + b["last_offset_delta"]
        b["base_timestamp"] = r.int64()
        b["max_timestamp"] = r.int64()
        b["producer_id"] = r.int64()
        b["producer_epoch"] = r.int16()
        b["base_sequence"] = r.int32()
        count = r.int32()
        b["record_count"] = count
        if b["attributes"] & 0x07:
            raise DecodeError("compressed batch (attributes %#x) at offset %d: not supported here"
                              % (b["attributes"], base_offset))
        log_append_time = bool(b["attributes"] & 0x08)
        b["control"] = bool(b["attributes"] & 0x20)
        records = []
        for _ in range(count):
            length = r.varint()
            rr = Reader(r.take(length))
            rr.int8()
            ts_delta = rr.varint()
            offset_delta = rr.varint()
            klen = rr.varint()
            key = None if klen < 0 else rr.take(klen)
            vlen = rr.varint()
            value = None if vlen < 0 else rr.take(vlen)
            headers = []
            for _ in range(rr.varint()):
                hk = rr.take(rr.varint()).decode(errors="surrogateescape")
                hlen = rr.varint()
                headers.append((hk, None if hlen < 0 else rr.take(hlen)))
            ts = b["max_timestamp"] if log_append_time else b["base_timestamp"] + ts_delta
            records.append(Record(base_offset + offset_delta, ts, key, value, headers))
        r.expect_end("record batch at offset %d" % base_offset)
        b["records"] = records
        out.append(b)
    return out


def records_of(data):
    """All records of the batches in `data` (a Fetch's records field), in order."""
    return [rec for b in parse_record_batches(data or b"") for rec in b["records"]]


def _reader_varint(self):
    raw = self.uvarint_long()
    return (raw >> 1) ^ -(raw & 1)


def _reader_uvarint_long(self):
    value = 0
    for i in range(10):
        b = self.take(1)[0]
        value |= (b & 0x7F) << (7 * i)
        if not b & 0x80:
            return value
    raise DecodeError("varint longer than 10 bytes")


Reader.varint = _reader_varint
Reader.uvarint_long = _reader_uvarint_long


# ---------------------------------------------------------------------------
# Data-path requests and responses


def _flex(api_key, version):
    return version >= FIRST_FLEXIBLE_VERSION[api_key]


def _str(flexible):
    return compact_string if flexible else string


def _arr(flexible):
    return compact_array if flexible else array


def _tags(flexible):
    return EMPTY_TAGS if flexible else b""


def _items(topics):
    return list(topics.items()) if isinstance(topics, dict) else list(topics)


def produce_body(version, acks, timeout_ms, topics, transactional_id=None):
    """Produce request body, v3 and later.  `topics`: {name: {partition: records bytes}}
    (or lists of pairs); records None sends a null records field."""
    flexible = _flex(API_PRODUCE, version)
    s, a, t = _str(flexible), _arr(flexible), _tags(flexible)

    def records_field(data):
        if flexible:
            return uvarint(0) if data is None else uvarint(len(data) + 1) + data
        return int32(-1) if data is None else int32(len(data)) + data

    def partition(item):
        index, data = item
        return int32(index) + records_field(data) + t

    def topic(item):
        name, partitions = item
        return s(name) + a(_items(partitions), partition) + t

    return s(transactional_id) + int16(acks) + int32(timeout_ms) + a(_items(topics), topic) + t


def _read_str(r, flexible):
    return r.compact_string() if flexible else r.string()


def _read_arr(r, flexible, item):
    return r.compact_array(item) if flexible else r.array(item)


def parse_produce(r, version):
    """Produce response -> {"throttle_time_ms", "partitions": {(topic, partition): dict}}."""
    flexible = _flex(API_PRODUCE, version)
    out = {"partitions": {}, "throttle_time_ms": None}

    def record_error(rr):
        e = {"batch_index": rr.int32(), "message": _read_str(rr, flexible)}
        if flexible:
            rr.tagged_fields()
        return e

    def topic(rr):
        name = _read_str(rr, flexible)

        def partition(r3):
            p = {"index": r3.int32(), "error_code": r3.int16(), "base_offset": r3.int64(),
                 "log_append_time_ms": None, "log_start_offset": None, "record_errors": [],
                 "error_message": None}
            if version >= 2:
                p["log_append_time_ms"] = r3.int64()
            if version >= 5:
                p["log_start_offset"] = r3.int64()
            if version >= 8:
                p["record_errors"] = _read_arr(r3, flexible, record_error)
                p["error_message"] = _read_str(r3, flexible)
            if flexible:
                r3.tagged_fields()
            out["partitions"][(name, p["index"])] = p
            return p

        _read_arr(rr, flexible, partition)
        if flexible:
            rr.tagged_fields()
        return name

    _read_arr(r, flexible, topic)
    if version >= 1:
        out["throttle_time_ms"] = r.int32()
    if flexible:
        r.tagged_fields()
    r.expect_end("Produce v%d response" % version)
    return out


def fetch_body(version, topics, max_wait_ms=0, min_bytes=1, max_bytes=50 * 1024 * 1024,
               isolation_level=0, session_id=0, session_epoch=-1, replica_id=-1,
               rack_id=""):
    """Fetch request body, v4-v11 (by topic name).  `topics`: {name: {partition: offset}} or
    {name: {partition: (offset, partition max bytes)}}."""
    if not 4 <= version <= 11:
        raise ValueError("fetch_body supports v4-v11, not v%d" % version)

    def partition(item):
        index, spec = item
        offset, pmax = spec if isinstance(spec, tuple) else (spec, 10 * 1024 * 1024)
        out = int32(index)
        if version >= 9:
            out += int32(-1)  # current leader epoch
        out += int64(offset)
        if version >= 5:
            out += int64(-1)  # log start offset (followers only)
        return out + int32(pmax)

    def topic(item):
        name, partitions = item
        return string(name) + array(_items(partitions), partition)

    out = int32(replica_id) + int32(max_wait_ms) + int32(min_bytes) + int32(max_bytes)
    out += int8(isolation_level)
    if version >= 7:
        out += int32(session_id) + int32(session_epoch)
    out += array(_items(topics), topic)
    if version >= 7:
        out += array([], None)  # forgotten topics
    if version >= 11:
        out += string(rack_id)
    return out


def parse_fetch(r, version):
    """Fetch response (v4-v11) -> {"error_code", "session_id", "partitions":
    {(topic, partition): {error_code, high_watermark, last_stable_offset, log_start_offset,
    aborted_transactions, records (bytes or None)}}}."""
    out = {"throttle_time_ms": r.int32() if version >= 1 else None, "error_code": 0,
           "session_id": 0, "partitions": {}}
    if version >= 7:
        out["error_code"] = r.int16()
        out["session_id"] = r.int32()

    def topic(rr):
        name = rr.string()

        def partition(r3):
            p = {"partition_index": r3.int32(), "error_code": r3.int16(),
                 "high_watermark": r3.int64(), "last_stable_offset": r3.int64(),
                 "log_start_offset": None}
            if version >= 5:
                p["log_start_offset"] = r3.int64()
            p["aborted_transactions"] = r3.array(lambda r4: (r4.int64(), r4.int64()))
            if version >= 11:
                p["preferred_read_replica"] = r3.int32()
            n = r3.int32()
            p["records"] = None if n < 0 else r3.take(n)
            out["partitions"][(name, p["partition_index"])] = p
            return p

        rr.array(partition)
        return name

    r.array(topic)
    r.expect_end("Fetch v%d response" % version)
    return out


LATEST = -1
EARLIEST = -2
MAX_TIMESTAMP = -3


def list_offsets_body(version, topics, isolation_level=0, replica_id=-1):
    """ListOffsets v1-v5.  `topics`: {name: {partition: timestamp}}."""
    if not 1 <= version <= 5:
        raise ValueError("list_offsets_body supports v1-v5, not v%d" % version)

    def partition(item):
        index, ts = item
        out = int32(index)
        if version >= 4:
            out += int32(-1)  # current leader epoch
        return out + int64(ts)

    def topic(item):
        name, partitions = item
        return string(name) + array(_items(partitions), partition)

    out = int32(replica_id)
    if version >= 2:
        out += int8(isolation_level)
    return out + array(_items(topics), topic)


def parse_list_offsets(r, version):
    out = {}
    if version >= 2:
        r.int32()

    def topic(rr):
        name = rr.string()

        def partition(r3):
            p = {"partition_index": r3.int32(), "error_code": r3.int16(), "timestamp": r3.int64(),
                 "offset": r3.int64(), "leader_epoch": None}
            if version >= 4:
                p["leader_epoch"] = r3.int32()
            out[(name, p["partition_index"])] = p
            return p

        rr.array(partition)
        return name

    r.array(topic)
    r.expect_end("ListOffsets v%d response" % version)
    return out


def create_topics_body(version, topics, timeout_ms=30000, validate_only=False):
    """CreateTopics v2-v4.  `topics`: (name, partitions, replication factor[, {config: value}])."""
    if not 2 <= version <= 4:
        raise ValueError("create_topics_body supports v2-v4, not v%d" % version)

    def config(item):
        return string(item[0]) + string(item[1])

    def topic(t):
        name, partitions, rf = t[0], t[1], t[2]
        configs = _items(t[3]) if len(t) > 3 and t[3] else []
        return (string(name) + int32(partitions) + int16(rf) + array([], None)
                + array(configs, config))

    return array(list(topics), topic) + int32(timeout_ms) + boolean(validate_only)


def parse_create_topics(r, version):
    r.int32()  # throttle time
    out = {}

    def topic(rr):
        name = rr.string()
        out[name] = (rr.int16(), rr.string())
        return name

    r.array(topic)
    r.expect_end("CreateTopics v%d response" % version)
    return out


def create_partitions_body(version, topics, timeout_ms=30000, validate_only=False):
    """CreatePartitions v0-v1.  `topics`: (name, new total count) pairs."""
    if not 0 <= version <= 1:
        raise ValueError("create_partitions_body supports v0-v1, not v%d" % version)

    def topic(t):
        return string(t[0]) + int32(t[1]) + int32(-1)  # null assignments

    return array(list(topics), topic) + int32(timeout_ms) + boolean(validate_only)


def parse_create_partitions(r, version):
    r.int32()  # throttle time
    out = {}

    def result(rr):
        name = rr.string()
        out[name] = (rr.int16(), rr.string())
        return name

    r.array(result)
    r.expect_end("CreatePartitions v%d response" % version)
    return out


# Kafka error codes the data-path tests look for.
ERR_NONE = 0
ERR_OFFSET_OUT_OF_RANGE = 1
ERR_CORRUPT_MESSAGE = 2
ERR_UNKNOWN_TOPIC_OR_PARTITION = 3
ERR_MESSAGE_TOO_LARGE = 10
ERR_TOPIC_ALREADY_EXISTS = 36
ERR_INVALID_PARTITIONS = 37
ERR_INVALID_RECORD = 87


def wait_until(predicate, timeout, what, interval=0.1):
    """Polls `predicate` until it returns something true; returns that, or fails with
    `what` (a string or a callable giving one) after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError("timed out after %.0fs: %s"
                                 % (timeout, what() if callable(what) else what))
        time.sleep(interval)


def partition_dir(data_dir, topic, partition):
    """Where the segment plugin keeps a partition's files (default [plugins.segment] dir)."""
    return os.path.join(data_dir, "logs", "%s-%d" % (topic, partition))


def segment_files(data_dir, topic, partition, suffix=".log"):
    """The partition's segment files with `suffix`, sorted by base offset."""
    d = partition_dir(data_dir, topic, partition)
    names = sorted(n for n in os.listdir(d) if n.endswith(suffix) and n[:-len(suffix)].isdigit())
    return [os.path.join(d, n) for n in names]


def stored_batches(data_dir, topic, partition=0):
    """(codec id, record count) of every batch in the partition's segment files."""
    batches = []
    for path in segment_files(data_dir, topic, partition):
        with open(path, "rb") as f:
            data = f.read()
        pos = 0
        while pos + 61 <= len(data):
            (length,) = struct.unpack_from(">i", data, pos + 8)
            if length <= 0:
                break  # preallocated tail
            assert data[pos + 16] == 2, "stored batch magic %d" % data[pos + 16]
            (attributes,) = struct.unpack_from(">h", data, pos + 21)
            (count,) = struct.unpack_from(">i", data, pos + 57)
            batches.append((attributes & 7, count))
            pos += 12 + length
    return batches


def assert_stored_codec(test, data_dir, topic, codec_id, partition=0):
    """Every batch of more than a few records is stored with `codec_id`.
    Clients send a batch uncompressed when compressing would not make it
    smaller (librdkafka does), which happens to a batch of one or two short
    records. Returns the batches."""
    batches = stored_batches(data_dir, topic, partition)
    test.assertTrue(batches, "%s has no batches" % topic)
    wrong = [(c, n) for c, n in batches if c != codec_id and n >= 5]
    test.assertFalse(wrong, "%s: batches (codec id, records) not in codec %d: %s of %s"
                     % (topic, codec_id, wrong, batches))
    test.assertIn(codec_id, [c for c, _ in batches])
    return batches
