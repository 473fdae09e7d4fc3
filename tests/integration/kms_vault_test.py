"""Moving a real Grafana database's data keys from secretKey.v1 to a HashiCorp Vault transit key
(the loopback emulator in tests/emulators/vault_transit_emulator.py) and back, with the CLI an
operator would use: re-encrypt, re-encrypt-data-keys, verify and status."""
import subprocess

import kms_cli
import mdtest

TOKEN = "hvs.integration-token"


class KmsVaultTest(kms_cli.KmsCliTest):
    EMULATOR = "vault_transit_emulator.py"
    EMULATOR_ARGS = ["--token", TOKEN, "--key", "metrics-dashboard"]

    def configure_vault(self, current, token=TOKEN):
        self.configure(current, "hashicorpvault.x", ["url = " + self.service_url, "token = " + token,
                                                      "key_ring = metrics-dashboard", "token_renewal_interval = 1s"])

    def test_to_vault_and_back(self):
        self.configure_vault("hashicorpvault.x")
        self.move_to("hashicorpvault.x")
        blobs = subprocess.run(["sqlite3", self.db, "SELECT encrypted_data FROM data_keys"],
                               capture_output=True, text=True, check=True).stdout.split()
        self.assertTrue(blobs and all(b.startswith("vault:v1:") for b in blobs), blobs)
        self.assertGreaterEqual(self.emulator()["calls"].get("encrypt", 0), len(blobs))

        self.configure_vault("hashicorpvault.x", token="hvs.wrong")
        proc = self.run_cli("verify")
        self.assertNotEqual(proc.returncode, 0)
        self.assertNotIn("hvs.wrong", proc.stdout + proc.stderr)

        self.configure_vault("secretKey.v1")
        self.move_back()


if __name__ == "__main__":
    mdtest.main()
