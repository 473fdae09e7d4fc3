#!/usr/bin/python3
"""Loopback AWS KMS emulator for tests (kms-protocols.md §1).

Implements TrentService.Encrypt / Decrypt / GenerateDataKey / DescribeKey over the awsJson1_1
protocol, verifies every request's SigV4 signature, and offers test controls. Python 3 standard
library plus `cryptography` (Debian python3-cryptography); run it with /usr/bin/python3.

Usage:
  aws_kms_emulator.py [--port 0] [--region us-east-1] [--account 111122223333]
                      [--credential AKID:SECRET[:SESSION_TOKEN]]...  [--key UUID[=alias/a,alias/b]]...
                      [--max-skew SECONDS] [--now YYYYMMDDTHHMMSSZ] [--seed TEXT] [--watch-stdin]
It binds 127.0.0.1 only and prints the port (one line, digits only) once it is listening.
With --watch-stdin it exits when its stdin reaches EOF (i.e. when the parent test dies).

Ciphertext blob (opaque to clients):
  0x01 | key uuid (36 ASCII bytes) | iv (12) | AES-256-GCM ciphertext | tag (16)
  AAD = b"kms-emulator-v1|" + JSON of EncryptionContext with sorted keys, compact separators.
  Each key's AES key is HMAC-SHA256(seed, uuid), so blobs survive an emulator restart.

Test controls (not signed; loopback only):
  POST /__control {"throttle_next": N, "fail_next": N, "down": bool, "reset": bool,
                   "disable_key": id, "enable_key": id, "now": "YYYYMMDDTHHMMSSZ"|null,
                   "max_skew": seconds}
  GET  /__control -> {"calls": {op: n}, "total": n, "auth_failures": n, "throttled": n,
                      "failed": n, "dropped": n, "amz_dates": [...], "down": bool}
  "down" makes every KMS call close the connection without a reply (a transport error).
"""

import argparse
import base64
import datetime
import hashlib
import hmac
import json
import os
import re
import sys
import threading
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

import emulator_common as common

DEFAULT_KEY = "1234abcd-12ab-34cd-56ef-1234567890ab"
DEFAULT_ALIASES = ["alias/ExampleAlias", "alias/metrics-dashboard"]
DEFAULT_CREDENTIAL = ("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None)
BLOB_VERSION = 1
AAD_PREFIX = b"kms-emulator-v1|"
UUID_RE = re.compile(r"^(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$")
AMZ_DATE_FORMAT = "%Y%m%dT%H%M%SZ"


class KmsError(Exception):
    """An AWS-style error: __type, message and HTTP status."""

    def __init__(self, error_type, message, status=400):
        super().__init__(message)
        self.error_type = error_type
        self.message = message
        self.status = status


# ---------------------------------------------------------------------------------------------
# SigV4 verification (kms-protocols.md §1.7 and §1.9)
# ---------------------------------------------------------------------------------------------

def _uri_encode(text, encode_slash=True):
    safe = "-_.~" if encode_slash else "-_.~/"
    return urllib.parse.quote(text, safe=safe)


def _normalize_path(path):
    segments = []
    for seg in path.split("/"):
        if seg == "..":
            if segments:
                segments.pop()
        elif seg not in ("", "."):
            segments.append(seg)
    out = "/" + "/".join(segments)
    if path.endswith("/") and segments:
        out += "/"
    return out


def _canonical_value(value):
    return " ".join(value.split())


def signing_key(secret, date, region, service):
    key = hmac.new(("AWS4" + secret).encode(), date.encode(), hashlib.sha256).digest()
    for part in (region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return key


def canonical_request(method, raw_path, headers, signed_names, body):
    """headers: list of (name, value) as received; signed_names: lowercase names."""
    path, _, query = raw_path.partition("?")
    canonical_uri = _uri_encode(_normalize_path(urllib.parse.unquote(path)), encode_slash=False)
    pairs = urllib.parse.parse_qsl(query, keep_blank_values=True)
    canonical_query = "&".join(
        f"{k}={v}" for k, v in sorted((_uri_encode(k), _uri_encode(v)) for k, v in pairs))
    lines = []
    for name in signed_names:
        values = [_canonical_value(v) for k, v in headers if k.lower() == name]
        lines.append(f"{name}:{','.join(values)}\n")
    return "\n".join([method, canonical_uri, canonical_query, "".join(lines),
                      ";".join(signed_names), hashlib.sha256(body).hexdigest()])


def _header(headers, name):
    for k, v in headers:
        if k.lower() == name:
            return v
    return None


def verify_sigv4(method, raw_path, headers, body, credentials, region, now, max_skew):
    """Raises KmsError unless the request carries a valid SigV4 signature for service 'kms'.

    credentials: {access_key_id: (secret, session_token or None)}; now: aware UTC datetime.
    Returns the access key id.
    """
    auth = _header(headers, "authorization")
    if auth is None:
        raise KmsError("MissingAuthenticationTokenException", "Missing Authentication Token")
    m = re.match(r"^AWS4-HMAC-SHA256 Credential=([^/,\s]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request,\s*"
                 r"SignedHeaders=([a-z0-9\-;]+),\s*Signature=([0-9a-f]{64})$", auth.strip())
    if not m:
        raise KmsError("IncompleteSignatureException",
                       "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature'.")
    akid, scope_date, scope_region, service, signed, signature = m.groups()
    signed_names = signed.split(";")
    if signed_names != sorted(signed_names) or "host" not in signed_names or "x-amz-date" not in signed_names:
        raise KmsError("IncompleteSignatureException",
                       "SignedHeaders must be sorted and include host and x-amz-date.")
    for name in signed_names:
        if _header(headers, name) is None:
            raise KmsError("IncompleteSignatureException", f"Signed header '{name}' is missing.")
    if akid not in credentials:
        raise KmsError("UnrecognizedClientException",
                       "The security token included in the request is invalid.")
    secret, token = credentials[akid]
    sent_token = _header(headers, "x-amz-security-token")
    if token is not None and (sent_token != token or "x-amz-security-token" not in signed_names):
        raise KmsError("UnrecognizedClientException",
                       "The security token included in the request is invalid.")
    if token is None and sent_token is not None:
        raise KmsError("UnrecognizedClientException",
                       "The security token included in the request is invalid.")
    if service != "kms":
        raise KmsError("InvalidSignatureException",
                       "Credential should be scoped to correct service: 'kms'.")
    if scope_region != region:
        raise KmsError("InvalidSignatureException",
                       f"Credential should be scoped to a valid region, not '{scope_region}'.")
    amz_date = _header(headers, "x-amz-date").strip()
    try:
        when = datetime.datetime.strptime(amz_date, AMZ_DATE_FORMAT).replace(tzinfo=datetime.timezone.utc)
    except ValueError:
        raise KmsError("IncompleteSignatureException", "X-Amz-Date must be YYYYMMDD'T'HHMMSS'Z'.")
    if amz_date[:8] != scope_date:
        raise KmsError("InvalidSignatureException", "Date in Credential scope does not match X-Amz-Date.")
    skew = datetime.timedelta(seconds=max_skew)
    if when < now - skew:
        raise KmsError("InvalidSignatureException",
                       f"Signature expired: {amz_date} is now earlier than "
                       f"{(now - skew).strftime(AMZ_DATE_FORMAT)} ({now.strftime(AMZ_DATE_FORMAT)} - "
                       f"{max_skew // 60} min.)")
    if when > now + skew:
        raise KmsError("InvalidSignatureException",
                       f"Signature not yet current: {amz_date} is still later than "
                       f"{(now + skew).strftime(AMZ_DATE_FORMAT)} ({now.strftime(AMZ_DATE_FORMAT)} + "
                       f"{max_skew // 60} min.)")
    creq = canonical_request(method, raw_path, headers, signed_names, body)
    scope = f"{scope_date}/{scope_region}/kms/aws4_request"
    sts = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(creq.encode()).hexdigest()])
    expected = hmac.new(signing_key(secret, scope_date, scope_region, "kms"), sts.encode(),
                        hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature):
        raise KmsError("InvalidSignatureException",
                       "The request signature we calculated does not match the signature you "
                       "provided. Check your AWS Secret Access Key and signing method. Consult the "
                       "service documentation for details.")
    return akid


# ---------------------------------------------------------------------------------------------
# Keys and the KMS operations
# ---------------------------------------------------------------------------------------------

class KeyStore:
    def __init__(self, region, account, seed):
        self.region = region
        self.account = account
        self.seed = seed.encode()
        self.keys = {}      # uuid -> {"enabled": bool}
        self.aliases = {}   # "alias/x" -> uuid

    def add(self, key_uuid, aliases):
        self.keys[key_uuid] = {"enabled": True}
        for alias in aliases:
            self.aliases[alias] = key_uuid

    def arn(self, key_uuid):
        return f"arn:aws:kms:{self.region}:{self.account}:key/{key_uuid}"

    def material(self, key_uuid):
        return hmac.new(self.seed, key_uuid.encode(), hashlib.sha256).digest()

    def resolve(self, key_id):
        """Any of the four KeyId forms -> uuid; NotFoundException otherwise."""
        if not isinstance(key_id, str) or not 1 <= len(key_id) <= 2048:
            raise KmsError("ValidationException", "KeyId must be a string of 1 to 2048 characters.")
        ref = key_id
        if key_id.startswith("arn:"):
            parts = key_id.split(":", 5)
            if len(parts) != 6 or parts[2] != "kms":
                raise KmsError("NotFoundException", f"Invalid arn {key_id}")
            if parts[3] != self.region or parts[4] != self.account:
                raise KmsError("NotFoundException", f"Invalid arn {self.region}")
            ref = parts[5]
            if ref.startswith("key/"):
                ref = ref[len("key/"):]
        if ref.startswith("alias/"):
            if ref not in self.aliases:
                raise KmsError("NotFoundException",
                               f"Alias arn:aws:kms:{self.region}:{self.account}:{ref} is not found.")
            return self.aliases[ref]
        if ref not in self.keys:
            raise KmsError("NotFoundException", f"Key '{self.arn(ref)}' does not exist")
        return ref

    def usable(self, key_id):
        key_uuid = self.resolve(key_id)
        if not self.keys[key_uuid]["enabled"]:
            raise KmsError("DisabledException", f"{self.arn(key_uuid)} is disabled.")
        return key_uuid


def _aad(context):
    if context is None:
        context = {}
    if not isinstance(context, dict) or not all(isinstance(k, str) and isinstance(v, str)
                                                for k, v in context.items()):
        raise KmsError("ValidationException", "EncryptionContext must be a map of strings.")
    return AAD_PREFIX + json.dumps(context, sort_keys=True, separators=(",", ":")).encode()


def _b64(body, field, required=True):
    value = body.get(field)
    if value is None:
        if required:
            raise KmsError("ValidationException",
                           f"1 validation error detected: Value null at '{field[0].lower() + field[1:]}' "
                           "failed to satisfy constraint: Member must not be null")
        return None
    try:
        return base64.b64decode(value, validate=True)
    except (ValueError, TypeError):
        raise KmsError("SerializationException", f"Could not decode {field} as base64.")


def _seal(store, key_uuid, plaintext, context):
    iv = os.urandom(12)
    sealed = AESGCM(store.material(key_uuid)).encrypt(iv, plaintext, _aad(context))
    return bytes([BLOB_VERSION]) + key_uuid.encode() + iv + sealed


def _open(store, blob, context):
    if len(blob) < 1 + 36 + 12 + 16 or blob[0] != BLOB_VERSION:
        raise KmsError("InvalidCiphertextException", "")
    key_uuid = blob[1:37].decode("ascii", "replace")
    if key_uuid not in store.keys:
        raise KmsError("InvalidCiphertextException", "")
    try:
        plaintext = AESGCM(store.material(key_uuid)).decrypt(blob[37:49], blob[49:], _aad(context))
    except Exception:
        raise KmsError("InvalidCiphertextException", "")
    return key_uuid, plaintext


def op_encrypt(store, body):
    key_uuid = store.usable(body.get("KeyId"))
    plaintext = _b64(body, "Plaintext")
    if not 1 <= len(plaintext) <= 4096:
        raise KmsError("ValidationException",
                       "1 validation error detected: Value at 'plaintext' failed to satisfy "
                       "constraint: Member must have length between 1 and 4096")
    blob = _seal(store, key_uuid, plaintext, body.get("EncryptionContext"))
    return {"CiphertextBlob": base64.b64encode(blob).decode(), "KeyId": store.arn(key_uuid),
            "EncryptionAlgorithm": "SYMMETRIC_DEFAULT"}


def op_decrypt(store, body):
    blob = _b64(body, "CiphertextBlob")
    if not 1 <= len(blob) <= 6144:
        raise KmsError("ValidationException", "CiphertextBlob must be 1 to 6144 bytes.")
    requested = store.resolve(body["KeyId"]) if body.get("KeyId") is not None else None
    key_uuid, plaintext = _open(store, blob, body.get("EncryptionContext"))
    if requested is not None and requested != key_uuid:
        raise KmsError("IncorrectKeyException",
                       "The key ID in the request does not identify a CMK that can perform this operation.")
    store.usable(key_uuid)
    return {"KeyId": store.arn(key_uuid), "Plaintext": base64.b64encode(plaintext).decode(),
            "EncryptionAlgorithm": "SYMMETRIC_DEFAULT"}


def op_generate_data_key(store, body):
    key_uuid = store.usable(body.get("KeyId"))
    spec, count = body.get("KeySpec"), body.get("NumberOfBytes")
    if (spec is None) == (count is None):
        raise KmsError("ValidationException", "Please specify either number of bytes or key spec.")
    if spec is not None:
        if spec not in ("AES_256", "AES_128"):
            raise KmsError("ValidationException", f"Value '{spec}' at 'keySpec' is not valid.")
        count = 32 if spec == "AES_256" else 16
    if not isinstance(count, int) or not 1 <= count <= 1024:
        raise KmsError("ValidationException", "NumberOfBytes must be between 1 and 1024.")
    plaintext = os.urandom(count)
    blob = _seal(store, key_uuid, plaintext, body.get("EncryptionContext"))
    return {"CiphertextBlob": base64.b64encode(blob).decode(),
            "Plaintext": base64.b64encode(plaintext).decode(), "KeyId": store.arn(key_uuid)}


def op_describe_key(store, body):
    key_uuid = store.resolve(body.get("KeyId"))
    enabled = store.keys[key_uuid]["enabled"]
    return {"KeyMetadata": {
        "AWSAccountId": store.account, "KeyId": key_uuid, "Arn": store.arn(key_uuid),
        "CreationDate": 1440938160.0, "Enabled": enabled, "Description": "",
        "KeyUsage": "ENCRYPT_DECRYPT", "KeyState": "Enabled" if enabled else "Disabled",
        "Origin": "AWS_KMS", "KeyManager": "CUSTOMER", "CustomerMasterKeySpec": "SYMMETRIC_DEFAULT",
        "KeySpec": "SYMMETRIC_DEFAULT", "EncryptionAlgorithms": ["SYMMETRIC_DEFAULT"],
        "MultiRegion": False}}


OPERATIONS = {"Encrypt": op_encrypt, "Decrypt": op_decrypt,
              "GenerateDataKey": op_generate_data_key, "DescribeKey": op_describe_key}


# ---------------------------------------------------------------------------------------------
# HTTP server and test controls
# ---------------------------------------------------------------------------------------------

class Emulator:
    def __init__(self, args):
        self.lock = threading.Lock()
        self.region = args.region
        self.store = KeyStore(args.region, args.account, args.seed)
        for spec in args.key or [DEFAULT_KEY + "=" + ",".join(DEFAULT_ALIASES)]:
            key_uuid, _, aliases = spec.partition("=")
            if not UUID_RE.match(key_uuid):
                raise SystemExit(f"--key: not a key id: {key_uuid}")
            self.store.add(key_uuid, [a for a in aliases.split(",") if a])
        self.credentials = {}
        for spec in args.credential or [":".join(p for p in DEFAULT_CREDENTIAL if p)]:
            parts = spec.split(":", 2)
            if len(parts) < 2:
                raise SystemExit("--credential needs AKID:SECRET[:TOKEN]")
            self.credentials[parts[0]] = (parts[1], parts[2] if len(parts) == 3 else None)
        self.max_skew = args.max_skew
        self.pinned_now = args.now
        self.reset()

    def reset(self):
        with self.lock:
            self.calls = {}
            self.total = self.auth_failures = self.throttled = self.failed = self.dropped = 0
            self.throttle_next = self.fail_next = 0
            self.amz_dates = []
            self.down = False

    def now(self):
        if self.pinned_now:
            return datetime.datetime.strptime(self.pinned_now, AMZ_DATE_FORMAT).replace(
                tzinfo=datetime.timezone.utc)
        return datetime.datetime.now(datetime.timezone.utc)

    def control(self, body):
        if body.get("reset"):
            self.reset()
        with self.lock:
            self.throttle_next = int(body.get("throttle_next", self.throttle_next))
            self.fail_next = int(body.get("fail_next", self.fail_next))
            self.down = bool(body.get("down", self.down))
            self.max_skew = int(body.get("max_skew", self.max_skew))
            if "now" in body:
                self.pinned_now = body["now"]
            for field, enabled in (("disable_key", False), ("enable_key", True)):
                if body.get(field):
                    self.store.keys[self.store.resolve(body[field])]["enabled"] = enabled
        return self.snapshot()

    def snapshot(self):
        with self.lock:
            return {"calls": dict(self.calls), "total": self.total,
                    "auth_failures": self.auth_failures, "throttled": self.throttled,
                    "failed": self.failed, "dropped": self.dropped, "amz_dates": list(self.amz_dates), "down": self.down}

    def handle(self, method, raw_path, headers, body):
        """One KMS call -> (status, response dict)."""
        target = _header(headers, "x-amz-target") or ""
        operation = target[len("TrentService."):] if target.startswith("TrentService.") else target
        with self.lock:
            self.total += 1
            self.calls[operation] = self.calls.get(operation, 0) + 1
            self.amz_dates.append(_header(headers, "x-amz-date"))
        try:
            try:
                verify_sigv4(method, raw_path, headers, body, self.credentials, self.region,
                             self.now(), self.max_skew)
            except KmsError:
                with self.lock:
                    self.auth_failures += 1
                raise
            with self.lock:
                if self.throttle_next > 0:
                    self.throttle_next -= 1
                    self.throttled += 1
                    raise KmsError("ThrottlingException", "Rate exceeded")
                if self.fail_next > 0:
                    self.fail_next -= 1
                    self.failed += 1
                    raise KmsError("KMSInternalException", "Internal error (injected)", 500)
            if method != "POST" or raw_path.partition("?")[0] != "/":
                raise KmsError("UnknownOperationException", "Operations are POST /", 400)
            content_type = (_header(headers, "content-type") or "").split(";")[0].strip()
            if content_type != "application/x-amz-json-1.1":
                raise KmsError("SerializationException", "Content-Type must be application/x-amz-json-1.1")
            if not target.startswith("TrentService.") or operation not in OPERATIONS:
                raise KmsError("UnknownOperationException", "")
            try:
                request = json.loads(body.decode("utf-8") or "{}")
            except (ValueError, UnicodeDecodeError):
                raise KmsError("SerializationException", "Start of structure or map found where not expected.")
            if not isinstance(request, dict):
                raise KmsError("SerializationException", "The request body must be a JSON object.")
            with self.lock:
                return 200, OPERATIONS[operation](self.store, request)
        except KmsError as e:
            return e.status, {"__type": e.error_type, "message": e.message}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "aws-kms-emulator"

    def log_message(self, fmt, *args):  # never log requests (they carry key material)
        pass

    def _reply(self, status, payload, control=False):
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json" if control else "application/x-amz-json-1.1")
        self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def do_GET(self):
        if self.path == "/__control":
            return self._reply(200, self.server.emulator.snapshot(), control=True)
        self._reply(400, {"__type": "UnknownOperationException", "message": ""})

    def do_POST(self):
        body = self._body()
        emulator = self.server.emulator
        if self.path == "/__control":
            try:
                return self._reply(200, emulator.control(json.loads(body or b"{}")), control=True)
            except (KmsError, ValueError) as e:
                return self._reply(400, {"error": str(e)}, control=True)
        with emulator.lock:
            down = emulator.down
        if down:
            with emulator.lock:
                emulator.dropped += 1
            self.close_connection = True  # no reply at all: the client sees a transport error
            return
        status, payload = emulator.handle("POST", self.path, list(self.headers.items()), body)
        self._reply(status, payload)


def parse_args(argv):
    p = argparse.ArgumentParser(description="Loopback AWS KMS emulator")
    common.add_common_args(p)
    p.add_argument("--region", default="us-east-1")
    p.add_argument("--account", default="111122223333")
    p.add_argument("--credential", action="append")
    p.add_argument("--key", action="append")
    p.add_argument("--max-skew", type=int, default=300)
    p.add_argument("--now", default=None)
    p.add_argument("--seed", default="aws-kms-emulator")
    return p.parse_args(argv)


def make_server(args):
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    server.emulator = Emulator(args)
    return server


def main(argv):
    args = parse_args(argv)
    common.serve_on(make_server(args), args)


if __name__ == "__main__":
    main(sys.argv[1:])
