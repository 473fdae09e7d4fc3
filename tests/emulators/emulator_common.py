"""Shared plumbing for the loopback KMS emulators (vault_transit_emulator.py, gcp_kms_emulator.py,
azure_kv_emulator.py):
the HTTP server bound to 127.0.0.1, the port printed on stdout, --watch-stdin, and the test
controls every emulator offers on /__control.

Common controls: POST /__control {"throttle_next": N, "fail_next": N, "down": bool, "reset": bool}
  throttle_next: the next N service calls get the service's 429 response
  fail_next:     the next N service calls get the service's 500 response
  down:          every service call closes the connection without a reply (a transport error)
GET /__control (or the POST reply) -> {"calls": {op: n}, "total": n, "auth_failures": n,
  "throttled": n, "failed": n, "dropped": n, "down": bool, ...service-specific counters}
Nothing is ever logged: requests carry key material and tokens.
"""

import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class ServiceError(Exception):
    """An error reply: HTTP status, the service's JSON error body and extra headers (a dict)."""

    def __init__(self, status, payload, headers=None):
        super().__init__(str(payload))
        self.status = status
        self.payload = payload
        self.headers = headers or {}


class EmulatorState:
    """Counters and fault injection; subclasses add their own state and routes (handle)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        with self.lock:
            self.calls = {}
            self.total = self.auth_failures = self.throttled = self.failed = self.dropped = 0
            self.throttle_next = self.fail_next = 0
            self.down = False
            self.reset_extra()

    def reset_extra(self):  # called with the lock held
        pass

    def control(self, body):
        if body.get("reset"):
            self.reset()
        with self.lock:
            self.throttle_next = int(body.get("throttle_next", self.throttle_next))
            self.fail_next = int(body.get("fail_next", self.fail_next))
            self.down = bool(body.get("down", self.down))
        self.control_extra(body)
        return self.snapshot()

    def control_extra(self, body):
        pass

    def snapshot(self):
        with self.lock:
            state = {"calls": dict(self.calls), "total": self.total, "auth_failures": self.auth_failures,
                     "throttled": self.throttled, "failed": self.failed, "dropped": self.dropped,
                     "down": self.down}
            state.update(self.snapshot_extra())
            return state

    def snapshot_extra(self):  # called with the lock held
        return {}

    def count_call(self, operation):
        with self.lock:
            self.total += 1
            self.calls[operation] = self.calls.get(operation, 0) + 1

    def count_auth_failure(self):
        with self.lock:
            self.auth_failures += 1

    def injected_fault(self):
        """'throttle', 'fail' or None, consuming one injected fault."""
        with self.lock:
            if self.throttle_next > 0:
                self.throttle_next -= 1
                self.throttled += 1
                return "throttle"
            if self.fail_next > 0:
                self.fail_next -= 1
                self.failed += 1
                return "fail"
        return None

    def handle(self, method, path, headers, body):
        """One service call -> (status, payload dict). Raise ServiceError for error replies."""
        raise NotImplementedError


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "kms-emulator"

    def log_message(self, fmt, *args):  # never log requests (they carry key material and tokens)
        pass

    def _reply(self, status, payload, headers=None):
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _serve(self, method):
        body = self._body()
        state = self.server.emulator
        if self.path == "/__control":
            try:
                reply = state.control(json.loads(body or b"{}")) if method != "GET" else state.snapshot()
                return self._reply(200, reply)
            except (ValueError, KeyError, TypeError) as e:
                return self._reply(400, {"error": str(e)})
        with state.lock:
            down = state.down
            if down:
                state.dropped += 1
        if down:
            self.close_connection = True  # no reply at all: the client sees a transport error
            return
        headers = None
        try:
            status, payload = state.handle(method, self.path, self.headers, body)
        except ServiceError as e:
            status, payload, headers = e.status, e.payload, e.headers
        self._reply(status, payload, headers)

    def do_GET(self):
        self._serve("GET")

    def do_POST(self):
        self._serve("POST")

    def do_PUT(self):
        self._serve("POST")  # PUT and POST are synonyms for these services


def add_common_args(parser):
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--watch-stdin", action="store_true",
                        help="exit when stdin reaches EOF (i.e. when the parent test dies)")


def make_server(state, port):
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    server.emulator = state
    return server


def serve(state, args):
    """Binds 127.0.0.1, tells the state its port (state.port: emulators that put their own URL in
    replies need it), prints the port (one line, digits only) and serves until killed."""
    server = make_server(state, args.port)
    state.port = server.server_address[1]
    serve_on(server, args)


def serve_on(server, args):
    """Prints the server's port (one line, digits only) and serves until killed."""
    print(server.server_address[1], flush=True)
    if args.watch_stdin:
        def watch():
            sys.stdin.read()
            os._exit(0)
        threading.Thread(target=watch, daemon=True).start()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
