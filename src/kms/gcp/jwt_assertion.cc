#include "kms/gcp/jwt_assertion.h"

#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <memory>

#include "common/encoding.h"

namespace md::kms::gcp {
namespace {

struct BioDeleter {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct PkeyDeleter {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

// Never prompts for a passphrase: encrypted keys are refused.
int NoPassphrase(char*, int, int, void*) { return 0; }

Result<std::unique_ptr<EVP_PKEY, PkeyDeleter>> ReadRsaKey(const SecretBytes& pem) {
  std::unique_ptr<BIO, BioDeleter> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return InternalError("BIO_new_mem_buf failed");
  std::unique_ptr<EVP_PKEY, PkeyDeleter> key(PEM_read_bio_PrivateKey(bio.get(), nullptr, NoPassphrase, nullptr));
  if (!key || EVP_PKEY_base_id(key.get()) != EVP_PKEY_RSA) {
    return InvalidArgumentError("the credentials' private_key is not an unencrypted RSA private key (PEM)");
  }
  return key;
}

Result<Bytes> SignSha256(EVP_PKEY* key, std::string_view input) {
  std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
  std::size_t length = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &length, AsBytes(input).data(), input.size()) != 1) {
    return InternalError("RS256 signing failed");
  }
  Bytes signature(length);
  if (EVP_DigestSign(ctx.get(), signature.data(), &length, AsBytes(input).data(), input.size()) != 1) {
    return InternalError("RS256 signing failed");
  }
  signature.resize(length);
  return signature;
}

}  // namespace

Result<SecretBytes> SignJwtAssertion(const JwtClaims& claims, const std::string& key_id,
                                     const SecretBytes& private_key_pem) {
  ASSIGN_OR_RETURN(auto key, ReadRsaKey(private_key_pem));
  nlohmann::json header = {{"alg", "RS256"}, {"typ", "JWT"}};
  if (!key_id.empty()) header["kid"] = key_id;
  int64_t iat = std::chrono::duration_cast<std::chrono::seconds>(claims.issued_at.time_since_epoch()).count();
  nlohmann::json body = {{"iss", claims.issuer}, {"scope", claims.scope}, {"aud", claims.audience},
                         {"iat", iat}, {"exp", iat + claims.lifetime.count()}};
  std::string input = Base64UrlEncodeRaw(AsBytes(header.dump())) + "." + Base64UrlEncodeRaw(AsBytes(body.dump()));
  ASSIGN_OR_RETURN(Bytes signature, SignSha256(key.get(), input));
  return SecretBytes(std::string_view(input + "." + Base64UrlEncodeRaw(signature)));
}

}  // namespace md::kms::gcp
