// Catalog: the table schemas a query can bind against — the built-in Defender / Log Analytics tables (shared by
// every catalog; each schema parsed from generated data on its first lookup) plus tables registered at run time,
// which override built-ins of the same name — and the workspace's stored functions (their text; the binder parses
// and inlines them).
// It holds schemas and definitions only, never data.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "types/schema.h"
#include "catalog/layer.h"

namespace kql::catalog {

/// A stored (workspace) function: `.create function Name(params) { body }` or a Sentinel parser YAML.
struct StoredFunction {
  std::string name;
  std::string parameters;  ///< "(a:string, b:dynamic=dynamic([]), T:(*))" as written; "()" when none.
  std::string body;        ///< The body without its braces: `let` statements, then the result expression.
  std::string origin;      ///< Where it was defined ("file.kql"), for diagnostics.
  uint32_t body_line = 1;  ///< Line of `origin` where the body starts.
};

/// Resolves table names to schemas. Table names are case-sensitive, as in KQL.
class Catalog {
 public:
  /// Creates a catalog; `with_builtin_tables` decides whether the Defender / Log Analytics tables are visible.
  explicit Catalog(bool with_builtin_tables = true);

  /// Registers (or replaces) a table; it takes precedence over a built-in table of the same name.
  void AddTable(std::string name, Schema schema);
  /// Returns the table's schema, or nullptr when no table has exactly this name.
  const Schema* FindTable(std::string_view name) const;
  /// Registers (or replaces) a stored function under `name` (an alias may register the same definition twice).
  void AddFunction(std::string name, StoredFunction function);
  /// Returns the stored function, or nullptr when none has exactly this name.
  const StoredFunction* FindFunction(std::string_view name) const;
  /// Names of the stored functions, sorted.
  std::vector<std::string> FunctionNames() const;
  /// All table names (registered and built-in), sorted.
  std::vector<std::string> TableNames() const;
  /// Suggests a known table for a misspelt name: a case-insensitive match first, then the nearest by edit
  /// distance (at most a third of the name's length). Returns nullopt when nothing is close.
  std::optional<std::string> SuggestTable(std::string_view name) const;

 private:
  bool with_builtin_tables_;
  std::map<std::string, Schema, std::less<>> registered_;
  std::map<std::string, StoredFunction, std::less<>> functions_;
};

/// Levenshtein distance between two strings, ignoring ASCII case when `ignore_case` is set.
size_t EditDistance(std::string_view left, std::string_view right, bool ignore_case);

/// Returns the candidate closest to `name`: an exact case-insensitive match first, then the smallest edit distance
/// within max(1, len/3). Used for "did you mean" in catalog and binder.
std::optional<std::string> SuggestName(std::string_view name, const std::vector<std::string>& candidates);

}  // namespace kql::catalog
