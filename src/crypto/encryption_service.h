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

namespace md::crypto {

enum class Algorithm { kAesCfb, kAesGcm };

// "aes-cfb" | "aes-gcm"; anything else is InvalidArgument.
Result<Algorithm> ParseAlgorithm(std::string_view name);
std::string_view AlgorithmName(Algorithm algorithm);

class DerivedKeyCache;

struct DecryptRequest {
  ByteView payload;
  const SecretBytes* secret;
};

class EncryptionService {
 public:
  // write_algorithm is what Encrypt writes; Decrypt reads every format.
  explicit EncryptionService(Algorithm write_algorithm);
  ~EncryptionService();

  Algorithm write_algorithm() const { return write_algorithm_; }

  // '*'+RawStd(algorithm)+'*'+payload. Reuses one random salt per (secret, process) with a fresh
  // random IV/nonce per value, so later decryptions hit the derived-key cache.
  Result<Bytes> Encrypt(ByteView plaintext, const SecretBytes& secret) const;

  // Every format of grafana-formats.md §1.6. Errors: InvalidArgument (empty, too short, bad
  // base64 in the prefix, unknown algorithm), DataLoss (GCM authentication failed).
  Result<SecretBytes> Decrypt(ByteView payload, const SecretBytes& secret) const;

  // Decrypts many values in parallel across cores; results are in request order.
  std::vector<Result<SecretBytes>> DecryptBatch(std::span<const DecryptRequest> requests) const;

 private:
  Algorithm write_algorithm_;
  std::unique_ptr<DerivedKeyCache> keys_;
};

}  // namespace md::crypto
