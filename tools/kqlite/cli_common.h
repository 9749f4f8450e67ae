// CLI plumbing shared by the kqlite subcommands: data registration, clock parsing, reports on stderr.
#pragma once
#include <CLI/CLI.hpp>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kqlite/engine.h"
#include "rules/workspace_definitions.h"

namespace kql::cli {

/// Exit codes: 0 success, 1 findings (query/lint errors, failed tests, alerts with --fail-on-alerts),
/// 2 usage or input errors, 3 a hunt that hunted nothing (no rule ran, or the data given loaded no event).
/// docs/errors.md lists them.
inline constexpr int kExitFindings = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitNothingHunted = 3;

/// The action a parsed subcommand runs; set by the subcommand's callback.
using CommandAction = std::function<int()>;

/// Reads a whole file; `ok` tells whether it could be read.
std::string ReadFile(const std::string& path, bool& ok);
/// Finds the bundled demo data: $KQLITE_DEMO_DATA, next to the binary, or in the source tree.
std::string DemoDataPath();
/// Registers --data and --table inputs; prints problems and returns false when any input was unusable.
bool RegisterData(Engine& engine, const std::vector<std::string>& data, const std::vector<std::string>& tables);
/// Adds the repeatable --externaldata URL=PATH option to a subcommand (one shared list for the process).
void AddExternalDataOption(CLI::App* command);
/// Maps every --externaldata URL=PATH into the engine; prints a problem and returns false for a malformed one.
bool RegisterExternalData(Engine& engine);
/// Parses a --now datetime.
std::optional<int64_t> ParseNow(const std::string& text);
/// Prints the input problems of a run to stderr: one line per table and column whose values did not convert
/// (cells left null, rows kept), then the records skipped or cut (file:line:col: reason, the first 10). With
/// `show_bad_values`, every kept problem (up to ScanStats::kMaxKept) is listed, bad values included.
void ReportSkipped(const std::map<std::string, ScanSummary>& scans, bool show_bad_values = false);
/// For each table a query scanned that has data files but yielded no rows at all (none read, none skipped by the
/// literal prefilter), a message naming the files and the first problem. `query` exits kExitUsage (2) on any.
std::vector<std::string> TablesThatLoadedNothing(const Engine& engine,
                                                 const std::map<std::string, ScanSummary>& scans);
/// Prints diagnostics with carets to stderr.
void PrintDiagnostics(const std::vector<Diagnostic>& diagnostics, std::string_view text, const std::string& where);

/// --functions and --schema: stored functions and custom tables, shared by query, hunt, lint and test.
struct WorkspaceArgs {
  std::vector<std::string> functions;
  std::vector<std::string> schemas;
};
/// Adds --functions and --schema to a subcommand.
void AddWorkspaceOptions(CLI::App* command, WorkspaceArgs& args);
/// Loads the definitions; prints problems as warnings and returns nullopt only when a path does not exist.
std::optional<WorkspaceDefinitions> LoadWorkspace(const WorkspaceArgs& args);

/// Subcommand registration: each adds its options to `app` and sets `action` when it is chosen.
void AddQueryCommand(CLI::App& app, CommandAction& action);
void AddHuntCommand(CLI::App& app, CommandAction& action);
void AddLintCommand(CLI::App& app, CommandAction& action);
void AddTestCommand(CLI::App& app, CommandAction& action);
void AddSchemaCommand(CLI::App& app, CommandAction& action);
void AddConvertCommand(CLI::App& app, CommandAction& action);

}  // namespace kql::cli
