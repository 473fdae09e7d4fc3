// Database on every dialect (the DatabaseTest pattern from testing/test_database.h).
#include "store/database.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "store/testing/test_database.h"

namespace md::store {
namespace {

using testing::DatabaseTest;

class StoreDatabaseTest : public DatabaseTest {
 protected:
  // A value that identifies the server connection behind a session.
  std::string ConnectionId(soci::session& session) {
    std::string id;
    switch (db().dialect()) {
      case Dialect::kSqlite:
        return std::to_string(reinterpret_cast<uintptr_t>(session.get_backend()));
      case Dialect::kPostgres:
        session << "SELECT CAST(pg_backend_pid() AS TEXT)", soci::into(id);
        break;
      case Dialect::kMysql:
        session << "SELECT CAST(CONNECTION_ID() AS CHAR)", soci::into(id);
        break;
    }
    return id;
  }

  Status InsertLock(soci::session& session, const std::string& name) {
    session << "INSERT INTO md_operation_lock (name, holder, acquired, heartbeat) VALUES (:n, 'h', "
            << db().NowLiteral() << ", " << db().NowLiteral() << ")",
        soci::use(name);
    return OkStatus();
  }

  int CountLocks(soci::session& session) {
    int count = 0;
    session << "SELECT count(*) FROM md_operation_lock", soci::into(count);
    return count;
  }
};

TEST_P(StoreDatabaseTest, PingSucceeds) { EXPECT_TRUE(db().Ping().ok()); }

TEST_P(StoreDatabaseTest, PoolHoldsMaxOpenConnDistinctSessionsAndBlocksBeyond) {
  ASSERT_EQ(db().pool_size(), 4u);
  std::vector<LeasedSession> leased;
  std::set<std::string> connections;
  for (int i = 0; i < 4; ++i) {
    leased.push_back(db().Lease());
    connections.insert(ConnectionId(*leased.back()));
  }
  EXPECT_EQ(connections.size(), 4u);

  std::atomic<bool> got_fifth{false};
  std::thread fifth([&] {
    auto session = db().Lease();
    got_fifth = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_FALSE(got_fifth.load()) << "a fifth session was leased from a pool of four";
  leased.pop_back();
  fifth.join();
  EXPECT_TRUE(got_fifth.load());
}

TEST_P(StoreDatabaseTest, BlobWithNulsAndFfRoundTripsThroughHex) {
  const std::string hex = "00ff0001fe7f80000000ffff00100203";  // 16 bytes
  const std::string empty;
  auto session = db().Lease();
  for (const std::string& value : {hex, empty}) {
    const std::string id = "k" + std::to_string(value.size());
    *session << "INSERT INTO data_keys (name, label, active, scope, provider, encrypted_data, "
                "created, updated) VALUES (:id, 'l', "
             << db().BoolLiteral(true) << ", 'root', 'secretKey.v1', " << db().BlobFromHex(":b")
             << ", " << db().NowLiteral() << ", " << db().NowLiteral() << ")",
        soci::use(id), soci::use(value);
    std::string read;
    soci::indicator ind = soci::i_ok;
    int length = -1;
    const std::string length_fn = db().dialect() == Dialect::kPostgres ? "octet_length" : "length";
    *session << "SELECT " << db().HexOfBlob("encrypted_data") << ", " << length_fn
             << "(encrypted_data) FROM data_keys WHERE name = :id",
        soci::use(id), soci::into(read, ind), soci::into(length);
    std::transform(read.begin(), read.end(), read.begin(), ::tolower);
    EXPECT_EQ(read, value);
    EXPECT_EQ(length, static_cast<int>(value.size() / 2));
  }
}

TEST_P(StoreDatabaseTest, TransactionCommitsWhenFnReturnsOk) {
  ASSERT_TRUE(db().InTransaction([&](soci::session& s) { return InsertLock(s, "a"); }).ok());
  auto session = db().Lease();
  EXPECT_EQ(CountLocks(*session), 1);
}

TEST_P(StoreDatabaseTest, TransactionRollsBackWhenFnFails) {
  Status status = db().InTransaction([&](soci::session& s) {
    Status inserted = InsertLock(s, "a");
    return inserted.ok() ? DataLossError("after the insert") : inserted;
  });
  EXPECT_EQ(status.code(), StatusCode::kDataLoss);
  auto session = db().Lease();
  EXPECT_EQ(CountLocks(*session), 0);
}

TEST_P(StoreDatabaseTest, TransactionRollsBackAndConvertsADriverException) {
  Status status = db().InTransaction([&](soci::session& s) {
    Status inserted = InsertLock(s, "a");
    s << "SELECT no_such_column FROM md_operation_lock";
    return inserted;
  });
  EXPECT_EQ(status.code(), StatusCode::kInternal) << status.ToString();
  EXPECT_NE(status.message().find("no_such_column"), std::string::npos) << status.message();
  auto session = db().Lease();
  EXPECT_EQ(CountLocks(*session), 0);
}

TEST_P(StoreDatabaseTest, DuplicateKeyIsAlreadyExists) {
  ASSERT_TRUE(db().InTransaction([&](soci::session& s) { return InsertLock(s, "a"); }).ok());
  Status status = db().InTransaction([&](soci::session& s) { return InsertLock(s, "a"); });
  EXPECT_EQ(status.code(), StatusCode::kAlreadyExists) << status.ToString();
}

// Two "processes" each check that a row is missing and then insert it; with the write lock the
// second sees the first's row, so neither fails and there is one row.
TEST_P(StoreDatabaseTest, WriteLockSerialisesCheckThenInsertAcrossPools) {
  std::unique_ptr<Database> other = OpenAnother();
  ASSERT_NE(other, nullptr);
  std::atomic<int> inserted{0};
  auto check_then_insert = [&](Database& database) {
    return database.InTransaction(
        [&](soci::session& s) {
          int count = 0;
          s << "SELECT count(*) FROM md_operation_lock WHERE name = 'x'", soci::into(count);
          std::this_thread::sleep_for(std::chrono::milliseconds(100));
          if (count == 0) {
            ++inserted;
            return InsertLock(s, "x");
          }
          return OkStatus();
        },
        /*write_lock=*/true);
  };
  Status first;
  Status second;
  std::thread a([&] { first = check_then_insert(db()); });
  std::thread b([&] { second = check_then_insert(*other); });
  a.join();
  b.join();
  EXPECT_TRUE(first.ok()) << first.ToString();
  EXPECT_TRUE(second.ok()) << second.ToString();
  EXPECT_EQ(inserted.load(), 1);
}

TEST_P(StoreDatabaseTest, TableAndColumnExistence) {
  auto session = db().Lease();
  EXPECT_TRUE(db().TableExists(*session, "data_keys"));
  EXPECT_TRUE(db().TableExists(*session, "user"));
  EXPECT_FALSE(db().TableExists(*session, "no_such_table"));
  EXPECT_TRUE(db().ColumnExists(*session, "data_keys", "label"));
  EXPECT_TRUE(db().ColumnExists(*session, "user", "is_service_account"));
  EXPECT_FALSE(db().ColumnExists(*session, "data_keys", "no_such_column"));
  EXPECT_FALSE(db().ColumnExists(*session, "no_such_table", "label"));
  EXPECT_TRUE(db().IndexExists(*session, "data_source", "UQE_data_source_org_id_name"));
  EXPECT_FALSE(db().IndexExists(*session, "data_source", "IDX_nothing"));
}

TEST_P(StoreDatabaseTest, QuotedReservedWordsWork) {
  auto session = db().Lease();
  *session << "INSERT INTO " << db().Quote("user") << " (version, login, email, org_id, is_admin, "
           << "created, updated) VALUES (0, 'admin', 'admin@localhost', 1, "
           << db().BoolLiteral(true) << ", " << db().NowLiteral() << ", " << db().NowLiteral()
           << ")";
  int admins = 0;
  *session << "SELECT count(*) FROM " << db().Quote("user") << " WHERE is_admin = "
           << db().BoolLiteral(true),
      soci::into(admins);
  EXPECT_EQ(admins, 1);
}

INSTANTIATE_TEST_SUITE_P(AllDialects, StoreDatabaseTest, testing::AllDialects(),
                         testing::DialectTestName);

}  // namespace
}  // namespace md::store
