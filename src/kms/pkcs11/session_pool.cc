#include "kms/pkcs11/session_pool.h"

#include "kms/pkcs11/pkcs11_errors.h"
#include "kms/pkcs11/token_lookup.h"

namespace md::kms::pkcs11 {

SessionPool::SessionPool(std::shared_ptr<const Pkcs11Module> module, CK_SLOT_ID slot, const Pkcs11Config& config)
    : module_(std::move(module)),
      slot_(slot),
      pin_(config.pin.view()),
      key_label_(config.key_label),
      token_(DescribeToken(config)) {}

// static
Result<std::unique_ptr<SessionPool>> SessionPool::Open(std::shared_ptr<const Pkcs11Module> module,
                                                       const Pkcs11Config& config, CK_MECHANISM_TYPE mechanism) {
  ASSIGN_OR_RETURN(CK_SLOT_ID slot, FindSlot(module->functions(), config));
  std::unique_ptr<SessionPool> pool(new SessionPool(std::move(module), slot, config));
  if (Status s = CheckWrapMechanism(pool->functions(), slot, mechanism, pool->token_); !s.ok()) return s;
  ASSIGN_OR_RETURN(Session first, pool->OpenSession());
  pool->Return(first, /*lost=*/false);
  return pool;
}

SessionPool::~SessionPool() {
  for (const Session& session : idle_) functions()->C_CloseSession(session.handle);
}

Result<Session> SessionPool::OpenSession() const {
  CK_FUNCTION_LIST* fn = functions();
  Session session;
  CK_RV rv = fn->C_OpenSession(slot_, CKF_SERIAL_SESSION, nullptr, nullptr, &session.handle);
  if (rv != CKR_OK) return CkrError(rv, "opening a session on " + token_);
  Status status = Login(fn, session.handle, pin_, token_);
  if (status.ok()) {
    Result<CK_OBJECT_HANDLE> key = FindKey(fn, session.handle, key_label_, token_);
    status = key.ok() ? CheckKey(fn, session.handle, *key, key_label_) : key.status();
    if (key.ok()) session.key = *key;
  }
  if (!status.ok()) {
    fn->C_CloseSession(session.handle);
    return status;
  }
  return session;
}

Result<SessionPool::Lease> SessionPool::Acquire() const {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      Session session = idle_.back();
      idle_.pop_back();
      return Lease(this, session);
    }
  }
  ASSIGN_OR_RETURN(Session session, OpenSession());
  return Lease(this, session);
}

void SessionPool::Return(const Session& session, bool lost) const {
  std::vector<Session> to_close = {session};
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (lost) {
      // Whatever lost this session (a logout, a removed token) has most likely lost the idle
      // ones too: drop them all rather than have the next callers find out one by one.
      to_close.insert(to_close.end(), idle_.begin(), idle_.end());
      idle_.clear();
    } else if (idle_.size() < kMaxIdle) {
      idle_.push_back(session);
      return;
    }
  }
  for (const Session& s : to_close) functions()->C_CloseSession(s.handle);
}

SessionPool::Lease::~Lease() {
  if (pool_ != nullptr) pool_->Return(session_, lost_);
}

}  // namespace md::kms::pkcs11
