// Base64/hex decoders take stored (outside) text: they must never crash or read out of bounds,
// and whatever they accept must re-encode to an equivalent form.
#include <cstdlib>

#include "common/encoding.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto raw = md::Base64DecodeRaw(text); raw.ok()) {
    if (md::Base64EncodeRaw(*raw) != text) std::abort();
  }
  if (auto padded = md::Base64DecodePadded(text); padded.ok()) {
    if (md::Base64EncodePadded(*padded) != text) std::abort();
  }
  (void)md::Base64DecodeAny(text);
  if (auto hex = md::HexDecode(text); hex.ok()) {
    if (md::HexDecode(md::HexEncode(*hex))->size() != hex->size()) std::abort();
  }
  return 0;
}
