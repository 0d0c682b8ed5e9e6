"""Startup errors: a bad configuration, command line, listen address or plugin
makes the broker exit non-zero with exactly one line on stderr that names the
key (or plugin, or file) and the reason.  Also --check-config, --version,
--help and --list-plugins."""

import os
import re
import shutil
import socket
import tempfile
import unittest

import harness as h

# Test plugins built by tests/plugins into <build dir>/test-plugins/<case>/
# (case directory, plugin name): see tests/plugins/CMakeLists.txt.
ABI_CASE, ABI_PLUGIN_NAME = "abi-version", "test-abi"


class StartupErrorTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="brokkr-it-startup-")
        self.data_dir = os.path.join(self.tmp, "data")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def write_config(self, text, name="broker.toml"):
        path = os.path.join(self.tmp, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def run_broker(self, args, listen=True):
        """Runs brokkr with its own data dir (and a free port) in a scratch cwd."""
        full = ["--data-dir", self.data_dir]
        if listen:
            full += ["--listen", "127.0.0.1:%d" % h.free_port()]
        return h.run_brokkr(full + list(args), cwd=self.tmp, timeout=10)

    def expect_failure(self, args, prefix, *needles, listen=True, code=None, only_line=True):
        """Runs brokkr; checks exit code != 0 and one stderr line with prefix and needles.

        only_line=False: failures found after startup began (plugins loaded,
        listeners bound) may follow log lines; the error is still exactly one
        line, the last, and the broker never says it started."""
        print("  brokkr %s\n    -> exit != 0, %s stderr line %r containing %r"
              % (" ".join(args), "one" if only_line else "last", prefix, list(needles)))
        rc, out, err = self.run_broker(args, listen=listen)
        lines = h.log_lines(err)
        detail = "brokkr %s\nexit code %d\nstdout:\n%s\nstderr:\n%s" % (" ".join(args), rc, out,
                                                                      err)
        self.assertNotEqual(rc, 0, "expected a failure: " + detail)
        if code is not None:
            self.assertEqual(rc, code, detail)
        if only_line:
            self.assertEqual(len(lines), 1, "expected exactly one stderr line: " + detail)
        else:
            self.assertTrue(lines, detail)
            self.assertEqual(len([l for l in lines if l.startswith("brokkr:")]), 1,
                             "expected exactly one error line: " + detail)
        line = lines[-1]
        self.assertTrue(line.startswith(prefix), "expected %r at the start: %s" % (prefix, detail))
        for needle in needles:
            self.assertIn(needle, line, detail)
        # The reason is for the operator: no library source paths or signatures.
        self.assertNotIn("/usr/include", line, detail)
        self.assertNotIn(" in function ", line, detail)
        self.assertNotIn("started", err, detail)
        print("    got: %s" % line)
        return line

    # -- configuration file --

    def test_unknown_key_in_file(self):
        path = self.write_config('[broker]\nnode_id = 3\nnode_idd = 4\n')
        self.expect_failure(["--config", path], "brokkr: config error: broker.node_idd",
                            "unknown key")

    def test_unknown_section_in_file(self):
        path = self.write_config('[brokr]\nnode_id = 3\n')
        self.expect_failure(["--config", path], "brokkr: config error: brokr", "unknown key")

    def test_unknown_listener_key_in_file(self):
        path = self.write_config('[[listeners]]\nname = "PLAINTEXT"\nlisten = "127.0.0.1:0"\n'
                                 'advertized = "x:1"\n')
        self.expect_failure(["--config", path], "brokkr: config error: listeners[0].advertized",
                            "unknown key")

    def test_wrong_type_in_file(self):
        path = self.write_config('[broker]\nnode_id = "one"\n')
        self.expect_failure(["--config", path],
                            'brokkr: config error: broker.node_id = "one"', "integer")

    def test_wrong_type_table_in_file(self):
        path = self.write_config('network = 5\n')
        self.expect_failure(["--config", path], "brokkr: config error: network = 5", "table")

    def test_toml_syntax_error(self):
        path = self.write_config('[broker]\nnode_id = 1\n[network\nio_threads = 2\n')
        line = self.expect_failure(["--config", path], "brokkr: config error: " + path)
        self.assertRegex(line, re.escape(path) + r":3:\d+: ")

    def test_missing_config_file(self):
        path = os.path.join(self.tmp, "does-not-exist.toml")
        self.expect_failure(["--config", path], "brokkr: config error: ", path)

    def test_bad_listen_in_file(self):
        path = self.write_config('[[listeners]]\nname = "PLAINTEXT"\nlisten = "nohost"\n')
        self.expect_failure(["--config", path],
                            'brokkr: config error: listeners[0].listen = "nohost"',
                            "host:port", listen=False)

    def test_ssl_listener_refused(self):
        path = self.write_config('[[listeners]]\nname = "SSL"\nsecurity_protocol = "SSL"\n'
                                 'listen = "127.0.0.1:0"\n')
        self.expect_failure(["--config", path],
                            'brokkr: config error: listeners[0].security_protocol = "SSL"',
                            "PLAINTEXT")

    def test_duplicate_listener_name(self):
        path = self.write_config('[[listeners]]\nname = "A"\nlisten = "127.0.0.1:0"\n'
                                 '[[listeners]]\nname = "A"\nlisten = "127.0.0.1:0"\n')
        self.expect_failure(["--config", path], 'brokkr: config error: listeners[1].name = "A"',
                            "duplicate")

    def test_config_is_a_directory(self):
        self.expect_failure(["--config", self.tmp], "brokkr: config error: ", self.tmp)

    def test_data_dir_is_a_file(self):
        path = self.write_config("not a directory\n", name="file")
        self.expect_failure(["--data-dir", path], "brokkr: error: ", path)

    # -- overrides and flags --

    def test_unknown_key_override(self):
        self.expect_failure(["--override", "network.max_request_byte=4096"],
                            "brokkr: config error: network.max_request_byte", "unknown key")

    def test_wrong_type_override(self):
        self.expect_failure(["--override", "network.max_request_bytes=true"],
                            "brokkr: config error: network.max_request_bytes = true", "integer")

    def test_out_of_range_override(self):
        self.expect_failure(["--override", "network.max_request_bytes=10"],
                            "brokkr: config error: network.max_request_bytes = 10",
                            "between 1024 and")

    def test_bad_node_id(self):
        self.expect_failure(["--node-id", "abc"], 'brokkr: config error: broker.node_id = "abc"',
                            "integer")
        self.expect_failure(["--node-id", "-1"], "brokkr: config error: broker.node_id = -1",
                            "between 0 and")

    def test_bad_log_level(self):
        self.expect_failure(["--override", "logging.level=loud"],
                            'brokkr: config error: logging.level = "loud"', "must be one of")

    def test_unknown_log_component(self):
        self.expect_failure(["--override", "logging.components.nett=debug"],
                            "brokkr: config error: logging.components.nett", "unknown component")

    def test_plugin_table_not_selected(self):
        self.expect_failure(["--override", "plugins.raftt.fsync=false"],
                            "brokkr: config error: plugins.raftt", "not selected")

    def test_unknown_plugin_setting(self):
        self.expect_failure(["--override", "plugins.raft.fsyncc=false"],
                            "brokkr: config error: plugins.raft.fsyncc", "unknown key")

    def test_wrong_type_plugin_setting(self):
        self.expect_failure(["--override", 'plugins.raft.snapshot_interval_entries="many"'],
                            "brokkr: config error: plugins.raft.snapshot_interval_entries",
                            "must be")

    def test_bad_override_syntax(self):
        self.expect_failure(["--override", "no-equals-sign"], "brokkr: config error: ",
                            "no-equals-sign")

    def test_unknown_argument(self):
        self.expect_failure(["--bogus"], "brokkr: ", "--bogus")

    def test_flag_without_value(self):
        self.expect_failure(["--listen", "127.0.0.1:%d" % h.free_port(), "--node-id"],
                            "brokkr: ", "--node-id", listen=False)

    # -- listen addresses --

    def test_bad_listen_port(self):
        self.expect_failure(["--listen", "127.0.0.1:99999"],
                            'brokkr: config error: --listen = "127.0.0.1:99999"', "port",
                            listen=False)

    def test_listen_without_port(self):
        self.expect_failure(["--listen", "localhost"],
                            'brokkr: config error: --listen = "localhost"', "host:port",
                            listen=False)

    def test_listen_empty_host(self):
        self.expect_failure(["--listen", ":9092"], 'brokkr: config error: --listen = ":9092"',
                            "host", listen=False)

    def test_advertise_port_zero(self):
        # The config file refuses advertise = "...:0"; the flag must too.
        self.expect_failure(["--advertise", "127.0.0.1:0"],
                            'brokkr: config error: --advertise = "127.0.0.1:0"', "port")

    def test_listen_on_foreign_address(self):
        # 192.0.2.1 (TEST-NET-1) is not an address of this machine: bind fails.
        # The log may have lines before the error; the error itself is one
        # line, the last, and the broker never says it started.
        address = "192.0.2.1:%d" % h.free_port()
        self.check_bind_failure(["--listen", address], address)

    def test_listen_on_busy_port(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            s.listen(1)
            address = "127.0.0.1:%d" % s.getsockname()[1]
            self.check_bind_failure(["--listen", address], address, "in use")

    def check_bind_failure(self, args, address, *needles):
        self.expect_failure(args, "brokkr: error: ", address, "listen", *needles, listen=False,
                            only_line=False)

    # -- plugins --

    def test_missing_coordination_plugin(self):
        self.expect_failure(["--override", "plugins.coordination=nope"], "brokkr: plugin error: ",
                            "'nope'", "no coordination plugin")

    def test_missing_plugin_directory(self):
        missing = os.path.join(self.tmp, "no-such-dir")
        self.expect_failure(["--override", 'plugins.directories=["%s"]' % missing],
                            "brokkr: plugin error: ", missing, "does not exist")

    def test_empty_plugin_directory(self):
        empty = os.path.join(self.tmp, "empty")
        os.mkdir(empty)
        self.expect_failure(["--override", 'plugins.directories=["%s"]' % empty],
                            "brokkr: plugin error: ", "'raft'", empty)

    def test_not_a_plugin(self):
        # A .so that is not a shared library at all.
        d = os.path.join(self.tmp, "junk")
        os.mkdir(d)
        with open(os.path.join(d, "libjunk.so"), "wb") as f:
            f.write(b"this is not an ELF file\n" * 10)
        self.expect_failure(["--override", 'plugins.directories=["%s"]' % d],
                            "brokkr: plugin error: ", "'raft'")

    def case_dir(self, case):
        self.assertIsNotNone(h.BUILD_DIR, "this test needs the build dir as second argument")
        d = os.path.join(h.BUILD_DIR, "test-plugins", case)
        self.assertTrue(os.path.isdir(d), "test plugin directory %s is missing (built by "
                        "tests/plugins)" % d)
        libs = sorted(os.path.join(d, f) for f in os.listdir(d) if f.endswith(".so"))
        self.assertTrue(libs, "no .so in %s" % d)
        return d, libs

    def default_plugin_dir(self):
        rc, out, err = self.run_broker(["--list-plugins"])
        self.assertEqual(rc, 0, err)
        dirs = [l.split(" ", 2)[2] for l in out.splitlines() if l.startswith("# directory ")]
        self.assertEqual(len(dirs), 1, out)
        return dirs[0]

    @staticmethod
    def dirs_override(*dirs):
        return "plugins.directories=[%s]" % ", ".join('"%s"' % d for d in dirs)

    def test_abi_mismatched_plugin(self):
        # Its manifest cannot be read past abi_version, so its name is unknown;
        # asked for by name, the error must still say which file and why.
        d, libs = self.case_dir(ABI_CASE)
        line = self.expect_failure(["--override", self.dirs_override(d),
                                    "--override", "plugins.coordination=%s" % ABI_PLUGIN_NAME],
                                   "brokkr: plugin error: ", ABI_PLUGIN_NAME, "ABI version 999")
        self.assertTrue(any(lib in line for lib in libs), "the file is named: %s" % line)

    def test_abi_mismatched_plugin_beside_raft(self):
        # With raft found, the ABI-999 library beside it is ignored (listed as refused).
        d, libs = self.case_dir(ABI_CASE)
        print("  raft plugin dir + %s: broker starts, the refused file is not fatal" % d)
        with h.Broker(["--override", self.dirs_override(self.default_plugin_dir(), d)]) as b:
            with b.connect() as conn:
                self.assertEqual(conn.api_versions(0)["error_code"], 0)
            b.wait_for_log("loaded plugin coordination/raft")

    def test_wrong_sdk_fingerprint_assignor(self):
        d, libs = self.case_dir("sdk-fingerprint")
        self.expect_failure(["--override", self.dirs_override(self.default_plugin_dir(), d),
                             "--override", 'plugins.assignors=["test-wrong-sdk"]'],
                            "brokkr: plugin error: ", libs[0], "SDK",
                            only_line=False)

    def test_wrong_toolchain_assignor(self):
        d, libs = self.case_dir("toolchain")
        self.expect_failure(["--override", self.dirs_override(self.default_plugin_dir(), d),
                             "--override", 'plugins.assignors=["test-wrong-toolchain"]'],
                            "brokkr: plugin error: ", libs[0], "toolchain",
                            only_line=False)

    def test_duplicate_assignors(self):
        a, libs_a = self.case_dir("duplicate-a")
        b, libs_b = self.case_dir("duplicate-b")
        self.expect_failure(["--override", self.dirs_override(self.default_plugin_dir(), a, b),
                             "--override", 'plugins.assignors=["test-dup"]'],
                            "brokkr: plugin error: ", "'test-dup'", libs_a[0], libs_b[0],
                            only_line=False)

    def test_two_codec_plugins_for_one_codec_id(self):
        # gzip (zlib) and gzip-isal both provide codec id 1: refused, naming both.
        self.expect_failure(["--override", 'plugins.codecs=["gzip", "snappy", "gzip-isal"]'],
                            "brokkr: plugin error: ", "'gzip'", "'gzip-isal'", "codec id 1",
                            only_line=False)

    def test_assignor_as_coordination(self):
        d, libs = self.case_dir("good")
        self.expect_failure(["--override", self.dirs_override(d),
                             "--override", "plugins.coordination=test-good"],
                            "brokkr: plugin error: ", libs[0], "assignor", "coordination")

    def test_good_assignor_loads(self):
        d, libs = self.case_dir("good")
        print("  raft plugin dir + %s, assignors=[test-good] -> broker starts, logs the "
              "assignor" % d)
        with h.Broker(["--override", self.dirs_override(self.default_plugin_dir(), d),
                       "--override", 'plugins.assignors=["test-good"]']) as b:
            b.wait_for_log("loaded plugin assignor/test-good")
            with b.connect() as conn:
                self.assertEqual(conn.metadata(1)["controller_id"], 1)

    def test_non_plugin_libraries(self):
        d, libs = self.case_dir("not-a-plugin")
        self.expect_failure(["--override", self.dirs_override(d),
                             "--override", "plugins.coordination=raft"],
                            "brokkr: plugin error: ", "'raft'", d)

    def test_list_plugins_shows_abi_refusal(self):
        d, libs = self.case_dir(ABI_CASE)
        print("  brokkr --list-plugins with %s -> lists the file as refused, ABI version 999" % d)
        rc, out, err = self.run_broker(["--list-plugins", "--override", self.dirs_override(d)])
        self.assertEqual(rc, 0, err)
        rows = [l for l in out.splitlines() if any(lib in l for lib in libs)]
        self.assertTrue(rows, out)
        self.assertIn("refused", rows[0], out)
        self.assertIn("ABI version 999", rows[0], out)

    # -- modes that succeed --

    def test_check_config_shipped(self):
        config = os.path.join(h.repo_root(), "configs", "broker.toml")
        print("  brokkr --check-config --config configs/broker.toml -> exit 0, "
              "'configuration OK', touches no files")
        rc, out, err = h.run_brokkr(["--check-config", "--config", config], cwd=self.tmp)
        self.assertEqual(rc, 0, "stdout:\n%s\nstderr:\n%s" % (out, err))
        self.assertIn("configuration OK", out)
        self.assertEqual(os.listdir(self.tmp), [], "--check-config created files in its cwd")

    def test_check_config_catches_errors(self):
        path = self.write_config('[broker]\nnode_id = 3\nbogus = 1\n')
        print("  brokkr --check-config with an unknown key -> exit != 0, one line")
        rc, out, err = h.run_brokkr(["--check-config", "--config", path], cwd=self.tmp)
        self.assertNotEqual(rc, 0)
        self.assertEqual(h.log_lines(err), ["brokkr: config error: broker.bogus: unknown key"])
        print("  brokkr --check-config with a missing plugin -> exit != 0, one line")
        rc, out, err = h.run_brokkr(["--check-config", "--override", "plugins.coordination=nope"],
                                    cwd=self.tmp)
        self.assertNotEqual(rc, 0)
        lines = h.log_lines(err)
        self.assertEqual(len(lines), 1, err)
        self.assertTrue(lines[0].startswith("brokkr: plugin error: "), err)
        self.assertIn("'nope'", lines[0])

    def test_version(self):
        with open(os.path.join(h.repo_root(), "CMakeLists.txt")) as f:
            expected = re.search(r"project\(brokkr VERSION ([0-9.]+)", f.read()).group(1)
        print("  brokkr --version -> 'brokkr %s', exit 0" % expected)
        rc, out, err = h.run_brokkr(["--version"], cwd=self.tmp)
        self.assertEqual(rc, 0, err)
        self.assertEqual(out, "brokkr %s\n" % expected)
        self.assertEqual(err, "")

    def test_help(self):
        print("  brokkr --help -> usage on stdout, exit 0")
        rc, out, err = h.run_brokkr(["--help"], cwd=self.tmp)
        self.assertEqual(rc, 0, err)
        self.assertIn("usage: brokkr", out)
        for flag in ("--config", "--node-id", "--data-dir", "--listen", "--advertise",
                     "--override", "--check-config", "--list-plugins", "--version"):
            self.assertIn(flag, out)

    def test_list_plugins(self):
        print("  brokkr --list-plugins -> raft listed as an ok coordination plugin")
        rc, out, err = self.run_broker(["--list-plugins"])
        self.assertEqual(rc, 0, err)
        rows = [l.split() for l in out.splitlines() if not l.startswith("#")]
        self.assertIn(["KIND", "NAME", "VERSION", "STATUS", "FILE"], rows, out)
        raft = [r for r in rows if r[:2] == ["coordination", "raft"]]
        self.assertEqual(len(raft), 1, out)
        self.assertEqual(raft[0][3], "ok", out)


if __name__ == "__main__":
    h.main()
