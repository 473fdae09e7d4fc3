#include "api/contact_point_handlers.h"

#include "api/resource_test_env.h"
#include "common/encoding.h"
#include "kms/http/fake_http_client.h"

namespace md::api {
namespace {

using nlohmann::json;

class ContactPointHandlersTest : public testing::ResourceHandlerTest {
 protected:
  void SetUp() override {
    ResourceHandlerTest::SetUp();
    if (HasFatalFailure()) return;
    store_ = std::make_unique<resources::ContactPointStore>(*process_->db);
    AddContactPointRoutes(router_, auth_, {*store_, *process_->manager, http_, *logger_});
  }

  testing::Reply CreateWebhook() {
    return Call("POST", "/api/v1/provisioning/contact-points",
                json{{"name", "ops"}, {"type", "webhook"},
                     {"settings", {{"url", "http://127.0.0.1:9/hook"}, {"username", "alert"},
                                   {"password", "webhook-pw-42"}}}}.dump());
  }

  std::unique_ptr<resources::ContactPointStore> store_;
  kms::http::FakeHttpClient http_;
};

TEST_F(ContactPointHandlersTest, SecretsAreRedactedOnReadAndKeptWhenSentBackRedacted) {
  auto created = CreateWebhook();
  ASSERT_EQ(created.status, 202) << created.raw;
  EXPECT_EQ(created.body["settings"]["password"], "[REDACTED]");
  EXPECT_EQ(created.raw.find("webhook-pw-42"), std::string::npos);
  const std::string uid = created.body["uid"];
  json body = created.body;
  body["settings"]["url"] = "http://127.0.0.1:9/other";
  auto put = Call("PUT", "/api/v1/provisioning/contact-points/" + uid, body.dump());
  ASSERT_EQ(put.status, 202) << put.raw;
  auto list = Call("GET", "/api/v1/provisioning/contact-points");
  ASSERT_EQ(list.body.size(), 1u);
  EXPECT_EQ(list.body[0]["settings"]["url"], "http://127.0.0.1:9/other");
  EXPECT_EQ(list.body[0]["settings"]["password"], "[REDACTED]");
}

TEST_F(ContactPointHandlersTest, TestSendUsesTheDecryptedPasswordAndReportsFailures) {
  const std::string uid = CreateWebhook().body["uid"];
  http_.PushResponse(200, "ok");
  auto ok = Call("POST", "/api/v1/provisioning/contact-points/" + uid + "/test");
  ASSERT_EQ(ok.status, 200) << ok.raw;
  ASSERT_EQ(http_.RequestCount(), 1u);
  const auto& sent = http_.Request(0);
  EXPECT_EQ(sent.url, "http://127.0.0.1:9/hook");
  EXPECT_EQ(sent.headers.back().second, "Basic " + Base64EncodePadded(AsBytes("alert:webhook-pw-42")));
  http_.PushResponse(401, "no");
  auto denied = Call("POST", "/api/v1/provisioning/contact-points/" + uid + "/test");
  EXPECT_EQ(denied.status, 400);
  EXPECT_EQ(denied.body["message"], "webhook authentication failed: HTTP 401");
}

TEST_F(ContactPointHandlersTest, BadInputAndUnknownUidsAre4xx) {
  EXPECT_EQ(Call("POST", "/api/v1/provisioning/contact-points", "{").status, 400);
  EXPECT_EQ(Call("POST", "/api/v1/provisioning/contact-points", R"({"name":"a"})").body["message"], "type is required");
  EXPECT_EQ(Call("POST", "/api/v1/provisioning/contact-points",
                 R"({"name":"a","type":"webhook","settings":{"password":5}})").body["message"],
            "settings.password must be a string");
  EXPECT_EQ(Call("DELETE", "/api/v1/provisioning/contact-points/nope").status, 404);
  EXPECT_EQ(Call("POST", "/api/v1/provisioning/contact-points/nope/test").status, 404);
  EXPECT_TRUE(Call("GET", "/api/v1/provisioning/contact-points").body.empty());
}

}  // namespace
}  // namespace md::api
