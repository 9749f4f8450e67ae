// Scratch databases of `kqlite test --clickhouse` (one per test case) are named after the run that owns them —
// kqlite_test_<host>_<pid>_<unix time>_<n> — so that a later run can tell the database of a run that ended without
// dropping it (killed outright) from one a live run is still using, and drop only the former.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "clickhouse/http_connection.h"
#include "clickhouse/layer.h"

namespace kql::clickhouse {

/// The run that owns a scratch database.
struct ScratchOwner {
  std::string host;  ///< The machine's host name: letters and digits kept, other characters '-', at most 32.
  int64_t pid = 0;
  int64_t started = 0;  ///< Unix time (seconds) when the run started; after its process started.
};

/// This process as an owner, started now.
ScratchOwner CurrentScratchOwner();

/// The name of the owner's `serial`-th scratch database.
std::string ScratchDatabaseName(const ScratchOwner& owner, uint64_t serial);

/// The owner named in a scratch database's name; nullopt for any other name (other databases, other shapes).
std::optional<ScratchOwner> ParseScratchDatabaseName(const std::string& name);

/// Whether the owner's run has provably ended: it ran on the host named `host` and its pid is not alive, or is
/// a process started after the run began (a reused pid). A run on another host is never provably ended.
bool ScratchOwnerEnded(const ScratchOwner& owner, const std::string& host);

/// Drops the scratch databases on `server` whose runs provably ended (ScratchOwnerEnded with this host); returns
/// their names. Throws ClickHouseError when the server cannot list or drop them.
std::vector<std::string> DropEndedScratchDatabases(const HttpConnection& server);

}  // namespace kql::clickhouse
