#include "cli/progress_printer.h"

#include <cstdio>
#include <string>

namespace md::cli {
namespace {

constexpr auto kTerminalInterval = std::chrono::milliseconds(200);
constexpr auto kLogInterval = std::chrono::seconds(5);

std::string Duration(double seconds) {
  if (seconds < 0) return "?";
  char buf[32];
  int s = static_cast<int>(seconds + 0.5);
  std::snprintf(buf, sizeof buf, "%d:%02d", s / 60, s % 60);
  return buf;
}

}  // namespace

ProgressPrinter::ProgressPrinter(const operations::Progress& progress, bool terminal)
    : progress_(progress), terminal_(terminal) {
  thread_ = std::thread([this] { Loop(); });
}

ProgressPrinter::~ProgressPrinter() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
  if (printed_ && terminal_) std::fputc('\n', stderr);
}

std::string ProgressPrinter::Render(const operations::Progress::Snapshot& s, bool terminal) {
  char buf[256];
  double fraction = s.total > 0 ? static_cast<double>(s.done) / static_cast<double>(s.total) : 0;
  if (fraction > 1) fraction = 1;
  if (terminal) {
    constexpr int kWidth = 30;
    int filled = static_cast<int>(fraction * kWidth);
    std::string bar = std::string(filled, '#') + std::string(kWidth - filled, '.');
    std::snprintf(buf, sizeof buf, "\r%s [%s] %3d%% %lld/%lld rows %.0f/s ETA %s failed %lld  ",
                  s.operation.c_str(), bar.c_str(), static_cast<int>(fraction * 100),
                  static_cast<long long>(s.done), static_cast<long long>(s.total), s.rows_per_second,
                  Duration(s.eta_seconds).c_str(), static_cast<long long>(s.failed));
  } else {
    std::snprintf(buf, sizeof buf, "%s: %lld/%lld rows (%d%%), %.0f rows/s, ETA %s, %lld failed, at %s",
                  s.operation.c_str(), static_cast<long long>(s.done), static_cast<long long>(s.total),
                  static_cast<int>(fraction * 100), s.rows_per_second, Duration(s.eta_seconds).c_str(),
                  static_cast<long long>(s.failed), s.column.c_str());
  }
  return buf;
}

void ProgressPrinter::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  auto interval = terminal_ ? std::chrono::duration_cast<std::chrono::milliseconds>(kTerminalInterval)
                            : std::chrono::duration_cast<std::chrono::milliseconds>(kLogInterval);
  while (!cv_.wait_for(lock, interval, [this] { return stopping_; })) {
    auto snapshot = progress_.Read();
    if (!snapshot.running) continue;
    std::string line = Render(snapshot, terminal_);
    std::fputs(line.c_str(), stderr);
    if (!terminal_) std::fputc('\n', stderr);
    std::fflush(stderr);
    printed_ = true;
  }
}

}  // namespace md::cli
