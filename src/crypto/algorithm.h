// The two legacy-cipher algorithms and their names as written in the '*<base64>*' prefix.
#pragma once

#include <string_view>

#include "common/status.h"

namespace md::crypto {

enum class Algorithm { kAesCfb, kAesGcm };

// "aes-cfb" | "aes-gcm"; anything else is InvalidArgument.
Result<Algorithm> ParseAlgorithm(std::string_view name);
std::string_view AlgorithmName(Algorithm algorithm);

}  // namespace md::crypto
