// A bounded, sharded LRU cache of DerivedKeys keyed by (hash of the secret, salt), so PBKDF2
// runs once per (secret, salt) in this process; plus the per-secret write salt that
// EncryptionService reuses for the values it writes. Thread-safe.
//
// The secret itself is never stored: map keys hold SHA-256(per-cache random key || secret).
// Evicted entries are destroyed when the last in-flight user lets go; their key bytes live in
// SecretBytes and their OpenSSL contexts are freed with EVP_CIPHER_CTX_free, both of which wipe.
#pragma once

#include <array>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "common/secret_bytes.h"
#include "common/status.h"
#include "crypto/derived_key.h"

namespace md::crypto {

using SecretHash = std::array<uint8_t, 32>;
using Salt = std::array<uint8_t, 8>;

// A salt is reused for at most this many values before a new one is drawn (GCM random-nonce
// bound: 2^31 random 96-bit nonces under one key collide with probability < 2^-35).
inline constexpr uint64_t kMaxValuesPerSalt = uint64_t{1} << 31;

class DerivedKeyCache {
 public:
  // `capacity` bounds the number of derived keys held (at least one per shard).
  explicit DerivedKeyCache(std::size_t capacity = 4096);
  ~DerivedKeyCache();

  // Keyed SHA-256 of the secret under this cache's random key (never leaves the process).
  SecretHash HashSecret(ByteView secret) const;

  // The cached key for (secret, salt), or nullptr.
  std::shared_ptr<const DerivedKey> Find(const SecretHash& secret_hash, ByteView salt) const;
  void Insert(const SecretHash& secret_hash, ByteView salt, std::shared_ptr<const DerivedKey> key);
  // Find, else derive (PBKDF2, outside any lock) and insert. Errors: Internal.
  Result<std::shared_ptr<const DerivedKey>> Get(const SecretHash& secret_hash, ByteView secret,
                                                ByteView salt);

  struct WriteKey {
    Salt salt;
    std::shared_ptr<const DerivedKey> key;
  };
  // The salt this process writes under `secret` and its key: one random alphanumeric salt per
  // secret, replaced after kMaxValuesPerSalt values (or when evicted). Counts one use.
  Result<WriteKey> GetWriteKey(const SecretHash& secret_hash, ByteView secret);

  std::size_t size() const;
  std::size_t capacity() const { return capacity_; }

 private:
  struct Shard;
  Shard& ShardFor(const SecretHash& secret_hash) const;  // write salts
  Shard& ShardFor(const SecretHash& secret_hash, ByteView salt) const;  // derived keys

  std::size_t capacity_;
  std::array<uint8_t, 32> hash_key_;
  std::unique_ptr<Shard[]> shards_;
};

}  // namespace md::crypto
