#include "crypto/test_vectors.h"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "common/encoding.h"

namespace md::crypto::testing {

nlohmann::json LoadVectors(std::string_view relative_path) {
  std::string path = std::string(MD_SHARED_DIR) + "/vectors/" + std::string(relative_path);
  std::ifstream in(path);
  if (!in) {
    ADD_FAILURE() << "cannot open " << path;
    return nullptr;
  }
  std::stringstream text;
  text << in.rdbuf();
  return nlohmann::json::parse(text.str());
}

Bytes Hex(std::string_view hex) {
  auto bytes = HexDecode(hex);
  if (!bytes.ok()) std::abort();
  return *bytes;
}

}  // namespace md::crypto::testing
