"""The server on PostgreSQL and MySQL, and /api/health when the database goes away."""
import time
import unittest

import mdtest


class ExternalDatabaseTest(unittest.TestCase):
    def setUp(self):
        self.home = mdtest.TempHome()
        self.server = None
        self.db = None

    def tearDown(self):
        if self.server:
            self.server.kill()
        if self.db:
            self.db.drop()
        self.home.cleanup()

    def test_health_on_postgres(self):
        self.db = mdtest.Postgres()
        self.server = mdtest.Server(self.home, self.db.overrides())
        res = self.server.wait_healthy()
        self.assertEqual((res.status_code, res.json()["database"]), (200, "ok"))
        self.assertEqual(self.server.stop(), 0)

    def test_health_on_mysql(self):
        self.db = mdtest.Mysql()
        self.server = mdtest.Server(self.home, self.db.overrides())
        res = self.server.wait_healthy()
        self.assertEqual((res.status_code, res.json()["database"]), (200, "ok"))
        self.assertEqual(self.server.stop(), 0)

    def test_health_is_503_after_postgres_database_is_dropped(self):
        self.db = mdtest.Postgres()
        self.server = mdtest.Server(self.home, self.db.overrides())
        self.assertEqual(self.server.wait_healthy().status_code, 200)
        self.db.drop()  # terminates the server's connections; reconnecting fails
        deadline = time.time() + 30
        res = self.server.get("/api/health", timeout=30)
        while res.status_code == 200 and time.time() < deadline:
            time.sleep(0.2)
            res = self.server.get("/api/health", timeout=30)
        self.assertEqual(res.status_code, 503)
        self.assertEqual(res.json()["database"], "failing")
        self.assertEqual(self.server.stop(), 0)


if __name__ == "__main__":
    mdtest.main()
