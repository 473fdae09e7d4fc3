#include "operations/cell_codec.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/encoding.h"

namespace md::operations {
namespace {

using ::testing::HasSubstr;

// Rewrites each value by appending "!" so a test can see which values were touched.
Result<Bytes> Bang(ByteView blob) {
  Bytes out(blob.begin(), blob.end());
  out.push_back('!');
  return out;
}

std::string B64(std::string_view s) { return Base64EncodePadded(AsBytes(s)); }
std::string B64Raw(std::string_view s) { return Base64EncodeRaw(AsBytes(s)); }

TEST(CellCodecTest, SingleValueCellsKeepTheirEncoding) {
  auto raw = RewriteCell(CellKind::kRawBlob, "abc", Bang);
  EXPECT_EQ(raw->cell, "abc!");
  auto padded = RewriteCell(CellKind::kBase64Padded, B64("abcd"), Bang);
  EXPECT_EQ(padded->cell, B64("abcd!"));
  auto unpadded = RewriteCell(CellKind::kBase64Raw, B64Raw("abcd"), Bang);
  EXPECT_EQ(unpadded->cell, B64Raw("abcd!"));
  EXPECT_EQ(unpadded->values, 1);
}

TEST(CellCodecTest, EmptyCellsHoldNoValues) {
  for (CellKind kind : {CellKind::kRawBlob, CellKind::kBase64Padded, CellKind::kJsonMap}) {
    auto r = RewriteCell(kind, kind == CellKind::kJsonMap ? "{}" : "", Bang);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->values, 0);
  }
}

TEST(CellCodecTest, JsonMapRewritesEveryKeyAndFailsTheRowOnOneBadValue) {
  std::string cell = "{\"a\":\"" + B64("x") + "\",\"b\":\"" + B64("y") + "\"}";
  auto r = RewriteCell(CellKind::kJsonMap, cell, Bang);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->cell, "{\"a\":\"" + B64("x!") + "\",\"b\":\"" + B64("y!") + "\"}");
  EXPECT_EQ(r->values, 2);
  auto failing = RewriteCell(CellKind::kJsonMap, cell, [](ByteView b) -> Result<Bytes> {
    if (AsString(b) == "y") return DataLossError("bad tag");
    return Bytes(b.begin(), b.end());
  });
  ASSERT_FALSE(failing.ok());
  EXPECT_THAT(failing.status().message(), HasSubstr("key b"));
}

TEST(CellCodecTest, AlertingRewritesSecureSettingsOfEveryReceiver) {
  nlohmann::ordered_json doc = {
      {"template_files", nlohmann::json::object()},
      {"alertmanager_config",
       {{"route", {{"receiver", "r1"}}},
        {"receivers",
         {{{"name", "r1"},
           {"grafana_managed_receiver_configs",
            {{{"uid", "u1"}, {"type", "webhook"}, {"secureSettings", {{"password", B64("p1")}}}},
             {{"uid", "u2"}, {"type", "slack"}, {"secureSettings", {{"url", B64("p2")}, {"token", B64("p3")}}}}}}},
          {{"name", "r2"}}}}}}};
  auto r = RewriteCell(CellKind::kAlerting, doc.dump(), Bang);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->values, 3);
  auto out = nlohmann::ordered_json::parse(r->cell);
  auto& configs = out["alertmanager_config"]["receivers"][0]["grafana_managed_receiver_configs"];
  EXPECT_EQ(configs[0]["secureSettings"]["password"], B64("p1!"));
  EXPECT_EQ(configs[1]["secureSettings"]["token"], B64("p3!"));
  EXPECT_EQ(out.begin().key(), "template_files");  // field order kept
}

TEST(CellCodecTest, SsoRewritesSecretNamedStringsAtAnyDepth) {
  nlohmann::ordered_json doc = {{"clientId", "id"},
                                {"clientSecret", B64Raw("s1")},
                                {"nested", {{"privateKey", B64Raw("s2")}, {"certificate", ""}}},
                                {"list", {{{"tlsClientKey", B64Raw("s3")}}}},
                                {"enabled", true}};
  auto r = RewriteCell(CellKind::kSso, doc.dump(), Bang);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->values, 2);  // "tlsClientKey" does not contain client_key; "" is no value
  auto out = nlohmann::json::parse(r->cell);
  EXPECT_EQ(out["clientSecret"], B64Raw("s1!"));
  EXPECT_EQ(out["nested"]["privateKey"], B64Raw("s2!"));
  EXPECT_EQ(out["clientId"], "id");
}

TEST(CellCodecTest, ProvisioningRewritesTokenAndWebhookSecret) {
  nlohmann::json doc = {{"spec", {{"github", {{"encryptedToken", B64("t")}}}}},
                        {"status", {{"webhook", {{"encryptedSecret", B64("w")}}}}}};
  auto r = RewriteCell(CellKind::kProvisioning, doc.dump(), Bang);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->values, 2);
  auto none = RewriteCell(CellKind::kProvisioning, "{\"spec\":{}}", Bang);
  EXPECT_EQ(none->values, 0);
}

TEST(CellCodecTest, UnparsableCellsFailWithoutEchoingContent) {
  auto r = RewriteCell(CellKind::kAlerting, "{not json secret123", Bang);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), ::testing::Not(HasSubstr("secret123")));
  EXPECT_FALSE(RewriteCell(CellKind::kBase64Raw, "***", Bang).ok());
}

}  // namespace
}  // namespace md::operations
