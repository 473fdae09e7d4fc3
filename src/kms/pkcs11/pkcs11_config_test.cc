#include "kms/pkcs11/pkcs11_config.h"

#include <gtest/gtest.h>

namespace md::kms::pkcs11 {
namespace {

config::ProviderSection Section(std::map<std::string, std::string> keys) {
  return {"pkcs11.hsm", std::move(keys)};
}

std::map<std::string, std::string> Minimal() {
  return {{"module", "/usr/lib/softhsm/libsofthsm2.so"}, {"token_label", "metrics"}, {"pin", "s3cret-PIN"},
          {"key_label", "kek"}};
}

std::string Error(std::map<std::string, std::string> keys) {
  return ParsePkcs11Config(Section(std::move(keys))).status().message();
}

TEST(Pkcs11ConfigTest, ParsesTokenLabelPinAndKeyLabel) {
  Result<Pkcs11Config> c = ParsePkcs11Config(Section(Minimal()));
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ("pkcs11.hsm", c->provider_id);
  EXPECT_EQ("/usr/lib/softhsm/libsofthsm2.so", c->module);
  EXPECT_EQ("metrics", c->token_label);
  EXPECT_FALSE(c->slot.has_value());
  EXPECT_EQ("s3cret-PIN", c->pin.InsecureString());
  EXPECT_EQ("kek", c->key_label);
  EXPECT_EQ("token \"metrics\"", DescribeToken(*c));
}

TEST(Pkcs11ConfigTest, ParsesASlotIdInsteadOfALabel) {
  auto keys = Minimal();
  keys.erase("token_label");
  keys["slot"] = "1598134240";
  Result<Pkcs11Config> c = ParsePkcs11Config(Section(keys));
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(1598134240u, c->slot.value());
  EXPECT_EQ("slot 1598134240", DescribeToken(*c));
}

TEST(Pkcs11ConfigTest, ErrorsAreOneLineNamingTheKey) {
  auto keys = Minimal();
  keys.erase("module");
  EXPECT_EQ("pkcs11.hsm: module is required (the PKCS#11 library's path)", Error(keys));
  keys = Minimal();
  keys.erase("key_label");
  EXPECT_EQ("pkcs11.hsm: key_label is required", Error(keys));
  keys = Minimal();
  keys.erase("token_label");
  EXPECT_EQ("pkcs11.hsm: token_label (or slot) is required", Error(keys));
  keys["token_label"] = "metrics";
  keys["slot"] = "1";
  EXPECT_EQ("pkcs11.hsm: set token_label or slot, not both", Error(keys));
  keys.erase("token_label");
  keys["slot"] = "-1";
  EXPECT_EQ("pkcs11.hsm: slot must be a slot id (a decimal number)", Error(keys));
  keys = Minimal();
  keys["token_label"] = std::string(33, 'x');
  EXPECT_EQ(0u, Error(keys).find("pkcs11.hsm: token_label must be at most 32 bytes"));
  keys = Minimal();
  keys["keylabel"] = "kek";
  EXPECT_EQ("pkcs11.hsm: unknown key \"keylabel\"", Error(keys));
  keys = Minimal();
  keys["max_attempts"] = "3";  // the HTTP providers' retry keys do not apply here
  EXPECT_EQ("pkcs11.hsm: unknown key \"max_attempts\"", Error(keys));
}

TEST(Pkcs11ConfigTest, AMissingPinIsAnErrorThatNeverShowsAPin) {
  auto keys = Minimal();
  keys["pin"] = "";
  EXPECT_EQ("pkcs11.hsm: pin is required (e.g. pin = $__file{/run/secrets/hsm-pin})", Error(keys));
  keys = Minimal();
  keys.erase("key_label");
  EXPECT_EQ(std::string::npos, Error(keys).find("s3cret-PIN"));
}

}  // namespace
}  // namespace md::kms::pkcs11
