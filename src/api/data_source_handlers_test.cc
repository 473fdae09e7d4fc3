#include "api/data_source_handlers.h"

#include "api/resource_test_env.h"
#include "crypto/storage_encoding.h"

namespace md::api {
namespace {

using nlohmann::json;

// Records the secrets it was given and answers as told.
class FakeHealthChecker : public resources::HealthChecker {
 public:
  resources::HealthResult Check(const resources::DataSource&,
                                const resources::DecryptedSecrets& secrets) const override {
    auto it = secrets.find("password");
    seen_password = it == secrets.end() ? "" : it->second.InsecureString();
    return result;
  }
  mutable std::string seen_password;
  resources::HealthResult result{true, "Data source is working"};
};

class DataSourceHandlersTest : public testing::ResourceHandlerTest {
 protected:
  void SetUp() override {
    ResourceHandlerTest::SetUp();
    if (HasFatalFailure()) return;
    store_ = std::make_unique<resources::DataSourceStore>(*process_->db);
    AddDataSourceRoutes(router_, auth_, {*store_, *process_->manager, health_, *logger_});
  }

  testing::Reply Create(const std::string& name, const std::string& secret = "pa55word") {
    return Call("POST", "/api/datasources",
                json{{"name", name}, {"type", "postgres"}, {"url", "127.0.0.1:5432"},
                     {"secureJsonData", {{"password", secret}}}}.dump());
  }

  std::unique_ptr<resources::DataSourceStore> store_;
  FakeHealthChecker health_;
};

TEST_F(DataSourceHandlersTest, CreateAnswersLikeGrafanaAndNeverReturnsTheSecret) {
  auto reply = Create("pg");
  ASSERT_EQ(reply.status, 200) << reply.raw;
  EXPECT_EQ(reply.body["message"], "Datasource added");
  EXPECT_EQ(reply.body["name"], "pg");
  EXPECT_EQ(reply.body["datasource"]["secureJsonFields"], json({{"password", true}}));
  EXPECT_EQ(reply.body["datasource"]["version"], 1);
  EXPECT_EQ(reply.raw.find("pa55word"), std::string::npos);
  auto list = Call("GET", "/api/datasources");
  ASSERT_EQ(list.status, 200);
  ASSERT_EQ(list.body.size(), 1u);
  EXPECT_FALSE(list.body[0].contains("secureJsonData"));
  const int id = reply.body["id"];
  EXPECT_EQ(Call("GET", "/api/datasources/id/pg").body, json({{"id", id}}));
  EXPECT_EQ(Call("GET", "/api/datasources/" + std::to_string(id)).body["name"], "pg");
  EXPECT_EQ(Call("GET", "/api/datasources/name/pg").body["id"], id);
}

TEST_F(DataSourceHandlersTest, ViewersReadAndOnlyEditorsWrite) {
  auth_.SetRole(OrgRole::kViewer);
  EXPECT_EQ(Create("pg").status, 403);
  EXPECT_EQ(Call("GET", "/api/datasources").status, 200);
  auth_.identity = std::optional<Identity>();
  EXPECT_EQ(Call("GET", "/api/datasources").status, 401);
}

TEST_F(DataSourceHandlersTest, UpdateMergesSecretsAndRefusesAStaleVersion) {
  const std::string uid = Create("pg").body["datasource"]["uid"];
  auto up = Call("PUT", "/api/datasources/uid/" + uid,
                 json{{"name", "pg"}, {"type", "postgres"}, {"version", 1},
                      {"secureJsonData", {{"token", "tok"}}}}.dump());
  ASSERT_EQ(up.status, 200) << up.raw;
  EXPECT_EQ(up.body["message"], "Datasource updated");
  EXPECT_EQ(up.body["datasource"]["secureJsonFields"], json({{"password", true}, {"token", true}}));
  EXPECT_EQ(up.body["datasource"]["version"], 2);
  auto stale = Call("PUT", "/api/datasources/uid/" + uid,
                    json{{"name", "pg"}, {"type", "postgres"}, {"version", 1}}.dump());
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(stale.body["message"],
            "Datasource has already been updated by someone else. Please reload and try again");
  EXPECT_EQ(Create("pg").status, 409);
}

TEST_F(DataSourceHandlersTest, BadInputIsA4xxNamingTheProblem) {
  EXPECT_EQ(Call("POST", "/api/datasources", "{not json").body["message"],
            "bad request data: the body is not valid JSON");
  EXPECT_EQ(Call("POST", "/api/datasources", R"({"type":"postgres"})").body["message"], "name is required");
  EXPECT_EQ(Call("POST", "/api/datasources", R"({"name":"x"})").body["message"], "type is required");
  auto wrong = Call("POST", "/api/datasources", R"({"name":"x","type":"t","basicAuth":"yes"})");
  EXPECT_EQ(wrong.status, 400);
  EXPECT_EQ(wrong.body["message"], "basicAuth must be a boolean");
  EXPECT_EQ(Call("POST", "/api/datasources", R"({"name":"x","type":"t","secureJsonData":{"a":1}})")
                .body["message"], "secureJsonData.a must be a string");
  EXPECT_EQ(Call("GET", "/api/datasources/abc").status, 400);
  EXPECT_EQ(Call("GET", "/api/datasources/uid/nope").status, 404);
  EXPECT_EQ(Call("DELETE", "/api/datasources/999").status, 404);
  EXPECT_TRUE(Call("GET", "/api/datasources").body.empty()) << "nothing half-written";
}

TEST_F(DataSourceHandlersTest, AnUndecryptableRowIsListedWithEmptyFieldsAndLoggedOnce) {
  const int id = Create("broken").body["id"];
  ASSERT_EQ(Create("fine").status, 200);
  const Bytes orphan = {'#', 'b', 'm', '9', 'u', 'Z', 'Q', '#', 1, 2, 3, 4, 5, 6, 7, 8};
  const std::string stored = crypto::EncodeSecureJsonMap({{"password", orphan}});
  ASSERT_TRUE(process_->db->InTransaction([&](soci::session& s) -> Status {
    s << "UPDATE data_source SET secure_json_data = :v WHERE id = " + std::to_string(id), soci::use(stored);
    return OkStatus();
  }).ok());
  for (int i = 0; i < 2; ++i) {
    auto list = Call("GET", "/api/datasources");
    ASSERT_EQ(list.status, 200);
    EXPECT_EQ(list.body[0]["name"], "broken");
    EXPECT_EQ(list.body[0]["secureJsonFields"], json::object());
    EXPECT_EQ(list.body[1]["secureJsonFields"], json({{"password", true}}));
  }
  const std::string logs = AllLogs();
  const auto first = logs.find("cannot be decrypted");
  ASSERT_NE(first, std::string::npos);
  EXPECT_EQ(logs.find("cannot be decrypted", first + 1), std::string::npos) << logs;
  EXPECT_NE(logs.find("datasource_id=" + std::to_string(id)), std::string::npos) << logs;
  EXPECT_EQ(logs.find("pa55word"), std::string::npos);
}

TEST_F(DataSourceHandlersTest, HealthHandsTheDecryptedSecretsToTheChecker) {
  const std::string uid = Create("pg", "hunter2").body["datasource"]["uid"];
  auto ok = Call("GET", "/api/datasources/uid/" + uid + "/health");
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, json({{"status", "OK"}, {"message", "Data source is working"}}));
  EXPECT_EQ(health_.seen_password, "hunter2");
  health_.result = {false, "authentication failed: HTTP 401"};
  auto bad = Call("GET", "/api/datasources/uid/" + uid + "/health");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.body["status"], "ERROR");
}

TEST_F(DataSourceHandlersTest, DeleteAnswersWithTheId) {
  const int id = Create("pg").body["id"];
  EXPECT_EQ(Call("DELETE", "/api/datasources/" + std::to_string(id)).body,
            json({{"message", "Data source deleted"}, {"id", id}}));
}

}  // namespace
}  // namespace md::api
