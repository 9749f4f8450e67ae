// Catalog: built-in and registered table schemas.
#include "catalog/catalog.h"

#include <simdjson.h>

#include <algorithm>
#include <cctype>

#include "catalog/builtin_tables.h"
#include "catalog/schema_parser.h"
#include "catalog/layer.h"

namespace kql::catalog {

struct Catalog::BuiltinState {
  std::once_flag once;
  std::map<std::string, Schema, std::less<>> tables;
};

Catalog::Catalog(bool with_builtin_tables)
    : with_builtin_tables_(with_builtin_tables), builtins_(std::make_unique<BuiltinState>()) {}
Catalog::~Catalog() = default;
Catalog::Catalog(Catalog&&) noexcept = default;
Catalog& Catalog::operator=(Catalog&&) noexcept = default;

void Catalog::EnsureBuiltinsLoaded() const {
  if (!with_builtin_tables_) return;
  std::call_once(builtins_->once, [this] {
    simdjson::dom::parser parser;
    const std::string& json = BuiltinTablesJson();
    simdjson::dom::object object;
    // The data is generated and committed; a parse failure is a build defect, so it leaves the catalog empty.
    if (parser.parse(json).get(object) != simdjson::SUCCESS) return;
    for (auto field : object) {
      std::string_view schema_text;
      if (field.value.get(schema_text) != simdjson::SUCCESS) continue;
      std::optional<Schema> schema = ParseSchemaText(schema_text);
      if (schema) builtins_->tables.emplace(std::string(field.key), std::move(*schema));
    }
  });
}

void Catalog::AddTable(std::string name, Schema schema) { registered_[std::move(name)] = std::move(schema); }

const Schema* Catalog::FindTable(std::string_view name) const {
  if (auto found = registered_.find(name); found != registered_.end()) return &found->second;
  EnsureBuiltinsLoaded();
  if (auto found = builtins_->tables.find(name); found != builtins_->tables.end()) return &found->second;
  return nullptr;
}

void Catalog::AddFunction(std::string name, StoredFunction function) {
  functions_[std::move(name)] = std::move(function);
}

const StoredFunction* Catalog::FindFunction(std::string_view name) const {
  auto found = functions_.find(name);
  return found == functions_.end() ? nullptr : &found->second;
}

std::vector<std::string> Catalog::FunctionNames() const {
  std::vector<std::string> names;
  for (const auto& [name, function] : functions_) names.push_back(name);
  return names;
}

std::vector<std::string> Catalog::TableNames() const {
  EnsureBuiltinsLoaded();
  std::vector<std::string> names;
  for (const auto& [name, schema] : registered_) names.push_back(name);
  for (const auto& [name, schema] : builtins_->tables) {
    if (!registered_.contains(name)) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::optional<std::string> Catalog::SuggestTable(std::string_view name) const { return SuggestName(name, TableNames()); }

size_t EditDistance(std::string_view left, std::string_view right, bool ignore_case) {
  auto same = [ignore_case](char a, char b) {
    if (!ignore_case) return a == b;
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
  };
  std::vector<size_t> previous(right.size() + 1);
  std::vector<size_t> current(right.size() + 1);
  for (size_t j = 0; j <= right.size(); ++j) previous[j] = j;
  for (size_t i = 1; i <= left.size(); ++i) {
    current[0] = i;
    for (size_t j = 1; j <= right.size(); ++j) {
      const size_t substitution = previous[j - 1] + (same(left[i - 1], right[j - 1]) ? 0 : 1);
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
    }
    std::swap(previous, current);
  }
  return previous[right.size()];
}

std::optional<std::string> SuggestName(std::string_view name, const std::vector<std::string>& candidates) {
  for (const std::string& candidate : candidates) {
    if (candidate.size() == name.size() && EditDistance(candidate, name, true) == 0 && candidate != name) {
      return candidate;
    }
  }
  const size_t limit = std::max<size_t>(1, name.size() / 3);
  std::optional<std::string> best;
  size_t best_distance = limit + 1;
  for (const std::string& candidate : candidates) {
    // Cheap length filter first: the distance is at least the length difference.
    const size_t length_gap = candidate.size() > name.size() ? candidate.size() - name.size() : name.size() - candidate.size();
    if (length_gap >= best_distance) continue;
    const size_t distance = EditDistance(candidate, name, true);
    if (distance < best_distance && candidate != name) {
      best_distance = distance;
      best = candidate;
    }
  }
  return best;
}

}  // namespace kql::catalog
