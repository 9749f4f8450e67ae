// Exclusions: tuning that survives rule updates. A YAML file of entries, each scoped to rules (ids, name globs or
// "*") with a KQL predicate over the rule's source table, plus named value lists (CIDR ranges, server names) and
// watchlists the predicates may use. This component loads and scopes entries; the hunt (hunt.h) applies them.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rules/sentinel_rule.h"
#include "rules/watchlist.h"
#include "rules/layer.h"

namespace kql::rules {

/// A named list of values, bound in predicates as `let <name> = dynamic([...])`.
struct NamedList {
  std::string name;
  std::vector<std::string> values;
  int line = 0;
};

/// One exclusion entry: events of the scoped rules' source tables matching `where` are removed before the rule runs.
struct ExclusionEntry {
  std::string id;
  std::vector<std::string> rules;  ///< Rule ids, rule name globs (`*`, `?`, case-insensitive) or "*".
  std::string where;               ///< KQL predicate over the rule's source table columns.
  std::string reason;
  std::string owner;
  std::string expires;                  ///< As written; "" when the entry does not expire.
  std::optional<int64_t> expires_ticks;  ///< Midnight UTC of the expiry date: from then on the entry is expired.
  int line = 0;                         ///< 1-based line of the entry in its file.
  int where_line = 0;                   ///< 1-based line of the predicate's first character.
  int where_column = 0;                 ///< 1-based column of the predicate's first character.
};

/// One loaded exclusions file.
struct ExclusionSet {
  std::string path;
  std::vector<ExclusionEntry> entries;
  std::vector<NamedList> lists;
  std::vector<WatchlistSpec> watchlists;  ///< Paths resolved relative to the exclusions file.
};

/// The outcome of loading an exclusions file: the entries that could be read and every problem found.
struct ExclusionLoadResult {
  ExclusionSet set;
  std::vector<RuleProblem> problems;
};

/// Loads exclusions from YAML text; `path` is used in problems and to resolve watchlist paths.
ExclusionLoadResult LoadExclusionText(const std::string& text, const std::string& path);

/// Loads an exclusions file.
ExclusionLoadResult LoadExclusionFile(const std::string& path);

/// True when the entry is scoped to the rule (by id, by name glob, or "*").
bool ExclusionScopes(const ExclusionEntry& entry, const SentinelRule& rule);

/// True when the entry has an expiry at or before `now_ticks`.
bool ExclusionExpired(const ExclusionEntry& entry, int64_t now_ticks);

/// The `let <list> = dynamic([...]);` statements of the set's named lists, one per line.
std::string NamedListLets(const ExclusionSet& set);

}  // namespace kql::rules
