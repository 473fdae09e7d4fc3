"""Helpers for integration tests that run the real metrics-dashboard binary.

Environment (set by tests/CMakeLists.txt): MD_BINARY (the binary), MD_SOURCE_DIR (for
conf/defaults.ini). Databases: MD_TEST_POSTGRES (libpq conninfo) and MD_TEST_MYSQL
("host=... port=... db=... user=... password=..."); when MD_REQUIRE_DATABASES=1 a missing one
fails the test, otherwise it is skipped. Uses only the standard library and `requests`.
"""
import http.server
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import urllib.request
import time
import unittest
import uuid

import requests

BINARY = os.environ.get("MD_BINARY", "")
SOURCE_DIR = os.environ.get("MD_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))


def free_port():
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_http(handler_class):
    """Serves handler_class on 127.0.0.1:<free port> in a daemon thread; returns (server, url).
    Stop it with server.shutdown()."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler_class)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, "http://127.0.0.1:%d" % server.server_address[1]


class Emulator:
    """A loopback service emulator of tests/emulators/ (`script` with `args`), stopped by stop() or
    when this test process dies (--watch-stdin); `url` is where it listens."""

    def __init__(self, script, args=()):
        path = os.path.join(SOURCE_DIR, "tests", "emulators", script)
        self.process = subprocess.Popen(["/usr/bin/python3", path, "--watch-stdin"] + list(args),
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.url = "http://127.0.0.1:%d" % int(self.process.stdout.readline())

    def control(self, change=None):
        """GET /__control, or POST `change` (a dict) to it; the emulator's state."""
        data = json.dumps(change).encode() if change is not None else None
        request = urllib.request.Request(self.url + "/__control", data=data)
        with urllib.request.urlopen(request, timeout=10) as r:
            return json.load(r)

    def stop(self):
        if self.process.poll() is None:
            self.process.stdin.close()
            self.process.wait(timeout=10)
            self.process.stdout.close()


class TempHome:
    """A throw-away homepath with conf/defaults.ini; removed by cleanup()."""

    def __init__(self, custom_ini=None):
        self.path = tempfile.mkdtemp(prefix="md-it-")
        os.makedirs(os.path.join(self.path, "conf"))
        shutil.copy(os.path.join(SOURCE_DIR, "conf", "defaults.ini"),
                    os.path.join(self.path, "conf", "defaults.ini"))
        if custom_ini is not None:
            self.write("conf/custom.ini", custom_ini)

    def write(self, relative, text):
        path = os.path.join(self.path, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        return path

    def configure_provider(self, current, provider_id, section, security=()):
        """conf/custom.ini: secretKey.v1 and provider_id available, `current` wraps new data keys,
        `section` (key = value lines) is [security.encryption.<provider_id>], `security` more
        [security] lines."""
        self.write("conf/custom.ini", "\n".join(
            ["[security]"] + list(security) +
            ["available_encryption_providers = secretKey.v1 " + provider_id, "encryption_provider = " + current,
             "[security.encryption.%s]" % provider_id] + list(section) + [""]))

    def cleanup(self):
        shutil.rmtree(self.path, ignore_errors=True)


def run(args, env=None, timeout=60):
    """Runs the binary to completion; returns CompletedProcess (text stdout/stderr)."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run([BINARY] + list(args), capture_output=True, text=True,
                          timeout=timeout, env=full_env)


class Server:
    """`metrics-dashboard server` on 127.0.0.1:<free port> with a temp homepath."""

    def __init__(self, home, overrides=(), env=None, port=None):
        self.home = home
        self.port = port or free_port()
        self.url = "http://127.0.0.1:%d" % self.port
        self.stderr_path = os.path.join(home.path, "server.stderr")
        self.stdout_path = os.path.join(home.path, "server.stdout")
        args = [BINARY, "server", "--homepath", home.path, "cfg:server.http_addr=127.0.0.1",
                "cfg:server.http_port=%d" % self.port] + list(overrides)
        full_env = dict(os.environ)
        full_env.update(env or {})
        with open(self.stderr_path, "w") as err, open(self.stdout_path, "w") as out:
            self.process = subprocess.Popen(args, stdout=out, stderr=err, env=full_env)

    def wait_healthy(self, timeout=30):
        """Waits until /api/health answers (any status); returns the response."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise AssertionError("server exited with %s: %s"
                                     % (self.process.returncode, self.stderr()))
            try:
                return requests.get(self.url + "/api/health", timeout=5)
            except requests.ConnectionError:
                time.sleep(0.05)
        raise AssertionError("server did not answer within %ss: %s" % (timeout, self.stderr()))

    def get(self, path, **kwargs):
        return requests.get(self.url + path, timeout=kwargs.pop("timeout", 10), **kwargs)

    def stop(self, sig=signal.SIGTERM, timeout=30):
        """Sends sig and returns the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
        return self.process.wait(timeout=timeout)

    def stderr(self):
        with open(self.stderr_path) as f:
            return f.read()

    def log_lines(self):
        return [line for line in self.stderr().splitlines() if line.strip()]

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


FIXTURES = os.path.join(SOURCE_DIR, "..", "shared", "fixtures", "grafana-databases")
REFERENCE = os.path.join(SOURCE_DIR, "tests", "compat", "grafana_reference.py")
MODBUS = "Naybeer__modbus__05b8c317__grafana_data_grafana.db"
# What grafana_reference.py reads from MODBUS.
MODBUS_PLAINTEXTS = {"influxdb": {"basicAuthPassword": "1234", "password": "1234"},
                     "influxdb-1": {"password": "1234"}, "influxdb-2": {"password": "1234"}}
GRAFANA_DEFAULT_KEY = "SW2YcwTIb9zpOOhoPsMm"


class FixtureDb:
    """A copy of a real Grafana SQLite database (shared/fixtures/grafana-databases) in a TempHome,
    and the `cli admin secrets-migration` commands an operator runs against it."""

    def __init__(self, home, name=MODBUS, secret_key=GRAFANA_DEFAULT_KEY, env=None):
        self.home = home
        self.path = os.path.join(home.path, "grafana.db")
        self.secret_key = secret_key
        self.env = env
        shutil.copy(os.path.join(FIXTURES, name), self.path)

    def migration(self, action, *flags):
        """`cli admin secrets-migration <action> <flags>` on this database; the CompletedProcess."""
        return run(["cli", "--homepath", self.home.path, "admin", "secrets-migration", action]
                   + list(flags) + ["cfg:database.path=" + self.path,
                                    "cfg:security.secret_key=" + self.secret_key], env=self.env)

    def reference_plaintexts(self):
        """{data source name: {key: plaintext}} read by tests/compat/grafana_reference.py."""
        out = subprocess.run(["/usr/bin/python3", REFERENCE, "read", self.path, self.secret_key],
                             capture_output=True, text=True, check=True).stdout
        return json.loads(out)

    def sql(self, query):
        """The sqlite3 command's output lines for query."""
        return subprocess.run(["sqlite3", self.path, query], capture_output=True, text=True,
                              check=True).stdout.split()


def require_database(var):
    """The value of var, or skip (fail when MD_REQUIRE_DATABASES=1) when it is unset."""
    value = os.environ.get(var, "")
    if value:
        return value
    if os.environ.get("MD_REQUIRE_DATABASES") == "1":
        raise AssertionError("%s is not set but MD_REQUIRE_DATABASES=1" % var)
    raise unittest.SkipTest("%s is not set" % var)


def parse_conninfo(text):
    """'k=v k=v' -> dict."""
    return dict(item.split("=", 1) for item in text.split())


def unique_name(prefix):
    return "%s_%s" % (prefix, uuid.uuid4().hex[:10])


class Postgres:
    """A fresh database in the server named by MD_TEST_POSTGRES; drop() removes it."""

    def __init__(self):
        self.info = parse_conninfo(require_database("MD_TEST_POSTGRES"))
        self.name = unique_name("md_it")
        self.psql("CREATE DATABASE %s" % self.name)

    def psql(self, sql=None, script=None, on_server=True):
        """Runs `sql` (or the text `script`) with psql, on the server's admin database or, with
        on_server=False, in this test database; psql's unaligned output."""
        info = self.info if on_server else dict(self.info, dbname=self.name)
        conninfo = " ".join("%s=%s" % kv for kv in info.items())
        what = ["-c", sql] if sql is not None else ["-f", "-"]
        return subprocess.run(["psql", conninfo, "-X", "-v", "ON_ERROR_STOP=1", "-Atq"] + what, input=script,
                              check=True, capture_output=True, text=True, timeout=120).stdout

    def overrides(self):
        return ["cfg:database.type=postgres",
                "cfg:database.host=%s:%s" % (self.info["host"], self.info.get("port", "5432")),
                "cfg:database.name=%s" % self.name, "cfg:database.user=%s" % self.info["user"],
                "cfg:database.password=%s" % self.info.get("password", ""),
                "cfg:database.ssl_mode=disable", "cfg:database.max_open_conn=2"]

    def drop(self):
        self.psql("DROP DATABASE IF EXISTS %s WITH (FORCE)" % self.name)


class Mysql:
    """A fresh database in the server named by MD_TEST_MYSQL; drop() removes it."""

    def __init__(self):
        self.info = parse_conninfo(require_database("MD_TEST_MYSQL"))
        self.name = unique_name("md_it")
        self.sql("CREATE DATABASE %s" % self.name)

    def sql(self, statement):
        i = self.info
        subprocess.run(["mysql", "-h", i["host"], "-P", i.get("port", "3306"), "-u", i["user"],
                        "-p" + i.get("password", ""), "-e", statement],
                       check=True, capture_output=True, text=True, timeout=60)

    def overrides(self):
        return ["cfg:database.type=mysql",
                "cfg:database.host=%s:%s" % (self.info["host"], self.info.get("port", "3306")),
                "cfg:database.name=%s" % self.name, "cfg:database.user=%s" % self.info["user"],
                "cfg:database.password=%s" % self.info.get("password", ""),
                "cfg:database.ssl_mode=false", "cfg:database.max_open_conn=2"]

    def drop(self):
        self.sql("DROP DATABASE IF EXISTS %s" % self.name)


def main():
    """unittest.main that exits 77 (ctest SKIP_RETURN_CODE) when every test was skipped."""
    if not BINARY or not os.path.exists(BINARY):
        print("MD_BINARY is not set to the metrics-dashboard binary", file=sys.stderr)
        sys.exit(1)
    program = unittest.main(exit=False, verbosity=2)
    result = program.result
    if not result.wasSuccessful():
        sys.exit(1)
    if result.testsRun > 0 and len(result.skipped) == result.testsRun:
        sys.exit(77)
    sys.exit(0)
