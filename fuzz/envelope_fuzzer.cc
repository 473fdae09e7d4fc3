// Envelope framing and algorithm-prefix parsers on arbitrary bytes: no crash, views stay inside
// the input, and whatever parses rebuilds to an equivalent value.
#include <cstdlib>

#include "crypto/envelope_format.h"
#include "crypto/legacy_payload.h"

namespace {
bool Inside(md::ByteView part, md::ByteView whole) {
  return part.empty() || (part.data() >= whole.data() &&
                          part.data() + part.size() <= whole.data() + whole.size());
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  md::ByteView blob(data, size);
  if (auto parts = md::crypto::ParseEnvelope(blob); parts.ok()) {
    if (!md::crypto::IsEnvelope(blob) || !Inside(parts->inner, blob)) std::abort();
    if (parts->key_id.empty() || parts->key_id.size() > md::crypto::kMaxKeyIdSize) std::abort();
    md::Bytes rebuilt = md::crypto::BuildEnvelope(parts->key_id, parts->inner);
    auto again = md::crypto::ParseEnvelope(rebuilt);
    if (!again.ok() || again->key_id != parts->key_id ||
        again->inner.size() != parts->inner.size()) {
      std::abort();
    }
  }
  if (auto legacy = md::crypto::ParseLegacyPayload(blob); legacy.ok()) {
    if (!Inside(legacy->raw, blob)) std::abort();
    (void)md::crypto::SplitCfb(legacy->raw);
    (void)md::crypto::SplitGcm(legacy->raw);
  }
  return 0;
}
