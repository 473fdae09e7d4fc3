// Connection-string helpers and clean errors for unreachable servers (no server needed).
#include "store/connectors.h"

#include <gtest/gtest.h>

#include "store/database.h"

namespace md::store {
namespace {

TEST(StoreConnectorsTest, SplitsHostAndPort) {
  std::string host;
  std::string port;
  internal::SplitHostPort("db.example:5433", host, port);
  EXPECT_EQ(host, "db.example");
  EXPECT_EQ(port, "5433");
  internal::SplitHostPort("db.example", host, port);
  EXPECT_EQ(host, "db.example");
  EXPECT_EQ(port, "");
  internal::SplitHostPort("[::1]:5432", host, port);
  EXPECT_EQ(host, "::1");
  EXPECT_EQ(port, "5432");
  internal::SplitHostPort("/var/run/mysqld/mysqld.sock", host, port);
  EXPECT_EQ(host, "/var/run/mysqld/mysqld.sock");
  EXPECT_EQ(port, "");
}

TEST(StoreConnectorsTest, OneLineJoinsLinesAndHidesTheSecret) {
  EXPECT_EQ(internal::OneLine("first\nsecond: hunter2\n", "hunter2"), "first; second: ***");
  EXPECT_EQ(internal::OneLine("Cannot establish connection to the database.\nrefused\n\tIs it up?\n", ""),
            "refused; Is it up?");
  EXPECT_EQ(internal::PoolSize(0), 1u);
  EXPECT_EQ(internal::PoolSize(8), 8u);
}

TEST(StoreConnectorsTest, UnknownTypeIsInvalidArgument) {
  config::DatabaseSettings settings;
  settings.type = "oracle";
  auto opened = Database::Open(settings);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kInvalidArgument);
}

class StoreUnreachableTest : public ::testing::TestWithParam<std::string> {};

// Port 1 on loopback refuses connections: Open must fail fast with one clean line.
TEST_P(StoreUnreachableTest, OpenReturnsOneLineUnavailableWithoutThePassword) {
  config::DatabaseSettings settings;
  settings.type = GetParam();
  settings.host = "127.0.0.1:1";
  settings.name = "grafana_prod";
  settings.user = "grafana";
  settings.password = "s3cret-Pa55";
  auto opened = Database::Open(settings);
  ASSERT_FALSE(opened.ok());
  const std::string& message = opened.status().message();
  EXPECT_EQ(opened.status().code(), StatusCode::kUnavailable) << message;
  EXPECT_NE(message.find(GetParam()), std::string::npos) << message;
  EXPECT_NE(message.find("grafana_prod"), std::string::npos) << message;
  EXPECT_NE(message.find("127.0.0.1:1"), std::string::npos) << message;
  EXPECT_EQ(message.find("s3cret-Pa55"), std::string::npos) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
}

INSTANTIATE_TEST_SUITE_P(Servers, StoreUnreachableTest, ::testing::Values("postgres", "mysql"));

}  // namespace
}  // namespace md::store
