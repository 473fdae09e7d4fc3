// Test helper: a throw-away RSA-2048 service-account key written as a credentials JSON file in a
// fresh temporary directory (removed on destruction).
#pragma once

#include <filesystem>
#include <string>

namespace md::kms::gcp {

class TestCredentials {
 public:
  // client_email and token_uri go into the file as given.
  TestCredentials(const std::string& client_email, const std::string& token_uri);
  ~TestCredentials();
  const std::string& path() const { return path_; }

 private:
  std::filesystem::path dir_;
  std::string path_;
};

}  // namespace md::kms::gcp
