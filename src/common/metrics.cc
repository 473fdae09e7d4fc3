#include "common/metrics.h"

#include <algorithm>
#include <sstream>

namespace md {
namespace {

std::string EscapeLabelValue(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') { out += "\\n"; continue; }
    out += c;
  }
  return out;
}

std::string FormatLabels(const Labels& labels, const std::string& extra = "") {
  if (labels.empty() && extra.empty()) return "";
  std::string out = "{";
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (i) out += ",";
    out += labels[i].first + "=\"" + EscapeLabelValue(labels[i].second) + "\"";
  }
  if (!extra.empty()) out += (labels.empty() ? "" : ",") + extra;
  return out + "}";
}

std::string FormatNumber(double v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

}  // namespace

Histogram::Histogram(std::vector<double> bounds) : bounds_(std::move(bounds)), counts_(bounds_.size() + 1) {}

void Histogram::Observe(double v) {
  auto it = std::lower_bound(bounds_.begin(), bounds_.end(), v);
  std::lock_guard<std::mutex> lock(mu_);
  ++counts_[it - bounds_.begin()];
  sum_ += v;
}

std::vector<uint64_t> Histogram::BucketCounts() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<uint64_t> cumulative(counts_.size());
  uint64_t running = 0;
  for (std::size_t i = 0; i < counts_.size(); ++i) cumulative[i] = running += counts_[i];
  return cumulative;
}

uint64_t Histogram::count() const { return BucketCounts().back(); }

double Histogram::sum() const {
  std::lock_guard<std::mutex> lock(mu_);
  return sum_;
}

Family<Counter>& MetricsRegistry::CounterFamily(const std::string& name, const std::string& help) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& slot = counters_[name];
  if (!slot) slot = std::make_unique<Family<Counter>>(name, help);
  return *slot;
}

Family<Histogram>& MetricsRegistry::HistogramFamily(const std::string& name, const std::string& help) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& slot = histograms_[name];
  if (!slot) slot = std::make_unique<Family<Histogram>>(name, help);
  return *slot;
}

void MetricsRegistry::GaugeCallback(const std::string& name, const std::string& help,
                                    std::function<double()> read) {
  std::lock_guard<std::mutex> lock(mu_);
  gauges_[name] = Gauge{help, std::move(read)};
}

std::string MetricsRegistry::RenderPrometheus() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::string out;
  for (const auto& entry : gauges_) {
    out += "# HELP " + entry.first + " " + entry.second.help + "\n# TYPE " + entry.first + " gauge\n" +
           entry.first + " " + FormatNumber(entry.second.read()) + "\n";
  }
  for (const auto& entry : counters_) {
    const std::string& name = entry.first;
    const auto& family = entry.second;
    out += "# HELP " + name + " " + family->help() + "\n# TYPE " + name + " counter\n";
    family->ForEach([&](const Labels& labels, const Counter& c) {
      out += name + FormatLabels(labels) + " " + std::to_string(c.value()) + "\n";
    });
  }
  for (const auto& entry : histograms_) {
    const std::string& name = entry.first;
    const auto& family = entry.second;
    out += "# HELP " + name + " " + family->help() + "\n# TYPE " + name + " histogram\n";
    family->ForEach([&](const Labels& labels, const Histogram& h) {
      auto counts = h.BucketCounts();
      for (std::size_t i = 0; i < counts.size(); ++i) {
        std::string le = i < h.bounds().size() ? FormatNumber(h.bounds()[i]) : "+Inf";
        out += name + "_bucket" + FormatLabels(labels, "le=\"" + le + "\"") + " " +
               std::to_string(counts[i]) + "\n";
      }
      out += name + "_sum" + FormatLabels(labels) + " " + FormatNumber(h.sum()) + "\n";
      out += name + "_count" + FormatLabels(labels) + " " + std::to_string(counts.back()) + "\n";
    });
  }
  return out;
}

std::vector<double> DefaultLatencyBuckets() {
  return {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

}  // namespace md
