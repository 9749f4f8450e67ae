// Schema: the ordered, named and typed columns of a table or an operator's result.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "types/kql_type.h"

namespace kql {

/// One named, typed column.
struct ColumnDef {
  std::string name;
  KqlType type = KqlType::kUnknown;
};

/// An ordered list of columns. Names are unique within a schema.
using Schema = std::vector<ColumnDef>;

/// Finds a column by exact (case-sensitive) name; returns its index.
std::optional<size_t> FindColumn(const Schema& schema, std::string_view name);

/// Renders "(a:string, b:long)".
std::string FormatSchema(const Schema& schema);

}  // namespace kql
