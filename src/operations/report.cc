#include "operations/report.h"

#include <cstdio>

namespace md::operations {

int64_t Report::TotalChanged() const {
  int64_t n = 0;
  for (const auto& c : columns) n += c.changed;
  return n;
}

int64_t Report::TotalFailed() const {
  int64_t n = 0;
  for (const auto& c : columns) n += c.failed;
  return n;
}

nlohmann::json Report::ToJson() const {
  nlohmann::json cols = nlohmann::json::array();
  for (const auto& c : columns) {
    cols.push_back({{"table", c.table}, {"column", c.column}, {"tableMissing", c.table_missing},
                    {"seen", c.seen}, {"changed", c.changed}, {"skipped", c.skipped}, {"failed", c.failed},
                    {"concurrentlyChanged", c.concurrent}});
  }
  nlohmann::json fails = nlohmann::json::array();
  for (const auto& f : failures) {
    fails.push_back({{"table", f.table}, {"column", f.column}, {"rowId", f.row_id}, {"reason", f.reason}});
  }
  return {{"operation", operation}, {"dryRun", dry_run}, {"ok", ok()}, {"columns", cols},
          {"failures", fails}, {"notes", notes}, {"seconds", seconds}};
}

std::string Report::ToText() const {
  std::string out;
  char line[256];
  // verify rewrites nothing: its "skipped" rows are the ones that decrypted.
  bool verify = operation == "verify";
  std::snprintf(line, sizeof line, "%-52s %10s %10s %10s %8s\n", "table.column", "seen",
                verify ? "" : dry_run ? "would" : "changed", verify ? "decrypted" : "skipped", "failed");
  out += line;
  for (const auto& c : columns) {
    std::string name = c.table + "." + c.column;
    if (c.table_missing) {
      std::snprintf(line, sizeof line, "%-52s %s\n", name.c_str(), "(no such table, skipped)");
    } else {
      std::snprintf(line, sizeof line, "%-52s %10lld %10lld %10lld %8lld\n", name.c_str(),
                    static_cast<long long>(c.seen), static_cast<long long>(c.changed),
                    static_cast<long long>(c.skipped), static_cast<long long>(c.failed));
    }
    out += line;
  }
  for (const auto& f : failures) {
    out += f.table.empty() ? "FAILED: " + f.reason + "\n"
                           : "FAILED " + f.table + "." + f.column + " row " + f.row_id + ": " + f.reason + "\n";
  }
  for (const auto& n : notes) out += n + "\n";
  int64_t concurrent = 0;
  for (const auto& c : columns) concurrent += c.concurrent;
  if (concurrent > 0) {
    std::snprintf(line, sizeof line, "%lld rows were changed by others during the run: re-read and redone\n",
                  static_cast<long long>(concurrent));
    out += line;
  }
  if (verify) {
    int64_t decrypted = 0;
    for (const auto& c : columns) decrypted += c.skipped;
    std::snprintf(line, sizeof line, "verify: %lld rows decrypted, %lld failed in %.1fs\n",
                  static_cast<long long>(decrypted), static_cast<long long>(failures.size()), seconds);
  } else {
    std::snprintf(line, sizeof line, "%s: %lld rows %s, %lld failed in %.1fs\n", operation.c_str(),
                  static_cast<long long>(TotalChanged()), dry_run ? "would change" : "changed",
                  static_cast<long long>(TotalFailed()), seconds);
  }
  out += line;
  return out;
}

}  // namespace md::operations
