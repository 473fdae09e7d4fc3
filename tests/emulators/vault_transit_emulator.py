#!/usr/bin/python3
"""Loopback HashiCorp Vault emulator for tests: the transit secrets engine and token self-service
(kms-protocols.md §4). Python 3 standard library plus `cryptography`; run it with /usr/bin/python3.

Usage:
  vault_transit_emulator.py [--port 0] [--token TOKEN]... [--mount transit] [--key NAME]...
                            [--token-ttl SECONDS] [--seed TEXT] [--watch-stdin]
It binds 127.0.0.1 only and prints the port (one line, digits only) once it is listening.

Routes (PUT = POST; all need a valid X-Vault-Token or Authorization: Bearer, else
403 {"errors":["permission denied"]}):
  POST /v1/<mount>/encrypt/<name>   {"plaintext": b64}  -> data.ciphertext "vault:v<N>:<b64>", data.key_version
  POST /v1/<mount>/decrypt/<name>   {"ciphertext": ...} -> data.plaintext (b64)
  POST /v1/<mount>/keys/<name>      create;  GET -> data.latest_version, data.keys
  POST /v1/<mount>/keys/<name>/rotate        new latest version; older versions still decrypt
  POST /v1/auth/token/renew-self    -> auth.lease_duration (resets the token's TTL)
  GET  /v1/auth/token/lookup-self   -> data.ttl
Ciphertext: "vault:v<N>:" + base64(nonce (12) | AES-256-GCM ciphertext | tag (16)), the real
format; the AES key of (name, N) is HMAC-SHA256(seed, name|N), so ciphertexts survive restarts.
With --token-ttl > 0, tokens expire that many seconds after start or their last renewal.

Test controls (emulator_common.py) plus:
  POST /__control {"rotate": name, "fail_renew": bool, "revoke": token}
  GET  /__control -> ... "renewals": n, "last_renewal_ts": [...]
"""

import argparse
import base64
import binascii
import hashlib
import hmac
import json
import os
import re
import sys
import time

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

import emulator_common as common
from emulator_common import ServiceError

NAME_RE = re.compile(r"^[A-Za-z0-9_.-]*[A-Za-z0-9_-]$")
CIPHERTEXT_RE = re.compile(r"^vault:v(\d+):([A-Za-z0-9+/=]+)$")


def _errors(status, *messages):
    return ServiceError(status, {"errors": list(messages)})


def _b64decode(text, what):
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError, TypeError):
        raise _errors(400, f"failed to base64-decode {what}")


class VaultEmulator(common.EmulatorState):
    def __init__(self, args):
        self.tokens = {t: None for t in (args.token or ["root"])}
        self.mount = args.mount.strip("/")
        self.seed = args.seed.encode()
        self.token_ttl = args.token_ttl
        self.keys = {name: 1 for name in (args.key or ["metrics-dashboard"])}  # name -> latest version
        super().__init__()
        now = time.monotonic()
        self.expiry = {t: (now + self.token_ttl if self.token_ttl > 0 else None) for t in self.tokens}

    def reset_extra(self):
        self.renewals = 0
        self.renewal_times = []
        self.fail_renew = False

    def control_extra(self, body):
        with self.lock:
            self.fail_renew = bool(body.get("fail_renew", self.fail_renew))
            if body.get("rotate"):
                name = body["rotate"]
                if name not in self.keys:
                    raise KeyError(f"no key {name}")
                self.keys[name] += 1
            if body.get("revoke"):
                self.tokens.pop(body["revoke"], None)

    def snapshot_extra(self):
        return {"renewals": self.renewals, "renewal_times": list(self.renewal_times),
                "keys": dict(self.keys)}

    # -- crypto ---------------------------------------------------------------------------------
    def _aes(self, name, version):
        return AESGCM(hmac.new(self.seed, f"{name}|{version}".encode(), hashlib.sha256).digest())

    def encrypt(self, name, request):
        plaintext = _b64decode(request.get("plaintext", ""), "plaintext")
        with self.lock:
            if name not in self.keys:
                raise _errors(400, "encryption key not found")
            version = self.keys[name]
        nonce = os.urandom(12)
        payload = nonce + self._aes(name, version).encrypt(nonce, plaintext, None)
        text = f"vault:v{version}:" + base64.b64encode(payload).decode()
        return {"ciphertext": text, "key_version": version}

    def decrypt(self, name, request):
        match = CIPHERTEXT_RE.match(str(request.get("ciphertext", "")))
        if not match:
            raise _errors(400, "invalid ciphertext: no prefix")
        version, payload = int(match.group(1)), _b64decode(match.group(2), "ciphertext")
        with self.lock:
            if name not in self.keys:
                raise _errors(400, "encryption key not found")
            if version < 1 or version > self.keys[name]:
                raise _errors(400, "invalid ciphertext: invalid key version")
        try:
            plaintext = self._aes(name, version).decrypt(payload[:12], payload[12:], None)
        except Exception:
            raise _errors(400, "cipher: message authentication failed")
        return {"plaintext": base64.b64encode(plaintext).decode()}

    # -- tokens ---------------------------------------------------------------------------------
    def authenticate(self, headers):
        token = headers.get("X-Vault-Token")
        bearer = headers.get("Authorization") or ""
        if not token and bearer.startswith("Bearer "):
            token = bearer[len("Bearer "):]
        with self.lock:
            valid = token in self.tokens
            expiry = self.expiry.get(token) if valid else None
        if not valid or (expiry is not None and time.monotonic() > expiry):
            self.count_auth_failure()
            raise _errors(403, "permission denied")
        return token

    def renew_self(self, token):
        with self.lock:
            self.renewals += 1
            self.renewal_times.append(time.time())
            if self.fail_renew:
                raise _errors(403, "permission denied")
            if self.token_ttl > 0:
                self.expiry[token] = time.monotonic() + self.token_ttl
        return {"auth": {"client_token": token, "lease_duration": self.token_ttl, "renewable": True,
                         "policies": ["default", "kms"], "token_type": "service"}}

    def lookup_self(self, token):
        with self.lock:
            expiry = self.expiry.get(token)
        ttl = 0 if expiry is None else max(0, int(expiry - time.monotonic()))
        return {"data": {"ttl": ttl, "renewable": self.token_ttl > 0, "policies": ["default", "kms"]}}

    # -- routing --------------------------------------------------------------------------------
    def handle(self, method, path, headers, body):
        path = path.partition("?")[0]
        operation = self._operation(path)
        self.count_call(operation)
        token = self.authenticate(headers)
        fault = self.injected_fault()
        if fault == "throttle":
            raise _errors(429, "request path \"" + path[4:] + "\": rate limit quota exceeded")
        if fault == "fail":
            raise _errors(500, "internal error (injected)")
        try:
            request = json.loads(body or b"{}")
        except ValueError:
            raise _errors(400, "failed to parse JSON input")
        if not isinstance(request, dict):
            raise _errors(400, "failed to parse JSON input")
        return 200, self._dispatch(method, path, operation, token, request)

    def _operation(self, path):
        if path == "/v1/auth/token/renew-self":
            return "renew-self"
        if path == "/v1/auth/token/lookup-self":
            return "lookup-self"
        prefix = f"/v1/{self.mount}/"
        if path.startswith(prefix):
            parts = path[len(prefix):].split("/")
            if len(parts) == 3 and parts[0] == "keys" and parts[2] == "rotate":
                return "rotate"
            if len(parts) == 2 and parts[0] in ("encrypt", "decrypt", "keys"):
                return parts[0]
        return "unknown"

    def _dispatch(self, method, path, operation, token, request):
        if operation == "renew-self" and method == "POST":
            return self.renew_self(token)
        if operation == "lookup-self" and method == "GET":
            return self.lookup_self(token)
        if operation == "unknown":
            raise _errors(404, "no handler for route \"" + path[4:] + "\"")
        name = path.rstrip("/").split("/")[-2 if operation == "rotate" else -1]
        if not NAME_RE.match(name):
            raise _errors(404, "no handler for route")
        if operation in ("encrypt", "decrypt") and method == "POST":
            data = self.encrypt(name, request) if operation == "encrypt" else self.decrypt(name, request)
            return {"request_id": "", "lease_id": "", "renewable": False, "lease_duration": 0, "data": data,
                    "wrap_info": None, "warnings": None, "auth": None}
        return self._keys(method, operation, name)

    def _keys(self, method, operation, name):
        with self.lock:
            if operation == "rotate" or method == "POST":
                if operation == "rotate" and name not in self.keys:
                    raise _errors(400, "key not found")
                self.keys[name] = self.keys.get(name, 0) + 1 if operation == "rotate" else self.keys.get(name, 1)
            if name not in self.keys:
                raise _errors(404)
            latest = self.keys[name]
        return {"data": {"name": name, "type": "aes256-gcm96", "latest_version": latest,
                         "keys": {str(v): 0 for v in range(1, latest + 1)}}}


def parse_args(argv):
    p = argparse.ArgumentParser(description="Loopback Vault transit emulator")
    common.add_common_args(p)
    p.add_argument("--token", action="append", help="a valid token (repeatable; default 'root')")
    p.add_argument("--mount", default="transit")
    p.add_argument("--key", action="append", help="a transit key name (repeatable)")
    p.add_argument("--token-ttl", type=float, default=0, help="seconds; 0 = tokens never expire")
    p.add_argument("--seed", default="vault-transit-emulator")
    return p.parse_args(argv)


def main(argv):
    args = parse_args(argv)
    common.serve(VaultEmulator(args), args)


if __name__ == "__main__":
    main(sys.argv[1:])
