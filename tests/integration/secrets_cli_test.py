"""`metrics-dashboard cli admin secrets-migration ...` on copies of real Grafana databases
(../shared/fixtures/grafana-databases), as an operator would run it."""
import hashlib
import json
import os
import shutil
import subprocess

import mdtest

FIXTURES = os.path.join(mdtest.SOURCE_DIR, "..", "shared", "fixtures", "grafana-databases")
REFERENCE = os.path.join(mdtest.SOURCE_DIR, "tests", "compat", "grafana_reference.py")
MODBUS = "Naybeer__modbus__05b8c317__grafana_data_grafana.db"
DEFAULT_KEY = "SW2YcwTIb9zpOOhoPsMm"


class SecretsCliTest(mdtest.unittest.TestCase):
    def setUp(self):
        self.home = mdtest.TempHome()
        self.db = os.path.join(self.home.path, "grafana.db")
        shutil.copy(os.path.join(FIXTURES, MODBUS), self.db)

    def tearDown(self):
        self.home.cleanup()

    def cli(self, action, *flags, key=DEFAULT_KEY):
        return mdtest.run(["cli", "--homepath", self.home.path, "admin", "secrets-migration", action]
                          + list(flags) + ["cfg:database.path=" + self.db,
                                           "cfg:security.secret_key=" + key])

    def data_source_plaintexts(self):
        out = subprocess.run(["/usr/bin/python3", REFERENCE, "read", self.db, DEFAULT_KEY],
                             capture_output=True, text=True, check=True).stdout
        return json.loads(out)

    def secrets_digest(self):
        dump = subprocess.run(["sqlite3", self.db,
                               "SELECT secure_json_data FROM data_source ORDER BY id;"
                               "SELECT value FROM secrets ORDER BY id;"
                               "SELECT private_key FROM signing_key ORDER BY id;"
                               "SELECT name, hex(encrypted_data), active FROM data_keys ORDER BY name;"],
                              capture_output=True, check=True).stdout
        return hashlib.sha256(dump).hexdigest()

    def test_operator_flow_keeps_every_plaintext(self):
        expected = {"influxdb": {"basicAuthPassword": "1234", "password": "1234"},
                    "influxdb-1": {"password": "1234"}, "influxdb-2": {"password": "1234"}}
        self.assertEqual(self.data_source_plaintexts(), expected)

        status = self.cli("status", "--output", "json")
        self.assertEqual(status.returncode, 0, status.stderr)
        inventory = json.loads(status.stdout)
        self.assertEqual(inventory["valuesByFormat"], {"envelope": 9})
        self.assertTrue(inventory["defaultSecretKeyInUse"])

        for action, flags in (("verify", []), ("re-encrypt", []), ("rotate-data-keys", []),
                              ("re-encrypt", ["--stale-only"]), ("re-encrypt-data-keys", []),
                              ("verify", []), ("rollback", []), ("verify", [])):
            proc = self.cli(action, *flags)
            self.assertEqual(proc.returncode, 0, "%s: %s%s" % (action, proc.stdout, proc.stderr))
            self.assertEqual(self.data_source_plaintexts(), expected, action)
        report = self.cli("status", "--output", "json")
        self.assertEqual(json.loads(report.stdout)["valuesByFormat"], {"legacy aes-cfb": 9})

    def test_report_is_readable_and_json(self):
        proc = self.cli("re-encrypt", "--dry-run")
        self.assertEqual(proc.returncode, 0)
        self.assertIn("data_source.secure_json_data", proc.stdout)
        self.assertIn("(no such table, skipped)", proc.stdout)
        self.assertIn("rows would change", proc.stdout)
        report = json.loads(self.cli("verify", "--output", "json").stdout)
        self.assertTrue(report["ok"])
        self.assertEqual(report["operation"], "verify")

    def test_wrong_key_refuses_to_write_and_changes_nothing(self):
        before = self.secrets_digest()
        for action in ("re-encrypt", "rollback", "re-encrypt-data-keys", "rotate-data-keys"):
            proc = self.cli(action, key="not-the-key")  # no check value yet: plausibility decides
            self.assertEqual(proc.returncode, 1, action)
            self.assertIn("secret_key is not the key", proc.stderr)
            self.assertNotIn("not-the-key", proc.stderr + proc.stdout)
        self.assertEqual(self.secrets_digest(), before)
        self.assertEqual(self.cli("verify", key="not-the-key").returncode, 1)
        self.assertEqual(self.cli("re-encrypt").returncode, 0)  # records the check value
        self.assertEqual(self.cli("verify", key="not-the-key").returncode, 1)

    def test_no_bookkeeping_leaves_the_schema_alone(self):
        proc = self.cli("re-encrypt", "--no-bookkeeping")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        tables = subprocess.run(["sqlite3", self.db, "SELECT name FROM sqlite_master WHERE name LIKE 'md_%'"],
                                capture_output=True, text=True).stdout
        self.assertEqual(tables.strip(), "")

    def test_unreachable_database_is_one_line(self):
        proc = mdtest.run(["cli", "--homepath", self.home.path, "admin", "secrets-migration", "status",
                           "cfg:database.type=postgres", "cfg:database.host=127.0.0.1:1"])
        self.assertEqual(proc.returncode, 1)
        self.assertEqual(len(proc.stderr.strip().splitlines()), 1, proc.stderr)


if __name__ == "__main__":
    mdtest.main()
