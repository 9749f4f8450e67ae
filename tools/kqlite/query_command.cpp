// `kqlite query`: ad-hoc KQL over data files.
#include <iostream>
#include <limits>

#include "cli_common.h"
#include "io/result_writer.h"

namespace kql::cli {
namespace {

/// Rows the table format prints on a terminal unless --max-rows is given.
constexpr size_t kTerminalMaxRows = 100;

int RunQuery(const std::string& query_arg, const std::string& file, const std::vector<std::string>& data,
             const std::vector<std::string>& tables, const std::string& now_text, const std::string& format,
             int threads, bool strict, bool explain, int max_rows) {
  std::string text = query_arg;
  if (!file.empty()) {
    bool ok = false;
    text = ReadFile(file, ok);
    if (!ok) {
      std::cerr << "kqlite: cannot read " << file << "\n";
      return kExitUsage;
    }
  }
  if (text.empty()) {
    std::cerr << "kqlite: no query given (pass it as an argument or with -f FILE)\n";
    return kExitUsage;
  }
  Engine engine;
  if (!RegisterData(engine, data, tables)) return kExitUsage;
  QueryOptions options;
  options.threads = threads;
  options.strict = strict;
  if (!now_text.empty()) {
    options.now_ticks = ParseNow(now_text);
    if (!options.now_ticks) {
      std::cerr << "kqlite: --now: not a datetime: " << now_text << "\n";
      return kExitUsage;
    }
  }
  if (explain) {
    std::cout << engine.Explain(text, PlanStage::kOptimized, options);
    return 0;
  }
  QueryResult result = engine.Query(text, options);
  PrintDiagnostics(result.diagnostics, text, file);
  ReportSkipped(result.scans);
  if (!result.ok) {
    if (!result.error.empty()) std::cerr << "kqlite: error: " << result.error << "\n";
    return kExitFindings;
  }
  auto output_format = ParseResultFormat(format);
  if (!output_format) {
    std::cerr << "kqlite: unknown --format " << format << "\n";
    return kExitUsage;
  }
  // The table format fits the terminal: its width, 100 rows unless --max-rows says otherwise, a row-count footer.
  ResultWriteOptions write_options;
  bool is_terminal = false;
  write_options.max_width = OutputColumns(is_terminal);
  write_options.row_count_footer = is_terminal;
  write_options.max_rows = max_rows >= 0 ? static_cast<size_t>(max_rows) : (is_terminal ? kTerminalMaxRows : 0);
  WriteResult(result.table, *output_format, std::cout, write_options);
  return 0;
}

/// Options of `kqlite query`, alive for the whole program run.
struct QueryArgs {
  std::string query_text, query_file, now_text, format = "table";
  std::vector<std::string> data, tables;
  int threads = 0, max_rows = -1;
  bool strict = false, explain = false;
};

}  // namespace

void AddQueryCommand(CLI::App& app, CommandAction& action) {
  static QueryArgs args;
  CLI::App* query = app.add_subcommand("query", "Run a KQL query over data files");
  query->add_option("query", args.query_text, "The KQL query text");
  query->add_option("-f,--file", args.query_file, "Read the query from a .kql file");
  // Each option takes one value per occurrence, so `--data DIR "query"` leaves the query to its argument.
  query->add_option("--data", args.data,
                    "Data file or folder (JSON lines, Streaming API envelope, CSV; .gz/.zst); repeat for several")
      ->allow_extra_args(false);
  query->add_option("--table", args.tables, "NAME=PATH: read PATH as table NAME (repeatable)")->allow_extra_args(false);
  query->add_option("--now", args.now_text, "Pin now() / ago() to this UTC datetime (default: the clock)");
  query->add_option("--format", args.format, "Output format: table, csv, jsonl, json")
      ->check(CLI::IsMember({"table", "csv", "jsonl", "json"}));
  query->add_option("--max-rows", args.max_rows,
                    "Table format: rows to print, the rest counted in a footer; 0 = all (default: 100 on a terminal, "
                    "all otherwise). The table fits the terminal's width (or $COLUMNS), long cells cut with '...'")
      ->check(CLI::Range(0, std::numeric_limits<int>::max()));
  query->add_option("--threads", args.threads, "Worker threads (default: all cores)");
  query->add_flag("--strict", args.strict, "Fail on the first malformed input record");
  query->add_flag("--explain", args.explain, "Print the optimized plan instead of running");
  query->callback([&action] {
    action = [] {
      return RunQuery(args.query_text, args.query_file, args.data, args.tables, args.now_text, args.format,
                      args.threads, args.strict, args.explain, args.max_rows);
    };
  });
}

}  // namespace kql::cli
