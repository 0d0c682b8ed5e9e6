"""Data survives restarts and crashes, and damaged log tails are cut off.

* SIGTERM, then start again on the same data dir: topics (same ids), every
  record (offsets, keys, values, headers, timestamps) and the offsets are
  there, and new records continue at the end.
* kill -9 while a confluent-kafka producer (acks=1) is writing: after the
  restart every acknowledged record is at its acknowledged offset, offsets
  are dense (no gaps, no duplicates) and the log shows the recovery.
* Garbage appended to the last .log file of a partition (broker stopped), or
  its last batch cut in the middle (after a crash): the broker truncates the
  tail at start, names the partition in its log, and everything before the
  damage is readable; appends continue right after it.
"""

import os
import threading
import time
import unittest

import harness as h

BASE_TS = (int(time.time()) - 3600) * 1000


def produce_raw(conn, topic, partition, batches, per_batch, first=0, size=100, headers=True):
    """Appends `batches` batches of `per_batch` records with raw Produce v8 (acks=-1);
    record n has key k<n>, a value of `size` bytes and timestamp BASE_TS + n
    (an hour ago: old enough to be past, young enough for retention.ms)."""
    n = first
    for _ in range(batches):
        recs = []
        for _ in range(per_batch):
            value = ("%s-%d-%d|" % (topic, partition, n)).encode()
            value += b"v" * max(0, size - len(value))
            recs.append(("k%d" % n, value, [("n", str(n))] if headers else None,
                         BASE_TS + n))
            n += 1
        resp = conn.produce({topic: {partition: h.record_batch(recs)}})
        p = resp["partitions"][(topic, partition)]
        if p["error_code"] != 0 or p["base_offset"] != n - per_batch:
            raise AssertionError("produce to %s-%d: %r (expected base offset %d)"
                                 % (topic, partition, p, n - per_batch))
    return n


def snapshot(conn, topic, partitions):
    out = {}
    for p in range(partitions):
        records, _ = conn.read_partition(topic, p)
        out[p] = [(r.offset, r.timestamp, r.key, r.value, r.headers) for r in records]
    return out


def offsets(conn, topic, partitions):
    latest = conn.list_offsets({topic: {p: h.LATEST for p in range(partitions)}})
    earliest = conn.list_offsets({topic: {p: h.EARLIEST for p in range(partitions)}})
    return {p: (earliest[(topic, p)]["offset"], latest[(topic, p)]["offset"])
            for p in range(partitions)}


def batch_boundaries(path):
    """(start position, base offset, total size) of each batch in a .log file."""
    out = []
    with open(path, "rb") as f:
        data = f.read()
    pos = 0
    while pos + 12 <= len(data):
        base = int.from_bytes(data[pos:pos + 8], "big", signed=True)
        length = int.from_bytes(data[pos + 8:pos + 12], "big", signed=True)
        out.append((pos, base, 12 + length))
        pos += 12 + length
    return out


class DurabilityTest(unittest.TestCase):
    def detail(self, broker, *what):
        return "\n".join(str(w) for w in what) + "\nbroker log:\n" + broker.log()[-8000:]

    def create(self, conn, name, partitions, configs=None):
        result = conn.create_topics([(name, partitions, 1, configs or {})])
        self.assertEqual(result[name][0], h.ERR_NONE, result)
        conn.wait_for_topic(name, partitions)

    def topic_ids(self, conn):
        md = conn.metadata(12)
        return {t["name"]: (t["topic_id"], len(t["partitions"])) for t in md["topics"]}

    def test_clean_restart_keeps_everything(self):
        with h.Broker() as broker:
            with broker.connect() as conn:
                self.create(conn, "durable-a", 3)
                # Small segments: the data spans many segment files.
                self.create(conn, "durable-b", 1, {"segment.bytes": "16384"})
                for p in range(3):
                    produce_raw(conn, "durable-a", p, 20, 25 + p)
                produce_raw(conn, "durable-b", 0, 60, 10, size=300)
                ids = self.topic_ids(conn)
                before = {t: snapshot(conn, t, n) for t, n in (("durable-a", 3), ("durable-b", 1))}
                offs = {t: offsets(conn, t, n) for t, n in (("durable-a", 3), ("durable-b", 1))}
            segments = len(h.segment_files(broker.data_dir, "durable-b", 0))
            print("  2 topics, %d records (durable-b in %d segment files); SIGTERM; start again"
                  % (sum(len(r) for t in before.values() for r in t.values()), segments))
            self.assertGreater(segments, 5, self.detail(broker, "segment.bytes=16384 not applied?"))
            broker.stop()
            self.assertIn("logs marked clean", broker.current_log(), self.detail(broker))

            broker.start()
            self.assertIn("after a clean shutdown", broker.current_log(), self.detail(broker))
            with broker.connect() as conn:
                conn.wait_for_topic("durable-a", 3)
                self.assertEqual(self.topic_ids(conn), ids, self.detail(broker))
                for t, n in (("durable-a", 3), ("durable-b", 1)):
                    self.assertEqual(offsets(conn, t, n), offs[t], self.detail(broker, t))
                    after = snapshot(conn, t, n)
                    for p in range(n):
                        self.assertEqual(len(after[p]), len(before[t][p]), self.detail(broker, t, p))
                        self.assertEqual(after[p], before[t][p], self.detail(broker, t, p))
                # Appends continue at the end.
                end = offs["durable-a"][1][1]
                produce_raw(conn, "durable-a", 1, 1, 5, first=end)
                records, _ = conn.read_partition("durable-a", 1, start=end)
                self.assertEqual([r.offset for r in records], list(range(end, end + 5)))

    def test_kill9_while_producing_acks1(self):
        from confluent_kafka import Producer
        topic = "crash"
        partitions = 2
        with h.Broker() as broker:
            with broker.connect() as conn:
                self.create(conn, topic, partitions, {"segment.bytes": "262144"})
            acked = {}        # (partition, offset) -> value
            failed = []
            lock = threading.Lock()
            stop = threading.Event()
            producer = Producer({"bootstrap.servers": broker.address, "acks": "1",
                                 "linger.ms": 2, "message.send.max.retries": 0,
                                 "message.timeout.ms": 5000, "socket.timeout.ms": 3000,
                                 "reconnect.backoff.max.ms": 100})

            def on_delivery(err, msg):
                with lock:
                    if err is None:
                        acked[(msg.partition(), msg.offset())] = msg.value()
                    else:
                        failed.append(str(err))

            def produce():
                i = 0
                while not stop.is_set():
                    try:
                        producer.produce(topic, value=b"record-%08d" % i + b"." * 200,
                                         key=b"k%d" % (i % 50), on_delivery=on_delivery)
                        i += 1
                    except BufferError:
                        producer.poll(0.01)
                    if i % 100 == 0:
                        producer.poll(0)
                producer.poll(0)

            thread = threading.Thread(target=produce, daemon=True)
            thread.start()
            h.wait_until(lambda: len(acked) >= 20000 or not thread.is_alive(), 30,
                         lambda: "only %d acknowledged" % len(acked))
            broker.kill()  # SIGKILL in the middle of the stream
            killed_at = len(acked)
            time.sleep(0.5)
            stop.set()
            thread.join(10)
            # Nothing may be retried into the restarted broker: drop what is left.
            producer.purge()
            producer.flush(5)
            with lock:
                acked = dict(acked)
            print("  confluent Producer acks=1: kill -9 after %d acknowledged; %d acknowledged "
                  "in all, %d failed" % (killed_at, len(acked), len(failed)))
            self.assertGreater(len(acked), 1000)

            broker.start()
            log = broker.current_log()
            print("    restart: %s" % [l for l in log.splitlines() if "segment:" in l][:3])
            self.assertIn("after an unclean shutdown", log, self.detail(broker))
            with broker.connect() as conn:
                conn.wait_for_topic(topic, partitions)
                for p in range(partitions):
                    records, resp = conn.read_partition(topic, p)
                    offs = [r.offset for r in records]
                    hw = resp["high_watermark"]
                    self.assertEqual(offs, list(range(hw)), self.detail(
                        broker, "partition %d: offsets not dense 0..%d" % (p, hw - 1)))
                    values = [r.value for r in records]
                    self.assertEqual(len(set(values)), len(values),
                                     self.detail(broker, "partition %d: duplicate records" % p))
                    mine = {o: v for (pp, o), v in acked.items() if pp == p}
                    self.assertTrue(mine, "nothing acknowledged on partition %d" % p)
                    lost = [o for o in sorted(mine) if o >= hw or records[o].value != mine[o]]
                    self.assertEqual(lost[:10], [], self.detail(
                        broker, "partition %d: %d acknowledged records missing or different "
                        "(high watermark %d, acknowledged up to %d)"
                        % (p, len(lost), hw, max(mine))))
                    print("    partition %d: high watermark %d, %d acknowledged, all there"
                          % (p, hw, len(mine)))
                # Appends continue after the recovered end.
                hw0 = conn.list_offsets({topic: {0: h.LATEST}})[(topic, 0)]["offset"]
                resp = conn.produce({topic: {0: h.record_batch([(b"k", b"after-crash")])}})
                self.assertEqual(resp["partitions"][(topic, 0)]["base_offset"], hw0)

    def test_garbage_after_last_batch_is_truncated(self):
        topic = "tail-garbage"
        with h.Broker() as broker:
            with broker.connect() as conn:
                self.create(conn, topic, 2)
                for p in range(2):
                    produce_raw(conn, topic, p, 10, 50)
                before = snapshot(conn, topic, 2)
            broker.stop()
            log_file = h.segment_files(broker.data_dir, topic, 1)[-1]
            size = os.path.getsize(log_file)
            garbage = b"\xde\xad\xbe\xef" * 64 + os.urandom(300)
            with open(log_file, "ab") as f:
                f.write(garbage)
            print("  appended %d garbage bytes to %s (%d bytes); start again"
                  % (len(garbage), os.path.relpath(log_file, broker.data_dir), size))

            broker.start()
            with broker.connect() as conn:
                conn.wait_for_topic(topic, 2)
                log = broker.current_log()
                lines = [l for l in log.splitlines() if "%s-1" % topic in l]
                print("    log: %s" % lines)
                self.assertTrue(any("recovered partition %s-1" % topic in l and "truncated" in l
                                    for l in lines), self.detail(broker, "no recovery line"))
                self.assertNotIn("recovered partition %s-0" % topic, log, self.detail(broker))
                self.assertEqual(os.path.getsize(log_file), size, self.detail(broker))
                self.assertEqual(snapshot(conn, topic, 2), before, self.detail(broker))
                self.assertEqual(offsets(conn, topic, 2), {0: (0, 500), 1: (0, 500)})
                produce_raw(conn, topic, 1, 1, 7, first=500)
                records, _ = conn.read_partition(topic, 1, start=500)
                self.assertEqual([r.offset for r in records], list(range(500, 507)))
            # And the repaired log is clean for the next start.
            broker.stop()
            broker.start()
            self.assertNotIn("recovered partition", broker.current_log(), self.detail(broker))
            with broker.connect() as conn:
                conn.wait_for_topic(topic, 2)
                self.assertEqual(offsets(conn, topic, 2), {0: (0, 500), 1: (0, 507)})

    def test_torn_last_batch_after_crash_is_truncated(self):
        topic = "tail-torn"
        with h.Broker() as broker:
            with broker.connect() as conn:
                self.create(conn, topic, 1)
                produce_raw(conn, topic, 0, 12, 40, size=150)
                before = snapshot(conn, topic, 1)
            broker.kill()  # a crash: the next start scans the log
            log_file = h.segment_files(broker.data_dir, topic, 0)[-1]
            batches = batch_boundaries(log_file)
            self.assertEqual(len(batches), 12, batches)
            start, base, total = batches[-1]
            cut = start + total // 2
            os.truncate(log_file, cut)
            print("  kill -9, then cut the last batch (offsets %d.., %d bytes at %d) to %d bytes"
                  % (base, total, start, cut - start))

            broker.start()
            with broker.connect() as conn:
                conn.wait_for_topic(topic, 1)
                log = broker.current_log()
                lines = [l for l in log.splitlines() if "%s-0" % topic in l]
                print("    log: %s" % lines)
                self.assertIn("after an unclean shutdown", log, self.detail(broker))
                self.assertTrue(any("recovered partition %s-0" % topic in l and "truncated" in l
                                    for l in lines), self.detail(broker, "no recovery line"))
                self.assertEqual(os.path.getsize(log_file), start, self.detail(broker))
                self.assertEqual(offsets(conn, topic, 1), {0: (0, base)}, self.detail(broker))
                after = snapshot(conn, topic, 1)
                self.assertEqual(after[0], [r for r in before[0] if r[0] < base],
                                 self.detail(broker))
                # The next append takes the offsets the torn batch had.
                produce_raw(conn, topic, 0, 1, 3, first=base)
                records, _ = conn.read_partition(topic, 0, start=base)
                self.assertEqual([(r.offset, r.key) for r in records],
                                 [(base + i, b"k%d" % (base + i)) for i in range(3)])


if __name__ == "__main__":
    h.main()
