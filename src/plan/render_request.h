// RenderRequest: what a query's `render` operator asked for — the visualization and its properties. kqlite draws
// no charts; the request travels with the result (QueryResult::render) for front ends that do.
#pragma once
#include <string>
#include <utility>
#include <vector>
#include "plan/layer.h"

namespace kql::plan {

/// `render columnchart with (title="x", ycolumns=a, b)`: visualization "columnchart" and the properties in query
/// order, each value as written (identifiers and string literals as text; a repeated property such as
/// `ycolumns=a, b` is one entry "a, b").
struct RenderRequest {
  std::string visualization;
  std::vector<std::pair<std::string, std::string>> properties;
};

}  // namespace kql::plan
