"""Every key provider end to end on the real server: the provider is current, data sources with
secrets are created through the API, the data keys are rotated, `re-encrypt-data-keys` moves
every data key to secretKey.v1 (the server then runs without the provider configured) and back
to the provider, the server restarts, and every secret still decrypts. Decryption is proven by
the server itself: each data source's health check sends its basic-auth password to a loopback
server that checks it.
The KMS is asked to wrap each data key once and to unwrap it at most once per process."""
import base64
import http.server
import json
import os
import subprocess
import tempfile

import mdtest

ADMIN = ("admin", "admin")
KEY = "kms-e2e-secret-key-0123456789"
DATA_SOURCES = 4


# Each provider: start(tmpdir) -> (emulator, provider id, INI lines of its section, wrap op, unwrap op).
def aws(tmp):
    key = "1234abcd-12ab-34cd-56ef-1234567890ab"
    emulator = mdtest.Emulator("aws_kms_emulator.py", ["--credential", "AKIAE2ETEST:e2e-aws-secret", "--key", key])
    return emulator, "awskms.e2e", [
        "key_id = arn:aws:kms:us-east-1:111122223333:key/" + key,
        "access_key_id = AKIAE2ETEST", "secret_access_key = e2e-aws-secret",
        "endpoint = " + emulator.url], "Encrypt", "Decrypt"


def vault(tmp):
    emulator = mdtest.Emulator("vault_transit_emulator.py", ["--token", "hvs.e2e-token", "--key", "md"])
    return emulator, "hashicorpvault.e2e", [
        "url = " + emulator.url, "token = hvs.e2e-token", "key_ring = md"], "encrypt", "decrypt"


def gcp(tmp):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    pem = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    credentials = os.path.join(tmp, "service-account.json")
    with open(credentials, "w") as f:
        json.dump({"type": "service_account", "client_email": "md@e2e.iam.gserviceaccount.com",
                   "private_key_id": "e2e", "private_key": pem}, f)
    key = "projects/e2e/locations/global/keyRings/md/cryptoKeys/md"
    emulator = mdtest.Emulator("gcp_kms_emulator.py", ["--credentials", credentials, "--key", key])
    return emulator, "googlekms.e2e", [
        "key_id = " + key, "credentials_file = " + credentials, "endpoint = " + emulator.url,
        "token_url = " + emulator.url + "/token"], "encrypt", "decrypt"


def azure(tmp):
    tenant, client, secret = "72f988bf-86f1-41af-91ab-2d7cd011db47", "00001111-aaaa-2222-bbbb", "e2e-azure-secret"
    emulator = mdtest.Emulator("azure_kv_emulator.py", ["--tenant", tenant, "--client-id", client,
                                                        "--client-secret", secret, "--key", "md"])
    return emulator, "azurekv.e2e", [
        "tenant_id = " + tenant, "client_id = " + client, "client_secret = " + secret, "key_id = md",
        "vault_uri = " + emulator.url, "authority_host = " + emulator.url], "wrapkey", "unwrapkey"


class SoftHsm:
    """A SoftHSM2 token with a non-extractable AES key, made by md-softhsm-token (the helper of
    the unit tests). A token counts no calls."""

    def __init__(self, tmp):
        tool = os.environ.get("MD_SOFTHSM_TOKEN", "")
        if not tool or not os.path.exists(tool):
            raise AssertionError("MD_SOFTHSM_TOKEN is not set to the md-softhsm-token helper")
        out = subprocess.run([tool, os.path.join(tmp, "softhsm"), "md-e2e", "7310", "kek"], capture_output=True,
                             text=True, timeout=60, check=True).stdout
        self.env = dict(line.split("=", 1) for line in out.split())

    def stop(self):
        pass


def pkcs11(tmp):
    token = SoftHsm(tmp)
    return token, "pkcs11.e2e", ["module = /usr/lib/softhsm/libsofthsm2.so", "token_label = md-e2e",
                                 "pin = 7310", "key_label = kek"], None, None


class PasswordChecker(http.server.BaseHTTPRequestHandler):
    """200 when GET /ds<i>/... carries basic auth u<i>:pw-<i>, else 401."""

    def do_GET(self):
        i = self.path.split("/")[1][2:]
        expected = "Basic " + base64.b64encode(("u%s:pw-%s" % (i, i)).encode()).decode()
        ok = self.headers.get("Authorization") == expected
        body = b'{"status":"success"}'
        self.send_response(200 if ok else 401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class KmsEndToEndTest(mdtest.unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.checker, cls.checker_url = mdtest.serve_http(PasswordChecker)

    @classmethod
    def tearDownClass(cls):
        cls.checker.shutdown()

    def configure(self, current):
        self.home.configure_provider(current, self.provider, self.section, ["secret_key = " + KEY])

    def start_server(self):
        self.server = mdtest.Server(self.home, ["cfg:log.level=warn"], env=self.env)
        self.addCleanup(self.server.kill)
        self.server.wait_healthy()

    def call(self, method, path, body=None):
        return mdtest.requests.request(method, self.server.url + path, auth=ADMIN, json=body, timeout=60)

    def create_data_source(self, i):
        res = self.call("POST", "/api/datasources", {
            "name": "ds%d" % i, "type": "prometheus", "access": "proxy",
            "url": "%s/ds%d" % (self.checker_url, i), "basicAuth": True, "basicAuthUser": "u%d" % i,
            "secureJsonData": {"basicAuthPassword": "pw-%d" % i}})
        self.assertEqual(res.status_code, 200, res.text)
        self.uids.append(res.json()["datasource"]["uid"])

    def assert_every_secret_decrypts(self):
        for uid in self.uids:
            health = self.call("GET", "/api/datasources/uid/%s/health" % uid)
            self.assertEqual(health.json(), {"status": "OK", "message": "Data source is working"}, uid)

    def cli(self, *args):
        proc = mdtest.run(["cli", "--homepath", self.home.path, "admin", "secrets-migration"] + list(args),
                          env=self.env)
        self.assertEqual(proc.returncode, 0, "%s: %s%s" % (args, proc.stdout, proc.stderr))
        return proc

    def data_key_providers(self):
        return sorted(k["provider"] for k in json.loads(self.cli("status", "--output", "json").stdout)["dataKeys"])

    def calls(self, kms, op):
        """How many times the KMS was asked to do op so far."""
        return kms.control()["calls"].get(op, 0)

    def run_provider(self, start):
        self.home = mdtest.TempHome()
        self.addCleanup(self.home.cleanup)
        tmp = tempfile.mkdtemp(dir=self.home.path)
        kms, self.provider, self.section, wrap, unwrap = start(tmp)
        self.addCleanup(kms.stop)
        self.env = getattr(kms, "env", {})
        counted = wrap is not None  # a PKCS#11 token counts no calls
        self.uids = []

        # The provider is current: the first data key is wrapped by the KMS, once (the start-up
        # key check's canary aside, hence the counts before and after).
        self.configure(self.provider)
        self.start_server()
        before = counted and (self.calls(kms, wrap), self.calls(kms, unwrap))
        for i in range(DATA_SOURCES):
            self.create_data_source(i)
        self.assert_every_secret_decrypts()
        if counted:
            self.assertEqual(self.calls(kms, wrap) - before[0], 1, kms.control())
            self.assertEqual(self.calls(kms, unwrap), before[1], "a cached data key was unwrapped")

        # Rotation: a new data key, wrapped by the KMS; old values still decrypt.
        self.assertEqual(self.call("POST", "/api/admin/encryption/rotate-data-keys").status_code, 200)
        self.create_data_source(DATA_SOURCES)
        self.assert_every_secret_decrypts()
        if counted:
            self.assertEqual(self.calls(kms, wrap) - before[0], 2, kms.control())
        self.assertEqual(self.server.stop(), 0)
        self.assertEqual(self.data_key_providers(), [self.provider] * 2)

        # To secretKey.v1: the provider is no longer needed, not even configured.
        self.configure("secretKey.v1")
        self.cli("re-encrypt-data-keys")
        self.assertEqual(self.data_key_providers(), ["secretKey.v1"] * 2)
        self.home.write("conf/custom.ini", "\n".join(["[security]", "secret_key = " + KEY, ""]))
        self.start_server()
        self.assert_every_secret_decrypts()
        self.assertEqual(self.server.stop(), 0)

        # And back to the provider.
        self.configure(self.provider)
        self.cli("re-encrypt-data-keys")
        self.assertEqual(self.data_key_providers(), [self.provider] * 2)
        before = counted and self.calls(kms, unwrap)
        self.start_server()
        self.assert_every_secret_decrypts()
        if counted:
            # This server process unwrapped each data key at most once, plus the key check's canary.
            started = self.calls(kms, unwrap)
            self.assert_every_secret_decrypts()
            self.assertEqual(self.calls(kms, unwrap), started, "a cached data key was unwrapped again")
            self.assertLessEqual(started - before, 2 + 1, kms.control())
        self.cli("verify")
        with open(self.server.stdout_path) as out:
            log = self.server.stderr() + out.read()
        credentials = ["e2e-aws-secret", "hvs.e2e-token", "e2e-azure-secret"]
        for secret in ["pw-%d" % i for i in range(DATA_SOURCES + 1)] + credentials:
            self.assertNotIn(secret, log)

    def test_aws_kms(self):
        self.run_provider(aws)

    def test_hashicorp_vault(self):
        self.run_provider(vault)

    def test_google_kms(self):
        self.run_provider(gcp)

    def test_azure_key_vault(self):
        self.run_provider(azure)

    def test_pkcs11_softhsm(self):
        self.run_provider(pkcs11)


if __name__ == "__main__":
    mdtest.main()
