// Running a query in the shell: the same checks and reports as `kqlite query`, but a failure (or Ctrl-C) only
// ends that query, never the shell.
#include "shell_session.h"

#include <chrono>
#include <cstdio>
#include <iostream>

#include "cli_common.h"

namespace kql::cli {

namespace {

/// Rows the table format prints on a terminal (the rest are counted in the footer).
constexpr size_t kTerminalMaxRows = 100;

}  // namespace

bool ShellSession::RunQuery(std::string_view text) {
  QueryOptions options;
  options.now_ticks = settings_.now_ticks;
  options.threads = settings_.threads;
  options.max_memory_bytes = settings_.max_memory_bytes;
  options.cancel = &cancel_;
  cancel_.store(false);
  auto start = std::chrono::steady_clock::now();
  QueryResult result = engine_.Query(text, options);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  PrintDiagnostics(result.diagnostics, text, "");
  ReportSkipped(result.scans);
  bool ok = result.ok;
  if (result.failure == QueryFailure::kCancelled || (ok && cancel_.load())) {
    std::cerr << "\nkqlite: query cancelled\n";  // After the terminal's "^C".
    ok = false;
  } else if (!ok) {
    ReportQueryFailure(result);
  } else {
    auto empty_tables = TablesThatLoadedNothing(engine_, result.scans);
    for (const auto& message : empty_tables) std::cerr << "kqlite: error: " << message << "\n";
    if (!empty_tables.empty()) {
      ok = false;
    } else {
      io::ResultWriteOptions write_options;
      bool is_terminal = false;
      write_options.max_width = OutputColumns(is_terminal);
      write_options.row_count_footer = is_terminal;
      write_options.max_rows = is_terminal ? kTerminalMaxRows : 0;
      // fork / facet: every table under its `== name ==` heading, in any format.
      WriteResultTables(result, settings_.format, std::cout, write_options);
      std::cout.flush();
    }
  }
  cancel_.store(false);
  if (settings_.timing) {
    char line[64];
    std::snprintf(line, sizeof line, "time: %.3f s\n", seconds);
    std::cerr << line;
  }
  return ok;
}

}  // namespace kql::cli
