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

#include "kqlite/engine.h"

namespace kql::cli {

/// Exit codes: 0 success, 1 findings (query/lint errors, failed tests, alerts with --fail-on-alerts),
/// 2 usage or input errors.
inline constexpr int kExitFindings = 1;
inline constexpr int kExitUsage = 2;
/// A resource limit stopped the query: --max-memory, --timeout, or the machine ran out of memory.
inline constexpr int kExitLimit = 3;
/// Stopped by Ctrl-C (SIGINT), as shells report it (128 + 2).
inline constexpr int kExitInterrupted = 130;

/// The action a parsed subcommand runs; set by the subcommand's callback.
using CommandAction = std::function<int()>;

/// Reads a whole file; `ok` tells whether it could be read.
std::string ReadFile(const std::string& path, bool& ok);
/// Finds the bundled demo data: $KQLITE_DEMO_DATA, next to the binary, or in the source tree.
std::string DemoDataPath();
/// Registers --data and --table inputs; prints problems and returns false when any input was unusable.
bool RegisterData(Engine& engine, const std::vector<std::string>& data, const std::vector<std::string>& tables);
/// Parses a --now datetime.
std::optional<int64_t> ParseNow(const std::string& text);
/// Prints the skipped-records report (file:line:col: reason) to stderr.
void ReportSkipped(const std::map<std::string, ScanSummary>& scans);
/// Prints diagnostics with carets to stderr.
void PrintDiagnostics(const std::vector<Diagnostic>& diagnostics, std::string_view text, const std::string& where);

/// Parses a --max-memory size: bytes, or a number with K, M, G or T (binary units; "4G", "512M", "1.5GiB").
std::optional<uint64_t> ParseByteSize(const std::string& text);
/// Parses a --timeout: seconds, or a number with ms, s, m or h ("30", "90s", "5m", "500ms").
std::optional<std::chrono::milliseconds> ParseTimeout(const std::string& text);
/// The default --max-memory: 75% of the machine's physical memory (0 when it cannot be read: no limit).
uint64_t DefaultMaxMemory();
/// Installs a SIGINT handler that sets the returned flag (the query stops at its next chunk); a second Ctrl-C
/// kills the process as usual.
const std::atomic<bool>* InstallInterruptHandler();
/// The exit code and a stderr line for a failed query (limits, cancellation, errors).
int ReportQueryFailure(const QueryResult& result);

/// Subcommand registration: each adds its options to `app` and sets `action` when it is chosen.
void AddQueryCommand(CLI::App& app, CommandAction& action);
void AddHuntCommand(CLI::App& app, CommandAction& action);
void AddLintCommand(CLI::App& app, CommandAction& action);
void AddTestCommand(CLI::App& app, CommandAction& action);
void AddSchemaCommand(CLI::App& app, CommandAction& action);

}  // namespace kql::cli
