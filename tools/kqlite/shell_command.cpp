// `kqlite shell`: an interactive KQL prompt over loaded data (line editing, history, completion, dot-commands),
// or, when standard input is not a terminal, a script runner over the same rules (docs/shell.md).
#include <unistd.h>

#include <iostream>

#include "cli_common.h"
#include "shell_completion.h"
#include "shell_line_editor.h"
#include "shell_query_end.h"
#include "shell_session.h"

namespace kql::cli {

namespace {

/// Options of `kqlite shell`, alive for the whole program run.
struct ShellArgs {
  std::vector<std::string> data, tables;
  std::string now_text, format = "table", max_memory;
  int threads = 0;
  bool timing = false;
  WorkspaceArgs workspace;
};

constexpr const char* kPrompt = "kql> ";
constexpr const char* kContinuationPrompt = "...> ";

bool IsBlank(std::string_view line) { return line.find_first_not_of(" \t\r") == std::string_view::npos; }

int RunShell(const ShellArgs& args) {
  const bool interactive = isatty(STDIN_FILENO) != 0;
  ShellSettings settings;
  settings.threads = args.threads;
  settings.timing = args.timing;
  settings.max_memory_bytes = DefaultMaxMemory();
  if (!args.max_memory.empty()) {
    std::optional<uint64_t> bytes = ParseByteSize(args.max_memory);
    if (!bytes) {
      std::cerr << "kqlite: --max-memory: not a size (like 512M or 4G): " << args.max_memory << "\n";
      return kExitUsage;
    }
    settings.max_memory_bytes = *bytes;
  }
  settings.format = *io::ParseResultFormat(args.format);
  std::optional<WorkspaceDefinitions> workspace = LoadWorkspace(args.workspace);
  if (!workspace) return kExitUsage;
  Engine engine;
  workspace->ApplyTo(engine);
  if (!RegisterData(engine, args.data, args.tables) || !RegisterExternalData(engine)) return kExitUsage;
  std::atomic<bool>* cancel = nullptr;
  if (interactive) {
    InstallShellInterruptHandler();
    cancel = &ShellInterruptFlag();
  } else {
    // A script: the first Ctrl-C cancels the running query and stops the script, a second ends the process.
    cancel = const_cast<std::atomic<bool>*>(InstallInterruptHandler());
  }
  ShellSession session(engine, settings, *cancel);
  if (!args.now_text.empty() && !session.RunDotCommand(".now " + args.now_text)) return kExitUsage;
  // The lines of the query typed so far; completion sees them (the tables they name give the columns).
  std::string pending;
  LineEditor editor(interactive, [&engine, &pending](std::string_view line, size_t start, std::string_view word) {
    return CompletionCandidates(engine, pending, line, start, word);
  });
  if (interactive) {
    std::cout << "kqlite shell: " << engine.TableNames().size() << " table(s) loaded. A query runs at an empty line "
              << "or a ';' ending it; .help for commands, Ctrl-D to leave.\n";
  }
  bool all_ok = true;
  while (!session.quit()) {
    bool cancelled = false;
    std::optional<std::string> line = editor.ReadLine(pending.empty() ? kPrompt : kContinuationPrompt, cancelled);
    if (cancelled) {
      pending.clear();
      continue;
    }
    if (!line) break;
    if (pending.empty()) {
      if (IsBlank(*line)) continue;
      size_t first = line->find_first_not_of(" \t");
      if ((*line)[first] == '.') {
        editor.AddHistory(*line);
        all_ok = session.RunDotCommand(*line) && all_ok;
        continue;
      }
      if (line->compare(first, 2, "//") == 0 && !interactive) continue;  // A comment line between script queries.
    }
    editor.AddHistory(*line);
    if (IsBlank(*line)) {
      std::string_view query = QueryToRun(pending);
      if (!query.empty()) all_ok = session.RunQuery(query) && all_ok;
      pending.clear();
      if (!interactive && cancel->load()) return kExitInterrupted;
      continue;
    }
    pending += *line;
    pending += '\n';
    if (SemicolonEndsQuery(pending)) {
      std::string_view query = QueryToRun(pending);
      if (!query.empty()) all_ok = session.RunQuery(query) && all_ok;
      pending.clear();
      if (!interactive && cancel->load()) return kExitInterrupted;
    }
  }
  if (!session.quit() && !IsBlank(pending)) {
    // The end of a script (or Ctrl-D) runs the query typed so far.
    std::string_view query = QueryToRun(pending);
    if (!query.empty()) all_ok = session.RunQuery(query) && all_ok;
  }
  if (interactive) {
    if (!session.quit()) std::cout << "\n";  // Ctrl-D leaves the cursor after the prompt.
    return 0;  // Each failure was shown where it happened.
  }
  return all_ok ? 0 : kExitFindings;
}

}  // namespace

void AddShellCommand(CLI::App& app, CommandAction& action) {
  static ShellArgs args;
  CLI::App* shell = app.add_subcommand(
      "shell", "Interactive KQL shell over data files (history, completion, dot-commands); reads a script of "
               "queries when standard input is not a terminal");
  shell->add_option("--data", args.data, "Data file or folder to load (repeatable)")->allow_extra_args(false);
  shell->add_option("--table", args.tables, "NAME=PATH: read PATH as table NAME (repeatable)")
      ->allow_extra_args(false);
  shell->add_option("--now", args.now_text, "Pin now() / ago(): a UTC datetime or 'latest' (default: the clock)");
  shell->add_option("--format", args.format, "Output format: table, csv, jsonl, json (.format changes it)")
      ->check(CLI::IsMember({"table", "csv", "jsonl", "json"}));
  shell->add_option("--threads", args.threads, "Worker threads (default: all cores)");
  shell->add_option("--max-memory", args.max_memory, "Memory a query may materialise, like 512M or 4G");
  shell->add_flag("--timing", args.timing, "Print each query's run time (.timing on|off changes it)");
  AddWorkspaceOptions(shell, args.workspace);
  AddExternalDataOption(shell);
  shell->callback([&action] { action = [] { return RunShell(args); }; });
}

}  // namespace kql::cli
