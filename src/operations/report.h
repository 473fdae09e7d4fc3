// What an operation did: per table/column counts and every failed row (never a secret).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace md::operations {

struct ColumnReport {
  std::string table;
  std::string column;
  bool table_missing = false;
  int64_t seen = 0;     // rows read that held at least one value
  int64_t changed = 0;  // rows rewritten (or that would be, with --dry-run)
  int64_t skipped = 0;  // rows left as they were (nothing to do, or already current)
  int64_t failed = 0;   // rows that could not be processed
  int64_t concurrent = 0;  // rows changed by someone else between read and write: re-read, redone
};

struct RowFailure {
  std::string table;
  std::string column;
  std::string row_id;
  std::string reason;
};

struct Report {
  std::string operation;  // "re-encrypt", "rollback", "verify", ...
  bool dry_run = false;
  std::vector<ColumnReport> columns;
  std::vector<RowFailure> failures;
  std::vector<std::string> notes;  // e.g. "data_keys deleted", "data_keys kept: 3 rows failed"
  double seconds = 0;

  bool ok() const { return failures.empty(); }
  int64_t TotalChanged() const;
  int64_t TotalFailed() const;
  nlohmann::json ToJson() const;
  // A readable table for the CLI.
  std::string ToText() const;
};

}  // namespace md::operations
