// kqllogictest: runs .kqltest golden files (docs/TESTING.md) through the public Engine API.
// Usage: kqllogictest [--rewrite] [--no-verify] FILE...
// Each query runs with chunk sizes 2048, 3 and 1 and with 1 and 2 threads; all runs must agree (verify=chunks).
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "catalog/schema_parser.h"
#include "kqlite/engine.h"
#include "test_file.h"
#include "types/datetime.h"
#include "types/value.h"
#include "rules/layer.h"

namespace kql::logictest {

using namespace kql::rules;
namespace {

struct RunSettings {
  bool rewrite = false;
  bool verify = true;
};

/// One file's mutable state: its engine, the pinned clock and chunk size.
struct FileState {
  Engine engine;
  std::optional<int64_t> now;
  size_t chunk_size = 2048;
};

std::string JoinLines(const std::vector<std::string>& lines) {
  std::string out;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i) out += "\n";
    out += lines[i];
  }
  return out;
}

std::vector<std::string> RenderTable(const Table& table, bool rowsort) {
  std::vector<std::string> lines;
  std::string header;
  for (size_t i = 0; i < table.schema.size(); ++i) {
    if (i) header += "\t";
    header += table.schema[i].name + ":" + std::string(TypeName(table.schema[i].type));
  }
  lines.push_back(header);
  std::vector<std::string> rows;
  for (const auto& row : table.Rows()) {
    std::string text;
    for (size_t i = 0; i < row.size(); ++i) {
      if (i) text += "\t";
      text += FormatGolden(row[i]);
    }
    rows.push_back(text);
  }
  if (rowsort) std::sort(rows.begin(), rows.end());
  lines.insert(lines.end(), rows.begin(), rows.end());
  return lines;
}

/// A query's tables: its only table as RenderTable draws it; for a query returning several (fork, facet), each
/// table after a `==== <name>` line.
std::vector<std::string> RenderResult(const QueryResult& result, bool rowsort) {
  if (result.more_tables.empty()) return RenderTable(result.table, rowsort);
  std::vector<std::string> lines = {"==== " + result.table_name};
  for (std::string& line : RenderTable(result.table, rowsort)) lines.push_back(std::move(line));
  for (const NamedTable& more : result.more_tables) {
    lines.push_back("==== " + more.name);
    for (std::string& line : RenderTable(more.table, rowsort)) lines.push_back(std::move(line));
  }
  return lines;
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream stream(text);
  std::string line;
  while (std::getline(stream, line)) lines.push_back(line);
  return lines;
}

std::vector<std::string> RenderErrors(const QueryResult& result, const std::string& query, bool headers_only) {
  std::vector<std::string> lines;
  for (const auto& diagnostic : result.diagnostics) {
    if (diagnostic.severity != Severity::kError) continue;
    if (headers_only) {
      lines.push_back(SplitLines(RenderDiagnostic(diagnostic, query))[0]);
    } else {
      for (auto& line : SplitLines(RenderDiagnostic(diagnostic, query))) lines.push_back(line);
    }
  }
  if (lines.empty() && !result.ok) lines.push_back("runtime error: " + result.error);
  return lines;
}

bool LooksLikeDiagnosticHeader(const std::string& line) {
  return line.size() > 4 && std::isupper(static_cast<unsigned char>(line[0])) && line.find(' ') != std::string::npos &&
         line.find(':') != std::string::npos && std::isdigit(static_cast<unsigned char>(line[3]));
}

class Runner {
 public:
  explicit Runner(RunSettings settings) : settings_(settings) {}

  /// Runs one file; returns the number of failed records.
  int RunFile(const std::string& path) {
    TestFile file;
    std::string error;
    if (!ParseTestFile(path, file, error)) {
      std::cerr << error << "\n";
      return 1;
    }
    FileState state;
    int failures = 0;
    std::vector<std::pair<const TestRecord*, std::vector<std::string>>> rewrites;
    bool skip_next = false;
    for (const auto& record : file.records) {
      if (skip_next) {
        skip_next = false;
        ++skipped_;
        continue;
      }
      std::vector<std::string> actual;
      bool ok = RunRecord(file, record, state, actual, skip_next, failures);
      if (!ok && settings_.rewrite &&
          (record.kind == RecordKind::kQuery || record.kind == RecordKind::kError || record.kind == RecordKind::kPlan ||
           record.kind == RecordKind::kWarning)) {
        rewrites.emplace_back(&record, actual);
      }
    }
    if (settings_.rewrite && !rewrites.empty()) Rewrite(file, rewrites);
    return failures;
  }

  int passed() const { return passed_; }
  int failed() const { return failed_; }
  int skipped() const { return skipped_; }

 private:
  bool RunRecord(const TestFile& file, const TestRecord& record, FileState& state, std::vector<std::string>& actual,
                 bool& skip_next, int& failures) {
    std::string where = file.path + ":" + std::to_string(record.line);
    switch (record.kind) {
      case RecordKind::kSkip: skip_next = true; return true;
      case RecordKind::kInclude: {
        std::filesystem::path included = std::filesystem::path(file.path).parent_path() / record.arguments.at(0);
        failures += RunFile(included.string());
        return true;
      }
      case RecordKind::kSet: {
        if (record.arguments.size() >= 2 && record.arguments[0] == "now") {
          std::string text;
          for (size_t i = 1; i < record.arguments.size(); ++i) text += (i > 1 ? " " : "") + record.arguments[i];
          state.now = ParseDateTime(text);
          if (!state.now) return Fail(where, "bad datetime in set now: " + text, failures);
        } else if (record.arguments.size() == 2 && record.arguments[0] == "chunk_size") {
          state.chunk_size = std::stoul(record.arguments[1]);
        } else {
          return Fail(where, "unknown set: " + record.header, failures);
        }
        return true;
      }
      case RecordKind::kTable: {
        if (record.arguments.empty()) return Fail(where, "table needs a name", failures);
        std::string name = record.arguments[0];
        std::string schema_text;
        size_t open = record.header.find('(');
        Schema schema;
        if (open != std::string::npos) {
          std::string parse_error;
          auto parsed = ParseSchemaText(record.header.substr(open), &parse_error);
          if (!parsed) return Fail(where, "bad table schema: " + parse_error, failures);
          schema = *parsed;
        }
        std::string text;
        if (!record.load_path.empty()) {
          std::filesystem::path data_path = std::filesystem::path(KQLITE_SOURCE_DIR) / "tests" / "data" / record.load_path;
          std::ifstream in(data_path, std::ios::binary);
          if (!in) return Fail(where, "cannot read " + data_path.string(), failures);
          std::stringstream buffer;
          buffer << in.rdbuf();
          text = buffer.str();
        } else {
          text = JoinLines(record.body);
          if (!text.empty()) text += "\n";
        }
        auto problems = state.engine.AddDataText(name, schema, record.format, text);
        for (const auto& problem : problems) std::cerr << where << ": note: " << problem << "\n";
        return true;
      }
      case RecordKind::kQuery:
      case RecordKind::kError:
      case RecordKind::kWarning:
      case RecordKind::kPlan: break;
    }
    std::string query = JoinLines(record.body);
    QueryOptions options;
    options.now_ticks = state.now ? state.now : std::optional<int64_t>(0);
    options.chunk_size = state.chunk_size;
    options.threads = 2;
    if (record.kind == RecordKind::kPlan) {
      PlanStage stage = !record.arguments.empty() && record.arguments[0] == "logical" ? PlanStage::kLogical
                                                                                        : PlanStage::kOptimized;
      actual = SplitLines(state.engine.Explain(query, stage, options));
      return Compare(where, record, actual, failures);
    }
    QueryResult result = state.engine.Query(query, options);
    if (record.kind == RecordKind::kError) {
      bool headers_only = record.expected.size() >= 2 && LooksLikeDiagnosticHeader(record.expected[1]);
      actual = RenderErrors(result, query, headers_only);
      if (result.ok) actual = {"(query succeeded)"};
      std::vector<std::string> compared(actual.begin(), actual.begin() + std::min(actual.size(), record.expected.size()));
      if (compared.size() < record.expected.size()) compared = actual;
      if (compared == record.expected) {
        ++passed_;
        return true;
      }
      return Mismatch(where, record, actual, failures);
    }
    if (record.kind == RecordKind::kWarning) {
      // The query succeeds; its warnings' header lines are compared.
      if (!result.ok) {
        actual = RenderErrors(result, query, false);
      } else {
        for (const auto& diagnostic : result.diagnostics) {
          if (diagnostic.severity == Severity::kWarning) {
            actual.push_back(SplitLines(RenderDiagnostic(diagnostic, query))[0]);
          }
        }
      }
      return Compare(where, record, actual, failures);
    }
    bool rowsort = !record.arguments.empty() && record.arguments[0] == "rowsort";
    if (!result.ok) {
      actual = RenderErrors(result, query, false);
      return Mismatch(where, record, actual, failures);
    }
    actual = RenderResult(result, rowsort);
    if (settings_.verify && actual == record.expected) {
      // verify=chunks: other chunk sizes and thread counts must give the same answer.
      const std::pair<size_t, int> kVariants[] = {{1, 1}, {3, 2}, {2048, 1}};
      for (const auto& [chunk_size, threads] : kVariants) {
        QueryOptions variant = options;
        variant.chunk_size = chunk_size;
        variant.threads = threads;
        QueryResult other = state.engine.Query(query, variant);
        std::vector<std::string> other_lines =
            other.ok ? RenderResult(other, rowsort) : RenderErrors(other, query, false);
        if (other_lines != actual) {
          std::cerr << where << ": FAIL (verify=chunks: chunk_size=" << chunk_size << " threads=" << threads
                    << " differs)\n"
                    << JoinLines(other_lines) << "\n";
          ++failed_;
          ++failures;
          return false;
        }
      }
    }
    return Compare(where, record, actual, failures);
  }

  bool Compare(const std::string& where, const TestRecord& record, const std::vector<std::string>& actual,
               int& failures) {
    if (actual == record.expected) {
      ++passed_;
      return true;
    }
    return Mismatch(where, record, actual, failures);
  }

  bool Mismatch(const std::string& where, const TestRecord& record, const std::vector<std::string>& actual,
                int& failures) {
    ++failed_;
    ++failures;
    if (settings_.rewrite) return false;
    std::cerr << where << ": FAIL\n"
              << JoinLines(record.body) << "\n---- expected\n"
              << JoinLines(record.expected) << "\n---- actual\n"
              << JoinLines(actual) << "\n\n";
    return false;
  }

  bool Fail(const std::string& where, const std::string& message, int& failures) {
    std::cerr << where << ": FAIL " << message << "\n";
    ++failed_;
    ++failures;
    return false;
  }

  void Rewrite(const TestFile& file,
               const std::vector<std::pair<const TestRecord*, std::vector<std::string>>>& rewrites) {
    std::vector<std::string> out;
    size_t line_index = 0;
    for (const auto& [record, actual] : rewrites) {
      size_t start = static_cast<size_t>(record->expected_line - 1);
      while (line_index < start) out.push_back(file.lines[line_index++]);
      out.insert(out.end(), actual.begin(), actual.end());
      line_index = start + record->expected.size();
    }
    while (line_index < file.lines.size()) out.push_back(file.lines[line_index++]);
    std::ofstream stream(file.path, std::ios::binary);
    for (const auto& line : out) stream << line << "\n";
    std::cerr << file.path << ": rewrote " << rewrites.size() << " expected block(s); review the diff\n";
  }

  RunSettings settings_;
  int passed_ = 0;
  int failed_ = 0;
  int skipped_ = 0;
};

}  // namespace
}  // namespace kql::logictest

int main(int argc, char** argv) {
  kql::logictest::RunSettings settings;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--rewrite") settings.rewrite = true;
    else if (arg == "--no-verify") settings.verify = false;
    else if (arg == "-h" || arg == "--help") {
      std::cout << "usage: kqllogictest [--rewrite] [--no-verify] FILE.kqltest...\n";
      return 0;
    } else files.push_back(arg);
  }
  kql::logictest::Runner runner(settings);
  int failures = 0;
  for (const auto& file : files) failures += runner.RunFile(file);
  std::cout << runner.passed() << " passed, " << runner.failed() << " failed";
  if (runner.skipped()) std::cout << ", " << runner.skipped() << " skipped";
  std::cout << "\n";
  return failures == 0 ? 0 : 1;
}
