#include "resources/data_source_store.h"

#include <gtest/gtest.h>

#include "crypto/storage_encoding.h"
#include "resources/store_test_fixture.h"

namespace md::resources {
namespace {

class DataSourceStoreTest : public StoreTest<DataSourceStore> {
 protected:
  secrets::SecretsManager& manager() { return *process_->manager; }

  DataSourceCommand Command(std::string name, PlainSecrets secrets = {}) {
    DataSourceCommand c;
    c.fields.name = std::move(name);
    c.fields.type = "postgres";
    c.fields.url = "127.0.0.1:5432";
    c.fields.user = "grafana";
    c.fields.database = "metrics";
    auto encrypted = EncryptSecrets(manager(), secrets);
    EXPECT_TRUE(encrypted.ok()) << encrypted.status().ToString();
    if (encrypted.ok()) c.secrets = *encrypted;
    return c;
  }

  std::map<std::string, bool> Fields(const DataSource& ds) {
    auto f = ComputeSecureJsonFields(manager(), ds.secure_json_data);
    EXPECT_TRUE(f.error.ok()) << f.error.ToString();
    return f.fields;
  }

  std::string Decrypted(const DataSource& ds, const std::string& key) {
    auto values = DecryptSecureJson(manager(), ds.secure_json_data);
    if (!values.ok() || !values->count(key)) return "<missing>";
    return values->at(key).InsecureString();
  }
};

TEST_P(DataSourceStoreTest, CreateEncryptsEachSecretAndReadsBackTheRow) {
  auto ds = store_->Create(1, Command("pg", {{"password", "s3cret"}, {"tlsKey", ""}}));
  ASSERT_TRUE(ds.ok()) << ds.status().ToString();
  EXPECT_EQ(ds->version, 1);
  EXPECT_EQ(ds->uid.size(), 14u);
  EXPECT_EQ(ds->user, "grafana");
  EXPECT_EQ(ds->database, "metrics");
  EXPECT_EQ(ds->secure_json_data.find("s3cret"), std::string::npos);
  EXPECT_EQ(ds->secure_json_data.rfind("{\"password\":\"I", 0), 0u) << "padded base64 of '#...'";
  EXPECT_EQ(Fields(*ds), (std::map<std::string, bool>{{"password", true}}));
  EXPECT_EQ(Decrypted(*ds, "password"), "s3cret");
  auto by_name = store_->GetByName(1, "pg");
  ASSERT_TRUE(by_name.ok());
  EXPECT_EQ(by_name->id, ds->id);
  EXPECT_EQ(store_->Get(2, DataSourceKey{ds->id, ""}).status().code(), StatusCode::kNotFound);
}

TEST_P(DataSourceStoreTest, UpdateKeepsUnsentSecretsReplacesSentOnesAndClearsEmptyOnes) {
  auto ds = store_->Create(1, Command("pg", {{"password", "one"}, {"token", "t"}, {"keep", "k"}}));
  ASSERT_TRUE(ds.ok());
  auto up = store_->Update(1, {0, ds->uid}, Command("pg2", {{"password", "two"}, {"token", ""}}));
  ASSERT_TRUE(up.ok()) << up.status().ToString();
  EXPECT_EQ(up->name, "pg2");
  EXPECT_EQ(up->version, 2);
  EXPECT_EQ(Decrypted(*up, "password"), "two");
  EXPECT_EQ(Decrypted(*up, "keep"), "k");
  EXPECT_EQ(Decrypted(*up, "token"), "");
  EXPECT_EQ(Fields(*up), (std::map<std::string, bool>{{"keep", true}, {"password", true}}));
}

TEST_P(DataSourceStoreTest, UpdateCarriesOverAValueWhoseDataKeyIsMissingWithoutDecryptingIt) {
  auto ds = store_->Create(1, Command("pg", {{"password", "one"}}));
  ASSERT_TRUE(ds.ok());
  const Bytes orphan = {'#', 'b', 'm', '9', 'u', 'Z', 'Q', '#', 1, 2, 3, 4, 5, 6, 7, 8};
  const std::string stored = crypto::EncodeSecureJsonMap({{"password", orphan}});
  Status put = process_->db->InTransaction([&](soci::session& s) -> Status {
    s << "UPDATE data_source SET secure_json_data = :v WHERE id = " + std::to_string(ds->id),
        soci::use(stored);
    return OkStatus();
  });
  ASSERT_TRUE(put.ok()) << put.ToString();
  auto listed = store_->List(1);
  ASSERT_TRUE(listed.ok());
  auto fields = ComputeSecureJsonFields(manager(), listed->front().secure_json_data);
  EXPECT_FALSE(fields.error.ok());
  EXPECT_TRUE(fields.fields.empty());
  auto up = store_->Update(1, {ds->id, ""}, Command("pg", {{"token", "t"}}));
  ASSERT_TRUE(up.ok()) << up.status().ToString();
  auto decoded = crypto::DecodeSecureJsonMap(up->secure_json_data);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->at("password"), orphan);
  auto overwritten = store_->Update(1, {ds->id, ""}, Command("pg", {{"password", "new"}}));
  ASSERT_TRUE(overwritten.ok());
  EXPECT_EQ(Decrypted(*overwritten, "password"), "new");
}

TEST_P(DataSourceStoreTest, StaleVersionIsRefusedAndNothingChanges) {
  auto ds = store_->Create(1, Command("pg"));
  ASSERT_TRUE(ds.ok());
  auto first = Command("renamed");
  first.version = 1;
  ASSERT_TRUE(store_->Update(1, {ds->id, ""}, first).ok());
  auto stale = Command("stale");
  stale.version = 1;
  auto refused = store_->Update(1, {ds->id, ""}, stale);
  EXPECT_EQ(refused.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(refused.status().message().rfind("Datasource has already been updated", 0), 0u);
  EXPECT_EQ(store_->Get(1, {ds->id, ""})->name, "renamed");
  auto current = Command("current");
  current.version = 2;
  EXPECT_EQ(store_->Update(1, {ds->id, ""}, current)->version, 3);
}

TEST_P(DataSourceStoreTest, NamesAndUidsAreUniquePerOrg) {
  ASSERT_TRUE(store_->Create(1, Command("pg")).ok());
  EXPECT_EQ(store_->Create(1, Command("pg")).status().message(),
            "data source with the same name already exists");
  EXPECT_TRUE(store_->Create(2, Command("pg")).ok());
  auto with_uid = Command("other");
  with_uid.fields.uid = "fixed-uid";
  ASSERT_TRUE(store_->Create(1, with_uid).ok());
  auto clash = Command("third");
  clash.fields.uid = "fixed-uid";
  EXPECT_EQ(store_->Create(1, clash).status().code(), StatusCode::kAlreadyExists);
  auto rename = store_->Update(1, {0, "fixed-uid"}, Command("pg"));
  EXPECT_EQ(rename.status().code(), StatusCode::kAlreadyExists);
}

TEST_P(DataSourceStoreTest, DeleteRemovesTheRowAndUnknownIdsAreNotFound) {
  auto ds = store_->Create(1, Command("pg"));
  ASSERT_TRUE(ds.ok());
  EXPECT_EQ(store_->Delete(1, {ds->id, ""})->name, "pg");
  EXPECT_EQ(store_->Delete(1, {ds->id, ""}).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(store_->List(1)->empty());
}

INSTANTIATE_TEST_SUITE_P(AllDialects, DataSourceStoreTest, store::testing::AllDialects(),
                         store::testing::DialectTestName);

}  // namespace
}  // namespace md::resources
