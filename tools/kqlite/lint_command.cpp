// `kqlite lint`: rule YAML (Sentinel schema and limits, KQL against the table schemas) and .kql files; text, json
// or sarif output; exit 1 on errors (or warnings with --strict).
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <optional>

#include "cli_common.h"
#include "rules/arm_rule.h"
#include "rules/builtin_rules.h"
#include "rules/rule_linter.h"
#include "rules/rule_loader.h"
#include "rules/rule_test.h"
#include "rules/rule_test_report.h"
#include "rules/sarif_writer.h"
#include "rules/layer.h"

namespace kql::cli {

using namespace kql::rules;
namespace {

std::string JsonString(const std::string& text) {
  std::string out;
  AppendJsonString(out, text);
  return out;
}

/// Expands folders into their .kql, rule YAML and rule test files, keeping the given order.
std::vector<std::string> ExpandPaths(const std::vector<std::string>& paths, std::vector<std::string>& missing) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  for (const auto& path : paths) {
    std::error_code error;
    if (fs::is_directory(path, error)) {
      std::vector<std::string> found;
      for (fs::recursive_directory_iterator it(path, error), end; it != end && !error; it.increment(error)) {
        std::string extension = it->path().extension().string();
        if (it->is_regular_file() && (extension == ".kql" || extension == ".yaml" || extension == ".yml" ||
                                      (extension == ".json" && IsArmRuleFile(it->path().string()))))
          found.push_back(it->path().string());
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::exists(path, error)) {
      files.push_back(path);
    } else {
      missing.push_back(path);
    }
  }
  return files;
}

void PrintText(const std::vector<LintedFile>& linted, bool strict) {
  for (const auto& file : linted) {
    for (const auto& finding : file.findings) {
      bool is_error = finding.severity == Severity::kError || strict;
      std::cout << file.path << ":" << finding.line << ":" << finding.col << ": " << (is_error ? "error" : "warning")
                << " " << finding.code << ": " << finding.message << "\n";
      if (!finding.excerpt.empty()) std::cout << finding.excerpt << "\n";
    }
  }
}

void PrintJson(const std::vector<LintedFile>& linted, bool strict) {
  for (const auto& file : linted) {
    std::string line = "{\"path\":" + JsonString(file.path) + ",\"diagnostics\":[";
    for (size_t i = 0; i < file.findings.size(); ++i) {
      const LintFinding& finding = file.findings[i];
      bool is_error = finding.severity == Severity::kError || strict;
      if (i) line += ",";
      line += "{\"severity\":\"" + std::string(is_error ? "error" : "warning") +
              "\",\"code\":" + JsonString(finding.code) + ",\"line\":" + std::to_string(finding.line) +
              ",\"col\":" + std::to_string(finding.col) + ",\"message\":" + JsonString(finding.message) + "}";
    }
    std::cout << line << "]}\n";
  }
}

/// GitHub Actions workflow commands: one ::error / ::warning annotation per finding.
void PrintGitHub(const std::vector<LintedFile>& linted, bool strict) {
  for (const auto& file : linted) {
    for (const auto& finding : file.findings) {
      bool is_error = finding.severity == Severity::kError || strict;
      std::cout << GitHubAnnotation(is_error ? "error" : "warning", file.path, finding.line, finding.col,
                                    finding.code + ": " + finding.message);
    }
  }
}

int RunLint(const std::vector<std::string>& paths, bool syntax_only, const std::string& format, bool strict,
            const WorkspaceArgs& workspace_args, const std::vector<std::string>& data,
            const std::vector<std::string>& tables) {
  if (format != "text" && format != "json" && format != "sarif" && format != "github") {
    std::cerr << "kqlite: lint --format must be text, json, sarif or github\n";
    return kExitUsage;
  }
  std::optional<WorkspaceDefinitions> workspace = LoadWorkspace(workspace_args);
  if (!workspace) return kExitUsage;
  Engine engine;
  workspace->ApplyTo(engine);
  if (!RegisterExternalData(engine)) return kExitUsage;
  // With --data, rules bind against the data's effective schema: the built-in one plus the files' extra columns.
  if (!RegisterData(engine, data, tables)) return kExitUsage;
  LintOptions options;
  options.syntax_only = syntax_only;
  RuleLinter linter(engine, options);
  std::vector<LintedFile> linted;
  RuleFileReader reader = DefaultRuleFileReader();
  if (paths.empty()) {
    for (const auto& file : BuiltinRuleFiles()) {
      std::string path = std::string("builtin:") + file.path;
      linted.push_back(IsRuleTestFile(file.path) ? linter.LintTestText(file.text, path, reader)
                                                 : linter.LintRuleText(file.text, path));
    }
  } else {
    std::vector<std::string> missing;
    for (const auto& file : ExpandPaths(paths, missing)) {
      if (std::filesystem::path(file).extension() == ".kql") {
        bool ok = false;
        std::string text = ReadFile(file, ok);
        if (ok) {
          linted.push_back(linter.LintQueryText(text, file));
        } else {
          linted.push_back(
              LintedFile{file, "", {}, {LintFinding{Severity::kError, "KQLR005", 0, 0, "Cannot read file", ""}}});
        }
      } else if (IsRuleTestFile(file)) {
        std::optional<std::string> text = reader(file);
        linted.push_back(
            text ? linter.LintTestText(*text, file, reader)
                 : LintedFile{file, "", {}, {LintFinding{Severity::kError, "KQLR005", 0, 0, "Cannot read file", ""}}});
      } else {
        linted.push_back(linter.LintRuleFile(file));
      }
    }
    for (const auto& path : missing) std::cerr << "kqlite: " << path << ": no such file or folder\n";
    if (!missing.empty()) return kExitUsage;
  }
  RuleLinter::CheckDuplicateIds(linted);
  size_t errors = 0;
  size_t warnings = 0;
  for (const auto& file : linted) {
    errors += file.Count(Severity::kError);
    warnings += file.Count(Severity::kWarning);
  }
  if (format == "json") {
    PrintJson(linted, strict);
  } else if (format == "sarif") {
    std::cout << WriteSarif(linted, "0.1.0");
  } else {
    if (format == "github") {
      PrintGitHub(linted, strict);
    } else {
      PrintText(linted, strict);
    }
    std::cout << linted.size() << " file(s) checked: " << errors << " error(s), " << warnings << " warning(s)\n";
  }
  return errors > 0 || (strict && warnings > 0) ? kExitFindings : 0;
}

/// Options of `kqlite lint`, alive for the whole program run.
struct LintArgs {
  std::vector<std::string> paths, data, tables;
  bool syntax_only = false;
  bool strict = false;
  std::string format = "text";
  WorkspaceArgs workspace;
};

}  // namespace

void AddLintCommand(CLI::App& app, CommandAction& action) {
  static LintArgs args;
  CLI::App* lint = app.add_subcommand("lint", "Check rule YAML files and .kql files (default: the built-in pack)");
  lint->add_option("paths", args.paths, ".kql files, rule files (Sentinel YAML or ARM JSON exports) or folders");
  lint->add_flag("--syntax-only", args.syntax_only, "Check KQL syntax only (no table/column binding)");
  lint->add_flag("--strict", args.strict, "Treat warnings as errors");
  AddExternalDataOption(lint);
  // RunLint validates --format itself so that a bad value exits with the usage code (2).
  lint->add_option("--format", args.format, "text, json (one object per line per file), sarif (SARIF 2.1.0) or github "
                                     "(GitHub Actions annotations: ::error file=F,line=L,col=C::message)");
  AddWorkspaceOptions(lint, args.workspace);
  lint->add_option("--data", args.data,
                   "Data file or folder whose columns the rules may use besides the built-in schema (columns an "
                   "export adds, as query and hunt see them; repeatable)")
      ->allow_extra_args(false);
  lint->add_option("--table", args.tables, "NAME=PATH: PATH's columns as table NAME (repeatable)")
      ->allow_extra_args(false);
  lint->callback([&action] {
    action = [] {
      return RunLint(args.paths, args.syntax_only, args.format, args.strict, args.workspace, args.data, args.tables);
    };
  });
}

}  // namespace kql::cli
