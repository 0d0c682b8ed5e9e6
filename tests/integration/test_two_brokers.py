"""Two brokers side by side (different node ids, ports and data dirs) each
answer with their own id; a second broker on a data dir in use fails clearly
while the first keeps running."""

import os
import shutil
import tempfile
import unittest

import harness as h


class TwoBrokersTest(unittest.TestCase):
    def test_side_by_side(self):
        with h.Broker(["--node-id", "1"]) as one, h.Broker(["--node-id", "2"]) as two:
            self.assertNotEqual(one.port, two.port)
            self.assertNotEqual(one.data_dir, two.data_dir)
            for broker, node in ((one, 1), (two, 2)):
                for version in (0, 1, 2, 9, 12):
                    print("  node %d on %s: Metadata v%d -> broker %d%s"
                          % (node, broker.address, version, node,
                             ", controller %d" % node if version >= 1 else ""))
                    with broker.connect() as conn:
                        md = conn.metadata(version)
                    self.assertEqual([(b["node_id"], b["host"], b["port"]) for b in md["brokers"]],
                                     [(node, "127.0.0.1", broker.port)])
                    if version >= 1:
                        self.assertEqual(md["controller_id"], node)
                broker.wait_for_log("broker %d started" % node)
            # Separate data dirs hold separate clusters.
            with one.connect() as c1, two.connect() as c2:
                id1, id2 = c1.metadata(2)["cluster_id"], c2.metadata(2)["cluster_id"]
            print("  cluster ids: %s and %s (both set)" % (id1, id2))
            self.assertTrue(id1)
            self.assertTrue(id2)

    def test_same_data_dir_refused(self):
        shared = tempfile.mkdtemp(prefix="brokkr-it-shared-")
        try:
            self.check_same_data_dir(os.path.join(shared, "data"))
        finally:
            shutil.rmtree(shared, ignore_errors=True)

    def check_same_data_dir(self, data_dir):
        with h.Broker(["--node-id", "1"], data_dir=data_dir) as first:
            listen = ["--listen", "127.0.0.1:%d" % h.free_port()]
            print("  second broker on %s while the first runs -> exit != 0, one line "
                  "naming the data dir" % data_dir)
            rc, out, err = h.run_brokkr(["--node-id", "2", "--data-dir", data_dir] + listen,
                                        cwd=first.workdir)
            detail = "exit %d\nstdout:\n%s\nstderr:\n%s" % (rc, out, err)
            self.assertNotEqual(rc, 0, detail)
            lines = h.log_lines(err)
            self.assertEqual(len(lines), 1, detail)
            self.assertTrue(lines[0].startswith("brokkr: error: "), detail)
            self.assertIn(data_dir, lines[0], detail)
            self.assertIn("in use", lines[0], detail)
            print("    got: %s" % lines[0])
            # The same directory spelled another way is still the same directory.
            other_spelling = os.path.join(data_dir, ".", "")
            print("  ... and on %s -> refused too" % other_spelling)
            rc, out, err = h.run_brokkr(["--data-dir", other_spelling] + listen,
                                        cwd=first.workdir)
            self.assertNotEqual(rc, 0, err)
            self.assertIn("in use", err)
            # The first broker is unaffected.
            self.assertTrue(first.alive(), first.log())
            with first.connect() as conn:
                md = conn.metadata(2)
                self.assertEqual(md["controller_id"], 1)
                self.assertEqual([b["node_id"] for b in md["brokers"]], [1])
                self.assertEqual(conn.api_versions(3)["error_code"], 0)
            cluster_id = md["cluster_id"]
        # Once the first stopped, the directory is free again.
        print("  after the first stopped, a broker on the same data dir starts (same cluster)")
        with h.Broker(["--node-id", "1"], data_dir=data_dir) as again:
            with again.connect() as conn:
                self.assertEqual(conn.metadata(2)["cluster_id"], cluster_id)


if __name__ == "__main__":
    h.main()
