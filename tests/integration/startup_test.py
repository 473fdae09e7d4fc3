"""Start-up failures (one line, exit code) and the command line (--help, --version, cli)."""
import socket
import unittest

import mdtest


class StartupTest(unittest.TestCase):
    def setUp(self):
        self.home = mdtest.TempHome()

    def tearDown(self):
        self.home.cleanup()

    def assert_one_line(self, proc, code, expected):
        self.assertEqual(proc.returncode, code, proc.stderr)
        lines = proc.stderr.strip().splitlines()
        self.assertEqual(len([l for l in lines if l.startswith("metrics-dashboard: ")]), 1,
                         proc.stderr)
        self.assertIn(expected, lines[-1])
        self.assertNotIn("Traceback", proc.stderr)
        self.assertNotIn("terminate called", proc.stderr)

    def test_bad_config_value_exits_2_with_one_line(self):
        proc = mdtest.run(["server", "--homepath", self.home.path, "cfg:server.http_port=abc"])
        self.assert_one_line(proc, 2, 'invalid value "abc" for server.http_port: expected an '
                                      'integer from 1 to 65535')
        self.assertEqual(len(proc.stderr.strip().splitlines()), 1)

    def test_bad_value_from_custom_file_and_env(self):
        self.home.write("conf/custom.ini", "[log]\nlevel = chatty\n")
        proc = mdtest.run(["server", "--homepath", self.home.path])
        self.assert_one_line(proc, 2, 'invalid value "chatty" for log.level')
        proc = mdtest.run(["server", "--homepath", self.home.path],
                          env={"GF_LOG_LEVEL": "info", "GF_SECURITY_ENCRYPTION_ALGORITHM": "rot13"})
        self.assert_one_line(proc, 2, 'for security.encryption.algorithm')

    def test_secret_values_are_hidden(self):
        proc = mdtest.run(["server", "--homepath", self.home.path,
                           "cfg:security.secret_key=$__vault{my-secret-path}"])
        self.assertEqual(proc.returncode, 2)
        self.assertNotIn("my-secret-path", proc.stderr)

    def test_missing_homepath_exits_2(self):
        proc = mdtest.run(["server", "--homepath", self.home.path + "/nowhere"])
        self.assert_one_line(proc, 2, "defaults.ini")

    def test_unreachable_database_exits_1_with_one_line(self):
        port = mdtest.free_port()  # nothing listens there
        proc = mdtest.run(["server", "--homepath", self.home.path, "cfg:database.type=postgres",
                           "cfg:database.host=127.0.0.1:%d" % port, "cfg:database.password=pw-x1",
                           "cfg:server.http_port=%d" % mdtest.free_port()])
        self.assertEqual(proc.returncode, 1, proc.stderr)
        fatal = [l for l in proc.stderr.splitlines() if l.startswith("metrics-dashboard: ")]
        self.assertEqual(len(fatal), 1, proc.stderr)
        self.assertNotIn("pw-x1", proc.stderr)

    def test_port_in_use_exits_1_with_one_line(self):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.bind(("127.0.0.1", 0))
            s.listen(1)
            port = s.getsockname()[1]
            proc = mdtest.run(["server", "--homepath", self.home.path,
                               "cfg:server.http_addr=127.0.0.1", "cfg:server.http_port=%d" % port])
        self.assert_one_line(proc, 1, "cannot listen on 127.0.0.1:%d: address already in use" % port)

    def test_version_and_help(self):
        proc = mdtest.run(["--version"])
        self.assertEqual(proc.returncode, 0)
        self.assertRegex(proc.stdout.strip(), r"^metrics-dashboard \d+\.\d+\.\d+$")
        proc = mdtest.run(["--help"])
        self.assertEqual(proc.returncode, 0)
        for word in ("server", "cli", "--version"):
            self.assertIn(word, proc.stdout)
        proc = mdtest.run(["cli", "admin", "secrets-migration", "--help"])
        self.assertEqual(proc.returncode, 0)
        for action in ("re-encrypt", "rollback", "re-encrypt-data-keys", "rotate-data-keys",
                       "status", "verify"):
            self.assertIn(action, proc.stdout)
        self.assertIn("Rolls back secrets to legacy encryption", proc.stdout)

    def test_usage_error_exits_2(self):
        self.assertEqual(mdtest.run(["frobnicate"]).returncode, 2)
        self.assertEqual(mdtest.run([]).returncode, 2)

    def test_secrets_migration_rejects_bad_flags(self):
        proc = mdtest.run(["cli", "--homepath", self.home.path, "admin", "secrets-migration",
                           "status", "--output", "xml"])
        self.assertEqual(proc.returncode, 2)
        self.assertIn("--output", proc.stderr)

if __name__ == "__main__":
    mdtest.main()
