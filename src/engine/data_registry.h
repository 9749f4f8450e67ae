// Data registry: the engine's bridge to io/ — turns paths and inline text into TableSources, choosing schemas
// from the catalog, and resolves the line numbers of skipped records for reports.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "vector/table_source.h"

namespace kql {

/// Opens files or folders as table sources; `table` forces the table name. Problems are appended.
std::vector<std::shared_ptr<const TableSource>> OpenDataSources(const std::string& path, const std::string& table,
                                                                const Catalog& catalog,
                                                                std::vector<std::string>& problems);

/// Opens inline text ("jsonl" or "csv") as a table source with the given schema (empty: inferred).
std::shared_ptr<const TableSource> OpenTextSource(const std::string& name, const Schema& schema,
                                                  const std::string& format, const std::string& text,
                                                  std::vector<std::string>& problems);

/// Fills SkippedRecord::line for records that only know their byte offset.
void ResolveSkippedLines(std::vector<SkippedRecord>& records);

}  // namespace kql
