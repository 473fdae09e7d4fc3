#!/usr/bin/python3
"""Loopback Google Cloud KMS emulator for tests (kms-protocols.md §3): the OAuth 2.0 token
endpoint for service-account JWT assertions, and CryptoKey :encrypt / :decrypt with CRC32C
checks both ways. Python 3 standard library plus `cryptography`; run it with /usr/bin/python3.

Usage:
  gcp_kms_emulator.py [--port 0] --credentials FILE... [--key RESOURCE]... [--token-ttl SECONDS]
                      [--seed TEXT] [--watch-stdin]
--credentials is a service-account JSON key file whose client_email is accepted; its private_key
gives the public key that JWT assertions must verify against. It binds 127.0.0.1 only and prints
the port (one line, digits only) once it is listening.

Routes:
  POST /token   grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=<JWT>
                The RS256 signature, iss, aud (= http://127.0.0.1:<port>/token), scope (cloudkms
                or cloud-platform), iat (±5 min) and exp (after now, at most iat + 1 h) are
                checked; otherwise 400 {"error":"invalid_grant", ...}.
  POST /v1/<key>:encrypt  {"plaintext", "plaintextCrc32c"?}  -> ciphertext, ciphertextCrc32c,
                          verifiedPlaintextCrc32c (when the checksum was sent and matched)
  POST /v1/<key>:decrypt  {"ciphertext", "ciphertextCrc32c"?} -> plaintext, plaintextCrc32c
  Both need "Authorization: Bearer <token from /token>", else 401 UNAUTHENTICATED. A checksum that
  does not match its field is 400 INVALID_ARGUMENT, as in Cloud KMS.
Ciphertext: key version (4 bytes BE) | iv (12) | AES-256-GCM ciphertext | tag (16), AAD = the key
name; the AES key of (name, version) is HMAC-SHA256(seed, name|version).

Test controls (emulator_common.py; throttle = 429 RESOURCE_EXHAUSTED, fail = 503 UNAVAILABLE) plus:
  POST /__control {"corrupt_crc_next": N, "unverified_next": N, "revoke_tokens": true}
    corrupt_crc_next: the next N responses carry a wrong ciphertextCrc32c / plaintextCrc32c
    unverified_next:  the next N encrypt responses leave out verifiedPlaintextCrc32c
    revoke_tokens:    every access token issued so far stops working (401)
  GET /__control -> ... "token_requests": n, "token_failures": n, "tokens_issued": n
"""

import argparse
import base64
import binascii
import hashlib
import hmac
import json
import os
import secrets
import struct
import sys
import time
import urllib.parse

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

import emulator_common as common
from emulator_common import ServiceError

SCOPES = ("https://www.googleapis.com/auth/cloudkms", "https://www.googleapis.com/auth/cloud-platform")
GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer"


def _crc32c_table():
    table = []
    for i in range(256):
        crc = i
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
        table.append(crc)
    return table


CRC_TABLE = _crc32c_table()


def crc32c(data):
    crc = 0xFFFFFFFF
    for byte in data:
        crc = CRC_TABLE[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def rpc_error(code, status, message):
    return ServiceError(code, {"error": {"code": code, "message": message, "status": status}})


def grant_error(description):
    return ServiceError(400, {"error": "invalid_grant", "error_description": description})


def _b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _b64_field(request, field):
    text = request.get(field)
    if not isinstance(text, str):
        raise rpc_error(400, "INVALID_ARGUMENT", f"{field} is required")
    try:
        return base64.b64decode(text.replace("-", "+").replace("_", "/") + "=" * (-len(text) % 4), validate=True)
    except (binascii.Error, ValueError):
        raise rpc_error(400, "INVALID_ARGUMENT", f"Invalid value at '{field}' (TYPE_BYTES)")


def _check_crc(request, field, data):
    """Verifies an optional checksum field; returns whether it was sent."""
    if field not in request:
        return False
    if str(request[field]) != str(crc32c(data)):
        raise rpc_error(400, "INVALID_ARGUMENT",
                        f"The checksum in field {field} did not match the data in field "
                        f"{field.replace('Crc32c', '')}.")
    return True


class GcpKmsEmulator(common.EmulatorState):
    def __init__(self, args):
        self.accounts = {}
        for path in args.credentials or []:
            with open(path) as f:
                info = json.load(f)
            key = serialization.load_pem_private_key(info["private_key"].encode(), password=None)
            self.accounts[info["client_email"]] = key.public_key()
        self.keys = set(args.key or ["projects/p/locations/global/keyRings/r/cryptoKeys/k"])
        self.seed = args.seed.encode()
        self.token_ttl = args.token_ttl
        self.port = 0
        self.tokens = {}  # token -> expiry (time.time())
        super().__init__()

    def reset_extra(self):
        self.token_requests = self.token_failures = self.tokens_issued = 0
        self.corrupt_crc_next = self.unverified_next = 0

    def control_extra(self, body):
        with self.lock:
            self.corrupt_crc_next = int(body.get("corrupt_crc_next", self.corrupt_crc_next))
            self.unverified_next = int(body.get("unverified_next", self.unverified_next))
            if body.get("revoke_tokens"):
                self.tokens.clear()

    def snapshot_extra(self):
        return {"token_requests": self.token_requests, "token_failures": self.token_failures,
                "tokens_issued": self.tokens_issued}

    def _take(self, counter):
        with self.lock:
            value = getattr(self, counter)
            if value > 0:
                setattr(self, counter, value - 1)
            return value > 0

    # -- token endpoint -------------------------------------------------------------------------
    def token(self, headers, body):
        with self.lock:
            self.token_requests += 1
        try:
            return self._issue(headers, body)
        except ServiceError:
            with self.lock:
                self.token_failures += 1
            raise

    def _issue(self, headers, body):
        if (headers.get("Content-Type") or "").split(";")[0].strip() != "application/x-www-form-urlencoded":
            raise ServiceError(400, {"error": "invalid_request", "error_description": "bad Content-Type"})
        form = urllib.parse.parse_qs(body.decode("ascii", "replace"))
        if form.get("grant_type") != [GRANT_TYPE] or len(form.get("assertion", [])) != 1:
            raise ServiceError(400, {"error": "unsupported_grant_type", "error_description": "Invalid grant_type"})
        claims = self._verify_jwt(form["assertion"][0])
        token = "ya29.emulator-" + secrets.token_urlsafe(24)
        with self.lock:
            self.tokens[token] = time.time() + self.token_ttl
            self.tokens_issued += 1
        return {"access_token": token, "expires_in": int(self.token_ttl), "token_type": "Bearer",
                "scope": claims["scope"]}

    def _verify_jwt(self, jwt):
        parts = jwt.split(".")
        if len(parts) != 3:
            raise grant_error("Invalid JWT: not a compact JWS")
        try:
            header, claims = (json.loads(_b64url_decode(p)) for p in parts[:2])
            signature = _b64url_decode(parts[2])
        except (ValueError, binascii.Error):
            raise grant_error("Invalid JWT: malformed")
        if header.get("alg") != "RS256":
            raise grant_error("Invalid JWT: alg must be RS256")
        public_key = self.accounts.get(claims.get("iss"))
        if public_key is None:
            raise ServiceError(400, {"error": "invalid_client", "error_description": "Unknown service account"})
        try:
            public_key.verify(signature, (parts[0] + "." + parts[1]).encode(), padding.PKCS1v15(), hashes.SHA256())
        except InvalidSignature:
            raise grant_error("Invalid JWT Signature.")
        self._check_claims(claims)
        return claims

    def _check_claims(self, claims):
        now = time.time()
        if claims.get("aud") != f"http://127.0.0.1:{self.port}/token":
            raise grant_error("Invalid JWT: aud must be the token URL")
        if not any(s in str(claims.get("scope", "")).split() for s in SCOPES):
            raise grant_error("Invalid JWT: the scope does not allow Cloud KMS")
        iat, exp = claims.get("iat"), claims.get("exp")
        if not isinstance(iat, int) or not isinstance(exp, int) or abs(iat - now) > 300 or exp <= now \
                or exp - iat > 3600:
            raise grant_error("Invalid JWT: Token must be a short-lived token (60 minutes) and in a "
                              "reasonable timeframe. Check your iat and exp values in the JWT claim.")

    def authenticate(self, headers):
        auth = headers.get("Authorization") or ""
        token = auth[len("Bearer "):] if auth.startswith("Bearer ") else None
        with self.lock:
            expiry = self.tokens.get(token)
        if expiry is None or expiry < time.time():
            self.count_auth_failure()
            raise rpc_error(401, "UNAUTHENTICATED", "Request had invalid authentication credentials. Expected OAuth "
                                                    "2 access token, login cookie or other valid authentication "
                                                    "credential.")

    # -- Cloud KMS ------------------------------------------------------------------------------
    def _aes(self, name, version):
        return AESGCM(hmac.new(self.seed, f"{name}|{version}".encode(), hashlib.sha256).digest())

    def encrypt(self, name, request):
        plaintext = _b64_field(request, "plaintext")
        verified = _check_crc(request, "plaintextCrc32c", plaintext)
        iv = os.urandom(12)
        blob = struct.pack(">I", 1) + iv + self._aes(name, 1).encrypt(iv, plaintext, name.encode())
        crc = crc32c(blob) ^ (1 if self._take("corrupt_crc_next") else 0)
        response = {"name": name + "/cryptoKeyVersions/1", "ciphertext": base64.b64encode(blob).decode(),
                    "ciphertextCrc32c": str(crc), "protectionLevel": "SOFTWARE"}
        if verified and not self._take("unverified_next"):
            response["verifiedPlaintextCrc32c"] = True
        return response

    def decrypt(self, name, request):
        blob = _b64_field(request, "ciphertext")
        _check_crc(request, "ciphertextCrc32c", blob)
        if len(blob) < 4 + 12 + 16 or struct.unpack(">I", blob[:4])[0] != 1:
            raise rpc_error(400, "INVALID_ARGUMENT", "Decryption failed: the ciphertext is invalid.")
        try:
            plaintext = self._aes(name, 1).decrypt(blob[4:16], blob[16:], name.encode())
        except Exception:
            raise rpc_error(400, "INVALID_ARGUMENT", "Decryption failed: the ciphertext is invalid.")
        crc = crc32c(plaintext) ^ (1 if self._take("corrupt_crc_next") else 0)
        return {"plaintext": base64.b64encode(plaintext).decode(), "plaintextCrc32c": str(crc),
                "usedPrimary": True, "protectionLevel": "SOFTWARE"}

    # -- routing --------------------------------------------------------------------------------
    def handle(self, method, path, headers, body):
        path = path.partition("?")[0]
        if path == "/token" and method == "POST":
            self.count_call("token")
            return 200, self.token(headers, body)
        name, _, verb = path[len("/v1/"):].rpartition(":") if path.startswith("/v1/") else ("", "", "")
        self.count_call(verb if verb in ("encrypt", "decrypt") else "unknown")
        self.authenticate(headers)
        fault = self.injected_fault()
        if fault == "throttle":
            raise rpc_error(429, "RESOURCE_EXHAUSTED", "Quota exceeded for quota metric 'Cryptographic requests'")
        if fault == "fail":
            raise rpc_error(503, "UNAVAILABLE", "The service is currently unavailable (injected).")
        if method != "POST" or verb not in ("encrypt", "decrypt"):
            raise rpc_error(404, "NOT_FOUND", "Method not found.")
        if name not in self.keys:
            raise rpc_error(404, "NOT_FOUND", f"{name} not found.")
        try:
            request = json.loads(body or b"{}")
        except ValueError:
            raise rpc_error(400, "INVALID_ARGUMENT", "Invalid JSON payload received.")
        if not isinstance(request, dict):
            raise rpc_error(400, "INVALID_ARGUMENT", "Invalid JSON payload received.")
        return 200, (self.encrypt if verb == "encrypt" else self.decrypt)(name, request)


def parse_args(argv):
    p = argparse.ArgumentParser(description="Loopback Google Cloud KMS emulator")
    common.add_common_args(p)
    p.add_argument("--credentials", action="append", help="a service-account key file to accept (repeatable)")
    p.add_argument("--key", action="append", help="a CryptoKey resource name (repeatable)")
    p.add_argument("--token-ttl", type=float, default=3600)
    p.add_argument("--seed", default="gcp-kms-emulator")
    return p.parse_args(argv)


def main(argv):
    args = parse_args(argv)
    common.serve(GcpKmsEmulator(args), args)


if __name__ == "__main__":
    main(sys.argv[1:])
