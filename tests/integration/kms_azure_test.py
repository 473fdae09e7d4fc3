"""Moving a real Grafana database's data keys from secretKey.v1 to an Azure Key Vault key (the
loopback emulator in tests/emulators/azure_kv_emulator.py, real RSA-OAEP-256) and back, with the
CLI an operator would use: re-encrypt, re-encrypt-data-keys, verify and status. The vault key is
rotated half-way to show that unwrapping uses the version kept with each data key."""
import json
import os
import shutil
import subprocess
import urllib.request

import mdtest

FIXTURES = os.path.join(mdtest.SOURCE_DIR, "..", "shared", "fixtures", "grafana-databases")
REFERENCE = os.path.join(mdtest.SOURCE_DIR, "tests", "compat", "grafana_reference.py")
EMULATOR = os.path.join(mdtest.SOURCE_DIR, "tests", "emulators", "azure_kv_emulator.py")
MODBUS = "Naybeer__modbus__05b8c317__grafana_data_grafana.db"
DEFAULT_KEY = "SW2YcwTIb9zpOOhoPsMm"
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
CLIENT_ID = "00001111-aaaa-2222-bbbb-3333cccc4444"
CLIENT_SECRET = "Xy8Q~integration.client-secret_1"
WRONG_SECRET = "Zz9R~this-is-the-wrong-secret_2"
EXPECTED = {"influxdb": {"basicAuthPassword": "1234", "password": "1234"},
            "influxdb-1": {"password": "1234"}, "influxdb-2": {"password": "1234"}}


class KmsAzureTest(mdtest.unittest.TestCase):
    def setUp(self):
        self.azure = subprocess.Popen(["/usr/bin/python3", EMULATOR, "--watch-stdin", "--tenant", TENANT,
                                       "--client-id", CLIENT_ID, "--client-secret", CLIENT_SECRET,
                                       "--key", "metrics-dashboard"],
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.azure_url = "http://127.0.0.1:%d" % int(self.azure.stdout.readline())
        self.home = mdtest.TempHome()
        self.db = os.path.join(self.home.path, "grafana.db")
        shutil.copy(os.path.join(FIXTURES, MODBUS), self.db)

    def tearDown(self):
        self.azure.stdin.close()
        self.azure.wait(timeout=10)
        self.home.cleanup()

    def configure(self, current, secret=CLIENT_SECRET):
        self.home.write("conf/custom.ini", "\n".join([
            "[security]",
            "available_encryption_providers = secretKey.v1 azurekv.x",
            "encryption_provider = " + current,
            "[security.encryption.azurekv.x]",
            "tenant_id = " + TENANT,
            "client_id = " + CLIENT_ID,
            "client_secret = " + secret,
            "key_id = metrics-dashboard",
            "vault_uri = " + self.azure_url,
            "authority_host = " + self.azure_url,
            "max_attempts = 2",
            "retry_base_delay = 50ms", ""]))

    def run_cli(self, action, *flags):
        return mdtest.run(["cli", "--homepath", self.home.path, "admin", "secrets-migration", action]
                          + list(flags) + ["cfg:database.path=" + self.db, "cfg:security.secret_key=" + DEFAULT_KEY])

    def cli(self, action, *flags):
        proc = self.run_cli(action, *flags)
        self.assertEqual(proc.returncode, 0, "%s: %s%s" % (action, proc.stdout, proc.stderr))
        self.assertNotIn(CLIENT_SECRET, proc.stdout + proc.stderr)
        return proc

    def status(self):
        return json.loads(self.cli("status", "--output", "json").stdout)

    def emulator(self, control=None):
        data = json.dumps(control).encode() if control is not None else None
        with urllib.request.urlopen(urllib.request.Request(self.azure_url + "/__control", data=data)) as r:
            return json.load(r)

    def reference_plaintexts(self):
        out = subprocess.run(["/usr/bin/python3", REFERENCE, "read", self.db, DEFAULT_KEY],
                             capture_output=True, text=True, check=True).stdout
        return json.loads(out)

    def stored_blobs(self):
        out = subprocess.run(["sqlite3", "-json", self.db, "SELECT provider, CAST(encrypted_data AS TEXT) AS blob "
                                                           "FROM data_keys"],
                             capture_output=True, text=True, check=True).stdout
        return json.loads(out or "[]")

    def test_to_azure_and_back(self):
        self.assertEqual(self.reference_plaintexts(), EXPECTED)
        self.configure("azurekv.x")
        self.cli("re-encrypt")
        self.cli("re-encrypt-data-keys")
        self.cli("verify")
        inventory = self.status()
        self.assertEqual(inventory["currentProvider"], "azurekv.x")
        self.assertEqual({k["provider"] for k in inventory["dataKeys"]}, {"azurekv.x"}, inventory["dataKeys"])
        rows = self.stored_blobs()
        state = self.emulator()
        version = state["versions"]["metrics-dashboard"][0]
        for row in rows:
            blob = json.loads(row["blob"])
            self.assertEqual(blob["alg"], "RSA-OAEP-256")
            self.assertEqual(blob["kid"], "%s/keys/metrics-dashboard/%s" % (self.azure_url, version))
        self.assertGreaterEqual(state["calls"].get("wrapkey", 0), len(rows))
        self.assertGreaterEqual(state["calls"].get("unwrapkey", 0), 1)
        self.assertEqual(state["auth_failures"], 0)

        # Rotating the vault key does not strand the data keys: each names its own version.
        self.emulator({"rotate": "metrics-dashboard", "reset": True})
        self.cli("verify")
        state = self.emulator()
        self.assertGreaterEqual(state["used_versions"].get("unwrapkey:" + version, 0), 1)
        self.assertEqual(state["token_requests"], 1)  # one token per process, shared by all calls

        # A wrong client secret is refused with a clear error that does not echo it.
        self.configure("azurekv.x", secret=WRONG_SECRET)
        proc = self.run_cli("verify")
        self.assertNotEqual(proc.returncode, 0)
        output = proc.stdout + proc.stderr
        self.assertIn("invalid_client", output)
        self.assertIn("azurekv.x", output)
        self.assertNotIn(WRONG_SECRET, output)

        self.configure("secretKey.v1")
        self.cli("re-encrypt-data-keys")
        inventory = self.status()
        self.assertEqual({k["provider"] for k in inventory["dataKeys"]}, {"secretKey.v1"})
        self.cli("verify")
        self.assertEqual(self.reference_plaintexts(), EXPECTED)


if __name__ == "__main__":
    mdtest.main()
