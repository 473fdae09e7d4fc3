// SQLite sessions: one file, WAL journal, a busy timeout, synchronous=NORMAL, foreign keys on, and
// the md_unhex() function that Database::BlobFromHex relies on.
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>

#include "store/soci.h"  // before any other SOCI header
#include <soci/sqlite3/soci-sqlite3.h>

#include "common/encoding.h"
#include "store/connectors.h"
#include "store/database.h"

namespace md::store::internal {
namespace {

namespace sq = ::sqlite_api;

// md_unhex(text) -> blob: NULL stays NULL; malformed hex is an SQL error.
void Unhex(sq::sqlite3_context* context, int /*argc*/, sq::sqlite3_value** argv) {
  if (sq::sqlite3_value_type(argv[0]) == SQLITE_NULL) {
    sq::sqlite3_result_null(context);
    return;
  }
  const unsigned char* text = sq::sqlite3_value_text(argv[0]);
  const int length = sq::sqlite3_value_bytes(argv[0]);
  Result<Bytes> bytes =
      HexDecode(std::string_view(reinterpret_cast<const char*>(text), static_cast<size_t>(length)));
  if (!bytes.ok()) {
    sq::sqlite3_result_error(context, "md_unhex: argument is not a hex string", -1);
    return;
  }
  if (bytes->empty()) {
    sq::sqlite3_result_zeroblob(context, 0);
    return;
  }
  void* copy = sq::sqlite3_malloc64(bytes->size());
  if (copy == nullptr) {
    sq::sqlite3_result_error_nomem(context);
    return;
  }
  std::copy(bytes->begin(), bytes->end(), static_cast<uint8_t*>(copy));
  sq::sqlite3_result_blob64(context, copy, bytes->size(), sq::sqlite3_free);
}

void ConfigureSession(soci::session& session, const config::DatabaseSettings& settings) {
  session << "PRAGMA busy_timeout = " << settings.busy_timeout.count();
  std::string mode;
  session << "PRAGMA journal_mode = WAL", soci::into(mode);
  if (mode != "wal") {
    throw soci::soci_error("cannot switch the journal to WAL (journal_mode is " + mode + ")");
  }
  session << "PRAGMA synchronous = NORMAL";
  session << "PRAGMA foreign_keys = ON";
  auto* backend = static_cast<soci::sqlite3_session_backend*>(session.get_backend());
  const int rc = sq::sqlite3_create_function_v2(backend->conn_, "md_unhex", 1,
                                                SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
                                                &Unhex, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) {
    throw soci::soci_error("cannot register md_unhex: " + std::string(sq::sqlite3_errstr(rc)));
  }
}

// SOCI's sqlite3 connect string: a path with spaces must be double-quoted.
std::string ConnectString(const std::string& path) {
  if (path.find_first_of(" \t\"") == std::string::npos) {
    return "db=" + path;
  }
  std::string quoted = "db=\"";
  for (char c : path) {
    if (c == '"') {
      quoted += '\\';
    }
    quoted += c;
  }
  return quoted + "\"";
}

}  // namespace

Result<OpenedPool> OpenSqlitePool(const config::DatabaseSettings& settings) {
  if (settings.path.empty()) {
    return InvalidArgumentError("[database] path is empty for type sqlite3");
  }
  OpenedPool opened;
  opened.description = "sqlite3 database " + settings.path;
  const std::filesystem::path parent = std::filesystem::path(settings.path).parent_path();
  if (!parent.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(parent, ec);
    if (ec) {
      return UnavailableError("cannot create the directory of " + opened.description + ": " +
                              ec.message());
    }
  }
  opened.size = PoolSize(settings.max_open_conn);
  opened.pool = std::make_unique<soci::connection_pool>(opened.size);
  try {
    for (std::size_t i = 0; i < opened.size; ++i) {
      soci::session& session = opened.pool->at(i);
      session.open(soci::sqlite3, ConnectString(settings.path));
      ConfigureSession(session, settings);
    }
  } catch (const std::exception& e) {
    return UnavailableError("cannot open " + opened.description + ": " + OneLine(e.what(), ""));
  }
  return opened;
}

}  // namespace md::store::internal
