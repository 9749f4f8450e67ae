// Parses schema text of the form "(a:string, b:long)".
#include "catalog/schema_parser.h"

#include <cctype>
#include <unordered_set>
#include "catalog/layer.h"

namespace kql::catalog {
namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

bool Fail(std::string* error, std::string message) {
  if (error != nullptr) *error = std::move(message);
  return false;
}

// Splits on commas that are outside ['...'] quoting.
std::vector<std::string_view> SplitItems(std::string_view text) {
  std::vector<std::string_view> items;
  size_t start = 0;
  char quote = 0;
  for (size_t pos = 0; pos < text.size(); ++pos) {
    const char ch = text[pos];
    if (quote != 0) {
      if (ch == quote) quote = 0;
    } else if (ch == '\'' || ch == '"') {
      quote = ch;
    } else if (ch == ',') {
      items.push_back(text.substr(start, pos - start));
      start = pos + 1;
    }
  }
  items.push_back(text.substr(start));
  return items;
}

bool ParseItem(std::string_view item, ColumnDef& column, std::string* error) {
  item = Trim(item);
  const size_t colon = item.rfind(':');
  if (colon == std::string_view::npos) return Fail(error, "Expected name:type in schema item: " + std::string(item));
  std::string_view name = Trim(item.substr(0, colon));
  const std::string_view type_text = Trim(item.substr(colon + 1));
  if (name.size() >= 4 && name.front() == '[' && name.back() == ']') {
    name = name.substr(1, name.size() - 2);
    if ((name.front() == '\'' || name.front() == '"') && name.back() == name.front()) {
      name = name.substr(1, name.size() - 2);
    }
  }
  if (name.empty()) return Fail(error, "Empty column name in schema item: " + std::string(item));
  const std::optional<KqlType> type = ParseTypeName(type_text);
  if (!type) return Fail(error, "Unknown type in schema: " + std::string(type_text));
  column.name = std::string(name);
  column.type = *type;
  return true;
}

}  // namespace

std::optional<Schema> ParseSchemaText(std::string_view text, std::string* error) {
  text = Trim(text);
  if (!text.empty() && text.front() == '(') {
    if (text.back() != ')') {
      Fail(error, "Missing ')' at the end of the schema");
      return std::nullopt;
    }
    text = Trim(text.substr(1, text.size() - 2));
  }
  Schema schema;
  if (text.empty()) return schema;
  std::unordered_set<std::string> names;
  for (std::string_view item : SplitItems(text)) {
    ColumnDef column;
    if (!ParseItem(item, column, error)) return std::nullopt;
    if (!names.insert(column.name).second) {
      Fail(error, "Duplicate column name in schema: " + column.name);
      return std::nullopt;
    }
    schema.push_back(std::move(column));
  }
  return schema;
}

}  // namespace kql::catalog
