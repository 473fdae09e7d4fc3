// Pkcs11Provider: the "pkcs11.<name>" key provider. The KEK is an AES key on a PKCS#11 token
// (an HSM, or SoftHSM2 for tests) that is sensitive and non-extractable, so it never leaves the
// token: WrapKey imports the DEK as a short-lived session object and wraps it with C_WrapKey and
// CKM_AES_KEY_WRAP_PAD (RFC 5649 on SoftHSM2); UnwrapKey reverses it with C_UnwrapKey, which
// checks the wrap's integrity inside the token, and reads the DEK back. The stored blob is
// described in wrapped_key_format.h and docs/formats.md §4.
//
// Thread-safe: each call borrows its own session from a SessionPool. A call whose session was
// lost (token removed, logged out) is tried once more on a new session. Never logs; the PIN never
// appears in errors, which all start with the provider id.
#pragma once

#include <memory>
#include <string>

#include "kms/key_provider.h"
#include "kms/pkcs11/pkcs11_config.h"
#include "kms/pkcs11/pkcs11_module.h"
#include "kms/pkcs11/session_pool.h"

namespace md::kms::pkcs11 {

class Pkcs11Provider : public KeyProvider {
 public:
  // The mechanism new blobs are made with.
  static constexpr CK_MECHANISM_TYPE kMechanism = CKM_AES_KEY_WRAP_PAD;

  // Finds the token, logs in and checks the key (SessionPool::Open): NotFound for a missing token
  // or key, PermissionDenied for a wrong PIN, FailedPrecondition for an unusable key (e.g.
  // extractable) or an unsupported mechanism, Unavailable for device trouble.
  static Result<std::unique_ptr<Pkcs11Provider>> New(const Pkcs11Config& config,
                                                     std::shared_ptr<const Pkcs11Module> module);

  const std::string& Id() const override { return id_; }
  // InvalidArgument for a key that is not 8..kMaxDataKeySize bytes in whole 8-byte blocks (see
  // wrapped_key_format.h); Unavailable when the token cannot be reached.
  Result<Bytes> WrapKey(const SecretBytes& data_key) const override;
  // InvalidArgument for a blob that is not ours (wrapped_key_format.h); DataLoss when the token
  // refuses to unwrap it (tampered, or wrapped by another key); Unavailable when the token cannot
  // be reached.
  Result<SecretBytes> UnwrapKey(ByteView wrapped_key) const override;

 private:
  Pkcs11Provider(std::string id, std::string key_label, std::unique_ptr<SessionPool> pool)
      : id_(std::move(id)), key_label_(std::move(key_label)), pool_(std::move(pool)) {}

  // Runs op on a pooled session, once more on a fresh session if the first one was lost.
  template <typename T, typename Op>
  Result<T> WithSession(Op op) const;
  Result<Bytes> Wrap(SessionPool::Lease& lease, const SecretBytes& data_key) const;
  Result<SecretBytes> Unwrap(SessionPool::Lease& lease, ByteView wrapped) const;

  const std::string id_;
  const std::string key_label_;
  std::unique_ptr<SessionPool> pool_;
};

// Builds Pkcs11Providers from [security.encryption.pkcs11.<name>] sections. Modules are loaded
// (and shared) through Pkcs11Module::Load.
class Pkcs11ProviderFactory : public ProviderFactory {
 public:
  std::string_view Kind() const override { return "pkcs11"; }
  Result<std::unique_ptr<KeyProvider>> Create(const config::ProviderSection& section,
                                              const config::Settings& settings) const override;
};

}  // namespace md::kms::pkcs11
