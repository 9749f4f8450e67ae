// Tab completion for `kqlite shell`: which words fit where the cursor is (tables, columns, functions, operators,
// dot-commands), computed from the engine's catalog and the loaded data. The line editor only displays them.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "kqlite/engine.h"

namespace kql::cli {

/// The dot-commands of the shell, for completion and `.help`.
struct DotCommandInfo {
  std::string_view name;       ///< ".schema"
  std::string_view arguments;  ///< "[TABLE]"
  std::string_view help;
};
/// Every dot-command, in `.help` order.
const std::vector<DotCommandInfo>& DotCommands();

/// What completes `word`, the text from `start` to the cursor in `line`; `pending` is the query text typed on the
/// lines before (their tables make their columns candidates). Sorted, without duplicates; after `.load`, the
/// FileNameCandidates.
std::vector<std::string> CompletionCandidates(const Engine& engine, std::string_view pending, std::string_view line,
                                              size_t start, std::string_view word);

/// The files and folders (with a '/') that complete `path` (relative to the working folder unless absolute), as
/// replacements of `word`, its tail after the line editor's last word break (which breaks at '/' and blanks).
std::vector<std::string> FileNameCandidates(std::string_view path, std::string_view word);

/// True when the candidates are file names, not words (`.load PATH`).
bool CompletesFileNames(std::string_view line, size_t start);

}  // namespace kql::cli
