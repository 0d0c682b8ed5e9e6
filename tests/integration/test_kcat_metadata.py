"""kcat (librdkafka) lists the broker's metadata: `kcat -L` and `kcat -L -J`."""

import json
import re
import shutil
import subprocess
import unittest

import harness as h

KCAT = shutil.which("kcat") or "/usr/bin/kcat"


def kcat(*args, timeout=30):
    cmd = [KCAT] + list(args)
    proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=timeout)
    return proc.returncode, proc.stdout.decode(errors="replace"), proc.stderr.decode(
        errors="replace")


class KcatMetadataTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # Unknown topics must stay unknown here: auto-creation is tested in test_metadata.py.
        # One __consumer_offsets partition keeps the listing short; it is
        # there once the broker logged that it started.
        cls.broker = h.class_broker(cls, ["--override", "topics.auto_create=false",
                                          "--override", "groups.offsets_partitions=1"])
        cls.broker.wait_for_log("started: cluster ")

    @classmethod
    def tearDownClass(cls):
        cls.broker.__exit__(None, None, None)

    def run_kcat(self, *args):
        # -m: metadata timeout (seconds) so a broken broker fails fast.
        full = ["-b", self.broker.address, "-m", "10"] + list(args)
        print("  kcat %s" % " ".join(full))
        rc, out, err = kcat(*full)
        detail = "kcat %s\nexit %d\nstdout:\n%s\nstderr:\n%s\nbroker log:\n%s" % (
            " ".join(full), rc, out, err, self.broker.log())
        self.assertEqual(rc, 0, detail)
        return out, err, detail

    def test_list(self):
        out, err, detail = self.run_kcat("-L")
        addr = self.broker.address
        print("    -> 'broker 1 at %s (controller)', one broker, 1 topic (__consumer_offsets)" % addr)
        self.assertRegex(out, r"Metadata for all topics \(from broker 1: %s/1\)"
                         % re.escape(addr), detail)
        self.assertRegex(out, r"(?m)^\s*1 brokers:\s*$", detail)
        self.assertRegex(out, r"(?m)^\s*broker 1 at %s \(controller\)\s*$" % re.escape(addr),
                         detail)
        self.assertRegex(out, r"(?m)^\s*1 topics:\s*$", detail)
        self.assertRegex(out, r'(?m)^\s*topic "__consumer_offsets" with 1 partitions:\s*$', detail)

    def test_list_json(self):
        out, err, detail = self.run_kcat("-L", "-J")
        print("    -> JSON: brokers [{id 1, name %s}], controllerid 1, topics [__consumer_offsets]"
              % self.broker.address)
        try:
            doc = json.loads(out)
        except ValueError as e:
            self.fail("kcat -J output is not JSON (%s): %s" % (e, detail))
        self.assertEqual(doc["brokers"], [{"id": 1, "name": self.broker.address}], detail)
        self.assertEqual(doc["controllerid"], 1, detail)
        self.assertEqual(doc["originating_broker"]["id"], 1, detail)
        self.assertEqual(doc["originating_broker"]["name"], self.broker.address + "/1", detail)
        self.assertEqual([t["topic"] for t in doc["topics"]], ["__consumer_offsets"], detail)

    def test_list_unknown_topic(self):
        out, err, detail = self.run_kcat("-L", "-J", "-t", "no-such-topic")
        print("    -> JSON: topic no-such-topic with error Broker: Unknown topic or partition")
        doc = json.loads(out)
        self.assertEqual(len(doc["topics"]), 1, detail)
        topic = doc["topics"][0]
        self.assertEqual(topic["topic"], "no-such-topic", detail)
        self.assertIn("Unknown topic or partition", topic.get("error", ""), detail)
        self.assertEqual(doc["brokers"], [{"id": 1, "name": self.broker.address}], detail)


if __name__ == "__main__":
    h.main()
