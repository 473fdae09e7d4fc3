#include "secrets/data_key_id.h"

#include <openssl/rand.h>

#include <cstdio>
#include <ctime>

namespace md::secrets {

std::string NewDataKeyId() {
  uint8_t b[17];
  if (RAND_bytes(b, sizeof b) != 1) std::abort();  // no entropy: nothing safe to do
  b[6] = (b[6] & 0x0f) | 0x40;  // version 4
  b[8] = (b[8] & 0x3f) | 0x80;  // RFC 4122 variant
  char out[37];
  std::snprintf(out, sizeof out, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
                b[13], b[14], b[15]);
  if (out[0] >= '0' && out[0] <= '9') out[0] = static_cast<char>('a' + b[16] % 6);
  return out;
}

std::string DataKeyLabel(std::string_view scope, std::string_view provider_id, Clock::time_point now) {
  std::time_t t = Clock::to_time_t(now);
  std::tm local{};
  localtime_r(&t, &local);
  char date[16];
  std::strftime(date, sizeof date, "%Y-%m-%d", &local);
  return std::string(date) + "/" + std::string(scope) + "@" + std::string(provider_id);
}

}  // namespace md::secrets
