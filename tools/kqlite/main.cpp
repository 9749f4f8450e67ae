// kqlite command-line interface: `query`, `hunt`, `lint`, `explain`, `schema`. A thin layer over the Engine and
// the rules library; every output format is produced by io/result_writer or rules/alert_writer.
#include <CLI/CLI.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <unistd.h>

#include "catalog/catalog.h"
#include "io/result_writer.h"
#include "kqlite/engine.h"
#include "rules/alert_writer.h"
#include "rules/hunt.h"
#include "rules/rule_loader.h"
#include "types/datetime.h"

namespace {

using kql::Engine;

/// Exit codes: 0 success, 1 query/lint errors or alerts with --fail-on-alerts, 2 usage or input errors.
constexpr int kExitFindings = 1;
constexpr int kExitUsage = 2;

std::string ReadFile(const std::string& path, bool& ok) {
  std::ifstream in(path, std::ios::binary);
  ok = static_cast<bool>(in);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

/// Finds the bundled demo data: $KQLITE_DEMO_DATA, next to the binary, or in the source tree.
std::string DemoDataPath() {
  if (const char* env = std::getenv("KQLITE_DEMO_DATA")) return env;
  namespace fs = std::filesystem;
  std::error_code error;
  fs::path exe = fs::read_symlink("/proc/self/exe", error);
  std::vector<fs::path> candidates;
  if (!error) {
    candidates.push_back(exe.parent_path() / "demo");
    candidates.push_back(exe.parent_path().parent_path() / "data" / "demo");
    candidates.push_back(exe.parent_path().parent_path() / "share" / "kqlite" / "demo");
  }
  candidates.push_back(fs::path(KQLITE_SOURCE_DIR) / "data" / "demo");
  for (const auto& candidate : candidates) {
    if (fs::is_directory(candidate, error)) return candidate.string();
  }
  return (fs::path(KQLITE_SOURCE_DIR) / "data" / "demo").string();
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
  return kql::ParseDateTime(text);
}

void ReportSkipped(const std::map<std::string, kql::ScanSummary>& scans) {
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

void PrintDiagnostics(const std::vector<kql::Diagnostic>& diagnostics, std::string_view text, const std::string& where) {
  for (const auto& diagnostic : diagnostics) {
    std::cerr << (where.empty() ? "" : where + ": ")
              << (diagnostic.severity == kql::Severity::kError ? "error " : "warning ")
              << kql::RenderDiagnostic(diagnostic, text) << "\n";
  }
}

int RunQuery(const std::string& query_arg, const std::string& file, const std::vector<std::string>& data,
             const std::vector<std::string>& tables, const std::string& now_text, const std::string& format,
             int threads, bool strict, bool explain) {
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
  kql::QueryOptions options;
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
    std::cout << engine.Explain(text, kql::PlanStage::kOptimized, options);
    return 0;
  }
  kql::QueryResult result = engine.Query(text, options);
  PrintDiagnostics(result.diagnostics, text, file);
  ReportSkipped(result.scans);
  if (!result.ok) {
    if (!result.error.empty()) std::cerr << "kqlite: error: " << result.error << "\n";
    return kExitFindings;
  }
  auto output_format = kql::ParseResultFormat(format);
  if (!output_format) {
    std::cerr << "kqlite: unknown --format " << format << "\n";
    return kExitUsage;
  }
  kql::WriteResult(result.table, *output_format, std::cout);
  return 0;
}

int RunHunt(const std::vector<std::string>& rule_paths, const std::vector<std::string>& data,
            const std::vector<std::string>& tables, const std::string& now_text, const std::string& format,
            const std::string& out_path, int threads, bool strict, bool fail_on_alerts) {
  std::vector<kql::SentinelRule> rules;
  std::vector<kql::RuleLoadResult> loaded;
  if (rule_paths.empty()) {
    loaded = kql::LoadBuiltinRules();
  } else {
    std::vector<std::string> errors;
    for (const auto& path : kql::FindRuleFiles(rule_paths, errors)) loaded.push_back(kql::LoadRuleFile(path));
    for (const auto& error : errors) std::cerr << "kqlite: " << error << "\n";
  }
  int rule_errors = 0;
  const bool builtin_pack = rule_paths.empty();
  for (auto& result : loaded) {
    for (const auto& problem : result.problems) {
      // The built-in pack's load warnings (e.g. the seed rule's original indentation) are `lint`'s business.
      if (builtin_pack && !problem.is_error) continue;
      std::cerr << problem.path << ":" << problem.line << ":" << problem.col << ": "
                << (problem.is_error ? "error " : "warning ") << problem.code << ": " << problem.message << "\n";
    }
    if (result.rule) {
      rules.push_back(std::move(*result.rule));
    } else {
      ++rule_errors;
    }
  }
  Engine engine;
  bool demo = data.empty() && tables.empty();
  std::vector<std::string> data_paths = data;
  if (demo) data_paths.push_back(DemoDataPath());
  if (!RegisterData(engine, data_paths, tables)) return kExitUsage;
  kql::HuntOptions options;
  options.threads = threads;
  options.strict = strict;
  if (now_text == "latest" || (now_text.empty() && demo)) {
    options.now_latest = true;
  } else if (!now_text.empty()) {
    options.now_ticks = ParseNow(now_text);
    if (!options.now_ticks) {
      std::cerr << "kqlite: --now: not a datetime (or 'latest'): " << now_text << "\n";
      return kExitUsage;
    }
  }
  kql::HuntReport report = kql::RunHunt(engine, std::move(rules), options);
  std::string resolved_format = format;
  if (resolved_format.empty()) resolved_format = isatty(STDOUT_FILENO) || out_path.empty() ? "table" : "jsonl";
  auto alert_format = kql::ParseAlertFormat(resolved_format);
  if (!alert_format) {
    std::cerr << "kqlite: unknown --format " << resolved_format << "\n";
    return kExitUsage;
  }
  std::ofstream out_file;
  std::ostream* out = &std::cout;
  if (!out_path.empty()) {
    out_file.open(out_path, std::ios::binary);
    if (!out_file) {
      std::cerr << "kqlite: cannot write " << out_path << "\n";
      return kExitUsage;
    }
    out = &out_file;
  }
  kql::WriteAlerts(report, *alert_format, *out);
  // The summary goes with a readable table on stdout, and to stderr beside machine formats.
  std::ostream& summary = (*alert_format == kql::AlertFormat::kTable && out == &std::cout) ? std::cout : std::cerr;
  kql::WriteHuntSummary(report, demo ? "bundled demo data (" + DemoDataPath() + ")" : "", summary);
  for (size_t i = 0; i < report.outcomes.size(); ++i) {
    const auto& outcome = report.outcomes[i];
    if (!outcome.diagnostics.empty()) PrintDiagnostics(outcome.diagnostics, report.rules[i].query, report.rules[i].path);
  }
  if (rule_errors > 0) return kExitFindings;
  if (fail_on_alerts && !report.alerts.empty()) return kExitFindings;
  return 0;
}

/// Maps a diagnostic inside a rule's query to a position in the rule file.
kql::Diagnostic MapToFile(kql::Diagnostic diagnostic, const kql::SentinelRule& rule) {
  if (rule.query_line > 0) {
    if (diagnostic.span.line == 1) diagnostic.span.col += static_cast<uint32_t>(rule.query_column - 1);
    diagnostic.span.line += static_cast<uint32_t>(rule.query_line - 1);
  }
  return diagnostic;
}

std::string JsonString(const std::string& text) {
  std::string out;
  kql::AppendJsonString(out, text);
  return out;
}

int RunLint(const std::vector<std::string>& paths, bool syntax_only, const std::string& format) {
  if (format != "text" && format != "json") {
    std::cerr << "kqlite: lint --format must be text or json\n";
    return kExitUsage;
  }
  Engine engine;
  int errors = 0;
  int warnings = 0;
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  for (const auto& path : paths) {
    std::error_code error;
    if (fs::is_directory(path, error)) {
      std::vector<std::string> found;
      for (fs::recursive_directory_iterator it(path, error), end; it != end && !error; it.increment(error)) {
        std::string extension = it->path().extension().string();
        if (it->is_regular_file() && (extension == ".kql" || extension == ".yaml" || extension == ".yml"))
          found.push_back(it->path().string());
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else {
      files.push_back(path);
    }
  }
  if (paths.empty()) {
    for (const auto& result : kql::LoadBuiltinRules()) files.push_back(result.rule ? result.rule->path : "");
  }
  for (const auto& file : files) {
    struct Item {
      bool is_error;
      std::string code;
      uint32_t line;
      uint32_t col;
      std::string message;
      std::string rendered;
    };
    std::vector<Item> items;
    std::string extension = fs::path(file).extension().string();
    bool is_builtin = file.rfind("builtin:", 0) == 0;
    if (extension == ".kql" && !is_builtin) {
      bool ok = false;
      std::string text = ReadFile(file, ok);
      if (!ok) {
        items.push_back({true, "KQLR005", 0, 0, "Cannot read file", ""});
      } else {
        for (const auto& diagnostic : engine.Check(text, syntax_only)) {
          items.push_back({diagnostic.severity == kql::Severity::kError, diagnostic.code, diagnostic.span.line,
                           diagnostic.span.col, diagnostic.message, kql::RenderDiagnostic(diagnostic, text)});
        }
      }
    } else {
      kql::RuleLoadResult loaded;
      if (is_builtin) {
        for (auto& builtin : kql::LoadBuiltinRules()) {
          if (builtin.rule && builtin.rule->path == file) loaded = std::move(builtin);
        }
      } else {
        loaded = kql::LoadRuleFile(file);
      }
      for (const auto& problem : loaded.problems) {
        items.push_back({problem.is_error, problem.code, static_cast<uint32_t>(problem.line),
                         static_cast<uint32_t>(problem.col), problem.message, ""});
      }
      if (loaded.rule) {
        for (const auto& diagnostic : engine.Check(loaded.rule->query, syntax_only)) {
          kql::Diagnostic mapped = MapToFile(diagnostic, *loaded.rule);
          items.push_back({diagnostic.severity == kql::Severity::kError, diagnostic.code, mapped.span.line,
                           mapped.span.col, diagnostic.message, kql::RenderDiagnostic(diagnostic, loaded.rule->query)});
        }
      }
    }
    for (const auto& item : items) (item.is_error ? errors : warnings)++;
    if (format == "json") {
      std::string line = "{\"path\":" + JsonString(file) + ",\"diagnostics\":[";
      for (size_t i = 0; i < items.size(); ++i) {
        if (i) line += ",";
        line += "{\"severity\":\"" + std::string(items[i].is_error ? "error" : "warning") + "\",\"code\":" +
                JsonString(items[i].code) + ",\"line\":" + std::to_string(items[i].line) +
                ",\"col\":" + std::to_string(items[i].col) + ",\"message\":" + JsonString(items[i].message) + "}";
      }
      std::cout << line << "]}\n";
    } else {
      for (const auto& item : items) {
        std::cout << file << ":" << item.line << ":" << item.col << ": " << (item.is_error ? "error" : "warning")
                  << " " << item.code << ": " << item.message << "\n";
        if (!item.rendered.empty()) {
          auto newline = item.rendered.find('\n');
          if (newline != std::string::npos) std::cout << item.rendered.substr(newline + 1) << "\n";
        }
      }
    }
  }
  if (format == "text") {
    std::cout << files.size() << " file(s) checked: " << errors << " error(s), " << warnings << " warning(s)\n";
  }
  return errors > 0 ? kExitFindings : 0;
}

int RunSchema(const std::string& table) {
  Engine engine;
  const kql::Catalog& catalog = engine.catalog();
  if (table.empty()) {
    for (const auto& name : catalog.TableNames()) std::cout << name << "\n";
    return 0;
  }
  const kql::Schema* schema = catalog.FindTable(table);
  if (!schema) {
    std::cerr << "kqlite: unknown table " << table;
    if (auto suggestion = catalog.SuggestTable(table)) std::cerr << " (did you mean '" << *suggestion << "'?)";
    std::cerr << "\n";
    return kExitFindings;
  }
  for (const auto& column : *schema) std::cout << column.name << ":" << kql::TypeName(column.type) << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"kqlite: run KQL (Kusto Query Language) detections and hunting queries over local security telemetry"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "kqlite 0.1.0");

  std::string query_text, query_file, now_text, format = "table";
  std::vector<std::string> data, tables;
  int threads = 0;
  bool strict = false, explain = false;
  CLI::App* query = app.add_subcommand("query", "Run a KQL query over data files");
  query->add_option("query", query_text, "The KQL query text");
  query->add_option("-f,--file", query_file, "Read the query from a .kql file");
  query->add_option("--data", data, "Data file or folder (JSON lines, Streaming API envelope, CSV; .gz/.zst)");
  query->add_option("--table", tables, "NAME=PATH: read PATH as table NAME");
  query->add_option("--now", now_text, "Pin now() / ago() to this UTC datetime (default: the clock)");
  query->add_option("--format", format, "Output format: table, csv, jsonl, json")->check(CLI::IsMember({"table", "csv", "jsonl", "json"}));
  query->add_option("--threads", threads, "Worker threads (default: all cores)");
  query->add_flag("--strict", strict, "Fail on the first malformed input record");
  query->add_flag("--explain", explain, "Print the optimized plan instead of running");

  std::vector<std::string> rule_paths;
  std::string hunt_format, out_path, hunt_now;
  bool fail_on_alerts = false;
  CLI::App* hunt = app.add_subcommand("hunt", "Run Sentinel analytic rules over data and print alerts");
  hunt->add_option("rules", rule_paths, "Rule YAML files or folders (default: the built-in rule pack)");
  hunt->add_option("--data", data, "Data files or folders (default: the bundled demo data)");
  hunt->add_option("--table", tables, "NAME=PATH: read PATH as table NAME");
  hunt->add_option("--now", hunt_now, "Hunt window end: a UTC datetime or 'latest' (newest event); default: the clock ('latest' for the demo data)");
  hunt->add_option("--format", hunt_format, "Alert format: table (default on a terminal), jsonl, json, csv")->check(CLI::IsMember({"table", "jsonl", "json", "csv"}));
  hunt->add_option("--out", out_path, "Write alerts to this file");
  hunt->add_option("--threads", threads, "Worker threads (default: all cores)");
  hunt->add_flag("--strict", strict, "Fail on the first malformed input record");
  hunt->add_flag("--fail-on-alerts", fail_on_alerts, "Exit with status 1 when any alert was raised (for CI)");

  std::vector<std::string> lint_paths;
  bool syntax_only = false;
  std::string lint_format = "text";
  CLI::App* lint = app.add_subcommand("lint", "Check .kql files and rule YAML files (default: the built-in pack)");
  lint->add_option("paths", lint_paths, ".kql files, rule YAML files or folders");
  lint->add_flag("--syntax-only", syntax_only, "Check syntax only (no table/column binding)");
  lint->add_option("--format", lint_format, "text or json (one object per line per file)")->check(CLI::IsMember({"text", "json"}));

  std::string schema_table;
  CLI::App* schema = app.add_subcommand("schema", "List the built-in tables, or one table's columns");
  schema->add_option("table", schema_table, "Table name");

  CLI11_PARSE(app, argc, argv);
  try {
    if (*query) return RunQuery(query_text, query_file, data, tables, now_text, format, threads, strict, explain);
    if (*hunt)
      return RunHunt(rule_paths, data, tables, hunt_now, hunt_format, out_path, threads, strict, fail_on_alerts);
    if (*lint) return RunLint(lint_paths, syntax_only, lint_format);
    if (*schema) return RunSchema(schema_table);
  } catch (const std::exception& error) {
    std::cerr << "kqlite: internal error: " << error.what() << "\n";
    return kExitUsage;
  }
  return kExitUsage;
}
