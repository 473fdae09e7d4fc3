// EncryptionService::DecryptBatch: PBKDF2 dominates values written elsewhere (one derivation per
// distinct (secret, salt)), so the batch first collects the distinct keys it lacks, derives them
// in parallel on every core, then decrypts the values in parallel.
#include <algorithm>
#include <atomic>
#include <cstring>
#include <functional>
#include <map>
#include <optional>
#include <thread>

#include "crypto/derived_key_cache.h"
#include "crypto/encryption_service.h"
#include "crypto/legacy_payload.h"

namespace md::crypto {
namespace {

// Runs fn(i) for i in [0, count) on up to `threads` threads (the caller's included).
void ParallelFor(std::size_t count, std::size_t threads, const std::function<void(std::size_t)>& fn) {
  threads = std::max<std::size_t>(1, std::min(threads, count));
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i = next.fetch_add(1); i < count; i = next.fetch_add(1)) fn(i);
  };
  std::vector<std::thread> pool;
  pool.reserve(threads - 1);
  for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (std::thread& thread : pool) thread.join();
}

struct KeySlot {
  const SecretBytes* secret;
  SecretHash hash;
  Salt salt;
  std::shared_ptr<const DerivedKey> key;  // null until found or derived
  Status error;
};

struct Parsed {
  Status error;
  Algorithm algorithm = Algorithm::kAesCfb;
  ByteView raw;
  std::size_t slot = 0;
};

// Smallest batch worth spreading over threads when every key is already cached.
constexpr std::size_t kMinParallelDecrypts = 256;

}  // namespace

std::vector<Result<SecretBytes>> EncryptionService::DecryptBatch(
    std::span<const DecryptRequest> requests) const {
  std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
  // 1. Parse each value and find the distinct (secret, salt) pairs; look them up in the cache.
  std::vector<Parsed> parsed(requests.size());
  std::vector<KeySlot> slots;
  std::map<std::pair<SecretHash, Salt>, std::size_t> slot_of;
  std::map<const SecretBytes*, SecretHash> hash_of;
  for (std::size_t i = 0; i < requests.size(); ++i) {
    const DecryptRequest& request = requests[i];
    if (request.secret == nullptr) {
      parsed[i].error = InvalidArgumentError("decrypt request without a secret");
      continue;
    }
    auto payload = ParseLegacyPayload(request.payload);
    auto salt = payload.ok() ? SaltOf(payload->algorithm, payload->raw) : payload.status();
    if (!salt.ok()) {
      parsed[i].error = salt.status();
      continue;
    }
    auto [hash_it, fresh] = hash_of.try_emplace(request.secret);
    if (fresh) hash_it->second = keys_->HashSecret(request.secret->view());
    Salt salt_bytes;
    std::memcpy(salt_bytes.data(), salt->data(), salt_bytes.size());
    auto [slot_it, added] = slot_of.try_emplace({hash_it->second, salt_bytes}, slots.size());
    if (added) {
      slots.push_back({request.secret, hash_it->second, salt_bytes,
                       keys_->Find(hash_it->second, *salt), OkStatus()});
    }
    parsed[i] = Parsed{OkStatus(), payload->algorithm, payload->raw, slot_it->second};
  }
  // 2. Derive the missing keys in parallel (PBKDF2 is the cost of this whole call).
  std::vector<std::size_t> missing;
  for (std::size_t s = 0; s < slots.size(); ++s) {
    if (!slots[s].key) missing.push_back(s);
  }
  ParallelFor(missing.size(), cores, [&](std::size_t m) {
    KeySlot& slot = slots[missing[m]];
    auto key = DerivedKey::Derive(slot.secret->view(), slot.salt);
    if (!key.ok()) {
      slot.error = key.status();
      return;
    }
    slot.key = *key;
    keys_->Insert(slot.hash, slot.salt, slot.key);
  });
  // 3. Decrypt every value with its key, in parallel for large batches.
  std::vector<std::optional<Result<SecretBytes>>> out(requests.size());
  std::size_t decrypt_threads = requests.size() >= kMinParallelDecrypts ? cores : 1;
  ParallelFor(requests.size(), decrypt_threads, [&](std::size_t i) {
    const Parsed& p = parsed[i];
    if (!p.error.ok()) {
      out[i].emplace(p.error);
    } else if (!slots[p.slot].error.ok()) {
      out[i].emplace(slots[p.slot].error);
    } else {
      out[i].emplace(DecryptWithKey(p.algorithm, p.raw, *slots[p.slot].key));
    }
  });
  std::vector<Result<SecretBytes>> results;
  results.reserve(out.size());
  for (auto& r : out) results.push_back(std::move(*r));
  return results;
}

}  // namespace md::crypto
