// DataKeyStore: the data_keys table over any dialect. Every method leases its own session and
// commits its own transaction, so a new DEK is durable before anything is encrypted with it.
// Thread-safe.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "secrets/data_key.h"
#include "store/database.h"

namespace md::secrets {

class DataKeyStore {
 public:
  explicit DataKeyStore(store::Database& db);

  // By id, regardless of `active` (decrypt must not filter on it: grafana-formats.md §9.4).
  Result<std::optional<DataKeyRow>> Get(std::string_view id);
  // An active row with this label (the current DEK), if any.
  Result<std::optional<DataKeyRow>> GetCurrent(std::string_view label);
  Result<std::vector<DataKeyRow>> List();

  // Returns the active row for row.label, inserting `row` only if none exists. The check and the
  // insert run under a cross-process lock (SQLite BEGIN IMMEDIATE, PostgreSQL advisory lock,
  // MySQL named lock), so concurrent creators agree on one DEK per label.
  // REQUIRES: row.active.
  Result<DataKeyRow> CreateIfAbsent(const DataKeyRow& row);

  // UPDATE data_keys SET active = false WHERE active = true.
  Status DisableAll();
  // Rewraps one row: new provider, label, encrypted_data and `updated`.
  Status UpdateWrapping(const DataKeyRow& row);
  Status Delete(std::string_view id);

  // A cheap fingerprint of the table (row count, active count, newest update). It changes when
  // another process creates, rotates or rewraps keys.
  Result<std::string> ChangeToken();

 private:
  Result<std::optional<DataKeyRow>> QueryOne(soci::session& session, std::string_view where,
                                             std::string_view param);
  Status InsertLocked(soci::session& session, const DataKeyRow& row);
  Status WithMysqlNamedLock(const std::function<Status(soci::session&)>& body);
  std::string SelectColumns() const;
  bool has_table_;  // databases written before Grafana 8.3 have no data_keys table
  bool has_label_;  // 8.3-era tables have no `label` column

  store::Database& db_;
};

// "YYYY-MM-DD HH:MM:SS" in UTC, the form every dialect accepts for DATETIME columns.
std::string FormatDbTime(Clock::time_point t);

}  // namespace md::secrets
