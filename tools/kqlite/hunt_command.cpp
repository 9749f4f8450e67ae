// `kqlite hunt`: Sentinel rules over data, alerts out.
#include <unistd.h>

#include <fstream>
#include <iostream>

#include "cli_common.h"
#include "rules/alert_writer.h"
#include "rules/attack_layer.h"
#include "rules/exclusion.h"
#include "rules/hunt.h"
#include "rules/rule_loader.h"
#include "rules/watchlist.h"

namespace kql::cli {
namespace {

/// Options of `kqlite hunt`, alive for the whole program run.
struct HuntArgs {
  std::vector<std::string> rule_paths, data, tables, exclusion_paths, watchlists;
  std::string format, out_path, now_text, attack_layer_path;
  int threads = 0;
  bool strict = false, fail_on_alerts = false, no_window = false;
  bool no_shared_scan = false;
};

void PrintProblem(const RuleProblem& problem) {
  std::cerr << problem.path << ":" << problem.line << ":" << problem.col << ": "
            << (problem.is_error ? "error " : "warning ") << problem.code << ": " << problem.message << "\n";
}

int RunHunt(const HuntArgs& args) {
  const auto& [rule_paths, data, tables, exclusion_paths, watchlist_args, format, out_path, now_text,
               attack_layer_path, threads, strict, fail_on_alerts, no_window, no_shared_scan] = args;
  std::vector<SentinelRule> rules;
  std::vector<RuleLoadResult> loaded;
  if (rule_paths.empty()) {
    loaded = LoadBuiltinRules();
  } else {
    std::vector<std::string> errors;
    for (const auto& path : FindRuleFiles(rule_paths, errors)) loaded.push_back(LoadRuleFile(path));
    for (const auto& error : errors) std::cerr << "kqlite: " << error << "\n";
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
    } else {
      ++rule_errors;
    }
  }
  Engine engine;
  bool demo = data.empty() && tables.empty();
  std::vector<std::string> data_paths = data;
  if (demo) data_paths.push_back(DemoDataPath());
  if (!RegisterData(engine, data_paths, tables) || !RegisterExternalData(engine)) return kExitUsage;
  HuntOptions options;
  options.threads = threads;
  options.strict = strict;
  options.apply_window = !no_window;
  options.shared_scan = !no_shared_scan;
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
  for (size_t i = 0; i < report.outcomes.size(); ++i) {
    const auto& outcome = report.outcomes[i];
    if (!outcome.diagnostics.empty()) PrintDiagnostics(outcome.diagnostics, report.rules[i].query, report.rules[i].path);
  }
  if (rule_errors > 0) return kExitFindings;
  if (fail_on_alerts && !report.alerts.empty()) return kExitFindings;
  return 0;
}

}  // namespace

void AddHuntCommand(CLI::App& app, CommandAction& action) {
  static HuntArgs args;
  CLI::App* hunt = app.add_subcommand("hunt", "Run Sentinel analytic rules over data and print alerts");
  hunt->add_option("rules", args.rule_paths, "Rule YAML files or folders (default: the built-in rule pack)");
  hunt->add_option("--data", args.data, "Data files or folders (default: the bundled demo data)");
  AddExternalDataOption(hunt);
  hunt->add_option("--table", args.tables, "NAME=PATH: read PATH as table NAME");
  hunt->add_option("--now", args.now_text,
                   "Hunt window end: a UTC datetime or 'latest' (newest event); default: the clock ('latest' for the "
                   "demo data)");
  hunt->add_option("--format", args.format,
                   "Alert format: table (default on a terminal), jsonl, json, csv, sentinel (SecurityAlert records), "
                   "ocsf (Detection Finding)")
      ->check(CLI::IsMember({"table", "jsonl", "json", "csv", "sentinel", "ocsf"}));
  hunt->add_option("--exclusions", args.exclusion_paths, "Exclusions YAML file (repeatable)");
  hunt->add_option("--watchlist", args.watchlists, "NAME=FILE.csv: a watchlist for _GetWatchlist('NAME') (repeatable)");
  hunt->add_option("--attack-layer", args.attack_layer_path,
                   "Write a MITRE ATT&CK Navigator layer of the rules that ran and fired to this file");
  hunt->add_flag("--no-window", args.no_window,
                 "Do not cut source tables to [now - queryPeriod, now] (the query's own time filters still apply)");
  hunt->add_flag("--no-shared-scan", args.no_shared_scan,
                 "Let every rule read its tables itself instead of one shared pass per table (same alerts; slower)");
  hunt->add_option("--out", args.out_path, "Write alerts to this file");
  hunt->add_option("--threads", args.threads, "Worker threads (default: all cores)");
  hunt->add_flag("--strict", args.strict, "Fail on the first malformed input record");
  hunt->add_flag("--fail-on-alerts", args.fail_on_alerts, "Exit with status 1 when any alert was raised (for CI)");
  hunt->callback([&action] {
    action = [] {
      return RunHunt(args);
    };
  });
}

}  // namespace kql::cli
