// EncryptionService against Grafana's own vectors (vectors/grafana/vectors.json), every
// must-fail case, and random round trips.
#include "crypto/encryption_service.h"

#include <random>

#include <gtest/gtest.h>

#include "common/encoding.h"
#include "crypto/envelope_format.h"
#include "crypto/legacy_payload.h"
#include "crypto/storage_encoding.h"
#include "crypto/test_vectors.h"

namespace md::crypto {
namespace {

using testing::Hex;
using testing::LoadVectors;

const nlohmann::json& GrafanaVectors() {
  static const nlohmann::json doc = LoadVectors("grafana/vectors.json");
  return doc;
}

const nlohmann::json& Case(std::string_view id) {
  for (const auto& c : GrafanaVectors()["cases"]) {
    if (c["id"] == id) return c;
  }
  static const nlohmann::json kNull;
  ADD_FAILURE() << "no case " << id;
  return kNull;
}

class CryptoGrafanaVectorTest : public ::testing::TestWithParam<std::string> {};

TEST_P(CryptoGrafanaVectorTest, DecryptsToPlaintext) {
  const auto& c = Case(GetParam());
  EncryptionService service(Algorithm::kAesCfb);
  SecretBytes secret(c["secret"].get<std::string>());
  Bytes value = Hex(c["hex"].get<std::string>());
  // V2 and V3 are decipher-level vectors: raw payloads whose algorithm the caller knows.
  bool raw_gcm = c["kind"].get<std::string>().find("raw AES-GCM") != std::string::npos;
  auto plain = raw_gcm ? service.DecryptRaw(Algorithm::kAesGcm, value, secret)
                       : service.Decrypt(value, secret);
  ASSERT_TRUE(plain.ok()) << plain.status().ToString();
  EXPECT_EQ(plain->InsecureString(), c["plaintext"].get<std::string>());
}

INSTANTIATE_TEST_SUITE_P(AllHexCases, CryptoGrafanaVectorTest,
                         ::testing::Values("V1", "V2", "V3", "V4", "V5", "V6", "V7"));

TEST(CryptoGrafanaCasesTest, C1SecureJsonDataFromCveWriteUp) {
  const auto& c = Case("C1");
  auto map = DecodeSecureJsonMap(c["stored"].get<std::string>());
  ASSERT_TRUE(map.ok());
  EncryptionService service(Algorithm::kAesCfb);
  SecretBytes secret(c["secret"].get<std::string>());
  for (const auto& [key, expected] : c["plaintext"].items()) {
    auto plain = service.Decrypt(map->at(key), secret);
    ASSERT_TRUE(plain.ok());
    EXPECT_EQ(plain->InsecureString(), expected.get<std::string>());
  }
}

TEST(CryptoGrafanaCasesTest, E1LegacyLayersAndEnvelopeFraming) {
  const auto& c = Case("E1");
  EncryptionService service(Algorithm::kAesCfb);
  SecretBytes secret_key(c["secret_key"].get<std::string>());
  // The DEK row, encrypted with secret_key (secretKey.v1).
  auto dek = service.Decrypt(Hex(c["data_keys_encrypted_data_hex"].get<std::string>()), secret_key);
  ASSERT_TRUE(dek.ok());
  EXPECT_EQ(HexEncode(dek->view()), c["dek_hex"].get<std::string>());
  // The envelope: framing, then the inner value under the DEK (raw bytes with a NUL).
  Bytes blob = Hex(c["envelope_hex"].get<std::string>());
  auto parts = ParseEnvelope(blob);
  ASSERT_TRUE(parts.ok());
  EXPECT_EQ(parts->key_id, c["dek_id"].get<std::string>());
  auto plain = service.Decrypt(parts->inner, *dek);
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->InsecureString(), c["plaintext"].get<std::string>());
  EXPECT_EQ(BuildEnvelope(parts->key_id, parts->inner), blob);
  // Storage: secure_json_data bytes exactly as Go writes them.
  EXPECT_EQ(EncodeSecureJsonMap({{"password", blob}}), c["secure_json_data"].get<std::string>());
  // Legacy value with the same salt/IV under secret_key; and the wrong-key garbage.
  Bytes legacy = Hex(c["legacy_hex_same_salt_iv"].get<std::string>());
  auto legacy_plain = service.Decrypt(legacy, secret_key);
  ASSERT_TRUE(legacy_plain.ok());
  EXPECT_EQ(legacy_plain->InsecureString(), "hunter2");
  auto garbage = service.Decrypt(legacy, SecretBytes(std::string_view("other-key")));
  ASSERT_TRUE(garbage.ok());
  EXPECT_EQ(HexEncode(garbage->view()), "979932d17232b4");
}

Bytes MustFailBytes(const nlohmann::json& m) {
  if (m.contains("hex")) return Hex(m["hex"].get<std::string>());
  if (m.contains("text")) return ToBytes(m["text"].get<std::string>());
  Bytes out = ToBytes(m["text_then_hex"][0].get<std::string>());
  Bytes tail = Hex(m["text_then_hex"][1].get<std::string>());
  out.insert(out.end(), tail.begin(), tail.end());
  return out;
}

TEST(CryptoGrafanaCasesTest, EveryMustFailCaseFails) {
  EncryptionService service(Algorithm::kAesCfb);
  SecretBytes secret(std::string_view("1234"));
  int checked = 0;
  for (const auto& m : GrafanaVectors()["must_fail"]) {
    SCOPED_TRACE(m["what"].get<std::string>());
    Bytes value = MustFailBytes(m);
    if (IsEnvelope(value)) {
      EXPECT_EQ(ParseEnvelope(value).status().code(), StatusCode::kInvalidArgument);
    } else {
      auto r = service.Decrypt(value, secret);
      EXPECT_FALSE(r.ok());
    }
    ++checked;
  }
  EXPECT_EQ(checked, 5);
}

TEST(CryptoEncryptionServiceTest, TypedErrors) {
  EncryptionService service(Algorithm::kAesCfb);
  SecretBytes secret(std::string_view("1234"));
  auto empty = service.Decrypt({}, secret);
  EXPECT_EQ(empty.status().code(), StatusCode::kInvalidArgument);
  auto short_cfb = service.Decrypt(Bytes(23, 'a'), secret);
  EXPECT_NE(short_cfb.status().message().find("payload too short"), std::string::npos);
  Bytes short_gcm = ToBytes("*YWVzLWdjbQ*");
  short_gcm.resize(short_gcm.size() + 35, 'a');
  EXPECT_EQ(service.Decrypt(short_gcm, secret).status().code(), StatusCode::kInvalidArgument);
  auto tampered = service.Decrypt(Hex(Case("V4")["hex"].get<std::string>() + "00"), secret);
  EXPECT_EQ(tampered.status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(service.Decrypt(ToBytes("*%%%*abcdefgh12345678abcdefgh"), secret).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(CryptoEncryptionServiceTest, EncryptWritesPrefixAndReusesSaltWithFreshIv) {
  for (Algorithm algorithm : {Algorithm::kAesCfb, Algorithm::kAesGcm}) {
    EncryptionService service(algorithm);
    SecretBytes secret(std::string_view("s3cret"));
    auto a = service.Encrypt(AsBytes("hello"), secret);
    auto b = service.Encrypt(AsBytes("hello"), secret);
    ASSERT_TRUE(a.ok() && b.ok());
    std::string_view prefix = AlgorithmPrefix(algorithm);
    EXPECT_EQ(AsString(ByteView(*a).first(prefix.size())), prefix);
    ByteView salt_a = ByteView(*a).subspan(prefix.size(), 8);
    ByteView salt_b = ByteView(*b).subspan(prefix.size(), 8);
    EXPECT_TRUE(std::equal(salt_a.begin(), salt_a.end(), salt_b.begin()));
    for (uint8_t c : salt_a) EXPECT_TRUE(std::isalnum(c));
    EXPECT_NE(*a, *b);  // fresh IV
    EXPECT_EQ(a->size(), prefix.size() + 5 + (algorithm == Algorithm::kAesGcm ? 36 : 24));
    EXPECT_EQ(service.cached_keys(), 1u);
  }
}

TEST(CryptoEncryptionServiceTest, RandomRoundTripsUpTo64KiB) {
  std::mt19937 rng(42);
  for (Algorithm algorithm : {Algorithm::kAesCfb, Algorithm::kAesGcm}) {
    EncryptionService writer(algorithm);
    EncryptionService reader(Algorithm::kAesCfb);  // a fresh cache: PBKDF2 again on read
    SecretBytes secret(Hex("00112233445566778899aabbccddeeff"));  // DEK-like, with a NUL
    std::vector<std::size_t> sizes = {0, 1, 15, 16, 17, 65536};
    for (int i = 0; i < 20; ++i) sizes.push_back(rng() % 65537);
    for (std::size_t size : sizes) {
      Bytes plain(size);
      for (auto& b : plain) b = static_cast<uint8_t>(rng());
      auto sealed = writer.Encrypt(plain, secret);
      ASSERT_TRUE(sealed.ok());
      auto opened = reader.Decrypt(*sealed, secret);
      ASSERT_TRUE(opened.ok()) << opened.status().ToString();
      EXPECT_TRUE(std::equal(plain.begin(), plain.end(), opened->data(), opened->data() + size));
      EXPECT_EQ(opened->size(), size);
    }
  }
}

TEST(CryptoEncryptionServiceTest, SecretsDifferingAfterNulAreDifferentKeys) {
  EncryptionService service(Algorithm::kAesGcm);
  SecretBytes a(Hex("00aa")), b(Hex("00bb"));
  auto sealed = service.Encrypt(AsBytes("x"), a);
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(service.Decrypt(*sealed, b).status().code(), StatusCode::kDataLoss);
  EXPECT_TRUE(service.Decrypt(*sealed, a).ok());
}

TEST(CryptoEncryptionServiceTest, DecryptBatchMatchesDecrypt) {
  EncryptionService writer(Algorithm::kAesCfb);
  EncryptionService reader(Algorithm::kAesCfb);
  std::vector<SecretBytes> secrets;
  for (int i = 0; i < 4; ++i) secrets.emplace_back(std::string("secret-") + std::to_string(i));
  std::vector<Bytes> values;
  std::vector<DecryptRequest> requests;
  for (int i = 0; i < 40; ++i) {
    values.push_back(*writer.Encrypt(AsBytes("value-" + std::to_string(i)), secrets[i % 4]));
  }
  values.push_back(Hex(Case("V4")["hex"].get<std::string>()));
  values.push_back(Bytes());
  values.push_back(Hex(Case("V4")["hex"].get<std::string>() + "00"));
  for (std::size_t i = 0; i < values.size(); ++i) requests.push_back({values[i], &secrets[i % 4]});
  SecretBytes v_secret(std::string_view("1234"));
  requests[40].secret = &v_secret;
  requests[42].secret = &v_secret;
  requests.push_back({values[0], nullptr});
  auto results = reader.DecryptBatch(requests);
  ASSERT_EQ(results.size(), requests.size());
  for (int i = 0; i < 40; ++i) {
    ASSERT_TRUE(results[i].ok());
    EXPECT_EQ(results[i]->InsecureString(), "value-" + std::to_string(i));
  }
  EXPECT_EQ(results[40]->InsecureString(), "grafana");
  EXPECT_EQ(results[41].status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(results[42].status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(results[43].status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(reader.cached_keys(), 5u);  // four write salts + V4's salt
}

}  // namespace
}  // namespace md::crypto
