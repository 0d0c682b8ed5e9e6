#!/usr/bin/env python3
"""Starts the broker unpacked from the RPM the way brokkr.service does
(Type=notify: NOTIFY_SOCKET set, the packaged config) and checks it:
READY=1 arrives, ApiVersions answers, kcat (when present) produces and
consumes through the packaged plugins, no memory mapping is both writable
and executable (the units set MemoryDenyWriteExecute=yes), and SIGTERM gives
STOPPING=1 and exit code 0.

usage: smoke-test.py BROKKR_BINARY CONFIG SCRATCH_DIR
Only --data-dir and --listen override the packaged config."""

import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import time

READY_TIMEOUT = 60
STOP_TIMEOUT = 60


def fail(message, log_path=None):
    print("FAIL: " + message)
    if log_path and os.path.exists(log_path):
        with open(log_path, errors="replace") as f:
            tail = f.read().splitlines()[-40:]
        print("--- broker log (last lines) ---")
        print("\n".join(tail))
    sys.exit(1)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def api_versions_v0(port):
    """ApiVersions v0 over a raw socket: (error_code, number of APIs)."""
    client_id = b"rpm-smoke"
    body = struct.pack(">hhih", 18, 0, 42, len(client_id)) + client_id
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(struct.pack(">i", len(body)) + body)
        size = struct.unpack(">i", recv_exact(s, 4))[0]
        data = recv_exact(s, size)
    correlation_id, error_code, count = struct.unpack(">ihi", data[:10])
    if correlation_id != 42:
        raise RuntimeError("correlation id %d" % correlation_id)
    return error_code, count


def recv_exact(s, n):
    out = b""
    while len(out) < n:
        chunk = s.recv(n - len(out))
        if not chunk:
            raise RuntimeError("connection closed")
        out += chunk
    return out


def receive_notify(sock, want, proc, log_path, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        sock.settimeout(0.2)
        try:
            message = sock.recv(4096).decode()
        except socket.timeout:
            if proc.poll() is not None and want == "READY=1":
                fail("broker exited with %d before READY=1" % proc.returncode, log_path)
            continue
        print("  notify socket got %r" % message)
        if want in message.split("\n"):
            return
    fail("no %s on NOTIFY_SOCKET within %d s" % (want, timeout), log_path)


def main():
    if len(sys.argv) != 4:
        print(__doc__)
        return 2
    binary, config, scratch = sys.argv[1:]
    os.makedirs(scratch, exist_ok=True)
    data_dir = os.path.join(scratch, "data")
    log_path = os.path.join(scratch, "broker.log")
    notify_path = os.path.join(scratch, "notify.sock")
    port = free_port()

    notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    notify.bind(notify_path)
    env = dict(os.environ, NOTIFY_SOCKET=notify_path)
    command = [binary, "--config", config, "--data-dir", data_dir,
               "--listen", "127.0.0.1:%d" % port]
    print("  starting: " + " ".join(command))
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        receive_notify(notify, "READY=1", proc, log_path, READY_TIMEOUT)

        error_code, count = api_versions_v0(port)
        if error_code != 0 or count < 10:
            fail("ApiVersions: error %d, %d APIs" % (error_code, count), log_path)
        print("  ApiVersions v0: error 0, %d APIs" % count)

        with open("/proc/%d/maps" % proc.pid) as f:
            wx = [line.strip() for line in f if "w" in line.split()[1] and "x" in line.split()[1]]
        if wx:
            fail("writable and executable mappings (MemoryDenyWriteExecute=yes would "
                 "refuse them):\n  " + "\n  ".join(wx), log_path)
        print("  no writable+executable mappings")

        kcat = shutil.which("kcat")
        if kcat:
            broker = "127.0.0.1:%d" % port
            lines = ["rpm-smoke-%d" % i for i in range(5)]
            for codec in ("zstd", "gzip"):
                topic = "rpm-smoke-" + codec
                subprocess.run([kcat, "-P", "-b", broker, "-t", topic, "-z", codec],
                               input=("\n".join(lines) + "\n").encode(), check=True, timeout=60)
                out = subprocess.run([kcat, "-C", "-b", broker, "-t", topic, "-o", "beginning",
                                      "-e", "-q"], capture_output=True, check=True, timeout=60)
                got = out.stdout.decode().splitlines()
                if got != lines:
                    fail("kcat read back %r from %s, wanted %r" % (got, topic, lines), log_path)
                print("  kcat: 5 messages produced (%s) and consumed" % codec)
        else:
            print("  kcat not installed: produce/consume check left out")

        proc.send_signal(signal.SIGTERM)
        receive_notify(notify, "STOPPING=1", proc, log_path, STOP_TIMEOUT)
        try:
            code = proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            fail("broker still running %d s after SIGTERM" % STOP_TIMEOUT, log_path)
        if code != 0:
            fail("broker exited with %d after SIGTERM" % code, log_path)
        print("  SIGTERM: STOPPING=1, exit code 0")
        with open(log_path, errors="replace") as f:
            log_text = f.read()
        for expected in ("started", "stopped"):
            if "broker 1 " + expected not in log_text:
                fail("the log has no 'broker 1 %s' line" % expected, log_path)
        for sub in ("metadata", "logs"):
            if not os.path.isdir(os.path.join(data_dir, sub)):
                fail("no %s/ in the data directory %s" % (sub, data_dir), log_path)
        print("  log lines on stderr (the journal under systemd); data in %s" % data_dir)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        notify.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
