// TableWalker: applies a value transform to every encrypted value of one column, online.
//   - rows are streamed in keyset-paginated batches (memory flat in the table size);
//   - each batch is transformed in parallel across cores;
//   - each batch is written in one transaction, every row with a compare-and-swap
//     (UPDATE ... WHERE id = ? AND column = <the value that was read>), so a row a user changed
//     meanwhile is never overwritten: it is re-read and transformed again;
//   - a batch whose transaction fails is retried one row per transaction.
// A row either keeps its old cell or gets its new one; there is no in-between state.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "operations/progress.h"
#include "operations/report.h"
#include "operations/secret_column.h"
#include "store/database.h"

namespace md::operations {

// The replacement for one value, or std::nullopt to leave it as it is.
using ValueTransform = std::function<Result<std::optional<Bytes>>(ByteView blob)>;

struct WalkOptions {
  int batch_size = 1000;
  bool dry_run = false;  // transform and count, write nothing
  int threads = 0;       // 0: one per core
};

class TableWalker {
 public:
  TableWalker(store::Database& db, WalkOptions options, Progress* progress = nullptr);

  // Rows of the column that hold something (for progress totals); 0 for a missing table.
  int64_t CountRows(const SecretColumn& column);

  // Walks the column; failures are appended to `failures`.
  ColumnReport Walk(const SecretColumn& column, const ValueTransform& transform,
                    std::vector<RowFailure>& failures);

 private:
  struct Row {
    std::string id;
    std::string stored;  // as read (hex text for BLOB columns): the compare-and-swap operand
  };
  enum class Outcome { kSkipped, kChanged, kFailed, kEmpty };
  struct Processed {
    Outcome outcome = Outcome::kEmpty;
    std::string new_stored;
    std::string error;
  };

  std::string Filter(const SecretColumn& column) const;
  std::string CellExpression(const SecretColumn& column) const;
  Result<std::vector<Row>> ReadBatch(const SecretColumn& column, const std::string* after_id);
  Result<std::optional<Row>> ReadRow(const SecretColumn& column, const std::string& id);
  Processed Process(const SecretColumn& column, const Row& row, const ValueTransform& transform) const;
  std::vector<Processed> ProcessBatch(const SecretColumn& column, const std::vector<Row>& rows,
                                      const ValueTransform& transform) const;
  // Each returns the positions (in `rows`) whose compare-and-swap found the row changed; they
  // throw on database errors. new_stored[i] is the replacement for rows[i].
  std::vector<std::size_t> WriteBatch(soci::session& session, const SecretColumn& column,
                                      const std::vector<Row>& rows,
                                      const std::vector<std::string>& new_stored,
                                      const std::vector<std::size_t>& which);
  std::vector<std::size_t> WriteRowByRow(soci::session& session, const SecretColumn& column,
                                         const std::vector<Row>& rows,
                                         const std::vector<std::string>& new_stored,
                                         const std::vector<std::size_t>& which);
  std::vector<std::size_t> WriteBatchPostgres(soci::session& session, const SecretColumn& column,
                                              const std::vector<Row>& rows,
                                              const std::vector<std::string>& new_stored,
                                              const std::vector<std::size_t>& which);
  std::string PostgresIdType(soci::session& session, const SecretColumn& column);
  std::string CasSql(const SecretColumn& column) const;
  std::string CurrentValue(const SecretColumn& column, const std::string& col) const;
  // One row in its own transaction, re-reading it after a lost compare-and-swap.
  Processed RetryRow(const SecretColumn& column, const Row& row, const ValueTransform& transform);

  store::Database& db_;
  WalkOptions options_;
  Progress* progress_;
  std::string now_;  // the `updated` value written by this walk
  std::map<std::string, std::string> id_types_;  // PostgreSQL: table -> SQL type of its id
};

}  // namespace md::operations
