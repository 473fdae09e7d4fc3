// DataSourceStore: data_source rows in one org (Grafana's rules: names and uids unique per org,
// optimistic locking on version). Each write is one transaction. Thread-safe.
#pragma once

#include <string_view>
#include <vector>

#include "resources/data_source.h"
#include "store/database.h"

namespace md::resources {

// Which row an update/get/delete addresses.
struct DataSourceKey {
  int64_t id = 0;         // used when uid is empty
  std::string uid;
};

class DataSourceStore {
 public:
  explicit DataSourceStore(store::Database& db) : db_(db) {}

  // Ordered by name. Errors: Unavailable/Internal from the database.
  Result<std::vector<DataSource>> List(int64_t org_id);
  // NotFound "Data source not found".
  Result<DataSource> Get(int64_t org_id, const DataSourceKey& key);
  Result<DataSource> GetByName(int64_t org_id, std::string_view name);

  // AlreadyExists "data source with the same name already exists" (or "... uid ...").
  // An empty uid gets a generated one. Returns the stored row (version 1).
  Result<DataSource> Create(int64_t org_id, const DataSourceCommand& command);
  // NotFound; AlreadyExists for a name/uid taken by another row, and for a stale version
  // ("Datasource has already been updated by someone else...").
  Result<DataSource> Update(int64_t org_id, const DataSourceKey& key, const DataSourceCommand& command);
  // NotFound when absent. Returns the deleted row.
  Result<DataSource> Delete(int64_t org_id, const DataSourceKey& key);

 private:
  Result<std::vector<DataSource>> Query(soci::session& session, const std::string& where,
                                        int64_t org_id, const std::string& param);
  Result<DataSource> GetIn(soci::session& session, int64_t org_id, const DataSourceKey& key);
  Status CheckUnique(soci::session& session, int64_t org_id, const DataSource& ds, int64_t self_id);
  Status Insert(soci::session& session, const DataSource& ds);
  Status Write(soci::session& session, const DataSource& ds);

  store::Database& db_;
};

// A Grafana-like uid: 14 characters of [a-zA-Z0-9].
std::string GenerateUid();

}  // namespace md::resources
