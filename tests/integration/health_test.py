"""The server on SQLite: /api/health, JSON errors, request log lines (logfmt and JSON)."""
import json
import os
import unittest

import mdtest


class SqliteServerTest(unittest.TestCase):
    def setUp(self):
        self.home = mdtest.TempHome()
        self.server = None

    def tearDown(self):
        if self.server:
            self.server.kill()
        self.home.cleanup()

    def start(self, *overrides):
        self.server = mdtest.Server(self.home, overrides)
        return self.server.wait_healthy()

    def test_health_is_ok_on_sqlite(self):
        res = self.start()
        self.assertEqual(res.status_code, 200)
        self.assertEqual(res.headers["Content-Type"], "application/json")
        body = res.json()
        self.assertEqual(body["database"], "ok")
        self.assertEqual(sorted(body), ["commit", "database", "version"])
        self.assertTrue(os.path.exists(os.path.join(self.home.path, "data", "metrics-dashboard.db")))
        self.assertEqual(self.server.stop(), 0)

    def test_metrics_count_requests_by_route_status_and_latency(self):
        self.start()
        for _ in range(3):
            self.server.get("/api/datasources/uid/abc")  # 401: not signed in
        self.server.get("/api/nope")
        text = self.server.get("/metrics").text
        self.assertIn('md_http_requests_total{method="GET",route="/api/datasources/uid/:uid",status="401"} 3',
                      text)
        self.assertIn('md_http_requests_total{method="GET",route="unmatched",status="404"} 1', text)
        self.assertIn('md_http_request_duration_seconds_count{method="GET",route="/api/health"}', text)
        self.assertIn("# TYPE md_http_request_duration_seconds histogram", text)
        self.assertIn("md_database_pool_size 8", text)
        self.assertIn("md_database_pool_in_use ", text)

    def test_errors_are_json_messages(self):
        self.start("cfg:server.max_body_size=1KB")
        res = self.server.get("/api/nope")
        self.assertEqual((res.status_code, res.json()), (404, {"message": "Not found"}))
        res = mdtest.requests.post(self.server.url + "/api/health", timeout=10)
        self.assertEqual((res.status_code, res.json()), (405, {"message": "Method not allowed"}))
        res = mdtest.requests.post(self.server.url + "/api/health", data="x" * 4096, timeout=10)
        self.assertEqual(res.status_code, 413)
        self.assertEqual(res.json(), {"message": "Request body too large"})

    def test_logfmt_request_line(self):
        self.start()
        self.server.get("/api/health?token=do-not-log", headers={"Authorization": "Bearer abc123"})
        self.assertEqual(self.server.stop(), 0)
        lines = [l for l in self.server.log_lines() if 'msg="Request completed"' in l]
        self.assertTrue(lines, self.server.stderr())
        line = lines[-1]
        for part in ("level=info", "logger=http.server", "method=GET", "path=/api/health",
                     "status=200", "duration_ms=", "remote_addr=127.0.0.1"):
            self.assertIn(part, line)
        self.assertNotIn("do-not-log", self.server.stderr())
        self.assertNotIn("abc123", self.server.stderr())

    def test_json_request_line(self):
        self.start("cfg:log.format=json")
        self.server.get("/api/health")
        self.assertEqual(self.server.stop(), 0)
        entries = [json.loads(l) for l in self.server.log_lines()]
        requests_logged = [e for e in entries if e["msg"] == "Request completed"]
        self.assertTrue(requests_logged)
        entry = requests_logged[-1]
        self.assertEqual((entry["method"], entry["path"], entry["status"]),
                         ("GET", "/api/health", "200"))
        self.assertIn("duration_ms", entry)
        self.assertIn("t", entry)

    def test_default_secret_key_warns(self):
        self.start()
        self.assertIn("INSECURE: the default [security] secret_key", self.server.stderr())
        self.server.stop()
        self.server = mdtest.Server(self.home, ["cfg:security.secret_key=k3y-for-test",
                                                "cfg:security.admin_password=pw-for-test"])
        self.server.wait_healthy()
        self.server.stop()
        self.assertNotIn("INSECURE", self.server.stderr())
        self.assertNotIn("k3y-for-test", self.server.stderr())


if __name__ == "__main__":
    mdtest.main()
