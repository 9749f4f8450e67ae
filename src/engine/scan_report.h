// Scan reports: how `query` and `hunt` word what a read did not convert or skipped: one line per table and column
// whose values did not convert (cells left null, rows kept), and the count of bad records apart from those values.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "kqlite/engine.h"
#include "engine/layer.h"

namespace kql::engine {

/// "T.C: N values not long (left null, rows kept), e.g. file:line:col 'text'", one per table and column.
std::vector<std::string> BadValueLines(const std::map<std::string, ScanSummary>& scans);

/// Records skipped or read as described (malformed, cut, wrong field count), not counting bad values.
uint64_t BadRecordCount(const ScanSummary& scan);

/// Bad values over all columns of a scan.
uint64_t CountBadValues(const ScanSummary& scan);

/// Folds one read of a table into the summary of several reads (rules read different columns and rows): the widest
/// read's counts and records, and per column the most bad values any read found.
void MergeScanSummary(ScanSummary& total, const ScanSummary& scan);

}  // namespace kql::engine
