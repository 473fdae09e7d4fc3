// DataSource: one row of data_source (docs/schema.md) as the stores and handlers see it, and
// the command that creates or updates one. Secrets stay encrypted in here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "resources/secure_json.h"

namespace md::resources {

struct DataSource {
  int64_t id = 0;
  int64_t org_id = 1;
  std::string uid;
  std::string name;
  std::string type;
  std::string access = "proxy";
  std::string url;
  std::string user;
  std::string database;
  bool basic_auth = false;
  std::string basic_auth_user;
  bool with_credentials = false;
  bool is_default = false;
  std::string json_data = "{}";         // JSON object text
  std::string secure_json_data;         // stored map text (may be empty)
  int version = 0;
  bool read_only = false;
};

// The client-settable fields plus the already-encrypted secrets to merge in.
struct DataSourceCommand {
  DataSource fields;                    // id, org_id, version and secure_json_data are ignored
  std::optional<int> version;           // update: a stale version is a conflict
  EncryptedSecrets secrets;             // keys sent in secureJsonData, encrypted
};

}  // namespace md::resources
