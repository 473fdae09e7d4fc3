#include "resources/contact_point.h"

namespace md::resources {

const std::set<std::string>& SecretSettingKeys(const std::string& type) {
  static const std::map<std::string, std::set<std::string>> kKeys = {
      {"webhook", {"password", "authorization_credentials"}},
      {"slack", {"url", "token"}},
      {"discord", {"url"}},
      {"googlechat", {"url"}},
      {"teams", {"url"}},
      {"victorops", {"url"}},
      {"pagerduty", {"integrationKey"}},
      {"opsgenie", {"apiKey"}},
      {"telegram", {"bottoken"}},
      {"pushover", {"userKey", "apiToken"}},
      {"sensugo", {"apiKey"}},
      {"line", {"token"}},
      {"threema", {"api_secret"}},
      {"kafka", {"password"}},
      {"webex", {"bot_token"}},
      {"email", {}},
  };
  static const std::set<std::string> kNone;
  auto it = kKeys.find(type);
  return it == kKeys.end() ? kNone : it->second;
}

}  // namespace md::resources
