// Progress of a running operation, shared by the walker (writer), the CLI's stderr renderer and
// the API's status endpoint (readers). Lock-free counters; thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace md::operations {

class Progress {
 public:
  void Start(std::string operation, int64_t total_rows);
  void SetColumn(std::string column);
  void AddRows(int64_t n) { done_.fetch_add(n, std::memory_order_relaxed); }
  void AddFailures(int64_t n) { failed_.fetch_add(n, std::memory_order_relaxed); }
  void Finish() { finished_ = true; }

  struct Snapshot {
    std::string operation, column;
    int64_t done = 0, total = 0, failed = 0;
    double seconds = 0, rows_per_second = 0, eta_seconds = -1;
    bool running = false;
  };
  Snapshot Read() const;

 private:
  mutable std::mutex mu_;
  std::string operation_, column_;  // Guarded by mu_
  std::chrono::steady_clock::time_point started_;  // Guarded by mu_
  std::atomic<int64_t> total_{0}, done_{0}, failed_{0};
  std::atomic<bool> finished_{true};
};

}  // namespace md::operations
