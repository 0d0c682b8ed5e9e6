"""Shutdown and restart: SIGTERM/SIGINT with clients connected stop the broker
cleanly (exit 0, "stopped" in the log, connections closed); a restart on the
same data dir (also after a crash) keeps the cluster id."""

import signal
import socket
import threading
import time
import unittest

import harness as h


def logged_cluster_id(broker):
    broker.wait_for_log("started: cluster ")
    line = [l for l in broker.current_log().splitlines() if "started: cluster " in l][-1]
    return line.split("started: cluster ", 1)[1].split(",", 1)[0].strip()


class ShutdownTest(unittest.TestCase):
    def check_stop(self, broker, signum, conns):
        t0 = time.monotonic()
        broker.stop(timeout=5, signum=signum)
        took = time.monotonic() - t0
        print("    exited 0 after %.2fs" % took)
        log = broker.current_log()
        self.assertIn("received signal %d" % signum, log, log)
        self.assertIn("broker 1 stopped", log, log)
        # The stop line is the last thing the broker says.
        self.assertIn("broker 1 stopped", h.log_lines(log)[-1], log)
        for conn in conns:
            # The broker closed our connections (EOF or reset, nothing else).
            self.assertEqual(conn.wait_closed(2.0), [])
            conn.close()

    def test_sigterm_with_idle_connection(self):
        with h.Broker() as broker:
            conn = broker.connect()
            self.assertEqual(conn.api_versions(3)["error_code"], 0)
            print("  SIGTERM with an idle client connection open -> exit 0 within 5s, "
                  "'broker 1 stopped', connection closed")
            self.check_stop(broker, signal.SIGTERM, [conn])

    def test_sigint_with_connections(self):
        with h.Broker() as broker:
            idle = broker.connect()
            self.assertEqual(idle.metadata(1)["controller_id"], 1)
            fresh = broker.connect()  # connected, never sent anything
            # One with half a request sent: the size says 100 bytes, 10 arrive.
            partial = broker.connect()
            partial.send(h.int32(100) + b"\x00\x12\x00\x00" + b"\x00" * 6)
            time.sleep(0.2)
            print("  SIGINT with an idle, a silent and a half-sent connection -> exit 0 "
                  "within 5s")
            self.check_stop(broker, signal.SIGINT, [idle, fresh, partial])

    def test_sigterm_during_pipelined_requests(self):
        with h.Broker() as broker:
            conn = broker.connect()
            cids = list(range(1, 201))
            data = b"".join(h.api_versions_request(2, c) for c in cids)
            conn.send(data)
            broker.send_signal(signal.SIGTERM)
            print("  SIGTERM right after 200 pipelined requests -> exit 0; every answer "
                  "that arrives is whole and in order")
            try:
                code = broker.proc.wait(5)
            except Exception:
                broker.kill()
                raise AssertionError("broker did not exit within 5s of SIGTERM:\n"
                                     + broker.log())
            self.assertEqual(code, 0, broker.log())
            broker.returncode, broker._stopped = code, True
            frames = conn.wait_closed(2.0)
            conn.close()
            expected = 1
            for f in frames:
                self.assertNotIsInstance(f, tuple, "partial frame before close: %r" % (f,))
                self.assertEqual(int.from_bytes(f[:4], "big"), expected)
                expected += 1
            print("    %d answers before the close" % len(frames))

    def test_shutdown_timeout_with_stuck_client(self):
        # A client that never reads its answers keeps responses in flight; after
        # network.shutdown_timeout_ms the broker closes it anyway and exits 0.
        with h.Broker(["--override", "network.shutdown_timeout_ms=1000"]) as broker:
            conn = broker.connect()
            conn.sock.settimeout(2.0)
            request = h.metadata_request(1, 1, ["t" * 200] * 40)
            try:
                for _ in range(20000):
                    conn.sock.sendall(request)
            except (socket.timeout, OSError):
                pass
            print("  SIGTERM with a client whose answers are stuck (shutdown_timeout_ms=1000) "
                  "-> exit 0 within 5s, the log says the connection was closed on timeout")
            t0 = time.monotonic()
            broker.stop(timeout=5)
            print("    exited 0 after %.2fs" % (time.monotonic() - t0))
            log = broker.current_log()
            self.assertIn("shutdown timeout", log, log)
            self.assertIn("broker 1 stopped", log, log)
            conn.close()

    def test_port_free_after_stop(self):
        with h.Broker() as first:
            port = first.port
        print("  after a clean stop, a new broker binds the same port %d at once" % port)
        with h.Broker(port=port) as second:
            with second.connect() as conn:
                self.assertEqual(conn.metadata(1)["brokers"][0]["port"], port)

    def test_stop_while_clients_connect(self):
        # Connections accepted around the signal must be drained like the others:
        # the broker may not wait for network.shutdown_timeout_ms (30 s) on them.
        with h.Broker() as broker:
            stop = threading.Event()
            conns = []

            def keep_connecting():
                while not stop.is_set():
                    try:
                        c = h.KafkaConnection("127.0.0.1", broker.port, timeout=2)
                        conns.append(c)
                        c.send(h.api_versions_request(0, 1))
                    except OSError:
                        pass

            threads = [threading.Thread(target=keep_connecting) for _ in range(4)]
            for thread in threads:
                thread.start()
            try:
                time.sleep(0.3)
                print("  SIGTERM while 4 clients keep opening connections and sending "
                      "ApiVersions -> exit 0 within 5s")
                self.check_stop(broker, signal.SIGTERM, [])
            finally:
                stop.set()
                for thread in threads:
                    thread.join()
                print("    %d connections were opened" % len(conns))
                for c in conns:
                    c.close()
            with self.assertRaises(OSError):
                socket.create_connection(("127.0.0.1", broker.port), timeout=1).close()


class RestartTest(unittest.TestCase):
    def test_cluster_id_survives_restarts(self):
        broker = h.Broker()
        try:
            ids = []
            for round_ in range(3):
                broker.start()
                with broker.connect() as conn:
                    md = conn.metadata(2)
                    md12 = conn.metadata(12)
                print("  start %d on %s: cluster id %s" % (round_ + 1, broker.data_dir,
                                                          md["cluster_id"]))
                self.assertTrue(md["cluster_id"])
                self.assertEqual(md["cluster_id"], md12["cluster_id"])
                self.assertEqual(md["cluster_id"], logged_cluster_id(broker))
                ids.append(md["cluster_id"])
                broker.stop()
            self.assertEqual(len(set(ids)), 1, "cluster id changed across restarts: %r" % ids)

            print("  after SIGKILL: restart on the same dir -> same cluster id")
            broker.start()
            broker.proc.kill()
            broker.proc.wait(5)
            broker.start()
            with broker.connect() as conn:
                self.assertEqual(conn.metadata(2)["cluster_id"], ids[0])
            broker.stop()
        finally:
            broker.cleanup()

    def test_fresh_data_dirs_get_new_cluster_ids(self):
        with h.Broker() as a, h.Broker() as b:
            with a.connect() as ca, b.connect() as cb:
                id_a, id_b = ca.metadata(2)["cluster_id"], cb.metadata(2)["cluster_id"]
        print("  two fresh data dirs: cluster ids %s and %s differ" % (id_a, id_b))
        self.assertNotEqual(id_a, id_b)


if __name__ == "__main__":
    h.main()
