// Framing of envelope values (docs/formats.md §2; grafana-formats.md §2):
//
//   envelope := '#' RawStdBase64(key_id) '#' inner
//
// key_id names the data key (data_keys.name, <= 100 bytes); inner is a legacy-cipher value
// (legacy_payload.h) encrypted with that data key. Only the framing lives here: looking up and
// unwrapping the data key belongs to the secrets manager.
#pragma once

#include <string>
#include <string_view>

#include "common/secret_bytes.h"
#include "common/status.h"

namespace md::crypto {

inline constexpr std::size_t kMaxKeyIdSize = 100;

// True iff the value starts with '#' (the only test Grafana uses; legacy values never do).
bool IsEnvelope(ByteView blob);

struct EnvelopeParts {
  std::string key_id;
  ByteView inner;  // points into the blob passed to ParseEnvelope
};

// Splits at the first '#' after the leading one. Errors (InvalidArgument): empty value
// ("unable to decrypt empty payload"), no leading '#', no closing '#' ("could not find valid key
// id in encrypted payload"), key id not base64 (padded or not), empty or longer than 100 bytes.
Result<EnvelopeParts> ParseEnvelope(ByteView blob);

// '#' + RawStdBase64(key_id) + '#' + inner. REQUIRES: 1 <= key_id.size() <= kMaxKeyIdSize.
Bytes BuildEnvelope(std::string_view key_id, ByteView inner);

}  // namespace md::crypto
