#include "secrets/secrets_manager.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <barrier>
#include <fstream>

#include <nlohmann/json.hpp>
#include <thread>

#include "common/encoding.h"
#include "crypto/envelope_format.h"
#include "crypto/storage_encoding.h"
#include "secrets/secrets_test_env.h"
#include "store/testing/test_database.h"

namespace md::secrets {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

class SecretsManagerTest : public store::testing::DatabaseTest {
 protected:
  std::unique_ptr<TestProcess> Start(std::string key = kDefaultSecretKey, SecretsManagerOptions o = {}) {
    auto p = StartProcess(test_database().settings(), std::move(key), o);
    EXPECT_NE(p, nullptr);
    return p;
  }
  int CountRows(const std::string& where = "") {
    int n = 0;
    auto s = db().Lease();
    *s << "SELECT COUNT(*) FROM data_keys " + where, soci::into(n);
    return n;
  }
  int ActiveRows() { return CountRows("WHERE active = " + db().BoolLiteral(true)); }
  std::unique_ptr<TestProcess> StartWith(std::string current, std::string previous = "",
                                         crypto::Algorithm algorithm = crypto::Algorithm::kAesCfb,
                                         SecretsManagerOptions o = {}) {
    ProcessKeys keys;
    keys.secret_key = std::move(current);
    keys.previous_secret_key = std::move(previous);
    keys.algorithm = algorithm;
    auto p = StartProcess(test_database().settings(), keys, o);
    EXPECT_NE(p, nullptr);
    return p;
  }
  // The algorithm prefix of every data key's wrapping, by id.
  std::map<std::string, std::string> WrappingPrefixes(TestProcess& p) {
    std::map<std::string, std::string> out;
    auto rows = p.manager->store().List();
    EXPECT_TRUE(rows.ok());
    for (const auto& row : rows.ok() ? *rows : std::vector<DataKeyRow>{}) {
      out[row.id] = std::string(AsString(ByteView(row.encrypted_data.data(), 12)));
    }
    return out;
  }
};

constexpr char kKeyA[] = "former-key-A";
constexpr char kKeyB[] = "new-key-B";
constexpr char kGcmPrefix[] = "*YWVzLWdjbQ*";

std::string Plain(const Result<SecretBytes>& r) { return r.ok() ? r->InsecureString() : r.status().ToString(); }

TEST_P(SecretsManagerTest, EncryptsIntoEnvelopeThatDecrypts) {
  auto p = Start();
  auto blob = p->manager->Encrypt(AsBytes("hunter2"));
  ASSERT_TRUE(blob.ok()) << blob.status().ToString();
  EXPECT_EQ((*blob)[0], '#');
  EXPECT_EQ(Plain(p->manager->Decrypt(*blob)), "hunter2");
  auto fresh = Start();  // another process, empty cache: reads the DEK from the table
  EXPECT_EQ(Plain(fresh->manager->Decrypt(*blob)), "hunter2");
}

TEST_P(SecretsManagerTest, StoresOneDataKeyPerLabelInGrafanaLayout) {
  auto p = Start();
  auto a = p->manager->Encrypt(AsBytes("a"));
  auto b = p->manager->Encrypt(AsBytes("b"));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(CountRows(), 1);
  auto rows = p->manager->store().List();
  ASSERT_TRUE(rows.ok());
  const DataKeyRow& row = rows->front();
  EXPECT_THAT(row.label, ::testing::MatchesRegex("[0-9]{4}-[0-9]{2}-[0-9]{2}/root@secretKey\\.v1"));
  EXPECT_EQ(row.provider, "secretKey.v1");
  EXPECT_EQ(row.scope, "root");
  EXPECT_TRUE(row.active);
  EXPECT_EQ(row.encrypted_data.size(), 52u);
  EXPECT_EQ(AsString(ByteView(row.encrypted_data.data(), 12)), "*YWVzLWNmYg*");
  auto parts = crypto::ParseEnvelope(*a);
  ASSERT_TRUE(parts.ok());
  EXPECT_EQ(parts->key_id, row.id);
}

TEST_P(SecretsManagerTest, DecryptsLegacyValuesWithSecretKey) {
  auto p = Start("SdlklWklckeLS");
  auto v7 = HexDecode("7a3835716575495914fe2470701080e8e334a66cc0051c7d7e2ac5befb245e");
  EXPECT_EQ(Plain(p->manager->Decrypt(*v7)), "grafana");
  EXPECT_THAT(p->manager->Decrypt({}).status().message(), HasSubstr("unable to decrypt empty payload"));
}

TEST_P(SecretsManagerTest, DecryptsVectorE1FromItsDataKeyRow) {
  auto p = Start();
  auto wrapped = HexDecode("2a5957567a4c574e6d59672a6162636445464748101112131415161718191a1b1c1d1e1fcc70a206084a0fa2cc5847c9bcae4cc7");
  DataKeyRow row;
  row.id = "f0e1d2c3-b4a5-4697-8899-aabbccddeeff";
  row.label = "2024-05-01/root@secretKey.v1";
  row.provider = "secretKey.v1";
  row.encrypted_data = *wrapped;
  row.created = row.updated = Clock::now();
  ASSERT_TRUE(p->manager->store().CreateIfAbsent(row).ok());
  auto blob = HexDecode("235a6a426c4d575179597a4d74596a52684e5330304e6a6b334c5467344f546b7459574669596d4e6a5a47526c5a575a6d232a5957567a4c574e6d59672a3132333435363738202122232425262728292a2b2c2d2e2f40a0200ae42bee");
  EXPECT_EQ(Plain(p->manager->Decrypt(*blob)), "hunter2");
}

// Test vector E1 (../shared/vectors/grafana/vectors.json) rebuilt byte for byte from its fixed
// inputs: the secretKey.v1 wrapping of the DEK, the envelope and the stored JSON; then decrypted.
TEST_P(SecretsManagerTest, ReproducesVectorE1ByteForByte) {
  std::ifstream file(std::string(MD_SHARED_DIR) + "/vectors/grafana/vectors.json");
  auto vectors = nlohmann::json::parse(file);
  nlohmann::json e1;
  for (const auto& c : vectors["cases"]) {
    if (c["id"] == "E1") e1 = c;
  }
  ASSERT_FALSE(e1.is_null());
  auto hex = [&](const char* field) { return *HexDecode(e1[field].get<std::string>()); };
  SecretBytes secret_key(e1["secret_key"].get<std::string>());
  SecretBytes dek{ByteView(hex("dek_hex"))};
  crypto::EncryptionService cfb(crypto::Algorithm::kAesCfb);

  auto wrapped = cfb.EncryptWithSaltAndIv(dek.view(), secret_key, AsBytes(e1["data_keys_encrypted_data_salt"].get<std::string>()),
                                          hex("data_keys_encrypted_data_iv_hex"));
  ASSERT_TRUE(wrapped.ok()) << wrapped.status().ToString();
  EXPECT_EQ(HexEncode(*wrapped), e1["data_keys_encrypted_data_hex"]);
  auto inner = cfb.EncryptWithSaltAndIv(AsBytes(e1["plaintext"].get<std::string>()), dek,
                                        AsBytes(e1["value_salt"].get<std::string>()), hex("value_iv_hex"));
  ASSERT_TRUE(inner.ok());
  Bytes blob = crypto::BuildEnvelope(e1["dek_id"].get<std::string>(), *inner);
  EXPECT_EQ(HexEncode(blob), e1["envelope_hex"]);
  EXPECT_EQ(crypto::EncodeSecureJsonMap({{"password", blob}}), e1["secure_json_data"]);
  auto legacy = cfb.EncryptWithSaltAndIv(AsBytes("hunter2"), secret_key, AsBytes("12345678"), hex("value_iv_hex"));
  EXPECT_EQ(HexEncode(*legacy), e1["legacy_hex_same_salt_iv"]);

  auto p = Start(e1["secret_key"].get<std::string>());
  DataKeyRow row;
  row.id = e1["dek_id"].get<std::string>();
  row.label = "2024-05-01/root@secretKey.v1";
  row.provider = "secretKey.v1";
  row.encrypted_data = *wrapped;
  row.created = row.updated = Clock::now();
  ASSERT_TRUE(p->manager->store().CreateIfAbsent(row).ok());
  EXPECT_EQ(Plain(p->manager->Decrypt(blob)), "hunter2");
}

TEST_P(SecretsManagerTest, ReadsGrafana83LabelStyleIdsWithLegacyProviderName) {
  auto p = Start();
  auto dek = SecretBytes(std::string_view("0123456789abcdef"));
  auto wrapped = p->cipher->Encrypt(dek.view(), SecretBytes(std::string_view(kDefaultSecretKey)));
  DataKeyRow row;
  row.id = "2022-01-10/root@secretKey";
  row.label = "";
  row.provider = "secretKey";
  row.encrypted_data = *wrapped;
  row.created = row.updated = Clock::now();
  ASSERT_TRUE(p->manager->store().CreateIfAbsent(row).ok());
  auto inner = p->cipher->Encrypt(AsBytes("from 8.3"), dek);
  Bytes blob = crypto::BuildEnvelope(row.id, *inner);
  EXPECT_EQ(Plain(p->manager->Decrypt(blob)), "from 8.3");
}

TEST_P(SecretsManagerTest, MissingDataKeyIsNotFound) {
  auto p = Start();
  Bytes blob = crypto::BuildEnvelope("no-such-key", AsBytes("*YWVzLWNmYg*12345678abcdefghijklmnopxyz"));
  auto r = p->manager->Decrypt(blob);
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(r.status().message(), HasSubstr("data key not found"));
}

TEST_P(SecretsManagerTest, RotationDeactivatesKeysButOldValuesStillDecrypt) {
  auto p = Start();
  auto before = p->manager->Encrypt(AsBytes("old"));
  ASSERT_TRUE(p->manager->RotateDataKeys().ok());
  EXPECT_EQ(ActiveRows(), 0);
  auto after = p->manager->Encrypt(AsBytes("new"));
  ASSERT_TRUE(after.ok());
  EXPECT_NE(crypto::ParseEnvelope(*before)->key_id, crypto::ParseEnvelope(*after)->key_id);
  EXPECT_EQ(CountRows(), 2);
  EXPECT_EQ(ActiveRows(), 1);
  auto fresh = Start();
  EXPECT_EQ(Plain(fresh->manager->Decrypt(*before)), "old");
}

TEST_P(SecretsManagerTest, RotationByAnotherProcessIsNoticedWithinTheCheckInterval) {
  SecretsManagerOptions quick;
  quick.change_check_interval = std::chrono::milliseconds(100);
  auto a = Start(kDefaultSecretKey, quick);
  auto b = Start(kDefaultSecretKey, quick);
  auto first = a->manager->Encrypt(AsBytes("x"));
  ASSERT_TRUE(b->manager->RotateDataKeys().ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  auto second = a->manager->Encrypt(AsBytes("y"));
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_NE(crypto::ParseEnvelope(*first)->key_id, crypto::ParseEnvelope(*second)->key_id);
  EXPECT_EQ(ActiveRows(), 1);
}

TEST_P(SecretsManagerTest, WithoutChangeCheckAStaleKeyIsUsedUntilTtl) {
  SecretsManagerOptions slow;
  slow.change_check_interval = std::chrono::hours(1);
  auto a = Start(kDefaultSecretKey, slow);
  auto b = Start();
  auto first = a->manager->Encrypt(AsBytes("x"));
  ASSERT_TRUE(b->manager->RotateDataKeys().ok());
  auto second = a->manager->Encrypt(AsBytes("y"));
  EXPECT_EQ(crypto::ParseEnvelope(*first)->key_id, crypto::ParseEnvelope(*second)->key_id);
}

TEST_P(SecretsManagerTest, ConcurrentProcessesCreateOneActiveKeyPerLabel) {
  constexpr int kProcesses = 4;
  std::vector<std::unique_ptr<TestProcess>> procs;
  for (int i = 0; i < kProcesses; ++i) procs.push_back(Start());
  std::barrier sync(kProcesses);
  std::vector<std::string> ids(kProcesses);
  std::vector<std::thread> threads;
  for (int i = 0; i < kProcesses; ++i) {
    threads.emplace_back([&, i] {
      sync.arrive_and_wait();
      auto blob = procs[i]->manager->Encrypt(AsBytes("same time"));
      if (blob.ok()) ids[i] = crypto::ParseEnvelope(*blob)->key_id;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(CountRows(), 1);
  for (const auto& id : ids) EXPECT_EQ(id, ids[0]);
}

TEST_P(SecretsManagerTest, NewKeyIsCommittedEvenWhenCallersTransactionRollsBack) {
  auto p = Start();
  Bytes blob;
  {
    auto session = db().Lease();
    soci::transaction tx(*session);
    auto r = p->manager->Encrypt(AsBytes("rolled back"));
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    blob = *r;
    *session << "INSERT INTO secrets (org_id, namespace, " + db().Quote("type") +
                    ", value, created, updated) VALUES (1, 'ns', 't', 'v', '2024-01-01 00:00:00', '2024-01-01 00:00:00')";
    tx.rollback();
  }
  EXPECT_EQ(CountRows(), 1);
  auto fresh = Start();
  EXPECT_EQ(Plain(fresh->manager->Decrypt(blob)), "rolled back");
}

TEST_P(SecretsManagerTest, ReEncryptDataKeysRewrapsEveryKeyWithTodaysLabel) {
  auto p = Start();
  auto blob = p->manager->Encrypt(AsBytes("kept"));
  auto before = p->manager->store().List();
  DataKeyRow old = before->front();
  old.label = "2020-01-01/root@secretKey";
  old.provider = "secretKey";
  ASSERT_TRUE(p->manager->store().UpdateWrapping(old).ok());
  auto result = p->manager->ReEncryptDataKeys();
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->total, 1);
  EXPECT_EQ(result->reencrypted, 1);
  auto after = p->manager->store().List();
  EXPECT_EQ(after->front().provider, "secretKey.v1");
  EXPECT_THAT(after->front().label, HasSubstr("/root@secretKey.v1"));
  EXPECT_NE(after->front().encrypted_data, before->front().encrypted_data);
  auto fresh = Start();
  EXPECT_EQ(Plain(fresh->manager->Decrypt(*blob)), "kept");
}

TEST_P(SecretsManagerTest, DisabledEnvelopeWritesLegacyAndRefusesEnvelopeValues) {
  auto on = Start();
  auto envelope = on->manager->Encrypt(AsBytes("e"));
  SecretsManagerOptions off;
  off.envelope_enabled = false;
  auto p = Start(kDefaultSecretKey, off);
  auto legacy = p->manager->Encrypt(AsBytes("l"));
  ASSERT_TRUE(legacy.ok());
  EXPECT_EQ((*legacy)[0], '*');
  EXPECT_EQ(Plain(p->manager->Decrypt(*legacy)), "l");
  EXPECT_THAT(p->manager->Decrypt(*envelope).status().message(),
              HasSubstr("envelope encryption is disabled"));
  ASSERT_TRUE(p->manager->ReEncryptDataKeys().ok());  // initialises providers anyway (§3.9)
  EXPECT_EQ(Plain(p->manager->Decrypt(*envelope)), "e");
}

TEST_P(SecretsManagerTest, CountsOperationsAndCacheReads) {
  auto p = Start();
  auto blob = p->manager->Encrypt(AsBytes("m"));
  (void)p->manager->Decrypt(*blob);
  std::string text = p->metrics.RenderPrometheus();
  EXPECT_THAT(text, HasSubstr("md_encryption_ops_total{operation=\"encrypt\",success=\"true\"} 1"));
  EXPECT_THAT(text, HasSubstr("md_encryption_ops_total{operation=\"decrypt\",success=\"true\"} 1"));
  EXPECT_THAT(text, HasSubstr("md_encryption_cache_reads_total{hit=\"true\",method=\"byId\"} 1"));
  EXPECT_THAT(text, HasSubstr("md_encryption_cache_reads_total{hit=\"false\",method=\"byLabel\"} 1"));
}

// secret_key rotation (kms/secret_key/secret_key_ring.h), with either configured algorithm.
TEST_P(SecretsManagerTest, DuringRotationOldValuesDecryptAndNewOnesAreGcmUnderTheNewKey) {
  for (crypto::Algorithm algorithm : {crypto::Algorithm::kAesCfb, crypto::Algorithm::kAesGcm}) {
    SCOPED_TRACE(crypto::AlgorithmName(algorithm));
    *db().Lease() << "DELETE FROM data_keys";
    SecretsManagerOptions legacy;
    legacy.envelope_enabled = false;
    auto a = StartWith(kKeyA, "", algorithm);
    auto old_envelope = a->manager->Encrypt(AsBytes("old envelope"));  // its data key is under key A
    auto old_legacy = StartWith(kKeyA, "", algorithm, legacy)->manager->Encrypt(AsBytes("old legacy"));
    ASSERT_TRUE(old_envelope.ok() && old_legacy.ok());

    auto rotating = StartWith(kKeyB, kKeyA, algorithm);
    EXPECT_EQ(Plain(rotating->manager->Decrypt(*old_envelope)), "old envelope");
    EXPECT_EQ(Plain(rotating->manager->Decrypt(*old_envelope)), "old envelope");
    EXPECT_THAT(rotating->metrics.RenderPrometheus(),  // the data key was unwrapped once, then cached
                HasSubstr("md_encryption_cache_reads_total{hit=\"true\",method=\"byId\"} 1"));
    EXPECT_EQ(Plain(rotating->manager->Decrypt(*old_legacy)), "old legacy");
    auto new_legacy = rotating->manager->EncryptLegacy(AsBytes("new legacy"));
    ASSERT_TRUE(new_legacy.ok());
    EXPECT_EQ(AsString(ByteView(new_legacy->data(), 12)), kGcmPrefix);
    ASSERT_TRUE(rotating->manager->RotateDataKeys().ok());
    auto new_envelope = rotating->manager->Encrypt(AsBytes("new envelope"));  // a data key created now
    ASSERT_TRUE(new_envelope.ok());
    EXPECT_EQ(WrappingPrefixes(*rotating)[crypto::ParseEnvelope(*new_envelope)->key_id], kGcmPrefix);

    // After the rotation (data keys rewrapped), the new key alone reads everything.
    auto rewrapped = rotating->manager->ReEncryptDataKeys();
    ASSERT_TRUE(rewrapped.ok());
    EXPECT_EQ(rewrapped->reencrypted, 2);
    for (const auto& [id, prefix] : WrappingPrefixes(*rotating)) EXPECT_EQ(prefix, kGcmPrefix) << id;
    auto b = StartWith(kKeyB, "", algorithm);
    EXPECT_EQ(Plain(b->manager->Decrypt(*old_envelope)), "old envelope");
    EXPECT_EQ(Plain(b->manager->Decrypt(*new_envelope)), "new envelope");
    EXPECT_EQ(Plain(b->manager->Decrypt(*new_legacy)), "new legacy");
    // With AES-GCM a value under the other key is an error, never garbage.
    auto stale = StartWith(kKeyA, "", algorithm);
    EXPECT_EQ(stale->manager->Decrypt(*new_legacy).status().code(), StatusCode::kDataLoss);
    EXPECT_FALSE(stale->manager->Decrypt(*new_envelope).ok());
  }
}

TEST_P(SecretsManagerTest, LegacyValuesWrittenDuringRotationWithEnvelopeDisabledAreGcmUnderTheNewKey) {
  SecretsManagerOptions legacy;
  legacy.envelope_enabled = false;
  auto rotating = StartWith(kKeyB, kKeyA, crypto::Algorithm::kAesCfb, legacy);
  auto value = rotating->manager->Encrypt(AsBytes("disableEnvelopeEncryption"));
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(AsString(ByteView(value->data(), 12)), kGcmPrefix);
  EXPECT_EQ(Plain(StartWith(kKeyB)->manager->Decrypt(*value)), "disableEnvelopeEncryption");
}

INSTANTIATE_TEST_SUITE_P(AllDialects, SecretsManagerTest, store::testing::AllDialects(),
                         store::testing::DialectTestName);

}  // namespace
}  // namespace md::secrets
