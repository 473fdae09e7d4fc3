// OperationLock: at most one writing operation per database, across processes and replicas.
// A row in md_operation_lock, kept alive by a heartbeat; a holder that died (no heartbeat for
// kStaleAfter) is taken over, so a killed run never blocks the next one for long.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "store/database.h"

namespace md::operations {

class OperationLock {
 public:
  static constexpr int kStaleAfterSeconds = 60;

  // AlreadyExists "another operation is running: <operation> by <holder> since <time>" when held.
  static Result<std::unique_ptr<OperationLock>> Acquire(store::Database& db, const std::string& operation);
  ~OperationLock();  // releases the lock

 private:
  OperationLock(store::Database& db, std::string holder);
  void Heartbeat();

  store::Database& db_;
  std::string holder_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;  // Guarded by mu_
  std::thread heartbeat_;
};

}  // namespace md::operations
