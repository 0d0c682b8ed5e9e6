"""brokkr-consumer-perf-test against a real broker, with records written by
confluent_kafka: Kafka's header and summary line (formats checked with a
regex), --hide-header, --show-detailed-stats, the timeout warning, and
usage errors."""

import re

import cli_harness as ch
import harness

HEADER = ("start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, "
          "rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec")
DETAILED_HEADER = ("time, threadId, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, "
                   "rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec")
DATE = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d:\d{3}"
NUM = r"(?:-?\d+\.\d{4}|NaN|-?Infinity)"


def summary(messages):
    return re.compile(r"^%s, %s, %s, %s, %d, %s, \d+, -?\d+, %s, %s$" % (DATE, DATE, NUM, NUM, messages, NUM, NUM, NUM))


def run(args, timeout=120):
    return ch.run_tool("brokkr-consumer-perf-test", *args, timeout=timeout)


class ConsumerPerfTest(harness.BrokerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ch.create_topic(cls.broker, "perf", 3)
        ch.confluent_produce(cls.broker, "perf", [dict(key=b"%d" % i, value=b"v" * 100) for i in range(20000)],
                             **{"linger.ms": 20, "compression.type": "lz4"})

    def bootstrap(self):
        return ["--bootstrap-server", self.broker.address]

    def test_consumes_all_messages(self):
        code, out, err = run(self.bootstrap() + ["--topic", "perf", "--messages", "20000"])
        self.assertEqual(code, 0, err)
        lines = out.splitlines()
        self.assertEqual(len(lines), 2, out)
        self.assertEqual(lines[0], HEADER)
        self.assertRegex(lines[1], summary(20000))
        # 20000 records of a 100-byte value and a key of 1-5 digits.
        mb = float(lines[1].split(", ")[2])
        expected = (20000 * 100 + sum(len(str(i)) for i in range(20000))) / (1024 * 1024)
        self.assertAlmostEqual(mb, expected, places=3)

    def test_hide_header_and_group(self):
        code, out, err = run(self.bootstrap() + ["--topic", "perf", "--messages", "500", "--hide-header",
                                                 "--group", "perf-g1", "--fetch-size", "65536"])
        self.assertEqual(code, 0, err)
        lines = out.splitlines()
        self.assertEqual(len(lines), 1, out)
        self.assertRegex(lines[0], summary(500))

    def test_detailed_stats(self):
        code, out, err = run(self.bootstrap() + ["--topic", "perf", "--messages", "20000", "--show-detailed-stats",
                                                 "--reporting-interval", "1"])
        self.assertEqual(code, 0, err)
        lines = out.splitlines()
        self.assertEqual(lines[0], DETAILED_HEADER)
        progress = re.compile(r"^%s, 0, %s, %s, \d+, %s, \d+, -?\d+, %s, %s$" % (DATE, NUM, NUM, NUM, NUM, NUM))
        for line in lines[1:]:
            self.assertRegex(line, progress)

    def test_timeout_warning(self):
        code, out, err = run(self.bootstrap() + ["--topic", "perf", "--messages", "30000", "--timeout", "1500"])
        self.assertEqual(code, 0, err)
        lines = out.splitlines()
        self.assertEqual(lines[1], "WARNING: Exiting before consuming the expected number of messages: timeout "
                                   "(1500 ms) exceeded. You can use the --timeout option to increase the timeout.")
        self.assertRegex(lines[2], summary(20000))

    def test_usage_errors(self):
        code, out, err = run(self.bootstrap() + ["--topic", "perf"])
        self.assertEqual(code, 1)
        self.assertIn('Missing required argument "[messages]"', err)
        code, out, err = run(self.bootstrap() + ["--messages", "5"])
        self.assertEqual(code, 1)
        self.assertIn('Missing required argument "[topic]"', err)
        code, out, err = run(["--help"])
        self.assertEqual(code, 0)
        for flag in ("--bootstrap-server", "--topic", "--messages", "--group", "--fetch-size", "--timeout",
                     "--consumer.config", "--show-detailed-stats", "--reporting-interval", "--print-metrics",
                     "--hide-header", "--from-latest", "--date-format"):
            self.assertIn(flag, out)

    def test_unreachable_bootstrap(self):
        code, out, err = run(["--bootstrap-server", "127.0.0.1:%d" % harness.free_port(), "--topic", "perf",
                              "--messages", "1", "--hide-header"])
        self.assertEqual(code, 1)
        self.assertEqual(len(err.strip().splitlines()), 1, err)


if __name__ == "__main__":
    harness.main()
