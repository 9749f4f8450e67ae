// Data discovery: turns --data paths (files or directories) into one TableSource per table, naming each file's
// table from --table, the envelope category or the file name, and taking schemas from the catalog (or inferring
// them). It does not run queries or own the catalog.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "io/file_format.h"
#include "io/jsonl_source.h"
#include "types/schema.h"
#include "vector/table_source.h"

namespace kql {

/// Finds the built-in schema of a table; nullptr when the table is unknown.
using SchemaLookup = std::function<const Schema*(const std::string& table)>;

/// One --data argument: a file or directory, optionally forced to a table (--table NAME=PATH).
struct DataInput {
  std::string path;
  std::string table;  ///< Empty unless forced.
};

/// The sources found, one per table (sorted by name), and problems with paths.
struct DiscoveredData {
  std::vector<std::unique_ptr<TableSource>> sources;
  std::vector<std::string> errors;
};

/// Discovers data files (recursively in directories; .json .jsonl .ndjson .csv, optionally .gz/.zst) and groups
/// them by table.
DiscoveredData DiscoverData(const std::vector<DataInput>& inputs, const SchemaLookup& lookup,
                            const ReaderOptions& options = {});

/// The table name of a file without a forced name: the envelope category without "AdvancedHunting-", else the
/// file stem's prefix before the first '.', '_' or '-' when the lookup knows it, else the whole stem.
std::string TableNameForFile(const std::string& path, const std::optional<std::string>& category,
                             const SchemaLookup& lookup);

/// A source over in-memory text (inline test rows). JSON layout is detected like a file's.
std::unique_ptr<TableSource> OpenTextSource(std::string name, Schema schema, FileFormat format, std::string text,
                                            const ReaderOptions& options = {});

}  // namespace kql
