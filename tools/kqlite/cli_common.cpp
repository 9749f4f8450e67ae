#include "cli_common.h"

#include <unistd.h>

#include "base/memory_limit.h"

#include <cctype>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <sys/ioctl.h>
#include <unistd.h>

#include "engine/scan_report.h"
#include "types/datetime.h"
#include "rules/layer.h"

namespace kql::cli {

using namespace kql::rules;

std::string ReadFile(const std::string& path, bool& ok) {
  std::ifstream in(path, std::ios::binary);
  ok = static_cast<bool>(in);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

/// Finds the bundled demo data: $KQLITE_DEMO_DATA; ../share/kqlite/demo beside an installed binary (or demo/,
/// ../data/demo beside an unpacked one); for a binary in its build folder, the source tree's data/demo named by the
/// kqlite-demo-data.path marker CMake writes there. No source-tree path is compiled in.
std::string DemoDataPath() {
  if (const char* env = std::getenv("KQLITE_DEMO_DATA")) return env;
  namespace fs = std::filesystem;
  std::error_code error;
  fs::path exe = fs::read_symlink("/proc/self/exe", error);
  if (error) return "data/demo";
  fs::path bin = exe.parent_path();
  std::vector<fs::path> candidates = {bin.parent_path() / "share" / "kqlite" / "demo", bin / "demo",
                                      bin.parent_path() / "data" / "demo"};
  std::ifstream marker(bin / "kqlite-demo-data.path");
  std::string marked;
  if (marker && std::getline(marker, marked) && !marked.empty()) candidates.emplace_back(marked);
  for (const auto& candidate : candidates) {
    if (fs::is_directory(candidate, error)) return candidate.string();
  }
  return candidates.front().string();
}

/// Registers --data and --table inputs; returns false after printing problems when nothing usable was given.
namespace {
std::vector<std::string>& ExternalDataMappings() {
  static std::vector<std::string> mappings;
  return mappings;
}
}  // namespace

void AddExternalDataOption(CLI::App* command) {
  command->add_option("--externaldata", ExternalDataMappings(),
                      "URL=PATH: externaldata reads URL from the local file PATH; kqlite never downloads (repeatable)")
      ->allow_extra_args(false);
}

bool RegisterExternalData(Engine& engine) {
  for (const std::string& mapping : ExternalDataMappings()) {
    // The URL may itself contain '=' (query strings), so the path follows the last one.
    const size_t equals = mapping.rfind('=');
    if (equals == std::string::npos || equals == 0 || equals + 1 == mapping.size()) {
      std::cerr << "kqlite: --externaldata expects URL=PATH: " << mapping << "\n";
      return false;
    }
    engine.MapExternalData(mapping.substr(0, equals), mapping.substr(equals + 1));
  }
  return true;
}

bool RegisterData(Engine& engine, const std::vector<std::string>& data, const std::vector<std::string>& tables) {
  std::vector<std::pair<std::string, std::string>> inputs;
  for (const auto& path : data) inputs.emplace_back(path, "");
  for (const auto& spec : tables) {
    size_t equals = spec.find('=');
    if (equals == std::string::npos || equals == 0) {
      std::cerr << "kqlite: --table expects NAME=PATH, got '" << spec << "'\n";
      return false;
    }
    inputs.emplace_back(spec.substr(equals + 1), spec.substr(0, equals));
  }
  bool ok = true;
  for (const auto& problem : engine.AddData(inputs)) {
    std::cerr << "kqlite: " << problem << "\n";
    ok = false;
  }
  for (const auto& notice : engine.DataNotices()) std::cerr << "kqlite: note: " << notice << "\n";
  return ok;
}

std::optional<int64_t> ParseNow(const std::string& text) {
  if (text.empty()) return std::nullopt;
  return ParseDateTime(text);
}

void ReportSkipped(const std::map<std::string, ScanSummary>& scans, bool show_bad_values) {
  constexpr size_t kShownRecords = 10;
  for (const auto& [table, scan] : scans) {
    if (scan.skipped_count == 0) continue;
    for (const auto& line : BadValueLines({{table, scan}})) std::cerr << "kqlite: warning: " << line << "\n";
    uint64_t records = BadRecordCount(scan);
    if (records > 0) {
      std::cerr << "kqlite: warning: " << records << " bad record(s) in table " << table
                << " (skipped, or read as described)\n";
    }
    size_t shown = 0;
    for (const auto& record : scan.skipped) {
      if (!record.bad_column.empty() && !show_bad_values) continue;
      if (!show_bad_values && shown == kShownRecords) break;
      ++shown;
      std::cerr << "  " << record.file << ":" << record.line << ":" << record.column << ": " << record.reason << "\n";
    }
    uint64_t total = show_bad_values ? scan.skipped_count : records;
    if (shown < total) {
      std::cerr << "  ... and " << (total - shown) << " more"
                << (show_bad_values ? "" : " (--show-bad-values lists up to 100 problems with every bad value)")
                << "\n";
    }
  }
}

std::vector<std::string> TablesThatLoadedNothing(const Engine& engine,
                                                 const std::map<std::string, ScanSummary>& scans) {
  std::vector<std::string> messages;
  for (const auto& [table, scan] : scans) {
    if (scan.rows_read > 0 || scan.rows_prefiltered > 0) continue;
    std::vector<std::string> paths;
    for (const auto& file : engine.DataFiles()) {
      if (file.table == table) paths.push_back(file.path);
    }
    if (paths.empty()) continue;  // Inline or in-memory tables may be empty on purpose.
    std::string message = "no rows loaded for table " + table + " from ";
    for (size_t index = 0; index < paths.size() && index < 5; ++index) message += (index ? ", " : "") + paths[index];
    if (paths.size() > 5) message += " and " + std::to_string(paths.size() - 5) + " more file(s)";
    if (!scan.skipped.empty()) {
      const SkippedRecord& first = scan.skipped.front();
      message += "; first problem: " + first.file + ":" + std::to_string(first.line) + ": " + first.reason;
    } else {
      message += " (the files hold no records)";
    }
    messages.push_back(std::move(message));
  }
  return messages;
}

void PrintDiagnostics(const std::vector<Diagnostic>& diagnostics, std::string_view text, const std::string& where) {
  for (const auto& diagnostic : diagnostics) {
    std::cerr << (where.empty() ? "" : where + ": ")
              << (diagnostic.severity == Severity::kError ? "error " : "warning ")
              << RenderDiagnostic(diagnostic, text) << "\n";
  }
}

void AddWorkspaceOptions(CLI::App* command, WorkspaceArgs& args) {
  command->add_option("--functions", args.functions,
                      "Stored functions: .kql/.csl files of .create-or-alter function commands, Sentinel parser YAML "
                      "(e.g. Azure-Sentinel's Parsers/ folder), or folders of them (repeatable)");
  command->add_option("--schema", args.schemas,
                      "Custom tables: .kql/.csl files of .create table T (col:type, ...) commands, or JSON "
                      "{\"tables\": {\"T\": {\"col\": \"type\"}}} (repeatable)");
}

std::optional<WorkspaceDefinitions> LoadWorkspace(const WorkspaceArgs& args) {
  WorkspaceDefinitions definitions;
  bool ok = true;
  auto load = [&](const std::string& path, auto loader) {
    std::error_code error;
    if (!std::filesystem::exists(path, error)) {
      std::cerr << "kqlite: " << path << ": no such file or folder\n";
      ok = false;
      return;
    }
    for (const auto& problem : loader(path, definitions)) std::cerr << "kqlite: warning: " << problem << "\n";
  };
  for (const auto& path : args.schemas) load(path, LoadSchemaDefinitions);
  for (const auto& path : args.functions) load(path, LoadFunctionDefinitions);
  if (!ok) return std::nullopt;
  return definitions;
}

namespace {

// Splits "1.5GiB" into 1.5 and "gib" (lowercased); false when there is no leading number.
bool SplitNumber(const std::string& text, double& number, std::string& unit) {
  size_t end = 0;
  while (end < text.size() && (std::isdigit(static_cast<unsigned char>(text[end])) || text[end] == '.')) ++end;
  if (end == 0) return false;
  try {
    number = std::stod(text.substr(0, end));
  } catch (const std::exception&) {
    return false;
  }
  unit.clear();
  for (size_t i = end; i < text.size(); ++i) {
    if (!std::isspace(static_cast<unsigned char>(text[i])))
      unit += static_cast<char>(std::tolower(static_cast<unsigned char>(text[i])));
  }
  return number >= 0;
}

std::atomic<bool> interrupted{false};

void OnInterrupt(int) {
  interrupted.store(true);
  std::signal(SIGINT, SIG_DFL);  // A second Ctrl-C ends the process at once.
}

std::atomic<int> stop_signal{0};

void OnStop(int signal) {
  interrupted.store(true);
  stop_signal.store(signal);
  std::signal(signal, SIG_DFL);  // A second one ends the process at once.
}

}  // namespace

std::optional<uint64_t> ParseByteSize(const std::string& text) {
  double number = 0;
  std::string unit;
  if (!SplitNumber(text, number, unit)) return std::nullopt;
  if (unit.size() > 1 && (unit.ends_with("ib") || unit.ends_with("b"))) unit = unit.substr(0, 1);
  double scale = 1;
  if (unit == "k") {
    scale = 1024.0;
  } else if (unit == "m") {
    scale = 1024.0 * 1024;
  } else if (unit == "g") {
    scale = 1024.0 * 1024 * 1024;
  } else if (unit == "t") {
    scale = 1024.0 * 1024 * 1024 * 1024;
  } else if (!unit.empty() && unit != "b") {
    return std::nullopt;
  }
  const double bytes = number * scale;
  if (bytes < 1 || bytes > 1e18) return std::nullopt;
  return static_cast<uint64_t>(bytes);
}

std::optional<std::chrono::milliseconds> ParseTimeout(const std::string& text) {
  double number = 0;
  std::string unit;
  if (!SplitNumber(text, number, unit)) return std::nullopt;
  double milliseconds = 0;
  if (unit == "ms") {
    milliseconds = number;
  } else if (unit.empty() || unit == "s") {
    milliseconds = number * 1000;
  } else if (unit == "m" || unit == "min") {
    milliseconds = number * 60'000;
  } else if (unit == "h") {
    milliseconds = number * 3'600'000;
  } else {
    return std::nullopt;
  }
  if (milliseconds < 1 || milliseconds > 1e12) return std::nullopt;
  return std::chrono::milliseconds(static_cast<int64_t>(milliseconds));
}

uint64_t DefaultMaxMemory() { return DefaultMemoryBudget(); }

bool ParseLimits(const std::string& max_memory_text, const std::string& timeout_text, uint64_t& max_memory,
                 std::optional<std::chrono::milliseconds>& timeout) {
  max_memory = DefaultMaxMemory();
  if (!max_memory_text.empty()) {
    std::optional<uint64_t> bytes = ParseByteSize(max_memory_text);
    if (!bytes) {
      std::cerr << "kqlite: --max-memory: not a size (like 512M or 4G): " << max_memory_text << "\n";
      return false;
    }
    max_memory = *bytes;
  }
  timeout.reset();
  if (!timeout_text.empty()) {
    timeout = ParseTimeout(timeout_text);
    if (!timeout) {
      std::cerr << "kqlite: --timeout: not a duration (like 30s or 5m): " << timeout_text << "\n";
      return false;
    }
  }
  return true;
}

const std::atomic<bool>* InstallInterruptHandler() {
  std::signal(SIGINT, OnInterrupt);
  return &interrupted;
}

const std::atomic<bool>* InstallStopHandler() {
  std::signal(SIGINT, OnStop);
  std::signal(SIGTERM, OnStop);
  return &interrupted;
}

int ExitAfterStop() {
  if (stop_signal.load() == SIGTERM) {
    std::signal(SIGTERM, SIG_DFL);
    std::raise(SIGTERM);
  }
  return kExitInterrupted;
}

std::vector<std::pair<const std::string*, const Table*>> ResultTables(const QueryResult& result) {
  std::vector<std::pair<const std::string*, const Table*>> tables = {{&result.table_name, &result.table}};
  for (const NamedTable& more : result.more_tables) tables.emplace_back(&more.name, &more.table);
  return tables;
}

void WriteResultTables(const QueryResult& result, io::ResultFormat format, std::ostream& out,
                       const io::ResultWriteOptions& options) {
  if (result.more_tables.empty()) {
    io::WriteResult(result.table, format, out, options);
    return;
  }
  std::vector<std::pair<const std::string*, const Table*>> tables = ResultTables(result);
  for (size_t index = 0; index < tables.size(); ++index) {
    out << (index ? "\n" : "") << "== " << *tables[index].first << " ==\n";
    io::WriteResult(*tables[index].second, format, out, options);
  }
}

int ReportQueryFailure(const QueryResult& result) {
  if (!result.error.empty()) std::cerr << "kqlite: error: " << result.error << "\n";
  switch (result.failure) {
    case QueryFailure::kCancelled: return kExitInterrupted;
    case QueryFailure::kMemoryLimit:
    case QueryFailure::kTimeout: return kExitLimit;
    default: return kExitFindings;
  }
}

size_t OutputColumns(bool& is_terminal) {
  is_terminal = isatty(STDOUT_FILENO) != 0;
  struct winsize size {};
  if (is_terminal && ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  if (const char* columns = std::getenv("COLUMNS")) {
    char* end = nullptr;
    long value = std::strtol(columns, &end, 10);
    if (end != columns && *end == '\0' && value > 0) return static_cast<size_t>(value);
  }
  return 0;
}

}  // namespace kql::cli
