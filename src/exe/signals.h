// ShutdownSignals: turns SIGINT/SIGTERM into a callback run on a dedicated thread (so the callback
// may lock, log and call HttpServer::Stop()). BlockShutdownSignals() must run in main() before any
// other thread starts, so that every thread inherits the blocked mask.
#pragma once

#include <atomic>
#include <functional>
#include <thread>

namespace md::exe {

void BlockShutdownSignals();

class ShutdownSignals {
 public:
  // on_signal receives the signal number; it runs at most once per signal received.
  explicit ShutdownSignals(std::function<void(int)> on_signal);
  ~ShutdownSignals();  // stops waiting and joins the thread
  ShutdownSignals(const ShutdownSignals&) = delete;
  ShutdownSignals& operator=(const ShutdownSignals&) = delete;

 private:
  void Wait();

  std::function<void(int)> on_signal_;
  std::atomic<bool> done_{false};
  std::thread thread_;
};

}  // namespace md::exe
