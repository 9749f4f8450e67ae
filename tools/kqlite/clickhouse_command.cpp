// `kqlite load --clickhouse URL ...`: puts data files into ClickHouse tables; and the --clickhouse option of query
// and hunt, which registers the server's tables and lets the back end run what it can of each plan.
#include <chrono>
#include <iostream>
#include <set>

#include "cli_common.h"
#include "clickhouse/clickhouse_backend.h"
#include "clickhouse/table_loader.h"
#include "rules/layer.h"

namespace kql::cli {

using namespace kql::rules;
namespace {

struct LoadArgs {
  std::vector<std::string> urls, data, tables;
  std::string cluster;
  bool strict = false, show_bad_values = false;
};

std::shared_ptr<const clickhouse::HttpConnection> Connect(const std::string& url) {
  std::string error;
  clickhouse::ServerUrl parsed = clickhouse::ParseServerUrl(url, error);
  if (!error.empty()) {
    std::cerr << "kqlite: --clickhouse: " << error << "\n";
    return nullptr;
  }
  return std::make_shared<clickhouse::HttpConnection>(parsed);
}

int RunLoad(const LoadArgs& args) {
  if (args.data.empty() && args.tables.empty()) {
    std::cerr << "kqlite: load: nothing to load (give --data PATH or --table NAME=PATH)\n";
    return kExitUsage;
  }
  if (args.urls.size() > 1 && args.cluster.empty()) {
    std::cerr << "kqlite: load: several --clickhouse servers need --cluster NAME (their remote_servers cluster)\n";
    return kExitUsage;
  }
  clickhouse::LoadTarget target;
  target.cluster = args.cluster;
  for (const std::string& url : args.urls) {
    auto connection = Connect(url);
    if (!connection) return kExitUsage;
    target.servers.push_back(connection);
  }
  Engine engine;
  if (!RegisterData(engine, args.data, args.tables)) return kExitUsage;
  std::vector<std::string> table_names;
  for (const DataFileInfo& file : engine.DataFiles()) {
    if (std::find(table_names.begin(), table_names.end(), file.table) == table_names.end()) {
      table_names.push_back(file.table);
    }
  }
  std::map<std::string, ScanSummary> summaries;
  try {
    clickhouse::CreateDatabases(target);
    for (const std::string& name : table_names) {
      std::shared_ptr<const TableSource> source = engine.Source(name);
      if (!source) continue;
      auto start = std::chrono::steady_clock::now();
      clickhouse::CreateTable(target, name, source->schema());
      ScanStats stats;
      stats.strict = args.strict;
      uint64_t rows = clickhouse::InsertRows(target, name, *source, stats);
      if (stats.failed()) {
        std::cerr << "kqlite: error: " << name << ": " << stats.failure() << "\n";
        return kExitUsage;
      }
      double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      std::cerr << "kqlite: loaded " << rows << " rows into " << name << " on " << target.servers.front()->url().display
                << (target.cluster.empty() ? "" : " (Distributed over cluster " + target.cluster + ")") << " in "
                << seconds << " s\n";
      ScanSummary summary;
      summary.rows_read = stats.rows_read();
      summary.skipped_count = stats.skipped_count();
      summary.skipped = stats.skipped();
      summary.bad_values = stats.bad_values();
      source->ResolveLines(summary.skipped);
      summaries[name] = std::move(summary);
    }
  } catch (const clickhouse::ClickHouseError& error) {
    std::cerr << "kqlite: error: " << error.what() << "\n";
    return kExitUsage;
  }
  ReportSkipped(summaries, args.show_bad_values);
  return 0;
}

}  // namespace

std::shared_ptr<const plan::PlanBackend> AttachClickHouse(Engine& engine, const std::string& url) {
  auto connection = Connect(url);
  if (!connection) return nullptr;
  try {
    auto backend = std::make_shared<clickhouse::ClickHouseBackend>(connection);
    for (const auto& notice : backend->notices()) std::cerr << "kqlite: " << notice << "\n";
    for (const auto& source : backend->sources()) {
      // Local data registered under the same name wins; the server's table is used otherwise.
      if (!engine.Source(source->name())) engine.AddSource(source);
    }
    return backend;
  } catch (const clickhouse::ClickHouseError& error) {
    std::cerr << "kqlite: error: " << error.what() << "\n";
    return nullptr;
  }
}

void AddLoadCommand(CLI::App& app, CommandAction& action) {
  static LoadArgs args;
  CLI::App* load = app.add_subcommand("load", "Load data files into ClickHouse tables (see docs/clickhouse.md)");
  load->add_option("--clickhouse", args.urls,
                   "Server URL, like http://127.0.0.1:8123/?database=NAME (database created if absent); repeat for "
                   "each server of a --cluster")
      ->required()
      ->allow_extra_args(false);
  load->add_option("--cluster", args.cluster,
                   "remote_servers cluster of the servers: a MergeTree <table>_local on each and a Distributed "
                   "<table> over them, sharded by DeviceId where the table has one");
  load->add_option("--data", args.data, "Data file or folder (as for query); repeat for several")
      ->allow_extra_args(false);
  load->add_option("--table", args.tables, "NAME=PATH: read PATH as table NAME (repeatable)")->allow_extra_args(false);
  load->add_flag("--strict", args.strict, "Fail on the first malformed input record");
  load->add_flag("--show-bad-values", args.show_bad_values, "List each value that did not convert");
  load->callback([&action] { action = [] { return RunLoad(args); }; });
}

}  // namespace kql::cli
