// External data: opens the local file behind an `externaldata` operator as a table source with the operator's
// columns. CSV is read positionally (the declared names become the header); tsv and txt/raw are turned into CSV;
// json and multijson are read as JSON records.
#pragma once
#include <memory>
#include <string>

#include "binder/binder.h"
#include "vector/table_source.h"
#include "engine/layer.h"

namespace kql::engine {

/// Opens the file; on failure returns null and sets `error` (naming the file and the URI).
std::shared_ptr<const TableSource> OpenExternalData(const ExternalTable& table, std::string& error);

}  // namespace kql::engine
