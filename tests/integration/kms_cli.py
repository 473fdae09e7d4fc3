"""Plumbing for the CLI tests that move a real Grafana database's data keys to a key service and
back (kms_vault_test.py, kms_azure_test.py): the modbus fixture database in a temporary home, the
service's loopback emulator (tests/emulators/), the secrets-migration CLI, and Grafana's own
reading of the secrets (tests/compat/grafana_reference.py) as the reference."""
import json

import mdtest

EXPECTED = mdtest.MODBUS_PLAINTEXTS


class KmsCliTest(mdtest.unittest.TestCase):
    """Subclasses set EMULATOR (a script in tests/emulators/) and EMULATOR_ARGS."""
    EMULATOR = None
    EMULATOR_ARGS = []

    def setUp(self):
        self.service = mdtest.Emulator(self.EMULATOR, self.EMULATOR_ARGS)
        self.service_url = self.service.url
        self.home = mdtest.TempHome()
        self.fixture = mdtest.FixtureDb(self.home)
        self.db = self.fixture.path

    def tearDown(self):
        self.service.stop()
        self.home.cleanup()

    def configure(self, current, provider_id, section):
        self.home.configure_provider(current, provider_id, section)

    def run_cli(self, action, *flags):
        return self.fixture.migration(action, *flags)

    def cli(self, action, *flags):
        proc = self.run_cli(action, *flags)
        self.assertEqual(proc.returncode, 0, "%s: %s%s" % (action, proc.stdout, proc.stderr))
        return proc

    def status(self):
        return json.loads(self.cli("status", "--output", "json").stdout)

    def data_key_providers(self):
        return {k["provider"] for k in self.status()["dataKeys"]}

    def emulator(self, control=None):
        """GET /__control, or POST `control` (a dict) to it; the emulator's state."""
        return self.service.control(control)

    def reference_plaintexts(self):
        return self.fixture.reference_plaintexts()

    def move_to(self, provider_id):
        """Re-encrypts the secrets and moves every data key to `provider_id` (configured current)."""
        self.assertEqual(self.reference_plaintexts(), EXPECTED)
        self.cli("re-encrypt")
        self.cli("re-encrypt-data-keys")
        self.cli("verify")
        inventory = self.status()
        self.assertEqual(inventory["currentProvider"], provider_id)
        self.assertEqual({k["provider"] for k in inventory["dataKeys"]}, {provider_id}, inventory["dataKeys"])

    def move_back(self):
        """Moves every data key back to secretKey.v1 (configured current) and checks the secrets."""
        self.cli("re-encrypt-data-keys")
        self.assertEqual(self.data_key_providers(), {"secretKey.v1"})
        self.cli("verify")
        self.assertEqual(self.reference_plaintexts(), EXPECTED)
