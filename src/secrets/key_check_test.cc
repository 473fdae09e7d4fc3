#include "secrets/key_check.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "crypto/storage_encoding.h"
#include "secrets/secrets_test_env.h"
#include "store/testing/test_database.h"

namespace md::secrets {
namespace {

using ::testing::HasSubstr;
using Outcome = KeyCheckResult::Outcome;

class KeyCheckTest : public store::testing::DatabaseTest {
 protected:
  std::unique_ptr<TestProcess> Start(std::string key = kDefaultSecretKey) {
    auto p = StartProcess(test_database().settings(), std::move(key));
    EXPECT_NE(p, nullptr);
    return p;
  }
  Result<std::vector<KeyCheckResult>> Check(TestProcess& p) { return KeyCheck(*p.db, *p.manager).Run(); }

  // A data source whose secure_json_data holds values encrypted by `p`.
  void AddDataSource(TestProcess& p, const std::string& name, const std::string& password) {
    auto blob = p.manager->Encrypt(AsBytes(password));
    ASSERT_TRUE(blob.ok());
    std::string json = crypto::EncodeSecureJsonMap({{"password", *blob}});
    auto s = db().Lease();
    *s << "INSERT INTO data_source (org_id, version, type, name, access, url, " + db().Quote("user") +
              ", " + db().Quote("database") + ", basic_auth, with_credentials, is_default, json_data, "
              "secure_json_data, read_only, uid, created, updated) VALUES (1, 1, 'postgres', :n, 'proxy', '', '', "
              "'', " + db().BoolLiteral(false) + ", " + db().BoolLiteral(false) + ", " + db().BoolLiteral(false) +
              ", '{}', :j, " + db().BoolLiteral(false) + ", :u, '2024-01-01 00:00:00', '2024-01-01 00:00:00')",
        soci::use(name), soci::use(json), soci::use(name);
  }
  void ForgetCheckValues() { *db().Lease() << "DELETE FROM md_key_check"; }
};

TEST_P(KeyCheckTest, RecordsCheckValueOnFirstUseAndVerifiesItLater) {
  auto p = Start();
  auto first = Check(*p);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->front().outcome, Outcome::kRecorded);
  auto again = Check(*Start());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->front().outcome, Outcome::kVerified);
}

TEST_P(KeyCheckTest, WrongSecretKeyBlocksWritesWithAFixInTheMessage) {
  ASSERT_TRUE(Check(*Start()).ok());
  auto wrong = Start("not-the-right-key");
  auto r = Check(*wrong);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(r.status().message(), HasSubstr("security.secret_key is not the key"));
  EXPECT_THAT(r.status().message(), HasSubstr("GF_SECURITY_SECRET_KEY"));
  EXPECT_FALSE(wrong->manager->Encrypt(AsBytes("x")).ok());
  EXPECT_FALSE(wrong->manager->RotateDataKeys().ok());
  EXPECT_FALSE(wrong->manager->ReEncryptDataKeys().ok());
}

TEST_P(KeyCheckTest, WithoutCheckValueGarbageFromSampledValuesBlocksWrites) {
  auto writer = Start();
  AddDataSource(*writer, "ds1", "SuperSecureP@ssw0rd");
  AddDataSource(*writer, "ds2", "another password");
  ForgetCheckValues();  // as in a database written by Grafana
  auto wrong = Start("not-the-right-key");
  auto r = Check(*wrong);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("2 of 2 sampled values decrypt to garbage"));
  EXPECT_FALSE(wrong->manager->Encrypt(AsBytes("x")).ok());
}

TEST_P(KeyCheckTest, WithoutCheckValuePlausibleValuesRecordOne) {
  auto writer = Start();
  AddDataSource(*writer, "ds1", "SuperSecureP@ssw0rd");
  ForgetCheckValues();
  auto right = Start();
  auto r = Check(*right);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->front().outcome, Outcome::kRecorded);
  EXPECT_TRUE(right->manager->Encrypt(AsBytes("x")).ok());
}

INSTANTIATE_TEST_SUITE_P(AllDialects, KeyCheckTest, store::testing::AllDialects(),
                         store::testing::DialectTestName);

}  // namespace
}  // namespace md::secrets
