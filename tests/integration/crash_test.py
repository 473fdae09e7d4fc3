"""kill -9 at random moments during re-encrypt and rollback: every secret must still decrypt to its
original value after each kill (checked with the independent implementation), and a re-run must
complete."""
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

import mdtest

sys.path.insert(0, os.path.join(mdtest.SOURCE_DIR, "tests", "compat"))
import grafana_reference as ref  # noqa: E402

KEY = "crash-test-key-0123456789"
ROWS = 400
KILLS = 10


class CrashTest(mdtest.unittest.TestCase):
    def setUp(self):
        self.home = mdtest.TempHome()
        self.db = os.path.join(self.home.path, "data", "metrics-dashboard.db")
        self.common = ["--homepath", self.home.path, "cfg:security.secret_key=" + KEY]
        server = mdtest.Server(self.home, ["cfg:security.secret_key=" + KEY])  # creates the schema
        server.wait_healthy()
        self.assertEqual(server.stop(), 0)
        self.expected = self.seed()

    def tearDown(self):
        self.home.cleanup()

    def seed(self):
        """Data sources with legacy values written elsewhere (own salt each), like Grafana 8."""
        db = sqlite3.connect(self.db)
        expected = {}
        for i in range(ROWS):
            name = "ds-%04d" % i
            db.execute("INSERT INTO data_source (org_id, version, type, name, access, url, basic_auth,"
                       " is_default, with_credentials, json_data, secure_json_data, uid, created, updated)"
                       " VALUES (1, 1, 'postgres', ?, 'proxy', '', 0, 0, 0, '{}', '{}', ?,"
                       " '2024-01-01 00:00:00', '2024-01-01 00:00:00')", (name, name))
            expected[name] = {"password": "password-%d-%s" % (i, "x" * (i % 17))}
        db.commit()
        db.close()
        self.expected = expected
        self.rewrite_elsewhere()
        return expected

    def rewrite_elsewhere(self):
        """Every value written again as another program would: a fresh salt each, so a run must
        derive a key per value (slow enough for a kill to land mid-run)."""
        db = sqlite3.connect(self.db, timeout=30)
        for name, values in self.expected.items():
            blob = ref.legacy_encrypt(values["password"].encode(), KEY.encode())
            secure = '{"password":"%s"}' % ref.base64.b64encode(blob).decode()
            db.execute("UPDATE data_source SET secure_json_data = ? WHERE name = ?", (secure, name))
        db.commit()
        db.close()

    def plaintexts(self):
        db = sqlite3.connect(self.db, timeout=30)
        out = {}
        for name, stored in db.execute("SELECT name, secure_json_data FROM data_source"):
            values = ref.json.loads(stored)
            out[name] = {k: ref.decrypt(ref.base64.b64decode(v), KEY.encode(), db).decode()
                         for k, v in values.items()}
        db.close()
        return out

    def start(self, action):
        return subprocess.Popen([mdtest.BINARY, "cli"] + self.common[:2] +
                                ["admin", "secrets-migration", action, "--batch-size", "25",
                                 "--no-bookkeeping", self.common[2]], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def test_kill_9_never_loses_a_secret_and_a_rerun_completes(self):
        rng = random.Random(int(os.environ.get("MD_CRASH_SEED", "7")))
        killed = 0
        for i in range(KILLS):
            action = "re-encrypt" if i % 3 != 2 else "rollback"
            self.rewrite_elsewhere()
            proc = self.start(action)
            time.sleep(rng.uniform(0.05, 0.6))
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                killed += 1
            proc.wait()
            self.assertEqual(self.plaintexts(), self.expected, "after kill %d (%s)" % (i, action))
        self.assertGreater(killed, KILLS // 2, "the runs ended before they could be killed")
        # The killed runs used --no-bookkeeping (a killed holder's lock would block the next run
        # for 60 s); the re-runs take the lock and record the key check as usual.
        for action in ("re-encrypt", "rollback", "re-encrypt"):
            done = mdtest.run(["cli"] + self.common[:2] + ["admin", "secrets-migration", action,
                                                          self.common[2]], timeout=300)
            self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
            self.assertEqual(self.plaintexts(), self.expected, action)


if __name__ == "__main__":
    mdtest.main()
