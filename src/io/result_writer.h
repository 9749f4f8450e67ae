// Result writers: print a materialised Table as an aligned text table, CSV (RFC 4180), JSON lines, or one JSON
// document with typed columns. They stream to an std::ostream and never reorder rows.
#pragma once
#include <cstddef>
#include <optional>
#include <ostream>
#include <string_view>

#include "vector/table.h"
#include "io/layer.h"

namespace kql::io {

/// The output formats of query results.
enum class ResultFormat { kTable, kCsv, kJsonLines, kJson };

/// Parses "table", "csv", "jsonl", "json".
std::optional<ResultFormat> ParseResultFormat(std::string_view name);

/// How the `table` format fits a terminal (the other formats ignore these).
struct ResultWriteOptions {
  size_t max_width = 0;         ///< Display columns a line may take; wider cells are cut with "…". 0 = unlimited.
  size_t max_rows = 0;          ///< Rows printed; the rest are counted in the footer. 0 = all.
  bool row_count_footer = false;  ///< Print "(N rows)" after the table (always printed when rows were left out).
};

/// Writes `table` in `format`; the `table` format fits `options`.
void WriteResult(const Table& table, ResultFormat format, std::ostream& out, const ResultWriteOptions& options);

/// Writes `table` in `format`. JSON values: numbers for int/long/real (NaN and infinities as strings), ISO UTC
/// strings for datetime, "[-][d.]hh:mm:ss[.fffffff]" for timespan, raw JSON for dynamic, null for null.
void WriteResult(const Table& table, ResultFormat format, std::ostream& out);

}  // namespace kql::io
