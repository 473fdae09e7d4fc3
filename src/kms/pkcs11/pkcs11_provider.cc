#include "kms/pkcs11/pkcs11_provider.h"

#include "kms/pkcs11/pkcs11_errors.h"
#include "kms/pkcs11/wrapped_key_format.h"

namespace md::kms::pkcs11 {
namespace {

// A session object (the DEK while it is inside the token), destroyed when this goes away.
class SessionObject {
 public:
  SessionObject(CK_FUNCTION_LIST* fn, CK_SESSION_HANDLE session) : fn_(fn), session_(session) {}
  SessionObject(const SessionObject&) = delete;
  SessionObject& operator=(const SessionObject&) = delete;
  ~SessionObject() {
    if (handle != CK_INVALID_HANDLE) fn_->C_DestroyObject(session_, handle);
  }
  CK_OBJECT_HANDLE handle = CK_INVALID_HANDLE;

 private:
  CK_FUNCTION_LIST* fn_;
  CK_SESSION_HANDLE session_;
};

// The template of the DEK while it is inside the token: a readable, wrappable secret session
// object, with its value for C_CreateObject or without it for C_UnwrapKey (which must not get
// CKA_VALUE_LEN either: SoftHSM2 refuses it with CKR_ATTRIBUTE_READ_ONLY).
class DekTemplate {
 public:
  explicit DekTemplate(const SecretBytes* value = nullptr) {
    if (value == nullptr) return;
    attributes_[kCount - 1] = {CKA_VALUE, const_cast<uint8_t*>(value->data()), value->size()};
    count_ = kCount;
  }
  DekTemplate(const DekTemplate&) = delete;
  DekTemplate& operator=(const DekTemplate&) = delete;
  CK_ATTRIBUTE* data() { return attributes_; }
  CK_ULONG size() const { return count_; }

 private:
  static constexpr CK_ULONG kCount = 6;
  CK_OBJECT_CLASS class_ = CKO_SECRET_KEY;
  CK_KEY_TYPE type_ = CKK_GENERIC_SECRET;
  CK_BBOOL true_ = CK_TRUE;
  CK_BBOOL false_ = CK_FALSE;
  CK_ATTRIBUTE attributes_[kCount] = {{CKA_CLASS, &class_, sizeof(class_)},
                                      {CKA_KEY_TYPE, &type_, sizeof(type_)},
                                      {CKA_TOKEN, &false_, sizeof(false_)},
                                      {CKA_SENSITIVE, &false_, sizeof(false_)},
                                      {CKA_EXTRACTABLE, &true_, sizeof(true_)},
                                      {CKA_VALUE, nullptr, 0}};
  CK_ULONG count_ = kCount - 1;
};

// The CkrError for a failed call, marking the lease's session lost when it is.
Status CallFailed(SessionPool::Lease& lease, CK_RV rv, std::string_view call) {
  if (SessionLost(rv)) lease.Lost();
  return CkrError(rv, call);
}

// Reads CKA_VALUE of a non-sensitive session object, which must be `size` bytes.
Result<SecretBytes> ReadValue(SessionPool::Lease& lease, CK_FUNCTION_LIST* fn, CK_OBJECT_HANDLE object,
                              std::size_t size) {
  CK_ATTRIBUTE value = {CKA_VALUE, nullptr, 0};
  CK_RV rv = fn->C_GetAttributeValue(lease.session().handle, object, &value, 1);
  if (rv != CKR_OK) return CallFailed(lease, rv, "C_GetAttributeValue");
  if (value.ulValueLen != size) return DataLossError("the unwrapped key has a bad length");
  SecretBytes out(size);
  value.pValue = out.data();
  rv = fn->C_GetAttributeValue(lease.session().handle, object, &value, 1);
  if (rv != CKR_OK) return CallFailed(lease, rv, "C_GetAttributeValue");
  if (value.ulValueLen != size) return DataLossError("the unwrapped key has a bad length");
  return out;
}

}  // namespace

// static
Result<std::unique_ptr<Pkcs11Provider>> Pkcs11Provider::New(const Pkcs11Config& config,
                                                           std::shared_ptr<const Pkcs11Module> module) {
  if (!module) return InvalidArgumentError(config.provider_id + ": no PKCS#11 module");
  Result<std::unique_ptr<SessionPool>> pool = SessionPool::Open(std::move(module), config, kMechanism);
  if (!pool.ok()) return pool.status().WithContext(config.provider_id);
  return std::unique_ptr<Pkcs11Provider>(
      new Pkcs11Provider(config.provider_id, config.key_label, std::move(pool).value()));
}

template <typename T, typename Op>
Result<T> Pkcs11Provider::WithSession(Op op) const {
  for (int attempt = 0;; ++attempt) {
    Result<SessionPool::Lease> lease = pool_->Acquire();
    if (!lease.ok()) return lease.status().WithContext(id_);
    Result<T> result = op(*lease);
    if (result.ok()) return result;
    if (!lease->lost() || attempt > 0) return result.status().WithContext(id_);
  }
}

Result<Bytes> Pkcs11Provider::WrapKey(const SecretBytes& data_key) const {
  if (!IsWrappableKeySize(data_key.size())) {
    return InvalidArgumentError(id_ + ": cannot wrap a " + std::to_string(data_key.size()) +
                                "-byte data key (8 to 1024 bytes, a multiple of 8)");
  }
  return WithSession<Bytes>([&](SessionPool::Lease& lease) { return Wrap(lease, data_key); });
}

Result<SecretBytes> Pkcs11Provider::UnwrapKey(ByteView wrapped_key) const {
  Result<ByteView> wrapped = ParseWrappedKey(wrapped_key, kMechanism);
  if (!wrapped.ok()) return wrapped.status().WithContext(id_);
  return WithSession<SecretBytes>([&](SessionPool::Lease& lease) { return Unwrap(lease, *wrapped); });
}

Result<Bytes> Pkcs11Provider::Wrap(SessionPool::Lease& lease, const SecretBytes& data_key) const {
  CK_FUNCTION_LIST* fn = pool_->functions();
  CK_SESSION_HANDLE session = lease.session().handle;
  // 1. The DEK becomes a session object that may be wrapped (and is gone when `dek` is).
  DekTemplate dek_template(&data_key);
  SessionObject dek(fn, session);
  CK_RV rv = fn->C_CreateObject(session, dek_template.data(), dek_template.size(), &dek.handle);
  if (rv != CKR_OK) return CallFailed(lease, rv, "C_CreateObject");
  // 2. Wrap it with the KEK, inside the token: size query, then the wrap.
  CK_MECHANISM mechanism = {kMechanism, nullptr, 0};
  CK_ULONG size = 0;
  rv = fn->C_WrapKey(session, &mechanism, lease.session().key, dek.handle, nullptr, &size);
  if (rv != CKR_OK) return CallFailed(lease, rv, "C_WrapKey");
  Bytes wrapped(size);
  rv = fn->C_WrapKey(session, &mechanism, lease.session().key, dek.handle, wrapped.data(), &size);
  if (rv != CKR_OK) return CallFailed(lease, rv, "C_WrapKey");
  wrapped.resize(size);
  return EncodeWrappedKey(kMechanism, wrapped);
}

Result<SecretBytes> Pkcs11Provider::Unwrap(SessionPool::Lease& lease, ByteView wrapped) const {
  CK_FUNCTION_LIST* fn = pool_->functions();
  CK_SESSION_HANDLE session = lease.session().handle;
  // 1. Unwrap into a readable session object; the token checks the wrap's integrity.
  DekTemplate dek_template;
  CK_MECHANISM mechanism = {kMechanism, nullptr, 0};
  SessionObject dek(fn, session);
  CK_RV rv = fn->C_UnwrapKey(session, &mechanism, lease.session().key, const_cast<uint8_t*>(wrapped.data()),
                             wrapped.size(), dek_template.data(), dek_template.size(), &dek.handle);
  if (rv != CKR_OK) {
    if (SessionLost(rv) || CkrStatusCode(rv) == StatusCode::kUnavailable) {
      return CallFailed(lease, rv, "C_UnwrapKey");
    }
    // SoftHSM2 answers a failed integrity check with CKR_GENERAL_ERROR; any refusal means the same.
    return DataLossError("key \"" + key_label_ + "\" cannot unwrap this key: it is corrupt or was " +
                         "wrapped by another key (" + CkrName(rv) + ")");
  }
  // 2. Read the DEK out of the session object: KWP adds 8 bytes to a key of whole 8-byte blocks.
  return ReadValue(lease, fn, dek.handle, wrapped.size() - 8);
}

Result<std::unique_ptr<KeyProvider>> Pkcs11ProviderFactory::Create(const config::ProviderSection& section,
                                                                   const config::Settings& /*settings*/) const {
  ASSIGN_OR_RETURN(Pkcs11Config config, ParsePkcs11Config(section));
  Result<std::shared_ptr<const Pkcs11Module>> module = Pkcs11Module::Load(config.module);
  if (!module.ok()) return module.status().WithContext(config.provider_id);
  ASSIGN_OR_RETURN(std::unique_ptr<Pkcs11Provider> provider,
                   Pkcs11Provider::New(config, std::move(module).value()));
  return std::unique_ptr<KeyProvider>(std::move(provider));
}

}  // namespace md::kms::pkcs11
