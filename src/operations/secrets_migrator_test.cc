#include "operations/secrets_migrator.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/encoding.h"
#include "crypto/envelope_format.h"
#include "operations/cell_codec.h"
#include "operations/grafana_tables_for_test.h"
#include "operations/inventory.h"
#include "operations/operation_lock.h"
#include "secrets/key_check.h"
#include "secrets/secrets_test_env.h"
#include "store/testing/test_database.h"

namespace md::operations {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using secrets::kDefaultSecretKey;
using secrets::ProcessKeys;
using secrets::StartProcess;
using secrets::TestProcess;

const SecretBytes kSecretKey{std::string_view(kDefaultSecretKey)};

// The cell for one column holding `blob`, laid out as Grafana stores it.
std::string CellFor(CellKind kind, const Bytes& blob) {
  std::string padded = Base64EncodePadded(blob), raw = Base64EncodeRaw(blob);
  switch (kind) {
    case CellKind::kRawBlob: return HexEncode(blob);
    case CellKind::kBase64Padded: return padded;
    case CellKind::kBase64Raw: return raw;
    case CellKind::kJsonMap: return "{\"password\":\"" + padded + "\"}";
    case CellKind::kAlerting:
      return nlohmann::json{{"alertmanager_config",
                             {{"receivers", {{{"name", "r"}, {"grafana_managed_receiver_configs",
                                                              {{{"type", "webhook"}, {"secureSettings", {{"password", padded}}}}}}}}}}}}
          .dump();
    case CellKind::kSso: return nlohmann::json{{"clientId", "c"}, {"clientSecret", raw}}.dump();
    case CellKind::kProvisioning: return nlohmann::json{{"spec", {{"github", {{"encryptedToken", padded}}}}}}.dump();
  }
  return "";
}

class SecretsMigratorTest : public store::testing::DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    testing::CreateOtherGrafanaTables(db());
    process_ = StartProcess(test_database().settings());
    ASSERT_NE(process_, nullptr);
  }
  SecretsMigrator Migrator() {
    return SecretsMigrator(*process_->db, *process_->manager, progress_);
  }

  // Inserts one row holding `blob` into the table of `column`; returns its id.
  std::string Insert(const SecretColumn& column, const Bytes& blob) {
    std::string cell = CellFor(column.kind, blob);
    std::string value = column.kind == CellKind::kRawBlob ? db().BlobFromHex(":c") : ":c";
    std::string sql;
    const std::string& t = column.table;
    std::string when = "'2024-01-01 00:00:00'";
    if (t == "data_source") {
      sql = "INSERT INTO data_source (org_id, version, type, name, access, url, basic_auth, is_default, "
            "with_credentials, secure_json_data, uid, created, updated) VALUES (1, 1, 'x', :n, 'proxy', '', " +
            db().BoolLiteral(false) + ", " + db().BoolLiteral(false) + ", " + db().BoolLiteral(false) +
            ", " + value + ", :n2, " + when + ", " + when + ")";
    } else if (t == "plugin_setting") {
      sql = "INSERT INTO plugin_setting (org_id, plugin_id, enabled, pinned, secure_json_data, created, updated) "
            "VALUES (1, :n, " + db().BoolLiteral(true) + ", " + db().BoolLiteral(false) + ", " + value + ", " +
            when + ", " + when + ")";
    } else if (t == "secrets") {
      sql = "INSERT INTO secrets (org_id, namespace, " + db().Quote("type") + ", value, created, updated) "
            "VALUES (1, :n, 't', " + value + ", " + when + ", " + when + ")";
    } else if (t == "alert_configuration") {
      sql = "INSERT INTO alert_configuration (alertmanager_configuration, configuration_version, created_at, "
            "org_id) VALUES (" + value + ", 'v1', 0, 1)";
    } else if (t == "sso_setting" || t == "resource") {
      std::string id = column.id_column;
      sql = t == "sso_setting" ? "INSERT INTO sso_setting (id, settings) VALUES (:n, " + value + ")"
                               : "INSERT INTO resource (guid, " + db().Quote("group") +
                                     ", resource, value) VALUES (:n, 'provisioning.grafana.app', 'repositories', " + value + ")";
    } else {
      sql = "INSERT INTO " + t + " (" + column.column + ") VALUES (" + value + ")";
    }
    std::string name = "row" + std::to_string(++counter_);
    auto s = db().Lease();
    if (sql.find(":n2") != std::string::npos) {
      *s << sql, soci::use(name, "n"), soci::use(cell, "c"), soci::use(name, "n2");
    } else if (sql.find(":n") != std::string::npos) {
      *s << sql, soci::use(name, "n"), soci::use(cell, "c");
    } else {
      *s << sql, soci::use(cell, "c");
    }
    return name;
  }

  // Every blob stored in a column, decoded from its cell.
  std::vector<Bytes> Blobs(const SecretColumn& column) {
    std::vector<Bytes> out;
    std::string expr = column.kind == CellKind::kRawBlob ? db().HexOfBlob(column.column) : column.column;
    auto s = db().Lease();
    soci::rowset<std::string> rows =
        (s->prepare << "SELECT " + expr + " FROM " + column.table + " WHERE " + column.column + " IS NOT NULL");
    for (std::string cell : rows) {
      if (column.kind == CellKind::kRawBlob) cell = std::string(AsString(*HexDecode(cell)));
      (void)RewriteCell(column.kind, cell, [&](ByteView b) -> Result<Bytes> {
        out.emplace_back(b.begin(), b.end());
        return Bytes(b.begin(), b.end());
      });
    }
    return out;
  }

  void SeedEveryColumn(const std::string& plaintext) {
    for (const auto& column : SecretColumns()) {
      Insert(column, *process_->cipher->Encrypt(AsBytes(plaintext), kSecretKey));  // legacy, as Grafana 8
      if (!column.legacy_only) Insert(column, *process_->manager->Encrypt(AsBytes(plaintext)));
    }
  }

  void ExpectEveryValueDecryptsTo(const std::string& plaintext, const ProcessKeys& keys = {}) {
    auto fresh = StartProcess(test_database().settings(), keys);
    for (const auto& column : SecretColumns()) {
      for (const Bytes& blob : Blobs(column)) {
        auto plain = fresh->manager->Decrypt(blob);
        ASSERT_TRUE(plain.ok()) << ColumnName(column) << ": " << plain.status().ToString();
        EXPECT_EQ(plain->InsecureString(), plaintext) << ColumnName(column);
      }
    }
  }

  // Defined below the helpers it uses.
  void RotateSecretKeyAndCheck(crypto::Algorithm algorithm);

  std::unique_ptr<TestProcess> process_;
  Progress progress_;
  int counter_ = 0;
};

TEST_P(SecretsMigratorTest, ReEncryptMovesEveryColumnToTheCurrentDataKey) {
  SeedEveryColumn("s3cret");
  ASSERT_TRUE(process_->manager->RotateDataKeys().ok());
  auto report = Migrator().ReEncrypt({});
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(report->ok()) << report->ToText();
  auto current = process_->manager->CurrentDataKeyId();
  for (const auto& column : SecretColumns()) {
    for (const Bytes& blob : Blobs(column)) {
      if (column.legacy_only) {
        EXPECT_FALSE(crypto::IsEnvelope(blob)) << ColumnName(column);
      } else {
        ASSERT_TRUE(crypto::IsEnvelope(blob)) << ColumnName(column);
        EXPECT_EQ(crypto::ParseEnvelope(blob)->key_id, *current) << ColumnName(column);
      }
    }
  }
  int64_t changed = report->TotalChanged();
  EXPECT_EQ(changed, static_cast<int64_t>(SecretColumns().size() * 2 - 1));
  ExpectEveryValueDecryptsTo("s3cret");
}

TEST_P(SecretsMigratorTest, StaleOnlySkipsValuesAlreadyUnderTheCurrentKey) {
  SeedEveryColumn("v");
  auto report = Migrator().ReEncrypt({.stale_only = true});
  ASSERT_TRUE(report.ok());
  int64_t skipped = 0;
  for (const auto& c : report->columns) skipped += c.skipped;
  EXPECT_EQ(skipped, static_cast<int64_t>(SecretColumns().size() - 1));
  ExpectEveryValueDecryptsTo("v");
}

TEST_P(SecretsMigratorTest, MissingTablesAreReportedAndSkipped) {
  *db().Lease() << "DROP TABLE user_external_session";
  auto report = Migrator().ReEncrypt({});
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok());
  bool missing = false;
  for (const auto& c : report->columns) missing |= c.table == "user_external_session" && c.table_missing;
  EXPECT_TRUE(missing);
  EXPECT_THAT(report->ToText(), HasSubstr("user_external_session.access_token"));
}

TEST_P(SecretsMigratorTest, UndecryptableRowIsReportedAndTheRestContinue) {
  const SecretColumn& secrets = SecretColumns()[5];
  ASSERT_EQ(ColumnName(secrets), "secrets.value");
  Insert(secrets, *process_->manager->Encrypt(AsBytes("good")));
  Bytes missing_key = crypto::BuildEnvelope("gone", *process_->cipher->Encrypt(AsBytes("x"), kSecretKey));
  Insert(secrets, missing_key);
  Insert(secrets, *process_->cipher->Encrypt(AsBytes("good"), kSecretKey));
  auto report = Migrator().ReEncrypt({});
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->failures.size(), 1u);
  EXPECT_EQ(report->failures[0].table, "secrets");
  EXPECT_THAT(report->failures[0].reason, HasSubstr("data key not found"));
  EXPECT_FALSE(report->failures[0].row_id.empty());
  EXPECT_EQ(report->TotalChanged(), 2);
}

TEST_P(SecretsMigratorTest, RollbackWritesLegacyValuesThenDeletesDataKeys) {
  SeedEveryColumn("back");
  auto report = Migrator().Rollback({});
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok()) << report->ToText();
  for (const auto& column : SecretColumns()) {
    for (const Bytes& blob : Blobs(column)) EXPECT_FALSE(crypto::IsEnvelope(blob)) << ColumnName(column);
  }
  int keys = -1;
  *db().Lease() << "SELECT COUNT(*) FROM data_keys", soci::into(keys);
  EXPECT_EQ(keys, 0);
  ExpectEveryValueDecryptsTo("back");
}

TEST_P(SecretsMigratorTest, RollbackKeepsDataKeysWhenAnyValueFails) {
  SeedEveryColumn("keep");
  Insert(SecretColumns()[5], crypto::BuildEnvelope("gone", *process_->cipher->Encrypt(AsBytes("x"), kSecretKey)));
  auto report = Migrator().Rollback({});
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->ok());
  int keys = 0;
  *db().Lease() << "SELECT COUNT(*) FROM data_keys", soci::into(keys);
  EXPECT_GT(keys, 0);
  EXPECT_THAT(report->ToText(), HasSubstr("data_keys kept"));
}

TEST_P(SecretsMigratorTest, DryRunAndVerifyWriteNothing) {
  SeedEveryColumn("same");
  auto before = Blobs(SecretColumns()[6]);
  auto dry = Migrator().ReEncrypt({.dry_run = true});
  ASSERT_TRUE(dry.ok());
  EXPECT_GT(dry->TotalChanged(), 0);
  auto verify = Migrator().Verify({});
  ASSERT_TRUE(verify.ok());
  EXPECT_TRUE(verify->ok());
  EXPECT_EQ(Blobs(SecretColumns()[6]), before);
}

TEST_P(SecretsMigratorTest, ConcurrentUpdateDuringTheRunIsNotLost) {
  const SecretColumn& secrets = SecretColumns()[5];
  Insert(secrets, *process_->cipher->Encrypt(AsBytes("old"), kSecretKey));
  Bytes newer = *process_->manager->Encrypt(AsBytes("user's update"));
  std::string newer_cell = CellFor(secrets.kind, newer);
  bool updated = false;
  TableWalker walker(db(), {});
  std::vector<RowFailure> failures;
  auto report = walker.Walk(secrets, [&](ByteView blob) -> Result<std::optional<Bytes>> {
    if (!updated) {  // a user writes the row after we read it, before we write
      updated = true;
      *db().Lease() << "UPDATE secrets SET value = :v", soci::use(newer_cell);
    }
    ASSIGN_OR_RETURN(SecretBytes plain, process_->manager->Decrypt(blob));
    ASSIGN_OR_RETURN(Bytes out, process_->manager->Encrypt(plain.view()));
    return std::optional<Bytes>(std::move(out));
  }, failures);
  EXPECT_TRUE(failures.empty());
  EXPECT_EQ(report.changed, 1);
  EXPECT_EQ(report.concurrent, 1);
  auto blobs = Blobs(secrets);
  ASSERT_EQ(blobs.size(), 1u);
  EXPECT_EQ(process_->manager->Decrypt(blobs[0])->InsecureString(), "user's update");
}

TEST_P(SecretsMigratorTest, OnlyOneWritingOperationAtATime) {
  auto held = OperationLock::Acquire(db(), "re-encrypt");
  ASSERT_TRUE(held.ok());
  auto second = Migrator().ReEncrypt({});
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kAlreadyExists);
  EXPECT_THAT(second.status().message(), HasSubstr("another secrets operation is running: re-encrypt by"));
}

TEST_P(SecretsMigratorTest, WrongSecretKeyRefusesToWrite) {
  SeedEveryColumn("precious");
  ASSERT_TRUE(secrets::KeyCheck(*process_->db, *process_->manager).Run().ok());
  auto wrong = StartProcess(test_database().settings(), "wrong-key");
  SecretsMigrator migrator(*wrong->db, *wrong->manager, progress_);
  auto report = migrator.ReEncrypt({});
  ASSERT_FALSE(report.ok());
  EXPECT_THAT(report.status().message(), HasSubstr("secret_key"));
  ExpectEveryValueDecryptsTo("precious");
}

ProcessKeys Keys(std::string current, std::string previous, crypto::Algorithm algorithm) {
  ProcessKeys keys;
  keys.secret_key = std::move(current);
  keys.previous_secret_key = std::move(previous);
  keys.algorithm = algorithm;
  return keys;
}

// The operator's procedure of docs/operations.md on every column: values and data keys under key
// A; a process with secret_key = B and previous_secret_key = A (writing meanwhile); status;
// re-encrypt-data-keys and re-encrypt; status; then B alone reads everything.
void SecretsMigratorTest::RotateSecretKeyAndCheck(crypto::Algorithm algorithm) {
  const std::string kKeyB = "new-key-B";
  auto before = StartProcess(test_database().settings(), Keys(kDefaultSecretKey, "", algorithm));
  for (const auto& column : SecretColumns()) {
    Insert(column, *before->manager->EncryptLegacy(AsBytes("s3cret")));  // legacy, as Grafana 8
    if (!column.legacy_only) Insert(column, *before->manager->Encrypt(AsBytes("s3cret")));
  }
  ASSERT_TRUE(secrets::KeyCheck(*before->db, *before->manager).Run().ok());

  auto rotating = StartProcess(test_database().settings(), Keys(kKeyB, kDefaultSecretKey, algorithm));
  ASSERT_TRUE(secrets::KeyCheck(*rotating->db, *rotating->manager).Run().ok());
  ASSERT_TRUE(rotating->manager->RotateDataKeys().ok());
  Insert(SecretColumns()[5], *rotating->manager->Encrypt(AsBytes("s3cret")));  // a data key made meanwhile
  auto during = TakeInventory(db(), *rotating->providers, rotating->manager->secret_keys(), false);
  ASSERT_TRUE(during.ok());
  const PreviousKeyUsage& needs = during->previous_secret_key;
  EXPECT_TRUE(needs.Needed());
  EXPECT_EQ(needs.data_keys.size(), 1u);  // the one made meanwhile is under key B
  EXPECT_EQ(needs.values(), static_cast<int64_t>(SecretColumns().size()));
  EXPECT_EQ(needs.values_by_column.at("alert_notification.secure_settings"), 1);
  EXPECT_THAT(during->ToText(), HasSubstr("STILL NEEDED by 1 data keys and " +
                                          std::to_string(SecretColumns().size()) + " legacy values"));

  Progress progress;
  SecretsMigrator migrator(*rotating->db, *rotating->manager, progress);
  auto rewrapped = migrator.ReEncryptDataKeys({});
  ASSERT_TRUE(rewrapped.ok()) << rewrapped.status().ToString();
  EXPECT_TRUE(rewrapped->ok()) << rewrapped->ToText();
  auto moved = migrator.ReEncrypt({});
  ASSERT_TRUE(moved.ok()) << moved.status().ToString();
  EXPECT_TRUE(moved->ok()) << moved->ToText();
  auto after = TakeInventory(db(), *rotating->providers, rotating->manager->secret_keys(), false);
  ASSERT_TRUE(after.ok());
  EXPECT_FALSE(after->previous_secret_key.Needed()) << after->ToText();
  EXPECT_THAT(after->ToText(), HasSubstr("NO LONGER NEEDED"));
  EXPECT_EQ(after->ToJson()["secretKeyRotation"]["previousSecretKeyNeeded"], false);

  auto b = StartProcess(test_database().settings(), Keys(kKeyB, "", algorithm));
  auto ended = secrets::KeyCheck(*b->db, *b->manager).Run();
  ASSERT_TRUE(ended.ok()) << ended.status().ToString();
  EXPECT_THAT(ended->front().detail, HasSubstr("rotation finished"));
  ExpectEveryValueDecryptsTo("s3cret", Keys(kKeyB, "", algorithm));
}

TEST_P(SecretsMigratorTest, SecretKeyRotationWithTheDefaultCfbConfiguration) {
  RotateSecretKeyAndCheck(crypto::Algorithm::kAesCfb);
}

TEST_P(SecretsMigratorTest, SecretKeyRotationWithAesGcmConfigured) {
  RotateSecretKeyAndCheck(crypto::Algorithm::kAesGcm);
}

TEST_P(SecretsMigratorTest, SecretKeyRotationWithAWrongPreviousKeyRefusesToWrite) {
  SeedEveryColumn("precious");
  ASSERT_TRUE(secrets::KeyCheck(*process_->db, *process_->manager).Run().ok());
  auto wrong = StartProcess(test_database().settings(), Keys("new-key-B", "not-the-old-key", crypto::Algorithm::kAesCfb));
  SecretsMigrator migrator(*wrong->db, *wrong->manager, progress_);
  for (auto run : {&SecretsMigrator::ReEncrypt, &SecretsMigrator::ReEncryptDataKeys, &SecretsMigrator::Rollback}) {
    auto report = (migrator.*run)({});
    ASSERT_FALSE(report.ok());
    EXPECT_THAT(report.status().message(), HasSubstr("security.previous_secret_key"));
    EXPECT_THAT(report.status().message(), Not(HasSubstr("not-the-old-key")));
    EXPECT_THAT(report.status().message(), Not(HasSubstr("new-key-B")));
  }
  ExpectEveryValueDecryptsTo("precious");
}

INSTANTIATE_TEST_SUITE_P(AllDialects, SecretsMigratorTest, store::testing::AllDialects(),
                         store::testing::DialectTestName);

}  // namespace
}  // namespace md::operations
