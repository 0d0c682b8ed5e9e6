"""kafkajs consumer groups (js/group_consumer.js, kafkajs 2.2.4): two kafkajs
consumers in one group share a 2-partition topic (one partition each) and
together read every record once; kafkajs's admin describes the Stable group
of two, lists it, and fetches its committed offsets (the log end: kafkajs
committed everything). A second run with one consumer resumes right after
those commits and reads only the new records.

The test fails (it does not skip) when node or the npm modules are missing:
run scripts/install-deps.sh --test."""

import json
import os
import shutil
import subprocess
import tempfile
import unittest

import groups_clients as gc
import harness as h

JS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "js")
SCRIPT = os.path.join(JS_DIR, "group_consumer.js")
TOPIC = "kafkajs-group"
GROUP = "g-kafkajs"


def run_node(request, timeout=50):
    node = shutil.which("node")
    if not node:
        raise AssertionError("node is not installed (scripts/install-deps.sh --test)")
    if not os.path.isfile(os.path.join(JS_DIR, "node_modules", "kafkajs", "package.json")):
        raise AssertionError("%s/node_modules has no kafkajs: run scripts/install-deps.sh --test" % JS_DIR)
    with tempfile.TemporaryDirectory(prefix="brokkr-it-js-") as tmp:
        req, res = os.path.join(tmp, "request.json"), os.path.join(tmp, "result.json")
        with open(req, "w") as f:
            json.dump(request, f)
        proc = subprocess.run([node, SCRIPT, req, res], cwd=JS_DIR, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=timeout,
                              env=dict(os.environ, KAFKAJS_NO_PARTITIONER_WARNING="1"))
        out = proc.stdout.decode(errors="replace") + proc.stderr.decode(errors="replace")
        if proc.returncode != 0:
            raise AssertionError("node group_consumer.js failed (exit %d):\n%s" % (proc.returncode, out[-6000:]))
        with open(res) as f:
            return json.load(f), out


class KafkajsGroupTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.broker = h.class_broker(cls, gc.FAST_GROUPS)

    @classmethod
    def tearDownClass(cls):
        cls.broker.__exit__(None, None, None)

    def test_group_shares_partitions_commits_and_resumes(self):
        gc.create_topic(self.broker, TOPIC, 2)
        values = ["js-%d" % i for i in range(40)]
        result, log = run_node({"broker": self.broker.address, "topic": TOPIC, "groupId": GROUP,
                                "consumers": 2, "partitions": 2, "produce": values, "expect": 40})
        detail = lambda: json.dumps(result)[:4000] + "\n" + log[-3000:] + "\n" + self.broker.log()[-3000:]
        seen = [s["value"] for s in result["seen"]]
        self.assertEqual(sorted(seen), sorted(values), detail())
        # One consumer per partition.
        owners = {}
        for s in result["seen"]:
            owners.setdefault(s["partition"], set()).add(s["consumer"])
        self.assertEqual({p: len(c) for p, c in owners.items()}, {0: 1, 1: 1}, detail())
        self.assertNotEqual(owners[0], owners[1], detail())

        group = result["describe"]["groups"][0]
        self.assertEqual(group["groupId"], GROUP)
        self.assertEqual(group["state"], "Stable")
        self.assertEqual(group["protocolType"], "consumer")
        self.assertEqual(len(group["members"]), 2)
        self.assertIn({"groupId": GROUP, "protocolType": "consumer"}, result["groups"]["groups"])
        committed = {p["partition"]: int(p["offset"]) for p in result["offsets"][0]["partitions"]}
        self.assertEqual(committed, {0: 20, 1: 20}, detail())

        more = ["js-more-%d" % i for i in range(6)]
        result, log = run_node({"broker": self.broker.address, "topic": TOPIC, "groupId": GROUP,
                                "consumers": 1, "partitions": 2, "produce": more, "expect": 6})
        self.assertEqual(sorted(s["value"] for s in result["seen"]), sorted(more), detail())
        self.assertEqual(sorted((s["partition"], int(s["offset"])) for s in result["seen"]),
                         sorted([(0, 20), (0, 21), (0, 22), (1, 20), (1, 21), (1, 22)]))
        committed = {p["partition"]: int(p["offset"]) for p in result["offsets"][0]["partitions"]}
        self.assertEqual(committed, {0: 23, 1: 23})


if __name__ == "__main__":
    h.main()
