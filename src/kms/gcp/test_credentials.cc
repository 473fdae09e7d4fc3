#include "kms/gcp/test_credentials.h"

#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <stdlib.h>

#include <fstream>
#include <stdexcept>

namespace md::kms::gcp {
namespace {

std::string NewRsaPem() {
  EVP_PKEY* key = EVP_RSA_gen(2048);
  BIO* bio = BIO_new(BIO_s_mem());
  if (key == nullptr || bio == nullptr || PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    throw std::runtime_error("RSA key generation failed");
  }
  char* data = nullptr;
  long size = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<std::size_t>(size));
  BIO_free(bio);
  EVP_PKEY_free(key);
  return pem;
}

}  // namespace

TestCredentials::TestCredentials(const std::string& client_email, const std::string& token_uri) {
  std::string templ = (std::filesystem::temp_directory_path() / "md-gcp-XXXXXX").string();
  if (mkdtemp(templ.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  dir_ = templ;
  path_ = (dir_ / "service-account.json").string();
  nlohmann::json json = {{"type", "service_account"}, {"project_id", "p"}, {"private_key_id", "0123abcd"},
                         {"private_key", NewRsaPem()}, {"client_email", client_email}, {"token_uri", token_uri}};
  std::ofstream(path_) << json.dump(2);
}

TestCredentials::~TestCredentials() {
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

}  // namespace md::kms::gcp
