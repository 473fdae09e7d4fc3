#include "kms/testing/emulator_test.h"

namespace md::kms {

SecretBytes DekWithNuls() {
  return SecretBytes(ByteView(std::vector<uint8_t>{0, 0, 1, 2, 3, 0, 5, 6, 7, 8, 9, 0, 11, 12, 13, 0}));
}

http::EnvLookup NoEnv() {
  return [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
}

std::map<std::string, std::string> OutageRetryTuning() {
  return {{"max_attempts", "20"},
          {"retry_base_delay", "100ms"},
          {"retry_max_delay", "400ms"},
          {"retry_total_timeout", "1500ms"}};
}

}  // namespace md::kms
