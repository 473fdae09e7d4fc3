"""secret_key rotation on the real binary (SQLite), as docs/operations.md tells an operator to do it.

1. A server with secret_key = A stores data sources, a plugin setting and a contact point through
   the HTTP API; Grafana-written values are added beside them (a data key and a legacy value by
   tests/compat/grafana_reference.py, a legacy alert_notification row).
2. Restarted with secret_key = B and previous_secret_key = A: every secret still works over the
   API (health checks and a webhook test send use the decrypted credentials) and new writes work;
   `re-encrypt-data-keys` and `re-encrypt` run from the CLI while the server serves; `status` then
   says the previous key is no longer needed.
3. Restarted with B alone: every secret still works, `verify` passes, and the independent Python
   implementation reads the database with B.
A previous key equal to secret_key, or a wrong one, is refused naming security.previous_secret_key;
keys and secrets never appear in logs or output.
"""
import base64
import http.server
import json
import os
import sqlite3
import subprocess
import sys
import unittest

import mdtest

sys.path.insert(0, os.path.join(mdtest.SOURCE_DIR, "tests", "compat"))
import grafana_reference  # noqa: E402

REFERENCE = os.path.join(mdtest.SOURCE_DIR, "tests", "compat", "grafana_reference.py")
ADMIN = ("admin", "admin")
KEY_A = "rotation-key-A-3f9c0b1e"
KEY_B = "rotation-key-B-71d24a6f"
WRONG = "rotation-key-W-5e8d9c2a"
SECRETS = {
    "prom1": "prom1-pw-1a7c33e0",
    "prom2": "prom2-pw-9d04b6f1",
    "prom3": "prom3-pw-4b1e8d2c",
    "plugin": "plugin-key-6f2a9e17",
    "plugin2": "plugin-key-0c5d7b43",
    "hook": "hook-pw-e3b85a90",
    "grafana": "grafana-pw-7a6c2f1d",
    "legacy_alert": "legacy-alert-pw-2d9e4c",
}


def basic(user, password):
    return "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode()).decode()


class CredentialChecker(http.server.BaseHTTPRequestHandler):
    """200 when the request carries the credentials expected for its path prefix, else 401."""
    expected = {}

    def _answer(self):
        length = int(self.headers.get("Content-Length", "0"))
        if length:
            self.rfile.read(length)
        code = 404
        for prefix, value in self.expected.items():
            if self.path.startswith(prefix):
                code = 200 if self.headers.get("Authorization") == value else 401
        body = b'{"status":"success"}'
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = _answer
    do_POST = _answer

    def log_message(self, *args):
        pass


class SecretKeyRotationTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.http, cls.http_url = mdtest.serve_http(CredentialChecker)
        CredentialChecker.expected = {"/prom1": basic("u", SECRETS["prom1"]),
                                      "/prom2": basic("u", SECRETS["prom2"]),
                                      "/prom3": basic("u", SECRETS["prom3"]),
                                      "/hook": basic("alert", SECRETS["hook"])}

    @classmethod
    def tearDownClass(cls):
        cls.http.shutdown()

    def setUp(self):
        self.home = mdtest.TempHome()
        self.db = os.path.join(self.home.path, "data", "metrics-dashboard.db")
        self.servers = []
        self.output = []  # every CLI stdout/stderr, checked for leaks

    def tearDown(self):
        for server in self.servers:
            server.kill()
        self.home.cleanup()

    # --- helpers --------------------------------------------------------------------------------

    @staticmethod
    def keys(key, previous=None):
        return ["cfg:security.secret_key=" + key] + (
            ["cfg:security.previous_secret_key=" + previous] if previous else [])

    def start(self, key, previous=None):
        server = mdtest.Server(self.home, self.keys(key, previous))
        self.servers.append(server)
        server.wait_healthy()
        return server

    def stop(self, server):
        self.assertEqual(server.stop(), 0)
        self.output.append(server.stderr())

    def call(self, server, method, path, body=None):
        return mdtest.requests.request(method, server.url + path, auth=ADMIN, json=body, timeout=30)

    def cli(self, action, key, previous=None, *flags):
        proc = mdtest.run(["cli", "--homepath", self.home.path, "admin", "secrets-migration", action]
                          + list(flags) + self.keys(key, previous), timeout=120)
        self.output.append(proc.stdout + proc.stderr)
        return proc

    def create_prometheus(self, server, name):
        res = self.call(server, "POST", "/api/datasources", {
            "name": name, "type": "prometheus", "access": "proxy", "url": "%s/%s" % (self.http_url, name),
            "basicAuth": True, "basicAuthUser": "u", "secureJsonData": {"basicAuthPassword": SECRETS[name]}})
        self.assertEqual(res.status_code, 200, res.text)
        return res.json()["datasource"]["uid"]

    def assert_secrets_work(self, server, uids, contact_point):
        for uid in uids:
            res = self.call(server, "GET", "/api/datasources/uid/%s/health" % uid)
            self.assertEqual(res.status_code, 200, "%s: %s" % (uid, res.text))
        res = self.call(server, "POST", "/api/v1/provisioning/contact-points/%s/test" % contact_point)
        self.assertEqual(res.status_code, 200, res.text)

    def status(self, key, previous=None):
        proc = self.cli("status", key, previous, "--output", "json")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return json.loads(proc.stdout)["secretKeyRotation"]

    def add_grafana_values(self):
        """What Grafana itself would have written with key A: a data key and a data source holding
        an envelope value and a legacy value, and a legacy alert_notification row."""
        subprocess.run(["/usr/bin/python3", REFERENCE, "write", self.db, KEY_A, "grafana-ds", SECRETS["grafana"]],
                       check=True, capture_output=True)
        db = sqlite3.connect(self.db)
        db.execute("CREATE TABLE alert_notification (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT, "
                   "secure_settings TEXT NULL, updated TEXT NULL)")
        blob = grafana_reference.legacy_encrypt(SECRETS["legacy_alert"].encode(), KEY_A.encode())
        db.execute("INSERT INTO alert_notification (name, secure_settings, updated) VALUES (?, ?, ?)",
                   ("legacy", json.dumps({"password": base64.b64encode(blob).decode()}), "2024-01-01 00:00:00"))
        db.commit()
        db.close()

    def reference_plaintexts(self, key):
        """Every secret of the database decrypted by the independent Python implementation."""
        out = subprocess.run(["/usr/bin/python3", REFERENCE, "read", self.db, key],
                             capture_output=True, text=True, check=True).stdout
        found = {"data_source": json.loads(out)}
        db = sqlite3.connect(self.db)

        def decrypt_map(text):
            return {k: grafana_reference.decrypt(base64.b64decode(v), key.encode(), db).decode()
                    for k, v in json.loads(text or "{}").items()}

        found["plugin_setting"] = {p: decrypt_map(s) for p, s in
                                   db.execute("SELECT plugin_id, secure_json_data FROM plugin_setting")}
        found["alert_notification"] = {n: decrypt_map(s) for n, s in
                                       db.execute("SELECT name, secure_settings FROM alert_notification")}
        for (text,) in db.execute("SELECT alertmanager_configuration FROM alert_configuration"):
            for receiver in json.loads(text)["alertmanager_config"]["receivers"]:
                for config in receiver.get("grafana_managed_receiver_configs", []):
                    found.setdefault("contact_point", {}).update(decrypt_map(json.dumps(config["secureSettings"])))
        db.close()
        return found

    def assert_nothing_leaked(self):
        for text in self.output + [s.stderr() for s in self.servers]:
            for secret in [KEY_A, KEY_B, WRONG] + list(SECRETS.values()):
                self.assertNotIn(secret, text)

    # --- tests ----------------------------------------------------------------------------------

    def test_rotation_keeps_every_secret_without_downtime_or_reentry(self):
        # 1. secret_key = A.
        server = self.start(KEY_A)
        prom1 = self.create_prometheus(server, "prom1")
        res = self.call(server, "POST", "/api/plugins/rotation-app/settings",
                        {"enabled": True, "secureJsonData": {"apiKey": SECRETS["plugin"]}})
        self.assertEqual(res.status_code, 200, res.text)
        res = self.call(server, "POST", "/api/v1/provisioning/contact-points", {
            "name": "ops", "type": "webhook",
            "settings": {"url": self.http_url + "/hook", "username": "alert", "password": SECRETS["hook"]}})
        self.assertEqual(res.status_code, 202, res.text)
        hook = res.json()["uid"]
        self.assert_secrets_work(server, [prom1], hook)
        self.stop(server)
        self.add_grafana_values()

        # 2. secret_key = B, previous_secret_key = A: everything still works, writes too.
        server = self.start(KEY_B, KEY_A)
        self.assert_secrets_work(server, [prom1], hook)
        prom2 = self.create_prometheus(server, "prom2")
        res = self.call(server, "POST", "/api/plugins/rotation-app/settings",
                        {"secureJsonData": {"other": SECRETS["plugin2"]}})
        self.assertEqual(res.status_code, 200, res.text)
        self.assert_secrets_work(server, [prom1, prom2], hook)
        needed = self.status(KEY_B, KEY_A)
        self.assertTrue(needed["previousSecretKeyNeeded"], needed)
        self.assertGreaterEqual(len(needed["dataKeysUnderPreviousKey"]), 2)  # ours and Grafana's
        self.assertEqual(needed["valuesUnderPreviousKey"],
                         {"data_source.secure_json_data": 1, "alert_notification.secure_settings": 1})

        for action in ("re-encrypt-data-keys", "re-encrypt"):  # while the server serves
            proc = self.cli(action, KEY_B, KEY_A)
            self.assertEqual(proc.returncode, 0, "%s: %s%s" % (action, proc.stdout, proc.stderr))
        done = self.status(KEY_B, KEY_A)
        self.assertFalse(done["previousSecretKeyNeeded"], done)
        self.assertEqual((done["dataKeysUnderPreviousKey"], done["valuesUnderPreviousKey"]), ([], {}))
        text = self.cli("status", KEY_B, KEY_A).stdout
        self.assertIn("NO LONGER NEEDED", text)
        api_status = self.call(server, "GET", "/api/admin/encryption/status").json()["secretKeyRotation"]
        self.assertFalse(api_status["previousSecretKeyNeeded"])
        self.assert_secrets_work(server, [prom1, prom2], hook)
        self.stop(server)

        # 3. secret_key = B alone.
        server = self.start(KEY_B)
        self.assertIn("rotation finished", server.stderr())
        self.assert_secrets_work(server, [prom1, prom2], hook)
        prom3 = self.create_prometheus(server, "prom3")
        self.assert_secrets_work(server, [prom1, prom2, prom3], hook)
        self.stop(server)
        verify = self.cli("verify", KEY_B)
        self.assertEqual(verify.returncode, 0, verify.stdout + verify.stderr)
        self.assertFalse(self.status(KEY_B)["previousSecretKeyConfigured"])

        found = self.reference_plaintexts(KEY_B)
        self.assertEqual(found["data_source"], {
            "prom1": {"basicAuthPassword": SECRETS["prom1"]}, "prom2": {"basicAuthPassword": SECRETS["prom2"]},
            "prom3": {"basicAuthPassword": SECRETS["prom3"]},
            "grafana-ds": {"password": SECRETS["grafana"], "legacy": SECRETS["grafana"]}})
        self.assertEqual(found["plugin_setting"],
                         {"rotation-app": {"apiKey": SECRETS["plugin"], "other": SECRETS["plugin2"]}})
        self.assertEqual(found["alert_notification"], {"legacy": {"password": SECRETS["legacy_alert"]}})
        self.assertEqual(found["contact_point"], {"password": SECRETS["hook"]})
        self.assert_nothing_leaked()

    def test_previous_key_equal_to_secret_key_or_wrong_is_refused(self):
        server = self.start(KEY_A)
        prom1 = self.create_prometheus(server, "prom1")
        self.stop(server)

        same = mdtest.run(["server", "--homepath", self.home.path, "cfg:server.http_addr=127.0.0.1",
                           "cfg:server.http_port=%d" % mdtest.free_port()] + self.keys(KEY_A, KEY_A))
        self.output.append(same.stdout + same.stderr)
        self.assertEqual(same.returncode, 2, same.stderr)
        self.assertIn("security.previous_secret_key", same.stderr)

        server = self.start(KEY_B, WRONG)  # starts, reads work, writes of secrets are refused
        self.assertIn("security.previous_secret_key is not the key", server.stderr())
        res = self.call(server, "POST", "/api/datasources", {
            "name": "refused", "type": "prometheus", "url": self.http_url + "/prom2",
            "secureJsonData": {"basicAuthPassword": SECRETS["prom2"]}})
        self.assertEqual(res.status_code, 500, res.text)
        proc = self.cli("re-encrypt", KEY_B, WRONG)
        self.assertEqual(proc.returncode, 1)
        self.assertIn("security.previous_secret_key is not the key", proc.stderr)
        self.stop(server)

        server = self.start(KEY_B, KEY_A)  # the right previous key: all is well again
        self.assert_secrets_work_for_data_source(server, prom1)
        self.stop(server)
        self.assert_nothing_leaked()

    def assert_secrets_work_for_data_source(self, server, uid):
        res = self.call(server, "GET", "/api/datasources/uid/%s/health" % uid)
        self.assertEqual(res.status_code, 200, res.text)


if __name__ == "__main__":
    mdtest.main()
