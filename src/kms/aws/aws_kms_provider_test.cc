// AwsKmsProvider against a FakeHttpClient and FakeClock: request shape, signing, error mapping.
#include "kms/aws/aws_kms_provider.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "common/encoding.h"
#include "kms/http/fake_clock.h"
#include "kms/http/fake_http_client.h"

namespace md::kms::aws {
namespace {

using http::FakeClock;
using http::FakeHttpClient;

constexpr char kSecret[] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

std::string HeaderOf(const http::HttpRequest& r, std::string_view name) {
  for (const auto& [k, v] : r.headers) {
    if (http::HeaderNameEquals(k, name)) return v;
  }
  return "";
}

class AwsKmsProviderTest : public testing::Test {
 protected:
  AwsKmsProviderTest() : client_(std::make_shared<FakeHttpClient>()), clock_(std::make_shared<FakeClock>()) {}

  std::unique_ptr<KeyProvider> Make(std::map<std::string, std::string> extra = {}) {
    std::map<std::string, std::string> keys = {
        {"key_id", "alias/ExampleAlias"}, {"access_key_id", "AKIDEXAMPLE"},
        {"secret_access_key", kSecret}, {"region", "us-east-1"}};
    for (auto& [k, v] : extra) keys[k] = v;
    AwsKmsProviderFactory factory(client_, clock_, [](const std::string&) { return std::nullopt; });
    auto p = factory.Create({"awskms.prod", keys}, config::Settings{});
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    return std::move(p).value();
  }

  std::shared_ptr<FakeHttpClient> client_;
  std::shared_ptr<FakeClock> clock_;
};

TEST_F(AwsKmsProviderTest, WrapSendsASignedEncryptAndReturnsTheRawBlob) {
  client_->PushResponse(200, R"({"CiphertextBlob":"AQIDBA==","KeyId":"arn:x","EncryptionAlgorithm":"SYMMETRIC_DEFAULT"})");
  auto provider = Make();
  EXPECT_EQ("awskms.prod", provider->Id());
  SecretBytes dek(ByteView(std::vector<uint8_t>{0, 1, 2, 0, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 0, 15}));
  Result<Bytes> blob = provider->WrapKey(dek);
  ASSERT_TRUE(blob.ok()) << blob.status().ToString();
  EXPECT_EQ(Bytes({1, 2, 3, 4}), *blob);

  const http::HttpRequest& r = client_->Request(0);
  EXPECT_EQ("POST", r.method);
  EXPECT_EQ("https://kms.us-east-1.amazonaws.com/", r.url);
  EXPECT_EQ("application/x-amz-json-1.1", HeaderOf(r, "Content-Type"));
  EXPECT_EQ("TrentService.Encrypt", HeaderOf(r, "X-Amz-Target"));
  EXPECT_EQ("20150830T123600Z", HeaderOf(r, "X-Amz-Date"));
  EXPECT_EQ("kms.us-east-1.amazonaws.com", HeaderOf(r, "Host"));
  EXPECT_EQ(0u, HeaderOf(r, "Authorization").find(
                    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/kms/aws4_request, "
                    "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature="));
  nlohmann::json body = nlohmann::json::parse(r.body.InsecureString());
  EXPECT_EQ("alias/ExampleAlias", body["KeyId"]);
  EXPECT_EQ(Base64EncodePadded(dek.view()), body["Plaintext"]);
}

TEST_F(AwsKmsProviderTest, UnwrapSendsDecryptWithKeyId) {
  client_->PushResponse(200, R"({"KeyId":"arn:x","Plaintext":"AAEC"})");
  auto provider = Make();
  Result<SecretBytes> dek = provider->UnwrapKey(Bytes{9, 9});
  ASSERT_TRUE(dek.ok());
  EXPECT_EQ(std::string("\0\1\2", 3), dek->InsecureString());
  nlohmann::json body = nlohmann::json::parse(client_->Request(0).body.InsecureString());
  EXPECT_EQ("CQk=", body["CiphertextBlob"]);
  EXPECT_EQ("alias/ExampleAlias", body["KeyId"]);
  EXPECT_EQ("TrentService.Decrypt", HeaderOf(client_->Request(0), "X-Amz-Target"));
}

TEST_F(AwsKmsProviderTest, SignsTheSessionToken) {
  client_->PushResponse(200, R"({"CiphertextBlob":"AQ=="})");
  auto provider = Make({{"session_token", "tok"}});
  ASSERT_TRUE(provider->WrapKey(SecretBytes(std::string_view("k"))).ok());
  EXPECT_EQ("tok", HeaderOf(client_->Request(0), "X-Amz-Security-Token"));
  EXPECT_NE(std::string::npos, HeaderOf(client_->Request(0), "Authorization").find("x-amz-security-token"));
}

TEST_F(AwsKmsProviderTest, RetriesThrottlingAndResignsEachAttempt) {
  client_->PushResponse(400, R"({"__type":"ThrottlingException","message":"Rate exceeded"})");
  client_->PushResponse(500, R"({"__type":"KMSInternalException"})");
  client_->PushResponse(200, R"({"CiphertextBlob":"AQ=="})");
  auto config = ParseAwsKmsConfig({"awskms.prod", {{"key_id", "alias/ExampleAlias"}, {"access_key_id", "AKIDEXAMPLE"},
                                                    {"secret_access_key", kSecret}, {"region", "us-east-1"},
                                                    {"retry_base_delay", "2s"}}},
                                   [](const std::string&) { return std::nullopt; });
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  // Jitter at the top of its range: backoff sleeps of 2 s and 4 s, not a random fraction of them
  // (which could add up to less than the second X-Amz-Date resolves).
  auto provider = AwsKmsProvider::New(*config, client_, clock_, [] { return 0.99; });
  ASSERT_TRUE(provider.ok());
  ASSERT_TRUE((*provider)->WrapKey(SecretBytes(std::string_view("k"))).ok());
  ASSERT_EQ(3u, client_->RequestCount());
  // The fake clock advances by each backoff sleep, so every attempt carries a new date and signature.
  EXPECT_NE(HeaderOf(client_->Request(0), "X-Amz-Date"), HeaderOf(client_->Request(2), "X-Amz-Date"));
  EXPECT_NE(HeaderOf(client_->Request(0), "Authorization"), HeaderOf(client_->Request(2), "Authorization"));
}

TEST_F(AwsKmsProviderTest, GivesUpAsUnavailable) {
  client_->Push(UnavailableError("POST 127.0.0.1: connection refused"));
  auto provider = Make({{"max_attempts", "4"}});
  Result<Bytes> r = provider->WrapKey(SecretBytes(std::string_view("k")));
  EXPECT_EQ(StatusCode::kUnavailable, r.status().code());
  EXPECT_EQ(4u, client_->RequestCount());
  EXPECT_EQ(0u, r.status().message().find("awskms.prod: KMS Encrypt: "));
}

TEST_F(AwsKmsProviderTest, MapsKmsErrorsByType) {
  struct Case {
    const char* body;
    StatusCode code;
  } cases[] = {
      {R"({"__type":"UnrecognizedClientException","message":"The security token included in the request is invalid."})",
       StatusCode::kPermissionDenied},
      {R"({"__type":"com.amazonaws.kms#AccessDeniedException:http://x","Message":"denied"})", StatusCode::kPermissionDenied},
      {R"({"__type":"NotFoundException","message":"Alias is not found."})", StatusCode::kNotFound},
      {R"({"__type":"DisabledException","message":"disabled"})", StatusCode::kFailedPrecondition},
      {R"({"__type":"InvalidCiphertextException","message":""})", StatusCode::kInvalidArgument},
      {R"({"__type":"IncorrectKeyException","message":"x"})", StatusCode::kInvalidArgument},
  };
  for (const Case& c : cases) {
    client_ = std::make_shared<FakeHttpClient>();
    client_->PushResponse(400, c.body);
    Result<SecretBytes> r = Make()->UnwrapKey(Bytes{1});
    EXPECT_EQ(c.code, r.status().code()) << c.body;
    EXPECT_EQ(1u, client_->RequestCount()) << c.body;
    EXPECT_EQ(0u, r.status().message().find("awskms.prod: KMS Decrypt: ")) << r.status().message();
  }
  client_ = std::make_shared<FakeHttpClient>();
  client_->PushResponse(400, R"({"__type":"NotFoundException","message":"Alias arn:aws:kms:us-east-1:1:alias/x is not found."})");
  EXPECT_EQ("awskms.prod: KMS Decrypt: NotFoundException: Alias arn:aws:kms:us-east-1:1:alias/x is not found. (HTTP 400)",
            Make()->UnwrapKey(Bytes{1}).status().message());
}

TEST_F(AwsKmsProviderTest, ErrorsNeverEchoTheRequestOrSecrets) {
  client_->PushResponse(400, R"({"__type":"ValidationException","message":"bad"})");
  Result<Bytes> r = Make()->WrapKey(SecretBytes(std::string_view("super-secret-dek")));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(std::string::npos, r.status().message().find(Base64EncodePadded(AsBytes("super-secret-dek"))));
  EXPECT_EQ(std::string::npos, r.status().message().find(kSecret));
}

TEST_F(AwsKmsProviderTest, RejectsBadInputsLocally) {
  auto provider = Make();
  EXPECT_EQ(StatusCode::kInvalidArgument, provider->WrapKey(SecretBytes()).status().code());
  EXPECT_EQ(StatusCode::kInvalidArgument, provider->WrapKey(SecretBytes(std::size_t{4097})).status().code());
  EXPECT_EQ(StatusCode::kInvalidArgument, provider->UnwrapKey(Bytes{}).status().code());
  EXPECT_EQ(0u, client_->RequestCount());
}

TEST_F(AwsKmsProviderTest, MalformedSuccessIsDataLoss) {
  client_->PushResponse(200, R"({"KeyId":"arn:x"})");
  EXPECT_EQ(StatusCode::kDataLoss, Make()->UnwrapKey(Bytes{1}).status().code());
  client_->PushResponse(200, "not json");
  EXPECT_EQ(StatusCode::kDataLoss, Make()->UnwrapKey(Bytes{1}).status().code());
}

TEST_F(AwsKmsProviderTest, FactoryReportsConfigErrors) {
  AwsKmsProviderFactory factory(client_, clock_, [](const std::string&) { return std::nullopt; });
  EXPECT_EQ("awskms", factory.Kind());
  auto r = factory.Create({"awskms.prod", {{"region", "us-east-1"}}}, config::Settings{});
  EXPECT_EQ("awskms.prod: key_id is required", r.status().message());
}

}  // namespace
}  // namespace md::kms::aws
