// Data registry: the engine's bridge to io/ — turns paths and inline text into TableSources, taking schemas from
// the catalog (unknown tables get inferred schemas).
#pragma once
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "catalog/catalog.h"
#include "kqlite/engine.h"
#include "vector/table_source.h"
#include "engine/layer.h"

namespace kql::engine {

/// Opens files or folders ({path, forced table or ""}; path "-" is standard input) as one source per table.
/// Problems (unusable paths) are appended to `problems`, notices (unmatched files, added columns) to `notices`,
/// and each file found to `files`.
std::vector<std::shared_ptr<const TableSource>> OpenDataSources(
    const std::vector<std::pair<std::string, std::string>>& inputs, const Catalog& catalog,
    std::vector<std::string>& problems, std::vector<std::string>* notices = nullptr,
    std::vector<DataFileInfo>* files = nullptr);

/// Opens inline text ("jsonl" or "csv") as a table source with the given schema (empty: inferred).
std::shared_ptr<const TableSource> OpenTextSource(const std::string& name, const Schema& schema,
                                                  const std::string& format, const std::string& text,
                                                  std::vector<std::string>& problems);

}  // namespace kql::engine
