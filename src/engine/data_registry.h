// Data registry: the engine's bridge to io/ — turns paths and inline text into TableSources, taking schemas from
// the catalog (unknown tables get inferred schemas).
#pragma once
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "catalog/catalog.h"
#include "vector/table_source.h"

namespace kql {

/// Opens files or folders ({path, forced table or ""}) as one source per table. Problems are appended.
std::vector<std::shared_ptr<const TableSource>> OpenDataSources(
    const std::vector<std::pair<std::string, std::string>>& inputs, const Catalog& catalog,
    std::vector<std::string>& problems);

/// Opens inline text ("jsonl" or "csv") as a table source with the given schema (empty: inferred).
std::shared_ptr<const TableSource> OpenTextSource(const std::string& name, const Schema& schema,
                                                  const std::string& format, const std::string& text,
                                                  std::vector<std::string>& problems);

}  // namespace kql
