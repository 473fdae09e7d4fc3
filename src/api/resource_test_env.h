// Test pieces for the resource handlers: a fake Authenticator, a migrated SQLite database with a
// secrets manager, and a way to call a route of a Router without a socket.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "api/auth_guard.h"
#include "api/router.h"
#include "logging/logger.h"
#include "secrets/secrets_test_env.h"
#include "store/testing/test_database.h"

namespace md::api::testing {

// Answers with whatever identity the test sets (an Editor of org 1 by default).
class FakeAuthenticator : public Authenticator {
 public:
  Result<std::optional<Identity>> Authenticate(const httplib::Request&) const override { return identity; }
  void SetRole(OrgRole role) { identity = std::optional<Identity>(Identity{7, 1, "tester", role}); }
  Result<std::optional<Identity>> identity = std::optional<Identity>(Identity{7, 1, "tester", OrgRole::kEditor});
};

struct Reply {
  int status = 0;
  nlohmann::json body;
  std::string raw;
};

class ResourceHandlerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = store::testing::TestDatabase::Create(store::Dialect::kSqlite);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    test_db_ = std::make_unique<store::testing::TestDatabase>(std::move(db).value());
    process_ = secrets::StartProcess(test_db_->settings());
    ASSERT_NE(process_, nullptr);
    logger_ = logging::Logger::NewForTest(logging::Format::kLogfmt, logging::Level::kDebug, &log_);
  }

  Reply Call(const std::string& method, const std::string& path, const std::string& body = "") {
    httplib::Request http;
    http.method = method;
    http.path = path;
    http.body = body;
    auto match = router_.Find(method, path);
    if (match.outcome != Router::Outcome::kFound) return Reply{404, nullptr, ""};
    Request req{http, match.params};
    Response res;
    (*match.handler)(req, res);
    Reply reply{res.status, nlohmann::json::parse(res.body, nullptr, false), res.body};
    return reply;
  }

  std::string AllLogs() const {
    std::string all;
    for (const auto& line : log_) all += line + "\n";
    return all;
  }

  std::unique_ptr<store::testing::TestDatabase> test_db_;
  std::unique_ptr<secrets::TestProcess> process_;
  std::vector<std::string> log_;
  std::unique_ptr<logging::Logger> logger_;
  FakeAuthenticator auth_;
  Router router_;
};

}  // namespace md::api::testing
