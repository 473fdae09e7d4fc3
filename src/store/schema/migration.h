// One schema migration: an id recorded in migration_log and a plan that returns the statements to
// run. Plans look at the live schema so that a step whose effect is already present (for example a
// table Grafana created) plans nothing and is simply recorded.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "store/soci.h"

#include "common/status.h"
#include "store/database.h"
#include "store/schema/table.h"

namespace md::store::schema {

struct Migration {
  std::string id;  // unique; recorded in migration_log.migration_id
  // Called under the migration lock; returns the SQL statements to execute in order.
  std::function<std::vector<std::string>(Database& db, soci::session& session)> plan;
  // Grafana migration ids whose effect this migration already includes (e.g. the renames that led
  // to the final data_keys layout). They are recorded with it, so that Grafana sharing the database
  // does not run them again.
  std::vector<std::string> subsumes = {};
};

// CREATE TABLE plus its indices, unless the table exists.
Migration CreateTable(std::string id, Table table);
// CREATE [UNIQUE] INDEX, unless an index of that name exists.
Migration AddIndex(std::string id, std::string table, Index index);
// ALTER TABLE ADD COLUMN, unless the column exists.
Migration AddColumn(std::string id, std::string table, Column column);
// Statements that depend only on the dialect.
Migration RawSql(std::string id, std::function<std::vector<std::string>(const Database&)> sql);

// The project's migrations in the order they run (schema/*_tables.cc).
std::vector<Migration> AllMigrations();

// Each group appends its tables' migrations; AllMigrations calls them in this order.
void AppendOrgAndUserMigrations(std::vector<Migration>& list);
void AppendSecretsMigrations(std::vector<Migration>& list);
void AppendDataSourceMigrations(std::vector<Migration>& list);
void AppendPluginAndAlertingMigrations(std::vector<Migration>& list);
void AppendOwnMigrations(std::vector<Migration>& list);

}  // namespace md::store::schema
