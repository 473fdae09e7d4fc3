// A small Prometheus-style metrics registry: counter and histogram families with labels, rendered
// in the Prometheus text exposition format. Built in exe/ and passed down; thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace md {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Counter {
 public:
  void Inc(uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

class Histogram {
 public:
  explicit Histogram(std::vector<double> bounds);
  void Observe(double v);
  std::vector<uint64_t> BucketCounts() const;  // cumulative, one per bound, then +Inf
  uint64_t count() const;
  double sum() const;
  const std::vector<double>& bounds() const { return bounds_; }

 private:
  std::vector<double> bounds_;
  mutable std::mutex mu_;
  std::vector<uint64_t> counts_;  // Guarded by mu_ (per bucket, not cumulative)
  double sum_ = 0;                // Guarded by mu_
};

template <typename T>
class Family {
 public:
  Family(std::string name, std::string help) : name_(std::move(name)), help_(std::move(help)) {}
  // Returns the series for these labels, creating it on first use. References stay valid.
  template <typename... Args>
  T& With(const Labels& labels, Args&&... args) {
    std::lock_guard<std::mutex> lock(mu_);
    auto& slot = series_[labels];
    if (!slot) slot = std::make_unique<T>(std::forward<Args>(args)...);
    return *slot;
  }
  const std::string& name() const { return name_; }
  const std::string& help() const { return help_; }
  template <typename F>
  void ForEach(F f) const {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [labels, series] : series_) f(labels, *series);
  }

 private:
  std::string name_, help_;
  mutable std::mutex mu_;
  std::map<Labels, std::unique_ptr<T>> series_;  // Guarded by mu_
};

class MetricsRegistry {
 public:
  // Returns the family with this name, creating it on first use.
  Family<Counter>& CounterFamily(const std::string& name, const std::string& help);
  Family<Histogram>& HistogramFamily(const std::string& name, const std::string& help);
  // A gauge whose value is read when the metrics are rendered (e.g. sessions in use).
  void GaugeCallback(const std::string& name, const std::string& help, std::function<double()> read);
  std::string RenderPrometheus() const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::unique_ptr<Family<Counter>>> counters_;      // Guarded by mu_
  std::map<std::string, std::unique_ptr<Family<Histogram>>> histograms_;  // Guarded by mu_
  struct Gauge {
    std::string help;
    std::function<double()> read;
  };
  std::map<std::string, Gauge> gauges_;  // Guarded by mu_
};

// Default latency buckets in seconds (100µs .. 10s).
std::vector<double> DefaultLatencyBuckets();

}  // namespace md
