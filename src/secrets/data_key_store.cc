#include "secrets/data_key_store.h"

#include <ctime>

#include "common/encoding.h"

namespace md::secrets {
namespace {

// Any fixed number: the PostgreSQL advisory lock that serialises DEK creation across replicas.
constexpr long long kCreateLockKey = 0x6d645f64656b;  // "md_dek"
constexpr const char* kMysqlLockName = "md_data_keys_create";

Clock::time_point FromTm(std::tm tm) { return Clock::from_time_t(timegm(&tm)); }

std::tm ToTm(Clock::time_point t) {
  std::time_t tt = Clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  return tm;
}

}  // namespace

std::string FormatDbTime(Clock::time_point t) {
  std::tm tm = ToTm(t);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

DataKeyStore::DataKeyStore(store::Database& db) : has_table_(true), has_label_(true), db_(db) {
  auto session = db_.Lease();
  has_table_ = db_.TableExists(*session, "data_keys");
  has_label_ = db_.ColumnExists(*session, "data_keys", "label");
}

std::string DataKeyStore::SelectColumns() const {
  return std::string("SELECT name, ") + (has_label_ ? "label" : "''") +
         ", CASE WHEN active THEN 1 ELSE 0 END, scope, provider, " +
         db_.HexOfBlob("encrypted_data") + ", created, updated FROM data_keys ";
}

Result<std::optional<DataKeyRow>> DataKeyStore::QueryOne(soci::session& session,
                                                         std::string_view where,
                                                         std::string_view param) {
  DataKeyRow row;
  int active = 0;
  std::string hex;
  std::tm created{}, updated{};
  soci::indicator label_ind = soci::i_ok;
  std::string p(param);
  try {
    session << SelectColumns() + std::string(where), soci::use(p), soci::into(row.id),
        soci::into(row.label, label_ind), soci::into(active), soci::into(row.scope),
        soci::into(row.provider), soci::into(hex), soci::into(created), soci::into(updated);
    if (!session.got_data()) return std::optional<DataKeyRow>();
  } catch (const std::exception& e) {
    return store::StatusFromException(e, "reading data_keys");
  }
  if (label_ind != soci::i_ok) row.label.clear();
  row.active = active != 0;
  auto blob = HexDecode(hex);
  if (!blob.ok()) return DataLossError("data key " + row.id + ": unreadable encrypted_data");
  row.encrypted_data = std::move(blob).value();
  row.created = FromTm(created);
  row.updated = FromTm(updated);
  return std::optional<DataKeyRow>(std::move(row));
}

Result<std::optional<DataKeyRow>> DataKeyStore::Get(std::string_view id) {
  if (!has_table_) return std::optional<DataKeyRow>();
  auto session = db_.Lease();
  return QueryOne(*session, "WHERE name = :p", id);
}

Result<std::optional<DataKeyRow>> DataKeyStore::GetCurrent(std::string_view label) {
  if (!has_label_) return std::optional<DataKeyRow>();
  auto session = db_.Lease();
  return QueryOne(*session, "WHERE label = :p AND active = " + db_.BoolLiteral(true), label);
}

Result<std::vector<DataKeyRow>> DataKeyStore::List() {
  if (!has_table_) return std::vector<DataKeyRow>();
  std::vector<std::string> ids;
  try {
    auto session = db_.Lease();
    soci::rowset<std::string> rs = (session->prepare << "SELECT name FROM data_keys ORDER BY created, name");
    for (const auto& id : rs) ids.push_back(id);
  } catch (const std::exception& e) {
    return store::StatusFromException(e, "listing data_keys");
  }
  std::vector<DataKeyRow> rows;
  for (const auto& id : ids) {
    ASSIGN_OR_RETURN(auto row, Get(id));
    if (row) rows.push_back(std::move(*row));  // deleted meanwhile: skip
  }
  return rows;
}

Status DataKeyStore::InsertLocked(soci::session& session, const DataKeyRow& row) {
  std::string hex = HexEncode(row.encrypted_data);
  std::string created = FormatDbTime(row.created), updated = FormatDbTime(row.updated);
  std::string sql = "INSERT INTO data_keys (name, " + std::string(has_label_ ? "label, " : "") +
                    "active, scope, provider, encrypted_data, created, updated) VALUES (:name, " +
                    (has_label_ ? ":label, " : "") + db_.BoolLiteral(true) +
                    ", :scope, :provider, " + db_.BlobFromHex(":data") + ", :created, :updated)";
  if (has_label_) {
    session << sql, soci::use(row.id, "name"), soci::use(row.label, "label"),
        soci::use(row.scope, "scope"), soci::use(row.provider, "provider"),
        soci::use(hex, "data"), soci::use(created, "created"), soci::use(updated, "updated");
  } else {
    session << sql, soci::use(row.id, "name"), soci::use(row.scope, "scope"),
        soci::use(row.provider, "provider"), soci::use(hex, "data"),
        soci::use(created, "created"), soci::use(updated, "updated");
  }
  return OkStatus();
}

Result<DataKeyRow> DataKeyStore::CreateIfAbsent(const DataKeyRow& row) {
  if (!row.active) return InvalidArgumentError("cannot insert deactivated data keys");
  std::optional<DataKeyRow> winner;
  auto body = [&](soci::session& session) -> Status {
    if (db_.dialect() == store::Dialect::kPostgres) {
      session << "SELECT pg_advisory_xact_lock(" + std::to_string(kCreateLockKey) + ")";
    }
    if (has_label_) {
      ASSIGN_OR_RETURN(winner, QueryOne(session, "WHERE label = :p AND active = " + db_.BoolLiteral(true), row.label));
      if (winner) return OkStatus();
    }
    Status inserted = InsertLocked(session, row);
    if (inserted.ok()) winner = row;
    return inserted;
  };
  Status s = db_.dialect() == store::Dialect::kMysql ? WithMysqlNamedLock(body)
                                                     : db_.InTransaction(body, /*write_lock=*/true);
  if (!s.ok()) return s.WithContext("creating data key");
  return *winner;
}

// MySQL's named lock belongs to the session, not the transaction: take it before BEGIN and
// release it after COMMIT so that no other creator can look between our check and our commit.
Status DataKeyStore::WithMysqlNamedLock(const std::function<Status(soci::session&)>& body) {
  try {
    auto session = db_.Lease();
    int got = 0;
    *session << "SELECT GET_LOCK('" << kMysqlLockName << "', 30)", soci::into(got);
    if (got != 1) return UnavailableError("timed out waiting for the data key creation lock");
    Status s;
    try {
      soci::transaction tx(*session);
      s = body(*session);
      if (s.ok()) tx.commit();
    } catch (...) {
      *session << "SELECT RELEASE_LOCK('" << kMysqlLockName << "')";
      throw;
    }
    *session << "SELECT RELEASE_LOCK('" << kMysqlLockName << "')";
    return s;
  } catch (const std::exception& e) {
    return store::StatusFromException(e, "data_keys");
  }
}

Status DataKeyStore::DisableAll() {
  return db_.InTransaction([&](soci::session& session) -> Status {
    session << "UPDATE data_keys SET active = " + db_.BoolLiteral(false) +
                   " WHERE active = " + db_.BoolLiteral(true);
    return OkStatus();
  });
}

Status DataKeyStore::UpdateWrapping(const DataKeyRow& row) {
  return db_.InTransaction([&](soci::session& session) -> Status {
    std::string hex = HexEncode(row.encrypted_data);
    std::string updated = FormatDbTime(row.updated);
    std::string sql = "UPDATE data_keys SET provider = :provider, encrypted_data = " +
                      db_.BlobFromHex(":data") + ", updated = :updated" +
                      (has_label_ ? ", label = :label" : "") + " WHERE name = :name";
    if (has_label_) {
      session << sql, soci::use(row.provider, "provider"), soci::use(hex, "data"),
          soci::use(updated, "updated"), soci::use(row.label, "label"), soci::use(row.id, "name");
    } else {
      session << sql, soci::use(row.provider, "provider"), soci::use(hex, "data"),
          soci::use(updated, "updated"), soci::use(row.id, "name");
    }
    return OkStatus();
  });
}

Status DataKeyStore::Delete(std::string_view id) {
  if (id.empty()) return InvalidArgumentError("data key id is missing");
  std::string p(id);
  return db_.InTransaction([&](soci::session& session) -> Status {
    session << "DELETE FROM data_keys WHERE name = :p", soci::use(p);
    return OkStatus();
  });
}

Result<std::string> DataKeyStore::ChangeToken() {
  std::string count, active, newest;
  soci::indicator active_ind = soci::i_ok, newest_ind = soci::i_ok;
  try {
    auto session = db_.Lease();
    *session << "SELECT COUNT(*), SUM(CASE WHEN active THEN 1 ELSE 0 END), MAX(updated) FROM data_keys",
        soci::into(count), soci::into(active, active_ind), soci::into(newest, newest_ind);
  } catch (const std::exception& e) {
    return store::StatusFromException(e, "checking data_keys for changes");
  }
  return count + "/" + (active_ind == soci::i_ok ? active : "0") + "/" +
         (newest_ind == soci::i_ok ? newest : "");
}

}  // namespace md::secrets
