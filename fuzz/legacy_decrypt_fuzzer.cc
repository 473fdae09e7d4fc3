// The decrypt path takes stored (outside) bytes: any input must give a value or a typed error,
// never a crash or an out-of-bounds read. The first input byte picks the secret so both the
// cached and the PBKDF2 path run; the cache is bounded so memory stays flat.
#include <cstdlib>

#include "crypto/encryption_service.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static md::crypto::EncryptionService service(md::crypto::Algorithm::kAesGcm, 64);
  static const md::SecretBytes kSecrets[2] = {md::SecretBytes(std::string_view("1234")),
                                              md::SecretBytes(std::string_view("\0k", 2))};
  if (size == 0) return 0;
  const md::SecretBytes& secret = kSecrets[data[0] & 1];
  md::ByteView value(data + 1, size - 1);
  auto plain = service.Decrypt(value, secret);
  if (!plain.ok() && plain.status().code() != md::StatusCode::kInvalidArgument &&
      plain.status().code() != md::StatusCode::kDataLoss) {
    std::abort();
  }
  if (plain.ok() && plain->size() >= value.size()) std::abort();  // output never exceeds input
  md::crypto::DecryptRequest request{value, &secret};
  auto batch = service.DecryptBatch(std::span(&request, 1));
  if (batch[0].ok() != plain.ok()) std::abort();
  return 0;
}
