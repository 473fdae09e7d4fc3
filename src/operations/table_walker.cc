#include "operations/table_walker.h"

#include <atomic>
#include <set>
#include <thread>

#include "common/encoding.h"
#include "operations/cell_codec.h"
#include "secrets/data_key_store.h"

namespace md::operations {
namespace {

constexpr int kCasAttempts = 5;

std::string QuoteMarkers(const store::Database& db, std::string filter) {
  for (std::size_t open = filter.find('{'); open != std::string::npos; open = filter.find('{', open)) {
    std::size_t close = filter.find('}', open);
    std::string quoted = db.Quote(filter.substr(open + 1, close - open - 1));
    filter.replace(open, close - open + 1, quoted);
    open += quoted.size();
  }
  return filter;
}

}  // namespace

TableWalker::TableWalker(store::Database& db, WalkOptions options, Progress* progress)
    : db_(db), options_(options), progress_(progress),
      now_(secrets::FormatDbTime(secrets::Clock::now())) {
  if (options_.threads <= 0) options_.threads = std::max(1u, std::thread::hardware_concurrency());
  if (options_.batch_size <= 0) options_.batch_size = 1000;
}

std::string TableWalker::Filter(const SecretColumn& column) const {
  std::string where = db_.Quote(column.column) + " IS NOT NULL";
  if (!column.filter.empty()) where += " AND " + QuoteMarkers(db_, column.filter);
  return where;
}

std::string TableWalker::CellExpression(const SecretColumn& column) const {
  if (column.kind == CellKind::kRawBlob) return db_.HexOfBlob(db_.Quote(column.column));
  return db_.Quote(column.column);
}

int64_t TableWalker::CountRows(const SecretColumn& column) {
  try {
    auto session = db_.Lease();
    if (!db_.TableExists(*session, column.table)) return 0;
    long long n = 0;
    *session << "SELECT COUNT(*) FROM " + db_.Quote(column.table) + " WHERE " + Filter(column), soci::into(n);
    return n;
  } catch (const std::exception&) {
    return 0;  // the walk itself reports the problem
  }
}

Result<std::vector<TableWalker::Row>> TableWalker::ReadBatch(const SecretColumn& column,
                                                             const std::string* after_id) {
  std::string id = db_.Quote(column.id_column);
  std::string sql = "SELECT " + id + ", " + CellExpression(column) + " FROM " + db_.Quote(column.table) +
                    " WHERE " + Filter(column) + (after_id ? " AND " + id + " > :after" : "") +
                    " ORDER BY " + id + " LIMIT " + std::to_string(options_.batch_size);
  std::vector<std::string> ids(options_.batch_size), cells(options_.batch_size);
  std::vector<soci::indicator> inds(options_.batch_size);
  try {
    auto session = db_.Lease();
    soci::statement st = after_id
        ? (session->prepare << sql, soci::into(ids), soci::into(cells, inds), soci::use(*after_id))
        : (session->prepare << sql, soci::into(ids), soci::into(cells, inds));
    st.execute(true);
  } catch (const std::exception& e) {
    return store::StatusFromException(e, "reading " + ColumnName(column));
  }
  std::vector<Row> rows;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    rows.push_back({ids[i], inds[i] == soci::i_ok ? cells[i] : std::string()});
  }
  return rows;
}

Result<std::optional<TableWalker::Row>> TableWalker::ReadRow(const SecretColumn& column, const std::string& id) {
  std::string cell;
  soci::indicator ind = soci::i_ok;
  try {
    auto session = db_.Lease();
    *session << "SELECT " + CellExpression(column) + " FROM " + db_.Quote(column.table) + " WHERE " +
                    db_.Quote(column.id_column) + " = :id",
        soci::use(id), soci::into(cell, ind);
    if (!session->got_data()) return std::optional<Row>();
  } catch (const std::exception& e) {
    return store::StatusFromException(e, "reading " + ColumnName(column));
  }
  return std::optional<Row>(Row{id, ind == soci::i_ok ? cell : std::string()});
}

TableWalker::Processed TableWalker::Process(const SecretColumn& column, const Row& row,
                                            const ValueTransform& transform) const {
  std::string cell = row.stored;
  if (column.kind == CellKind::kRawBlob) {
    auto raw = HexDecode(row.stored);
    if (!raw.ok()) return {Outcome::kFailed, "", "unreadable blob"};
    cell.assign(raw->begin(), raw->end());
  }
  bool changed = false;
  auto rewritten = RewriteCell(column.kind, cell, [&](ByteView blob) -> Result<Bytes> {
    ASSIGN_OR_RETURN(std::optional<Bytes> replacement, transform(blob));
    if (!replacement) return Bytes(blob.begin(), blob.end());
    changed = true;
    return std::move(*replacement);
  });
  if (!rewritten.ok()) return {Outcome::kFailed, "", rewritten.status().message()};
  if (rewritten->values == 0) return {Outcome::kEmpty, "", ""};
  if (!changed) return {Outcome::kSkipped, "", ""};
  std::string stored = column.kind == CellKind::kRawBlob ? HexEncode(AsBytes(rewritten->cell)) : rewritten->cell;
  return {Outcome::kChanged, std::move(stored), ""};
}

std::vector<TableWalker::Processed> TableWalker::ProcessBatch(const SecretColumn& column,
                                                              const std::vector<Row>& rows,
                                                              const ValueTransform& transform) const {
  std::vector<Processed> out(rows.size());
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i = next++; i < rows.size(); i = next++) out[i] = Process(column, rows[i], transform);
  };
  std::vector<std::thread> threads;
  int extra = std::min<int>(options_.threads, static_cast<int>(rows.size())) - 1;
  for (int t = 0; t < extra; ++t) threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();
  return out;
}

// The stored value as read, compared byte for byte: SQLite may hold a TEXT column's value with
// BLOB storage class (Grafana writes []byte), which never equals a text parameter uncast.
std::string TableWalker::CurrentValue(const SecretColumn& column, const std::string& col) const {
  if (column.kind == CellKind::kRawBlob) return db_.HexOfBlob(col);
  if (db_.dialect() == store::Dialect::kMysql) return "BINARY " + col;
  if (db_.dialect() == store::Dialect::kSqlite) return "CAST(" + col + " AS TEXT)";
  return col;
}

// UPDATE ... WHERE id = :id AND <value> = :old, with :v (and :now when the table has one).
std::string TableWalker::CasSql(const SecretColumn& column) const {
  std::string col = db_.Quote(column.column);
  std::string value = column.kind == CellKind::kRawBlob ? db_.BlobFromHex(":v") : ":v";
  return "UPDATE " + db_.Quote(column.table) + " SET " + col + " = " + value +
         (column.updated_column.empty() ? "" : ", " + db_.Quote(column.updated_column) + " = :now") +
         " WHERE " + db_.Quote(column.id_column) + " = :id AND " + CurrentValue(column, col) + " = :old";
}

// One prepared compare-and-swap executed per row (SQLite, MySQL; and single-row retries). The
// bound variables are re-read on each execute. Returns the positions in `which` that lost.
std::vector<std::size_t> TableWalker::WriteRowByRow(soci::session& session, const SecretColumn& column,
                                                    const std::vector<Row>& rows,
                                                    const std::vector<std::string>& new_stored,
                                                    const std::vector<std::size_t>& which) {
  std::vector<std::size_t> lost;
  std::string id, old, value;
  std::string sql = CasSql(column);
  soci::statement st = column.updated_column.empty()
      ? (session.prepare << sql, soci::use(value, "v"), soci::use(id, "id"), soci::use(old, "old"))
      : (session.prepare << sql, soci::use(value, "v"), soci::use(now_, "now"), soci::use(id, "id"),
         soci::use(old, "old"));
  for (std::size_t i : which) {
    id = rows[i].id;
    old = rows[i].stored;
    value = new_stored[i];
    st.execute(true);
    if (st.get_affected_rows() == 0) lost.push_back(i);
  }
  return lost;
}

// PostgreSQL: the whole batch in one statement (one round trip instead of one per row);
// RETURNING tells which rows the compare-and-swap matched.
std::vector<std::size_t> TableWalker::WriteBatchPostgres(soci::session& session, const SecretColumn& column,
                                                         const std::vector<Row>& rows,
                                                         const std::vector<std::string>& new_stored,
                                                         const std::vector<std::size_t>& which) {
  std::string col = db_.Quote(column.column), id = db_.Quote(column.id_column);
  std::string value = column.kind == CellKind::kRawBlob ? "decode(v.nv, 'hex')" : "v.nv";
  std::string sql = "UPDATE " + db_.Quote(column.table) + " AS t SET " + col + " = " + value +
                    (column.updated_column.empty() ? "" : ", " + db_.Quote(column.updated_column) + " = :now") +
                    " FROM (VALUES ";
  for (std::size_t k = 0; k < which.size(); ++k) {
    std::string n = std::to_string(k);
    sql += (k ? ", (:i" : "(:i") + n + ", :o" + n + ", :n" + n + ")";
  }
  // Casting v.id to the key's type keeps the primary-key index in use.
  sql += ") AS v(id, old, nv) WHERE t." + id + " = CAST(v.id AS " + PostgresIdType(session, column) +
         ") AND " + CurrentValue(column, "t." + col) + " = v.old RETURNING t." + id + "::text";
  std::vector<std::string> updated(which.size() + 1);
  soci::statement st(session);
  st.alloc();
  st.prepare(sql);
  if (!column.updated_column.empty()) st.exchange(soci::use(now_, "now"));
  for (std::size_t k = 0; k < which.size(); ++k) {
    std::string n = std::to_string(k);
    st.exchange(soci::use(rows[which[k]].id, "i" + n));
    st.exchange(soci::use(rows[which[k]].stored, "o" + n));
    st.exchange(soci::use(new_stored[which[k]], "n" + n));
  }
  st.exchange(soci::into(updated));
  st.define_and_bind();
  st.execute(true);
  std::set<std::string> done(updated.begin(), updated.end());
  std::vector<std::size_t> lost;
  for (std::size_t i : which) {
    if (!done.count(rows[i].id)) lost.push_back(i);
  }
  return lost;
}

// The SQL type of the id column (bigint, character varying, ...), looked up once per table.
std::string TableWalker::PostgresIdType(soci::session& session, const SecretColumn& column) {
  auto cached = id_types_.find(column.table);
  if (cached != id_types_.end()) return cached->second;
  std::string type;
  soci::indicator ind = soci::i_ok;
  session << "SELECT data_type FROM information_schema.columns WHERE table_schema = current_schema() "
             "AND table_name = :t AND column_name = :c",
      soci::use(column.table), soci::use(column.id_column), soci::into(type, ind);
  if (!session.got_data() || ind != soci::i_ok || type.empty()) type = "text";
  id_types_[column.table] = type;
  return type;
}

std::vector<std::size_t> TableWalker::WriteBatch(soci::session& session, const SecretColumn& column,
                                                 const std::vector<Row>& rows,
                                                 const std::vector<std::string>& new_stored,
                                                 const std::vector<std::size_t>& which) {
  soci::transaction tx(session);
  std::vector<std::size_t> lost = db_.dialect() == store::Dialect::kPostgres
                                      ? WriteBatchPostgres(session, column, rows, new_stored, which)
                                      : WriteRowByRow(session, column, rows, new_stored, which);
  tx.commit();
  return lost;
}

TableWalker::Processed TableWalker::RetryRow(const SecretColumn& column, const Row& first,
                                             const ValueTransform& transform) {
  Row row = first;
  for (int attempt = 0; attempt < kCasAttempts; ++attempt) {
    Processed p = Process(column, row, transform);
    if (p.outcome != Outcome::kChanged || options_.dry_run) return p;
    try {
      auto session = db_.Lease();
      soci::transaction tx(*session);
      bool swapped = WriteRowByRow(*session, column, {row}, {p.new_stored}, {0}).empty();
      tx.commit();
      if (swapped) return p;
    } catch (const std::exception& e) {
      return {Outcome::kFailed, "", store::StatusFromException(e, "writing").message()};
    }
    auto reread = ReadRow(column, row.id);  // changed meanwhile: transform the new value
    if (!reread.ok()) return {Outcome::kFailed, "", reread.status().message()};
    if (!*reread) return {Outcome::kEmpty, "", ""};  // deleted meanwhile
    row = std::move(**reread);
  }
  return {Outcome::kFailed, "", "row kept changing during the operation; run it again"};
}

ColumnReport TableWalker::Walk(const SecretColumn& column, const ValueTransform& transform,
                               std::vector<RowFailure>& failures) {
  ColumnReport report{column.table, column.column};
  {
    auto session = db_.Lease();
    if (!db_.TableExists(*session, column.table)) {
      report.table_missing = true;
      return report;
    }
  }
  if (progress_) progress_->SetColumn(ColumnName(column));
  std::optional<std::string> last;
  while (true) {
    auto rows = ReadBatch(column, last ? &*last : nullptr);
    if (!rows.ok()) {
      failures.push_back({column.table, column.column, "", rows.status().message()});
      ++report.failed;
      break;
    }
    if (rows->empty()) break;
    last = rows->back().id;
    std::vector<Processed> processed = ProcessBatch(column, *rows, transform);
    std::vector<std::size_t> to_write;
    for (std::size_t i = 0; i < rows->size(); ++i) {
      if (processed[i].outcome == Outcome::kChanged) to_write.push_back(i);
    }
    if (!options_.dry_run && !to_write.empty()) {
      std::vector<std::size_t> retry;
      std::vector<std::string> new_stored(rows->size());
      for (std::size_t i : to_write) new_stored[i] = processed[i].new_stored;
      try {
        auto session = db_.Lease();
        retry = WriteBatch(*session, column, *rows, new_stored, to_write);
        report.concurrent += static_cast<int64_t>(retry.size());
      } catch (const std::exception&) {
        retry = to_write;  // the batch failed as a whole: one row per transaction instead
      }
      for (std::size_t i : retry) processed[i] = RetryRow(column, (*rows)[i], transform);
    }
    int64_t batch_failed = 0;
    for (std::size_t i = 0; i < rows->size(); ++i) {
      const Processed& p = processed[i];
      if (p.outcome == Outcome::kEmpty) continue;
      ++report.seen;
      if (p.outcome == Outcome::kChanged) ++report.changed;
      if (p.outcome == Outcome::kSkipped) ++report.skipped;
      if (p.outcome == Outcome::kFailed) {
        ++report.failed;
        ++batch_failed;
        failures.push_back({column.table, column.column, (*rows)[i].id, p.error});
      }
    }
    if (progress_) {
      progress_->AddRows(static_cast<int64_t>(rows->size()));
      progress_->AddFailures(batch_failed);
    }
    if (static_cast<int>(rows->size()) < options_.batch_size) break;
  }
  return report;
}

}  // namespace md::operations
