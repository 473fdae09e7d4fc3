// Runs SignV4 over every case of the official AWS SigV4 suite, the aws-c-auth additions and the
// KMS examples in shared/vectors/aws-sigv4 (see its README for the known-defective cases).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "kms/aws/sigv4.h"

namespace md::kms::aws {
namespace {

namespace fs = std::filesystem;

const fs::path kRoot = fs::path(MD_SHARED_DIR) / "vectors" / "aws-sigv4";
constexpr char kSecret[] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr char kAwsCAuthToken[] =
    "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267";

// kFull: compare .creq, .sts and .authz. kStsOnly: the README says only .sts -> .authz is sound.
enum class Check { kFull, kStsOnly };

struct SuiteCase {
  std::string dir;  // relative to kRoot; the files are <dir>/<basename>.{req,creq,sts,authz}
  Check check = Check::kFull;
  bool add_aws_c_auth_token = false;  // get-vanilla-with-session-token signs a token not in .req
};

void PrintTo(const SuiteCase& c, std::ostream* os) { *os << c.dir; }

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

fs::path CaseFile(const SuiteCase& c, std::string_view ext) {
  fs::path dir = kRoot / c.dir;
  return dir / (dir.filename().string() + std::string(ext));
}

std::string PercentDecode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// Parses a suite .req file. Continuation lines are kept as an obs-fold ("\n" + line), which
// SignV4 collapses to one space: the aws-c-auth reading of get-header-value-multiline.
struct ParsedRequest {
  SigV4Request request;
  std::string body;
};

ParsedRequest ParseReq(const std::string& text) {
  ParsedRequest out;
  std::size_t eol = text.find('\n');
  std::string line = text.substr(0, eol);
  std::size_t sp = line.find(' ');
  std::size_t version = line.rfind(" HTTP/");
  out.request.method = line.substr(0, sp);
  std::string target = line.substr(sp + 1, version - sp - 1);
  std::size_t q = target.find('?');
  out.request.path = target.substr(0, q);
  if (q != std::string::npos) {
    std::stringstream qs(target.substr(q + 1));
    std::string pair;
    while (std::getline(qs, pair, '&')) {
      std::size_t eq = pair.find('=');
      std::string name = pair.substr(0, eq);
      std::string value = eq == std::string::npos ? "" : pair.substr(eq + 1);
      out.request.query.emplace_back(PercentDecode(name), PercentDecode(value));
    }
  }
  std::size_t pos = eol == std::string::npos ? text.size() : eol + 1;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string header = text.substr(pos, end - pos);
    pos = end + 1;
    if (header.empty()) {
      out.body = pos < text.size() ? text.substr(pos) : "";
      break;
    }
    if (header[0] == ' ' || header[0] == '\t') {
      out.request.headers.back().second += "\n" + header;
      continue;
    }
    std::size_t colon = header.find(':');
    out.request.headers.emplace_back(header.substr(0, colon), header.substr(colon + 1));
  }
  return out;
}

std::vector<SuiteCase> AllCases() {
  std::vector<SuiteCase> cases;
  const char* kOfficial[] = {
      "get-header-key-duplicate", "get-header-value-order", "get-header-value-trim",
      "get-unreserved", "get-utf8", "get-vanilla", "get-vanilla-empty-query-key",
      "get-vanilla-query", "get-vanilla-query-order-key", "get-vanilla-query-order-key-case",
      "get-vanilla-query-order-value", "get-vanilla-query-unreserved", "get-vanilla-utf8-query",
      "normalize-path/get-relative", "normalize-path/get-relative-relative",
      "normalize-path/get-slash", "normalize-path/get-slash-dot-slash",
      "normalize-path/get-slash-pointless-dot", "normalize-path/get-slashes",
      "normalize-path/get-space", "post-header-key-case", "post-header-key-sort",
      "post-header-value-case", "post-sts-token/post-sts-header-after",
      "post-sts-token/post-sts-header-before", "post-vanilla", "post-vanilla-empty-query-value",
      "post-vanilla-query"};
  for (const char* name : kOfficial) cases.push_back({std::string("aws-sig-v4-test-suite/") + name});
  // Upstream defects (vectors README §1): .sts is not the hash of .creq.
  cases.push_back({"aws-sig-v4-test-suite/post-x-www-form-urlencoded", Check::kStsOnly});
  cases.push_back({"aws-sig-v4-test-suite/post-x-www-form-urlencoded-parameters", Check::kStsOnly});
  // We take aws-c-auth's obs-fold reading (one space), so the original's "," form is sts-only.
  cases.push_back({"aws-sig-v4-test-suite/get-header-value-multiline", Check::kStsOnly});
  cases.push_back({"aws-c-auth-additions/get-header-value-multiline"});
  cases.push_back({"aws-c-auth-additions/get-vanilla-query-order-encoded"});
  cases.push_back({"aws-c-auth-additions/get-vanilla-with-session-token", Check::kFull, true});
  for (const char* name : {"kms-decrypt", "kms-encrypt", "kms-encrypt-with-session-token",
                           "kms-generatedatakey"}) {
    cases.push_back({std::string("kms-examples/") + name});
  }
  return cases;
}

std::string CaseName(const testing::TestParamInfo<SuiteCase>& info) {
  std::string name = info.param.dir;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

SigV4Scope ScopeFor(const SuiteCase& c) {
  return {"us-east-1", c.dir.starts_with("kms-examples/") ? "kms" : "service"};
}

class SigV4SuiteTest : public testing::TestWithParam<SuiteCase> {};

TEST_P(SigV4SuiteTest, MatchesExpectedFiles) {
  const SuiteCase& c = GetParam();
  ASSERT_TRUE(fs::exists(CaseFile(c, ".req"))) << CaseFile(c, ".req");
  std::string expected_sts = ReadFile(CaseFile(c, ".sts"));
  std::string expected_authz = ReadFile(CaseFile(c, ".authz"));
  SigV4Scope scope = ScopeFor(c);

  // Every case: the signature over the expected string to sign.
  std::string date = expected_sts.substr(expected_sts.find('\n') + 1, 8);
  std::string signature = SignStringToSign(expected_sts, SecretBytes(std::string_view(kSecret)),
                                           date, scope);
  EXPECT_EQ(expected_authz.substr(expected_authz.rfind('=') + 1), signature);
  if (c.check == Check::kStsOnly) return;

  ParsedRequest parsed = ParseReq(ReadFile(CaseFile(c, ".req")));
  parsed.request.body = parsed.body;
  AwsCredentials creds{"AKIDEXAMPLE", SecretBytes(std::string_view(kSecret)), {}};
  for (const auto& [name, value] : parsed.request.headers) {
    if (name == "X-Amz-Security-Token") creds.session_token = SecretBytes(std::string_view(value));
  }
  if (c.add_aws_c_auth_token) {
    parsed.request.headers.emplace_back("X-Amz-Security-Token", kAwsCAuthToken);
    creds.session_token = SecretBytes(std::string_view(kAwsCAuthToken));
  }
  Result<SigV4Signature> sig = SignV4(parsed.request, creds, scope);
  ASSERT_TRUE(sig.ok()) << sig.status().ToString();
  EXPECT_EQ(ReadFile(CaseFile(c, ".creq")), sig->canonical_request);
  EXPECT_EQ(expected_sts, sig->string_to_sign);
  EXPECT_EQ(expected_authz, sig->authorization);
}

INSTANTIATE_TEST_SUITE_P(AwsSuite, SigV4SuiteTest, testing::ValuesIn(AllCases()), CaseName);

TEST(SigV4SuiteInventoryTest, EveryCaseFolderIsListed) {
  std::size_t folders = 0;
  for (const auto& entry : fs::recursive_directory_iterator(kRoot)) {
    if (entry.path().extension() == ".req") ++folders;
  }
  EXPECT_EQ(folders, AllCases().size());
  EXPECT_EQ(folders, 31u + 3u + 4u);
}

}  // namespace
}  // namespace md::kms::aws
