// Schema inference: guesses a table schema from the first records of a data file when the catalog does not know
// the table. Types: long, real, bool, datetime (ISO-looking strings), string, dynamic (objects/arrays).
#pragma once
#include <optional>
#include <string>

#include "io/csv_source.h"
#include "io/jsonl_source.h"
#include "types/schema.h"
#include "io/layer.h"

namespace kql::io {

/// How many records inference looks at.
inline constexpr size_t kInferenceRecords = 1000;

/// Infers a schema from the first records of a JSON file (the "properties" of envelopes). Columns appear in
/// order of first occurrence; mixed scalar types become string, mixes with objects or arrays become dynamic.
std::optional<Schema> InferJsonSchema(const JsonFile& file, std::string* error);

/// Infers a schema from a CSV (or, with delimiter '\t', TSV) file's header and first records.
std::optional<Schema> InferCsvSchema(const SourceFile& file, std::string* error, char delimiter = ',');

}  // namespace kql::io
