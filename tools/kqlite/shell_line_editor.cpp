// libedit's readline-compatible API behind LineEditor: the completion callback, the Ctrl-C hook and the history
// file.
#include "shell_line_editor.h"

#include <editline/readline.h>

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>

namespace kql::cli {

namespace {

/// Lines the history file keeps.
constexpr int kHistoryLines = 2000;

std::atomic<bool> shell_interrupted{false};
/// The completion function of the live LineEditor (readline's callbacks are plain functions).
CompletionFunction* active_completion = nullptr;

void OnShellInterrupt(int) { shell_interrupted.store(true); }

/// readline's key reader: one byte from the terminal; when Ctrl-C interrupts the read, it shows "^C", leaves the
/// line as typed and returns Enter, so readline returns at once (ReadLine then reports the line as cancelled).
int ReadKey(FILE* stream) {
  for (;;) {
    unsigned char key = 0;
    ssize_t count = read(fileno(stream), &key, 1);
    if (count == 1) return key;
    if (count == 0) return EOF;
    if (errno != EINTR) return EOF;
    if (shell_interrupted.load()) {
      std::fputs("^C", rl_outstream ? rl_outstream : stdout);
      std::fflush(rl_outstream ? rl_outstream : stdout);
      return '\n';
    }
  }
}

char* DuplicateForReadline(const std::string& text) {
  char* copy = static_cast<char*>(std::malloc(text.size() + 1));
  if (copy) std::memcpy(copy, text.c_str(), text.size() + 1);
  return copy;
}

/// readline's attempted-completion callback: our candidates (file names after `.load`).
char** Complete(const char* text, int start, int end) {
  if (!active_completion) return nullptr;
  std::string_view line(rl_line_buffer, static_cast<size_t>(rl_end));
  std::string_view word(text);
  std::vector<std::string> candidates =
      (*active_completion)(line.substr(0, static_cast<size_t>(end)), static_cast<size_t>(start), word);
  // Nothing else completes, not even file names (the completion function lists them after `.load`).
  rl_attempted_completion_over = 1;
  if (candidates.empty()) return nullptr;
  // readline's array: [0] the longest common prefix, then the candidates, then null.
  std::string common = candidates.front();
  for (const auto& candidate : candidates) {
    size_t i = 0;
    while (i < common.size() && i < candidate.size() &&
           std::tolower(static_cast<unsigned char>(common[i])) == std::tolower(static_cast<unsigned char>(candidate[i])))
      ++i;
    common.resize(i);
  }
  if (common.size() < word.size()) common = std::string(word);
  // Two null entries at the end: libedit reads matches[2] to tell a single match (then it appends a space).
  auto** matches = static_cast<char**>(std::malloc((candidates.size() + 3) * sizeof(char*)));
  if (!matches) return nullptr;
  matches[0] = DuplicateForReadline(candidates.size() == 1 ? candidates.front() : common);
  size_t count = 1;
  if (candidates.size() > 1) {
    for (const auto& candidate : candidates) matches[count++] = DuplicateForReadline(candidate);
  }
  matches[count] = nullptr;
  matches[count + 1] = nullptr;
  // A function name ends in "(" and a folder in "/": no space after them.
  const bool open_end =
      candidates.size() == 1 && (candidates.front().ends_with("(") || candidates.front().ends_with("/"));
  rl_completion_append_character = open_end ? '\0' : ' ';
  return matches;
}

}  // namespace

std::atomic<bool>& ShellInterruptFlag() { return shell_interrupted; }

void InstallShellInterruptHandler() {
  struct sigaction action {};
  action.sa_handler = OnShellInterrupt;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // No SA_RESTART: a read at the prompt returns so readline's signal hook runs.
  sigaction(SIGINT, &action, nullptr);
}

std::string ShellHistoryPath() {
  const char* state = std::getenv("XDG_STATE_HOME");
  if (state && *state) return std::string(state) + "/kqlite/history";
  const char* home = std::getenv("HOME");
  if (home && *home) return std::string(home) + "/.local/state/kqlite/history";
  return "";
}

LineEditor::LineEditor(bool interactive, CompletionFunction complete) : interactive_(interactive) {
  if (!interactive_) return;
  static CompletionFunction completion;
  completion = std::move(complete);
  active_completion = &completion;
  rl_readline_name = "kqlite";
  rl_attempted_completion_function = Complete;
  // Word breaks: not '-' (mv-expand, project-away) and not '.' (dot-commands).
  rl_basic_word_break_characters = const_cast<char*>(" \t\n\"'`@$><=;|&{(,)}[]!~+*/%");
  // Our SIGINT handler stays in place at the prompt; ReadKey turns the interrupted read into a cancelled line.
  rl_catch_signals = 0;
  rl_getc_function = ReadKey;
  rl_variable_bind("completion-ignore-case", "on");
  history_path_ = ShellHistoryPath();
  if (!history_path_.empty()) {
    std::error_code error;
    std::filesystem::create_directories(std::filesystem::path(history_path_).parent_path(), error);
    // The file is plain text, one entry per line, read and written here (libedit's own history file encodes
    // blanks and needs a header line).
    std::ifstream file(history_path_);
    std::string line;
    while (std::getline(file, line)) {
      if (!line.empty()) add_history(line.c_str());
    }
  }
}

LineEditor::~LineEditor() {
  if (!interactive_) return;
  active_completion = nullptr;
  if (history_path_.empty()) return;
  std::ofstream file(history_path_, std::ios::trunc);
  const int first = std::max(0, history_length - kHistoryLines);
  for (int index = first; index < history_length; ++index) {
    const HIST_ENTRY* entry = history_get(history_base + index);
    if (entry && entry->line) file << entry->line << "\n";
  }
}

std::optional<std::string> LineEditor::ReadLine(const std::string& prompt, bool& cancelled) {
  cancelled = false;
  if (!interactive_) {
    std::string line;
    if (!std::getline(std::cin, line)) return std::nullopt;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
  }
  shell_interrupted.store(false);
  char* raw = readline(prompt.c_str());
  if (shell_interrupted.exchange(false)) {
    std::free(raw);
    cancelled = true;
    return std::string();
  }
  if (!raw) return std::nullopt;
  std::string line(raw);
  std::free(raw);
  return line;
}

void LineEditor::AddHistory(const std::string& line) {
  if (!interactive_ || line.find_first_not_of(" \t") == std::string::npos) return;
  HIST_ENTRY* last = history_length > 0 ? history_get(history_base + history_length - 1) : nullptr;
  if (!last || line != last->line) add_history(line.c_str());
}

}  // namespace kql::cli
