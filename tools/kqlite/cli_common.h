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
/// Finds the bundled demo data: $KQLITE_DEMO_DATA, ../share/kqlite/demo beside the binary, or (build folder) the
/// source tree's data/demo.
std::string DemoDataPath();
/// Registers --data and --table inputs; prints problems and returns false when any input was unusable.
bool RegisterData(Engine& engine, const std::vector<std::string>& data, const std::vector<std::string>& tables);
/// Parses a --now datetime.
std::optional<int64_t> ParseNow(const std::string& text);
/// Prints the skipped-records report (file:line:col: reason) to stderr.
void ReportSkipped(const std::map<std::string, ScanSummary>& scans);
/// Prints diagnostics with carets to stderr.
void PrintDiagnostics(const std::vector<Diagnostic>& diagnostics, std::string_view text, const std::string& where);

/// The terminal's width for the table format: stdout's (TIOCGWINSZ) when it is a terminal, else $COLUMNS, else 0
/// (unlimited). `is_terminal` tells whether stdout is a terminal.
size_t OutputColumns(bool& is_terminal);

/// Subcommand registration: each adds its options to `app` and sets `action` when it is chosen.
void AddQueryCommand(CLI::App& app, CommandAction& action);
void AddHuntCommand(CLI::App& app, CommandAction& action);
void AddLintCommand(CLI::App& app, CommandAction& action);
void AddTestCommand(CLI::App& app, CommandAction& action);
void AddSchemaCommand(CLI::App& app, CommandAction& action);
void AddConvertCommand(CLI::App& app, CommandAction& action);

}  // namespace kql::cli
