"""Retention and compaction in the segment plugin, seen through the protocol.

* segment.bytes = 16 KiB and retention.bytes: old segments are deleted, the
  log start offset moves (ListOffsets earliest > 0, Fetch below it is
  OFFSET_OUT_OF_RANGE), what is left is readable from the new start.
* retention.ms with records stamped long ago: every closed segment goes.
* cleanup.policy=compact with small segments and keyed updates: after
  maintenance, reading from the beginning yields the latest value of every
  key (and a key's tombstone), at the offset it was written at; records with
  unique keys stay.
* Both survive kill -9: the log start offset and the compacted log are the
  same after the restart.
* [topics.config] (--override 'topics.config={...}') sets the defaults of
  topics that do not set a config themselves.

Maintenance runs every 200 ms here ([plugins.segment] maintenance_interval_ms).
"""

import os
import time
import unittest

import harness as h

MAINTENANCE = ["--override", "plugins.segment.maintenance_interval_ms=200"]


class RetentionTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.broker = h.class_broker(cls, MAINTENANCE)

    @classmethod
    def tearDownClass(cls):
        cls.broker.__exit__(None, None, None)

    def detail(self, *what):
        return "\n".join(str(w) for w in what) + "\nbroker log (tail):\n" + self.broker.log()[-8000:]

    def create(self, conn, name, configs):
        result = conn.create_topics([(name, 1, 1, configs)])
        self.assertEqual(result[name][0], h.ERR_NONE, self.detail(result))
        conn.wait_for_topic(name, 1)

    def produce(self, conn, topic, records, base_timestamp=None):
        resp = conn.produce({topic: {0: h.record_batch(records, base_timestamp=base_timestamp)}})
        p = resp["partitions"][(topic, 0)]
        self.assertEqual(p["error_code"], 0, self.detail(p))
        return p["base_offset"]

    def earliest_latest(self, conn, topic):
        e = conn.list_offsets({topic: {0: h.EARLIEST}})[(topic, 0)]
        l = conn.list_offsets({topic: {0: h.LATEST}})[(topic, 0)]
        self.assertEqual((e["error_code"], l["error_code"]), (0, 0), self.detail(e, l))
        return e["offset"], l["offset"]

    def log_bytes(self, topic):
        return sum(os.path.getsize(f) for f in h.segment_files(self.broker.data_dir, topic, 0))

    def test_retention_bytes_moves_log_start(self):
        topic = "retention-bytes"
        with self.broker.connect() as conn:
            self.create(conn, topic, {"segment.bytes": "16384", "retention.bytes": "65536",
                                      "file.delete.delay.ms": "0"})
            # 400 batches of 4 records x 250 bytes, about 1 KiB each: ~25 segments.
            n = 0
            for _ in range(400):
                self.produce(conn, topic, [("k%d" % (n + j), b"%08d" % (n + j) + b"r" * 242)
                                           for j in range(4)])
                n += 4
            produced_segments = len(h.segment_files(self.broker.data_dir, topic, 0))
            print("  %d records in ~1 KiB batches; segment.bytes=16384, retention.bytes=65536"
                  % n)

            def moved():
                earliest, latest = self.earliest_latest(conn, topic)
                return earliest > 0 and self.log_bytes(topic) <= 65536 + 16384 and (earliest, latest)
            earliest, latest = h.wait_until(moved, 20, lambda: self.detail(
                "log start offset did not move / segments not deleted: offsets %r, %d bytes in %r"
                % (self.earliest_latest(conn, topic), self.log_bytes(topic),
                   h.segment_files(self.broker.data_dir, topic, 0))))
            files = h.segment_files(self.broker.data_dir, topic, 0)
            print("    -> earliest %d, latest %d; %d of >=%d segment files left (%d bytes)"
                  % (earliest, latest, len(files), produced_segments, self.log_bytes(topic)))
            self.assertEqual(latest, n)
            self.assertGreaterEqual(self.log_bytes(topic), 65536 - 16384,
                                    self.detail("deleted more than retention.bytes asks"))
            # The log starts at a segment boundary: the first file's base offset.
            self.assertEqual(int(os.path.basename(files[0])[:20]), earliest, self.detail(files))
            self.assertIn("partition %s-0: deleted" % topic, self.broker.log(), self.detail())

            # What is left is readable from the new start, in order.
            records, resp = conn.read_partition(topic, 0, start=earliest)
            self.assertEqual([r.offset for r in records], list(range(earliest, n)))
            self.assertEqual(records[0].value[:8], b"%08d" % earliest)
            self.assertEqual(resp["log_start_offset"], earliest)
            # Below the log start offset: OFFSET_OUT_OF_RANGE.
            resp = conn.fetch({topic: {0: 0}})
            self.assertEqual(resp["partitions"][(topic, 0)]["error_code"],
                             h.ERR_OFFSET_OUT_OF_RANGE, self.detail(resp))

    def test_retention_ms_deletes_old_segments(self):
        topic = "retention-ms"
        old = int(time.time() * 1000) - 2 * 3600 * 1000
        with self.broker.connect() as conn:
            # retention.ms = 1 hour, records stamped two hours ago: expired as
            # soon as they are written.
            self.create(conn, topic, {"segment.bytes": "16384", "retention.ms": "3600000",
                                      "file.delete.delay.ms": "0"})
            n = 0
            for _ in range(100):
                self.produce(conn, topic, [("k%d" % (n + j), b"x" * 250) for j in range(4)],
                             base_timestamp=old + n)
                n += 4

            def gone():
                earliest, latest = self.earliest_latest(conn, topic)
                return earliest > 0 and len(h.segment_files(self.broker.data_dir, topic, 0)) <= 1 \
                    and (earliest, latest)
            earliest, latest = h.wait_until(gone, 20, lambda: self.detail(
                "old segments not deleted: offsets %r, files %r"
                % (self.earliest_latest(conn, topic),
                   h.segment_files(self.broker.data_dir, topic, 0))))
            print("  retention.ms=1h, records stamped 2h ago: earliest %d, latest %d, %d file(s)"
                  % (earliest, latest, len(h.segment_files(self.broker.data_dir, topic, 0))))
            self.assertEqual(latest, n)
            # New records are kept and readable.
            base = self.produce(conn, topic, [("fresh", b"now")])
            self.assertEqual(base, n)
            records, _ = conn.read_partition(topic, 0, start=earliest)
            self.assertEqual([(r.offset, r.value) for r in records][-1], (n, b"now"))

    def test_compaction_keeps_latest_value_per_key(self):
        topic = "compacted"
        keys = 40
        rounds = 30
        with self.broker.connect() as conn:
            self.create(conn, topic, {"cleanup.policy": "compact", "segment.bytes": "16384",
                                      "min.cleanable.dirty.ratio": "0.01",
                                      "file.delete.delay.ms": "0"})
            latest = {}       # key -> (offset, value)
            for r in range(rounds):
                # One batch per round: every key updated once, in a shuffled order.
                order = [(k * 7 + r) % keys for k in range(keys)]
                recs = []
                for k in order:
                    deleted = k % 10 == 3 and r == rounds - 1  # tombstones for some keys
                    recs.append(("key-%02d" % k, None if deleted else
                                 ("key-%02d=round-%02d|" % (k, r)).encode() + b"." * 80))
                base = self.produce(conn, topic, recs)
                for i, (key, value) in enumerate(recs):
                    latest[key] = (base + i, value)
            # Unique keys after the updates roll the active segment past them.
            fillers = {}
            for f in range(30):
                recs = [("filler-%03d-%d" % (f, j), b"f" * 100) for j in range(5)]
                base = self.produce(conn, topic, recs)
                for i, (key, value) in enumerate(recs):
                    fillers[key] = (base + i, value)
            end = self.earliest_latest(conn, topic)[1]
            updates_end = rounds * keys
            segments = h.segment_files(self.broker.data_dir, topic, 0)
            print("  %d keyed updates (%d keys, %d tombstones) + %d unique fillers in %d segments"
                  % (updates_end, keys, sum(1 for v in latest.values() if v[1] is None),
                     len(fillers), len(segments)))
            active_base = int(os.path.basename(segments[-1])[:20])
            self.assertGreater(active_base, updates_end, "fillers did not roll past the updates")

            def compacted():
                records, _ = conn.read_partition(topic, 0)
                update_records = [r for r in records if r.key.startswith(b"key-")]
                return len(update_records) == keys and records
            records = h.wait_until(compacted, 30, lambda: self.detail(
                "not compacted: %d update records left"
                % sum(1 for r in conn.read_partition(topic, 0)[0] if r.key.startswith(b"key-"))))
            got = {r.key.decode(): (r.offset, r.value) for r in records}
            self.assertEqual(len(got), len(records), "a key appears twice after compaction")
            for key, (offset, value) in latest.items():
                self.assertEqual(got.get(key), (offset, value),
                                 self.detail("key %s: expected offset %d value %r"
                                             % (key, offset, value)))
            for key, (offset, value) in fillers.items():
                self.assertEqual(got.get(key), (offset, value), self.detail("filler %s" % key))
            offsets = [r.offset for r in records]
            self.assertEqual(offsets, sorted(offsets))
            print("    -> %d records left (of %d): the latest of each key at its offset, "
                  "tombstones kept, fillers intact" % (len(records), end))
            # Compaction never moves the log start or the end.
            self.assertEqual(self.earliest_latest(conn, topic), (0, end))
            self.assertIn("partition %s-0: compacted" % topic, self.broker.log(), self.detail())



def maintenance_state(conn):
    """{topic: (earliest, latest, [(offset, key, value)])} of the two topics below."""
    out = {}
    for t in ("kept-bytes", "kept-compact"):
        earliest = conn.list_offsets({t: {0: h.EARLIEST}})[(t, 0)]["offset"]
        latest = conn.list_offsets({t: {0: h.LATEST}})[(t, 0)]["offset"]
        records, _ = conn.read_partition(t, 0, start=earliest)
        out[t] = (earliest, latest, [(r.offset, r.key, r.value) for r in records])
    return out


class MaintenanceSurvivesCrashTest(unittest.TestCase):
    """What retention and compaction did is still there after kill -9."""

    def test_log_start_and_compaction_after_kill9(self):
        with h.Broker(MAINTENANCE) as broker:
            with broker.connect() as conn:
                for name, configs in (("kept-bytes", {"segment.bytes": "16384",
                                                      "retention.bytes": "32768",
                                                      "file.delete.delay.ms": "0"}),
                                      ("kept-compact", {"segment.bytes": "16384",
                                                        "cleanup.policy": "compact",
                                                        "file.delete.delay.ms": "0"})):
                    self.assertEqual(conn.create_topics([(name, 1, 1, configs)])[name][0], 0)
                    conn.wait_for_topic(name, 1)
                for i in range(120):
                    conn.produce({"kept-bytes": {0: h.record_batch([("k%d" % i, b"x" * 1000)])}})
                    conn.produce({"kept-compact": {0: h.record_batch(
                        [("key-%d" % (i % 5), b"%04d" % i + b"y" * 1000)])}})

                def settled():
                    start = conn.list_offsets({"kept-bytes": {0: h.EARLIEST}})
                    records, _ = conn.read_partition("kept-compact", 0)
                    return start[("kept-bytes", 0)]["offset"] > 0 and len(records) < 40 and records
                h.wait_until(settled, 20, lambda: "retention/compaction did not run:\n"
                             + broker.log()[-4000:])
                time.sleep(0.5)  # one more maintenance round: nothing left to do

                before = maintenance_state(conn)
            broker.kill()
            broker.start()
            with broker.connect() as conn:
                conn.wait_for_topic("kept-compact", 1)
                after = maintenance_state(conn)
            print("  after kill -9: kept-bytes offsets %d..%d, kept-compact %d records of %d"
                  % (after["kept-bytes"][0], after["kept-bytes"][1],
                     len(after["kept-compact"][2]), after["kept-compact"][1]))
            for t in before:
                detail = "%s\nbroker log:\n%s" % (t, broker.log()[-4000:])
                self.assertEqual(after[t][:2], before[t][:2], detail)
                self.assertEqual(after[t][2], before[t][2], detail)



class BrokerWideDefaultsTest(unittest.TestCase):
    """[topics.config] sets defaults for topics that do not set a config
    themselves; a topic's own value wins."""

    def test_topics_config_defaults(self):
        override = ["--override", 'topics.config={"segment.bytes"="16384","retention.bytes"="32768"}']
        with h.Broker(MAINTENANCE + override) as broker:
            with broker.connect() as conn:
                for name, configs in (("by-default", {}), ("own-segment-bytes",
                                                           {"segment.bytes": "1048576"})):
                    self.assertEqual(conn.create_topics([(name, 1, 1, configs)])[name][0], 0)
                    conn.wait_for_topic(name, 1)
                for i in range(100):
                    for name in ("by-default", "own-segment-bytes"):
                        resp = conn.produce({name: {0: h.record_batch([("k", b"z" * 1000)])}})
                        self.assertEqual(resp["partitions"][(name, 0)]["error_code"], 0)
                # Retention moves the log start first and removes the files
                # right after: wait for both.
                h.wait_until(
                    lambda: conn.list_offsets({"by-default": {0: h.EARLIEST}})
                    [("by-default", 0)]["offset"] > 0
                    and len(h.segment_files(broker.data_dir, "by-default", 0)) <= 4, 20,
                    lambda: "retention.bytes default not applied: files %r\n%s"
                    % (h.segment_files(broker.data_dir, "by-default", 0), broker.log()[-3000:]))
                default_files = h.segment_files(broker.data_dir, "by-default", 0)
                own_files = h.segment_files(broker.data_dir, "own-segment-bytes", 0)
                print("  topics.config segment.bytes=16384, retention.bytes=32768: %d segment(s), "
                      "log start %d; a topic with segment.bytes=1048576: %d segment(s)"
                      % (len(default_files), conn.list_offsets({"by-default": {0: h.EARLIEST}})
                         [("by-default", 0)]["offset"], len(own_files)))
                self.assertLessEqual(len(default_files), 4, default_files)
                self.assertEqual(len(own_files), 1, own_files)
                # The topic's own segment.bytes wins, but retention.bytes still
                # comes from the default: one segment is never deleted.
                self.assertEqual(conn.list_offsets({"own-segment-bytes": {0: h.EARLIEST}})
                                 [("own-segment-bytes", 0)]["offset"], 0)

if __name__ == "__main__":
    h.main()
