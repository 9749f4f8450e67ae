// `kqlite schema`: the built-in tables and their columns, or (with --data) which data file became which table,
// with row counts and the effective columns.
#include <iostream>
#include <map>

#include "catalog/catalog.h"
#include "cli_common.h"
#include "types/value.h"
#include "rules/layer.h"

namespace kql::cli {

using namespace kql::rules;
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

// Lists each file with its table and how it was chosen, then each table with its row count and columns.
int RunDataSchema(const std::string& only_table, const std::vector<std::string>& data,
                  const std::vector<std::string>& tables, bool show_bad_values) {
  Engine engine;
  bool ok = RegisterData(engine, data, tables);
  std::map<std::string, size_t> file_counts;
  std::cout << "files:\n";
  for (const auto& file : engine.DataFiles()) {
    ++file_counts[file.table];
    std::cout << "  " << file.path << " -> " << file.table << " (" << file.match << ")\n";
  }
  std::cout << "tables:\n";
  int exit_code = ok ? 0 : kExitUsage;
  for (const auto& [name, files] : file_counts) {
    if (!only_table.empty() && name != only_table) continue;
    QueryOptions options;
    options.now_ticks = 0;
    QueryResult result = engine.Query("['" + name + "'] | count", options);
    std::cout << "  " << name << ": ";
    if (result.ok && result.table.RowCount() == 1) {
      std::string count = FormatGolden(result.table.Rows()[0][0]);
      std::cout << count << (count == "1" ? " row" : " rows");
    } else {
      std::cout << "? rows";
      exit_code = kExitUsage;
    }
    std::cout << " from " << files << " file" << (files == 1 ? "" : "s") << "\n";
    ReportSkipped(result.scans, show_bad_values);
    if (!result.error.empty()) std::cerr << "kqlite: error: " << result.error << "\n";
    if (!TablesThatLoadedNothing(engine, result.scans).empty()) exit_code = kExitUsage;
    if (const Schema* schema = engine.catalog().FindTable(name)) {
      for (const auto& column : *schema) std::cout << "    " << column.name << ":" << TypeName(column.type) << "\n";
    }
  }
  return exit_code;
}

/// Options of `kqlite schema`, alive for the whole program run.
struct SchemaArgs {
  std::string table;
  std::vector<std::string> data, tables;
  bool show_bad_values = false;
};

}  // namespace

void AddSchemaCommand(CLI::App& app, CommandAction& action) {
  static SchemaArgs args;
  CLI::App* schema = app.add_subcommand(
      "schema", "List the built-in tables, one table's columns, or (with --data) which file became which table");
  schema->add_option("table", args.table, "Table name");
  schema->add_option("--data", args.data, "Data file or folder: show each file's table, row counts and columns");
  schema->add_option("--table", args.tables, "NAME=PATH: read PATH as table NAME (PATH - reads standard input)");
  schema->add_flag("--show-bad-values", args.show_bad_values, "List each value that did not convert");
  schema->callback([&action] {
    action = [] {
      if (args.data.empty() && args.tables.empty()) return RunSchema(args.table);
      return RunDataSchema(args.table, args.data, args.tables, args.show_bad_values);
    };
  });
}

}  // namespace kql::cli
