#include "exe/signals.h"

#include <pthread.h>
#include <signal.h>

namespace md::exe {
namespace {

// SIGUSR2 only wakes the waiting thread when the process ends without a shutdown signal.
sigset_t WaitedSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGUSR2);
  return set;
}

}  // namespace

void BlockShutdownSignals() {
  const sigset_t set = WaitedSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);
}

ShutdownSignals::ShutdownSignals(std::function<void(int)> on_signal)
    : on_signal_(std::move(on_signal)), thread_([this] { Wait(); }) {}

ShutdownSignals::~ShutdownSignals() {
  done_ = true;
  pthread_kill(thread_.native_handle(), SIGUSR2);
  thread_.join();
}

void ShutdownSignals::Wait() {
  const sigset_t set = WaitedSignals();
  while (!done_) {
    int signal_number = 0;
    if (sigwait(&set, &signal_number) != 0 || signal_number == SIGUSR2) {
      continue;
    }
    on_signal_(signal_number);
  }
}

}  // namespace md::exe
