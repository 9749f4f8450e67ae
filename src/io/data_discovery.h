// Data discovery: turns --data paths (files, directories, or "-" for stdin) into one TableSource per table, naming
// each file's table from --table, the envelope category, a known table name in the file name, or its columns, and
// taking schemas from the catalog (plus columns only the data has) or inferring them. It does not run queries or
// own the catalog.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "io/file_format.h"
#include "io/jsonl_source.h"
#include "types/schema.h"
#include "vector/table_source.h"
#include "io/layer.h"

namespace kql::io {

/// Finds the built-in schema of a table; nullptr when the table is unknown.
using SchemaLookup = std::function<const Schema*(const std::string& table)>;

/// One --data argument: a file or directory ("-": standard input), optionally forced to a table (--table NAME=PATH).
struct DataInput {
  std::string path;
  std::string table;  ///< Empty unless forced.
};

/// How a file's table was chosen.
enum class TableMatch {
  kForced,     ///< --table NAME=PATH.
  kCategory,   ///< The Streaming API envelope's "category".
  kFileName,   ///< A known table's name inside the file name.
  kColumns,    ///< The header / keys fit one known table clearly.
  kUnmatched,  ///< None of the above: loaded as a table named after the file.
};

/// One data file found, and the table it became.
struct DiscoveredFile {
  std::string input;  ///< The --data / --table path it was found under.
  std::string path;
  std::string table;
  TableMatch match = TableMatch::kUnmatched;
};

/// The sources found, one per table (sorted by name), the files and problems with paths.
struct DiscoveredData {
  std::vector<std::unique_ptr<TableSource>> sources;
  std::vector<std::string> errors;    ///< Paths that could not be used at all (missing, unreadable, empty folder).
  std::vector<std::string> notices;   ///< Worth telling: unmatched files (with a --table hint), added columns.
  std::vector<DiscoveredFile> files;  ///< In discovery order.
};

/// Discovers data files (recursively in directories, following symlinked folders once; .json .jsonl .ndjson .csv
/// .tsv, optionally .gz/.zst) and groups them by table. `known_tables` are the catalog's names, for matching
/// file names and columns.
DiscoveredData DiscoverData(const std::vector<DataInput>& inputs, const SchemaLookup& lookup,
                            const ReaderOptions& options = {}, const std::vector<std::string>& known_tables = {});

/// The table name of a file without a forced name: the envelope category without "AdvancedHunting-"; else the
/// longest known table name found in the file stem (case-insensitive, not followed by a lowercase letter, so
/// "TotalDeviceNetworkEvents", "rule_DeviceNetworkEvents-2024-10-09" match but "my_events" does not match
/// "Event"); else the stem's prefix before the first '.', '_' or '-' when the lookup knows it; else nullopt.
std::optional<std::string> KnownTableForFile(const std::string& path, const std::optional<std::string>& category,
                                             const SchemaLookup& lookup, const std::vector<std::string>& known_tables);

/// As KnownTableForFile, falling back to the whole file stem.
std::string TableNameForFile(const std::string& path, const std::optional<std::string>& category,
                             const SchemaLookup& lookup, const std::vector<std::string>& known_tables = {});

/// The known table whose columns clearly fit `columns` (a file's header or keys). Only the tables holding the most
/// of the columns (more than half of them) compete: the only one, when it holds at least three of them or the file
/// is nearly all of it (column-set similarity, Jaccard, of 0.8); of several, the one whose similarity is at least 0.5
/// and beats the others' by 15%, or is at least 0.8 and beats them. Nullopt when none does (a projection of columns
/// that several tables hold).
std::optional<std::string> TableForColumns(const std::vector<std::string>& columns, const SchemaLookup& lookup,
                                           const std::vector<std::string>& known_tables);

/// A source over in-memory text (inline test rows). JSON layout is detected like a file's; an empty schema is
/// inferred from the text.
std::unique_ptr<TableSource> OpenTextSource(std::string name, Schema schema, FileFormat format, std::string text,
                                            const ReaderOptions& options = {});

}  // namespace kql::io
