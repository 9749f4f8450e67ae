// Watchlists: CSV files registered as tables and read through `_GetWatchlist('name')` as in Sentinel: the columns
// _DTItemId, LastUpdatedTimeUTC, SearchKey (the configured key column, by default the first one) and WatchlistItem
// (the row as a bag), then the file's columns. A watchlist that is not registered reads as empty (binder). Not a general CSV import: see io/.
#pragma once
#include <optional>
#include <string>
#include <vector>
#include "rules/layer.h"

namespace kql {  // the public API
class Engine;
}  // namespace kql (the public API)

namespace kql::rules {

/// One watchlist: its name, CSV file and key column ("" = the first column).
struct WatchlistSpec {
  std::string name;
  std::string path;
  std::string search_key;
};

/// Parses a `--watchlist NAME=FILE.csv` argument; returns nullopt and sets `error` when malformed.
std::optional<WatchlistSpec> ParseWatchlistArgument(const std::string& text, std::string& error);

/// Registers the watchlist with the engine so that `_GetWatchlist('name')` reads it; returns problems.
std::vector<std::string> RegisterWatchlist(Engine& engine, const WatchlistSpec& spec);

/// True for the engine table names that hold watchlists (they are not telemetry: no hunt window applies).
bool IsWatchlistTable(const std::string& table_name);

}  // namespace kql::rules
