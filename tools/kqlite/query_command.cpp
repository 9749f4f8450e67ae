// `kqlite query`: ad-hoc KQL over data files.
#include <iostream>

#include "cli_common.h"
#include "io/result_writer.h"

namespace kql::cli {
namespace {

int RunQuery(const std::string& query_arg, const std::string& file, const std::vector<std::string>& data,
             const std::vector<std::string>& tables, const std::string& now_text, const std::string& format,
             int threads, bool strict, bool explain, const WorkspaceArgs& workspace_args, bool show_bad_values) {
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
  std::optional<WorkspaceDefinitions> workspace = LoadWorkspace(workspace_args);
  if (!workspace) return kExitUsage;
  Engine engine;
  workspace->ApplyTo(engine);
  if (!RegisterData(engine, data, tables) || !RegisterExternalData(engine)) return kExitUsage;
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
  ReportSkipped(result.scans, show_bad_values);
  if (!result.ok) {
    if (!result.error.empty()) std::cerr << "kqlite: error: " << result.error << "\n";
    return kExitFindings;
  }
  // A data path that gave the query nothing is an input error, never an empty result (docs/errors.md "Inputs").
  auto empty_tables = TablesThatLoadedNothing(engine, result.scans);
  for (const auto& message : empty_tables) std::cerr << "kqlite: error: " << message << "\n";
  if (!empty_tables.empty()) return kExitUsage;
  auto output_format = ParseResultFormat(format);
  if (!output_format) {
    std::cerr << "kqlite: unknown --format " << format << "\n";
    return kExitUsage;
  }
  WriteResult(result.table, *output_format, std::cout);
  return 0;
}

/// Options of `kqlite query`, alive for the whole program run.
struct QueryArgs {
  std::string query_text, query_file, now_text, format = "table";
  std::vector<std::string> data, tables;
  int threads = 0;
  bool strict = false, explain = false, show_bad_values = false;
  WorkspaceArgs workspace;
};

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
  query->add_option("--threads", args.threads, "Worker threads (default: all cores)");
  query->add_flag("--strict", args.strict, "Fail on the first malformed input record");
  query->add_flag("--explain", args.explain, "Print the optimized plan instead of running");
  AddWorkspaceOptions(query, args.workspace);
  AddExternalDataOption(query);
  query->add_flag("--show-bad-values", args.show_bad_values,
                  "List each value that did not convert (default: one summary line per table and column)");
  query->callback([&action] {
    action = [] {
      return RunQuery(args.query_text, args.query_file, args.data, args.tables, args.now_text, args.format,
                      args.threads, args.strict, args.explain, args.workspace, args.show_bad_values);
    };
  });
}

}  // namespace kql::cli
