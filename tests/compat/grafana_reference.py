#!/usr/bin/python3
"""An independent implementation of the stored formats (grafana-formats.md §1-3), written from the
description with Python's hashlib and `cryptography`, used to cross-check the C++ code.

  grafana_reference.py read DB SECRET_KEY    prints {data source name: {key: plaintext}} as JSON
  grafana_reference.py write DB SECRET_KEY NAME PLAINTEXT
      adds a data key (secretKey.v1) and a data source NAME whose secure_json_data holds
      {"password": envelope(PLAINTEXT), "legacy": legacy(PLAINTEXT)}, as Grafana would write them.
The database must already have the tables (SQLite file).
"""
import base64
import datetime
import hashlib
import json
import os
import sqlite3
import sys
import uuid

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def b64raw_decode(text: bytes) -> bytes:
    return base64.b64decode(text + b"=" * (-len(text) % 4), validate=True)


def b64raw_encode(data: bytes) -> bytes:
    return base64.b64encode(data).rstrip(b"=")


def derive(secret: bytes, salt: bytes) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", secret, salt, 10000, 32)


def legacy_decrypt(payload: bytes, secret: bytes) -> bytes:
    algorithm = "aes-cfb"
    if payload[:1] == b"*":
        rest = payload[1:]
        end = rest.find(b"*")
        if end < 0:
            payload = rest
        else:
            algorithm = b64raw_decode(rest[:end]).decode() or "aes-cfb"
            payload = rest[end + 1:]
    key = derive(secret, payload[:8])
    if algorithm == "aes-cfb":
        decryptor = Cipher(algorithms.AES(key), modes.CFB(payload[8:24])).decryptor()
        return decryptor.update(payload[24:]) + decryptor.finalize()
    if algorithm == "aes-gcm":
        return AESGCM(key).decrypt(payload[8:20], payload[20:], None)
    raise ValueError("no decipher available for algorithm " + algorithm)


def legacy_encrypt(plaintext: bytes, secret: bytes) -> bytes:
    salt = "".join(ALPHABET[b % 62] for b in os.urandom(8)).encode()
    iv = os.urandom(16)
    encryptor = Cipher(algorithms.AES(derive(secret, salt)), modes.CFB(iv)).encryptor()
    return b"*YWVzLWNmYg*" + salt + iv + encryptor.update(plaintext) + encryptor.finalize()


def decrypt(blob: bytes, secret_key: bytes, db) -> bytes:
    if blob[:1] != b"#":
        return legacy_decrypt(blob, secret_key)
    end = blob.find(b"#", 1)
    key_id = b64raw_decode(blob[1:end]).decode()
    row = db.execute("SELECT provider, encrypted_data FROM data_keys WHERE name = ?", (key_id,)).fetchone()
    if row is None:
        raise KeyError("data key not found: " + key_id)
    assert row[0] in ("secretKey", "secretKey.v1"), row[0]
    dek = legacy_decrypt(bytes(row[1]), secret_key)
    return legacy_decrypt(blob[end + 1:], dek)


def read(path: str, secret_key: bytes) -> None:
    db = sqlite3.connect(path)
    out = {}
    for name, stored in db.execute("SELECT name, secure_json_data FROM data_source"):
        values = json.loads(stored or "{}")
        out[name] = {k: decrypt(base64.b64decode(v), secret_key, db).decode() for k, v in values.items()}
    print(json.dumps(out, sort_keys=True))


def write(path: str, secret_key: bytes, name: str, plaintext: str) -> None:
    db = sqlite3.connect(path)
    now = datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M:%S")
    key_id = str(uuid.uuid4())
    dek = os.urandom(16)
    label = datetime.date.today().isoformat() + "/root@secretKey.v1"
    db.execute("INSERT INTO data_keys (name, label, active, scope, provider, encrypted_data, created, updated)"
               " VALUES (?, ?, 1, 'root', 'secretKey.v1', ?, ?, ?)",
               (key_id, label, legacy_encrypt(dek, secret_key), now, now))
    envelope = b"#" + b64raw_encode(key_id.encode()) + b"#" + legacy_encrypt(plaintext.encode(), dek)
    secure = {"legacy": base64.b64encode(legacy_encrypt(plaintext.encode(), secret_key)).decode(),
              "password": base64.b64encode(envelope).decode()}
    db.execute("INSERT INTO data_source (org_id, version, type, name, access, url, user, database, basic_auth,"
               " with_credentials, is_default, json_data, secure_json_data, read_only, uid, created, updated)"
               " VALUES (1, 1, 'postgres', ?, 'proxy', '', '', '', 0, 0, 0, '{}', ?, 0, ?, ?, ?)",
               (name, json.dumps(secure, separators=(",", ":"), sort_keys=True), name, now, now))
    db.commit()


if __name__ == "__main__":
    command, db_path, key = sys.argv[1], sys.argv[2], sys.argv[3].encode()
    if command == "read":
        read(db_path, key)
    elif command == "write":
        write(db_path, key, sys.argv[4], sys.argv[5])
    else:
        sys.exit("unknown command " + command)
