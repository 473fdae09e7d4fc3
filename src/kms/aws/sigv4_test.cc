#include "kms/aws/sigv4.h"

#include <gtest/gtest.h>

namespace md::kms::aws {
namespace {

constexpr char kSecret[] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

SigV4Request KmsRequest() {
  SigV4Request r;
  r.method = "POST";
  r.path = "/";
  r.headers = {{"Content-Type", "application/x-amz-json-1.1"},
               {"Host", "kms.us-east-1.amazonaws.com"},
               {"X-Amz-Date", "20150830T123600Z"},
               {"X-Amz-Target", "TrentService.Encrypt"}};
  r.body = R"({"KeyId":"alias/ExampleAlias","Plaintext":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="})";
  return r;
}

TEST(SigV4Test, DerivesTheSuiteSigningKey) {
  SecretBytes key = DeriveSigningKey(SecretBytes(std::string_view(kSecret)), "20150830",
                                     {"us-east-1", "service"});
  std::string hex;
  for (uint8_t b : key.view()) {
    static const char* d = "0123456789abcdef";
    hex += d[b >> 4];
    hex += d[b & 15];
  }
  EXPECT_EQ("938127b5336810ddb6a5d6af445fcac9e371f9ed418ed386b022aed82901be75", hex);
}

TEST(SigV4Test, SignsTheKmsEncryptExample) {
  AwsCredentials creds{"AKIDEXAMPLE", SecretBytes(std::string_view(kSecret)), {}};
  Result<SigV4Signature> sig = SignV4(KmsRequest(), creds, {"us-east-1", "kms"});
  ASSERT_TRUE(sig.ok());
  EXPECT_EQ("8f92a93bb6c7d07fd62a011d509b866e09ef05b3bc15f1a040a1f73189e048cd", sig->signature);
  EXPECT_EQ("content-type;host;x-amz-date;x-amz-target", sig->signed_headers);
}

TEST(SigV4Test, FailsWithoutDateOrHost) {
  AwsCredentials creds{"AKIDEXAMPLE", SecretBytes(std::string_view(kSecret)), {}};
  SigV4Request no_date = KmsRequest();
  no_date.headers.erase(no_date.headers.begin() + 2);
  EXPECT_EQ(StatusCode::kInvalidArgument, SignV4(no_date, creds, {"us-east-1", "kms"}).status().code());
  SigV4Request no_host = KmsRequest();
  no_host.headers.erase(no_host.headers.begin() + 1);
  EXPECT_EQ(StatusCode::kInvalidArgument, SignV4(no_host, creds, {"us-east-1", "kms"}).status().code());
}

TEST(SigV4Test, FailsWhenTheSessionTokenIsNotSent) {
  AwsCredentials creds{"AKIDEXAMPLE", SecretBytes(std::string_view(kSecret)),
                       SecretBytes(std::string_view("token"))};
  Result<SigV4Signature> sig = SignV4(KmsRequest(), creds, {"us-east-1", "kms"});
  ASSERT_FALSE(sig.ok());
  EXPECT_EQ(std::string::npos, sig.status().message().find("token\""));
  SigV4Request with_token = KmsRequest();
  with_token.headers.emplace_back("X-Amz-Security-Token", "token");
  ASSERT_TRUE(SignV4(with_token, creds, {"us-east-1", "kms"}).ok());
}

TEST(SigV4Test, ErrorsNeverContainTheSecret) {
  AwsCredentials creds{"", SecretBytes(std::string_view(kSecret)), {}};
  Result<SigV4Signature> sig = SignV4(KmsRequest(), creds, {"us-east-1", "kms"});
  ASSERT_FALSE(sig.ok());
  EXPECT_EQ(std::string::npos, sig.status().message().find(kSecret));
}

TEST(SigV4Test, NormalizesPaths) {
  EXPECT_EQ("/", NormalizePath(""));
  EXPECT_EQ("/", NormalizePath("//"));
  EXPECT_EQ("/", NormalizePath("/a/b/../.."));
  EXPECT_EQ("/a/", NormalizePath("//a//"));
  EXPECT_EQ("/a", NormalizePath("/./a"));
  EXPECT_EQ("/", NormalizePath("/.."));
}

TEST(SigV4Test, UriEncodesLikeTheSpec) {
  EXPECT_EQ("a%20b%2Fc", UriEncode("a b/c", true));
  EXPECT_EQ("/a%20b/c", UriEncode("/a b/c", false));
  EXPECT_EQ("%E1%88%B4", UriEncode("\xE1\x88\xB4", true));
  EXPECT_EQ("-_.~", UriEncode("-_.~", true));
}

TEST(SigV4Test, FormatsAmzDate) {
  auto t = std::chrono::system_clock::from_time_t(1440938160);  // 2015-08-30T12:36:00Z
  EXPECT_EQ("20150830T123600Z", FormatAmzDate(t));
}

}  // namespace
}  // namespace md::kms::aws
