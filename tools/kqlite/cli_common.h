// CLI plumbing shared by the kqlite subcommands: data registration, clock parsing, reports on stderr.
#pragma once
#include <CLI/CLI.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "io/result_writer.h"
#include "kqlite/engine.h"
#include "rules/rule_test_runner.h"
#include "rules/workspace_definitions.h"
#include "rules/layer.h"

namespace kql::cli {

using namespace kql::rules;

/// Exit codes: 0 success, 1 findings (query/lint errors, failed tests, alerts with --fail-on-alerts),
/// 2 usage or input errors, 3 a hunt that hunted nothing (no rule ran, or the data given loaded no event),
/// 4 a resource limit (--max-memory, --timeout), 130 Ctrl-C.
/// docs/errors.md lists them.
inline constexpr int kExitFindings = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitNothingHunted = 3;
/// A resource limit stopped the query: --max-memory, --timeout, or the machine ran out of memory.
inline constexpr int kExitLimit = 4;
/// Stopped by Ctrl-C (SIGINT), as shells report it (128 + 2).
inline constexpr int kExitInterrupted = 130;

/// The action a parsed subcommand runs; set by the subcommand's callback.
using CommandAction = std::function<int()>;

/// Reads a whole file; `ok` tells whether it could be read.
std::string ReadFile(const std::string& path, bool& ok);
/// Finds the bundled demo data: $KQLITE_DEMO_DATA, ../share/kqlite/demo beside the binary, or (build folder) the
/// source tree's data/demo.
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
/// Parses a --max-memory size: bytes, or a number with K, M, G or T (binary units; "4G", "512M", "1.5GiB").
std::optional<uint64_t> ParseByteSize(const std::string& text);
/// Parses a --timeout: seconds, or a number with ms, s, m or h ("30", "90s", "5m", "500ms").
std::optional<std::chrono::milliseconds> ParseTimeout(const std::string& text);
/// The default --max-memory: 75% of the machine's physical memory (0 when it cannot be read: no limit).
uint64_t DefaultMaxMemory();
/// Parses --max-memory (empty: DefaultMaxMemory()) and --timeout (empty: none); prints the problem and returns
/// false when either is malformed.
bool ParseLimits(const std::string& max_memory_text, const std::string& timeout_text, uint64_t& max_memory,
                 std::optional<std::chrono::milliseconds>& timeout);
/// Installs a SIGINT handler that sets the returned flag (the query stops at its next chunk); a second Ctrl-C
/// kills the process as usual.
const std::atomic<bool>* InstallInterruptHandler();
/// Like InstallInterruptHandler, for SIGTERM too: the command stops, cleans up (drops what it made elsewhere) and
/// then calls ExitAfterStop.
const std::atomic<bool>* InstallStopHandler();
/// Ends a command stopped through InstallStopHandler's flag: after SIGTERM the process ends by that signal (as
/// if it had not caught it), after Ctrl-C this returns kExitInterrupted (130).
int ExitAfterStop();
/// The tables of a query result with their names: the one table (named "" unless the query names it), or every
/// table of a query that returns several (fork, facet) in order.
std::vector<std::pair<const std::string*, const Table*>> ResultTables(const QueryResult& result);
/// Writes a query's result to `out`: its one table as is, or each table of a query that returns several under a
/// `== <name> ==` heading, a blank line between them.
void WriteResultTables(const QueryResult& result, io::ResultFormat format, std::ostream& out,
                       const io::ResultWriteOptions& options);
/// The exit code and a stderr line for a failed query (limits, cancellation, errors).
int ReportQueryFailure(const QueryResult& result);
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
void AddLoadCommand(CLI::App& app, CommandAction& action);
/// Registers the tables of the ClickHouse server at `url` (tables of local data of the same name win) and returns
/// the back end for QueryOptions::backend; prints the problem and returns null when it cannot connect.
std::shared_ptr<const plan::PlanBackend> AttachClickHouse(Engine& engine, const std::string& url);
/// `kqlite test --clickhouse URL`: moves each case's tables into a scratch database on that server (created for
/// the case, dropped after it); prints the problem and returns null when the server cannot be reached.
rules::CaseTablesMover ClickHouseCaseTables(const std::string& url);
void AddServeCommand(CLI::App& app, CommandAction& action);
void AddShellCommand(CLI::App& app, CommandAction& action);

}  // namespace kql::cli
