#include "kms/key_provider.h"

namespace md::kms {

std::string NormalizeProviderId(std::string_view id) {
  if (id == "secretKey") return "secretKey.v1";
  return std::string(id);
}

Result<std::string> ProviderKind(std::string_view id) {
  auto dot = id.find('.');
  if (dot == std::string_view::npos || dot == 0) {
    return InvalidArgumentError("malformatted provider identifier " + std::string(id) +
                                ": expected format <provider>.<keyName>");
  }
  return std::string(id.substr(0, dot));
}

}  // namespace md::kms
