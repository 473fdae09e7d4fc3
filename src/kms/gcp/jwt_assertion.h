// The self-signed RS256 JWT assertion of the OAuth 2.0 JWT-bearer flow (RFC 7523) that exchanges a
// service-account key for an access token (kms-protocols.md §3.4). OpenSSL EVP_DigestSign with
// SHA-256 over "b64url(header).b64url(claims)". Pure: no clock, no I/O.
#pragma once

#include <chrono>
#include <string>

#include "common/secret_bytes.h"
#include "common/status.h"

namespace md::kms::gcp {

struct JwtClaims {
  std::string issuer;    // client_email
  std::string scope;     // "https://www.googleapis.com/auth/cloudkms"
  std::string audience;  // the token URL
  std::chrono::system_clock::time_point issued_at;
  std::chrono::seconds lifetime{3600};  // exp = iat + lifetime (at most an hour)
};

// The compact JWS. It is a credential for an hour, hence SecretBytes. InvalidArgument when the PEM
// is not an unencrypted RSA private key (the message never contains the key).
Result<SecretBytes> SignJwtAssertion(const JwtClaims& claims, const std::string& key_id,
                                     const SecretBytes& private_key_pem);

}  // namespace md::kms::gcp
