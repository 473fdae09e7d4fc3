#include "kms/aws/sigv4.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <map>

#include "common/encoding.h"

namespace md::kms::aws {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
constexpr std::string_view kTerminator = "aws4_request";

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Trims the value and collapses each internal run of whitespace (including obs-fold line breaks)
// to one space.
std::string CanonicalHeaderValue(std::string_view value) {
  std::string out;
  bool pending_space = false;
  for (char c : value) {
    if (IsSpace(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += c;
  }
  return out;
}

SecretBytes Hmac(ByteView key, std::string_view data) {
  SecretBytes out(EVP_MAX_MD_SIZE);
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data(), &len);
  out.resize(len);
  return out;
}

bool IsAmzDate(std::string_view d) {
  if (d.size() != 16 || d[8] != 'T' || d[15] != 'Z') return false;
  for (std::size_t i = 0; i < 15; ++i) {
    if (i != 8 && !std::isdigit(static_cast<unsigned char>(d[i]))) return false;
  }
  return true;
}

std::string CanonicalQuery(const std::vector<std::pair<std::string, std::string>>& query) {
  std::vector<std::pair<std::string, std::string>> encoded;
  encoded.reserve(query.size());
  for (const auto& [name, value] : query) {
    encoded.emplace_back(UriEncode(name, true), UriEncode(value, true));
  }
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [name, value] : encoded) {
    if (!out.empty()) out += '&';
    out += name + "=" + value;
  }
  return out;
}

// Lowercase name -> values joined with ',' in arrival order; std::map keeps names sorted.
std::map<std::string, std::string> CanonicalHeaders(const HeaderList& headers) {
  std::map<std::string, std::string> out;
  for (const auto& [name, value] : headers) {
    auto [it, inserted] = out.emplace(Lower(name), CanonicalHeaderValue(value));
    if (!inserted) it->second += "," + CanonicalHeaderValue(value);
  }
  return out;
}

}  // namespace

std::string UriEncode(std::string_view text, bool encode_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' ||
        (c == '/' && !encode_slash)) {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string NormalizePath(std::string_view path) {
  std::vector<std::string_view> segments;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view seg = path.substr(start, end - start);
    if (seg == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!seg.empty() && seg != ".") {
      segments.push_back(seg);
    }
    start = end + 1;
  }
  std::string out;
  for (std::string_view seg : segments) {
    out += '/';
    out += seg;
  }
  if (out.empty() || path.ends_with('/')) out += '/';
  return out;
}

std::string Sha256Hex(std::string_view data) {
  uint8_t digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  return HexEncode(ByteView(digest, sizeof(digest)));
}

std::string FormatAmzDate(std::chrono::system_clock::time_point time) {
  std::time_t t = std::chrono::system_clock::to_time_t(time);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[17];
  std::strftime(buf, sizeof(buf), "%Y%m%dT%H%M%SZ", &tm);
  return std::string(buf, 16);
}

SecretBytes DeriveSigningKey(const SecretBytes& secret_access_key, std::string_view date,
                             const SigV4Scope& scope) {
  SecretBytes seed(std::string_view("AWS4"));
  seed.resize(4 + secret_access_key.size());
  std::copy(secret_access_key.data(), secret_access_key.data() + secret_access_key.size(),
            seed.data() + 4);
  SecretBytes k_date = Hmac(seed.view(), date);
  SecretBytes k_region = Hmac(k_date.view(), scope.region);
  SecretBytes k_service = Hmac(k_region.view(), scope.service);
  return Hmac(k_service.view(), kTerminator);
}

std::string SignStringToSign(std::string_view string_to_sign, const SecretBytes& secret_access_key,
                             std::string_view date, const SigV4Scope& scope) {
  SecretBytes key = DeriveSigningKey(secret_access_key, date, scope);
  SecretBytes mac = Hmac(key.view(), string_to_sign);
  return HexEncode(mac.view());
}

Result<SigV4Signature> SignV4(const SigV4Request& request, const AwsCredentials& credentials,
                              const SigV4Scope& scope) {
  // Step 0: check the inputs SigV4 depends on.
  std::map<std::string, std::string> headers = CanonicalHeaders(request.headers);
  auto date_it = headers.find("x-amz-date");
  if (date_it == headers.end() || !IsAmzDate(date_it->second)) {
    return InvalidArgumentError("SigV4: the request needs an X-Amz-Date header (YYYYMMDDTHHMMSSZ)");
  }
  if (headers.find("host") == headers.end()) {
    return InvalidArgumentError("SigV4: the request needs a Host header");
  }
  if (!credentials.session_token.empty()) {
    auto token_it = headers.find("x-amz-security-token");
    if (token_it == headers.end() ||
        token_it->second != CanonicalHeaderValue(credentials.session_token.InsecureString())) {
      return InvalidArgumentError("SigV4: the session token must be sent as X-Amz-Security-Token");
    }
  }
  if (credentials.access_key_id.empty() || credentials.secret_access_key.empty()) {
    return InvalidArgumentError("SigV4: the access key id and secret access key are required");
  }

  // Step 1: canonical request.
  SigV4Signature sig;
  std::string canonical_headers;
  for (const auto& [name, value] : headers) {
    canonical_headers += name + ":" + value + "\n";
    if (!sig.signed_headers.empty()) sig.signed_headers += ';';
    sig.signed_headers += name;
  }
  sig.canonical_request = request.method + "\n" + UriEncode(NormalizePath(request.path), false) +
                          "\n" + CanonicalQuery(request.query) + "\n" + canonical_headers + "\n" +
                          sig.signed_headers + "\n" + Sha256Hex(request.body);

  // Step 2: string to sign.
  const std::string& amz_date = date_it->second;
  std::string date = amz_date.substr(0, 8);
  sig.credential_scope = date + "/" + scope.region + "/" + scope.service + "/" + std::string(kTerminator);
  sig.string_to_sign = std::string(kAlgorithm) + "\n" + amz_date + "\n" + sig.credential_scope +
                       "\n" + Sha256Hex(sig.canonical_request);

  // Steps 3 and 4: signature and header.
  sig.signature = SignStringToSign(sig.string_to_sign, credentials.secret_access_key, date, scope);
  sig.authorization = std::string(kAlgorithm) + " Credential=" + credentials.access_key_id + "/" +
                      sig.credential_scope + ", SignedHeaders=" + sig.signed_headers +
                      ", Signature=" + sig.signature;
  return sig;
}

}  // namespace md::kms::aws
