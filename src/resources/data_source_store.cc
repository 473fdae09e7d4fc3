#include "resources/data_source_store.h"

#include <openssl/rand.h>

#include <array>
#include <cstdlib>

namespace md::resources {
namespace {

constexpr char kNotFound[] = "Data source not found";
constexpr char kNameTaken[] = "data source with the same name already exists";
constexpr char kUidTaken[] = "data source with the same uid already exists";
constexpr char kStale[] =
    "Datasource has already been updated by someone else. Please reload and try again";

std::string Columns(const store::Database& db) {
  auto flag = [](const char* c) { return std::string("CASE WHEN ") + c + " THEN 1 ELSE 0 END"; };
  return "id, org_id, uid, name, type, access, url, COALESCE(" + db.Quote("user") + ", ''), COALESCE(" +
         db.Quote("database") + ", ''), " + flag("basic_auth") + ", COALESCE(basic_auth_user, ''), " +
         flag("with_credentials") + ", " + flag("is_default") +
         ", COALESCE(json_data, ''), COALESCE(secure_json_data, ''), version, " + flag("read_only");
}

// The columns of one fetched row, bound once to a statement.
struct RowBuffer {
  long long id = 0, org_id = 0;
  int basic_auth = 0, with_credentials = 0, is_default = 0, version = 0, read_only = 0;
  DataSource ds;

  void Bind(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(org_id));
    for (std::string* s : {&ds.uid, &ds.name, &ds.type, &ds.access, &ds.url, &ds.user, &ds.database}) {
      st.exchange(soci::into(*s));
    }
    st.exchange(soci::into(basic_auth));
    st.exchange(soci::into(ds.basic_auth_user));
    st.exchange(soci::into(with_credentials));
    st.exchange(soci::into(is_default));
    st.exchange(soci::into(ds.json_data));
    st.exchange(soci::into(ds.secure_json_data));
    st.exchange(soci::into(version));
    st.exchange(soci::into(read_only));
  }

  DataSource Take() const {
    DataSource out = ds;
    out.id = id;
    out.org_id = org_id;
    out.basic_auth = basic_auth != 0;
    out.with_credentials = with_credentials != 0;
    out.is_default = is_default != 0;
    out.version = version;
    out.read_only = read_only != 0;
    if (out.json_data.empty()) out.json_data = "{}";
    return out;
  }
};

std::string WhereKey(const DataSourceKey& key) {
  return key.uid.empty() ? "id = " + std::to_string(key.id) : "uid = :p";
}

}  // namespace

std::string GenerateUid() {
  static constexpr char kAlphabet[] =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::array<unsigned char, 14> random{};
  if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) {
    std::abort();  // the CSPRNG failing is a broken invariant (STYLE.md §5.3)
  }
  std::string uid;
  for (unsigned char byte : random) {
    uid.push_back(kAlphabet[byte % 62]);
  }
  return uid;
}

Result<std::vector<DataSource>> DataSourceStore::Query(soci::session& session, const std::string& where,
                                                       int64_t org_id, const std::string& param) {
  const std::string sql = "SELECT " + Columns(db_) + " FROM data_source WHERE org_id = " +
                          std::to_string(org_id) + (where.empty() ? "" : " AND " + where) +
                          " ORDER BY name";
  std::vector<DataSource> out;
  try {
    RowBuffer row;
    std::string p = param;
    soci::statement st(session);
    st.alloc();
    st.prepare(sql);
    row.Bind(st);
    if (where.find(":p") != std::string::npos) st.exchange(soci::use(p));
    st.define_and_bind();
    st.execute(false);
    while (st.fetch()) out.push_back(row.Take());
  } catch (const std::exception& e) {
    return store::StatusFromException(e, "reading data_source");
  }
  return out;
}

Result<std::vector<DataSource>> DataSourceStore::List(int64_t org_id) {
  auto session = db_.Lease();
  return Query(*session, "", org_id, "");
}

Result<DataSource> DataSourceStore::GetIn(soci::session& session, int64_t org_id,
                                          const DataSourceKey& key) {
  ASSIGN_OR_RETURN(auto rows, Query(session, WhereKey(key), org_id, key.uid));
  if (rows.empty()) return NotFoundError(kNotFound);
  return rows.front();
}

Result<DataSource> DataSourceStore::Get(int64_t org_id, const DataSourceKey& key) {
  auto session = db_.Lease();
  return GetIn(*session, org_id, key);
}

Result<DataSource> DataSourceStore::GetByName(int64_t org_id, std::string_view name) {
  auto session = db_.Lease();
  ASSIGN_OR_RETURN(auto rows, Query(*session, "name = :p", org_id, std::string(name)));
  if (rows.empty()) return NotFoundError(kNotFound);
  return rows.front();
}

Status DataSourceStore::CheckUnique(soci::session& session, int64_t org_id, const DataSource& ds,
                                    int64_t self_id) {
  ASSIGN_OR_RETURN(auto by_name, Query(session, "name = :p", org_id, ds.name));
  if (!by_name.empty() && by_name.front().id != self_id) return AlreadyExistsError(kNameTaken);
  ASSIGN_OR_RETURN(auto by_uid, Query(session, "uid = :p", org_id, ds.uid));
  if (!by_uid.empty() && by_uid.front().id != self_id) return AlreadyExistsError(kUidTaken);
  return OkStatus();
}

Status DataSourceStore::Insert(soci::session& session, const DataSource& ds) {
  const std::string sql =
      "INSERT INTO data_source (org_id, version, type, name, access, url, " + db_.Quote("user") + ", " +
      db_.Quote("database") + ", basic_auth, basic_auth_user, is_default, json_data, created, updated, "
      "with_credentials, secure_json_data, read_only, uid) VALUES (" + std::to_string(ds.org_id) +
      ", " + std::to_string(ds.version) + ", :type, :name, :access, :url, :usr, :db, " +
      db_.BoolLiteral(ds.basic_auth) + ", :bau, " + db_.BoolLiteral(ds.is_default) + ", :jd, " +
      db_.NowLiteral() + ", " + db_.NowLiteral() + ", " + db_.BoolLiteral(ds.with_credentials) +
      ", :sjd, " + db_.BoolLiteral(ds.read_only) + ", :uid)";
  session << sql, soci::use(ds.type, "type"), soci::use(ds.name, "name"),
      soci::use(ds.access, "access"), soci::use(ds.url, "url"), soci::use(ds.user, "usr"),
      soci::use(ds.database, "db"), soci::use(ds.basic_auth_user, "bau"),
      soci::use(ds.json_data, "jd"), soci::use(ds.secure_json_data, "sjd"), soci::use(ds.uid, "uid");
  return OkStatus();
}

Status DataSourceStore::Write(soci::session& session, const DataSource& ds) {
  const std::string sql =
      "UPDATE data_source SET version = " + std::to_string(ds.version) +
      ", type = :type, name = :name, access = :access, url = :url, " + db_.Quote("user") +
      " = :usr, " + db_.Quote("database") + " = :db, basic_auth = " + db_.BoolLiteral(ds.basic_auth) +
      ", basic_auth_user = :bau, is_default = " + db_.BoolLiteral(ds.is_default) +
      ", json_data = :jd, updated = " + db_.NowLiteral() +
      ", with_credentials = " + db_.BoolLiteral(ds.with_credentials) +
      ", secure_json_data = :sjd, uid = :uid WHERE id = " + std::to_string(ds.id);
  session << sql, soci::use(ds.type, "type"), soci::use(ds.name, "name"),
      soci::use(ds.access, "access"), soci::use(ds.url, "url"), soci::use(ds.user, "usr"),
      soci::use(ds.database, "db"), soci::use(ds.basic_auth_user, "bau"),
      soci::use(ds.json_data, "jd"), soci::use(ds.secure_json_data, "sjd"), soci::use(ds.uid, "uid");
  return OkStatus();
}

Result<DataSource> DataSourceStore::Create(int64_t org_id, const DataSourceCommand& command) {
  DataSource ds = command.fields;
  ds.org_id = org_id;
  ds.version = 1;
  if (ds.uid.empty()) ds.uid = GenerateUid();
  ASSIGN_OR_RETURN(ds.secure_json_data, MergeSecureJson("", command.secrets));
  std::optional<DataSource> created;
  Status s = db_.InTransaction([&](soci::session& session) -> Status {
    if (Status u = CheckUnique(session, org_id, ds, 0); !u.ok()) return u;
    if (Status i = Insert(session, ds); !i.ok()) return i;
    ASSIGN_OR_RETURN(created, GetIn(session, org_id, DataSourceKey{0, ds.uid}));
    return OkStatus();
  }, /*write_lock=*/true);
  if (!s.ok()) return s;
  return *created;
}

Result<DataSource> DataSourceStore::Update(int64_t org_id, const DataSourceKey& key,
                                           const DataSourceCommand& command) {
  std::optional<DataSource> updated;
  Status s = db_.InTransaction([&](soci::session& session) -> Status {
    ASSIGN_OR_RETURN(DataSource existing, GetIn(session, org_id, key));
    if (command.version && *command.version < existing.version) return AlreadyExistsError(kStale);
    DataSource ds = command.fields;
    ds.id = existing.id;
    ds.org_id = org_id;
    ds.read_only = existing.read_only;
    ds.version = existing.version + 1;
    if (ds.uid.empty()) ds.uid = existing.uid;
    ASSIGN_OR_RETURN(ds.secure_json_data, MergeSecureJson(existing.secure_json_data, command.secrets));
    if (Status u = CheckUnique(session, org_id, ds, ds.id); !u.ok()) return u;
    if (Status w = Write(session, ds); !w.ok()) return w;
    updated = ds;
    return OkStatus();
  }, /*write_lock=*/true);
  if (!s.ok()) return s;
  return *updated;
}

Result<DataSource> DataSourceStore::Delete(int64_t org_id, const DataSourceKey& key) {
  std::optional<DataSource> deleted;
  Status s = db_.InTransaction([&](soci::session& session) -> Status {
    ASSIGN_OR_RETURN(deleted, GetIn(session, org_id, key));
    session << "DELETE FROM data_source WHERE id = " + std::to_string(deleted->id);
    return OkStatus();
  }, /*write_lock=*/true);
  if (!s.ok()) return s;
  return *deleted;
}

}  // namespace md::resources
