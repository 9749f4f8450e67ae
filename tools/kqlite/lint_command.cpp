// `kqlite lint`: rule YAML and .kql files against syntax, schemas and functions.
#include <algorithm>
#include <filesystem>
#include <iostream>

#include "cli_common.h"
#include "rules/rule_loader.h"

namespace kql::cli {
namespace {

/// Maps a diagnostic inside a rule's query to a position in the rule file.
Diagnostic MapToFile(Diagnostic diagnostic, const SentinelRule& rule) {
  if (rule.query_line > 0) {
    if (diagnostic.span.line == 1) diagnostic.span.col += static_cast<uint32_t>(rule.query_column - 1);
    diagnostic.span.line += static_cast<uint32_t>(rule.query_line - 1);
  }
  return diagnostic;
}

std::string JsonString(const std::string& text) {
  std::string out;
  AppendJsonString(out, text);
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
    for (const auto& result : LoadBuiltinRules()) files.push_back(result.rule ? result.rule->path : "");
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
          items.push_back({diagnostic.severity == Severity::kError, diagnostic.code, diagnostic.span.line,
                           diagnostic.span.col, diagnostic.message, RenderDiagnostic(diagnostic, text)});
        }
      }
    } else {
      RuleLoadResult loaded;
      if (is_builtin) {
        for (auto& builtin : LoadBuiltinRules()) {
          if (builtin.rule && builtin.rule->path == file) loaded = std::move(builtin);
        }
      } else {
        loaded = LoadRuleFile(file);
      }
      for (const auto& problem : loaded.problems) {
        items.push_back({problem.is_error, problem.code, static_cast<uint32_t>(problem.line),
                         static_cast<uint32_t>(problem.col), problem.message, ""});
      }
      if (loaded.rule) {
        for (const auto& diagnostic : engine.Check(loaded.rule->query, syntax_only)) {
          Diagnostic mapped = MapToFile(diagnostic, *loaded.rule);
          items.push_back({diagnostic.severity == Severity::kError, diagnostic.code, mapped.span.line,
                           mapped.span.col, diagnostic.message, RenderDiagnostic(diagnostic, loaded.rule->query)});
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

/// Options of `kqlite lint`, alive for the whole program run.
struct LintArgs {
  std::vector<std::string> paths;
  bool syntax_only = false;
  std::string format = "text";
};

}  // namespace

void AddLintCommand(CLI::App& app, CommandAction& action) {
  static LintArgs args;
  CLI::App* lint = app.add_subcommand("lint", "Check .kql files and rule YAML files (default: the built-in pack)");
  lint->add_option("paths", args.paths, ".kql files, rule YAML files or folders");
  lint->add_flag("--syntax-only", args.syntax_only, "Check syntax only (no table/column binding)");
  lint->add_option("--format", args.format, "text or json (one object per line per file)")
      ->check(CLI::IsMember({"text", "json"}));
  lint->callback([&action] { action = [] { return RunLint(args.paths, args.syntax_only, args.format); }; });
}

}  // namespace kql::cli
