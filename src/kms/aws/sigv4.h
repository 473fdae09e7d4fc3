// AWS Signature Version 4 (AWS4-HMAC-SHA256) for header-signed requests, as KMS uses it
// (kms-protocols.md §1.7). Pure functions over explicit inputs: no clock, no I/O, thread-safe.
// Nothing here logs; the secret access key only ever appears inside HMAC computations.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/secret_bytes.h"
#include "common/status.h"

namespace md::kms::aws {

// One set of AWS credentials. session_token is empty for long-term keys.
struct AwsCredentials {
  std::string access_key_id;
  SecretBytes secret_access_key;
  SecretBytes session_token;
};

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// The parts of an HTTP request that SigV4 covers. Every header in `headers` is signed, so pass
// only the headers you will send unchanged (never User-Agent, Expect or Authorization).
struct SigV4Request {
  std::string method;  // "POST"
  std::string path;    // not percent-encoded: "/", "/example space/"; normalised per RFC 3986
  // Query parameters, not percent-encoded, in any order.
  std::vector<std::pair<std::string, std::string>> query;
  HeaderList headers;     // must include Host and X-Amz-Date; repeated names are allowed
  std::string_view body;  // the exact body bytes sent
};

struct SigV4Scope {
  std::string region;   // "us-east-1"
  std::string service;  // "kms"
};

// Every intermediate value, so tests can compare each step with the official suite.
struct SigV4Signature {
  std::string canonical_request;
  std::string string_to_sign;
  std::string credential_scope;  // "20150830/us-east-1/kms/aws4_request"
  std::string signed_headers;    // "content-type;host;x-amz-date;x-amz-target"
  std::string signature;         // lowercase hex
  std::string authorization;     // the Authorization header value
};

// Signs `request`. The date comes from its X-Amz-Date header (YYYYMMDD'T'HHMMSS'Z').
// InvalidArgument when X-Amz-Date or Host is missing or malformed, or when the credentials carry
// a session token that the request does not send as X-Amz-Security-Token (KMS requires it signed).
Result<SigV4Signature> SignV4(const SigV4Request& request, const AwsCredentials& credentials,
                              const SigV4Scope& scope);

// Step 3 alone: the signature (lowercase hex) of a string to sign under the derived key.
std::string SignStringToSign(std::string_view string_to_sign, const SecretBytes& secret_access_key,
                             std::string_view date, const SigV4Scope& scope);

// kSigning = HMAC chain over "AWS4"+secret, date (YYYYMMDD), region, service, "aws4_request".
SecretBytes DeriveSigningKey(const SecretBytes& secret_access_key, std::string_view date,
                             const SigV4Scope& scope);

// "20150830T123600Z" for the given instant (UTC).
std::string FormatAmzDate(std::chrono::system_clock::time_point time);

// UriEncode from the SigV4 spec: A-Z a-z 0-9 - _ . ~ stay, every other byte becomes %XX
// (upper-case hex); '/' stays only when encode_slash is false.
std::string UriEncode(std::string_view text, bool encode_slash);

// Removes "", "." and ".." segments (RFC 3986 §5.2.4), keeping a trailing '/'. "" becomes "/".
std::string NormalizePath(std::string_view path);

// Lowercase hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);

}  // namespace md::kms::aws
