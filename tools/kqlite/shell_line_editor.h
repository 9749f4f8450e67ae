// The shell's line editor: libedit (readline-compatible API) with history kept in a file and tab completion, or
// plain line reads when standard input is not a terminal (a script). Ctrl-C at a prompt discards the line being
// typed.
#pragma once
#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kql::cli {

/// Computes completions: (line so far, start of the word, the word) -> candidates.
using CompletionFunction = std::function<std::vector<std::string>(std::string_view, size_t, std::string_view)>;

/// Set by the shell's SIGINT handler: cancels the running query (QueryOptions::cancel) or the line at a prompt.
std::atomic<bool>& ShellInterruptFlag();
/// Installs the shell's SIGINT handler (every Ctrl-C sets ShellInterruptFlag(); none ends the process).
void InstallShellInterruptHandler();

/// The history file: $XDG_STATE_HOME/kqlite/history, else ~/.local/state/kqlite/history ("" without a home).
std::string ShellHistoryPath();

/// Reads lines interactively (readline) or from a script on standard input.
class LineEditor {
 public:
  /// `interactive`: use readline, load the history file and complete with `complete`.
  LineEditor(bool interactive, CompletionFunction complete);
  /// Saves the history (interactive only).
  ~LineEditor();
  LineEditor(const LineEditor&) = delete;
  LineEditor& operator=(const LineEditor&) = delete;

  /// Reads one line (showing `prompt` when interactive); nullopt at the end of input. `cancelled` is set when
  /// Ctrl-C discarded the line (the shell then forgets the query being typed).
  std::optional<std::string> ReadLine(const std::string& prompt, bool& cancelled);
  /// Adds a typed line to the history.
  void AddHistory(const std::string& line);
  bool interactive() const { return interactive_; }

 private:
  bool interactive_;
  std::string history_path_;
};

}  // namespace kql::cli
