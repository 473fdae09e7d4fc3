// A row of data_keys (grafana-formats.md §3.1). The DEK id lives in the `name` column.
#pragma once

#include <chrono>
#include <string>

#include "common/secret_bytes.h"

namespace md::secrets {

using Clock = std::chrono::system_clock;

struct DataKeyRow {
  std::string id;        // data_keys.name, the value encoded between '#' delimiters
  std::string label;     // "YYYY-MM-DD/<scope>@<provider>"; empty in 8.3-era tables
  bool active = true;
  std::string scope = "root";
  std::string provider;  // as stored (may be the legacy "secretKey")
  Bytes encrypted_data;  // the DEK wrapped by `provider`
  Clock::time_point created;
  Clock::time_point updated;
};

}  // namespace md::secrets
