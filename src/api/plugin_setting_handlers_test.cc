#include "api/plugin_setting_handlers.h"

#include "api/resource_test_env.h"

namespace md::api {
namespace {

using nlohmann::json;

class PluginSettingHandlersTest : public testing::ResourceHandlerTest {
 protected:
  void SetUp() override {
    ResourceHandlerTest::SetUp();
    if (HasFatalFailure()) return;
    store_ = std::make_unique<resources::PluginSettingStore>(*process_->db);
    AddPluginSettingRoutes(router_, auth_, {*store_, *process_->manager, *logger_});
    auth_.SetRole(OrgRole::kAdmin);
  }
  std::unique_ptr<resources::PluginSettingStore> store_;
};

TEST_F(PluginSettingHandlersTest, PostStoresSecretsAndGetAnswersWithFieldsOnly) {
  EXPECT_EQ(Call("GET", "/api/plugins/my-app/settings").body["enabled"], false);
  auto post = Call("POST", "/api/plugins/my-app/settings",
                   json{{"enabled", true}, {"jsonData", {{"x", 1}}},
                        {"secureJsonData", {{"apiKey", "zz-top-secret"}, {"empty", ""}}}}.dump());
  ASSERT_EQ(post.status, 200) << post.raw;
  auto get = Call("GET", "/api/plugins/my-app/settings");
  EXPECT_EQ(get.body["secureJsonFields"], json({{"apiKey", true}}));
  EXPECT_EQ(get.body["jsonData"], json({{"x", 1}}));
  EXPECT_EQ(get.body["enabled"], true);
  EXPECT_EQ(get.raw.find("zz-top-secret"), std::string::npos);
  ASSERT_EQ(Call("POST", "/api/plugins/my-app/settings", json{{"secureJsonData", {{"other", "o"}}}}.dump()).status, 200);
  EXPECT_EQ(Call("GET", "/api/plugins/my-app/settings").body["secureJsonFields"],
            json({{"apiKey", true}, {"other", true}}));
}

TEST_F(PluginSettingHandlersTest, BadInputAndRolesAreRefused) {
  EXPECT_EQ(Call("POST", "/api/plugins/my-app/settings", "[]").status, 400);
  EXPECT_EQ(Call("POST", "/api/plugins/my-app/settings", R"({"enabled":"yes"})").body["message"],
            "enabled must be a boolean");
  EXPECT_EQ(Call("GET", "/api/plugins/bad%20id/settings").status, 400);
  auth_.SetRole(OrgRole::kEditor);
  EXPECT_EQ(Call("POST", "/api/plugins/my-app/settings", "{}").status, 403);
  EXPECT_EQ(Call("GET", "/api/plugins/my-app/settings").status, 200);
}

}  // namespace
}  // namespace md::api
