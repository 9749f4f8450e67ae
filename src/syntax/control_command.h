// Control commands that define workspace entities: `.create table T (a:string, ...)` and
// `.create[-or-alter] function [with (...)] Name(params) { body }`, several per text. This reads them into raw
// pieces (names, schema text, parameter text, body text) for the catalog; it neither runs nor binds anything.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>
#include "syntax/layer.h"

namespace kql::syntax {

/// One table or function definition found in control-command text.
struct ControlDefinition {
  enum class Kind { kTable, kFunction };
  Kind kind = Kind::kTable;
  std::string name;
  std::string schema;      ///< kTable: "(a:string, b:long)" as written.
  std::string parameters;  ///< kFunction: "(a:string, T:(*))" as written, defaults included.
  std::string body;        ///< kFunction: the text between the braces.
  uint32_t line = 1;       ///< Line of the command's leading dot.
  uint32_t body_line = 1;  ///< kFunction: line of the opening brace.
};

/// A problem in control-command text: a command that is malformed or not a table/function definition.
struct ControlCommandProblem {
  uint32_t line = 1;
  std::string message;
};

/// The definitions and problems of one text.
struct ControlCommandSet {
  std::vector<ControlDefinition> definitions;
  std::vector<ControlCommandProblem> problems;
};

/// Reads every `.create`/`.alter`/`.create-or-alter`/`.create-merge` table(s) and function command of the text.
/// Commands start with a dot at the beginning of a line; `//` comments and blank lines between them are skipped.
ControlCommandSet ParseControlCommands(std::string_view text);

}  // namespace kql::syntax
