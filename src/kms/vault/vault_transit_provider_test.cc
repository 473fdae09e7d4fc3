// VaultTransitProvider against a scripted FakeHttpClient: request shape, response handling and
// error mapping.
#include "kms/vault/vault_transit_provider.h"

#include <gtest/gtest.h>

#include "kms/http/fake_clock.h"
#include "kms/http/fake_http_client.h"

namespace md::kms::vault {
namespace {

VaultConfig Config() {
  VaultConfig c;
  c.provider_id = "hashicorpvault.test";
  c.url = *http::ParseUrl("https://vault.example.com:8200/");
  c.token = SecretBytes(std::string_view("hvs.TOKEN"));
  c.key_ring = "md";
  c.token_renewal_interval = std::chrono::milliseconds(0);
  return c;
}

class VaultTransitProviderTest : public testing::Test {
 protected:
  std::unique_ptr<VaultTransitProvider> Make(VaultConfig c = Config()) {
    auto p = VaultTransitProvider::New(std::move(c), client_, clock_, [] { return 0.5; });
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    return std::move(p).value();
  }
  std::shared_ptr<http::FakeHttpClient> client_ = std::make_shared<http::FakeHttpClient>();
  std::shared_ptr<http::FakeClock> clock_ = std::make_shared<http::FakeClock>();
};

TEST_F(VaultTransitProviderTest, WrapPostsBase64PlaintextAndReturnsTheCiphertextText) {
  client_->PushResponse(200, R"({"data":{"ciphertext":"vault:v1:abcd","key_version":1}})");
  Result<Bytes> blob = Make()->WrapKey(SecretBytes(std::string_view("\0\1\2", 3)));
  ASSERT_TRUE(blob.ok()) << blob.status().ToString();
  EXPECT_EQ("vault:v1:abcd", AsString(*blob));
  const http::HttpRequest& r = client_->Request(0);
  EXPECT_EQ("POST", r.method);
  EXPECT_EQ("https://vault.example.com:8200/v1/transit/encrypt/md", r.url);
  EXPECT_EQ(R"({"plaintext":"AAEC"})", AsString(r.body.view()));
  bool has_token = false;
  for (const auto& [k, v] : r.headers) has_token |= k == "X-Vault-Token" && v == "hvs.TOKEN";
  EXPECT_TRUE(has_token);
}

TEST_F(VaultTransitProviderTest, UnwrapPostsTheCiphertextToACustomMount) {
  VaultConfig c = Config();
  c.transit_path = "kms/transit";
  client_->PushResponse(200, R"({"data":{"plaintext":"AAEC"}})");
  Result<SecretBytes> key = Make(std::move(c))->UnwrapKey(AsBytes("vault:v2:abcd"));
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EXPECT_EQ(std::string("\0\1\2", 3), key->InsecureString());
  EXPECT_EQ("https://vault.example.com:8200/v1/kms/transit/decrypt/md", client_->Request(0).url);
  EXPECT_EQ(R"({"ciphertext":"vault:v2:abcd"})", AsString(client_->Request(0).body.view()));
}

TEST_F(VaultTransitProviderTest, RejectsBlobsThatAreNotTransitCiphertexts) {
  auto p = Make();
  for (std::string_view bad : {"", "vault:", "vault:v:abc", "vault:vx:abc", "vault:v1:", "vault:v1:a b", "AAAA"}) {
    EXPECT_EQ(StatusCode::kInvalidArgument, p->UnwrapKey(AsBytes(bad)).status().code()) << bad;
  }
  EXPECT_EQ(0u, client_->RequestCount());
}

TEST_F(VaultTransitProviderTest, MapsVaultErrors) {
  client_->PushResponse(403, R"({"errors":["permission denied"]})");
  Status s = Make()->WrapKey(SecretBytes(std::string_view("k"))).status();
  EXPECT_EQ(StatusCode::kPermissionDenied, s.code());
  EXPECT_EQ("hashicorpvault.test: Vault encrypt: permission denied (HTTP 403)", s.message());
  EXPECT_EQ(std::string::npos, s.message().find("hvs.TOKEN"));

  client_ = std::make_shared<http::FakeHttpClient>();
  client_->PushResponse(400, R"({"errors":["cipher: message authentication failed"]})");
  EXPECT_EQ(StatusCode::kInvalidArgument, Make()->UnwrapKey(AsBytes("vault:v1:abcd")).status().code());
  EXPECT_EQ(1u, client_->RequestCount());
}

TEST_F(VaultTransitProviderTest, RetriesThrottlingAndSealedThenGivesUpAsUnavailable) {
  client_->PushResponse(429, R"({"errors":["rate limit quota exceeded"]})");
  client_->PushResponse(503, R"({"errors":["Vault is sealed"]})");
  client_->PushResponse(200, R"({"data":{"ciphertext":"vault:v1:abcd"}})");
  EXPECT_TRUE(Make()->WrapKey(SecretBytes(std::string_view("k"))).ok());
  EXPECT_EQ(3u, client_->RequestCount());

  client_ = std::make_shared<http::FakeHttpClient>();
  client_->PushResponse(503, R"({"errors":["Vault is sealed"]})");
  Status s = Make()->WrapKey(SecretBytes(std::string_view("k"))).status();
  EXPECT_EQ(StatusCode::kUnavailable, s.code());
  EXPECT_NE(std::string::npos, s.message().find("Vault is sealed")) << s.message();
  EXPECT_EQ(3u, client_->RequestCount());
}

TEST_F(VaultTransitProviderTest, AResponseWithoutACiphertextIsDataLoss) {
  client_->PushResponse(200, R"({"data":{"ciphertext":"nope"}})");
  EXPECT_EQ(StatusCode::kDataLoss, Make()->WrapKey(SecretBytes(std::string_view("k"))).status().code());
}

}  // namespace
}  // namespace md::kms::vault
