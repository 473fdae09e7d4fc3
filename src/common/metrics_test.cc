#include "common/metrics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace md {
namespace {

using ::testing::HasSubstr;

TEST(MetricsTest, RendersCountersWithLabels) {
  MetricsRegistry registry;
  auto& ops = registry.CounterFamily("md_encryption_ops_total", "Encryption operations");
  ops.With({{"operation", "encrypt"}, {"success", "true"}}).Inc(3);
  ops.With({{"operation", "encrypt"}, {"success", "true"}}).Inc();
  std::string text = registry.RenderPrometheus();
  EXPECT_THAT(text, HasSubstr("# TYPE md_encryption_ops_total counter"));
  EXPECT_THAT(text, HasSubstr("md_encryption_ops_total{operation=\"encrypt\",success=\"true\"} 4"));
}

TEST(MetricsTest, HistogramBucketsAreCumulative) {
  MetricsRegistry registry;
  auto& h = registry.HistogramFamily("md_latency_seconds", "Latency").With({}, std::vector<double>{0.1, 1});
  h.Observe(0.05);
  h.Observe(0.5);
  h.Observe(5);
  std::string text = registry.RenderPrometheus();
  EXPECT_THAT(text, HasSubstr("md_latency_seconds_bucket{le=\"0.1\"} 1"));
  EXPECT_THAT(text, HasSubstr("md_latency_seconds_bucket{le=\"1\"} 2"));
  EXPECT_THAT(text, HasSubstr("md_latency_seconds_bucket{le=\"+Inf\"} 3"));
  EXPECT_THAT(text, HasSubstr("md_latency_seconds_count 3"));
}

TEST(MetricsTest, GaugesAreReadWhenRendered) {
  MetricsRegistry registry;
  int in_use = 1;
  registry.GaugeCallback("md_database_pool_in_use", "Sessions leased", [&] { return in_use; });
  in_use = 3;
  EXPECT_THAT(registry.RenderPrometheus(), HasSubstr("# TYPE md_database_pool_in_use gauge\nmd_database_pool_in_use 3\n"));
}

TEST(MetricsTest, EscapesLabelValues) {
  MetricsRegistry registry;
  registry.CounterFamily("c", "h").With({{"path", "a\"b"}}).Inc();
  EXPECT_THAT(registry.RenderPrometheus(), HasSubstr("c{path=\"a\\\"b\"} 1"));
}

}  // namespace
}  // namespace md
