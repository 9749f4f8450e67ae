// `kqlite convert`: Sentinel rules between the two shapes people have them in — Sentinel YAML (the Azure-Sentinel
// repository, detection-as-code) and the ARM JSON the portal exports (one template holding one or many rules).
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>

#include "cli_common.h"
#include "rules/arm_rule.h"
#include "rules/rule_loader.h"
#include "rules/layer.h"

namespace kql::cli {

using namespace kql::rules;
namespace {

/// Options of `kqlite convert`, alive for the whole program run.
struct ConvertArgs {
  std::vector<std::string> paths;
  std::string to;
  std::string out_path;
};

void PrintProblem(const RuleProblem& problem) {
  std::cerr << problem.path << ":" << problem.line << ":" << problem.col << ": "
            << (problem.is_error ? "error " : "warning ") << problem.code << ": " << problem.message << "\n";
}

/// Rule files of the inputs: YAML (except tests) and ARM JSON exports, in the order given (folders sorted).
std::vector<std::string> ConvertInputs(const std::vector<std::string>& paths, std::vector<std::string>& errors) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  for (const auto& path : paths) {
    std::error_code error;
    if (fs::is_directory(path, error)) {
      std::vector<std::string> found = FindRuleFiles({path}, errors);
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::exists(path, error)) {
      files.push_back(path);
    } else {
      errors.push_back(path + ": no such file or folder");
    }
  }
  return files;
}

int RunConvert(const ConvertArgs& args) {
  std::vector<std::string> errors;
  std::vector<std::string> files = ConvertInputs(args.paths, errors);
  for (const auto& error : errors) std::cerr << "kqlite: " << error << "\n";
  if (!errors.empty()) return kExitUsage;
  if (files.empty()) {
    std::cerr << "kqlite: convert: no rule files given\n";
    return kExitUsage;
  }
  std::vector<std::pair<std::string, std::string>> yaml_inputs, json_inputs;
  for (const auto& file : files) {
    bool ok = false;
    std::string text = ReadFile(file, ok);
    if (!ok) {
      std::cerr << "kqlite: cannot read " << file << "\n";
      return kExitUsage;
    }
    (IsJsonRuleText(text) ? json_inputs : yaml_inputs).emplace_back(file, std::move(text));
  }
  std::string to = args.to;
  if (to.empty()) {
    if (!yaml_inputs.empty() && !json_inputs.empty()) {
      std::cerr << "kqlite: convert: the inputs mix YAML and ARM JSON rules; say which to write with --to yaml or "
                   "--to arm\n";
      return kExitUsage;
    }
    to = yaml_inputs.empty() ? "yaml" : "arm";
  }
  std::vector<RuleProblem> problems;
  // Every input becomes YAML first: ARM exports through their YAML form, so `--to arm` also normalises them.
  std::vector<std::pair<std::string, ConvertedRule>> yaml_rules;  // source path, rule
  for (const auto& [path, text] : json_inputs) {
    for (auto& rule : YamlFromArmText(text, path, problems)) yaml_rules.emplace_back(path, std::move(rule));
  }
  std::ofstream out_file;
  std::ostream* out = &std::cout;
  auto open_out = [&](const std::string& path) {
    out_file.open(path, std::ios::binary);
    if (!out_file) {
      std::cerr << "kqlite: cannot write " << path << "\n";
      return false;
    }
    out = &out_file;
    return true;
  };
  size_t written = 0;
  if (to == "arm") {
    std::vector<std::pair<std::string, std::string>> sources = yaml_inputs;
    for (const auto& [path, rule] : yaml_rules) sources.emplace_back(path, rule.text);
    std::string json = ArmTemplateFromYaml(sources, problems);
    if (!args.out_path.empty() && !open_out(args.out_path)) return kExitUsage;
    *out << json;
    written = sources.size();
  } else {
    if (!yaml_inputs.empty()) {
      for (const auto& [path, text] : yaml_inputs)
        std::cerr << "kqlite: " << path << " is already Sentinel YAML; left out of --to yaml\n";
    }
    namespace fs = std::filesystem;
    if (!args.out_path.empty()) {
      std::error_code error;
      fs::create_directories(args.out_path, error);
      if (!fs::is_directory(args.out_path, error)) {
        std::cerr << "kqlite: --out must be a folder for --to yaml: " << args.out_path << "\n";
        return kExitUsage;
      }
      for (const auto& [path, rule] : yaml_rules) {
        std::string target = (fs::path(args.out_path) / (rule.stem + ".yaml")).string();
        std::ofstream file(target, std::ios::binary);
        if (!file) {
          std::cerr << "kqlite: cannot write " << target << "\n";
          return kExitUsage;
        }
        file << rule.text;
        std::cerr << "kqlite: wrote " << target << "\n";
      }
    } else {
      for (size_t i = 0; i < yaml_rules.size(); ++i) *out << (i ? "---\n" : "") << yaml_rules[i].second.text;
    }
    written = yaml_rules.size();
  }
  bool failed = false;
  for (const auto& problem : problems) {
    PrintProblem(problem);
    failed = failed || problem.is_error;
  }
  std::cerr << "kqlite: converted " << written << " rule(s) to " << (to == "arm" ? "ARM JSON" : "Sentinel YAML")
            << "\n";
  return failed ? kExitFindings : 0;
}

}  // namespace

void AddConvertCommand(CLI::App& app, CommandAction& action) {
  static ConvertArgs args;
  CLI::App* convert = app.add_subcommand(
      "convert", "Convert Sentinel rules between YAML and the portal's ARM JSON export (both ways)");
  convert->add_option("paths", args.paths, "Rule files or folders: Sentinel YAML, or ARM JSON exports")->required();
  convert->add_option("--to", args.to, "arm (one template holding every rule) or yaml (one file per rule); default: "
                                       "the other shape than the inputs'")
      ->check(CLI::IsMember({"arm", "yaml"}));
  convert->add_option("--out", args.out_path,
                      "--to arm: the template file; --to yaml: a folder for <rule name>.yaml files (default: stdout, "
                      "YAML rules separated by ---)");
  convert->footer("Exit status: 0 converted; 1 an input rule did not load (the others are converted); 2 usage error.");
  convert->callback([&action] { action = [] { return RunConvert(args); }; });
}

}  // namespace kql::cli
