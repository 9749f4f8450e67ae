#include "cli_common.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <sys/ioctl.h>
#include <unistd.h>

#include "types/datetime.h"

namespace kql::cli {

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
  return ok;
}

std::optional<int64_t> ParseNow(const std::string& text) {
  if (text.empty()) return std::nullopt;
  return ParseDateTime(text);
}

void ReportSkipped(const std::map<std::string, ScanSummary>& scans) {
  for (const auto& [table, scan] : scans) {
    if (scan.skipped_count == 0) continue;
    std::cerr << "kqlite: warning: skipped " << scan.skipped_count << " bad record(s) in table " << table << "\n";
    for (const auto& record : scan.skipped) {
      std::cerr << "  " << record.file << ":" << record.line << ":" << record.column << ": " << record.reason << "\n";
    }
    if (scan.skipped.size() < scan.skipped_count)
      std::cerr << "  ... and " << (scan.skipped_count - scan.skipped.size()) << " more\n";
  }
}

void PrintDiagnostics(const std::vector<Diagnostic>& diagnostics, std::string_view text, const std::string& where) {
  for (const auto& diagnostic : diagnostics) {
    std::cerr << (where.empty() ? "" : where + ": ")
              << (diagnostic.severity == Severity::kError ? "error " : "warning ")
              << RenderDiagnostic(diagnostic, text) << "\n";
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
