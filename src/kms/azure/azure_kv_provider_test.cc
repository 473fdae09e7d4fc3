// AzureKvProvider against a scripted FakeHttpClient and a FakeClock: request shapes, the stored
// blob, token caching, retries and error mapping.
#include "kms/azure/azure_kv_provider.h"

#include <gtest/gtest.h>

#include "kms/azure/wrapped_key_blob.h"
#include "kms/http/fake_clock.h"
#include "kms/http/fake_http_client.h"

namespace md::kms::azure {
namespace {

constexpr char kV1[] = "f6bc1f3d37c14b2bb1a2ebb4b24e9535";
constexpr char kV2[] = "0123456789abcdef0123456789abcdef";
constexpr char kSecret[] = "Xy8Q~very.secret_value";
constexpr char kToken[] = R"({"token_type":"Bearer","expires_in":3599,"access_token":"eyJ0.tok1"})";

std::string Kid(const char* version) { return std::string("https://v.vault.azure.net/keys/md/") + version; }

std::string WrapResponse(const char* version) {
  return R"({"kid":")" + Kid(version) + R"(","value":"AQID"})";
}

AzureKvConfig Config() {
  AzureKvConfig c;
  c.provider_id = "azurekv.test";
  c.tenant_id = "tenant-1";
  c.client_id = "client-1";
  c.client_secret = SecretBytes(std::string_view(kSecret));
  c.key = *ParseKeyVaultKeyId("https://v.vault.azure.net/keys/md");
  c.authority_host = *http::ParseUrl("https://login.example.com");
  c.scope = "https://vault.azure.net/.default";
  return c;
}

std::string Header(const http::HttpRequest& r, std::string_view name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "";
}

SecretBytes Dek() {
  return SecretBytes(ByteView(std::vector<uint8_t>{0, 1, 2, 0, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 0xff}));
}

class AzureKvProviderTest : public testing::Test {
 protected:
  std::unique_ptr<AzureKvProvider> Make(AzureKvConfig c = Config()) {
    auto p = AzureKvProvider::New(std::move(c), client_, clock_, [] { return 0.5; });
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    return std::move(p).value();
  }
  std::shared_ptr<http::FakeHttpClient> client_ = std::make_shared<http::FakeHttpClient>();
  std::shared_ptr<http::FakeClock> clock_ = std::make_shared<http::FakeClock>();
};

TEST_F(AzureKvProviderTest, WrapGetsATokenAndStoresTheVersionedKidWithTheValue) {
  client_->PushResponse(200, kToken);
  client_->PushResponse(200, WrapResponse(kV1));
  Result<Bytes> blob = Make()->WrapKey(Dek());
  ASSERT_TRUE(blob.ok()) << blob.status().ToString();
  EXPECT_EQ(R"({"alg":"RSA-OAEP-256","kid":")" + Kid(kV1) + R"(","value":"AQID"})", AsString(*blob));

  const http::HttpRequest& token = client_->Request(0);
  EXPECT_EQ("https://login.example.com/tenant-1/oauth2/v2.0/token", token.url);
  EXPECT_EQ("application/x-www-form-urlencoded", Header(token, "Content-Type"));
  EXPECT_EQ("client_id=client-1&scope=https%3A%2F%2Fvault.azure.net%2F.default"
            "&client_secret=Xy8Q~very.secret_value&grant_type=client_credentials",
            AsString(token.body.view()));
  const http::HttpRequest& wrap = client_->Request(1);
  EXPECT_EQ("https://v.vault.azure.net/keys/md/wrapkey?api-version=7.4", wrap.url);
  EXPECT_EQ("Bearer eyJ0.tok1", Header(wrap, "Authorization"));
  EXPECT_EQ(R"({"alg":"RSA-OAEP-256","value":"AAECAAQFBgcICQoLDA0O_w"})", AsString(wrap.body.view()));
}

TEST_F(AzureKvProviderTest, UnwrapPostsToTheVersionInTheBlob) {
  client_->PushResponse(200, kToken);
  client_->PushResponse(200, R"({"kid":")" + Kid(kV2) + R"(","value":"AAECAAQFBgcICQoLDA0O_w"})");
  AzureKvConfig c = Config();
  c.api_version = "7.5";
  Bytes blob = EncodeWrappedKeyBlob({"RSA-OAEP", Kid(kV2), Bytes{1, 2, 3}});
  Result<SecretBytes> dek = Make(std::move(c))->UnwrapKey(blob);
  ASSERT_TRUE(dek.ok()) << dek.status().ToString();
  EXPECT_TRUE(dek->Equals(Dek()));
  EXPECT_EQ(Kid(kV2) + "/unwrapkey?api-version=7.5", client_->Request(1).url);
  EXPECT_EQ(R"({"alg":"RSA-OAEP","value":"AQID"})", AsString(client_->Request(1).body.view()));
}

TEST_F(AzureKvProviderTest, ThePinnedVersionIsUsedForWrapping) {
  AzureKvConfig c = Config();
  c.key.version = kV1;
  client_->PushResponse(200, kToken);
  client_->PushResponse(200, WrapResponse(kV1));
  ASSERT_TRUE(Make(std::move(c))->WrapKey(Dek()).ok());
  EXPECT_EQ(Kid(kV1) + "/wrapkey?api-version=7.4", client_->Request(1).url);
}

TEST_F(AzureKvProviderTest, TheTokenIsCachedUntilFiveMinutesBeforeItExpires) {
  client_->PushResponse(200, kToken);
  client_->PushResponse(200, WrapResponse(kV1));
  client_->PushResponse(200, WrapResponse(kV1));
  client_->PushResponse(200, R"({"token_type":"Bearer","expires_in":3599,"access_token":"eyJ0.tok2"})");
  client_->PushResponse(200, WrapResponse(kV1));
  auto p = Make();
  ASSERT_TRUE(p->WrapKey(Dek()).ok());
  clock_->Advance(std::chrono::minutes(54));
  ASSERT_TRUE(p->WrapKey(Dek()).ok());
  clock_->Advance(std::chrono::minutes(1));
  ASSERT_TRUE(p->WrapKey(Dek()).ok());
  ASSERT_EQ(5u, client_->RequestCount());
  EXPECT_EQ("Bearer eyJ0.tok1", Header(client_->Request(2), "Authorization"));
  EXPECT_EQ("Bearer eyJ0.tok2", Header(client_->Request(4), "Authorization"));
  EXPECT_EQ(2, p->TokenFetches());
}

TEST_F(AzureKvProviderTest, RetriesThrottlingAndServerErrorsHonouringRetryAfter) {
  client_->PushResponse(200, kToken);
  client_->PushResponse(429, R"({"error":{"code":"Throttled","message":"Request was not processed"}})",
                        {{"Retry-After", "3"}});
  client_->PushResponse(503, R"({"error":{"code":"ServiceUnavailable","message":"try later"}})");
  client_->PushResponse(200, WrapResponse(kV1));
  ASSERT_TRUE(Make()->WrapKey(Dek()).ok());
  EXPECT_EQ(4u, client_->RequestCount());
  std::vector<std::chrono::milliseconds> sleeps = clock_->Sleeps();
  ASSERT_EQ(2u, sleeps.size());
  EXPECT_EQ(std::chrono::seconds(3), sleeps[0]);  // Retry-After beats the 0.5 s jittered backoff
  EXPECT_EQ(std::chrono::seconds(1), sleeps[1]);  // 0.5 * 2 s
  for (std::size_t i = 1; i < 4; ++i) EXPECT_EQ("Bearer eyJ0.tok1", Header(client_->Request(i), "Authorization"));
}

TEST_F(AzureKvProviderTest, GivesUpAsUnavailableWithinTheBudget) {
  client_->PushResponse(200, kToken);
  client_->PushResponse(503, R"({"error":{"code":"ServiceUnavailable","message":"down"}})");
  Status s = Make()->WrapKey(Dek()).status();
  EXPECT_EQ(StatusCode::kUnavailable, s.code());
  EXPECT_EQ("azurekv.test: Key Vault wrapkey: ServiceUnavailable: down (HTTP 503) (gave up after 5 attempts)",
            s.message());
  EXPECT_EQ(6u, client_->RequestCount());
}

TEST_F(AzureKvProviderTest, DoesNotRetryRefusals) {
  client_->PushResponse(200, kToken);
  client_->PushResponse(403, R"({"error":{"code":"Forbidden","message":"Caller is not authorized.",)"
                             R"("innererror":{"code":"ForbiddenByRbac"}}})");
  Status s = Make()->WrapKey(Dek()).status();
  EXPECT_EQ(StatusCode::kPermissionDenied, s.code());
  EXPECT_EQ("azurekv.test: Key Vault wrapkey: Forbidden (ForbiddenByRbac): Caller is not authorized. (HTTP 403)",
            s.message());
  EXPECT_EQ(2u, client_->RequestCount());

  client_ = std::make_shared<http::FakeHttpClient>();
  client_->PushResponse(200, kToken);
  client_->PushResponse(404, R"({"error":{"code":"KeyNotFound","message":"A key with (name/id) md was not found"}})");
  EXPECT_EQ(StatusCode::kNotFound, Make()->WrapKey(Dek()).status().code());
  EXPECT_EQ(2u, client_->RequestCount());
}

TEST_F(AzureKvProviderTest, ARefusedSecretIsPermissionDeniedAndNeverEchoed) {
  client_->PushResponse(401, std::string(R"({"error":"invalid_client","error_description":"AADSTS7000215: )") +
                                 R"(Invalid client secret provided: )" + kSecret + R"(\r\nTrace ID: 1"})");
  Status s = Make()->WrapKey(Dek()).status();
  EXPECT_EQ(StatusCode::kPermissionDenied, s.code());
  EXPECT_EQ("azurekv.test: Key Vault wrapkey: token endpoint: invalid_client: AADSTS7000215: Invalid client secret "
            "provided: [client_secret]  Trace ID: 1 (HTTP 401)",
            s.message());
  EXPECT_EQ(1u, client_->RequestCount());
}

TEST_F(AzureKvProviderTest, AnExpiredTokenIsReplacedOnceAfterA401) {
  client_->PushResponse(200, kToken);
  client_->PushResponse(401, R"({"error":{"code":"Unauthorized","message":"[TokenExpired] Error validating token"}})");
  client_->PushResponse(200, R"({"token_type":"Bearer","expires_in":3599,"access_token":"eyJ0.tok2"})");
  client_->PushResponse(200, WrapResponse(kV1));
  auto p = Make();
  ASSERT_TRUE(p->WrapKey(Dek()).ok());
  EXPECT_EQ("Bearer eyJ0.tok2", Header(client_->Request(3), "Authorization"));
  EXPECT_EQ(2, p->TokenFetches());
}

TEST_F(AzureKvProviderTest, AWrapAnswerForAnotherKeyOrWithoutVersionIsDataLoss) {
  client_->PushResponse(200, kToken);
  client_->PushResponse(200, R"({"kid":"https://v.vault.azure.net/keys/other/)" + std::string(kV1) +
                                 R"(","value":"AQID"})");
  auto p = Make();
  Status s = p->WrapKey(Dek()).status();
  EXPECT_EQ(StatusCode::kDataLoss, s.code());
  EXPECT_NE(std::string::npos, s.message().find("is not a version of https://v.vault.azure.net/keys/md"))
      << s.message();
  client_->PushResponse(200, R"({"kid":"https://v.vault.azure.net/keys/md","value":"AQID"})");
  EXPECT_EQ(StatusCode::kDataLoss, p->WrapKey(Dek()).status().code());
  client_->PushResponse(200, R"({"kid":")" + Kid(kV1) + R"(","value":"+/8"})");
  EXPECT_EQ(StatusCode::kDataLoss, p->WrapKey(Dek()).status().code());
}

TEST_F(AzureKvProviderTest, BlobsOfOtherKeysAndBadSizesAreRefusedWithoutARequest) {
  auto p = Make();
  std::string evil_kid = "https://evil.example.com/keys/md/" + std::string(kV1);
  Bytes other_vault = EncodeWrappedKeyBlob({"RSA-OAEP-256", evil_kid, {1}});
  Status s = p->UnwrapKey(other_vault).status();
  EXPECT_EQ(StatusCode::kInvalidArgument, s.code());
  EXPECT_EQ("azurekv.test: kid " + evil_kid + " is not a version of https://v.vault.azure.net/keys/md", s.message());
  Bytes versionless = EncodeWrappedKeyBlob({"RSA-OAEP-256", "https://v.vault.azure.net/keys/md", {1}});
  EXPECT_EQ(StatusCode::kInvalidArgument, p->UnwrapKey(versionless).status().code());
  EXPECT_EQ(StatusCode::kInvalidArgument,
            p->UnwrapKey(EncodeWrappedKeyBlob({"RSA1_5", Kid(kV1), {1}})).status().code());
  EXPECT_EQ(StatusCode::kInvalidArgument, p->UnwrapKey(AsBytes("vault:v1:abc")).status().code());
  EXPECT_EQ(StatusCode::kInvalidArgument, p->WrapKey(SecretBytes()).status().code());
  EXPECT_EQ("azurekv.test: data key must be 1..190 bytes for RSA-OAEP-256",
            p->WrapKey(SecretBytes(std::size_t{191})).status().message());
  EXPECT_EQ(0u, client_->RequestCount());
}

TEST_F(AzureKvProviderTest, AnUnwrapKeyVaultRefusesIsInvalidArgument) {
  client_->PushResponse(200, kToken);
  client_->PushResponse(400, R"({"error":{"code":"BadParameter","message":"The parameter is incorrect.\r\n"}})");
  Status s = Make()->UnwrapKey(EncodeWrappedKeyBlob({"RSA-OAEP-256", Kid(kV1), {1, 2, 3}})).status();
  EXPECT_EQ(StatusCode::kInvalidArgument, s.code());
  EXPECT_EQ("azurekv.test: Key Vault unwrapkey: BadParameter: The parameter is incorrect. (HTTP 400)", s.message());
}

}  // namespace
}  // namespace md::kms::azure
