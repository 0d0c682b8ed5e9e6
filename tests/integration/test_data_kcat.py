"""kcat (librdkafka) produces lines with keys (-K:) and headers (-H) and reads
them back: keys, values, headers, offsets 0..n-1 and timestamps come back as
they were sent, through both the JSON (-J) and the format string (-f)
outputs."""

import json
import subprocess
import time
import unittest

import harness as h

KCAT = "kcat"


def kcat(args, stdin=None, timeout=60):
    """Runs kcat; returns its stdout (text).  Fails on a non-zero exit or on
    errors in stderr."""
    proc = subprocess.run([KCAT] + args, input=stdin, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=timeout)
    out = proc.stdout.decode("utf-8", errors="surrogateescape")
    err = proc.stderr.decode("utf-8", errors="replace")
    if proc.returncode != 0 or "ERROR" in err or "Failed" in err:
        raise AssertionError("kcat %s: exit code %d\nstderr:\n%s\nstdout (head):\n%s"
                             % (" ".join(args), proc.returncode, err, out[:2000]))
    return out


class KcatDataTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.broker = h.class_broker(cls)

    @classmethod
    def tearDownClass(cls):
        cls.broker.__exit__(None, None, None)

    def detail(self, *what):
        return "\n".join(str(w) for w in what) + "\nbroker log:\n" + self.broker.log()

    def create_topic(self, name, partitions, configs=None):
        with self.broker.connect() as conn:
            result = conn.create_topics([(name, partitions, 1, configs or {})])
            self.assertEqual(result[name][0], h.ERR_NONE, self.detail("CreateTopics", result))
            conn.wait_for_topic(name, partitions)

    def produce(self, topic, partition, lines, headers):
        args = ["-P", "-b", self.broker.address, "-t", topic, "-p", str(partition), "-K:",
                "-X", "acks=all"]
        for name, value in headers:
            args += ["-H", "%s=%s" % (name, value)]
        before = int(time.time() * 1000)
        kcat(args, stdin=("\n".join(lines) + "\n").encode())
        after = int(time.time() * 1000)
        return before, after

    def consume_json(self, topic, partition):
        out = kcat(["-C", "-b", self.broker.address, "-t", topic, "-p", str(partition),
                    "-o", "beginning", "-e", "-J", "-q"])
        return [json.loads(line) for line in out.splitlines() if line.strip()]

    def test_keys_values_headers_offsets_timestamps_json(self):
        topic = "kcat-json"
        self.create_topic(topic, 2)
        big = "x" * 50000
        # key:value lines; the key ends at the first ':', the rest (colons
        # included) is the value; an empty value stays empty.
        lines = ["k1:hello", "k2:value:with:colons", "k3:", "k4:\u00fcn\u00efc\u00f8d\u00e9 \u2713",
                 "k5:" + big, "k6:last"]
        expected = [("k1", "hello"), ("k2", "value:with:colons"), ("k3", ""),
                    ("k4", "\u00fcn\u00efc\u00f8d\u00e9 \u2713"), ("k5", big), ("k6", "last")]
        headers0 = [("source", "kcat"), ("trace", "run-0"), ("dup", "a"), ("dup", "b")]
        before0, after0 = self.produce(topic, 0, lines, headers0)
        # Partition 1 gets other records and other headers.
        lines1 = ["p1-%03d:value-%03d" % (i, i) for i in range(200)]
        headers1 = [("trace", "run-1")]
        before1, after1 = self.produce(topic, 1, lines1, headers1)
        print("  kcat -P -K: -H ... %d records to %s-0, %d to %s-1; kcat -C -J reads them back"
              % (len(lines), topic, len(lines1), topic))

        got0 = self.consume_json(topic, 0)
        self.assertEqual(len(got0), len(expected), self.detail([(m["offset"], m["key"]) for m in got0]))
        for i, (msg, (key, value)) in enumerate(zip(got0, expected)):
            what = self.detail("partition 0 message %d" % i,
                               {k: (v if k != "payload" or len(v or "") < 100 else "%d chars" % len(v))
                                for k, v in msg.items()})
            self.assertEqual(msg["topic"], topic, what)
            self.assertEqual(msg["partition"], 0, what)
            self.assertEqual(msg["offset"], i, what)
            self.assertEqual(msg["key"], key, what)
            self.assertEqual(msg["payload"], value, what)
            self.assertEqual(msg["tstype"], "create", what)
            self.assertGreaterEqual(msg["ts"], before0 - 1000, what)
            self.assertLessEqual(msg["ts"], after0 + 1000, what)
            flat = [x for pair in headers0 for x in pair]
            self.assertEqual(msg["headers"], flat, what)
        # Timestamps never go backwards within the partition.
        ts0 = [m["ts"] for m in got0]
        self.assertEqual(ts0, sorted(ts0), self.detail(ts0))

        got1 = self.consume_json(topic, 1)
        self.assertEqual([m["offset"] for m in got1], list(range(len(lines1))), self.detail())
        self.assertEqual([(m["key"], m["payload"]) for m in got1],
                         [tuple(l.split(":", 1)) for l in lines1], self.detail())
        self.assertTrue(all(m["headers"] == ["trace", "run-1"] for m in got1),
                        self.detail(got1[:3]))
        self.assertTrue(all(before1 - 1000 <= m["ts"] <= after1 + 1000 for m in got1),
                        self.detail([m["ts"] for m in got1[:5]], before1, after1))

        # Appending more to partition 0 continues at offset 6.
        self.produce(topic, 0, ["k7:seven"], [("trace", "run-2")])
        got0 = self.consume_json(topic, 0)
        self.assertEqual([m["offset"] for m in got0], list(range(7)), self.detail())
        self.assertEqual((got0[-1]["key"], got0[-1]["payload"], got0[-1]["headers"]),
                         ("k7", "seven", ["trace", "run-2"]), self.detail(got0[-1]))

    def test_format_string(self):
        topic = "kcat-format"
        self.create_topic(topic, 1)
        lines = ["alpha:1", "beta:2", "gamma:3"]
        before, after = self.produce(topic, 0, lines, [("h1", "v1"), ("h2", "v2")])
        out = kcat(["-C", "-b", self.broker.address, "-t", topic, "-p", "0", "-o", "beginning",
                    "-e", "-q", "-f", "%k|%s|%o|%T|%h\\n"])
        print("  kcat -C -f '%%k|%%s|%%o|%%T|%%h\\n' ->\n    %s"
              % "\n    ".join(out.splitlines()))
        rows = [line.split("|") for line in out.splitlines() if line]
        self.assertEqual(len(rows), 3, self.detail(out))
        for i, (row, line) in enumerate(zip(rows, lines)):
            key, value = line.split(":")
            self.assertEqual(row[0], key, self.detail(out))
            self.assertEqual(row[1], value, self.detail(out))
            self.assertEqual(int(row[2]), i, self.detail(out))
            self.assertTrue(before - 1000 <= int(row[3]) <= after + 1000, self.detail(out))
            self.assertEqual(row[4], "h1=v1,h2=v2", self.detail(out))

    def test_offsets_from_the_middle_and_end(self):
        topic = "kcat-offsets"
        self.create_topic(topic, 1)
        self.produce(topic, 0, ["k%d:v%d" % (i, i) for i in range(50)], [])
        out = kcat(["-C", "-b", self.broker.address, "-t", topic, "-p", "0", "-o", "42", "-e",
                    "-q", "-f", "%o:%k:%s\\n"])
        self.assertEqual(out.splitlines(), ["%d:k%d:v%d" % (i, i, i) for i in range(42, 50)],
                         self.detail(out))
        # -o -3: the last three records.
        out = kcat(["-C", "-b", self.broker.address, "-t", topic, "-p", "0", "-o", "-3", "-e",
                    "-q", "-f", "%o\\n"])
        self.assertEqual(out.split(), ["47", "48", "49"], self.detail(out))

    def test_log_append_time_topic(self):
        topic = "kcat-logappend"
        self.create_topic(topic, 1, {"message.timestamp.type": "LogAppendTime"})
        before, after = self.produce(topic, 0, ["a:1", "b:2"], [])
        got = self.consume_json(topic, 0)
        print("  message.timestamp.type=LogAppendTime: %r"
              % [(m["offset"], m["tstype"], m["ts"]) for m in got])
        self.assertEqual([m["offset"] for m in got], [0, 1], self.detail(got))
        for m in got:
            self.assertEqual(m["tstype"], "logappend", self.detail(m))
            self.assertTrue(before - 1000 <= m["ts"] <= after + 1000, self.detail(m, before, after))


if __name__ == "__main__":
    h.main()
