#include "secrets/key_check.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "crypto/storage_encoding.h"
#include "secrets/secrets_test_env.h"
#include "store/testing/test_database.h"

namespace md::secrets {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Outcome = KeyCheckResult::Outcome;

constexpr char kKeyA[] = "former-key-A";
constexpr char kKeyB[] = "new-key-B";

class KeyCheckTest : public store::testing::DatabaseTest {
 protected:
  std::unique_ptr<TestProcess> Start(std::string key = kDefaultSecretKey) {
    auto p = StartProcess(test_database().settings(), std::move(key));
    EXPECT_NE(p, nullptr);
    return p;
  }
  // A process during a secret_key rotation from `previous` to `current`.
  std::unique_ptr<TestProcess> Rotating(std::string current, std::string previous) {
    ProcessKeys keys;
    keys.secret_key = std::move(current);
    keys.previous_secret_key = std::move(previous);
    auto p = StartProcess(test_database().settings(), keys);
    EXPECT_NE(p, nullptr);
    return p;
  }
  Result<std::vector<KeyCheckResult>> Check(TestProcess& p) { return KeyCheck(*p.db, *p.manager).Run(); }
  std::string CheckValue(const std::string& row) {
    std::string value;
    soci::indicator ind = soci::i_null;
    *db().Lease() << "SELECT check_value FROM md_key_check WHERE provider = :p", soci::use(row), soci::into(value, ind);
    return ind == soci::i_ok ? value : "";
  }
  // Checks `p`, expecting a mismatch; returns its message.
  std::string MismatchOf(TestProcess& p) {
    auto r = Check(p);
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.ok() ? StatusCode::kOk : r.status().code(), StatusCode::kFailedPrecondition);
    EXPECT_FALSE(p.manager->Encrypt(AsBytes("x")).ok()) << "writes must be blocked";
    std::string message = r.ok() ? "" : r.status().message();
    for (const char* key : {kKeyA, kKeyB, "wrong-previous", "key-C"}) EXPECT_THAT(message, Not(HasSubstr(key)));
    return message;
  }

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

TEST_P(KeyCheckTest, RotationVerifiesThePreviousKeyThenRecordsTheNewKey) {
  auto a = Start(kKeyA);
  ASSERT_TRUE(Check(*a).ok());
  std::string a_value = CheckValue(kSecretKeyCheckRow);

  auto first = Rotating(kKeyB, kKeyA);
  auto r = Check(*first);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->front().outcome, Outcome::kRecorded);
  EXPECT_THAT(r->front().detail, HasSubstr("rotation started"));
  EXPECT_EQ(CheckValue(kPreviousSecretKeyCheckRow), a_value);
  EXPECT_NE(CheckValue(kSecretKeyCheckRow), a_value);
  EXPECT_TRUE(first->manager->Encrypt(AsBytes("x")).ok());

  auto second = Rotating(kKeyB, kKeyA);  // another replica, or a restart
  r = Check(*second);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->front().outcome, Outcome::kVerified);

  auto after = Start(kKeyB);  // the rotation ends: nothing was encrypted with key A
  r = Check(*after);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_THAT(r->front().detail, HasSubstr("rotation finished"));
  EXPECT_EQ(CheckValue(kPreviousSecretKeyCheckRow), "");
  EXPECT_TRUE(after->manager->Encrypt(AsBytes("y")).ok());
  EXPECT_THAT(MismatchOf(*Start(kKeyA)), HasSubstr("security.secret_key is not the key"));
}

TEST_P(KeyCheckTest, WrongPreviousKeyIsRefusedNamingTheSetting) {
  auto a = Start(kKeyA);
  AddDataSource(*a, "ds1", "SuperSecureP@ssw0rd");
  ASSERT_TRUE(Check(*a).ok());
  std::string message = MismatchOf(*Rotating(kKeyB, "wrong-previous"));
  EXPECT_THAT(message, HasSubstr("security.previous_secret_key is not the key"));
  EXPECT_THAT(message, HasSubstr("GF_SECURITY_PREVIOUS_SECRET_KEY"));
  EXPECT_EQ(CheckValue(kPreviousSecretKeyCheckRow), "");  // nothing recorded

  ASSERT_TRUE(Check(*Rotating(kKeyB, kKeyA)).ok());  // begins the rotation
  EXPECT_THAT(MismatchOf(*Rotating(kKeyB, "wrong-previous")), HasSubstr("security.previous_secret_key"));
  auto blocked = Rotating(kKeyB, "wrong-previous");
  (void)Check(*blocked);
  EXPECT_FALSE(blocked->manager->ReEncryptDataKeys().ok());
}

TEST_P(KeyCheckTest, ReplicasWithADifferentNewKeyOrTheOldKeyAloneAreRefused) {
  ASSERT_TRUE(Check(*Start(kKeyA)).ok());
  ASSERT_TRUE(Check(*Rotating(kKeyB, kKeyA)).ok());
  EXPECT_THAT(MismatchOf(*Rotating("key-C", kKeyA)), HasSubstr("security.secret_key is not the new key"));
  EXPECT_THAT(MismatchOf(*Start(kKeyA)), HasSubstr("previous_secret_key to the former key"));
}

TEST_P(KeyCheckTest, RemovingThePreviousKeyBeforeTheDataKeysAreRewrappedBlocksWrites) {
  auto a = Start(kKeyA);
  AddDataSource(*a, "ds1", "SuperSecureP@ssw0rd");  // a data key wrapped with key A (AES-CFB)
  ASSERT_TRUE(Check(*a).ok());
  auto rotating = Rotating(kKeyB, kKeyA);
  ASSERT_TRUE(Check(*rotating).ok());
  std::string message = MismatchOf(*Start(kKeyB));
  EXPECT_THAT(message, HasSubstr("security.previous_secret_key was removed"));
  EXPECT_THAT(message, HasSubstr("1 data keys"));
  EXPECT_NE(CheckValue(kPreviousSecretKeyCheckRow), "");

  auto rewrapped = rotating->manager->ReEncryptDataKeys();
  ASSERT_TRUE(rewrapped.ok()) << rewrapped.status().ToString();
  auto after = Start(kKeyB);
  auto r = Check(*after);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(CheckValue(kPreviousSecretKeyCheckRow), "");
}

TEST_P(KeyCheckTest, WithoutCheckValuesTheRotationJudgesThePreviousKeyBySampledValues) {
  auto a = Start(kKeyA);
  AddDataSource(*a, "ds1", "SuperSecureP@ssw0rd");
  AddDataSource(*a, "ds2", "another password");
  ForgetCheckValues();  // as in a database written by Grafana
  EXPECT_THAT(MismatchOf(*Rotating(kKeyB, "wrong-previous")), HasSubstr("sampled values decrypt to garbage"));
  auto right = Rotating(kKeyB, kKeyA);
  auto r = Check(*right);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->front().outcome, Outcome::kRecorded);
  EXPECT_NE(CheckValue(kSecretKeyCheckRow), "");
  EXPECT_NE(CheckValue(kPreviousSecretKeyCheckRow), "");
  EXPECT_THAT(MismatchOf(*Rotating(kKeyB, "wrong-previous")), HasSubstr("security.previous_secret_key"));
}

INSTANTIATE_TEST_SUITE_P(AllDialects, KeyCheckTest, store::testing::AllDialects(),
                         store::testing::DialectTestName);

}  // namespace
}  // namespace md::secrets
