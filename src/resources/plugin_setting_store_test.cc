#include "resources/plugin_setting_store.h"

#include <gtest/gtest.h>

#include "resources/store_test_fixture.h"

namespace md::resources {
namespace {

class PluginSettingStoreTest : public StoreTest<PluginSettingStore> {
 protected:
  PluginSettingCommand Secrets(PlainSecrets plain) {
    PluginSettingCommand c;
    auto encrypted = EncryptSecrets(*process_->manager, plain);
    EXPECT_TRUE(encrypted.ok());
    if (encrypted.ok()) c.secrets = *encrypted;
    return c;
  }
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
