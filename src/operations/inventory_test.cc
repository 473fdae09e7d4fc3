#include "operations/inventory.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/encoding.h"
#include "crypto/envelope_format.h"
#include "secrets/key_check.h"
#include "secrets/secrets_test_env.h"
#include "store/testing/test_database.h"

namespace md::operations {
namespace {

using ::testing::HasSubstr;

class InventoryTest : public store::testing::DatabaseTest {};

void AddSecret(store::Database& db, const std::string& ns, const Bytes& blob) {
  std::string value = Base64EncodeRaw(blob);
  *db.Lease() << "INSERT INTO secrets (org_id, namespace, " + db.Quote("type") +
                     ", value, created, updated) VALUES (1, :n, 't', :v, '2024-01-01 00:00:00', '2024-01-01 00:00:00')",
      soci::use(ns), soci::use(value);
}

TEST_P(InventoryTest, CountsValuesByFormatDataKeyAndProvider) {
  auto p = secrets::StartProcess(test_database().settings());
  SecretBytes key(std::string_view(secrets::kDefaultSecretKey));
  AddSecret(db(), "a", *p->manager->Encrypt(AsBytes("x")));
  AddSecret(db(), "b", *p->manager->Encrypt(AsBytes("y")));
  AddSecret(db(), "c", *p->cipher->Encrypt(AsBytes("z"), key));
  AddSecret(db(), "d", *HexDecode("49473239796e5a6d7317ed0d82bc9776626750d14f8f167a2c28662988101b"));
  ASSERT_TRUE(p->manager->RotateDataKeys().ok());
  (void)p->manager->CurrentDataKeyId();  // a second DEK nothing uses yet

  auto inv = TakeInventory(db(), *p->providers, p->manager->secret_keys(), /*default_secret_key=*/true);
  ASSERT_TRUE(inv.ok()) << inv.status().ToString();
  EXPECT_EQ(inv->by_format["envelope"], 2);
  EXPECT_EQ(inv->by_format["legacy aes-cfb"], 1);
  EXPECT_EQ(inv->by_format["legacy (no prefix)"], 1);
  EXPECT_EQ(inv->legacy_values, 2);
  EXPECT_EQ(inv->values_by_provider["secretKey.v1"], 2);
  ASSERT_EQ(inv->data_keys.size(), 2u);
  EXPECT_EQ(inv->UnusedDataKeys().size(), 1u);
  EXPECT_TRUE(inv->UnusedProviders().empty());
  std::string text = inv->ToText();
  EXPECT_THAT(text, HasSubstr("Default secret_key in use: YES"));
  EXPECT_THAT(inv->ToJson().dump(), HasSubstr("\"unusedDataKeys\""));
}

std::unique_ptr<secrets::TestProcess> Process(const store::testing::TestDatabase& database, std::string current,
                                              std::string previous = "") {
  secrets::ProcessKeys keys;
  keys.secret_key = std::move(current);
  keys.previous_secret_key = std::move(previous);
  return secrets::StartProcess(database.settings(), keys);
}

TEST_P(InventoryTest, SaysWhatASecretKeyRotationStillNeedsThePreviousKeyFor) {
  auto a = Process(test_database(), "key-A");
  auto old_envelope = a->manager->Encrypt(AsBytes("x"));  // its data key is AES-CFB under key A
  AddSecret(db(), "old-envelope", *old_envelope);
  AddSecret(db(), "old-legacy", *a->cipher->Encrypt(AsBytes("y"), SecretBytes(std::string_view("key-A"))));
  ASSERT_TRUE(secrets::KeyCheck(*a->db, *a->manager).Run().ok());
  auto before = TakeInventory(db(), *a->providers, a->manager->secret_keys(), false);
  ASSERT_TRUE(before.ok());
  EXPECT_FALSE(before->previous_secret_key.configured);
  EXPECT_THAT(before->ToText(), HasSubstr("secret_key rotation:\n  none under way"));
  EXPECT_EQ(before->ToJson()["secretKeyRotation"]["previousSecretKeyConfigured"], false);

  auto rotating = Process(test_database(), "key-B", "key-A");
  ASSERT_TRUE(secrets::KeyCheck(*rotating->db, *rotating->manager).Run().ok());
  AddSecret(db(), "new-legacy", *rotating->manager->EncryptLegacy(AsBytes("z")));  // AES-GCM under key B
  crypto::EncryptionService gcm(crypto::Algorithm::kAesGcm);
  AddSecret(db(), "foreign", *gcm.Encrypt(AsBytes("w"), SecretBytes(std::string_view("key-X"))));
  auto during = TakeInventory(db(), *rotating->providers, rotating->manager->secret_keys(), false);
  ASSERT_TRUE(during.ok()) << during.status().ToString();
  const PreviousKeyUsage& needs = during->previous_secret_key;
  EXPECT_TRUE(needs.Needed());
  ASSERT_EQ(needs.data_keys.size(), 1u);
  EXPECT_EQ(needs.data_keys[0], crypto::ParseEnvelope(*old_envelope)->key_id);
  EXPECT_EQ(needs.values_by_column, (std::map<std::string, int64_t>{{"secrets.value", 1}}));
  EXPECT_EQ(needs.under_neither_key, 1);
  nlohmann::json json = during->ToJson()["secretKeyRotation"];
  EXPECT_EQ(json["previousSecretKeyNeeded"], true);
  EXPECT_EQ(json["valuesUnderPreviousKey"]["secrets.value"], 1);
  EXPECT_EQ(json["dataKeysUnderPreviousKey"].size(), 1u);
  EXPECT_THAT(during->ToText(), HasSubstr("STILL NEEDED by 1 data keys and 1 legacy values"));
  EXPECT_THAT(during->ToText(), HasSubstr("1 AES-GCM data keys or values open with neither"));

  // A process without previous_secret_key sees that a rotation began and is not finished.
  auto b = Process(test_database(), "key-B");
  auto unset = TakeInventory(db(), *b->providers, b->manager->secret_keys(), false);
  ASSERT_TRUE(unset.ok());
  EXPECT_TRUE(unset->previous_secret_key.rotation_recorded);
  EXPECT_THAT(unset->ToText(), HasSubstr("previous_secret_key is not set here"));
}

INSTANTIATE_TEST_SUITE_P(AllDialects, InventoryTest, store::testing::AllDialects(),
                         store::testing::DialectTestName);

}  // namespace
}  // namespace md::operations
