"""Data sources, plugin settings and contact points on the real binary (SQLite).

Secrets go in through the API, are checked by real health checks (PostgreSQL on MD_TEST_POSTGRES,
a loopback HTTP server checking basic auth) and a real webhook test send, and must never come
back in a response or appear in the server log.

Authentication: the test signs in as the first-start server admin (admin:admin) over Basic
auth, and creates Viewer and Editor users through the admin API for the role checks.
"""
import base64
import http.server
import json
import subprocess
import unittest

import mdtest

ADMIN = ("admin", "admin")
SECRETS = {
    "prom": "prom-pw-7f3a9c1e",
    "prom_wrong": "prom-wrong-5d2b8e44",
    "token": "tok-91c4e2aa7b",
    "header": "hdr-val-3e8d77f1",
    "plugin": "plugin-key-0b6d5c2f",
    "hook": "hook-pw-c47e19d3",
    "hook_wrong": "hook-wrong-8a1f6b20",
    "pg_wrong": "pg-wrong-2c9e5a71",
}


class LoopbackHandler(http.server.BaseHTTPRequestHandler):
    """Answers 200 when the request carries the credentials the test configured, else 401."""
    expected = {}   # path prefix -> expected Authorization header value
    received = []   # (path, json body) of webhook posts

    def _check(self):
        for prefix, value in self.expected.items():
            if self.path.startswith(prefix):
                ok = self.headers.get("Authorization") == value or self.headers.get("X-Token") == value
                return 200 if ok else 401
        return 404

    def _answer(self, code):
        body = b'{"status":"success"}' if code == 200 else b'{"error":"no"}'
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        self._answer(self._check())

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        payload = self.rfile.read(length)
        code = self._check()
        if code == 200:
            LoopbackHandler.received.append((self.path, json.loads(payload)))
        self._answer(code)

    def log_message(self, *args):
        pass


def password_is_checked(info):
    """False when the PostgreSQL server accepts a wrong password on loopback (pg_hba trust)."""
    conninfo = "host=%s port=%s dbname=%s user=%s password=%s connect_timeout=5" % (
        info["host"], info.get("port", "5432"), info["dbname"], info["user"], SECRETS["pg_wrong"])
    res = subprocess.run(["psql", conninfo, "-Atqc", "SELECT 1"], capture_output=True, text=True,
                         timeout=30)
    return res.returncode != 0


def basic(user, password):
    return "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode()).decode()


class ResourcesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.http, cls.http_url = mdtest.serve_http(LoopbackHandler)
        LoopbackHandler.expected = {"/prom": basic("prom", SECRETS["prom"]),
                                    "/hdr": SECRETS["header"],
                                    "/hook": basic("alert", SECRETS["hook"])}
        cls.home = mdtest.TempHome()
        cls.server = mdtest.Server(cls.home, ["cfg:log.level=debug"])
        cls.server.wait_healthy()

    @classmethod
    def tearDownClass(cls):
        cls.server.kill()
        cls.http.shutdown()
        cls.home.cleanup()

    def call(self, method, path, body=None, auth=ADMIN, raw=None):
        res = mdtest.requests.request(method, self.server.url + path, auth=auth, timeout=20,
                                      json=body if raw is None else None, data=raw)
        for secret in SECRETS.values():
            self.assertNotIn(secret, res.text, "%s %s leaked a secret" % (method, path))
        return res

    def create_ds(self, **fields):
        res = self.call("POST", "/api/datasources", fields)
        self.assertEqual(res.status_code, 200, res.text)
        return res.json()["datasource"]

    # --- data sources -----------------------------------------------------------------------

    def test_data_source_crud_with_secrets_and_merge(self):
        res = self.call("POST", "/api/datasources", {
            "name": "prom-crud", "type": "prometheus", "access": "proxy",
            "url": self.http_url + "/prom", "basicAuth": True, "basicAuthUser": "prom",
            "jsonData": {"timeInterval": "15s"},
            "secureJsonData": {"basicAuthPassword": SECRETS["prom"], "token": SECRETS["token"],
                               "empty": ""}})
        self.assertEqual(res.status_code, 200, res.text)
        body = res.json()
        self.assertEqual(body["message"], "Datasource added")
        self.assertEqual(body["name"], "prom-crud")
        ds = body["datasource"]
        self.assertEqual(body["id"], ds["id"])
        self.assertEqual(ds["secureJsonFields"], {"basicAuthPassword": True, "token": True})
        self.assertNotIn("secureJsonData", ds)
        self.assertEqual(len(ds["uid"]), 14)
        self.assertEqual((ds["version"], ds["typeName"], ds["jsonData"]), (1, "Prometheus", {"timeInterval": "15s"}))
        for path in ("/api/datasources/uid/" + ds["uid"], "/api/datasources/%d" % ds["id"],
                     "/api/datasources/name/prom-crud"):
            got = self.call("GET", path)
            self.assertEqual(got.status_code, 200, path)
            self.assertEqual(got.json()["secureJsonFields"], ds["secureJsonFields"])
        self.assertEqual(self.call("GET", "/api/datasources/id/prom-crud").json(), {"id": ds["id"]})
        self.assertIn("prom-crud", [d["name"] for d in self.call("GET", "/api/datasources").json()])
        # Merge: token cleared, basicAuthPassword not sent -> kept (the health check proves it).
        up = self.call("PUT", "/api/datasources/uid/" + ds["uid"], {
            "name": "prom-crud", "type": "prometheus", "url": self.http_url + "/prom",
            "basicAuth": True, "basicAuthUser": "prom", "version": 1,
            "secureJsonData": {"token": ""}})
        self.assertEqual(up.status_code, 200, up.text)
        self.assertEqual(up.json()["message"], "Datasource updated")
        self.assertEqual(up.json()["datasource"]["secureJsonFields"], {"basicAuthPassword": True})
        self.assertEqual(up.json()["datasource"]["version"], 2)
        health = self.call("GET", "/api/datasources/uid/%s/health" % ds["uid"])
        self.assertEqual(health.json(), {"status": "OK", "message": "Data source is working"})
        gone = self.call("DELETE", "/api/datasources/uid/" + ds["uid"])
        self.assertEqual(gone.json(), {"message": "Data source deleted", "id": ds["id"]})
        self.assertEqual(self.call("GET", "/api/datasources/uid/" + ds["uid"]).status_code, 404)

    def test_version_and_name_conflicts_are_409(self):
        ds = self.create_ds(name="conflicts", type="loki", url="http://127.0.0.1:1")
        body = {"name": "conflicts", "type": "loki", "url": "http://127.0.0.1:1", "version": 1}
        self.assertEqual(self.call("PUT", "/api/datasources/%d" % ds["id"], body).status_code, 200)
        stale = self.call("PUT", "/api/datasources/%d" % ds["id"], body)
        self.assertEqual(stale.status_code, 409)
        self.assertEqual(stale.json()["message"],
                         "Datasource has already been updated by someone else. Please reload and try again")
        dup = self.call("POST", "/api/datasources", {"name": "conflicts", "type": "loki"})
        self.assertEqual((dup.status_code, dup.json()["message"]),
                         (409, "data source with the same name already exists"))
        dup_uid = self.call("POST", "/api/datasources", {"name": "other", "type": "loki", "uid": ds["uid"]})
        self.assertEqual(dup_uid.status_code, 409)

    def test_health_http_basic_auth_header_and_refused(self):
        ds = self.create_ds(name="prom-health", type="prometheus", url=self.http_url + "/prom",
                            basicAuth=True, basicAuthUser="prom",
                            secureJsonData={"basicAuthPassword": SECRETS["prom_wrong"]})
        bad = self.call("GET", "/api/datasources/uid/%s/health" % ds["uid"])
        self.assertEqual(bad.status_code, 400)
        self.assertEqual(bad.json(), {"status": "ERROR", "message": "authentication failed: HTTP 401"})
        self.call("PUT", "/api/datasources/uid/" + ds["uid"], {
            "name": "prom-health", "type": "prometheus", "url": self.http_url + "/prom",
            "basicAuth": True, "basicAuthUser": "prom",
            "secureJsonData": {"basicAuthPassword": SECRETS["prom"]}})
        self.assertEqual(self.call("GET", "/api/datasources/uid/%s/health" % ds["uid"]).status_code, 200)
        hdr = self.create_ds(name="hdr-health", type="custom-http", url=self.http_url + "/hdr",
                             jsonData={"httpHeaderName1": "X-Token"},
                             secureJsonData={"httpHeaderValue1": SECRETS["header"]})
        self.assertEqual(self.call("GET", "/api/datasources/uid/%s/health" % hdr["uid"]).status_code, 200)
        refused = self.create_ds(name="refused", type="loki", url="http://127.0.0.1:%d" % mdtest.free_port())
        res = self.call("GET", "/api/datasources/uid/%s/health" % refused["uid"])
        self.assertEqual(res.status_code, 400)
        self.assertIn("request failed", res.json()["message"])

    def test_health_postgres_uses_the_decrypted_password(self):
        info = mdtest.parse_conninfo(mdtest.require_database("MD_TEST_POSTGRES"))
        url = "%s:%s" % (info["host"], info.get("port", "5432"))
        ds = self.create_ds(name="pg-health", type="postgres", url=url, user=info["user"],
                            database=info["dbname"], jsonData={"sslmode": "disable"},
                            secureJsonData={"password": info["password"]})
        ok = self.call("GET", "/api/datasources/uid/%s/health" % ds["uid"])
        self.assertEqual(ok.json(), {"status": "OK", "message": "Data source is working"})
        self.call("PUT", "/api/datasources/uid/" + ds["uid"], {
            "name": "pg-health", "type": "postgres", "url": url, "user": info["user"],
            "database": info["dbname"], "jsonData": {"sslmode": "disable"},
            "secureJsonData": {"password": SECRETS["pg_wrong"]}})
        bad = self.call("GET", "/api/datasources/uid/%s/health" % ds["uid"])
        if password_is_checked(info):
            self.assertEqual(bad.status_code, 400)
            self.assertEqual(bad.json()["status"], "ERROR")
            self.assertIn("password authentication failed", bad.json()["message"])
        else:  # the test server's pg_hba trusts loopback: any password connects
            self.assertEqual(bad.status_code, 200, "trust auth accepts the wrong password")
        missing = self.create_ds(name="pg-missing-db", type="postgres", url=url, user=info["user"],
                                 database="nosuchdb_xyz", jsonData={"sslmode": "disable"},
                                 secureJsonData={"password": info["password"]})
        res = self.call("GET", "/api/datasources/uid/%s/health" % missing["uid"])
        self.assertEqual(res.status_code, 400)
        self.assertIn("PostgreSQL connection failed", res.json()["message"])
        self.assertIn("nosuchdb_xyz", res.json()["message"])
        refused = self.create_ds(name="pg-refused", type="postgres", user="u", database="d",
                                 url="127.0.0.1:%d" % mdtest.free_port())
        res = self.call("GET", "/api/datasources/uid/%s/health" % refused["uid"])
        self.assertEqual(res.status_code, 400)
        self.assertIn("PostgreSQL connection failed", res.json()["message"])

    # --- plugin settings ----------------------------------------------------------------------

    def test_plugin_settings_store_secrets_and_merge(self):
        path = "/api/plugins/my-test-app/settings"
        self.assertEqual(self.call("GET", path).json()["enabled"], False)
        res = self.call("POST", path, {"enabled": True, "pinned": True, "jsonData": {"a": 1},
                                       "secureJsonData": {"apiKey": SECRETS["plugin"]}})
        self.assertEqual(res.status_code, 200, res.text)
        got = self.call("GET", path).json()
        self.assertEqual((got["enabled"], got["pinned"], got["jsonData"]), (True, True, {"a": 1}))
        self.assertEqual(got["secureJsonFields"], {"apiKey": True})
        self.call("POST", path, {"secureJsonData": {"other": "x"}})
        self.assertEqual(self.call("GET", path).json()["secureJsonFields"], {"apiKey": True, "other": True})
        self.assertEqual(self.call("POST", path, raw="{oops").status_code, 400)

    # --- contact points ------------------------------------------------------------------------

    def test_contact_point_secrets_redacted_and_test_send(self):
        base = "/api/v1/provisioning/contact-points"
        res = self.call("POST", base, {"name": "ops-hook", "type": "webhook", "settings": {
            "url": self.http_url + "/hook", "username": "alert", "password": SECRETS["hook"]}})
        self.assertEqual(res.status_code, 202, res.text)
        cp = res.json()
        self.assertEqual(cp["settings"]["password"], "[REDACTED]")
        listed = [c for c in self.call("GET", base).json() if c["uid"] == cp["uid"]]
        self.assertEqual(listed[0]["settings"]["password"], "[REDACTED]")
        LoopbackHandler.received.clear()
        sent = self.call("POST", "%s/%s/test" % (base, cp["uid"]))
        self.assertEqual(sent.status_code, 200, sent.text)
        self.assertEqual(LoopbackHandler.received[0][1]["alerts"][0]["labels"]["alertname"], "TestAlert")
        # Sent back redacted: the stored password is kept, the test send still works.
        cp["settings"]["url"] = self.http_url + "/hook/v2"
        self.assertEqual(self.call("PUT", "%s/%s" % (base, cp["uid"]), cp).status_code, 202)
        self.assertEqual(self.call("POST", "%s/%s/test" % (base, cp["uid"])).status_code, 200)
        cp["settings"]["password"] = SECRETS["hook_wrong"]
        self.assertEqual(self.call("PUT", "%s/%s" % (base, cp["uid"]), cp).status_code, 202)
        bad = self.call("POST", "%s/%s/test" % (base, cp["uid"]))
        self.assertEqual((bad.status_code, bad.json()["message"]),
                         (400, "webhook authentication failed: HTTP 401"))
        self.assertEqual(self.call("DELETE", "%s/%s" % (base, cp["uid"])).status_code, 202)
        self.assertEqual(self.call("DELETE", "%s/%s" % (base, cp["uid"])).status_code, 404)

    # --- bad input and authentication ----------------------------------------------------------

    def test_bad_input_is_4xx_naming_the_problem(self):
        cases = [
            ("POST", "/api/datasources", "{nope", 400, "bad request data: the body is not valid JSON"),
            ("POST", "/api/datasources", '{"type":"loki"}', 400, "name is required"),
            ("POST", "/api/datasources", '{"name":"x"}', 400, "type is required"),
            ("POST", "/api/datasources", '{"name":"x","type":"loki","isDefault":1}', 400,
             "isDefault must be a boolean"),
            ("POST", "/api/datasources", '{"name":"x","type":"loki","jsonData":[]}', 400,
             "jsonData must be a JSON object"),
            ("GET", "/api/datasources/abc", None, 400, "id is invalid"),
            ("GET", "/api/datasources/987654", None, 404, "Data source not found"),
            ("PUT", "/api/datasources/uid/missing", '{"name":"x","type":"loki"}', 404, "Data source not found"),
            ("POST", "/api/v1/provisioning/contact-points", '{"name":"x","type":"webhook","settings":"s"}',
             400, "settings must be a JSON object"),
        ]
        for method, path, raw, code, message in cases:
            res = self.call(method, path, raw=raw)
            self.assertEqual((res.status_code, res.json().get("message")), (code, message), (method, path, raw))
        self.assertNotIn("x", [d["name"] for d in self.call("GET", "/api/datasources").json()])

    def test_requests_without_valid_credentials_are_401(self):
        self.assertEqual(self.call("GET", "/api/datasources", auth=None).status_code, 401)
        self.assertEqual(self.call("GET", "/api/datasources", auth=("admin", "wrong")).status_code, 401)

    # --- last: the log ---------------------------------------------------------------------------

    def test_zz_server_log_never_contains_a_secret(self):
        log = self.server.stderr()
        self.assertIn("Request completed", log)
        for name, secret in SECRETS.items():
            self.assertNotIn(secret, log, name)


class RolesTest(unittest.TestCase):
    """Viewers read, Editors write data sources and contact points, plugin settings need an org
    Admin (as in Grafana)."""

    @classmethod
    def setUpClass(cls):
        cls.home = mdtest.TempHome()
        cls.server = mdtest.Server(cls.home)
        cls.server.wait_healthy()
        for login, role in (("viewer", "Viewer"), ("editor", "Editor")):
            res = cls.call("POST", "/api/admin/users",
                           {"name": login, "email": login + "@example.com", "login": login,
                            "password": login + "-pass-123"}, ADMIN)
            assert res.status_code == 200, res.text
            res = cls.call("PATCH", "/api/org/users/%d" % res.json()["id"], {"role": role}, ADMIN)
            assert res.status_code == 200, res.text

    @classmethod
    def tearDownClass(cls):
        cls.server.kill()
        cls.home.cleanup()

    @classmethod
    def call(cls, method, path, body, auth):
        return mdtest.requests.request(method, cls.server.url + path, auth=auth, json=body, timeout=20)

    def test_viewers_read_and_editors_write(self):
        viewer, editor = ("viewer", "viewer-pass-123"), ("editor", "editor-pass-123")
        ds = {"name": "roles-ds", "type": "prometheus", "url": "http://127.0.0.1:1",
              "secureJsonData": {"basicAuthPassword": "role-secret"}}
        self.assertEqual(self.call("POST", "/api/datasources", ds, viewer).status_code, 403)
        created = self.call("POST", "/api/datasources", ds, editor)
        self.assertEqual(created.status_code, 200, created.text)
        uid = created.json()["datasource"]["uid"]
        listed = self.call("GET", "/api/datasources/uid/" + uid, None, viewer)
        self.assertEqual(listed.status_code, 200)
        self.assertEqual(listed.json()["secureJsonFields"], {"basicAuthPassword": True})
        self.assertEqual(self.call("DELETE", "/api/datasources/uid/" + uid, None, viewer).status_code, 403)
        settings = {"enabled": True, "secureJsonData": {"apiKey": "plugin-secret"}}
        self.assertEqual(self.call("POST", "/api/plugins/example-app/settings", settings, editor).status_code, 403)
        self.assertEqual(self.call("POST", "/api/plugins/example-app/settings", settings, ADMIN).status_code, 200)
        self.assertEqual(self.call("GET", "/api/plugins/example-app/settings", None, viewer).status_code, 200)
        self.assertEqual(self.call("POST", "/api/admin/encryption/rotate-data-keys", None, editor).status_code, 403)


if __name__ == "__main__":
    mdtest.main()
