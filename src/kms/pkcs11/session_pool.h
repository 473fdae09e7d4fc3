// SessionPool: logged-in read-only PKCS#11 sessions on one token, each knowing the handle of the
// key-wrapping key, handed out one per concurrent caller (PKCS#11 allows one active operation per
// session) and kept for reuse. Thread-safe.
#pragma once

#include <p11-kit/pkcs11.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/secret_bytes.h"
#include "common/status.h"
#include "kms/pkcs11/pkcs11_config.h"
#include "kms/pkcs11/pkcs11_module.h"

namespace md::kms::pkcs11 {

struct Session {
  CK_SESSION_HANDLE handle = CK_INVALID_HANDLE;
  CK_OBJECT_HANDLE key = CK_INVALID_HANDLE;  // the KEK
};

class SessionPool {
 public:
  // Sessions beyond this many idle ones are closed when they come back.
  static constexpr std::size_t kMaxIdle = 16;

  // Finds the token, checks that it supports `mechanism`, opens a first session, logs in, finds
  // the key and checks it (token_lookup.h): every start-up problem is reported here, with the
  // Status codes of token_lookup.h. The first session stays in the pool.
  static Result<std::unique_ptr<SessionPool>> Open(std::shared_ptr<const Pkcs11Module> module,
                                                   const Pkcs11Config& config, CK_MECHANISM_TYPE mechanism);
  ~SessionPool();

  // A session for one operation; back to the pool on destruction, or, when Lost(), closed along
  // with every idle session.
  class Lease {
   public:
    Lease(Lease&& other) noexcept : pool_(other.pool_), session_(other.session_), lost_(other.lost_) {
      other.pool_ = nullptr;
    }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    const Session& session() const { return session_; }
    // The session is broken (see SessionLost()): close it rather than reuse it.
    void Lost() { lost_ = true; }
    bool lost() const { return lost_; }

   private:
    friend class SessionPool;
    Lease(const SessionPool* pool, Session session) : pool_(pool), session_(session) {}
    const SessionPool* pool_;
    Session session_;
    bool lost_ = false;
  };

  // An idle session, or a new one (opened and logged in again: the login may have been lost).
  Result<Lease> Acquire() const;
  CK_FUNCTION_LIST* functions() const { return module_->functions(); }
  // "token \"<label>\"" or "slot <id>".
  const std::string& token() const { return token_; }

 private:
  SessionPool(std::shared_ptr<const Pkcs11Module> module, CK_SLOT_ID slot, const Pkcs11Config& config);
  Result<Session> OpenSession() const;
  void Return(const Session& session, bool lost) const;

  std::shared_ptr<const Pkcs11Module> module_;
  const CK_SLOT_ID slot_;
  const SecretBytes pin_;
  const std::string key_label_;
  const std::string token_;
  mutable std::mutex mu_;
  mutable std::vector<Session> idle_;  // guarded by mu_
};

}  // namespace md::kms::pkcs11
