"""brokkr-producer-perf-test (Kafka's kafka-producer-perf-test.sh): output
format, records really produced, the throttle. No speed is asserted."""

import os
import re
import subprocess

import cli_harness as ch
import harness as h

NUM = r"(?:[0-9]+\.[0-9]|Infinity)"
SUMMARY = re.compile(
    r"^(\d+) records sent, (%s) records/sec \((\d+\.\d\d) MB/sec\), (\d+\.\d\d) ms avg latency, "
    r"(\d+\.\d\d) ms max latency, (\d+) ms 50th, (\d+) ms 95th, (\d+) ms 99th, (\d+) ms 99\.9th\.$" % NUM)
PROGRESS = re.compile(
    r"^\d+ records sent, %s records/sec \(\d+\.\d\d MB/sec\), \d+\.\d ms avg latency, \d+\.\d ms max latency\.$"
    % NUM)


class ProducerPerfTest(h.BrokerTestCase):
    def perf(self, *args, expect_code=0):
        return ch.check_tool(self, "brokkr-producer-perf-test", *args, expect_code=expect_code, timeout=240)

    def summary(self, out):
        lines = out.strip().splitlines()
        for line in lines[:-1]:
            if "records sent" in line:
                self.assertRegex(line, PROGRESS)
        match = SUMMARY.match(lines[-1])
        self.assertIsNotNone(match, "summary line: %r" % lines[-1])
        return match

    def end_offsets(self, topic):
        from confluent_kafka import Consumer, TopicPartition
        consumer = Consumer({"bootstrap.servers": self.broker.address, "group.id": "unused"})
        metadata = consumer.list_topics(topic, timeout=10)
        total = 0
        for p in metadata.topics[topic].partitions:
            low, high = consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10)
            total += high - low
        consumer.close()
        return total

    def test_unthrottled_summary_and_records(self):
        out, _ = self.perf("--topic", "perf-fast", "--num-records", "20000", "--record-size", "100",
                           "--throughput", "-1", "--producer-props", "bootstrap.servers=" + self.broker.address,
                           "acks=1")
        print("  " + out.strip().splitlines()[-1])
        match = self.summary(out)
        self.assertEqual(int(match.group(1)), 20000)
        self.assertEqual(self.end_offsets("perf-fast"), 20000)

    def test_throttled(self):
        out, _ = self.perf("--topic", "perf-throttled", "--num-records", "4000", "--record-size", "50",
                           "--throughput", "2000", "--bootstrap-server", self.broker.address)
        print("  " + out.strip().splitlines()[-1])
        match = self.summary(out)
        self.assertEqual(int(match.group(1)), 4000)
        self.assertLessEqual(float(match.group(2)), 2600.0)
        self.assertEqual(self.end_offsets("perf-throttled"), 4000)

    def test_payload_file_and_config_file(self):
        payloads = os.path.join(self.broker.workdir, "payloads.txt")
        with open(payloads, "w") as f:
            f.write("alpha|beta|gamma|")
        config = os.path.join(self.broker.workdir, "perf.properties")
        with open(config, "w") as f:
            f.write("bootstrap.servers=%s\ncompression.type=lz4\nlinger.ms=20\n" % self.broker.address)
        out, _ = self.perf("--topic", "perf-payloads", "--num-records", "300", "--payload-file", payloads,
                           "--payload-delimiter", "|", "--throughput", "-1", "--producer.config", config)
        self.assertIn("Reading payloads from: %s" % os.path.abspath(payloads), out)
        self.assertIn("Number of messages read: 3", out)
        self.summary(out)
        values = subprocess.run(["kcat", "-b", self.broker.address, "-C", "-t", "perf-payloads", "-o", "beginning",
                                 "-e", "-q"], capture_output=True, timeout=30, check=True).stdout.decode()
        self.assertEqual(len(values.splitlines()), 300)
        self.assertEqual(set(values.splitlines()), {"alpha", "beta", "gamma"})

    def test_payload_monotonic(self):
        out, _ = self.perf("--topic", "perf-monotonic", "--num-records", "2000", "--payload-monotonic",
                           "--throughput", "-1", "--producer-props", "bootstrap.servers=" + self.broker.address)
        self.summary(out)
        values = subprocess.run(["kcat", "-b", self.broker.address, "-C", "-t", "perf-monotonic", "-o", "beginning",
                                 "-e", "-q"], capture_output=True, timeout=30, check=True).stdout.decode()
        self.assertEqual(values.splitlines(), [str(i) for i in range(2000)])

    def test_print_metrics_note(self):
        out, _ = self.perf("--topic", "perf-metrics", "--num-records", "10", "--record-size", "10",
                           "--throughput", "-1", "--print-metrics", "--bootstrap-server", self.broker.address)
        self.assertIn("Metrics are not available", out)

    def test_transactions_refused(self):
        _, err = self.perf("--topic", "perf-tx", "--num-records", "10", "--record-size", "10", "--throughput", "-1",
                           "--bootstrap-server", self.broker.address, "--transactional-id", "tx", expect_code=1)
        self.assertIn("Transactions are not supported", err)
        self.assertEqual(len(err.strip().splitlines()), 1)

    def test_bad_arguments(self):
        _, err = self.perf("--topic", "t", "--num-records", "10", "--throughput", "-1",
                           "--bootstrap-server", self.broker.address, expect_code=1)
        self.assertIn("one of the arguments --record-size --payload-file --payload-monotonic is required", err)
        _, err = self.perf("--topic", "t", "--num-records", "0", "--record-size", "10", "--throughput", "-1",
                           "--bootstrap-server", self.broker.address, expect_code=1)
        self.assertIn("--num-records should be greater than zero", err)
        _, err = self.perf("--topic", "t", "--num-records", "10", "--record-size", "10", "--throughput", "-1",
                           expect_code=1)
        self.assertIn("Either --producer-props or --producer.config must be specified.", err)
        _, err = self.perf("--topic", "t", "--bogus", expect_code=1)
        self.assertIn("bogus is not a recognized option", err)

    def test_unreachable_bootstrap_server(self):
        _, err = self.perf("--topic", "t", "--num-records", "10", "--record-size", "10", "--throughput", "-1",
                           "--bootstrap-server", "127.0.0.1:%d" % h.free_port(), expect_code=1)
        self.assertIn("could not be established", err)
        self.assertEqual(len(err.strip().splitlines()), 1, err)


if __name__ == "__main__":
    h.main()
