#include "resources/plugin_setting_store.h"

#include <gtest/gtest.h>

#include "secrets/secrets_test_env.h"
#include "store/testing/test_database.h"

namespace md::resources {
namespace {

class PluginSettingStoreTest : public store::testing::DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    if (IsSkipped() || HasFailure()) return;
    process_ = secrets::StartProcess(test_database().settings());
    ASSERT_NE(process_, nullptr);
    store_ = std::make_unique<PluginSettingStore>(*process_->db);
  }

  PluginSettingCommand Secrets(PlainSecrets plain) {
    PluginSettingCommand c;
    auto encrypted = EncryptSecrets(*process_->manager, plain);
    EXPECT_TRUE(encrypted.ok());
    if (encrypted.ok()) c.secrets = *encrypted;
    return c;
  }

  std::unique_ptr<secrets::TestProcess> process_;
  std::unique_ptr<PluginSettingStore> store_;
};

TEST_P(PluginSettingStoreTest, SaveCreatesThenMergesAndKeepsUnsentFields) {
  EXPECT_FALSE(store_->Get(1, "my-app")->has_value());
  auto first = Secrets({{"apiKey", "k1"}, {"token", "t1"}});
  first.enabled = true;
  first.json_data = R"({"a":1})";
  ASSERT_TRUE(store_->Save(1, "my-app", first).ok());
  auto second = Secrets({{"token", ""}});
  second.pinned = true;
  auto saved = store_->Save(1, "my-app", second);
  ASSERT_TRUE(saved.ok()) << saved.status().ToString();
  auto read = store_->Get(1, "my-app");
  ASSERT_TRUE(read.ok() && read->has_value());
  const PluginSetting& s = **read;
  EXPECT_TRUE(s.enabled);
  EXPECT_TRUE(s.pinned);
  EXPECT_EQ(s.json_data, R"({"a":1})");
  auto fields = ComputeSecureJsonFields(*process_->manager, s.secure_json_data);
  EXPECT_EQ(fields.fields, (std::map<std::string, bool>{{"apiKey", true}}));
  EXPECT_EQ(DecryptSecureJson(*process_->manager, s.secure_json_data)->at("apiKey").InsecureString(), "k1");
  EXPECT_FALSE(store_->Get(2, "my-app")->has_value());
}

INSTANTIATE_TEST_SUITE_P(AllDialects, PluginSettingStoreTest, store::testing::AllDialects(),
                         store::testing::DialectTestName);

}  // namespace
}  // namespace md::resources
