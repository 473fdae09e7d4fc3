#include "resources/contact_point_store.h"

#include <gtest/gtest.h>

#include "resources/store_test_fixture.h"

namespace md::resources {
namespace {

using nlohmann::json;

class ContactPointStoreTest : public StoreTest<ContactPointStore> {
 protected:
  ContactPointCommand Webhook(const std::string& name, PlainSecrets secrets) {
    ContactPointCommand c;
    c.name = name;
    c.type = "webhook";
    c.settings = {{"url", "http://127.0.0.1:9/hook"}, {"username", "alert"}};
    auto encrypted = EncryptSecrets(*process_->manager, secrets);
    EXPECT_TRUE(encrypted.ok());
    if (encrypted.ok()) c.secrets = *encrypted;
    return c;
  }

  std::string StoredConfig() {
    std::string text;
    *process_->db->Lease() << "SELECT alertmanager_configuration FROM alert_configuration WHERE org_id = 1",
        soci::into(text);
    return text;
  }
};

TEST_P(ContactPointStoreTest, CreateStoresSecureSettingsInsideTheAlertmanagerConfiguration) {
  EXPECT_TRUE(store_->List(1)->empty());
  auto cp = store_->Create(1, Webhook("hooks", {{"password", "pw-123"}}));
  ASSERT_TRUE(cp.ok()) << cp.status().ToString();
  const json config = json::parse(StoredConfig());
  EXPECT_EQ(config["alertmanager_config"]["route"]["receiver"], "default");
  const json& receivers = config["alertmanager_config"]["receivers"];
  ASSERT_EQ(receivers.size(), 2u);
  const json& integration = receivers[1]["grafana_managed_receiver_configs"][0];
  EXPECT_EQ(integration["uid"], cp->uid);
  EXPECT_EQ(integration["settings"], json({{"url", "http://127.0.0.1:9/hook"}, {"username", "alert"}}));
  const std::string stored = integration["secureSettings"]["password"];
  EXPECT_EQ(stored[0], 'I') << "padded base64 of an envelope blob";
  EXPECT_EQ(StoredConfig().find("pw-123"), std::string::npos);
  auto read = store_->Get(1, cp->uid);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(DecryptSecrets(*process_->manager, read->secure_settings)->at("password").InsecureString(), "pw-123");
}

TEST_P(ContactPointStoreTest, UpdateKeepsUnsentSecretsAndDeleteRemovesTheIntegration) {
  auto cp = store_->Create(1, Webhook("hooks", {{"password", "pw"}, {"authorization_credentials", "c"}}));
  ASSERT_TRUE(cp.ok());
  auto command = Webhook("renamed", {});
  command.cleared.insert("authorization_credentials");
  auto up = store_->Update(1, cp->uid, command);
  ASSERT_TRUE(up.ok()) << up.status().ToString();
  EXPECT_EQ(up->name, "renamed");
  EXPECT_EQ(up->secure_settings.size(), 1u);
  EXPECT_EQ(up->secure_settings.count("password"), 1u);
  EXPECT_EQ(store_->Create(1, [&] { auto c = Webhook("x", {}); c.uid = cp->uid; return c; }()).status().code(),
            StatusCode::kAlreadyExists);
  ASSERT_TRUE(store_->Delete(1, cp->uid).ok());
  EXPECT_EQ(store_->Delete(1, cp->uid).code(), StatusCode::kNotFound);
  EXPECT_TRUE(store_->List(1)->empty());
}

INSTANTIATE_TEST_SUITE_P(AllDialects, ContactPointStoreTest, store::testing::AllDialects(),
                         store::testing::DialectTestName);

}  // namespace
}  // namespace md::resources
