#include "engine/scan_report.h"

#include <algorithm>

#include "engine/layer.h"

namespace kql::engine {

std::vector<std::string> BadValueLines(const std::map<std::string, ScanSummary>& scans) {
  std::vector<std::string> lines;
  for (const auto& [table, scan] : scans) {
    for (const auto& [column, bad] : scan.bad_values) {
      const SkippedRecord& example = bad.example;
      lines.push_back(table + "." + column + ": " + std::to_string(bad.count) + " value" +
                      (bad.count == 1 ? "" : "s") + " not " + bad.type + " (left null, rows kept), e.g. " +
                      example.file + ":" + std::to_string(example.line) + ":" + std::to_string(example.column) +
                      " '" + example.bad_text + "'");
    }
  }
  return lines;
}

uint64_t CountBadValues(const ScanSummary& scan) {
  uint64_t values = 0;
  for (const auto& [column, bad] : scan.bad_values) values += bad.count;
  return values;
}

uint64_t BadRecordCount(const ScanSummary& scan) {
  return scan.skipped_count - std::min(CountBadValues(scan), scan.skipped_count);
}

void MergeScanSummary(ScanSummary& total, const ScanSummary& scan) {
  std::map<std::string, BadValueCount> bad_values = total.bad_values;
  for (const auto& [column, bad] : scan.bad_values) {
    auto [it, added] = bad_values.try_emplace(column, bad);
    if (!added && bad.count > it->second.count) it->second = bad;
  }
  // Keep the widest read; among equally wide reads, the one that parsed the most (prefilters differ by rule).
  uint64_t width = scan.rows_read + scan.rows_prefiltered, total_width = total.rows_read + total.rows_prefiltered;
  if (width > total_width || (width == total_width && scan.rows_read > total.rows_read)) total = scan;
  // skipped_count includes the bad values: keep the records of the widest read plus every column's values.
  uint64_t records = BadRecordCount(total);
  total.bad_values = std::move(bad_values);
  total.skipped_count = records + CountBadValues(total);
}

}  // namespace kql::engine
