// Pkcs11Provider against real SoftHSM2 tokens made for this test process (testing/softhsm_token.h):
// token "md-a" holds the KEK "kek" and some unusable keys, token "md-b" another "kek", and token
// "md-pin" is used only for wrong-PIN tests (PKCS#11 login state is shared by every session of a
// process, so a wrong PIN is only noticed on a token nobody here is logged in to).
#include "kms/pkcs11/pkcs11_provider.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "kms/pkcs11/testing/softhsm_token.h"
#include "kms/pkcs11/wrapped_key_format.h"
#include "kms/provider_set.h"
#include "kms/secret_key/secret_key_provider.h"

namespace md::kms::pkcs11 {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kPinA[] = "1234";
constexpr char kPinB[] = "5678";
constexpr char kPinOnly[] = "246810";

// The tokens and keys, made once per test process (before the module is first loaded), with the
// module kept loaded until the last test of the suite.
class Pkcs11ProviderTest : public ::testing::Test {
 public:
  static void SetUpTestSuite() { setup_ = MakeTokens(); }
  static void TearDownTestSuite() {
    module_.reset();
    hsm_.reset();
  }
  void SetUp() override { ASSERT_TRUE(setup_.ok()) << "SoftHSM2 setup: " << setup_.ToString(); }

  static const Pkcs11Module& module() { return *module_; }

 private:
  static Status MakeTokens() {
    ASSIGN_OR_RETURN(hsm_, testing::SoftHsm::Create());
    for (auto [label, pin] : {std::pair{"md-a", kPinA}, {"md-b", kPinB}, {"md-pin", kPinOnly}}) {
      if (Status s = hsm_->InitToken(label, pin); !s.ok()) return s;
    }
    ASSIGN_OR_RETURN(module_, Pkcs11Module::Load(testing::kSoftHsmModule));
    std::vector<std::tuple<const char*, const char*, testing::KeySpec>> keys = {
        {"md-a", kPinA, {.label = "kek"}},
        {"md-a", kPinA, {.label = "extractable", .extractable = true, .sensitive = false}},
        {"md-a", kPinA, {.label = "no-wrap", .wrap = false}},
        {"md-a", kPinA, {.label = "generic", .type = CKK_GENERIC_SECRET}},
        {"md-a", kPinA, {.label = "twice"}},
        {"md-a", kPinA, {.label = "twice"}},
        {"md-b", kPinB, {.label = "kek"}},
        {"md-pin", kPinOnly, {.label = "kek"}}};
    for (const auto& [token, pin, spec] : keys) {
      Status s = testing::GenerateKey(*module_, token, pin, spec);
      if (!s.ok()) return s.WithContext(std::string(token) + " " + spec.label);
    }
    return OkStatus();
  }

  static inline Status setup_;
  static inline std::unique_ptr<testing::SoftHsm> hsm_;
  static inline std::shared_ptr<const Pkcs11Module> module_;
};

std::map<std::string, std::string> Keys(const std::string& token = "md-a", const std::string& pin = kPinA,
                                        const std::string& key = "kek") {
  return {{"module", testing::kSoftHsmModule}, {"token_label", token}, {"pin", pin}, {"key_label", key}};
}

Result<std::unique_ptr<KeyProvider>> Create(std::map<std::string, std::string> keys) {
  return Pkcs11ProviderFactory().Create({"pkcs11.hsm", std::move(keys)}, config::Settings{});
}

std::unique_ptr<KeyProvider> MustCreate(std::map<std::string, std::string> keys) {
  Result<std::unique_ptr<KeyProvider>> provider = Create(std::move(keys));
  EXPECT_TRUE(provider.ok()) << provider.status().ToString();
  return provider.ok() ? std::move(provider).value() : nullptr;
}

SecretBytes Dek(uint8_t seed, std::size_t size = 16) {
  SecretBytes dek(size);
  for (std::size_t i = 0; i < size; ++i) dek.data()[i] = static_cast<uint8_t>(seed + i * 7);
  return dek;
}

TEST_F(Pkcs11ProviderTest, WrapsAndUnwrapsDataKeysOfSeveralSizes) {
  auto provider = MustCreate(Keys());
  ASSERT_NE(nullptr, provider);
  EXPECT_EQ("pkcs11.hsm", provider->Id());
  for (std::size_t size : {8, 16, 24, 32, 64, 1024}) {
    SecretBytes dek = Dek(static_cast<uint8_t>(size), size);
    Result<Bytes> blob = provider->WrapKey(dek);
    ASSERT_TRUE(blob.ok()) << blob.status().ToString();
    Result<SecretBytes> back = provider->UnwrapKey(*blob);
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_TRUE(back->Equals(dek)) << size;
  }
}

TEST_F(Pkcs11ProviderTest, ABlobIsVersionMechanismAndTheRfc5649Wrap) {
  auto provider = MustCreate(Keys());
  ASSERT_NE(nullptr, provider);
  Result<Bytes> blob = provider->WrapKey(Dek(1));
  ASSERT_TRUE(blob.ok()) << blob.status().ToString();
  ASSERT_EQ(5u + 24u, blob->size());  // 16-byte DEK -> 24 wrapped bytes
  EXPECT_EQ((Bytes{0x01, 0x00, 0x00, 0x21, 0x0A}), Bytes(blob->begin(), blob->begin() + 5));
  EXPECT_EQ(*blob, *provider->WrapKey(Dek(1)));  // KWP is deterministic
  EXPECT_NE(*blob, *provider->WrapKey(Dek(2)));
}

// Wraps and unwraps from 16 threads at once; returns the number of failed round trips.
int ConcurrentRoundTrips(const KeyProvider& provider) {
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 16; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 40; ++i) {
        SecretBytes dek = Dek(static_cast<uint8_t>(t * 40 + i));
        Result<Bytes> blob = provider.WrapKey(dek);
        Result<SecretBytes> back = blob.ok() ? provider.UnwrapKey(*blob) : blob.status();
        if (!back.ok() || !back->Equals(dek)) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  return failures.load();
}

TEST_F(Pkcs11ProviderTest, WrapsAndUnwrapsFromManyThreadsAtOnce) {
  auto provider = MustCreate(Keys());
  ASSERT_NE(nullptr, provider);
  EXPECT_EQ(0, ConcurrentRoundTrips(*provider));
}

TEST_F(Pkcs11ProviderTest, RecoversWhenItsSessionsAreClosedUnderIt) {
  auto provider = MustCreate(Keys());
  ASSERT_NE(nullptr, provider);
  Result<Bytes> blob = provider->WrapKey(Dek(3));
  ASSERT_TRUE(blob.ok()) << blob.status().ToString();
  EXPECT_EQ(0, ConcurrentRoundTrips(*provider));  // leaves several idle sessions in the pool
  // Closes every session of this process on the token, which also logs it out.
  Result<CK_SLOT_ID> slot = testing::SlotOfToken(module(), "md-a");
  ASSERT_TRUE(slot.ok());
  ASSERT_EQ(CKR_OK, module().functions()->C_CloseAllSessions(*slot));
  Result<SecretBytes> back = provider->UnwrapKey(*blob);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_TRUE(back->Equals(Dek(3)));
  EXPECT_EQ(0, ConcurrentRoundTrips(*provider));
}

TEST_F(Pkcs11ProviderTest, AWrongPinIsPermissionDeniedAndNeverEchoed) {
  Result<std::unique_ptr<KeyProvider>> provider = Create(Keys("md-pin", "99999999"));
  ASSERT_FALSE(provider.ok());
  EXPECT_EQ(StatusCode::kPermissionDenied, provider.status().code());
  EXPECT_EQ("pkcs11.hsm: login to token \"md-pin\" failed: wrong PIN (CKR_PIN_INCORRECT)",
            provider.status().message());
  EXPECT_THAT(provider.status().message(), Not(HasSubstr("99999999")));
  EXPECT_TRUE(Create(Keys("md-pin", kPinOnly)).ok());
}

TEST_F(Pkcs11ProviderTest, AnUnknownTokenLabelIsNotFound) {
  Result<std::unique_ptr<KeyProvider>> provider = Create(Keys("no-such-token"));
  ASSERT_FALSE(provider.ok());
  EXPECT_EQ(StatusCode::kNotFound, provider.status().code());
  EXPECT_THAT(provider.status().message(),
              HasSubstr("pkcs11.hsm: no token labelled \"no-such-token\" in module "
                        "/usr/lib/softhsm/libsofthsm2.so (tokens: \""));
  for (const char* label : {"\"md-a\"", "\"md-b\"", "\"md-pin\""}) {
    EXPECT_THAT(provider.status().message(), HasSubstr(label));
  }
}

TEST_F(Pkcs11ProviderTest, SelectsTheTokenBySlotId) {
  Result<CK_SLOT_ID> slot_b = testing::SlotOfToken(module(), "md-b");
  ASSERT_TRUE(slot_b.ok()) << slot_b.status().ToString();
  auto keys = Keys("", kPinB);
  keys.erase("token_label");
  keys["slot"] = std::to_string(*slot_b);
  auto by_slot = MustCreate(keys);
  auto by_label = MustCreate(Keys("md-b", kPinB));
  ASSERT_TRUE(by_slot && by_label);
  Result<Bytes> blob = by_slot->WrapKey(Dek(4));
  ASSERT_TRUE(blob.ok()) << blob.status().ToString();
  Result<SecretBytes> back = by_label->UnwrapKey(*blob);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_TRUE(back->Equals(Dek(4)));
}

TEST_F(Pkcs11ProviderTest, AnUnknownSlotIsNotFound) {
  auto keys = Keys();
  keys.erase("token_label");
  keys["slot"] = "4242424242";
  Result<std::unique_ptr<KeyProvider>> provider = Create(keys);
  ASSERT_FALSE(provider.ok());
  EXPECT_EQ(StatusCode::kNotFound, provider.status().code());
  EXPECT_EQ("pkcs11.hsm: no slot 4242424242 in the module", provider.status().message());
}

TEST_F(Pkcs11ProviderTest, AMissingKeyLabelIsNotFound) {
  Result<std::unique_ptr<KeyProvider>> provider = Create(Keys("md-a", kPinA, "no-such-key"));
  ASSERT_FALSE(provider.ok());
  EXPECT_EQ(StatusCode::kNotFound, provider.status().code());
  EXPECT_EQ("pkcs11.hsm: no secret key labelled \"no-such-key\" on token \"md-a\"", provider.status().message());
}

TEST_F(Pkcs11ProviderTest, AMissingModuleFileIsInvalidArgument) {
  auto keys = Keys();
  keys["module"] = "/nonexistent/libpkcs11.so";
  Result<std::unique_ptr<KeyProvider>> provider = Create(keys);
  ASSERT_FALSE(provider.ok());
  EXPECT_EQ(StatusCode::kInvalidArgument, provider.status().code());
  EXPECT_EQ("pkcs11.hsm: module /nonexistent/libpkcs11.so does not exist or is not a file",
            provider.status().message());
}

TEST_F(Pkcs11ProviderTest, ALibraryThatIsNotAPkcs11ModuleIsInvalidArgument) {
  auto keys = Keys();
  keys["module"] = std::string(MD_SOURCE_DIR) + "/CMakeLists.txt";
  Result<std::unique_ptr<KeyProvider>> provider = Create(keys);
  ASSERT_FALSE(provider.ok());
  EXPECT_EQ(StatusCode::kInvalidArgument, provider.status().code());
  EXPECT_THAT(provider.status().message(), HasSubstr("CMakeLists.txt cannot be loaded: "));
  keys["module"] = "libz.so.1";  // a real library without C_GetFunctionList
  provider = Create(keys);
  ASSERT_FALSE(provider.ok());
  EXPECT_EQ("pkcs11.hsm: module libz.so.1 is not a PKCS#11 library (no C_GetFunctionList)",
            provider.status().message());
}

TEST_F(Pkcs11ProviderTest, RefusesKeysThatCouldLeaveTheTokenOrCannotWrap) {
  for (const char* label : {"extractable", "no-wrap", "generic"}) {
    Result<std::unique_ptr<KeyProvider>> provider = Create(Keys("md-a", kPinA, label));
    ASSERT_FALSE(provider.ok()) << label;
    EXPECT_EQ(StatusCode::kFailedPrecondition, provider.status().code()) << provider.status().ToString();
    EXPECT_THAT(provider.status().message(), HasSubstr("pkcs11.hsm: key \"" + std::string(label) + "\""));
  }
  Result<std::unique_ptr<KeyProvider>> twice = Create(Keys("md-a", kPinA, "twice"));
  EXPECT_EQ(StatusCode::kFailedPrecondition, twice.status().code());
  EXPECT_THAT(twice.status().message(), HasSubstr("more than one secret key is labelled \"twice\""));
}

TEST_F(Pkcs11ProviderTest, TheTestKekIsSensitiveAndNotExtractable) {
  auto flag = [](CK_ATTRIBUTE_TYPE attribute) {
    Result<bool> value = testing::KeyFlag(module(), "md-a", kPinA, "kek", attribute);
    EXPECT_TRUE(value.ok()) << value.status().ToString();
    return value.ok() && *value;
  };
  EXPECT_FALSE(flag(CKA_EXTRACTABLE));
  EXPECT_TRUE(flag(CKA_NEVER_EXTRACTABLE));
  EXPECT_TRUE(flag(CKA_SENSITIVE));
  EXPECT_TRUE(flag(CKA_TOKEN));
}

TEST_F(Pkcs11ProviderTest, ATamperedBlobIsDataLossAndAMangledHeaderInvalidArgument) {
  auto provider = MustCreate(Keys());
  ASSERT_NE(nullptr, provider);
  Result<Bytes> blob = provider->WrapKey(Dek(5));
  ASSERT_TRUE(blob.ok()) << blob.status().ToString();
  for (std::size_t i = 0; i < blob->size(); ++i) {
    Bytes tampered = *blob;
    tampered[i] ^= 0x01;
    Result<SecretBytes> back = provider->UnwrapKey(tampered);
    ASSERT_FALSE(back.ok()) << "byte " << i;
    EXPECT_EQ(i < 5 ? StatusCode::kInvalidArgument : StatusCode::kDataLoss, back.status().code())
        << i << ": " << back.status().ToString();
  }
  Result<SecretBytes> back = provider->UnwrapKey(Bytes(blob->begin(), blob->end() - 8));
  EXPECT_EQ(StatusCode::kDataLoss, back.status().code()) << back.status().ToString();
  EXPECT_THAT(back.status().message(),
              HasSubstr("pkcs11.hsm: key \"kek\" cannot unwrap this key: it is corrupt or was wrapped "
                        "by another key"));
}

TEST_F(Pkcs11ProviderTest, GarbageIsInvalidArgumentWithoutAskingTheToken) {
  auto provider = MustCreate(Keys());
  ASSERT_NE(nullptr, provider);
  for (const Bytes& garbage : {Bytes{}, ToBytes("vault:v1:AAAA"), Bytes(29, 0), Bytes{0x01, 0x00, 0x00, 0x21}}) {
    Result<SecretBytes> back = provider->UnwrapKey(garbage);
    ASSERT_FALSE(back.ok());
    EXPECT_EQ(StatusCode::kInvalidArgument, back.status().code()) << back.status().ToString();
    EXPECT_EQ(0u, back.status().message().find("pkcs11.hsm: wrapped key"));
  }
}

// SoftHSM2 2.6.1 hands back KWP-unwrapped keys with their padding, so only whole 8-byte blocks are
// wrapped (Grafana's DEKs are 16 bytes).
TEST_F(Pkcs11ProviderTest, WrapsOnlyKeysOfWhole8ByteBlocks) {
  auto provider = MustCreate(Keys());
  ASSERT_NE(nullptr, provider);
  for (std::size_t size : {0, 1, 7, 15, 17, 100, 1032}) {
    Result<Bytes> blob = provider->WrapKey(Dek(1, size));
    EXPECT_EQ(StatusCode::kInvalidArgument, blob.status().code()) << size;
  }
  EXPECT_EQ("pkcs11.hsm: cannot wrap a 15-byte data key (8 to 1024 bytes, a multiple of 8)",
            provider->WrapKey(Dek(1, 15)).status().message());
}

TEST_F(Pkcs11ProviderTest, ABlobWrappedByAnotherTokensKeyDoesNotUnwrap) {
  auto a = MustCreate(Keys("md-a", kPinA));
  auto b = MustCreate(Keys("md-b", kPinB));
  ASSERT_TRUE(a && b);
  Result<Bytes> blob = b->WrapKey(Dek(6));
  ASSERT_TRUE(blob.ok()) << blob.status().ToString();
  Result<SecretBytes> back = a->UnwrapKey(*blob);
  ASSERT_FALSE(back.ok());
  EXPECT_EQ(StatusCode::kDataLoss, back.status().code()) << back.status().ToString();
  EXPECT_TRUE(b->UnwrapKey(*blob).ok());
}

TEST_F(Pkcs11ProviderTest, BuildsThroughTheProviderRegistry) {
  ProviderRegistry registry;
  auto cipher = std::make_shared<crypto::EncryptionService>(crypto::Algorithm::kAesCfb);
  auto keys = SecretKeyRing::New(SecretBytes(std::string_view("SW2YcwTIb9zpOOhoPsMm")), SecretBytes(), cipher);
  ASSERT_TRUE(keys.ok());
  ASSERT_TRUE(registry.Add(std::make_unique<SecretKeyProviderFactory>(*keys)).ok());
  ASSERT_TRUE(registry.Add(std::make_unique<Pkcs11ProviderFactory>()).ok());
  config::Settings settings;
  settings.security.secret_key = SecretBytes(std::string_view("SW2YcwTIb9zpOOhoPsMm"));
  settings.security.available_encryption_providers = {"secretKey.v1", "pkcs11.hsm"};
  settings.security.encryption_provider = "pkcs11.hsm";
  settings.encryption.providers = {{"pkcs11.hsm", Keys()}};
  Result<ProviderSet> built = registry.Build(settings);
  ASSERT_TRUE(built.ok()) << built.status().ToString();
  EXPECT_EQ("pkcs11.hsm", built->current().Id());
  settings.encryption.providers = {{"pkcs11.hsm", Keys("md-a", kPinA, "no-such-key")}};
  Result<ProviderSet> failed = registry.Build(settings);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ("pkcs11.hsm: no secret key labelled \"no-such-key\" on token \"md-a\"", failed.status().message());
}

}  // namespace
}  // namespace md::kms::pkcs11
