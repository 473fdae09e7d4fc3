"""Re-encryption while the API is being written to: the CLI's `re-encrypt` (another process) and
the admin API's `reencrypt-secrets` (inside the server) run while threads keep updating data
sources' secrets through the API. No request may fail and no update may be lost: afterwards every
data source holds the last value the API acknowledged, decrypted by the independent Python
implementation (tests/compat/grafana_reference.py). On SQLite and on PostgreSQL."""
import base64
import json
import os
import random
import sqlite3
import sys
import threading

import mdtest

sys.path.insert(0, os.path.join(mdtest.SOURCE_DIR, "tests", "compat"))
import grafana_reference as ref  # noqa: E402

KEY = "online-test-key-0123456789"
ADMIN = ("admin", "admin")
DATA_SOURCES = 300
WRITERS = 4


class SqliteRows:
    def __init__(self, path):
        self.path = path

    def query(self, sql):
        with sqlite3.connect(self.path, timeout=30) as db:
            return [tuple(str(v) for v in row) for row in db.execute(sql)]

    def update_all(self, statements):
        with sqlite3.connect(self.path, timeout=30) as db:
            for sql, args in statements:
                db.execute(sql, args)


class PostgresRows:
    def __init__(self, database):
        self.database = database

    def query(self, sql):
        return [tuple(line.split("|")) for line in self.database.psql(sql, on_server=False).splitlines()]

    def update_all(self, statements):
        def literal(value):
            return "'" + str(value).replace("'", "''") + "'"
        script = ["BEGIN;"] + [sql.replace("?", "%s") % tuple(literal(a) for a in args) + ";"
                               for sql, args in statements] + ["COMMIT;"]
        self.database.psql(script="\n".join(script), on_server=False)


class Writers:
    """Threads that update their own share of the data sources' passwords through the API until
    stopped, remembering the last value acknowledged for each, and every failed request."""

    def __init__(self, url, token, uids):
        self.url, self.token = url, token
        self.acknowledged = {}
        self.failures = []
        self.requests = 0
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.run, args=(uids[i::WRITERS],)) for i in range(WRITERS)]

    def run(self, uids):
        session = mdtest.requests.Session()
        session.headers["Authorization"] = "Bearer " + self.token
        n = 0
        while not self.stop.is_set():
            uid = random.choice(uids)
            n += 1
            value = "api-%s-%d" % (uid, n)
            try:
                res = session.put(self.url + "/api/datasources/uid/" + uid, timeout=30, json={
                    "name": uid, "type": "prometheus", "access": "proxy", "url": "http://127.0.0.1:1",
                    "secureJsonData": {"password": value}})
                ok, detail = res.status_code == 200, "%d %s" % (res.status_code, res.text[:200])
            except mdtest.requests.RequestException as e:
                ok, detail = False, str(e)
            with self.lock:
                self.requests += 1
                if ok:
                    self.acknowledged[uid] = value
                else:
                    self.failures.append((uid, detail))
        session.close()

    def __enter__(self):
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for t in self.threads:
            t.join(timeout=60)


class OnlineReEncryptTest(mdtest.unittest.TestCase):
    def start(self, overrides, rows):
        self.home = mdtest.TempHome()
        self.addCleanup(self.home.cleanup)
        self.overrides = ["cfg:security.secret_key=" + KEY, "cfg:log.level=warn"] + overrides
        self.server = mdtest.Server(self.home, self.overrides)
        self.addCleanup(self.server.kill)
        self.server.wait_healthy()
        self.rows = rows(self.home) if callable(rows) else rows
        self.token = self.service_account_token()
        self.expected = {}
        for i in range(DATA_SOURCES):
            uid = "online-%04d" % i
            res = self.call("POST", "/api/datasources", {
                "name": uid, "uid": uid, "type": "prometheus", "access": "proxy", "url": "http://127.0.0.1:1",
                "secureJsonData": {"password": "first-%d" % i, "basicAuthPassword": "other-%d" % i}})
            self.assertEqual(res.status_code, 200, res.text)
            self.expected[uid] = {"password": "first-%d" % i, "basicAuthPassword": "other-%d" % i}

    def call(self, method, path, body=None):
        return mdtest.requests.request(method, self.server.url + path, auth=ADMIN, json=body, timeout=300)

    def service_account_token(self):
        sa = self.call("POST", "/api/serviceaccounts", {"name": "writer", "role": "Editor"}).json()
        return self.call("POST", "/api/serviceaccounts/%d/tokens" % sa["id"], {"name": "w"}).json()["key"]

    def rewrite_elsewhere(self):
        """Every value written again as Grafana writes legacy values (a fresh salt each), so each
        must be re-encrypted with its own PBKDF2: slow enough for the writers to race the run."""
        statements = []
        for uid, values in self.expected.items():
            secure = {k: base64.b64encode(ref.legacy_encrypt(v.encode(), KEY.encode())).decode()
                      for k, v in values.items()}
            statements.append(("UPDATE data_source SET secure_json_data = ? WHERE uid = ?",
                               (json.dumps(secure), uid)))
        self.rows.update_all(statements)

    def plaintexts(self):
        """Every data source's secrets, decrypted by the Python implementation of Grafana."""
        hexed = "lower(hex(encrypted_data))" if self.sqlite else "encode(encrypted_data, 'hex')"
        deks = {name: bytes.fromhex(blob) for name, blob in
                self.rows.query("SELECT name, %s FROM data_keys" % hexed)}

        def decrypt(blob):
            if blob[:1] != b"#":
                return ref.legacy_decrypt(blob, KEY.encode())
            end = blob.find(b"#", 1)
            dek = ref.legacy_decrypt(deks[ref.b64raw_decode(blob[1:end]).decode()], KEY.encode())
            return ref.legacy_decrypt(blob[end + 1:], dek)

        out = {}
        for uid, stored in self.rows.query("SELECT uid, secure_json_data FROM data_source"):
            out[uid] = {k: decrypt(base64.b64decode(v)).decode() for k, v in json.loads(stored).items()}
        return out

    def check_writers_and_values(self, writers):
        self.assertEqual(writers.failures, [], "requests failed during the run")
        self.assertGreater(writers.requests, 50, "the writers barely ran: the test proves nothing")
        for uid, value in writers.acknowledged.items():
            self.expected[uid]["password"] = value
        self.assertEqual(self.plaintexts(), self.expected)

    def cli(self, *args):
        return mdtest.run(["cli", "--homepath", self.home.path, "admin", "secrets-migration"] + list(args)
                          + self.overrides, timeout=600)

    def run_under_writes(self):
        self.rewrite_elsewhere()
        with Writers(self.server.url, self.token, list(self.expected)) as writers:
            proc = self.cli("re-encrypt", "--batch-size", "25", "--output", "json")
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        report = json.loads(proc.stdout)
        self.assertEqual(sum(c["changed"] for c in report["columns"]), DATA_SOURCES)  # rows
        raced = sum(c["concurrentlyChanged"] for c in report["columns"])
        self.assertGreater(raced, 0, "no write raced the run: the test proves nothing")
        self.check_writers_and_values(writers)
        first_run = writers.requests

        # The same inside the server: the admin API, after a rotation, under the same writes.
        self.assertEqual(self.call("POST", "/api/admin/encryption/rotate-data-keys").status_code, 200)
        self.rewrite_elsewhere()
        with Writers(self.server.url, self.token, list(self.expected)) as writers:
            res = self.call("POST", "/api/admin/encryption/reencrypt-secrets")
        self.assertEqual(res.status_code, 200, res.text)
        self.check_writers_and_values(writers)

        verify = self.cli("verify")
        self.assertEqual(verify.returncode, 0, verify.stdout + verify.stderr)
        print("\n%d + %d API writes during the two runs, none failed; %d rows changed under the CLI's run"
              % (first_run, writers.requests, raced))

    def test_sqlite(self):
        self.sqlite = True
        self.start([], lambda home: SqliteRows(os.path.join(home.path, "data", "metrics-dashboard.db")))
        self.run_under_writes()

    def test_postgres(self):
        self.sqlite = False
        database = mdtest.Postgres()
        self.addCleanup(database.drop)
        self.start(database.overrides(), PostgresRows(database))
        self.run_under_writes()


if __name__ == "__main__":
    mdtest.main()
