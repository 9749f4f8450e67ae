// `kqlite test`: detection-as-code — runs each rule over its test cases (<rule>.tests.yaml) and compares the
// alerts with the expected ones; exit 1 when any case fails.
#include <algorithm>
#include <atomic>
#include <iostream>
#include <thread>

#include "cli_common.h"
#include "rules/rule_test_runner.h"

namespace kql::cli {
namespace {

const char* KindName(RuleTestKind kind) {
  return kind == RuleTestKind::kTruePositive ? "true_positive" : "false_positive";
}

int RunTests(const std::vector<std::string>& paths, const std::string& filter, bool verbose, int jobs,
             const WorkspaceArgs& workspace_args) {
  std::optional<WorkspaceDefinitions> workspace = LoadWorkspace(workspace_args);
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
  options.filter = filter;
  options.workspace = &*workspace;
  RuleFileReader reader = DefaultRuleFileReader();
  // Files run on worker threads (each case has its own engine); results print in file order.
  std::vector<RuleTestFileResult> results(files.size());
  std::atomic<size_t> next{0};
  unsigned workers = jobs > 0 ? static_cast<unsigned>(jobs) : std::max(1u, std::thread::hardware_concurrency());
  workers = std::min<unsigned>(workers, static_cast<unsigned>(files.size()));
  std::vector<std::thread> threads;
  for (unsigned worker = 0; worker < workers; ++worker) {
    threads.emplace_back([&] {
      for (size_t index = next++; index < files.size(); index = next++)
        results[index] = RunRuleTestFile(files[index], reader, options);
    });
  }
  for (auto& thread : threads) thread.join();
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
        if (verbose)
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
  return failed > 0 ? kExitFindings : 0;
}

/// Options of `kqlite test`, alive for the whole program run.
struct TestArgs {
  std::vector<std::string> paths;
  std::string filter;
  bool verbose = false;
  int jobs = 0;
  WorkspaceArgs workspace;
};

}  // namespace

void AddTestCommand(CLI::App& app, CommandAction& action) {
  static TestArgs args;
  CLI::App* test = app.add_subcommand("test", "Run rule test cases (<rule>.tests.yaml; default: the built-in pack)");
  test->add_option("paths", args.paths, "Test files, rule files (their sibling .tests.yaml) or folders");
  test->add_option("--filter", args.filter, "Run only the cases whose name matches this glob");
  test->add_flag("-v,--verbose", args.verbose, "Also list the cases that pass");
  test->add_option("-j,--jobs", args.jobs, "Test files run at once (default: one per hardware thread)");
  AddWorkspaceOptions(test, args.workspace);
  test->callback([&action] {
    action = [] { return RunTests(args.paths, args.filter, args.verbose, args.jobs, args.workspace); };
  });
}

}  // namespace kql::cli
