// Known-answer tests for the AES modes: NIST SP 800-38A/38D, the GCM spec, NIST CAVP and
// Wycheproof, read from /work/shared/vectors at test time.
#include "crypto/aes_modes.h"

#include <gtest/gtest.h>

#include "common/encoding.h"
#include "crypto/test_vectors.h"

namespace md::crypto {
namespace {

using testing::Hex;
using testing::LoadVectors;

Result<Bytes> Seal(ByteView key, ByteView iv, ByteView aad, ByteView pt, std::size_t tag_size) {
  ASSIGN_OR_RETURN(CipherCtxPtr ctx, NewKeyedContext(AesMode::kGcm, key));
  Bytes out(pt.size() + tag_size);
  std::span<uint8_t> all(out);
  if (Status s = GcmSeal(ctx.get(), iv, aad, pt, all.first(pt.size()), all.last(tag_size));
      !s.ok()) {
    return s;
  }
  return out;
}

Result<Bytes> Open(ByteView key, ByteView iv, ByteView aad, ByteView ct, ByteView tag) {
  ASSIGN_OR_RETURN(CipherCtxPtr ctx, NewKeyedContext(AesMode::kGcm, key));
  Bytes out(ct.size());
  if (Status s = GcmOpen(ctx.get(), iv, aad, ct, tag, out); !s.ok()) return s;
  return out;
}

Result<Bytes> Cfb(ByteView key, ByteView iv, ByteView in, bool encrypt) {
  ASSIGN_OR_RETURN(CipherCtxPtr ctx, NewKeyedContext(AesMode::kCfb128, key));
  Bytes out(in.size());
  if (Status s = CfbCrypt(ctx.get(), iv, in, out, encrypt); !s.ok()) return s;
  return out;
}

Bytes Concat(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

TEST(CryptoAesGcmTest, OfficialVectors) {
  auto doc = LoadVectors("aes-gcm/aes-gcm-official.json");
  int checked = 0;
  for (const auto& group : doc["groups"]) {
    for (const auto& v : group["vectors"]) {
      SCOPED_TRACE(v["name"].get<std::string>());
      Bytes key = Hex(v["key"].get<std::string>()), iv = Hex(v["iv"].get<std::string>());
      Bytes aad = Hex(v["aad"].get<std::string>()), pt = Hex(v["pt"].get<std::string>());
      Bytes ct = Hex(v["ct"].get<std::string>()), tag = Hex(v["tag"].get<std::string>());
      auto opened = Open(key, iv, aad, ct, tag);
      if (v["result"] == "valid") {
        auto sealed = Seal(key, iv, aad, pt, tag.size());
        ASSERT_TRUE(sealed.ok()) << sealed.status().ToString();
        EXPECT_EQ(HexEncode(*sealed), HexEncode(Concat(ct, tag)));
        ASSERT_TRUE(opened.ok()) << opened.status().ToString();
        EXPECT_EQ(*opened, pt);
      } else {
        EXPECT_EQ(opened.status().code(), StatusCode::kDataLoss);
      }
      ++checked;
    }
  }
  EXPECT_EQ(checked, 76);
}

TEST(CryptoAesGcmTest, WycheproofVectors) {
  auto doc = LoadVectors("wycheproof/aes_gcm_test.json");
  constexpr std::size_t kMaxOpenSslGcmIvSize = 128;
  int checked = 0, skipped = 0;
  for (const auto& group : doc["testGroups"]) {
    for (const auto& t : group["tests"]) {
      SCOPED_TRACE("tcId " + std::to_string(t["tcId"].get<int>()));
      Bytes key = Hex(t["key"].get<std::string>()), iv = Hex(t["iv"].get<std::string>());
      Bytes aad = Hex(t["aad"].get<std::string>()), msg = Hex(t["msg"].get<std::string>());
      Bytes ct = Hex(t["ct"].get<std::string>()), tag = Hex(t["tag"].get<std::string>());
      if (iv.size() > kMaxOpenSslGcmIvSize) {
        ++skipped;  // OpenSSL 3 caps GCM IVs at 128 bytes; we only ever use 12
        continue;
      }
      auto opened = Open(key, iv, aad, ct, tag);
      if (t["result"] == "valid") {
        auto sealed = Seal(key, iv, aad, msg, tag.size());
        ASSERT_TRUE(sealed.ok()) << sealed.status().ToString();
        EXPECT_EQ(*sealed, Concat(ct, tag));
        ASSERT_TRUE(opened.ok()) << opened.status().ToString();
        EXPECT_EQ(*opened, msg);
      } else if (t["result"] == "invalid") {
        EXPECT_FALSE(opened.ok());
      }
      ++checked;
    }
  }
  EXPECT_EQ(checked + skipped, 316);
  EXPECT_LE(skipped, 10);
}

TEST(CryptoAesCfbTest, OfficialVectorsBothDirections) {
  auto doc = LoadVectors("aes-cfb128/aes-cfb128-official.json");
  int checked = 0;
  for (const auto& group : doc["groups"]) {
    for (const auto& v : group["vectors"]) {
      SCOPED_TRACE(v["name"].get<std::string>());
      Bytes key = Hex(v["key"].get<std::string>()), iv = Hex(v["iv"].get<std::string>());
      Bytes pt = Hex(v["plaintext"].get<std::string>());
      Bytes ct = Hex(v["ciphertext"].get<std::string>());
      auto encrypted = Cfb(key, iv, pt, true);
      auto decrypted = Cfb(key, iv, ct, false);
      ASSERT_TRUE(encrypted.ok() && decrypted.ok());
      EXPECT_EQ(*encrypted, ct);
      EXPECT_EQ(*decrypted, pt);
      ++checked;
    }
  }
  EXPECT_EQ(checked, 64);
}

TEST(CryptoAesModesTest, RejectsBadKeySizes) {
  EXPECT_EQ(NewKeyedContext(AesMode::kGcm, Bytes(31)).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(NewKeyedContext(AesMode::kCfb128, Bytes()).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(CryptoAesModesTest, FailedOpenWipesOutputAndContextStaysUsable) {
  Bytes key(32, 7), iv(12, 1), pt(40, 0x55);
  auto sealed = Seal(key, iv, {}, pt, 16);
  ASSERT_TRUE(sealed.ok());
  ByteView all(*sealed);
  Bytes tampered_tag(all.last(16).begin(), all.last(16).end());
  tampered_tag[0] ^= 1;
  auto ctx = NewKeyedContext(AesMode::kGcm, key);
  ASSERT_TRUE(ctx.ok());
  Bytes out(40, 0xAA);
  EXPECT_EQ(GcmOpen(ctx->get(), iv, {}, all.first(40), tampered_tag, out).code(),
            StatusCode::kDataLoss);
  EXPECT_EQ(out, Bytes(40, 0));
  EXPECT_TRUE(GcmOpen(ctx->get(), iv, {}, all.first(40), all.last(16), out).ok());
  EXPECT_EQ(out, pt);
}

}  // namespace
}  // namespace md::crypto
