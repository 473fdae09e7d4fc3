"""Moving a real Grafana database's data keys from secretKey.v1 to a HashiCorp Vault transit key
(the loopback emulator in tests/emulators/vault_transit_emulator.py) and back, with the CLI an
operator would use: re-encrypt, re-encrypt-data-keys, verify and status."""
import json
import os
import subprocess

import mdtest

EMULATOR = os.path.join(mdtest.SOURCE_DIR, "tests", "emulators", "vault_transit_emulator.py")
TOKEN = "hvs.integration-token"
EXPECTED = mdtest.MODBUS_PLAINTEXTS


class KmsVaultTest(mdtest.unittest.TestCase):
    def setUp(self):
        self.vault = subprocess.Popen(["/usr/bin/python3", EMULATOR, "--watch-stdin", "--token", TOKEN,
                                       "--key", "metrics-dashboard"],
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.vault_url = "http://127.0.0.1:%d" % int(self.vault.stdout.readline())
        self.home = mdtest.TempHome()
        self.db = mdtest.FixtureDb(self.home)

    def tearDown(self):
        self.vault.stdin.close()
        self.vault.wait(timeout=10)
        self.home.cleanup()

    def configure(self, current, token=TOKEN):
        self.home.write("conf/custom.ini", "\n".join([
            "[security]",
            "available_encryption_providers = secretKey.v1 hashicorpvault.x",
            "encryption_provider = " + current,
            "[security.encryption.hashicorpvault.x]",
            "url = " + self.vault_url,
            "token = " + token,
            "key_ring = metrics-dashboard",
            "token_renewal_interval = 1s", ""]))

    def cli(self, action, *flags):
        proc = self.db.migration(action, *flags)
        self.assertEqual(proc.returncode, 0, "%s: %s%s" % (action, proc.stdout, proc.stderr))
        return proc

    def status(self):
        return json.loads(self.cli("status", "--output", "json").stdout)

    def vault_calls(self):
        import urllib.request
        with urllib.request.urlopen(self.vault_url + "/__control") as r:
            return json.load(r)["calls"]

    def test_to_vault_and_back(self):
        self.assertEqual(self.db.reference_plaintexts(), EXPECTED)
        self.configure("hashicorpvault.x")
        self.cli("re-encrypt")
        self.cli("re-encrypt-data-keys")
        self.cli("verify")
        inventory = self.status()
        self.assertEqual(inventory["currentProvider"], "hashicorpvault.x")
        providers = {k["provider"] for k in inventory["dataKeys"]}
        self.assertEqual(providers, {"hashicorpvault.x"}, inventory["dataKeys"])
        blobs = self.db.sql("SELECT encrypted_data FROM data_keys")
        self.assertTrue(blobs and all(b.startswith("vault:v1:") for b in blobs), blobs)
        calls = self.vault_calls()
        self.assertGreaterEqual(calls.get("encrypt", 0), len(blobs))

        self.configure("hashicorpvault.x", token="hvs.wrong")
        proc = self.db.migration("verify")
        self.assertNotEqual(proc.returncode, 0)
        self.assertNotIn("hvs.wrong", proc.stdout + proc.stderr)

        self.configure("secretKey.v1")
        self.cli("re-encrypt-data-keys")
        inventory = self.status()
        self.assertEqual({k["provider"] for k in inventory["dataKeys"]}, {"secretKey.v1"})
        self.cli("verify")
        self.assertEqual(self.db.reference_plaintexts(), EXPECTED)


if __name__ == "__main__":
    mdtest.main()
