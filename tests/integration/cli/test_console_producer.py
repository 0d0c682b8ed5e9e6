"""brokkr-console-producer (Kafka's kafka-console-producer.sh) against a
broker, read back with kcat, confluent-kafka and kafka-python."""

import os
import subprocess
import time
import warnings

import cli_harness as ch
import harness as h

warnings.simplefilter("ignore", ImportWarning)  # kafka-python's vendored six

CODEC_IDS = {"gzip": 1, "snappy": 2, "lz4": 3, "zstd": 4}

# Kafka's UtilsTest.testMurmur2 vectors (Java's signed murmur2 of the key).
JAVA_MURMUR2 = {
    b"21": -973932308,
    b"foobar": -790332482,
    b"a-little-bit-long-string": -985981536,
    b"a-little-bit-longer-string": -1486304829,
    b"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8": -58897971,
    b"abc": 479470107,
}


TOOL = "brokkr-console-producer"


class ConsoleProducerTest(h.BrokerTestCase):
    def produce(self, topic, lines, *args, expect_code=0, server=None):
        return ch.check_tool(self, TOOL, "--bootstrap-server", server or self.broker.address, "--topic", topic,
                             *args, stdin="".join(line + "\n" for line in lines), expect_code=expect_code)

    def kcat(self, topic, fmt="%s\\n", partition=None):
        args = ["kcat", "-b", self.broker.address, "-C", "-t", topic, "-o", "beginning", "-e", "-q", "-f", fmt]
        if partition is not None:
            args += ["-p", str(partition)]
        return subprocess.run(args, capture_output=True, timeout=30, check=True).stdout.decode()

    def confluent_records(self, topic, count, partitions=(0,)):
        return ch.confluent_consume(self.broker, topic, count, partitions)

    def create_topic(self, topic, partitions):
        ch.create_topic(self.broker, topic, partitions)

    def test_lines_in_order_without_prompt(self):
        lines = ["line %d %s" % (i, "x" * (i % 37)) for i in range(500)]
        out, err = self.produce("console-lines", lines)
        self.assertEqual(out, "", "no '>' prompt when stdin is not a terminal")
        self.assertEqual(err, "")
        self.assertEqual(self.kcat("console-lines").splitlines(), lines)

    def test_prompt_on_a_terminal(self):
        import pty
        master, slave = pty.openpty()
        proc = subprocess.Popen([ch.tool(TOOL), "--bootstrap-server", self.broker.address, "--topic", "console-tty"],
                                stdin=slave, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        os.close(slave)
        os.write(master, b"typed line\n")
        time.sleep(0.5)
        os.write(master, b"\x04")  # end of input
        out, err = proc.communicate(timeout=60)
        os.close(master)
        self.assertEqual(proc.returncode, 0, err.decode())
        self.assertEqual(out.decode(), ">>")
        self.assertEqual(self.kcat("console-tty").splitlines(), ["typed line"])

    def test_sync(self):
        lines = ["sync %d" % i for i in range(20)]
        self.produce("console-sync", lines, "--sync")
        self.assertEqual(self.kcat("console-sync").splitlines(), lines)

    def test_parse_key_read_by_kcat(self):
        lines = ["key%d:value %d" % (i, i) for i in range(100)]
        self.produce("console-keys", lines, "--property", "parse.key=true", "--property", "key.separator=:")
        self.assertEqual(self.kcat("console-keys", "%k=%s\\n").splitlines(),
                         ["key%d=value %d" % (i, i) for i in range(100)])

    def test_parse_key_default_tab_and_null_marker(self):
        lines = ["k1\tv1", "NULL\tv2", "k3\tNULL"]
        self.produce("console-null", lines, "--property", "parse.key=true", "null.marker=NULL")
        records = self.confluent_records("console-null", 3)
        self.assertEqual([(m.key(), m.value()) for m in records],
                         [(b"k1", b"v1"), (None, b"v2"), (b"k3", None)])

    def test_headers_read_by_confluent(self):
        lines = ["h1:v1,h2:v2\tkey-a\tvalue-a", "only:one\tkey-b\tvalue-b"]
        self.produce("console-headers", lines, "--property", "parse.headers=true", "--property", "parse.key=true")
        records = self.confluent_records("console-headers", 2)
        self.assertEqual([(m.headers(), m.key(), m.value()) for m in records],
                         [([("h1", b"v1"), ("h2", b"v2")], b"key-a", b"value-a"),
                          ([("only", b"one")], b"key-b", b"value-b")])

    def test_headers_custom_separators(self):
        self.produce("console-headers2", ["a=1;b=2|k|v"], "--property", "parse.headers=true", "parse.key=true",
                     "headers.delimiter=|", "headers.separator=;", "headers.key.separator==", "key.separator=|")
        records = self.confluent_records("console-headers2", 1)
        self.assertEqual((records[0].headers(), records[0].key(), records[0].value()),
                         ([("a", b"1"), ("b", b"2")], b"k", b"v"))

    def test_missing_key_separator_fails(self):
        out, err = self.produce("console-badline", ["no separator here"], "--property", "parse.key=true",
                                expect_code=1)
        self.assertIn("No key separator found on line number 1: 'no separator here'", err)

    def test_compression_codecs_stored_compressed(self):
        lines = ["%s record %d %s" % ("compressed", i, "abcdefgh" * 8) for i in range(300)]
        for codec, codec_id in CODEC_IDS.items():
            with self.subTest(codec=codec):
                topic = "console-" + codec
                self.produce(topic, lines, "--compression-codec", codec)
                h.assert_stored_codec(self, self.broker.data_dir, topic, codec_id)
                records = self.confluent_records(topic, len(lines))
                self.assertEqual([m.value().decode() for m in records], lines)

    def test_compression_codec_without_value_is_gzip(self):
        lines = ["gzip by default %d %s" % (i, "y" * 40) for i in range(100)]
        self.produce("console-codec-default", lines, "--compression-codec")
        h.assert_stored_codec(self, self.broker.data_dir, "console-codec-default", CODEC_IDS["gzip"])
        self.assertEqual(self.kcat("console-codec-default").splitlines(), lines)

    def test_every_acks_setting_delivers(self):
        for acks in ("0", "1", "-1", "all"):
            with self.subTest(acks=acks):
                topic = "console-acks" + acks.replace("-", "m")
                lines = ["acks %s record %d" % (acks, i) for i in range(50)]
                self.produce(topic, lines, "--request-required-acks", acks)
                self.assertEqual(self.kcat(topic).splitlines(), lines)

    def test_keys_land_where_murmur2_puts_them(self):
        from kafka.partitioner.default import murmur2
        # kafka-python's murmur2 is Java's (unsigned here): check the vectors first.
        for key, java in JAVA_MURMUR2.items():
            self.assertEqual(murmur2(key), java & 0xffffffff, key)
        partitions = 7
        topic = "console-keyed"
        self.create_topic(topic, partitions)
        keys = [b"user-%d" % i for i in range(300)] + list(JAVA_MURMUR2)
        self.produce(topic, [k.decode() + ":v" for k in keys], "--property", "parse.key=true",
                     "--property", "key.separator=:")
        placed = {}
        for p in range(partitions):
            for key in self.kcat(topic, "%k\\n", partition=p).splitlines():
                placed[key.encode()] = p
        self.assertEqual(len(placed), len(keys))
        for key in keys:
            self.assertEqual(placed[key], (murmur2(key) & 0x7fffffff) % partitions, key)
        for key, java in JAVA_MURMUR2.items():
            self.assertEqual(placed[key], (java & 0x7fffffff) % partitions, key)

    def test_null_keys_spread_by_sticky_partitioner(self):
        topic = "console-sticky"
        self.create_topic(topic, 3)
        lines = ["sticky %d %s" % (i, "z" * 200) for i in range(3000)]
        self.produce(topic, lines, "--batch-size", "4096")
        counts = [len(self.kcat(topic, partition=p).splitlines()) for p in range(3)]
        self.assertEqual(sum(counts), len(lines))
        self.assertGreater(sum(1 for c in counts if c > 0), 1, "records in more than one partition: %s" % counts)

    def test_send_error_reported_and_exit_code(self):
        out, err = self.produce("console-too-large", ["x" * 2000], "--producer-property", "max.request.size=1000",
                                expect_code=1)
        self.assertIn("Error when sending message to topic console-too-large with key: null, value: 2000 bytes "
                      "with error: RecordTooLargeException: The message is", err)

    def test_producer_config_file(self):
        path = os.path.join(self.broker.workdir, "producer.properties")
        with open(path, "w") as f:
            f.write("# a comment\nacks=1\ncompression.type=zstd\n")
        lines = ["from config %d %s" % (i, "q" * 50) for i in range(100)]
        # --compression-codec is not given: Kafka's tool sets compression.type=none then.
        self.produce("console-config", lines, "--producer.config", path)
        self.assertEqual(self.kcat("console-config").splitlines(), lines)

    def test_bad_flag_prints_usage(self):
        _, err = ch.check_tool(self, TOOL, "--bootstrap-server", self.broker.address, "--topic", "t",
                               "--no-such-flag", stdin="", expect_code=1)
        self.assertIn("no-such-flag is not a recognized option", err)
        self.assertIn("--request-required-acks", err)

    def test_missing_topic(self):
        _, err = ch.check_tool(self, TOOL, "--bootstrap-server", self.broker.address, stdin="", expect_code=1)
        self.assertIn('Missing required argument "[topic]"', err)

    def test_help_lists_every_flag(self):
        out, _ = ch.check_tool(self, TOOL, "--help")
        for flag in ("--bootstrap-server", "--broker-list", "--topic", "--producer-property", "--producer.config",
                     "--property", "--compression-codec [", "--request-required-acks", "--request-timeout-ms",
                     "--timeout", "--batch-size", "--sync", "--max-block-ms", "--message-send-max-retries"):
            self.assertIn(flag, out)

    def test_unreachable_bootstrap_server(self):
        started = time.monotonic()
        out, err = self.produce("t", ["a", "b"], expect_code=1, server="127.0.0.1:%d" % h.free_port())
        self.assertEqual(len(err.strip().splitlines()), 1, err)
        self.assertIn("could not be established", err)
        self.assertLess(time.monotonic() - started, 30)

    def test_broker_list_alias(self):
        ch.check_tool(self, TOOL, "--broker-list", self.broker.address, "--topic", "console-alias",
                      stdin="one\ntwo\n")
        self.assertEqual(self.kcat("console-alias").splitlines(), ["one", "two"])


if __name__ == "__main__":
    h.main()
