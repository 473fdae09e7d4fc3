"""Moving a real Grafana database's data keys from secretKey.v1 to a key on a SoftHSM2 token
(pkcs11.<name>) and back, with the CLI an operator would use: re-encrypt, re-encrypt-data-keys,
verify and status. The token and its non-extractable AES key are made by md-softhsm-token
(src/kms/pkcs11/testing), the helper the unit tests use, in a private SOFTHSM2_CONF."""
import json
import os
import shutil
import subprocess
import tempfile

import mdtest

TOKEN_TOOL = os.environ.get("MD_SOFTHSM_TOKEN", "")
MODULE = "/usr/lib/softhsm/libsofthsm2.so"
PIN = "73104821"


class KmsPkcs11Test(mdtest.unittest.TestCase):
    def setUp(self):
        if not TOKEN_TOOL or not os.path.exists(TOKEN_TOOL):
            self.fail("MD_SOFTHSM_TOKEN is not set to the md-softhsm-token helper (build target "
                      "md_softhsm_token)")
        self.hsm_dir = tempfile.mkdtemp(prefix="md-it-softhsm-")
        out = subprocess.run([TOKEN_TOOL, self.hsm_dir, "md-it", PIN, "kek"], capture_output=True,
                             text=True, timeout=60)
        self.assertEqual(out.returncode, 0, out.stderr)
        conf = dict(line.split("=", 1) for line in out.stdout.split())["SOFTHSM2_CONF"]
        self.pin_file = os.path.join(self.hsm_dir, "pin")
        with open(self.pin_file, "w") as f:
            f.write(PIN + "\n")
        self.home = mdtest.TempHome()
        self.db = mdtest.FixtureDb(self.home, env={"SOFTHSM2_CONF": conf})

    def tearDown(self):
        self.home.cleanup()
        shutil.rmtree(self.hsm_dir, ignore_errors=True)

    def configure(self, current, pin=None, key_label="kek"):
        """The PIN comes from a file ($__file{}) unless given."""
        self.home.configure_provider(current, "pkcs11.hsm", [
            "module = " + MODULE, "token_label = md-it",
            "pin = " + (pin if pin is not None else "$__file{%s}" % self.pin_file),
            "key_label = " + key_label])

    def cli(self, action, *flags):
        proc = self.db.migration(action, *flags)
        self.assertEqual(proc.returncode, 0, "%s: %s%s" % (action, proc.stdout, proc.stderr))
        return proc

    def data_key_providers(self):
        inventory = json.loads(self.cli("status", "--output", "json").stdout)
        return inventory["currentProvider"], {k["provider"] for k in inventory["dataKeys"]}

    def test_to_pkcs11_and_back(self):
        self.assertEqual(self.db.reference_plaintexts(), mdtest.MODBUS_PLAINTEXTS)
        self.configure("pkcs11.hsm")
        for action in ("re-encrypt", "re-encrypt-data-keys", "verify"):
            self.cli(action)
        self.assertEqual(self.data_key_providers(), ("pkcs11.hsm", {"pkcs11.hsm"}))
        # version 01, CKM_AES_KEY_WRAP_PAD (0000210A), then the 24-byte wrap of a 16-byte DEK
        blobs = self.db.sql("SELECT hex(encrypted_data) FROM data_keys")
        self.assertTrue(blobs and all(b.startswith("010000210A") and len(b) == 2 * 29 for b in blobs),
                        blobs)

        self.configure("secretKey.v1")
        self.cli("re-encrypt-data-keys")
        self.assertEqual(self.data_key_providers(), ("secretKey.v1", {"secretKey.v1"}))
        self.cli("verify")
        self.assertEqual(self.db.reference_plaintexts(), mdtest.MODBUS_PLAINTEXTS)

    def test_a_wrong_pin_is_one_clear_line_without_the_pin(self):
        self.configure("pkcs11.hsm", pin="55512345")
        proc = self.db.migration("verify")
        output = proc.stdout + proc.stderr
        self.assertNotEqual(proc.returncode, 0, output)
        self.assertIn('pkcs11.hsm: login to token "md-it" failed: wrong PIN (CKR_PIN_INCORRECT)',
                      output)
        self.assertNotIn("55512345", output)
        self.assertNotIn(PIN, output)

    def test_a_missing_key_names_the_provider_and_the_key(self):
        self.configure("pkcs11.hsm", key_label="nope")
        proc = self.db.migration("verify")
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn('pkcs11.hsm: no secret key labelled "nope" on token "md-it"',
                      proc.stdout + proc.stderr)


if __name__ == "__main__":
    mdtest.main()
