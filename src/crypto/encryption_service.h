// The legacy cipher layer (docs/formats.md §1; grafana-formats.md §1): payloads of AES-256-CFB or
// AES-256-GCM keyed by PBKDF2-HMAC-SHA256(secret, 8-byte salt, 10000, 32), with the optional
// '*<base64 raw(algorithm)>*' prefix. Thread-safe; shares one DerivedKeyCache.
#pragma once

#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "common/secret_bytes.h"
#include "common/status.h"
#include "crypto/algorithm.h"

namespace md::crypto {

class DerivedKey;
class DerivedKeyCache;

struct DecryptRequest {
  ByteView payload;
  const SecretBytes* secret;
};

class EncryptionService {
 public:
  // write_algorithm is what Encrypt writes; Decrypt reads every format.
  explicit EncryptionService(Algorithm write_algorithm);
  // As above with a bound on the number of derived keys kept (LRU; default 4096).
  EncryptionService(Algorithm write_algorithm, std::size_t cache_capacity);
  ~EncryptionService();

  Algorithm write_algorithm() const { return write_algorithm_; }

  // '*'+RawStd(algorithm)+'*'+payload. Reuses one random salt per (secret, process) with a fresh
  // random IV/nonce per value, so later decryptions hit the derived-key cache.
  Result<Bytes> Encrypt(ByteView plaintext, const SecretBytes& secret) const;
  // As Encrypt, but writes `algorithm` instead of write_algorithm() (secret_key rotation writes
  // AES-GCM whatever the configuration says; see kms/secret_key/secret_key_ring.h).
  Result<Bytes> EncryptAs(Algorithm algorithm, ByteView plaintext, const SecretBytes& secret) const;

  // Encrypt with a caller-chosen salt and IV/nonce: for known-answer tests (test vector E1) only.
  // Never for new values: reusing an IV with the same key breaks confidentiality (and, with GCM,
  // authenticity). InvalidArgument for a salt that is not 8 bytes or an IV of the wrong size.
  Result<Bytes> EncryptWithSaltAndIv(ByteView plaintext, const SecretBytes& secret, ByteView salt,
                                     ByteView iv) const;

  // Every format of grafana-formats.md §1.6. Errors: InvalidArgument (empty, too short, bad
  // base64 in the prefix, unknown algorithm), DataLoss (GCM authentication failed).
  Result<SecretBytes> Decrypt(ByteView payload, const SecretBytes& secret) const;

  // Decipher level: `raw` is salt onwards (no '*...*' prefix) and the algorithm is given.
  // Same errors as Decrypt.
  Result<SecretBytes> DecryptRaw(Algorithm algorithm, ByteView raw,
                                 const SecretBytes& secret) const;

  // Decrypts many values in parallel across cores; results are in request order.
  // A request without a secret gets InvalidArgument; errors of one value never affect another.
  std::vector<Result<SecretBytes>> DecryptBatch(std::span<const DecryptRequest> requests) const;

  // Number of derived keys currently cached (tests, metrics).
  std::size_t cached_keys() const;

  // Decrypts a raw payload (salt onwards, prefix already parsed) with a known key.
  static Result<SecretBytes> DecryptWithKey(Algorithm algorithm, ByteView raw,
                                            const DerivedKey& key);

 private:
  Algorithm write_algorithm_;
  std::unique_ptr<DerivedKeyCache> keys_;
};

}  // namespace md::crypto
