// Schema text parser: turns "(a:string, b:long)" into a Schema. Used for the built-in catalog and for table
// schemas given on the command line; it is not the KQL parser and knows nothing about queries.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "types/schema.h"
#include "catalog/layer.h"

namespace kql::catalog {

/// Parses "(Name:type, ...)" (parentheses optional, `['quoted name']` allowed, type aliases accepted).
/// Returns nullopt and sets `error` when the text is malformed, a type is unknown or a name repeats.
std::optional<Schema> ParseSchemaText(std::string_view text, std::string* error = nullptr);

}  // namespace kql::catalog
