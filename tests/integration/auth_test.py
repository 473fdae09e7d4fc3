"""Users, roles, service-account tokens, login rate limiting, bad inputs and the admin encryption
API on the real binary (SQLite), plus a check that no password or token reaches the server log."""
import json
import os
import sqlite3
import subprocess

import requests

import mdtest

ADMIN_PASSWORD = "Adm1n-first-start-pw"
REFERENCE = os.path.join(mdtest.SOURCE_DIR, "tests", "compat", "grafana_reference.py")
DEFAULT_KEY = "SW2YcwTIb9zpOOhoPsMm"


class Harness:
    """A server on a fresh SQLite database with [security] admin_user/admin_password set."""

    def __init__(self, extra=()):
        self.home = mdtest.TempHome()
        self.db = os.path.join(self.home.path, "data", "md.db")
        self.logs = []
        self.start(extra)
        self.admin = ("root", ADMIN_PASSWORD)
        self.secrets = [ADMIN_PASSWORD]  # everything that must never appear in the log

    def start(self, extra=()):
        self.server = mdtest.Server(self.home, ["cfg:database.path=" + self.db, "cfg:security.admin_user=root",
                                                "cfg:security.admin_password=" + ADMIN_PASSWORD,
                                                "cfg:server.max_body_size=64KB"] + list(extra))
        self.server.wait_healthy()

    def restart(self, extra=()):
        self.server.stop()
        self.logs.append(self.server.stderr())
        self.start(extra)

    def call(self, method, path, auth=None, body=None, raw=None, headers=None):
        kwargs = {"timeout": 120, "headers": dict(headers or {})}
        if auth is not None and isinstance(auth, str):
            kwargs["headers"]["Authorization"] = "Bearer " + auth
        elif auth is not None:
            kwargs["auth"] = auth
        if raw is not None:
            kwargs["data"] = raw
            kwargs["headers"].setdefault("Content-Type", "application/json")
        elif body is not None:
            kwargs["json"] = body
        return requests.request(method, self.server.url + path, **kwargs)

    def create_user(self, login, role):
        password = "pw-%s-Secret9" % login
        self.secrets.append(password)
        r = self.call("POST", "/api/admin/users", self.admin,
                      {"name": login.title(), "email": login + "@example.com", "login": login, "password": password})
        assert r.status_code == 200, r.text
        uid = r.json()["id"]
        if role != "Viewer":
            r = self.call("PATCH", "/api/org/users/%d" % uid, self.admin, {"role": role})
            assert r.status_code == 200, r.text
        return uid, (login, password)

    def close(self):
        self.server.stop()
        log = "".join(self.logs) + self.server.stderr()
        self.home.cleanup()
        return log


class AuthTest(mdtest.unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.h = Harness()
        cls.viewer_id, cls.viewer = cls.h.create_user("vera", "Viewer")
        cls.editor_id, cls.editor = cls.h.create_user("eddie", "Editor")
        cls.orgadmin_id, cls.orgadmin = cls.h.create_user("olga", "Admin")

    @classmethod
    def tearDownClass(cls):
        log = cls.h.close()
        for secret in cls.h.secrets:
            assert secret not in log, "a password or token is in the server log"
        assert "Authorization" not in log

    def call(self, *args, **kwargs):
        return self.h.call(*args, **kwargs)

    def test_first_start_admin_and_get_user(self):
        r = self.call("GET", "/api/user", self.h.admin)
        self.assertEqual(r.status_code, 200, r.text)
        me = r.json()
        self.assertEqual((me["login"], me["isGrafanaAdmin"], me["role"]), ("root", True, "Admin"))
        self.assertNotIn("password", r.text.lower())
        by_email = self.call("GET", "/api/user", ("vera@example.com", self.viewer[1]))
        self.assertEqual(by_email.json()["login"], "vera")
        self.assertEqual(by_email.json()["role"], "Viewer")

    def test_unauthenticated_is_401_and_roles_are_enforced(self):
        self.assertEqual(self.call("GET", "/api/user").status_code, 401)
        self.assertEqual(self.call("GET", "/api/admin/encryption/status").status_code, 401)
        for who in (self.viewer, self.editor):
            r = self.call("PATCH", "/api/org/users/%d" % self.viewer_id, who, {"role": "Admin"})
            self.assertEqual(r.status_code, 403, r.text)
            self.assertEqual(r.json(), {"message": "Permission denied"})
        for who in (self.viewer, self.editor, self.orgadmin):
            self.assertEqual(self.call("GET", "/api/admin/encryption/status", who).status_code, 403)
            self.assertEqual(self.call("POST", "/api/admin/encryption/rotate-data-keys", who).status_code, 403)
            self.assertEqual(self.call("POST", "/api/admin/users", who, {"login": "x", "password": "xxxxx"})
                             .status_code, 403)
        r = self.call("PATCH", "/api/org/users/%d" % self.editor_id, self.orgadmin, {"role": "Editor"})
        self.assertEqual(r.status_code, 200, r.text)

    def test_server_admin_flag(self):
        uid, creds = self.h.create_user("sam", "Viewer")
        self.assertEqual(self.call("GET", "/api/admin/encryption/status", creds).status_code, 403)
        r = self.call("PUT", "/api/admin/users/%d/permissions" % uid, self.h.admin, {"isGrafanaAdmin": True})
        self.assertEqual(r.status_code, 200, r.text)
        self.assertEqual(self.call("GET", "/api/admin/encryption/status", creds).status_code, 200)
        r = self.call("PUT", "/api/admin/users/%d/permissions" % uid, self.h.admin, {"isGrafanaAdmin": False})
        self.assertEqual(self.call("GET", "/api/admin/encryption/status", creds).status_code, 403)
        r = self.call("PUT", "/api/admin/users/99999/permissions", self.h.admin, {"isGrafanaAdmin": True})
        self.assertEqual(r.status_code, 404)

    def test_bad_inputs(self):
        cases = [
            ("POST", "/api/admin/users", "{not json", 400, "not valid JSON"),
            ("POST", "/api/admin/users", "[1,2]", 400, "JSON object"),
            ("POST", "/api/admin/users", json.dumps({"login": 5, "password": "abcdef"}), 400, "login"),
            ("POST", "/api/admin/users", json.dumps({"login": "nopw"}), 400, "password"),
            ("PUT", "/api/admin/users/1/permissions", json.dumps({"isGrafanaAdmin": "yes"}), 400, "isGrafanaAdmin"),
            ("PUT", "/api/admin/users/abc/permissions", json.dumps({"isGrafanaAdmin": True}), 400, "id"),
            ("PATCH", "/api/org/users/%d" % self.viewer_id, json.dumps({"role": "Boss"}), 400, "role"),
            ("PATCH", "/api/org/users/%d" % self.viewer_id, json.dumps({}), 400, "role"),
            ("PATCH", "/api/org/users/99999", json.dumps({"role": "Editor"}), 404, "not found"),
            ("POST", "/api/serviceaccounts", json.dumps({"name": ["x"]}), 400, "name"),
            ("POST", "/api/serviceaccounts/99999/tokens", json.dumps({"name": "t"}), 404, "not found"),
        ]
        for method, path, raw, code, text in cases:
            r = self.call(method, path, self.h.admin, raw=raw)
            self.assertEqual(r.status_code, code, "%s %s %s: %s" % (method, path, raw, r.text))
            self.assertIn(text, r.json()["message"], raw)
        dup = self.call("POST", "/api/admin/users", self.h.admin,
                        {"login": "vera", "email": "new@example.com", "password": "abcdef"})
        self.assertEqual(dup.status_code, 409, dup.text)
        dup = self.call("POST", "/api/admin/users", self.h.admin,
                        {"login": "new", "email": "vera@example.com", "password": "abcdef"})
        self.assertEqual(dup.status_code, 409, dup.text)
        big = self.call("POST", "/api/admin/users", self.h.admin, raw="x" * (100 * 1024))
        self.assertEqual(big.status_code, 413)

    def test_service_account_tokens(self):
        r = self.call("POST", "/api/serviceaccounts", self.orgadmin, {"name": "ci bot", "role": "Editor"})
        self.assertEqual(r.status_code, 201, r.text)
        sa = r.json()
        self.assertEqual((sa["login"], sa["role"]), ("sa-ci-bot", "Editor"))
        self.assertEqual(self.call("POST", "/api/serviceaccounts", self.orgadmin, {"name": "ci bot"}).status_code, 409)
        self.assertEqual(self.call("POST", "/api/serviceaccounts", self.editor, {"name": "x"}).status_code, 403)
        r = self.call("POST", "/api/serviceaccounts/%d/tokens" % sa["id"], self.orgadmin, {"name": "deploy"})
        self.assertEqual(r.status_code, 200, r.text)
        token = r.json()["key"]
        self.h.secrets.append(token)
        self.assertRegex(token, r"^glsa_[0-9A-Za-z]{32}_[0-9a-f]{8}$")
        me = self.call("GET", "/api/user", token).json()
        self.assertEqual((me["login"], me["isServiceAccount"], me["role"]), ("sa-ci-bot", True, "Editor"))
        self.assertEqual(self.call("GET", "/api/admin/encryption/status", token).status_code, 403)
        with sqlite3.connect(self.h.db) as conn:
            stored = [row[0] for row in conn.execute("SELECT key FROM api_key")]
        self.assertNotIn(token, stored)  # only the hash is stored; the key is shown once
        self.assertEqual(self.call("GET", "/api/user", token[:-1] + "0").status_code, 401)
        # expired
        r = self.call("POST", "/api/serviceaccounts/%d/tokens" % sa["id"], self.orgadmin,
                      {"name": "short", "secondsToLive": 1})
        short = r.json()["key"]
        self.h.secrets.append(short)
        with sqlite3.connect(self.h.db) as conn:
            conn.execute("UPDATE api_key SET expires = 1 WHERE name = 'short'")
        self.assertEqual(self.call("GET", "/api/user", short).status_code, 401)
        r = self.call("POST", "/api/serviceaccounts/%d/tokens" % sa["id"], self.orgadmin,
                      {"name": "bad", "secondsToLive": "soon"})
        self.assertEqual(r.status_code, 400)
        self.assertIn("secondsToLive", r.json()["message"])
        # revoked (deleted)
        tid = self.call("POST", "/api/serviceaccounts/%d/tokens" % sa["id"], self.orgadmin, {"name": "gone"}).json()
        self.h.secrets.append(tid["key"])
        self.assertEqual(self.call("GET", "/api/user", tid["key"]).status_code, 200)
        r = self.call("DELETE", "/api/serviceaccounts/%d/tokens/%d" % (sa["id"], tid["id"]), self.orgadmin)
        self.assertEqual(r.status_code, 200, r.text)
        self.assertEqual(self.call("GET", "/api/user", tid["key"]).status_code, 401)
        self.assertEqual(self.call("GET", "/api/user", token).status_code, 200)

    def test_password_change(self):
        uid, (login, old) = self.h.create_user("paula", "Editor")
        new = "paula-New-pw-77"
        self.h.secrets.append(new)
        r = self.call("PUT", "/api/user/password", (login, old), {"oldPassword": "wrong-old", "newPassword": new})
        self.assertEqual(r.status_code, 401, r.text)
        r = self.call("PUT", "/api/user/password", (login, old), {"oldPassword": old})
        self.assertEqual(r.status_code, 400)
        self.assertIn("newPassword", r.json()["message"])
        r = self.call("PUT", "/api/user/password", (login, old), {"oldPassword": old, "newPassword": new})
        self.assertEqual(r.status_code, 200, r.text)
        self.assertEqual(self.call("GET", "/api/user", (login, old)).status_code, 401)
        self.assertEqual(self.call("GET", "/api/user", (login, new)).status_code, 200)


class RateLimitTest(mdtest.unittest.TestCase):
    def test_repeated_failures_get_429_even_with_the_right_password(self):
        h = Harness()
        try:
            self.assertEqual(h.call("GET", "/api/user", h.admin).status_code, 200)  # successes don't count
            for _ in range(5):
                self.assertEqual(h.call("GET", "/api/user", ("root", "guess")).status_code, 401)
            r = h.call("GET", "/api/user", h.admin)
            self.assertEqual(r.status_code, 429, r.text)
            self.assertIn("too many failed logins", r.json()["message"])
        finally:
            log = h.close()
        self.assertNotIn(ADMIN_PASSWORD, log)
        self.assertNotIn("guess", log)


class AdminEncryptionTest(mdtest.unittest.TestCase):
    def setUp(self):
        self.h = Harness(["cfg:security.secret_key=" + DEFAULT_KEY])
        for name in ("influx", "prom"):
            subprocess.run(["/usr/bin/python3", REFERENCE, "write", self.h.db, DEFAULT_KEY, name, "pw-" + name],
                           check=True, capture_output=True, timeout=60)

    def tearDown(self):
        log = self.h.close()
        self.assertNotIn(ADMIN_PASSWORD, log)
        self.assertNotIn("pw-influx", log)

    def plaintexts(self):
        out = subprocess.run(["/usr/bin/python3", REFERENCE, "read", self.h.db, DEFAULT_KEY],
                             capture_output=True, text=True, check=True, timeout=60).stdout
        return json.loads(out)

    def post(self, name):
        return self.h.call("POST", "/api/admin/encryption/" + name, self.h.admin)

    def test_every_operation_answers_200_with_a_report_and_keeps_plaintexts(self):
        expected = self.plaintexts()
        self.assertEqual(expected["influx"]["password"], "pw-influx")
        messages = {"reencrypt-secrets": "Secrets re-encrypted successfully",
                    "rotate-data-keys": "Data encryption keys rotated successfully",
                    "reencrypt-data-keys": "Data encryption keys re-encrypted successfully",
                    "rollback-secrets": "Secrets rolled back successfully"}
        for name in ("reencrypt-secrets", "rotate-data-keys", "reencrypt-secrets", "reencrypt-data-keys",
                     "rollback-secrets"):
            r = self.post(name)
            self.assertEqual(r.status_code, 200, "%s: %s" % (name, r.text))
            self.assertEqual(r.json()["message"], messages[name])
            self.assertIn("columns", json.dumps(r.json()["report"]))
            self.assertEqual(self.plaintexts(), expected, name)
        status = self.h.call("GET", "/api/admin/encryption/status", self.h.admin)
        self.assertEqual(status.status_code, 200, status.text)
        body = status.json()
        self.assertEqual(body["valuesByFormat"], {"legacy aes-cfb": 4})
        self.assertFalse(body["progress"]["running"])
        self.assertEqual(body["progress"]["operation"], "rollback")

    def test_409_while_another_process_holds_the_operation_lock(self):
        with sqlite3.connect(self.h.db) as conn:
            conn.execute("INSERT INTO md_operation_lock (name, holder, acquired, heartbeat) VALUES "
                         "('secrets-migration', 'other-host:4242 re-encrypt', '2999-01-01 00:00:00', "
                         "'2999-01-01 00:00:00')")
        r = self.post("reencrypt-secrets")
        self.assertEqual(r.status_code, 409, r.text)
        self.assertIn("another secrets operation is running", r.json()["message"])
        with sqlite3.connect(self.h.db) as conn:
            conn.execute("DELETE FROM md_operation_lock")
        self.assertEqual(self.post("reencrypt-secrets").status_code, 200)

    def test_rows_that_do_not_decrypt_give_206_with_the_report(self):
        with sqlite3.connect(self.h.db) as conn:
            conn.execute("UPDATE data_source SET secure_json_data = '{\"password\":\"bm90LWEtYmxvYg==\"}' "
                         "WHERE name = 'prom'")
        r = self.post("reencrypt-secrets")
        self.assertEqual(r.status_code, 206, r.text)
        body = r.json()
        self.assertEqual(body["message"],
                         "Something unexpected happened - please inspect Grafana server log for details")
        self.assertEqual(len(body["report"]["failures"]), 1, body)
        self.assertEqual(body["report"]["failures"][0]["table"], "data_source")

    def test_wrong_secret_key_is_500_with_grafanas_message(self):
        self.assertEqual(self.post("reencrypt-secrets").status_code, 200)  # records the key check
        self.h.restart(["cfg:security.secret_key=not-the-key"])
        r = self.post("reencrypt-secrets")
        self.assertEqual(r.status_code, 500, r.text)
        self.assertEqual(r.json(), {"message": "Failed to re-encrypt secrets"})
        self.assertEqual(self.post("rollback-secrets").json(), {"message": "Failed to rollback secrets"})
        self.assertEqual(self.post("rotate-data-keys").status_code, 500)
        self.assertEqual(self.plaintexts()["influx"]["password"], "pw-influx")


if __name__ == "__main__":
    mdtest.main()
