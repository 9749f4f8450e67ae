// `kqlite hunt`: Sentinel rules over data, alerts out.
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>

#include "cli_common.h"
#include "pack/builtin_pack.h"
#include "rules/alert_writer.h"
#include "rules/arm_rule.h"
#include "rules/attack_layer.h"
#include "rules/exclusion.h"
#include "rules/hunt.h"
#include "rules/rule_loader.h"
#include "rules/watchlist.h"
#include "rules/layer.h"

namespace kql::cli {

using namespace kql::rules;
namespace {

/// Options of `kqlite hunt`, alive for the whole program run.
struct HuntArgs {
  std::vector<std::string> rule_paths, data, tables, exclusion_paths, watchlists;
  std::string format, out_path, now_text, attack_layer_path, max_memory, timeout;
  int threads = 0;
  bool strict = false, fail_on_alerts = false, no_window = false;
  bool no_shared_scan = false;
  WorkspaceArgs workspace;
  std::string clickhouse;
  bool show_bad_values = false;
};

void PrintProblem(const RuleProblem& problem) {
  std::cerr << problem.path << ":" << problem.line << ":" << problem.col << ": "
            << (problem.is_error ? "error " : "warning ") << problem.code << ": " << problem.message << "\n";
}

/// Extensions of telemetry files (JSON lines, CSV, compressed), as opposed to rules.
bool IsDataFileName(const std::filesystem::path& path) {
  static const std::set<std::string> kExtensions = {".jsonl", ".ndjson", ".json", ".csv", ".tsv", ".gz", ".zst"};
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(), [](unsigned char c) { return std::tolower(c); });
  return kExtensions.count(extension) > 0 && !(extension == ".json" && IsArmRuleFile(path.string()));
}

/// True when the path is, or is a folder holding, a telemetry file.
bool HoldsData(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code error;
  if (!fs::is_directory(path, error)) return IsDataFileName(path);
  for (fs::recursive_directory_iterator it(path, error), end; it != end && !error; it.increment(error)) {
    if (it->is_regular_file() && IsDataFileName(it->path())) return true;
  }
  return false;
}

/// Quotes a path for a command line the user can paste.
std::string ShellWord(const std::string& word) {
  if (word.find_first_of(" \t'\"$`\\*?&;|<>()") == std::string::npos && !word.empty()) return word;
  std::string out = "'";
  for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

/// Positional paths that hold data and no rule (data given where rules go); prints what to type instead.
bool ReportDataGivenAsRules(const std::vector<std::string>& rule_paths, const std::vector<std::string>& data) {
  std::vector<std::string> rules_kept, misplaced;
  for (const auto& path : rule_paths) {
    std::vector<std::string> errors;
    bool has_rules = !FindRuleFiles({path}, errors).empty() && errors.empty();
    bool is_data_file = !std::filesystem::is_directory(path) && IsDataFileName(path);
    if ((!has_rules || is_data_file) && HoldsData(path)) {
      misplaced.push_back(path);
    } else {
      rules_kept.push_back(path);
    }
  }
  if (misplaced.empty()) return false;
  std::string command = "kqlite hunt";
  for (const auto& path : rules_kept) command += " " + ShellWord(path);
  for (const auto& path : data) command += " --data " + ShellWord(path);
  for (const auto& path : misplaced) {
    std::cerr << "kqlite: " << path << " holds data and no rules (rules go before the options, data after --data)\n";
    command += " --data " + ShellWord(path);
  }
  std::cerr << "kqlite: to hunt it" << (rules_kept.empty() ? " with the built-in rules" : "") << ", type:\n  "
            << command << "\n";
  return true;
}

/// --data paths that gave the hunt no event: none of the files found under them (Engine::DataFiles()) became a table
/// with events. (Per-file row counts would tell a path apart from another path of the same table; the tables are
/// what we know.)
std::vector<std::string> PathsThatLoadedNothing(const Engine& engine, const std::vector<std::string>& paths,
                                                const HuntReport& report) {
  std::vector<std::string> empty;
  for (const auto& path : paths) {
    bool loaded = false;
    for (const auto& file : engine.DataFiles()) {
      if (file.input != path) continue;
      auto profile = report.tables.find(file.table);
      loaded = loaded || (profile != report.tables.end() && profile->second.events > 0);
    }
    if (!loaded) empty.push_back(path);
  }
  return empty;
}

int RunHunt(const HuntArgs& args) {
  const auto& [rule_paths, data, tables, exclusion_paths, watchlist_args, format, out_path, now_text,
               attack_layer_path, max_memory, timeout, threads, strict, fail_on_alerts, no_window, no_shared_scan,
               workspace_args, clickhouse_url, show_bad_values] = args;
  std::vector<SentinelRule> rules;
  std::vector<RuleLoadResult> loaded;
  if (rule_paths.empty()) {
    loaded = kql::pack::LoadBuiltinRules();
  } else {
    if (ReportDataGivenAsRules(rule_paths, data)) return kExitUsage;
    std::vector<std::string> errors;
    std::vector<std::string> files = FindRuleFiles(rule_paths, errors);
    for (const auto& error : errors) std::cerr << "kqlite: " << error << "\n";
    if (!errors.empty()) return kExitUsage;
    if (files.empty()) {
      std::cerr << "kqlite: no rule files (*.yaml, *.yml, ARM *.json exports) in:";
      for (const auto& path : rule_paths) std::cerr << " " << path;
      std::cerr << "\nkqlite: no rule ran (exit " << kExitNothingHunted << ")\n";
      return kExitNothingHunted;
    }
    for (const auto& path : files) {
      for (auto& result : LoadRuleFiles(path)) loaded.push_back(std::move(result));
    }
  }
  int rule_errors = 0;
  const bool builtin_pack = rule_paths.empty();
  for (auto& result : loaded) {
    for (const auto& problem : result.problems) {
      // The built-in pack's load warnings (e.g. the seed rule's original indentation) are `lint`'s business.
      if (builtin_pack && !problem.is_error) continue;
      PrintProblem(problem);
    }
    if (result.rule) {
      rules.push_back(std::move(*result.rule));
    } else if (std::any_of(result.problems.begin(), result.problems.end(),
                           [](const auto& problem) { return problem.is_error; })) {
      ++rule_errors;  // Not a rule the export skips on purpose (KQLR108: a Fusion rule has no query).
    }
  }
  std::optional<WorkspaceDefinitions> workspace = LoadWorkspace(workspace_args);
  if (!workspace) return kExitUsage;
  Engine engine;
  workspace->ApplyTo(engine);
  bool demo = data.empty() && tables.empty() && clickhouse_url.empty();
  std::vector<std::string> data_paths = data;
  if (demo) data_paths.push_back(DemoDataPath());
  if (!RegisterData(engine, data_paths, tables) || !RegisterExternalData(engine)) return kExitUsage;
  HuntOptions options;
  if (!clickhouse_url.empty()) {
    options.backend = AttachClickHouse(engine, clickhouse_url);
    if (!options.backend) return kExitUsage;
  }
  options.threads = threads;
  options.strict = strict;
  options.apply_window = !no_window;
  options.shared_scan = !no_shared_scan;
  if (!ParseLimits(max_memory, timeout, options.max_memory_bytes, options.timeout)) return kExitUsage;
  options.cancel = InstallInterruptHandler();
  bool usage_error = false;
  std::vector<WatchlistSpec> watchlist_specs;
  for (const auto& path : exclusion_paths) {
    ExclusionLoadResult loaded_set = LoadExclusionFile(path);
    for (const auto& problem : loaded_set.problems) {
      PrintProblem(problem);
      usage_error = usage_error || (problem.is_error && problem.code == "KQLX000");
    }
    watchlist_specs.insert(watchlist_specs.end(), loaded_set.set.watchlists.begin(), loaded_set.set.watchlists.end());
    options.exclusions.push_back(std::move(loaded_set.set));
  }
  for (const auto& text : watchlist_args) {
    std::string error;
    auto spec = ParseWatchlistArgument(text, error);
    if (!spec) {
      std::cerr << "kqlite: " << error << "\n";
      return kExitUsage;
    }
    watchlist_specs.push_back(*spec);
  }
  for (const auto& spec : watchlist_specs) {
    for (const auto& problem : RegisterWatchlist(engine, spec)) std::cerr << "kqlite: " << problem << "\n";
  }
  if (usage_error) return kExitUsage;
  if (now_text == "latest" || (now_text.empty() && demo)) {
    options.now_latest = true;
  } else if (!now_text.empty()) {
    options.now_ticks = ParseNow(now_text);
    if (!options.now_ticks) {
      std::cerr << "kqlite: --now: not a datetime (or 'latest'): " << now_text << "\n";
      return kExitUsage;
    }
  }
  HuntReport report = RunHunt(engine, std::move(rules), options);
  std::string resolved_format = format;
  if (resolved_format.empty()) resolved_format = isatty(STDOUT_FILENO) || out_path.empty() ? "table" : "jsonl";
  auto alert_format = ParseAlertFormat(resolved_format);
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
  WriteAlerts(report, *alert_format, *out);
  if (!attack_layer_path.empty()) {
    std::ofstream layer(attack_layer_path, std::ios::binary);
    if (!layer) {
      std::cerr << "kqlite: cannot write " << attack_layer_path << "\n";
      return kExitUsage;
    }
    layer << AttackLayerJson(report);
  }
  // The summary goes with a readable table on stdout, and to stderr beside machine formats.
  std::ostream& summary = (*alert_format == AlertFormat::kTable && out == &std::cout) ? std::cout : std::cerr;
  WriteHuntSummary(report, demo ? "bundled demo data (" + DemoDataPath() + ")" : "", summary);
  if (show_bad_values) ReportSkipped(report.scans, true);
  for (size_t i = 0; i < report.outcomes.size(); ++i) {
    const auto& outcome = report.outcomes[i];
    if (!outcome.diagnostics.empty()) PrintDiagnostics(outcome.diagnostics, report.rules[i].query, report.rules[i].path);
  }
  // A run that hunted nothing says so and fails, whatever else it printed.
  if (!demo) {
    uint64_t events = 0;
    for (const auto& [table, profile] : report.tables) events += IsWatchlistTable(table) ? 0 : profile.events;
    std::vector<std::string> empty_paths = PathsThatLoadedNothing(engine, data, report);
    if (events > 0 && !empty_paths.empty()) {
      for (const auto& path : empty_paths) {
        std::cerr << "kqlite: --data " << path << " loaded no event (no file of a known table, or only empty files)\n";
      }
      std::cerr << "kqlite: part of the data was not hunted (exit " << kExitNothingHunted << ")\n";
      return kExitNothingHunted;
    }
    if (events == 0) {
      std::cerr << "kqlite: the data given loaded no event:";
      for (const auto& path : data) std::cerr << " " << path;
      for (const auto& spec : tables) std::cerr << " " << spec;
      std::cerr << " (no file of a known table, or only empty files)\nkqlite: nothing was hunted (exit "
                << kExitNothingHunted << ")\n";
      return kExitNothingHunted;
    }
  }
  if (options.cancel->load()) {
    std::cerr << "kqlite: error: hunt cancelled (the rules after the running one did not run)\n";
    return kExitInterrupted;
  }
  // A rule stopped by --timeout / --max-memory: the other rules ran and are reported, and the run says so.
  size_t unfinished =
      static_cast<size_t>(std::count_if(report.outcomes.begin(), report.outcomes.end(), StoppedByLimit));
  if (unfinished > 0) {
    std::cerr << "kqlite: " << unfinished << " rule(s) did not finish within the limits:\n";
    for (size_t i = 0; i < report.outcomes.size(); ++i) {
      if (StoppedByLimit(report.outcomes[i])) {
        std::cerr << "  " << report.rules[i].name << ": " << report.outcomes[i].error << "\n";
      }
    }
    std::cerr << "kqlite: the hunt is incomplete (exit " << kExitLimit << ")\n";
    return kExitLimit;
  }
  if (RulesRun(report) == 0) {
    std::cerr << "kqlite: no rule ran (" << report.rules.size() << " rule(s) loaded";
    if (rule_errors > 0) std::cerr << ", " << rule_errors << " rule file(s) did not load";
    std::cerr << ")\n";
    for (const auto& reason : QuietRuleReasons(report)) std::cerr << "  " << reason << "\n";
    std::cerr << "kqlite: nothing was hunted (exit " << kExitNothingHunted << ")\n";
    return kExitNothingHunted;
  }
  if (rule_errors > 0) return kExitFindings;
  if (fail_on_alerts && !report.alerts.empty()) return kExitFindings;
  return 0;
}

}  // namespace

void AddHuntCommand(CLI::App& app, CommandAction& action) {
  static HuntArgs args;
  CLI::App* hunt = app.add_subcommand("hunt", "Run Sentinel analytic rules over data and print alerts");
  hunt->add_option("rules", args.rule_paths,
                   "Rule files (Sentinel YAML, or ARM JSON exports holding one or many rules) or folders (default: "
                   "the built-in rule pack)");
  // Each option takes one value per occurrence, so `--data DIR rule.yaml` leaves rule.yaml to the rules.
  hunt->add_option("--data", args.data, "A data file or folder (repeat for several; default: the bundled demo data)")
      ->allow_extra_args(false);
  hunt->add_option("--table", args.tables, "NAME=PATH: read PATH as table NAME (repeatable)")->allow_extra_args(false);
  AddExternalDataOption(hunt);
  hunt->add_option("--now", args.now_text,
                   "Hunt window end: a UTC datetime or 'latest' (newest event); default: the clock ('latest' for the "
                   "demo data)");
  hunt->add_option("--format", args.format,
                   "Alert format: table (default on a terminal), jsonl, json, csv, sentinel (SecurityAlert records), "
                   "ocsf (Detection Finding)")
      ->check(CLI::IsMember({"table", "jsonl", "json", "csv", "sentinel", "ocsf"}));
  hunt->add_option("--exclusions", args.exclusion_paths, "Exclusions YAML file (repeatable)")->allow_extra_args(false);
  hunt->add_option("--watchlist", args.watchlists, "NAME=FILE.csv: a watchlist for _GetWatchlist('NAME') (repeatable)")
      ->allow_extra_args(false);
  hunt->add_option("--attack-layer", args.attack_layer_path,
                   "Write a MITRE ATT&CK Navigator layer of the rules that ran and fired to this file");
  hunt->add_flag("--no-window", args.no_window,
                 "Do not cut source tables to [now - queryPeriod, now] (the query's own time filters still apply)");
  hunt->add_flag("--no-shared-scan", args.no_shared_scan,
                 "Let every rule read its tables itself instead of one shared pass per table (same alerts; slower)");
  hunt->add_option("--clickhouse", args.clickhouse,
                   "Hunt over the tables of this ClickHouse server (http://host:port/?database=NAME): the rules "
                   "reading a table run locally over the rows of one query for the OR of their filters; a rule whose "
                   "filters ClickHouse cannot run exactly runs there as far as it translates, the rest locally "
                   "(docs/clickhouse.md)");
  hunt->add_option("--out", args.out_path, "Write alerts to this file");
  hunt->add_option("--threads", args.threads,
                   "Worker threads (default: all cores); the rules' queries over rows read once run this many at a "
                   "time");
  hunt->add_option("--timeout", args.timeout,
                   "Per rule: stop a rule's query after this long, like 30s or 5m; the other rules still run (exit 4)");
  hunt->add_option("--max-memory", args.max_memory,
                   "Per rule: memory a rule's query may materialise, like 512M or 4G (default: 75% of physical "
                   "memory or of the cgroup limit); over it the rule stops, the other rules still run (exit 4)");
  hunt->add_flag("--strict", args.strict, "Fail on the first malformed input record");
  hunt->add_flag("--show-bad-values", args.show_bad_values,
                 "List each value that did not convert (up to 100 per table; the summary counts them per column)");
  AddWorkspaceOptions(hunt, args.workspace);
  hunt->add_flag("--fail-on-alerts", args.fail_on_alerts, "Exit with status 1 when any alert was raised (for CI)");
  hunt->footer(
      "Exit status: 0 the hunt ran (alerts or not); 1 a rule file did not load, or alerts with --fail-on-alerts; 2 "
      "usage or input error (a missing path, data given where rules go); 3 nothing was hunted: no rule ran (tables "
      "absent, every rule failed), the data given loaded no event, or a --data path loaded none; 4 a rule did not "
      "finish within --timeout / --max-memory (the others ran); 130 Ctrl-C. See docs/errors.md.");
  hunt->callback([&action] {
    action = [] {
      return RunHunt(args);
    };
  });
}

}  // namespace kql::cli
