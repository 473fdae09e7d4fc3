#include "operations/inventory.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/encoding.h"
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

  auto inv = TakeInventory(db(), *p->providers, /*default_secret_key=*/true);
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

INSTANTIATE_TEST_SUITE_P(AllDialects, InventoryTest, store::testing::AllDialects(),
                         store::testing::DialectTestName);

}  // namespace
}  // namespace md::operations
