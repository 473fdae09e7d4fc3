#include "crypto/derived_key_cache.h"

#include <algorithm>
#include <cstring>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "crypto/openssl_util.h"
#include "crypto/secure_random.h"

namespace md::crypto {
namespace {

constexpr std::size_t kShards = 16;

struct CacheKey {
  SecretHash secret_hash;
  Salt salt;
  bool operator==(const CacheKey&) const = default;
};

struct CacheKeyHasher {
  std::size_t operator()(const CacheKey& k) const {
    uint64_t a = 0, b = 0;
    std::memcpy(&a, k.secret_hash.data() + 8, sizeof(a));
    std::memcpy(&b, k.salt.data(), sizeof(b));
    uint64_t z = a ^ b;  // splitmix64 finalizer: every input bit reaches every output bit
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return static_cast<std::size_t>(z ^ (z >> 31));
  }
};
struct SecretHashHasher {
  std::size_t operator()(const SecretHash& h) const {
    uint64_t a = 0;
    std::memcpy(&a, h.data() + 8, sizeof(a));
    return static_cast<std::size_t>(a);
  }
};

CacheKey MakeKey(const SecretHash& secret_hash, ByteView salt) {
  CacheKey key{secret_hash, {}};
  std::memcpy(key.salt.data(), salt.data(), std::min(salt.size(), key.salt.size()));
  return key;
}

struct WriteState {
  Salt salt;
  std::shared_ptr<const DerivedKey> key;
  uint64_t uses = 0;
};

}  // namespace

// One LRU segment; the shard is chosen by the secret hash. Values are wiped on destruction.
struct DerivedKeyCache::Shard {
  using Entry = std::pair<CacheKey, std::shared_ptr<const DerivedKey>>;
  mutable std::mutex mu;
  mutable std::list<Entry> lru;  // Guarded by mu; most recently used first.
  std::unordered_map<CacheKey, std::list<Entry>::iterator, CacheKeyHasher> index;  // Guarded by mu
  std::unordered_map<SecretHash, WriteState, SecretHashHasher> writers;  // Guarded by mu
  std::size_t capacity = 1;
};

DerivedKeyCache::DerivedKeyCache(std::size_t capacity)
    : capacity_(std::max(capacity, kShards)), shards_(new Shard[kShards]) {
  for (std::size_t i = 0; i < kShards; ++i) shards_[i].capacity = capacity_ / kShards;
  if (RAND_bytes(hash_key_.data(), static_cast<int>(hash_key_.size())) != 1) std::abort();
}

DerivedKeyCache::~DerivedKeyCache() { OPENSSL_cleanse(hash_key_.data(), hash_key_.size()); }

SecretHash DerivedKeyCache::HashSecret(ByteView secret) const {
  static EVP_MD* const kSha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  thread_local MdCtxPtr ctx(EVP_MD_CTX_new());
  SecretHash out{};
  unsigned int len = 0;
  if (kSha256 == nullptr || !ctx || EVP_DigestInit_ex2(ctx.get(), kSha256, nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), hash_key_.data(), hash_key_.size()) != 1 ||
      EVP_DigestUpdate(ctx.get(), secret.data(), secret.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), out.data(), &len) != 1) {
    std::abort();  // SHA-256 cannot fail short of memory corruption
  }
  return out;
}

DerivedKeyCache::Shard& DerivedKeyCache::ShardFor(const SecretHash& secret_hash) const {
  return shards_[secret_hash[0] % kShards];
}

// Keys of one secret spread over every shard (one secret_key often has thousands of salts).
DerivedKeyCache::Shard& DerivedKeyCache::ShardFor(const SecretHash& secret_hash,
                                                  ByteView salt) const {
  return shards_[CacheKeyHasher()(MakeKey(secret_hash, salt)) % kShards];
}

std::shared_ptr<const DerivedKey> DerivedKeyCache::Find(const SecretHash& secret_hash,
                                                        ByteView salt) const {
  Shard& shard = ShardFor(secret_hash, salt);
  std::lock_guard<std::mutex> lock(shard.mu);
  auto it = shard.index.find(MakeKey(secret_hash, salt));
  if (it == shard.index.end()) return nullptr;
  shard.lru.splice(shard.lru.begin(), shard.lru, it->second);
  return it->second->second;
}

void DerivedKeyCache::Insert(const SecretHash& secret_hash, ByteView salt,
                             std::shared_ptr<const DerivedKey> key) {
  Shard& shard = ShardFor(secret_hash, salt);
  std::shared_ptr<const DerivedKey> evicted;  // destroyed (wiped) after the lock is released
  std::lock_guard<std::mutex> lock(shard.mu);
  CacheKey cache_key = MakeKey(secret_hash, salt);
  if (auto it = shard.index.find(cache_key); it != shard.index.end()) {
    shard.lru.splice(shard.lru.begin(), shard.lru, it->second);
    return;
  }
  shard.lru.emplace_front(cache_key, std::move(key));
  shard.index.emplace(cache_key, shard.lru.begin());
  if (shard.lru.size() > shard.capacity) {
    evicted = std::move(shard.lru.back().second);
    shard.index.erase(shard.lru.back().first);
    shard.lru.pop_back();
  }
}

Result<std::shared_ptr<const DerivedKey>> DerivedKeyCache::Get(const SecretHash& secret_hash,
                                                               ByteView secret, ByteView salt) {
  if (auto key = Find(secret_hash, salt)) return key;
  ASSIGN_OR_RETURN(auto key, DerivedKey::Derive(secret, salt));
  Insert(secret_hash, salt, key);
  return key;
}

Result<DerivedKeyCache::WriteKey> DerivedKeyCache::GetWriteKey(const SecretHash& secret_hash,
                                                               ByteView secret) {
  Shard& shard = ShardFor(secret_hash);
  {
    std::lock_guard<std::mutex> lock(shard.mu);
    auto it = shard.writers.find(secret_hash);
    if (it != shard.writers.end() && it->second.uses < kMaxValuesPerSalt) {
      ++it->second.uses;
      return WriteKey{it->second.salt, it->second.key};
    }
  }
  // Slow path: a new salt and PBKDF2, outside the lock. Racing threads may both derive; the
  // last one installed wins and both results are valid values.
  WriteState state;
  if (Status s = RandomAlphanumeric(state.salt); !s.ok()) return s;
  ASSIGN_OR_RETURN(state.key, DerivedKey::Derive(secret, state.salt));
  state.uses = 1;
  Insert(secret_hash, state.salt, state.key);
  std::shared_ptr<const DerivedKey> replaced;
  std::lock_guard<std::mutex> lock(shard.mu);
  if (shard.writers.size() >= shard.capacity && !shard.writers.contains(secret_hash)) {
    replaced = std::move(shard.writers.begin()->second.key);
    shard.writers.erase(shard.writers.begin());
  }
  WriteState& slot = shard.writers[secret_hash];
  std::swap(replaced, slot.key);
  slot = state;
  return WriteKey{state.salt, state.key};
}

std::size_t DerivedKeyCache::size() const {
  std::size_t total = 0;
  for (std::size_t i = 0; i < kShards; ++i) {
    std::lock_guard<std::mutex> lock(shards_[i].mu);
    total += shards_[i].lru.size();
  }
  return total;
}

}  // namespace md::crypto
