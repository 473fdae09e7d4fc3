#include "operations/operation_lock.h"

#include <unistd.h>

#include "secrets/data_key_store.h"

namespace md::operations {
namespace {

constexpr char kLockName[] = "secrets-migration";

std::string HolderName(const std::string& operation) {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  return operation + " by " + host + ":" + std::to_string(getpid());
}

}  // namespace

Result<std::unique_ptr<OperationLock>> OperationLock::Acquire(store::Database& db, const std::string& operation) {
  std::string holder = HolderName(operation);
  auto now = secrets::Clock::now();
  std::string now_text = secrets::FormatDbTime(now);
  std::string stale = secrets::FormatDbTime(now - std::chrono::seconds(kStaleAfterSeconds));
  std::string current_holder, since;
  const std::string lock_name = kLockName;
  Status s = db.InTransaction([&](soci::session& session) -> Status {
    session << "DELETE FROM md_operation_lock WHERE name = :n AND heartbeat < :stale",
        soci::use(lock_name), soci::use(stale);
    soci::indicator ind = soci::i_ok;
    session << "SELECT holder, acquired FROM md_operation_lock WHERE name = :n",
        soci::use(lock_name), soci::into(current_holder, ind), soci::into(since);
    if (session.got_data()) return AlreadyExistsError("held");
    session << "INSERT INTO md_operation_lock (name, holder, acquired, heartbeat) VALUES (:n, :h, :a, :b)",
        soci::use(lock_name), soci::use(holder), soci::use(now_text), soci::use(now_text);
    return OkStatus();
  }, /*write_lock=*/true);
  if (s.code() == StatusCode::kAlreadyExists || (!s.ok() && !current_holder.empty())) {
    return AlreadyExistsError("another secrets operation is running: " + current_holder + " since " + since +
                              " UTC; wait for it to finish (a holder that died is taken over after " +
                              std::to_string(kStaleAfterSeconds) + "s)");
  }
  if (!s.ok()) return s.WithContext("taking the operation lock");
  return std::unique_ptr<OperationLock>(new OperationLock(db, holder));
}

OperationLock::OperationLock(store::Database& db, std::string holder) : db_(db), holder_(std::move(holder)) {
  heartbeat_ = std::thread([this] { Heartbeat(); });
}

void OperationLock::Heartbeat() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!cv_.wait_for(lock, std::chrono::seconds(kStaleAfterSeconds / 4), [this] { return stopping_; })) {
    std::string now = secrets::FormatDbTime(secrets::Clock::now());
    const std::string lock_name = kLockName;
    (void)db_.InTransaction([&](soci::session& session) -> Status {
      session << "UPDATE md_operation_lock SET heartbeat = :t WHERE name = :n AND holder = :h",
          soci::use(now), soci::use(lock_name), soci::use(holder_);
      return OkStatus();
    });
  }
}

OperationLock::~OperationLock() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  heartbeat_.join();
  const std::string lock_name = kLockName;
  (void)db_.InTransaction([&](soci::session& session) -> Status {
    session << "DELETE FROM md_operation_lock WHERE name = :n AND holder = :h",
        soci::use(lock_name), soci::use(holder_);
    return OkStatus();
  });
}

}  // namespace md::operations
