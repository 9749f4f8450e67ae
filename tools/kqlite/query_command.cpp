// `kqlite query`: ad-hoc KQL over data files.
#include <unistd.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <optional>

#include "chart_page.h"
#include "cli_common.h"
#include "progress_line.h"
#include "io/result_writer.h"
#include "rules/layer.h"

namespace kql::cli {

using namespace kql::rules;
namespace {

/// Rows the table format prints on a terminal unless --max-rows is given.
constexpr size_t kTerminalMaxRows = 100;

/// Options of `kqlite query`, alive for the whole program run.
struct QueryArgs {
  std::string query_text, query_file, now_text, format = "table", max_memory, timeout, out, clickhouse, chart;
  std::vector<std::string> data, tables;
  int threads = 0, max_rows = -1;
  bool strict = false, explain = false, show_bad_values = false, no_progress = false;
  WorkspaceArgs workspace;
};

/// The output of a streamed query: standard output, or the --out file, created at the first row or when the query
/// completes (a query that fails before any row leaves an existing file alone).
class QueryOutput : public ResultStream {
 public:
  QueryOutput(ResultFormat format, const std::string& path) : format_(format), path_(path) {}
  void Begin(const Schema& schema) override { schema_ = schema; }
  bool Write(const DataChunk& chunk) override {
    failed_ = failed_ || !Open() || !writer_->Write(chunk);
    return !failed_;
  }
  /// Ends a complete result; false when it could not be written.
  bool Finish() {
    failed_ = failed_ || !Open() || !writer_->Finish();
    return !failed_;
  }
  uint64_t rows_written() const { return writer_ ? writer_->rows_written() : 0; }
  /// True when a write failed (disk full, closed pipe, a folder as --out).
  bool failed() const { return failed_; }
  /// Where the rows went, as a message names it.
  std::string Name() const { return path_.empty() ? "the output on standard output" : "the output file " + path_; }
  /// True when a stopped query left a partial result behind.
  bool LeftPartial() const { return writer_ && writer_->wrote_anything(); }

 private:
  bool Open() {
    if (!writer_) {
      if (!path_.empty()) file_.open(path_, std::ios::binary | std::ios::trunc);
      writer_.emplace(format_, path_.empty() ? std::cout : file_);
      writer_->Begin(schema_);
    }
    return path_.empty() || static_cast<bool>(file_);
  }

  ResultFormat format_;
  std::string path_;
  Schema schema_;
  std::ofstream file_;
  bool failed_ = false;
  std::optional<StreamingResultWriter> writer_;
};

/// True when --out names a folder: an existing directory, or a path ending in '/'.
bool OutIsFolder(const std::string& out) {
  return !out.empty() && (out.back() == '/' || std::filesystem::is_directory(out));
}

/// A result table's name as a file name: letters, digits, '_', '-' and '.' kept, anything else '_'.
std::string ResultFileName(const std::string& name, ResultFormat format) {
  std::string file;
  for (char c : name) file += std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' ? c : '_';
  if (file.empty() || file[0] == '.') file = "_" + file;
  switch (format) {
    case ResultFormat::kTable: return file + ".txt";
    case ResultFormat::kCsv: return file + ".csv";
    case ResultFormat::kJsonLines: return file + ".jsonl";
    case ResultFormat::kJson: return file + ".json";
  }
  return file;
}

/// Writes the tables of a query that returns several (fork, facet). --out DIR/ (an existing folder or a path ending
/// in '/'): one file per table, DIR/<name>.<txt|csv|jsonl|json>, in any format. Otherwise only the table format
/// holds several tables: each under a `== <name> ==` heading, a blank line between them; csv, jsonl and json
/// refuse (exit 2), since one CSV or JSON output has one set of columns.
int WriteSeveralResults(const QueryResult& result, ResultFormat format, const QueryArgs& args) {
  std::vector<std::pair<const std::string*, const Table*>> tables = ResultTables(result);
  if (OutIsFolder(args.out)) {
    std::error_code error;
    std::filesystem::create_directories(args.out, error);
    for (const auto& [name, table] : tables) {
      const std::string path = (std::filesystem::path(args.out) / ResultFileName(*name, format)).string();
      std::ofstream out(path, std::ios::binary | std::ios::trunc);
      if (out) WriteResult(*table, format, out);
      out.flush();
      if (!out) {
        std::cerr << "kqlite: --out: cannot write " << path << "\n";
        return kExitUsage;
      }
    }
    return 0;
  }
  if (format != ResultFormat::kTable) {
    std::cerr << "kqlite: the query returns " << tables.size() << " tables (fork/facet), and one "
              << (format == ResultFormat::kCsv ? "csv" : format == ResultFormat::kJson ? "json" : "jsonl")
              << " output holds one: pass --out DIR/ for one file per table, or --format table\n";
    return kExitUsage;
  }
  std::ofstream file;
  if (!args.out.empty()) file.open(args.out, std::ios::binary | std::ios::trunc);
  std::ostream& out = args.out.empty() ? std::cout : file;
  ResultWriteOptions write_options;
  if (args.out.empty()) {
    bool is_terminal = false;
    write_options.max_width = OutputColumns(is_terminal);
    write_options.row_count_footer = is_terminal;
    write_options.max_rows =
        args.max_rows >= 0 ? static_cast<size_t>(args.max_rows) : (is_terminal ? kTerminalMaxRows : 0);
  }
  WriteResultTables(result, format, out, write_options);
  out.flush();
  if (!out) {
    std::cerr << "kqlite: --out: cannot write " << args.out << "\n";
    return kExitUsage;
  }
  return 0;
}

/// csv, jsonl and json: rows are written as the query makes them. A query stopped part way (a limit, Ctrl-C, an
/// error) says that its output is incomplete and how many rows it holds.
int RunStreamedQuery(Engine& engine, const std::string& text, const std::string& file, QueryOptions options,
                     ResultFormat format, const QueryArgs& args) {
  QueryOutput output(format, args.out);
  options.stream = &output;
  // Rows streamed to a terminal show the progress themselves; a progress line would interleave with them.
  ProgressLine progress(options, !args.no_progress && (!args.out.empty() || isatty(STDOUT_FILENO) == 0));
  QueryResult result = engine.Query(text, options);
  progress.Stop();
  PrintDiagnostics(result.diagnostics, text, file);
  ReportSkipped(result.scans, args.show_bad_values);
  auto incomplete = [&](int code) {
    if (output.LeftPartial()) {
      std::cerr << "kqlite: " << output.Name() << " is incomplete (" << output.rows_written()
                << " row(s) written before the query stopped)\n";
    }
    return code;
  };
  if (!result.ok) {
    if (output.failed()) {
      std::cerr << "kqlite: --out: cannot write " << (args.out.empty() ? "standard output" : args.out) << "\n";
      return incomplete(kExitUsage);
    }
    return incomplete(ReportQueryFailure(result));
  }
  if (options.cancel->load()) {
    std::cerr << "kqlite: error: query cancelled\n";
    return incomplete(kExitInterrupted);
  }
  auto empty_tables = TablesThatLoadedNothing(engine, result.scans);
  for (const auto& message : empty_tables) std::cerr << "kqlite: error: " << message << "\n";
  if (!empty_tables.empty()) return incomplete(kExitUsage);
  // A query returning several tables (fork, facet) was not streamed.
  if (!result.more_tables.empty()) return WriteSeveralResults(result, format, args);
  if (!output.Finish()) {
    std::cerr << "kqlite: --out: cannot write " << (args.out.empty() ? "standard output" : args.out) << "\n";
    return incomplete(kExitUsage);
  }
  return 0;
}

int RunQuery(const QueryArgs& args) {
  const std::string& file = args.query_file;
  const std::string& now_text = args.now_text;
  std::string text = args.query_text;
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
  auto output_format = ParseResultFormat(args.format);
  if (!output_format) {
    std::cerr << "kqlite: unknown --format " << args.format << "\n";
    return kExitUsage;
  }
  QueryOptions options;
  options.threads = args.threads;
  options.strict = args.strict;
  if (!ParseLimits(args.max_memory, args.timeout, options.max_memory_bytes, options.timeout)) return kExitUsage;
  options.cancel = InstallInterruptHandler();
  std::optional<WorkspaceDefinitions> workspace = LoadWorkspace(args.workspace);
  if (!workspace) return kExitUsage;
  Engine engine;
  workspace->ApplyTo(engine);
  if (!RegisterData(engine, args.data, args.tables) || !RegisterExternalData(engine)) return kExitUsage;
  if (!args.clickhouse.empty()) {
    options.backend = AttachClickHouse(engine, args.clickhouse);
    if (!options.backend) return kExitUsage;
  }
  if (!now_text.empty()) {
    options.now_ticks = ParseNow(now_text);
    if (!options.now_ticks) {
      std::cerr << "kqlite: --now: not a datetime: " << now_text << "\n";
      return kExitUsage;
    }
  }
  if (args.explain) {
    std::cout << engine.Explain(text, PlanStage::kOptimized, options);
    return 0;
  }
  // A chart needs the whole result, so --chart keeps the rows in memory.
  if (FormatStreams(*output_format) && args.chart.empty()) {
    return RunStreamedQuery(engine, text, file, options, *output_format, args);
  }
  ProgressLine progress(options, !args.no_progress);
  QueryResult result = engine.Query(text, options);
  progress.Stop();
  PrintDiagnostics(result.diagnostics, text, file);
  ReportSkipped(result.scans, args.show_bad_values);
  if (!result.ok) return ReportQueryFailure(result);
  if (options.cancel->load()) {
    std::cerr << "kqlite: error: query cancelled\n";
    return kExitInterrupted;
  }
  // A data path that gave the query nothing is an input error, never an empty result (docs/errors.md "Inputs").
  auto empty_tables = TablesThatLoadedNothing(engine, result.scans);
  for (const auto& message : empty_tables) std::cerr << "kqlite: error: " << message << "\n";
  if (!empty_tables.empty()) return kExitUsage;
  // --chart: the chart of the query's `render` (the result is still written as usual).
  if (!args.chart.empty() && !WriteChartFile(result, args.chart)) return kExitUsage;
  if (!result.more_tables.empty()) return WriteSeveralResults(result, *output_format, args);
  if (args.out.empty()) {
    // The table format fits the terminal: its width, 100 rows unless --max-rows says otherwise, a row-count footer.
    ResultWriteOptions write_options;
    bool is_terminal = false;
    write_options.max_width = OutputColumns(is_terminal);
    write_options.row_count_footer = is_terminal;
    write_options.max_rows =
        args.max_rows >= 0 ? static_cast<size_t>(args.max_rows) : (is_terminal ? kTerminalMaxRows : 0);
    WriteResult(result.table, *output_format, std::cout, write_options);
    return 0;
  }
  std::ofstream out(args.out, std::ios::binary | std::ios::trunc);
  if (out) WriteResult(result.table, *output_format, out);
  out.flush();
  if (!out) {
    std::cerr << "kqlite: --out: cannot write " << args.out << "\n";
    return kExitUsage;
  }
  return 0;
}

}  // namespace

void AddQueryCommand(CLI::App& app, CommandAction& action) {
  static QueryArgs args;
  CLI::App* query = app.add_subcommand("query", "Run a KQL query over data files");
  query->add_option("query", args.query_text, "The KQL query text");
  query->add_option("-f,--file", args.query_file, "Read the query from a .kql file");
  // Each option takes one value per occurrence, so `--data DIR "query"` leaves the query to its argument.
  query->add_option("--data", args.data,
                    "Data file or folder (JSON lines, JSON documents and API responses, CSV, TSV; .gz/.zst); repeat "
                    "for several")
      ->allow_extra_args(false);
  query->add_option("--table", args.tables, "NAME=PATH: read PATH as table NAME (PATH - reads standard input; repeatable)")
      ->allow_extra_args(false);
  query->add_option("--now", args.now_text, "Pin now() / ago() to this UTC datetime (default: the clock)");
  query->add_option("--format", args.format, "Output format: table, csv, jsonl, json")
      ->check(CLI::IsMember({"table", "csv", "jsonl", "json"}));
  query->add_option("--max-rows", args.max_rows,
                    "Table format: rows to print, the rest counted in a footer; 0 = all (default: 100 on a terminal, "
                    "all otherwise). The table fits the terminal's width (or $COLUMNS), long cells cut with '...'")
      ->check(CLI::Range(0, std::numeric_limits<int>::max()));
  query->add_option("--threads", args.threads, "Worker threads (default: all cores)");
  query->add_flag("--strict", args.strict, "Fail on the first malformed input record");
  query->add_flag("--no-progress", args.no_progress,
                  "No progress line on stderr (shown for queries over a second when stderr is a terminal: share of "
                  "the input read, rows, rows/s, time left)");
  query->add_flag("--explain", args.explain,
                  "Print the optimized plan instead of running (with --clickhouse: the plan as run, and its SQL)");
  query->add_option("--clickhouse", args.clickhouse,
                    "Query the tables of this ClickHouse server (http://host:port/?database=NAME): what translates "
                    "exactly runs there, the rest locally (docs/clickhouse.md)");
  AddWorkspaceOptions(query, args.workspace);
  AddExternalDataOption(query);
  query->add_flag("--show-bad-values", args.show_bad_values,
                  "List each value that did not convert (default: one summary line per table and column)");
  query->add_option("--max-memory", args.max_memory,
                    "Memory the query may materialise (joins, summarize, sort, tables), like 512M or 4G "
                    "(default: 75% of physical memory or of the cgroup limit); over it the query stops with exit code 4");
  query->add_option("--timeout", args.timeout, "Stop the query after this long, like 30s or 5m (exit code 4)");
  query->add_option("-o,--out", args.out,
                    "Write the result to FILE instead of standard output (csv, jsonl and json rows are written as the "
                    "query makes them; a query stopped part way reports the output as incomplete). A query returning "
                    "several tables (fork, facet): --out DIR/ writes DIR/<table name>.<txt|csv|jsonl|json> per table; "
                    "without it only --format table holds them all (each under a '== name ==' heading)");
  query->add_option("--chart", args.chart,
                    "Write the chart of the query's `render` (timechart, linechart, areachart, barchart, columnchart, "
                    "piechart, scatterchart) to FILE: a self-contained HTML page that opens offline; FILE.json: the "
                    "Vega-Lite spec; FILE.svg: an SVG image (needs node)");
  query->callback([&action] { action = [] { return RunQuery(args); }; });
}

}  // namespace kql::cli
