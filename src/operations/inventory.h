// Inventory (the `status` command): what the database holds and which keys it still needs.
// Reads every secret-bearing column and data_keys; writes nothing.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kms/provider_set.h"
#include "kms/secret_key/secret_key_ring.h"
#include "operations/progress.h"
#include "secrets/data_key_store.h"
#include "store/database.h"

namespace md::operations {

struct DataKeyUsage {
  secrets::DataKeyRow row;  // encrypted_data is not reported
  int64_t values = 0;
};

// What a secret_key rotation still needs the previous key for (the rules of
// kms/secret_key/secret_key_ring.h: AES-CFB under secret_key is the previous key's, AES-GCM is
// tried). Counted only while previous_secret_key is set.
struct PreviousKeyUsage {
  bool configured = false;  // previous_secret_key is set in this process
  // md_key_check still holds the former key's check value: a rotation began and no process has
  // run without previous_secret_key since (docs/operations.md).
  bool rotation_recorded = false;
  std::vector<std::string> data_keys;               // secretKey.v1 DEKs wrapped with the previous key
  std::map<std::string, int64_t> values_by_column;  // "table.column" -> legacy values under it
  int64_t under_neither_key = 0;                    // AES-GCM DEKs and values neither key opens

  int64_t values() const;
  // True while anything is under the previous key: removing it would make that unreadable.
  bool Needed() const { return configured && (!data_keys.empty() || values() > 0); }
  nlohmann::json ToJson() const;
  std::string ToText() const;
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
  PreviousKeyUsage previous_secret_key;

  // Data keys no value uses, and loaded providers no data key uses.
  std::vector<std::string> UnusedDataKeys() const;
  std::vector<std::string> UnusedProviders() const;
  nlohmann::json ToJson() const;
  std::string ToText() const;
};

// Builds the inventory; secret_keys tells which values a secret_key rotation still needs the
// previous key for (AES-GCM ones cost one decryption each). Errors only when data_keys cannot
// be read.
Result<Inventory> TakeInventory(store::Database& db, const kms::ProviderSet& providers,
                                const kms::SecretKeyRing& secret_keys, bool default_secret_key,
                                Progress* progress = nullptr);

}  // namespace md::operations
