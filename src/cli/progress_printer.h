// ProgressPrinter: shows an operation's Progress on stderr while it runs: a bar with rate and ETA
// redrawn in place on a terminal, otherwise one line every few seconds (logs, CI).
#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>

#include "operations/progress.h"

namespace md::cli {

class ProgressPrinter {
 public:
  // Starts printing; stops (and finishes the line) when destroyed.
  ProgressPrinter(const operations::Progress& progress, bool terminal);
  ~ProgressPrinter();

  // One rendering of a snapshot, without a trailing newline (exposed for tests).
  static std::string Render(const operations::Progress::Snapshot& s, bool terminal);

 private:
  void Loop();

  const operations::Progress& progress_;
  bool terminal_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;  // Guarded by mu_
  bool printed_ = false;
  std::thread thread_;
};

}  // namespace md::cli
