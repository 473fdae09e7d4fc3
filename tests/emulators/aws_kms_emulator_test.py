#!/usr/bin/python3
"""Tests for aws_kms_emulator.py: its SigV4 verifier against the shared vectors, and the whole
emulator against real KMS requests signed by botocore (Debian python3-botocore).

Run: /usr/bin/python3 tests/emulators/aws_kms_emulator_test.py   (MD_SHARED_DIR may point at
shared/; by default it is ../../../shared from this file).
"""

import base64
import datetime
import json
import os
import pathlib
import sys
import threading
import unittest
import urllib.request
import warnings

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import aws_kms_emulator as emu  # noqa: E402

SHARED = pathlib.Path(os.environ.get("MD_SHARED_DIR",
                                     pathlib.Path(__file__).resolve().parents[3] / "shared"))
KMS_EXAMPLES = SHARED / "vectors" / "aws-sigv4" / "kms-examples"
AKID, SECRET = "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
STS_TOKEN = ("AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXm"
             "xfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0"
             "KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZ"
             "bqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==")
SUITE_NOW = datetime.datetime(2015, 8, 30, 12, 36, tzinfo=datetime.timezone.utc)


def parse_sreq(path):
    text = path.read_text()
    head, _, body = text.partition("\n\n")
    lines = head.split("\n")
    method, rest = lines[0].split(" ", 1)
    raw_path = rest.rsplit(" HTTP/", 1)[0]
    headers = [tuple(part.strip() if i else part for i, part in enumerate(line.split(":", 1)))
               for line in lines[1:]]
    return method, raw_path, headers, body.encode()


class VerifierAgainstVectorsTest(unittest.TestCase):
    def creds(self, token=None):
        return {AKID: (SECRET, token)}

    def cases(self):
        for folder in sorted(KMS_EXAMPLES.iterdir()):
            token = STS_TOKEN if "session-token" in folder.name else None
            yield folder.name, parse_sreq(folder / f"{folder.name}.sreq"), token

    def test_every_kms_example_verifies(self):
        count = 0
        for name, (method, path, headers, body), token in self.cases():
            with self.subTest(name):
                self.assertEqual(AKID, emu.verify_sigv4(method, path, headers, body, self.creds(token),
                                                        "us-east-1", SUITE_NOW, 300))
                count += 1
        self.assertEqual(4, count)

    def test_canonical_request_matches_creq(self):
        for name, (method, path, headers, body), _ in self.cases():
            with self.subTest(name):
                auth = emu._header(headers, "authorization")
                signed = auth.split("SignedHeaders=")[1].split(",")[0].split(";")
                expected = (KMS_EXAMPLES / name / f"{name}.creq").read_text()
                self.assertEqual(expected, emu.canonical_request(method, path, headers, signed, body))

    def assert_rejected(self, error_type, method, path, headers, body, creds=None, now=SUITE_NOW):
        with self.assertRaises(emu.KmsError) as ctx:
            emu.verify_sigv4(method, path, headers, body, creds or self.creds(), "us-east-1", now, 300)
        self.assertEqual(error_type, ctx.exception.error_type)
        return ctx.exception

    def test_rejects_tampered_body_wrong_secret_unknown_key_and_stale_date(self):
        method, path, headers, body = parse_sreq(KMS_EXAMPLES / "kms-encrypt" / "kms-encrypt.sreq")
        self.assert_rejected("InvalidSignatureException", method, path, headers, body + b" ")
        self.assert_rejected("InvalidSignatureException", method, path, headers, body,
                             creds={AKID: ("wrong", None)})
        self.assert_rejected("UnrecognizedClientException", method, path, headers, body,
                             creds={"AKIDOTHER": (SECRET, None)})
        late = self.assert_rejected("InvalidSignatureException", method, path, headers, body,
                                    now=SUITE_NOW + datetime.timedelta(minutes=6))
        self.assertIn("Signature expired", late.message)
        early = self.assert_rejected("InvalidSignatureException", method, path, headers, body,
                                     now=SUITE_NOW - datetime.timedelta(minutes=6))
        self.assertIn("not yet current", early.message)
        unsigned = [(k, v) for k, v in headers if k != "Authorization"]
        self.assert_rejected("MissingAuthenticationTokenException", method, path, unsigned, body)

    def test_session_token_must_match_and_be_signed(self):
        method, path, headers, body = parse_sreq(
            KMS_EXAMPLES / "kms-encrypt-with-session-token" / "kms-encrypt-with-session-token.sreq")
        self.assert_rejected("UnrecognizedClientException", method, path, headers, body,
                             creds=self.creds("other-token"))
        self.assert_rejected("UnrecognizedClientException", method, path, headers, body,
                             creds=self.creds(None))


class EmulatorWithBotocoreTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        os.environ["AWS_EC2_METADATA_DISABLED"] = "true"
        args = emu.parse_args(["--credential", f"{AKID}:{SECRET}",
                               "--credential", f"ASIATEMP:tempsecret:{STS_TOKEN}"])
        cls.server = emu.make_server(args)
        cls.port = cls.server.server_address[1]
        cls.thread = threading.Thread(target=cls.server.serve_forever, daemon=True)
        cls.thread.start()

    @classmethod
    def tearDownClass(cls):
        cls.server.shutdown()
        cls.server.server_close()

    def setUp(self):
        warnings.simplefilter("ignore", ResourceWarning)  # botocore keeps pooled sockets open
        self.control({"reset": True})

    def client(self, akid=AKID, secret=SECRET, token=None, attempts=1):
        import botocore.config
        import botocore.session
        session = botocore.session.get_session()
        return session.create_client(
            "kms", region_name="us-east-1", endpoint_url=f"http://127.0.0.1:{self.port}",
            aws_access_key_id=akid, aws_secret_access_key=secret, aws_session_token=token,
            config=botocore.config.Config(retries={"total_max_attempts": attempts, "mode": "standard"}))

    def control(self, body=None):
        url = f"http://127.0.0.1:{self.port}/__control"
        data = None if body is None else json.dumps(body).encode()
        with urllib.request.urlopen(urllib.request.Request(url, data=data)) as r:
            return json.loads(r.read())

    def error_code(self, call):
        import botocore.exceptions
        with self.assertRaises(botocore.exceptions.ClientError) as ctx:
            call()
        return ctx.exception.response["Error"]["Code"]

    def test_encrypt_then_decrypt_with_every_key_id_form(self):
        kms = self.client()
        arn = "arn:aws:kms:us-east-1:111122223333:key/" + emu.DEFAULT_KEY
        for key_id in (emu.DEFAULT_KEY, arn, "alias/ExampleAlias",
                       "arn:aws:kms:us-east-1:111122223333:alias/ExampleAlias"):
            with self.subTest(key_id):
                dek = b"\x00\x01\x00" + os.urandom(13)
                enc = kms.encrypt(KeyId=key_id, Plaintext=dek)
                self.assertEqual(arn, enc["KeyId"])
                self.assertEqual(emu.DEFAULT_KEY.encode(), enc["CiphertextBlob"][1:37])
                dec = kms.decrypt(CiphertextBlob=enc["CiphertextBlob"])
                self.assertEqual(dek, dec["Plaintext"])
                dec = kms.decrypt(CiphertextBlob=enc["CiphertextBlob"], KeyId=key_id)
                self.assertEqual(dek, dec["Plaintext"])
        self.assertEqual(4, self.control()["calls"]["Encrypt"])
        self.assertEqual(8, self.control()["calls"]["Decrypt"])

    def test_generate_data_key_and_describe_key(self):
        kms = self.client()
        out = kms.generate_data_key(KeyId="alias/metrics-dashboard", KeySpec="AES_256",
                                    EncryptionContext={"purpose": "test"})
        self.assertEqual(32, len(out["Plaintext"]))
        back = kms.decrypt(CiphertextBlob=out["CiphertextBlob"], EncryptionContext={"purpose": "test"})
        self.assertEqual(out["Plaintext"], back["Plaintext"])
        self.assertEqual("InvalidCiphertextException",
                         self.error_code(lambda: kms.decrypt(CiphertextBlob=out["CiphertextBlob"])))
        meta = kms.describe_key(KeyId="alias/ExampleAlias")["KeyMetadata"]
        self.assertEqual(emu.DEFAULT_KEY, meta["KeyId"])
        self.assertEqual("Enabled", meta["KeyState"])

    def test_session_credentials(self):
        kms = self.client("ASIATEMP", "tempsecret", STS_TOKEN)
        blob = kms.encrypt(KeyId="alias/ExampleAlias", Plaintext=b"x" * 16)["CiphertextBlob"]
        self.assertEqual(b"x" * 16, kms.decrypt(CiphertextBlob=blob)["Plaintext"])
        bad = self.client("ASIATEMP", "tempsecret", "not-the-token")
        self.assertEqual("UnrecognizedClientException",
                         self.error_code(lambda: bad.encrypt(KeyId="alias/ExampleAlias", Plaintext=b"x")))

    def test_bad_credentials_and_unknown_keys(self):
        wrong_secret = self.client(secret="nope")
        self.assertEqual("InvalidSignatureException",
                         self.error_code(lambda: wrong_secret.encrypt(KeyId="alias/ExampleAlias", Plaintext=b"x")))
        unknown = self.client(akid="AKIDUNKNOWN")
        self.assertEqual("UnrecognizedClientException",
                         self.error_code(lambda: unknown.encrypt(KeyId="alias/ExampleAlias", Plaintext=b"x")))
        kms = self.client()
        self.assertEqual("NotFoundException",
                         self.error_code(lambda: kms.encrypt(KeyId="alias/missing", Plaintext=b"x")))
        self.assertEqual("ValidationException",
                         self.error_code(lambda: kms.encrypt(KeyId="alias/ExampleAlias", Plaintext=b"x" * 4097)))
        self.assertEqual(2, self.control()["auth_failures"])

    def test_incorrect_key_and_disabled_key(self):
        args = emu.parse_args(["--key", emu.DEFAULT_KEY + "=alias/a",
                               "--key", "11111111-2222-3333-4444-555555555555=alias/b"])
        server = emu.make_server(args)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            import botocore.session
            kms = botocore.session.get_session().create_client(
                "kms", region_name="us-east-1", endpoint_url=f"http://127.0.0.1:{server.server_address[1]}",
                aws_access_key_id=AKID, aws_secret_access_key=SECRET)
            blob = kms.encrypt(KeyId="alias/a", Plaintext=b"k")["CiphertextBlob"]
            self.assertEqual("IncorrectKeyException",
                             self.error_code(lambda: kms.decrypt(CiphertextBlob=blob, KeyId="alias/b")))
            server.emulator.control({"disable_key": "alias/a"})
            self.assertEqual("DisabledException",
                             self.error_code(lambda: kms.encrypt(KeyId="alias/a", Plaintext=b"k")))
        finally:
            server.shutdown()
            server.server_close()

    def test_throttling_and_internal_errors_are_injected_and_counted(self):
        self.control({"throttle_next": 1, "fail_next": 1})
        kms = self.client(attempts=3)  # botocore's own standard retry mode retries both
        blob = kms.encrypt(KeyId="alias/ExampleAlias", Plaintext=b"k")["CiphertextBlob"]
        self.assertTrue(blob)
        state = self.control()
        self.assertEqual((1, 1, 3), (state["throttled"], state["failed"], state["calls"]["Encrypt"]))
        self.control({"throttle_next": 1})
        once = self.client(attempts=1)
        self.assertEqual("ThrottlingException",
                         self.error_code(lambda: once.encrypt(KeyId="alias/ExampleAlias", Plaintext=b"k")))

    def test_down_mode_drops_connections(self):
        import botocore.exceptions
        self.control({"down": True})
        kms = self.client(attempts=1)
        with self.assertRaises(botocore.exceptions.BotoCoreError):
            kms.encrypt(KeyId="alias/ExampleAlias", Plaintext=b"k")
        self.control({"down": False})
        self.assertTrue(kms.encrypt(KeyId="alias/ExampleAlias", Plaintext=b"k")["CiphertextBlob"])

    def test_pinned_clock_rejects_stale_signatures(self):
        self.control({"now": "20150830T123600Z"})
        kms = self.client()
        self.assertEqual("InvalidSignatureException",
                         self.error_code(lambda: kms.encrypt(KeyId="alias/ExampleAlias", Plaintext=b"k")))
        self.control({"now": None})


if __name__ == "__main__":
    unittest.main(verbosity=2)
