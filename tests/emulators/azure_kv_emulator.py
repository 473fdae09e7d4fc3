#!/usr/bin/python3
"""Loopback Azure Key Vault emulator for tests (kms-protocols.md §2): Microsoft Entra ID's
client-credentials token endpoint and the key operations wrapkey / unwrapkey with real RSA-2048
keys (RSA-OAEP-256 and RSA-OAEP). Python 3 standard library plus `cryptography`; run it with
/usr/bin/python3.

Usage:
  azure_kv_emulator.py [--port 0] --tenant T --client-id ID --client-secret S [--key NAME]...
                       [--token-ttl SECONDS] [--watch-stdin]
It binds 127.0.0.1 only and prints the port (one line, digits only) once it is listening. The
authority host and the vault URI are both http://127.0.0.1:<port>.

Routes:
  POST /<tenant>/oauth2/v2.0/token  (form) client_id, client_secret, scope, grant_type
       -> {"token_type":"Bearer","expires_in":ttl,"ext_expires_in":ttl,"access_token":"<opaque>"}
       Unknown tenant: 400 invalid_request (AADSTS90002). grant_type other than client_credentials:
       400 unsupported_grant_type. Unknown client_id: 400 unauthorized_client (AADSTS700016). Wrong
       client_secret: 401 invalid_client (AADSTS7000215). scope other than
       https://vault.azure.net/.default: 400 invalid_scope (AADSTS70011).
  POST /keys/<name>[/<version>]/wrapkey?api-version=V    {"alg","value"} -> {"kid","value"}
  POST /keys/<name>[/<version>]/unwrapkey?api-version=V  {"alg","value"} -> {"kid","value"}
       value is base64url without padding; alg RSA-OAEP-256 (SHA-256 and MGF1-SHA-256) or RSA-OAEP
       (SHA-1). A versionless call uses the key's current version; the kid in the reply is always
       http://127.0.0.1:<port>/keys/<name>/<32 hex digits>. Errors are Key Vault's
       {"error":{"code","message"}}: no api-version or a bad alg, value or ciphertext is 400
       BadParameter; no bearer token is 401 with the WWW-Authenticate challenge (AKV10000); an
       unknown or revoked token is 401 (AKV10032), an expired one 401 ([TokenExpired]); an unknown
       key or version is 404 KeyNotFound.

Test controls (emulator_common.py; throttle = 429 with Retry-After, fail = 503) plus:
  POST /__control {"rotate": "<name>", "revoke_tokens": true, "expire_tokens": true,
                   "retry_after": seconds}
    rotate:        adds a new current version of the key; the older versions still unwrap
    revoke_tokens: every token issued so far becomes unknown (401)
    expire_tokens: every token issued so far expires now (401 TokenExpired)
    retry_after:   the Retry-After value sent with 429 (default 1)
  GET /__control -> ... "token_requests": n, "token_failures": n, "tokens_issued": n,
    "versions": {name: [version, ... current last]}, "used_versions": {"<op>:<version>": n}
Keys (and their versions) survive {"reset": true}; only the counters are cleared.
"""

import argparse
import base64
import json
import re
import secrets
import sys
import time
import urllib.parse

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

import emulator_common as common
from emulator_common import ServiceError

SCOPE = "https://vault.azure.net/.default"
BASE64URL = re.compile(r"^[A-Za-z0-9_-]*={0,2}$")
HASHES = {"RSA-OAEP-256": hashes.SHA256, "RSA-OAEP": hashes.SHA1}


def kv_error(status, code, message, headers=None):
    return ServiceError(status, {"error": {"code": code, "message": message}}, headers)


def entra_error(status, error, description):
    return ServiceError(status, {"error": error, "error_description": description, "error_codes": [],
                                 "timestamp": time.strftime("%Y-%m-%d %H:%M:%SZ", time.gmtime()),
                                 "trace_id": "00000000-0000-0000-0000-000000000000"})


def bad_parameter(message="The parameter is incorrect."):
    return kv_error(400, "BadParameter", message)


def b64url_decode(text):
    if not isinstance(text, str) or not BASE64URL.match(text):
        raise bad_parameter("Property value is not valid base64url.")
    return base64.urlsafe_b64decode(text.rstrip("=") + "=" * (-len(text.rstrip("=")) % 4))


def b64url_encode(data):
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def oaep(alg):
    if alg not in HASHES:
        raise bad_parameter(f"Invalid algorithm: {alg!r}.")
    return padding.OAEP(mgf=padding.MGF1(algorithm=HASHES[alg]()), algorithm=HASHES[alg](), label=None)


class AzureKvEmulator(common.EmulatorState):
    def __init__(self, args):
        self.tenant = args.tenant
        self.client_id = args.client_id
        self.client_secret = args.client_secret
        self.token_ttl = args.token_ttl
        self.port = 0
        self.tokens = {}  # token -> expiry (time.time())
        self.keys = {}    # name -> [(version, private key)], current last
        for name in args.key or ["metrics-dashboard"]:
            self.keys[name] = [self._new_version()]
        super().__init__()

    @staticmethod
    def _new_version():
        return secrets.token_hex(16), rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def reset_extra(self):
        self.token_requests = self.token_failures = self.tokens_issued = 0
        self.retry_after = 1
        self.used_versions = {}

    def control_extra(self, body):
        name = body.get("rotate")
        version = self._new_version() if name else None
        with self.lock:
            if name:
                if name not in self.keys:
                    raise KeyError(f"no key {name}")
                self.keys[name].append(version)
            if body.get("revoke_tokens"):
                self.tokens.clear()
            if body.get("expire_tokens"):
                self.tokens = {token: 0 for token in self.tokens}
            self.retry_after = int(body.get("retry_after", self.retry_after))

    def snapshot_extra(self):
        return {"token_requests": self.token_requests, "token_failures": self.token_failures,
                "tokens_issued": self.tokens_issued, "used_versions": dict(self.used_versions),
                "versions": {name: [v for v, _ in versions] for name, versions in self.keys.items()}}

    # -- Microsoft Entra ID token endpoint ---------------------------------------------------------
    def token(self, tenant, headers, body):
        with self.lock:
            self.token_requests += 1
        try:
            return self._issue(tenant, headers, body)
        except ServiceError:
            with self.lock:
                self.token_failures += 1
            raise

    def _issue(self, tenant, headers, body):
        if tenant != self.tenant:
            raise entra_error(400, "invalid_request", f"AADSTS90002: Tenant '{tenant}' not found.")
        if (headers.get("Content-Type") or "").split(";")[0].strip() != "application/x-www-form-urlencoded":
            raise entra_error(400, "invalid_request", "AADSTS900144: The request body must contain the "
                                                      "following parameter: 'grant_type'.")
        form = {k: v[0] for k, v in urllib.parse.parse_qs(body.decode("utf-8", "replace"),
                                                         keep_blank_values=True).items()}
        if form.get("grant_type") != "client_credentials":
            raise entra_error(400, "unsupported_grant_type", "AADSTS70003: The app requested an unsupported "
                                                             "grant type.")
        if form.get("client_id") != self.client_id:
            raise entra_error(400, "unauthorized_client", "AADSTS700016: Application with identifier was not "
                                                          "found in the directory.")
        if not secrets.compare_digest(form.get("client_secret", "").encode(), self.client_secret.encode()):
            raise entra_error(401, "invalid_client", "AADSTS7000215: Invalid client secret provided. Ensure the "
                                                     "secret being sent in the request is the client secret value, "
                                                     "not the client secret ID.")
        if form.get("scope") != SCOPE:
            raise entra_error(400, "invalid_scope", "AADSTS70011: The provided value for the input parameter "
                                                    "'scope' is not valid.")
        token = "eyJ0eXAiOiJKV1QifQ.emulator." + secrets.token_urlsafe(24)
        with self.lock:
            self.tokens[token] = time.time() + self.token_ttl
            self.tokens_issued += 1
        ttl = int(self.token_ttl)
        return {"token_type": "Bearer", "expires_in": ttl, "ext_expires_in": ttl, "access_token": token}

    def authenticate(self, headers):
        auth = headers.get("Authorization") or ""
        if not auth.startswith("Bearer "):
            self.count_auth_failure()
            raise kv_error(401, "Unauthorized", "AKV10000: Request is missing a Bearer or PoP token.",
                           {"WWW-Authenticate": f'Bearer authorization="http://127.0.0.1:{self.port}/{self.tenant}", '
                                                'resource="https://vault.azure.net"'})
        with self.lock:
            expiry = self.tokens.get(auth[len("Bearer "):])
        if expiry is None:
            self.count_auth_failure()
            raise kv_error(401, "Unauthorized", "AKV10032: Invalid issuer.")
        if expiry < time.time():
            self.count_auth_failure()
            raise kv_error(401, "Unauthorized", "[TokenExpired] Error validating token: 'S2S12086'.")

    # -- Key Vault key operations ---------------------------------------------------------------
    def _version(self, name, version):
        with self.lock:
            versions = self.keys.get(name)
            if versions and not version:
                return versions[-1]
            for v, key in versions or []:
                if v == version:
                    return v, key
        raise kv_error(404, "KeyNotFound", f"A key with (name/id) {name} was not found in this key vault.")

    def key_operation(self, name, version, op, headers, body):
        if (headers.get("Content-Type") or "").split(";")[0].strip() != "application/json":
            raise bad_parameter("Content-Type must be application/json.")
        try:
            request = json.loads(body or b"{}")
        except ValueError:
            raise bad_parameter("The request body is not valid JSON.")
        if not isinstance(request, dict):
            raise bad_parameter("The request body is not valid JSON.")
        version, key = self._version(name, version)
        value = b64url_decode(request.get("value"))
        scheme = oaep(request.get("alg"))
        try:
            out = key.public_key().encrypt(value, scheme) if op == "wrapkey" else key.decrypt(value, scheme)
        except ValueError:
            raise bad_parameter()
        with self.lock:
            used = f"{op}:{version}"
            self.used_versions[used] = self.used_versions.get(used, 0) + 1
        return {"kid": f"http://127.0.0.1:{self.port}/keys/{name}/{version}", "value": b64url_encode(out)}

    # -- routing --------------------------------------------------------------------------------
    def handle(self, method, path, headers, body):
        path, _, query = path.partition("?")
        parts = path.strip("/").split("/")
        if method == "POST" and len(parts) == 4 and parts[1:] == ["oauth2", "v2.0", "token"]:
            self.count_call("token")
            return 200, self.token(parts[0], headers, body)
        op = parts[-1] if len(parts) in (3, 4) and parts[0] == "keys" else "unknown"
        self.count_call(op if op in ("wrapkey", "unwrapkey") else "unknown")
        if method != "POST" or op not in ("wrapkey", "unwrapkey"):
            raise kv_error(404, "NotFound", "The requested resource was not found.")
        if not urllib.parse.parse_qs(query).get("api-version"):
            raise bad_parameter("The 'api-version' query parameter is required.")
        self.authenticate(headers)
        fault = self.injected_fault()
        if fault == "throttle":
            with self.lock:
                after = self.retry_after
            raise kv_error(429, "Throttled", "Request was not processed because too many requests were "
                                             "received.", {"Retry-After": str(after)})
        if fault == "fail":
            raise kv_error(503, "ServiceUnavailable", "The service is currently unavailable (injected).")
        return 200, self.key_operation(parts[1], parts[2] if len(parts) == 4 else "", op, headers, body)


def parse_args(argv):
    p = argparse.ArgumentParser(description="Loopback Azure Key Vault emulator")
    common.add_common_args(p)
    p.add_argument("--tenant", default="00000000-0000-0000-0000-000000000001")
    p.add_argument("--client-id", default="00000000-0000-0000-0000-000000000002")
    p.add_argument("--client-secret", default="emulator-client-secret")
    p.add_argument("--key", action="append", help="an RSA-2048 key name (repeatable)")
    p.add_argument("--token-ttl", type=float, default=3599)
    return p.parse_args(argv)


def main(argv):
    args = parse_args(argv)
    common.serve(AzureKvEmulator(args), args)


if __name__ == "__main__":
    main(sys.argv[1:])
