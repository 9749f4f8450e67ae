// TestFile: the parsed form of a .kqltest golden file (see docs/TESTING.md) — a list of records, each keeping
// its source lines so that --rewrite can replace expected blocks in place.
#pragma once
#include <string>
#include <vector>
#include "rules/layer.h"

namespace kql::logictest {

using namespace kql::rules;

/// What a record asks the runner to do.
enum class RecordKind { kSet, kTable, kQuery, kError, kPlan, kSkip, kInclude, kWarning };

/// One record of a golden file.
struct TestRecord {
  RecordKind kind = RecordKind::kQuery;
  int line = 0;                        ///< 1-based line of the record's first line in the file.
  std::vector<std::string> arguments;  ///< Words after the record keyword (e.g. "rowsort", "now 2024-...").
  std::string header;                  ///< The record's first line after comments.
  std::string format = "jsonl";        ///< table: inline data format.
  std::string load_path;               ///< table: `load <path>`.
  std::vector<std::string> body;       ///< table: data rows; query/error/plan: the KQL lines.
  std::vector<std::string> expected;   ///< Lines after `----`.
  int expected_line = 0;               ///< 1-based line of the first expected line (for --rewrite).
  int end_line = 0;                    ///< 1-based line after the record's last line.
};

/// A parsed golden file.
struct TestFile {
  std::string path;
  std::vector<std::string> lines;  ///< The file's raw lines.
  std::vector<TestRecord> records;
};

/// Reads and parses a golden file. Returns false and sets `error` when the file cannot be read or is malformed.
bool ParseTestFile(const std::string& path, TestFile& file, std::string& error);

}  // namespace kql::logictest
