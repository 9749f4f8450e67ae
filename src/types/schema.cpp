#include "types/schema.h"

namespace kql {

std::optional<size_t> FindColumn(const Schema& schema, std::string_view name) {
  for (size_t i = 0; i < schema.size(); ++i) {
    if (schema[i].name == name) return i;
  }
  return std::nullopt;
}

std::string FormatSchema(const Schema& schema) {
  std::string out = "(";
  for (size_t i = 0; i < schema.size(); ++i) {
    if (i) out += ", ";
    out += schema[i].name;
    out += ":";
    out += TypeName(schema[i].type);
  }
  out += ")";
  return out;
}

}  // namespace kql
