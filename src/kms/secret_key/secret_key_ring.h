// SecretKeyRing: [security] secret_key and, during a secret_key rotation, previous_secret_key.
// Everything encrypted directly with secret_key goes through it: secretKey.v1 wrappings of data
// keys, legacy (non-envelope) values, alert_notification secure settings. AES-CFB is not
// authenticated (grafana-formats.md §9.1), so the key of a value is decided by these rules
// (docs/formats.md §4, docs/operations.md "Rotating secret_key"):
//   - Encrypt uses the current key. While a previous key is set it writes AES-GCM whatever
//     [security.encryption] algorithm says: every value written during the rotation is
//     authenticated, so the key it is under can be told by trying.
//   - Decrypt of an AES-GCM value tries the current key, then (authentication failed) the previous.
//   - Decrypt of an AES-CFB value (prefixed, unprefixed or with an empty algorithm) uses the
//     previous key while one is set (no CFB value under secret_key is written during a rotation,
//     so every one predates it), else the current key.
// A wrong previous key therefore yields garbage for CFB values: the key check
// (secrets/key_check.h) is what catches it. Thread-safe; key bytes are never in a message.
#pragma once

#include <memory>

#include "crypto/encryption_service.h"

namespace md::kms {

class SecretKeyRing {
 public:
  enum class Key { kCurrent, kPrevious };

  // previous may be empty (no rotation). InvalidArgument naming security.secret_key when current
  // is empty, security.previous_secret_key when previous equals current.
  static Result<std::shared_ptr<const SecretKeyRing>> New(
      SecretBytes current, SecretBytes previous, std::shared_ptr<const crypto::EncryptionService> cipher);

  // True while previous_secret_key is set.
  bool rotating() const { return !previous_.empty(); }

  // A legacy-cipher value under the current key (AES-GCM while rotating).
  Result<Bytes> Encrypt(ByteView plaintext) const;
  // Applies the rules above. While rotating, an AES-GCM value that neither key authenticates is
  // DataLoss naming both settings.
  Result<SecretBytes> Decrypt(ByteView value) const;
  // The key Decrypt uses for `value`, trying AES-GCM values (one decryption each); same errors.
  Result<Key> KeyOf(ByteView value) const;

  // Strictly one key, no rules (key checks). REQUIRES: rotating() for Key::kPrevious.
  Result<SecretBytes> DecryptWith(Key key, ByteView value) const;
  // A check value under one key, in the configured algorithm (key checks only: data is written
  // with Encrypt). REQUIRES: rotating() for Key::kPrevious.
  Result<Bytes> EncryptCheckValueWith(Key key, ByteView plaintext) const;

 private:
  SecretKeyRing(SecretBytes current, SecretBytes previous,
                std::shared_ptr<const crypto::EncryptionService> cipher);
  struct Decrypted {
    SecretBytes plaintext;
    Key key;
  };
  Result<Decrypted> DecryptAndTell(ByteView value) const;
  const SecretBytes& Secret(Key key) const { return key == Key::kCurrent ? current_ : previous_; }

  SecretBytes current_;
  SecretBytes previous_;  // empty: no rotation
  std::shared_ptr<const crypto::EncryptionService> cipher_;
};

}  // namespace md::kms
