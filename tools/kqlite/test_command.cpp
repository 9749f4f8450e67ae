// `kqlite test`: detection-as-code — runs each rule over its test cases (<rule>.tests.yaml) and compares the
// alerts with the expected ones; exit 1 when any case fails.
#include <algorithm>
#include <atomic>
#include <fstream>
#include <iostream>
#include <thread>

#include "cli_common.h"
#include "rules/rule_test_report.h"
#include "rules/rule_test_runner.h"
#include "rules/rule_test_update.h"
#include "rules/layer.h"

namespace kql::cli {

using namespace kql::rules;
namespace {

const char* KindName(RuleTestKind kind) {
  return kind == RuleTestKind::kTruePositive ? "true_positive" : "false_positive";
}

/// Options of `kqlite test`, alive for the whole program run.
struct TestArgs {
  std::vector<std::string> paths;
  std::string filter;
  bool verbose = false;
  int jobs = 0;
  std::string junit;
  bool update = false;
  std::string format = "text";
  WorkspaceArgs workspace;
  std::string clickhouse;
};

/// Rewrites the expect blocks of the failing cases in their test files; returns the files it could not update.
size_t UpdateTestFiles(const std::vector<RuleTestFileResult>& results) {
  size_t problems = 0;
  for (const auto& result : results) {
    bool ok = false;
    std::string text = ReadFile(result.path, ok);
    if (!ok) {
      std::cerr << "kqlite: --update: cannot read " << result.path << "\n";
      ++problems;
      continue;
    }
    RuleTestUpdate update = UpdateRuleTestText(text, result);
    if (!update.problem.empty()) {
      std::cerr << "kqlite: --update: " << result.path << ": " << update.problem << "\n";
      ++problems;
      continue;
    }
    if (update.updated == 0) continue;
    std::ofstream out(result.path, std::ios::binary | std::ios::trunc);
    out << update.text;
    if (!out) {
      std::cerr << "kqlite: --update: cannot write " << result.path << "\n";
      ++problems;
      continue;
    }
    std::cout << "updated " << update.updated << " case(s) in " << result.path << "\n";
  }
  return problems;
}

int RunTests(const TestArgs& args) {
  const std::vector<std::string>& paths = args.paths;
  if (args.format != "text" && args.format != "github") {
    std::cerr << "kqlite: test --format must be text or github\n";
    return kExitUsage;
  }
  if (args.update && paths.empty()) {
    std::cerr << "kqlite: --update needs test files or folders on disk (the built-in pack is read-only)\n";
    return kExitUsage;
  }
  std::optional<WorkspaceDefinitions> workspace = LoadWorkspace(args.workspace);
  if (!workspace) return kExitUsage;
  std::vector<std::string> files;
  if (paths.empty()) {
    files = BuiltinRuleTestFiles();
  } else {
    std::vector<std::string> errors;
    files = FindRuleTestFiles(paths, errors);
    for (const auto& error : errors) std::cerr << "kqlite: " << error << "\n";
    if (!errors.empty()) return kExitUsage;
  }
  if (files.empty()) {
    std::cerr << "kqlite: no test files (*.tests.yaml) found\n";
    return kExitUsage;
  }
  RuleTestOptions options;
  options.filter = args.filter;
  options.workspace = &*workspace;
  // Ctrl-C or SIGTERM: no new case starts, the running ones end (dropping their --clickhouse scratch databases),
  // then the run exits without a report or an update.
  options.cancel = InstallStopHandler();
  if (!args.clickhouse.empty()) {
    options.move_tables = ClickHouseCaseTables(args.clickhouse);
    if (!options.move_tables) return kExitUsage;
  }
  RuleFileReader reader = DefaultRuleFileReader();
  // Files run on worker threads (each case has its own engine); results print in file order.
  std::vector<RuleTestFileResult> results(files.size());
  std::atomic<size_t> next{0};
  unsigned workers =
      args.jobs > 0 ? static_cast<unsigned>(args.jobs) : std::max(1u, std::thread::hardware_concurrency());
  workers = std::min<unsigned>(workers, static_cast<unsigned>(files.size()));
  std::vector<std::thread> threads;
  for (unsigned worker = 0; worker < workers; ++worker) {
    threads.emplace_back([&] {
      for (size_t index = next++; index < files.size(); index = next++)
        results[index] = RunRuleTestFile(files[index], reader, options);
    });
  }
  for (auto& thread : threads) thread.join();
  if (options.cancel->load()) {
    size_t cases = 0;
    for (const auto& result : results) cases += result.cases.size();
    std::cerr << "kqlite: test interrupted after " << cases << " case(s): nothing reported"
              << (args.update ? " or updated" : "")
              << (args.clickhouse.empty() ? "" : "; the scratch databases on the server were dropped") << "\n";
    return ExitAfterStop();
  }
  size_t passed = 0;
  size_t failed = 0;
  for (size_t file_index = 0; file_index < files.size(); ++file_index) {
    const std::string& file = files[file_index];
    const RuleTestFileResult& result = results[file_index];
    for (const auto& problem : result.problems) {
      std::cout << (problem.is_error ? "ERROR " : "warning ") << problem.path << ":" << problem.line << ":"
                << problem.col << ": " << problem.code << ": " << problem.message << "\n";
    }
    for (const auto& test_case : result.cases) {
      if (test_case.passed) {
        if (args.verbose)
          std::cout << "ok   " << file << ":" << test_case.line << ": " << test_case.name << " ("
                    << KindName(test_case.kind) << ", " << test_case.alerts << " alert(s), " << test_case.results
                    << " result row(s))\n";
        continue;
      }
      std::cout << "FAIL " << file << ":" << test_case.line << ": " << test_case.name << " ("
                << KindName(test_case.kind) << ")\n";
      for (const auto& line : test_case.failures) std::cout << "  " << line << "\n";
    }
    passed += result.Passed();
    failed += result.Failed();
  }
  std::cout << passed << " passed, " << failed << " failed (" << files.size() << " test file(s))\n";
  if (args.format == "github") std::cout << WriteGitHubTestAnnotations(results);
  if (!args.junit.empty()) {
    std::ofstream junit(args.junit, std::ios::binary | std::ios::trunc);
    junit << WriteJUnit(results);
    if (!junit) {
      std::cerr << "kqlite: cannot write " << args.junit << "\n";
      return kExitUsage;
    }
  }
  if (args.update) {
    // Cases that ran are recorded; broken test or rule files and rules that did not run still fail the run.
    size_t not_updatable = UpdateTestFiles(results);
    for (const auto& result : results) {
      not_updatable += result.Failed() - (result.cases.size() - result.Passed());
      not_updatable += static_cast<size_t>(
          std::count_if(result.cases.begin(), result.cases.end(), [](const auto& c) { return !c.passed && !c.ran; }));
    }
    return not_updatable > 0 ? kExitFindings : 0;
  }
  return failed > 0 ? kExitFindings : 0;
}

}  // namespace

void AddTestCommand(CLI::App& app, CommandAction& action) {
  static TestArgs args;
  CLI::App* test = app.add_subcommand("test", "Run rule test cases (<rule>.tests.yaml; default: the built-in pack)");
  test->add_option("paths", args.paths, "Test files, rule files (their sibling .tests.yaml) or folders");
  test->add_option("--filter", args.filter, "Run only the cases whose name matches this glob");
  test->add_flag("-v,--verbose", args.verbose, "Also list the cases that pass");
  test->add_option("-j,--jobs", args.jobs, "Test files run at once (default: one per hardware thread)");
  test->add_option("--junit", args.junit, "Also write a JUnit XML report (one testsuite per rule) to this file");
  test->add_flag("--update", args.update,
                 "Record what each failing case (or case without expect:) produces now as its expect: block, "
                 "keeping the rest of the test file");
  // RunTests validates --format itself so that a bad value exits with the usage code (2).
  test->add_option("--format", args.format,
                   "text, or github: also print GitHub Actions annotations (::error file=F,line=L::...)");
  test->add_option("--clickhouse", args.clickhouse,
                   "Run each case on this ClickHouse server (http://host:port/): its events go into a scratch "
                   "database (created for the case, dropped after it) and the rule runs there as far as it "
                   "translates exactly (docs/clickhouse.md)");
  AddWorkspaceOptions(test, args.workspace);
  test->callback([&action] { action = [] { return RunTests(args); }; });
}

}  // namespace kql::cli
