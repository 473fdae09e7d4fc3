"""Graceful shutdown: SIGTERM/SIGINT exit 0 and a request in progress still gets its answer."""
import signal
import socket
import time
import unittest

import mdtest


class ShutdownTest(unittest.TestCase):
    def setUp(self):
        self.home = mdtest.TempHome()
        self.server = mdtest.Server(self.home)
        self.server.wait_healthy()

    def tearDown(self):
        self.server.kill()
        self.home.cleanup()

    def test_sigterm_exits_0(self):
        self.assertEqual(self.server.stop(signal.SIGTERM), 0)
        self.assertIn("Server stopped", self.server.stderr())

    def test_sigint_exits_0(self):
        self.assertEqual(self.server.stop(signal.SIGINT), 0)

    def test_request_in_progress_is_answered(self):
        with socket.create_connection(("127.0.0.1", self.server.port), timeout=10) as conn:
            conn.sendall(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # headers unfinished
            time.sleep(0.3)
            self.server.process.send_signal(signal.SIGTERM)
            time.sleep(0.5)
            self.assertIsNone(self.server.process.poll(), "exited with a request in progress")
            conn.sendall(b"Connection: close\r\n\r\n")
            response = b""
            while True:
                chunk = conn.recv(4096)
                if not chunk:
                    break
                response += chunk
        self.assertTrue(response.startswith(b"HTTP/1.1 200"), response)
        self.assertIn(b'"database":"ok"', response)
        self.assertEqual(self.server.process.wait(timeout=30), 0)
        # New connections are refused once shutdown began.
        with self.assertRaises(OSError):
            socket.create_connection(("127.0.0.1", self.server.port), timeout=2).close()


if __name__ == "__main__":
    mdtest.main()
