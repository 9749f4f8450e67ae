// SqlExpression: translates bound KQL scalar expressions and aggregates to ClickHouse SQL (the portable subset of
// 18.16 and current versions), or declines. A translation is only produced when ClickHouse computes exactly what
// the local executor would, nulls included; everything else stays local. The rules (see docs/clickhouse.md):
// term operators (has, hasprefix, hassuffix, has_any, has_all) become re2 patterns over ASCII-lowercased text with
// explicit ASCII term boundaries (never a `(?i)` flag: 18.16 drops it silently); case-insensitive operators only
// take ASCII needles (and =~ / startswith / endswith none with 'k' or 'i', which Unicode folding can reach from
// non-ASCII letters); datetimes are Int64 ticks throughout.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "plan/bound_expression.h"
#include "clickhouse/layer.h"

namespace kql::clickhouse {

/// Translates `expr`; `inputs[i]` is the SQL of input column i (wire form). nullopt when not exactly translatable.
std::optional<std::string> TranslateExpression(const BoundExpr& expr, const std::vector<std::string>& inputs);

/// Translates one summarize aggregate with a single output column; nullopt when not exactly translatable.
std::optional<std::string> TranslateAggregate(const BoundAggregate& aggregate, const std::vector<std::string>& inputs);

/// `needle` as a re2 literal (ASCII punctuation escaped).
std::string RegexLiteral(const std::string& needle);

}  // namespace kql::clickhouse
