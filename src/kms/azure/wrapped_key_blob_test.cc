// WrappedKeyBlob: the stored layout (docs/formats.md §4) and what DecodeWrappedKeyBlob refuses.
#include "kms/azure/wrapped_key_blob.h"

#include <gtest/gtest.h>

namespace md::kms::azure {
namespace {

constexpr char kKid[] = "https://v.vault.azure.net/keys/md/f6bc1f3d37c14b2bb1a2ebb4b24e9535";

TEST(WrappedKeyBlobTest, IsCompactJsonWithAlgKidAndBase64UrlValue) {
  Bytes blob = EncodeWrappedKeyBlob({"RSA-OAEP-256", kKid, Bytes{0xfb, 0xff, 0x00}});
  EXPECT_EQ(std::string(R"({"alg":"RSA-OAEP-256","kid":")") + kKid + R"(","value":"-_8A"})", AsString(blob));
  Result<WrappedKeyBlob> back = DecodeWrappedKeyBlob(blob);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ("RSA-OAEP-256", back->alg);
  EXPECT_EQ(kKid, back->kid);
  EXPECT_EQ((Bytes{0xfb, 0xff, 0x00}), back->value);
}

TEST(WrappedKeyBlobTest, RefusesAnythingElse) {
  for (std::string_view bad : {"", "vault:v1:abc", "{", "[]", R"({"kid":"k","value":"AA"})",
                               R"({"alg":"","kid":"k","value":"AA"})", R"({"alg":"a","kid":1,"value":"AA"})",
                               R"({"alg":"a","kid":"k"})", R"({"alg":"a","kid":"k","value":""})",
                               R"({"alg":"a","kid":"k","value":"+/8A"})"}) {
    Status s = DecodeWrappedKeyBlob(AsBytes(bad)).status();
    EXPECT_EQ(StatusCode::kInvalidArgument, s.code()) << bad;
    EXPECT_EQ(0u, s.message().find("wrapped key is not an azurekv blob")) << s.message();
  }
  EXPECT_TRUE(DecodeWrappedKeyBlob(AsBytes(R"({"alg":"a","kid":"k","value":"AA","extra":1})")).ok());
}

}  // namespace
}  // namespace md::kms::azure
