"""brokkr-console-consumer against a real broker, with data written by kcat
and confluent_kafka (never by our own producer).

Checks Kafka's kafka-console-consumer.sh behaviour: records in order,
DefaultMessageFormatter's exact output, --partition/--offset, --timeout-ms
(Kafka logs the TimeoutException and exits 0), compressed batches, usage
errors (exit 1), unknown topics (auto-created, or a warning and a wait),
an unreachable bootstrap server (one line, exit 1), SIGINT, and consumer
groups (commits, sharing partitions, visible to AdminClient)."""

import re
import signal
import subprocess
import sys
import time

import cli_harness as ch
import harness
from cli_harness import create_topic
from confluent_kafka.admin import AdminClient

TOOL = "brokkr-console-consumer"


def tool():
    return ch.tool(TOOL)


def run(args, timeout=60):
    return ch.run_tool(TOOL, *args, timeout=timeout)


def kcat_produce(broker, topic, lines, partition=None, key_delimiter=None, headers=()):
    args = ["kcat", "-P", "-b", broker.address, "-t", topic]
    if partition is not None:
        args += ["-p", str(partition)]
    if key_delimiter:
        args += ["-K", key_delimiter]
    for h in headers:
        args += ["-H", h]
    subprocess.run(args, input=("\n".join(lines) + "\n").encode(), check=True, timeout=30)


python_produce = ch.confluent_produce


class ConsoleConsumerTest(harness.BrokerTestCase):

    def bootstrap(self):
        return ["--bootstrap-server", self.broker.address]

    # -- records --

    def test_from_beginning_prints_lines_in_order(self):
        create_topic(self.broker, "cc-order")
        lines = ["line-%d" % i for i in range(50)]
        kcat_produce(self.broker, "cc-order", lines)
        code, out, err = run(self.bootstrap() + ["--topic", "cc-order", "--from-beginning", "--max-messages", "50"])
        self.assertEqual(code, 0, err)
        self.assertEqual(out.splitlines(), lines)
        self.assertIn("Processed a total of 50 messages", err)

    def test_max_messages_stops_early(self):
        create_topic(self.broker, "cc-max")
        kcat_produce(self.broker, "cc-max", ["m%d" % i for i in range(20)])
        code, out, err = run(self.bootstrap() + ["--topic", "cc-max", "--from-beginning", "--max-messages", "7"])
        self.assertEqual(code, 0, err)
        self.assertEqual(out.splitlines(), ["m%d" % i for i in range(7)])
        self.assertEqual(err.strip().splitlines()[-1], "Processed a total of 7 messages")

    def test_kcat_keys_and_headers(self):
        create_topic(self.broker, "cc-kcat")
        kcat_produce(self.broker, "cc-kcat", ["k%d:v%d" % (i, i) for i in range(3)], key_delimiter=":",
                     headers=["src=kcat", "n=1"])
        code, out, err = run(self.bootstrap() + ["--topic", "cc-kcat", "--from-beginning", "--max-messages", "3",
                                                 "--property", "print.key=true", "print.headers=true"])
        self.assertEqual(code, 0, err)
        self.assertEqual(out, "".join("src:kcat,n:1\tk%d\tv%d\n" % (i, i) for i in range(3)))

    def test_formatter_fields_exact(self):
        create_topic(self.broker, "cc-format")
        # Recent timestamps: older ones would fall to the 7-day retention.
        ts = int(time.time() * 1000) - 60000
        python_produce(self.broker, "cc-format", [
            dict(key=b"key0", value=b"val0", timestamp=ts, headers=[("h1", b"v1"), ("h2", b"v2")]),
            dict(value=b"val1", timestamp=ts + 1),
            dict(key=b"key2", value=None, timestamp=ts + 2, headers=[("h", None)]),
        ])
        everything = ["--property", "print.timestamp=true", "--property", "print.partition=true",
                      "--property", "print.offset=true", "--property", "print.headers=true",
                      "--property", "print.key=true"]
        code, out, err = run(self.bootstrap() + ["--topic", "cc-format", "--from-beginning", "--max-messages", "3"]
                             + everything)
        self.assertEqual(code, 0, err)
        self.assertEqual(out,
                         "CreateTime:%d\tPartition:0\tOffset:0\th1:v1,h2:v2\tkey0\tval0\n"
                         "CreateTime:%d\tPartition:0\tOffset:1\tNO_HEADERS\tnull\tval1\n"
                         "CreateTime:%d\tPartition:0\tOffset:2\th:null\tkey2\tnull\n" % (ts, ts + 1, ts + 2))
        # Separators, null literal, epoch, and no value (the line ends after the key).
        code, out, err = run(self.bootstrap() + [
            "--topic", "cc-format", "--from-beginning", "--max-messages", "3",
            "--property", "print.key=true", "print.value=false", "print.epoch=true",
            "key.separator=|", "line.separator=;\n", "null.literal=NULL"])
        self.assertEqual(code, 0, err)
        self.assertEqual(out, "Epoch:NOT_PRESENT|key0;\nEpoch:NOT_PRESENT|NULL;\nEpoch:NOT_PRESENT|key2;\n")
        # headers.separator, and the value alone (the default).
        code, out, err = run(self.bootstrap() + [
            "--topic", "cc-format", "--from-beginning", "--max-messages", "1",
            "--property", "print.headers=true", "headers.separator=&"])
        self.assertEqual(out, "h1:v1&h2:v2\tval0\n")

    def test_partition_and_offset(self):
        create_topic(self.broker, "cc-part", partitions=3)
        kcat_produce(self.broker, "cc-part", ["p1-%d" % i for i in range(10)], partition=1)
        kcat_produce(self.broker, "cc-part", ["p2-%d" % i for i in range(4)], partition=2)
        code, out, err = run(self.bootstrap() + ["--topic", "cc-part", "--partition", "1", "--offset", "3",
                                                 "--max-messages", "7", "--property", "print.offset=true"])
        self.assertEqual(code, 0, err)
        self.assertEqual(out.splitlines(), ["Offset:%d\tp1-%d" % (i, i) for i in range(3, 10)])
        code, out, err = run(self.bootstrap() + ["--topic", "cc-part", "--partition", "2", "--offset", "earliest",
                                                 "--timeout-ms", "1500"])
        self.assertEqual(out.splitlines(), ["p2-%d" % i for i in range(4)])
        self.assertIn("Processed a total of 4 messages", err)
        # --from-beginning is --offset earliest with --partition.
        code, out, err = run(self.bootstrap() + ["--topic", "cc-part", "--partition", "2", "--from-beginning",
                                                 "--max-messages", "4"])
        self.assertEqual(out.splitlines(), ["p2-%d" % i for i in range(4)])
        # latest (the default): nothing old.
        code, out, err = run(self.bootstrap() + ["--topic", "cc-part", "--partition", "1", "--timeout-ms", "1000"])
        self.assertEqual(out, "")
        self.assertIn("Processed a total of 0 messages", err)

    def test_timeout_exits_zero_with_total(self):
        create_topic(self.broker, "cc-timeout")
        kcat_produce(self.broker, "cc-timeout", ["a", "b"])
        code, out, err = run(self.bootstrap() + ["--topic", "cc-timeout", "--from-beginning", "--timeout-ms", "1500"])
        # Kafka logs the TimeoutException at ERROR, then exits normally.
        self.assertEqual(code, 0, err)
        self.assertEqual(out.splitlines(), ["a", "b"])
        self.assertRegex(err, r"\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}\] ERROR Error processing message, "
                              r"terminating consumer process:  \(org\.apache\.kafka\.tools\.consumer\.ConsoleConsumer\)\n"
                              r"org\.apache\.kafka\.common\.errors\.TimeoutException\n")
        self.assertTrue(err.endswith("Processed a total of 2 messages\n"), err)

    def test_compressed_batches(self):
        for codec in ("gzip", "snappy", "lz4", "zstd"):
            topic = "cc-" + codec
            create_topic(self.broker, topic)
            records = [dict(key=b"k%d" % i, value=(b"%s-%d-" % (codec.encode(), i)) * 20) for i in range(200)]
            python_produce(self.broker, topic, records, **{"compression.type": codec, "linger.ms": 50})
            code, out, err = run(self.bootstrap() + ["--topic", topic, "--from-beginning", "--max-messages", "200",
                                                     "--property", "print.key=true"])
            self.assertEqual(code, 0, "%s: %s" % (codec, err))
            self.assertEqual(out.splitlines(),
                             ["k%d\t%s" % (i, ("%s-%d-" % (codec, i)) * 20) for i in range(200)], codec)

    def test_read_committed_accepted(self):
        create_topic(self.broker, "cc-isolation")
        kcat_produce(self.broker, "cc-isolation", ["x", "y"])
        code, out, err = run(self.bootstrap() + ["--topic", "cc-isolation", "--from-beginning", "--max-messages", "2",
                                                 "--isolation-level", "read_committed"])
        self.assertEqual(code, 0, err)
        self.assertEqual(out.splitlines(), ["x", "y"])

    def test_sigint_closes_cleanly(self):
        create_topic(self.broker, "cc-signal")
        kcat_produce(self.broker, "cc-signal", ["s%d" % i for i in range(5)])
        proc = subprocess.Popen([tool()] + self.bootstrap() + ["--topic", "cc-signal", "--from-beginning"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            lines = [proc.stdout.readline() for _ in range(5)]
            self.assertEqual([l.decode().strip() for l in lines], ["s%d" % i for i in range(5)])
            proc.send_signal(signal.SIGINT)
            out, err = proc.communicate(timeout=20)
        finally:
            if proc.poll() is None:
                proc.kill()
        self.assertEqual(proc.returncode, 130)
        self.assertIn("Processed a total of 5 messages", err.decode())

    # -- usage and errors --

    def test_usage_errors(self):
        cases = [
            (["--nope"], "nope is not a recognized option"),
            (["--topic", "t", "--include", "t.*"], "Exactly one of --include/--topic is required."),
            (["--offset", "5", "--topic", "t"], "The partition is required when offset is specified."),
            (["--partition", "0", "--include", "t"], "The topic is required when partition is specified."),
            (["--partition", "0", "--topic", "t", "--offset", "1", "--from-beginning"],
             "Options from-beginning and offset cannot be specified together."),
            (["--partition", "0", "--topic", "t", "--offset", "-3"],
             "The provided offset value '-3' is incorrect. Valid values are 'earliest', 'latest', or a non-negative long."),
            (["--partition", "0", "--topic", "t", "--group", "g"], "Options group and partition cannot be specified together."),
            (["--topic", "t", "--group", "a", "--consumer-property", "group.id=b"],
             "do not match. Detected group ids: 'a', 'b'"),
        ]
        for args, message in cases:
            code, out, err = run(self.bootstrap() + args)
            self.assertEqual(code, 1, args)
            self.assertIn(message, err.splitlines()[0], args)
            self.assertIn("--bootstrap-server", err, "usage follows the message")
        code, out, err = run(["--topic", "t"])
        self.assertEqual(code, 1)
        self.assertIn('Missing required argument "[bootstrap-server]"', err)
        code, out, err = run(self.bootstrap() + ["--topic", "t", "--from-beginning",
                                                 "--consumer-property", "auto.offset.reset=latest"])
        self.assertEqual((code, err), (1, "Can't simultaneously specify --from-beginning and 'auto.offset.reset=latest', "
                                          "please remove one option\n"))

    def test_help_lists_every_flag(self):
        code, out, err = run(["--help"])
        self.assertEqual(code, 0)
        for flag in ("--bootstrap-server", "--topic", "--include", "--partition", "--offset", "--consumer-property",
                     "--consumer.config", "--command-config", "--property", "--from-beginning", "--max-messages",
                     "--timeout-ms", "--skip-message-on-error", "--isolation-level", "--group", "--group-protocol",
                     "--formatter"):
            self.assertIn(flag, out)

    def test_unreachable_bootstrap_one_line(self):
        code, out, err = run(["--bootstrap-server", "127.0.0.1:%d" % harness.free_port(), "--topic", "t"], timeout=60)
        self.assertEqual(code, 1)
        self.assertEqual(len(err.strip().splitlines()), 1, err)
        self.assertIn("127.0.0.1", err)

    def test_unknown_topic_is_auto_created(self):
        # The consumer asks for metadata with auto-creation allowed, as Kafka's does.
        code, out, err = run(self.bootstrap() + ["--topic", "cc-fresh", "--timeout-ms", "1500"])
        self.assertEqual(code, 0, err)
        self.assertIn("Processed a total of 0 messages", err)
        admin = AdminClient({"bootstrap.servers": self.broker.address})
        self.assertIn("cc-fresh", admin.list_topics(timeout=10).topics)

    def test_unknown_topic_without_auto_create_warns_and_waits(self):
        with harness.Broker(["--override", "topics.auto_create=false"]) as broker:
            code, out, err = run(["--bootstrap-server", broker.address, "--partition", "0", "--topic", "nosuch",
                                  "--timeout-ms", "2000"])
            self.assertEqual(code, 0, err)
            self.assertRegex(err, r"WARN .*\{nosuch=UNKNOWN_TOPIC_OR_PARTITION\}")
            self.assertIn("Processed a total of 0 messages", err)

    # -- groups --

    def test_group_commits_and_resumes(self):
        create_topic(self.broker, "cc-group", partitions=2)
        kcat_produce(self.broker, "cc-group", ["g%d" % i for i in range(10)], partition=0)
        base = self.bootstrap() + ["--topic", "cc-group", "--group", "cc-g1", "--from-beginning"]
        code, out, err = run(base + ["--max-messages", "6"])
        self.assertEqual(code, 0, err)
        self.assertEqual(out.splitlines(), ["g%d" % i for i in range(6)])
        code, out, err = run(base + ["--timeout-ms", "3000"])
        self.assertEqual(code, 0, err)
        self.assertEqual(out.splitlines(), ["g%d" % i for i in range(6, 10)])
        kcat_produce(self.broker, "cc-group", ["new1", "new2"], partition=1)
        code, out, err = run(base + ["--timeout-ms", "3000"])
        self.assertEqual(out.splitlines(), ["new1", "new2"])
        # AdminClient sees the group (empty now, protocol type "consumer").
        admin = AdminClient({"bootstrap.servers": self.broker.address})
        groups = {g.id: g for g in admin.list_groups(timeout=20)}
        self.assertIn("cc-g1", groups)
        self.assertEqual(groups["cc-g1"].protocol_type, "consumer")
        self.assertEqual(groups["cc-g1"].state, "Empty")

    def test_two_group_members_share_partitions(self):
        create_topic(self.broker, "cc-share", partitions=3)
        lines = []
        for p in range(3):
            part = ["p%d-%d" % (p, i) for i in range(10)]
            kcat_produce(self.broker, "cc-share", part, partition=p)
            lines += part
        args = [tool()] + self.bootstrap() + ["--topic", "cc-share", "--group", "cc-g2", "--from-beginning",
                                              "--timeout-ms", "6000"]
        procs = [subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
        seen = []
        for proc in procs:
            out, err = proc.communicate(timeout=90)
            self.assertEqual(proc.returncode, 0, err)
            seen += out.decode().splitlines()
        self.assertEqual(sorted(seen), sorted(lines))

    def test_include_regex(self):
        create_topic(self.broker, "cc-inc-a")
        create_topic(self.broker, "cc-inc-b")
        kcat_produce(self.broker, "cc-inc-a", ["a1"])
        kcat_produce(self.broker, "cc-inc-b", ["b1"])
        code, out, err = run(self.bootstrap() + ["--include", "cc-inc-.*", "--from-beginning", "--max-messages", "2"])
        self.assertEqual(code, 0, err)
        self.assertEqual(sorted(out.splitlines()), ["a1", "b1"])

    def test_group_protocol_consumer(self):
        create_topic(self.broker, "cc-848", partitions=2)
        kcat_produce(self.broker, "cc-848", ["x%d" % i for i in range(4)], partition=0)
        code, out, err = run(self.bootstrap() + ["--topic", "cc-848", "--group", "cc-g848", "--group-protocol",
                                                 "consumer", "--from-beginning", "--max-messages", "4"])
        self.assertEqual(code, 0, err)
        self.assertEqual(out.splitlines(), ["x%d" % i for i in range(4)])


if __name__ == "__main__":
    harness.main()
