// DataKeyCache: unwrapped DEKs by id and by label (grafana-formats.md §3.8), each entry expiring
// `ttl` after insertion. DEK bytes live in SecretBytes, so they are wiped when an entry is
// dropped (expiry, flush, replacement). Thread-safe.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "secrets/data_key.h"

namespace md::secrets {

struct CachedDataKey {
  std::string id;
  std::string label;
  bool active = true;
  std::shared_ptr<const SecretBytes> key;  // shared so a reader can use it after eviction
};

class DataKeyCache {
 public:
  using Now = Clock::time_point (*)();
  explicit DataKeyCache(std::chrono::milliseconds ttl, Now now = &Clock::now);

  std::optional<CachedDataKey> GetById(const std::string& id) const;
  // Only active entries are returned: a rotated key must not encrypt new values.
  std::optional<CachedDataKey> GetByLabel(const std::string& label) const;

  void AddById(const CachedDataKey& entry);
  void AddByLabel(const CachedDataKey& entry);

  // Drops expired entries (the periodic cleanup).
  void RemoveExpired();
  // Drops every entry (rotation, re-encryption of data keys).
  void Flush();
  // Drops only the label map: another process may have rotated, ids stay valid.
  void FlushLabels();
  std::size_t size() const;

 private:
  struct Entry {
    CachedDataKey value;
    Clock::time_point expires;
  };
  using Map = std::map<std::string, Entry>;
  std::optional<CachedDataKey> Lookup(const Map& map, const std::string& key) const;

  std::chrono::milliseconds ttl_;
  Now now_;
  mutable std::mutex mu_;
  Map by_id_;     // Guarded by mu_
  Map by_label_;  // Guarded by mu_
};

}  // namespace md::secrets
