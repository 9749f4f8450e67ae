#include "rules/watchlist.h"

#include <chrono>
#include <filesystem>

#include "binder/binder.h"
#include "catalog/catalog.h"
#include "kqlite/engine.h"
#include "rules/layer.h"

namespace kql::rules {
namespace {

/// The raw CSV is registered under its own name; the watchlist table adds SearchKey to it.
std::string RawTableName(const std::string& name) { return "_WatchlistFile_" + name; }

std::string QuoteName(const std::string& name) {
  std::string out = "['";
  for (char c : name) {
    if (c == '\'' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "']";
}

}  // namespace

std::optional<WatchlistSpec> ParseWatchlistArgument(const std::string& text, std::string& error) {
  size_t equals = text.find('=');
  if (equals == std::string::npos || equals == 0 || equals + 1 == text.size()) {
    error = "--watchlist expects NAME=FILE.csv, got: " + text;
    return std::nullopt;
  }
  WatchlistSpec spec;
  spec.name = text.substr(0, equals);
  spec.path = text.substr(equals + 1);
  return spec;
}

std::vector<std::string> RegisterWatchlist(Engine& engine, const WatchlistSpec& spec) {
  std::vector<std::string> problems;
  std::error_code error;
  if (!std::filesystem::is_regular_file(spec.path, error)) {
    problems.push_back("watchlist '" + spec.name + "': cannot read " + spec.path);
    return problems;
  }
  const std::string raw = RawTableName(spec.name);
  for (auto& problem : engine.AddData(spec.path, raw)) problems.push_back("watchlist '" + spec.name + "': " + problem);
  const Schema* schema = engine.catalog().FindTable(raw);
  if (schema == nullptr || schema->empty()) {
    problems.push_back("watchlist '" + spec.name + "': no columns in " + spec.path);
    return problems;
  }
  std::string key = spec.search_key.empty() ? (*schema)[0].name : spec.search_key;
  if (!FindColumn(*schema, key)) {
    problems.push_back("watchlist '" + spec.name + "': no column '" + key + "' for SearchKey in " + spec.path);
    return problems;
  }
  QueryOptions options;
  options.now_ticks = 0;
  options.threads = 1;
  // Sentinel's shape: _DTItemId, LastUpdatedTimeUTC, SearchKey, WatchlistItem (the row as a bag), then the item's
  // columns. Item ids are the row numbers and the update time is the file's modification time.
  const auto modified = std::chrono::file_clock::to_sys(std::filesystem::last_write_time(spec.path, error));
  const int64_t seconds =
      error ? 0 : std::chrono::duration_cast<std::chrono::seconds>(modified.time_since_epoch()).count();
  std::string item = "bag_pack(";
  for (size_t index = 0; index < schema->size(); ++index) {
    const std::string quoted = QuoteName((*schema)[index].name);  // ['name']: the string literal is inside.
    item += (index ? ", " : "") + quoted.substr(1, quoted.size() - 2) + ", " + quoted;
  }
  item += ")";
  QueryResult result = engine.Query(
      QuoteName(raw) + " | extend WatchlistItem = " + item + " | serialize _DTItemId = tostring(row_number())" +
          " | extend LastUpdatedTimeUTC = unixtime_seconds_todatetime(" + std::to_string(seconds) + ")" +
          ", SearchKey = tostring(" + QuoteName(key) + ")" +
          " | project-reorder _DTItemId, LastUpdatedTimeUTC, SearchKey, WatchlistItem",
      options);
  if (!result.ok) {
    problems.push_back("watchlist '" + spec.name + "': " +
                       (result.error.empty() && !result.diagnostics.empty() ? result.diagnostics[0].message
                                                                            : result.error));
    return problems;
  }
  engine.AddTable(WatchlistTableName(spec.name), std::make_shared<const Table>(std::move(result.table)));
  return problems;
}

bool IsWatchlistTable(const std::string& table_name) { return table_name.rfind("_Watchlist", 0) == 0; }

}  // namespace kql::rules
