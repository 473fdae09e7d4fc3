// Inventory (the `status` command): what the database holds and which keys it still needs.
// Reads every secret-bearing column and data_keys; writes nothing.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kms/provider_set.h"
#include "operations/progress.h"
#include "secrets/data_key_store.h"
#include "store/database.h"

namespace md::operations {

struct DataKeyUsage {
  secrets::DataKeyRow row;  // encrypted_data is not reported
  int64_t values = 0;
};

struct Inventory {
  // Values by stored format: "legacy (no prefix)", "legacy aes-cfb", "legacy aes-gcm",
  // "legacy (empty algorithm)", "envelope", "unreadable".
  std::map<std::string, int64_t> by_format;
  std::map<std::string, int64_t> by_column;    // "table.column" -> values
  std::vector<std::string> missing_tables;
  std::vector<DataKeyUsage> data_keys;
  int64_t values_with_missing_data_key = 0;
  std::map<std::string, int64_t> values_by_provider;  // envelope values per KEK provider
  int64_t legacy_values = 0;                          // values that need secret_key directly
  std::vector<std::string> loaded_providers;
  std::string current_provider;
  bool default_secret_key = false;

  // Data keys no value uses, and loaded providers no data key uses.
  std::vector<std::string> UnusedDataKeys() const;
  std::vector<std::string> UnusedProviders() const;
  nlohmann::json ToJson() const;
  std::string ToText() const;
};

// Builds the inventory. Errors only when data_keys cannot be read.
Result<Inventory> TakeInventory(store::Database& db, const kms::ProviderSet& providers,
                                bool default_secret_key, Progress* progress = nullptr);

}  // namespace md::operations
