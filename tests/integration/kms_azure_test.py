"""Moving a real Grafana database's data keys from secretKey.v1 to an Azure Key Vault key (the
loopback emulator in tests/emulators/azure_kv_emulator.py, real RSA-OAEP-256) and back, with the
CLI an operator would use: re-encrypt, re-encrypt-data-keys, verify and status. The vault key is
rotated half-way to show that unwrapping uses the version kept with each data key."""
import json
import subprocess

import kms_cli
import mdtest

TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
CLIENT_ID = "00001111-aaaa-2222-bbbb-3333cccc4444"
CLIENT_SECRET = "Xy8Q~integration.client-secret_1"
WRONG_SECRET = "Zz9R~this-is-the-wrong-secret_2"


class KmsAzureTest(kms_cli.KmsCliTest):
    EMULATOR = "azure_kv_emulator.py"
    EMULATOR_ARGS = ["--tenant", TENANT, "--client-id", CLIENT_ID, "--client-secret", CLIENT_SECRET,
                     "--key", "metrics-dashboard"]

    def configure_azure(self, current, secret=CLIENT_SECRET):
        self.configure(current, "azurekv.x", [
            "tenant_id = " + TENANT, "client_id = " + CLIENT_ID, "client_secret = " + secret,
            "key_id = metrics-dashboard", "vault_uri = " + self.service_url,
            "authority_host = " + self.service_url, "max_attempts = 2", "retry_base_delay = 50ms"])

    def cli(self, action, *flags):
        proc = super().cli(action, *flags)
        self.assertNotIn(CLIENT_SECRET, proc.stdout + proc.stderr)
        return proc

    def stored_blobs(self):
        out = subprocess.run(["sqlite3", "-json", self.db,
                              "SELECT CAST(encrypted_data AS TEXT) AS blob FROM data_keys"],
                             capture_output=True, text=True, check=True).stdout
        return [json.loads(row["blob"]) for row in json.loads(out or "[]")]

    def test_to_azure_and_back(self):
        self.configure_azure("azurekv.x")
        self.move_to("azurekv.x")
        blobs = self.stored_blobs()
        state = self.emulator()
        version = state["versions"]["metrics-dashboard"][0]
        for blob in blobs:
            self.assertEqual(blob["alg"], "RSA-OAEP-256")
            self.assertEqual(blob["kid"], "%s/keys/metrics-dashboard/%s" % (self.service_url, version))
        self.assertTrue(blobs)
        self.assertGreaterEqual(state["calls"].get("wrapkey", 0), len(blobs))
        self.assertGreaterEqual(state["calls"].get("unwrapkey", 0), 1)
        self.assertEqual(state["auth_failures"], 0)

        # Rotating the vault key does not strand the data keys: each names its own version.
        self.emulator({"rotate": "metrics-dashboard", "reset": True})
        self.cli("verify")
        state = self.emulator()
        self.assertGreaterEqual(state["used_versions"].get("unwrapkey:" + version, 0), 1)
        self.assertEqual(state["token_requests"], 1)  # one token per process, shared by all calls

        # A wrong client secret is refused with a clear error that does not echo it.
        self.configure_azure("azurekv.x", secret=WRONG_SECRET)
        proc = self.run_cli("verify")
        self.assertNotEqual(proc.returncode, 0)
        output = proc.stdout + proc.stderr
        self.assertIn("azurekv.x: Key Vault unwrapkey: token endpoint: invalid_client", output)
        self.assertNotIn(WRONG_SECRET, output)

        self.configure_azure("secretKey.v1")
        self.move_back()


if __name__ == "__main__":
    mdtest.main()
