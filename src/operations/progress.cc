#include "operations/progress.h"

namespace md::operations {

void Progress::Start(std::string operation, int64_t total_rows) {
  std::lock_guard<std::mutex> lock(mu_);
  operation_ = std::move(operation);
  column_.clear();
  started_ = std::chrono::steady_clock::now();
  total_ = total_rows;
  done_ = 0;
  failed_ = 0;
  finished_ = false;
}

void Progress::SetColumn(std::string column) {
  std::lock_guard<std::mutex> lock(mu_);
  column_ = std::move(column);
}

Progress::Snapshot Progress::Read() const {
  std::lock_guard<std::mutex> lock(mu_);
  Snapshot s;
  s.operation = operation_;
  s.column = column_;
  s.done = done_;
  s.total = total_;
  s.failed = failed_;
  s.running = !finished_;
  s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  if (s.seconds > 0) s.rows_per_second = s.done / s.seconds;
  if (s.rows_per_second > 0 && s.total >= s.done) s.eta_seconds = (s.total - s.done) / s.rows_per_second;
  return s;
}

}  // namespace md::operations
