#include "secrets/data_key_cache.h"

namespace md::secrets {

DataKeyCache::DataKeyCache(std::chrono::milliseconds ttl, Now now) : ttl_(ttl), now_(now) {}

std::optional<CachedDataKey> DataKeyCache::Lookup(const Map& map, const std::string& key) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = map.find(key);
  if (it == map.end() || it->second.expires <= now_()) return std::nullopt;
  return it->second.value;
}

std::optional<CachedDataKey> DataKeyCache::GetById(const std::string& id) const {
  return Lookup(by_id_, id);
}

std::optional<CachedDataKey> DataKeyCache::GetByLabel(const std::string& label) const {
  auto entry = Lookup(by_label_, label);
  if (entry && !entry->active) return std::nullopt;
  return entry;
}

void DataKeyCache::AddById(const CachedDataKey& entry) {
  std::lock_guard<std::mutex> lock(mu_);
  by_id_[entry.id] = Entry{entry, now_() + ttl_};
}

void DataKeyCache::AddByLabel(const CachedDataKey& entry) {
  std::lock_guard<std::mutex> lock(mu_);
  by_label_[entry.label] = Entry{entry, now_() + ttl_};
}

void DataKeyCache::RemoveExpired() {
  std::lock_guard<std::mutex> lock(mu_);
  auto now = now_();
  for (Map* map : {&by_id_, &by_label_}) {
    std::erase_if(*map, [now](const auto& kv) { return kv.second.expires <= now; });
  }
}

void DataKeyCache::Flush() {
  std::lock_guard<std::mutex> lock(mu_);
  by_id_.clear();
  by_label_.clear();
}

void DataKeyCache::FlushLabels() {
  std::lock_guard<std::mutex> lock(mu_);
  by_label_.clear();
}

std::size_t DataKeyCache::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return by_id_.size() + by_label_.size();
}

}  // namespace md::secrets
