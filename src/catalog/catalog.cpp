// Catalog: built-in and registered table schemas.
#include "catalog/catalog.h"

#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <mutex>

#include "catalog/builtin_tables.h"
#include "catalog/schema_parser.h"
#include "catalog/layer.h"

namespace kql::catalog {

namespace {

/// The built-in tables, shared by every catalog of the process: their names read from the generated JSON on first
/// use, each schema parsed on its first lookup (a query names a few of the 800-odd tables, and parsing them all cost
/// every engine several milliseconds).
class BuiltinTables {
 public:
  static BuiltinTables& Get() {
    static BuiltinTables tables;
    return tables;
  }

  /// The table's schema, or nullptr when there is no such built-in table (or its generated text does not parse).
  const Schema* Find(std::string_view name) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto found = entries_.find(name);
    if (found == entries_.end()) return nullptr;
    Entry& entry = found->second;
    if (!entry.parsed) {
      entry.schema = ParseSchemaText(entry.text);
      entry.parsed = true;
      entry.text = std::string();
    }
    return entry.schema ? &*entry.schema : nullptr;
  }
  /// The names, sorted (fixed after construction).
  const std::vector<std::string>& names() const { return names_; }

 private:
  BuiltinTables() {
    simdjson::dom::parser parser;
    simdjson::dom::object object;
    // The data is generated and committed; a parse failure is a build defect, so it leaves no built-in tables.
    if (parser.parse(BuiltinTablesJson()).get(object) != simdjson::SUCCESS) return;
    for (auto field : object) {
      std::string_view schema_text;
      if (field.value.get(schema_text) != simdjson::SUCCESS) continue;
      Entry entry;
      entry.text = std::string(schema_text);
      if (entries_.emplace(std::string(field.key), std::move(entry)).second) names_.emplace_back(field.key);
    }
    std::sort(names_.begin(), names_.end());
  }

  struct Entry {
    std::string text;  // Until parsed.
    bool parsed = false;
    std::optional<Schema> schema;
  };
  std::mutex mutex_;
  std::map<std::string, Entry, std::less<>> entries_;  // Nodes stay put: Find hands out pointers into them.
  std::vector<std::string> names_;
};

}  // namespace

Catalog::Catalog(bool with_builtin_tables) : with_builtin_tables_(with_builtin_tables) {}

void Catalog::AddTable(std::string name, Schema schema) { registered_[std::move(name)] = std::move(schema); }

const Schema* Catalog::FindTable(std::string_view name) const {
  if (auto found = registered_.find(name); found != registered_.end()) return &found->second;
  return with_builtin_tables_ ? BuiltinTables::Get().Find(name) : nullptr;
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
  std::vector<std::string> names;
  for (const auto& [name, schema] : registered_) names.push_back(name);
  if (with_builtin_tables_) {
    for (const std::string& name : BuiltinTables::Get().names()) {
      if (!registered_.contains(name)) names.push_back(name);
    }
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
