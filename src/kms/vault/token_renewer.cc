#include "kms/vault/token_renewer.h"

namespace md::kms::vault {

TokenRenewer::TokenRenewer(std::chrono::milliseconds interval, std::function<Status()> renew)
    : interval_(interval), renew_(std::move(renew)), thread_([this] { Loop(); }) {}

TokenRenewer::~TokenRenewer() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void TokenRenewer::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    if (wake_.wait_for(lock, interval_, [this] { return stop_; })) return;
    lock.unlock();
    Status result = renew_();
    lock.lock();
    last_error_ = std::move(result);
    ++runs_;
  }
}

Status TokenRenewer::LastError() const {
  std::lock_guard<std::mutex> lock(mu_);
  return last_error_;
}

int TokenRenewer::Runs() const {
  std::lock_guard<std::mutex> lock(mu_);
  return runs_;
}

}  // namespace md::kms::vault
