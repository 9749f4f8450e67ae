// `kqlite schema`: the built-in tables and their columns.
#include <iostream>

#include "catalog/catalog.h"
#include "cli_common.h"

namespace kql::cli {
namespace {

int RunSchema(const std::string& table) {
  Engine engine;
  const Catalog& catalog = engine.catalog();
  if (table.empty()) {
    for (const auto& name : catalog.TableNames()) std::cout << name << "\n";
    return 0;
  }
  const Schema* schema = catalog.FindTable(table);
  if (!schema) {
    std::cerr << "kqlite: unknown table " << table;
    if (auto suggestion = catalog.SuggestTable(table)) std::cerr << " (did you mean '" << *suggestion << "'?)";
    std::cerr << "\n";
    return kExitFindings;
  }
  for (const auto& column : *schema) std::cout << column.name << ":" << TypeName(column.type) << "\n";
  return 0;
}

}  // namespace

void AddSchemaCommand(CLI::App& app, CommandAction& action) {
  static std::string table;
  CLI::App* schema = app.add_subcommand("schema", "List the built-in tables, or one table's columns");
  schema->add_option("table", table, "Table name");
  schema->callback([&action] { action = [] { return RunSchema(table); }; });
}

}  // namespace kql::cli
