// `kqlite load --clickhouse URL ...`: puts data files into ClickHouse tables; the --clickhouse option of query
// and hunt, which registers the server's tables and lets the back end run what it can of each plan; and the one of
// test, which moves each case's tables into a scratch database on the server for the case.
#include <atomic>
#include <chrono>
#include <iostream>
#include <set>

#include "cli_common.h"
#include "clickhouse/clickhouse_backend.h"
#include "clickhouse/scratch_database.h"
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

namespace {

// One case's scratch database: created with the case's tables, dropped when the case ends.
class ScratchDatabase : public rules::CaseTables {
 public:
  explicit ScratchDatabase(std::shared_ptr<const clickhouse::HttpConnection> connection)
      : connection_(std::move(connection)) {}
  ~ScratchDatabase() override {
    try {
      connection_->Execute("DROP DATABASE IF EXISTS " + clickhouse::QuoteIdentifier(connection_->url().database), "",
                           false);
    } catch (const clickhouse::ClickHouseError& error) {
      std::cerr << "kqlite: warning: " << error.what() << "\n";
    }
  }
  std::shared_ptr<const plan::PlanBackend> backend() const override { return backend_; }
  void set_backend(std::shared_ptr<const plan::PlanBackend> backend) { backend_ = std::move(backend); }

 private:
  std::shared_ptr<const clickhouse::HttpConnection> connection_;
  std::shared_ptr<const plan::PlanBackend> backend_;
};

}  // namespace

rules::CaseTablesMover ClickHouseCaseTables(const std::string& url) {
  auto server = Connect(url);
  if (!server) return nullptr;
  try {
    server->Version();
  } catch (const clickhouse::ClickHouseError& error) {
    std::cerr << "kqlite: error: " << error.what() << "\n";
    return nullptr;
  }
  // Databases of earlier runs on this host that were killed before they could drop them.
  try {
    std::vector<std::string> dropped = clickhouse::DropEndedScratchDatabases(*server);
    if (!dropped.empty()) {
      std::cerr << "kqlite: dropped " << dropped.size() << " stale scratch database(s) of ended runs:";
      for (const std::string& name : dropped) std::cerr << " " << name;
      std::cerr << "\n";
    }
  } catch (const clickhouse::ClickHouseError& error) {
    std::cerr << "kqlite: warning: stale scratch databases not dropped: " << error.what() << "\n";
  }
  clickhouse::ServerUrl base = server->url();
  const clickhouse::ScratchOwner owner = clickhouse::CurrentScratchOwner();
  return [base, owner](Engine& engine, std::string& error) -> std::unique_ptr<rules::CaseTables> {
    // Cases run on several threads and several `kqlite test` runs may share a server: the host, pid, start time
    // and a counter name the database.
    static std::atomic<uint64_t> next_case{0};
    clickhouse::ServerUrl scratch_url = base;
    scratch_url.database = clickhouse::ScratchDatabaseName(owner, next_case++);
    scratch_url.display = base.endpoint + "?database=" + scratch_url.database;
    auto connection = std::make_shared<clickhouse::HttpConnection>(scratch_url);
    clickhouse::LoadTarget target;
    target.servers.push_back(connection);
    try {
      clickhouse::CreateDatabases(target);
      auto scratch = std::make_unique<ScratchDatabase>(connection);
      for (const std::string& name : engine.TableNames()) {
        std::shared_ptr<const TableSource> source = engine.Source(name);
        if (!source) continue;
        clickhouse::CreateTable(target, name, source->schema());
        ScanStats stats;
        stats.strict = true;
        clickhouse::InsertRows(target, name, *source, stats);
        if (stats.failed()) {
          error = name + ": " + stats.failure();
          return nullptr;
        }
      }
      auto backend = std::make_shared<clickhouse::ClickHouseBackend>(connection);
      for (const std::string& notice : backend->notices()) {
        error = notice;
        return nullptr;
      }
      for (const auto& source : backend->sources()) engine.AddSource(source);
      scratch->set_backend(backend);
      return scratch;
    } catch (const clickhouse::ClickHouseError& failure) {
      error = failure.what();
      return nullptr;
    }
  };
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
