// Test helpers: the shared vector files, read as they are at test time (MD_SHARED_DIR).
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/secret_bytes.h"

namespace md::crypto::testing {

// Parses MD_SHARED_DIR/vectors/<relative_path>; fails the test (and returns null) if unreadable.
nlohmann::json LoadVectors(std::string_view relative_path);

// Lower/upper-case hex to bytes; aborts the test binary on malformed hex (test data bug).
Bytes Hex(std::string_view hex);

}  // namespace md::crypto::testing
