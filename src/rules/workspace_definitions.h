// Workspace definitions: what a Sentinel workspace has besides built-in tables — custom table schemas
// (`--schema`) and stored functions such as the ASIM parsers (`--functions`). Loaded once from files, then
// applied to every engine that runs queries (one per query, hunt or rule test case).
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "catalog/catalog.h"
#include "types/schema.h"
#include "rules/layer.h"

namespace kql {  // the public API
class Engine;
}  // namespace kql (the public API)

namespace kql::rules {

/// Custom tables and stored functions read from files.
struct WorkspaceDefinitions {
  std::vector<std::pair<std::string, Schema>> tables;
  /// Each function under every name it answers to (Sentinel parsers have aliases).
  std::vector<std::pair<std::string, StoredFunction>> functions;

  /// Declares the tables and registers the functions in an engine.
  void ApplyTo(Engine& engine) const;
  bool empty() const { return tables.empty() && functions.empty(); }
};

/// Reads stored functions from a file or folder (recursively): `.kql`/`.csl` files of `.create[-or-alter] function`
/// commands, Sentinel parser YAML (`ParserName`/`EquivalentBuiltInParser`/`ParserParams`/`ParserQuery`, or
/// `FunctionName`/`FunctionAlias`/`FunctionParams`/`FunctionQuery`), and `.json` files in the schema format.
/// Returns problems as "path:line: message"; definitions that load are kept even when others fail.
std::vector<std::string> LoadFunctionDefinitions(const std::string& path, WorkspaceDefinitions& definitions);

/// Reads custom table schemas from a file or folder: `.kql`/`.csl` files of `.create table T (col:type, ...)`
/// commands, or `.json` files `{"tables": {"T": {"col": "type"} or "(col:type, ...)"}, "functions": {"F":
/// {"params": "(x:string)", "body": "{ ... }"}}}` (the format of ../shared/tools/kqlcheck.js --schema).
std::vector<std::string> LoadSchemaDefinitions(const std::string& path, WorkspaceDefinitions& definitions);

}  // namespace kql::rules
