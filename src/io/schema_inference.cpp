#include "io/schema_inference.h"

#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "io/cell_conversion.h"
#include "io/line_reader.h"
#include "types/datetime.h"
#include "types/dynamic.h"
#include "io/layer.h"

namespace kql::io {

namespace {

/// Accumulates the observed type of each column, in order of first appearance.
class TypeAccumulator {
 public:
  void Observe(std::string_view name, std::optional<KqlType> type) {
    // Records mostly list the same members in the same order: the column after the last one observed comes first.
    size_t index = next_;
    if (index >= columns_.size() || columns_[index].name != name) {
      auto found = index_.find(name);
      if (found == index_.end()) {
        found = index_.emplace(std::string(name), columns_.size()).first;
        columns_.push_back({std::string(name), std::nullopt});
      }
      index = found->second;
    }
    next_ = index + 1;
    if (!type) return;
    std::optional<KqlType>& current = columns_[index].type;
    current = current ? Merge(*current, *type) : *type;
  }

  Schema Result() const {
    Schema schema;
    for (const auto& column : columns_) schema.push_back({column.name, column.type.value_or(KqlType::kString)});
    return schema;
  }

 private:
  static KqlType Merge(KqlType left, KqlType right) {
    if (left == right) return left;
    if (left == KqlType::kDynamic || right == KqlType::kDynamic) return KqlType::kDynamic;
    if ((left == KqlType::kLong && right == KqlType::kReal) || (left == KqlType::kReal && right == KqlType::kLong)) {
      return KqlType::kReal;
    }
    return KqlType::kString;
  }

  struct Column {
    std::string name;
    std::optional<KqlType> type;
  };
  struct NameHash {
    using is_transparent = void;
    size_t operator()(std::string_view name) const { return std::hash<std::string_view>{}(name); }
  };
  std::vector<Column> columns_;
  std::unordered_map<std::string, size_t, NameHash, std::equal_to<>> index_;
  size_t next_ = 0;
};

bool LooksLikeIsoDateTime(std::string_view text) {
  return text.size() >= 10 && text[4] == '-' && text[7] == '-' && text[0] >= '0' && text[0] <= '9' &&
         ParseDateTime(text).has_value();
}

std::optional<KqlType> TypeOfDynamic(const DynamicValue& value) {
  switch (value.kind()) {
    case DynamicValue::Kind::kNull: return std::nullopt;
    case DynamicValue::Kind::kBool: return KqlType::kBool;
    case DynamicValue::Kind::kLong: return KqlType::kLong;
    case DynamicValue::Kind::kReal: return KqlType::kReal;
    case DynamicValue::Kind::kDateTime: return KqlType::kDateTime;
    case DynamicValue::Kind::kTimeSpan: return KqlType::kTimeSpan;
    case DynamicValue::Kind::kGuid: return KqlType::kGuid;
    case DynamicValue::Kind::kString:
      return LooksLikeIsoDateTime(value.string_value()) ? KqlType::kDateTime : KqlType::kString;
    case DynamicValue::Kind::kArray:
    case DynamicValue::Kind::kObject: return KqlType::kDynamic;
  }
  return std::nullopt;
}

void ObserveRecord(const DynamicValue& record, bool envelope, TypeAccumulator& accumulator) {
  const DynamicValue* object = envelope ? record.Find("properties") : &record;
  if (!object || object->kind() != DynamicValue::Kind::kObject) return;
  for (const auto& [name, value] : object->members()) accumulator.Observe(name, value ? TypeOfDynamic(*value) : std::nullopt);
}

std::optional<KqlType> TypeOfCsvText(std::string_view text) {
  text = TrimAscii(text);
  if (text.empty()) return std::nullopt;
  int64_t integer = 0;
  double real = 0;
  if (ParseInt64Text(text, &integer)) return KqlType::kLong;
  if (ParseRealText(text, &real)) return KqlType::kReal;
  if (text == "true" || text == "false" || text == "True" || text == "False") return KqlType::kBool;
  if ((text[0] >= '0' && text[0] <= '9') || (text[0] >= 'A' && text[0] <= 'Z')) {
    if (ParseDateTime(text)) return KqlType::kDateTime;
  }
  if (text[0] == '{' || text[0] == '[') {
    if (ParseJson(text)) return KqlType::kDynamic;
  }
  return KqlType::kString;
}

// Reads a declared column list ([{"Name","Type"}] or [{"name","type"}]) into the accumulator.
void ObserveDeclaredColumns(const DynamicValue& columns, TypeAccumulator& accumulator) {
  if (columns.kind() != DynamicValue::Kind::kArray) return;
  for (const Dynamic& column : columns.items()) {
    if (!column) continue;
    const DynamicValue* name = column->Find("Name");
    if (!name) name = column->Find("name");
    const DynamicValue* type = column->Find("Type");
    if (!type) type = column->Find("type");
    if (!name || name->kind() != DynamicValue::Kind::kString) continue;
    std::optional<KqlType> parsed;
    if (type && type->kind() == DynamicValue::Kind::kString) {
      parsed = ParseTypeName(type->string_value());
      // The portal's "Object" and other unknown names are JSON values.
      if (!parsed) parsed = KqlType::kDynamic;
    }
    accumulator.Observe(name->string_value(), parsed);
  }
}

// Observes a whole-document file (JsonLayout::kDocument).
void ObserveDocument(const DynamicValue& document, TypeAccumulator& accumulator) {
  auto observe_rows = [&](const DynamicValue& rows, bool envelope) {
    if (rows.kind() != DynamicValue::Kind::kArray) return;
    size_t seen = 0;
    for (const Dynamic& record : rows.items()) {
      if (record && ++seen <= kInferenceRecords) ObserveRecord(*record, envelope, accumulator);
    }
  };
  if (document.kind() == DynamicValue::Kind::kArray) return observe_rows(document, false);
  bool declared = false;
  for (const char* key : {"Schema", "schema"}) {
    const DynamicValue* columns = document.Find(key);
    if (!columns || columns->kind() != DynamicValue::Kind::kArray || columns->items().empty()) continue;
    ObserveDeclaredColumns(*columns, accumulator);
    declared = true;
  }
  // Declared types win; the rows only tell the columns of an undeclared response.
  for (const char* key : {"Results", "results"}) {
    if (const DynamicValue* rows = document.Find(key); rows && !declared) observe_rows(*rows, false);
  }
  if (const DynamicValue* records = document.Find("records")) observe_rows(*records, true);
  const DynamicValue* tables = document.Find("tables");
  if (tables && tables->kind() == DynamicValue::Kind::kArray && !tables->items().empty() && tables->items()[0]) {
    if (const DynamicValue* columns = tables->items()[0]->Find("columns")) {
      ObserveDeclaredColumns(*columns, accumulator);
    }
  }
}

// Reads the lines of a flat JSON-lines file (one object per line) for inference. ParseJson's tree of every record was
// most of a query's start-up (1,000 records of ~2 KB: ~45,000 instructions each), so a line is read with simdjson's
// parser instead and only its top-level members' types are kept. The answer is ParseJson's: a line simdjson rejects,
// or holding a number whose KQL type simdjson's reading leaves open (an integral double: 1.0, 1e3, -0 or a huge
// integer), is read by ParseJson, and nesting deeper than ParseJson allows is one of simdjson's rejections.
class FlatLineObserver {
 public:
  // The depth limit stays when a longer line makes the parser grow. Without it, ParseJson reads every line.
  FlatLineObserver() : usable_(parser_.allocate(64 << 10, kMaxJsonDepth) == simdjson::SUCCESS) {}

  // Observes one trimmed, non-empty line; false when it is not JSON (not a record).
  bool Observe(std::string_view text, TypeAccumulator& accumulator) {
    if (ReadMembers(text)) {
      for (const auto& [name, type] : members_) accumulator.Observe(name, type);
      return true;
    }
    Dynamic record = ParseJson(text);
    if (!record) return false;
    ObserveRecord(*record, false, accumulator);
    return true;
  }

 private:
  // Fills members_ with the top-level members of `text` as ParseJson would read them (a repeated key keeps its
  // first position and takes the last value); false when ParseJson must decide.
  bool ReadMembers(std::string_view text) {
    members_.clear();
    simdjson::dom::element root;
    if (!usable_ || parser_.parse(text.data(), text.size()).get(root) != simdjson::SUCCESS) return false;
    simdjson::dom::object object;
    if (root.get_object().get(object) != simdjson::SUCCESS) return true;  // A JSON value that is not an object.
    for (const simdjson::dom::key_value_pair field : object) {
      std::optional<KqlType> type;
      switch (field.value.type()) {
        case simdjson::dom::element_type::ARRAY:
        case simdjson::dom::element_type::OBJECT: type = KqlType::kDynamic; break;
        case simdjson::dom::element_type::INT64: type = KqlType::kLong; break;
        case simdjson::dom::element_type::UINT64: type = KqlType::kReal; break;  // ParseJson: beyond a long, a real.
        case simdjson::dom::element_type::DOUBLE: {
          const double value = field.value.get_double().value_unsafe();
          if (value == std::trunc(value)) return false;
          type = KqlType::kReal;
          break;
        }
        case simdjson::dom::element_type::STRING:
          type = LooksLikeIsoDateTime(field.value.get_string().value_unsafe()) ? KqlType::kDateTime : KqlType::kString;
          break;
        case simdjson::dom::element_type::BOOL: type = KqlType::kBool; break;
        case simdjson::dom::element_type::NULL_VALUE: break;
      }
      auto same = std::find_if(members_.begin(), members_.end(), [&](const auto& member) { return member.first == field.key; });
      if (same != members_.end()) {
        same->second = type;
      } else {
        members_.emplace_back(field.key, type);
      }
    }
    return true;
  }

  simdjson::dom::parser parser_;
  bool usable_;
  std::vector<std::pair<std::string_view, std::optional<KqlType>>> members_;
};

// True when an envelope belongs to `category` (a file mixing tables is read once per category), or no category is
// asked for.
bool OfCategory(const DynamicValue& envelope, const std::string& category) {
  if (category.empty()) return true;
  const DynamicValue* value = envelope.Find("category");
  return value && value->kind() == DynamicValue::Kind::kString && value->string_value() == category;
}

std::string_view SkipByteOrderMark(std::string_view text) {
  return text.substr(0, 3) == "\xEF\xBB\xBF" ? text.substr(3) : text;
}

}  // namespace

std::optional<Schema> InferJsonSchema(const JsonFile& file, std::string* error) {
  TypeAccumulator accumulator;
  if (file.layout == JsonLayout::kRecords || file.layout == JsonLayout::kDocument) {
    // The wrapper is one document; read a bounded prefix only when the file is huge.
    auto content = ReadFilePrefix(file.file, 256u << 20, error);
    if (!content) return std::nullopt;
    Dynamic document = ParseJson(SkipByteOrderMark(*content));
    if (file.layout == JsonLayout::kDocument) {
      if (document) ObserveDocument(*document, accumulator);
      return accumulator.Result();
    }
    const DynamicValue* records = document ? document->Find("records") : nullptr;
    if (records && records->kind() == DynamicValue::Kind::kArray) {
      size_t seen = 0;
      for (const Dynamic& record : records->items()) {
        if (record && OfCategory(*record, file.category) && ++seen <= kInferenceRecords) {
          ObserveRecord(*record, true, accumulator);
        }
      }
    }
    return accumulator.Result();
  }
  LineReader lines(file.file, 0, UINT64_MAX, 1 << 20, false);  // Not mapped, as for CSV below.
  Line line;
  size_t seen = 0;
  FlatLineObserver flat;
  while (seen < kInferenceRecords && lines.Next(line)) {
    std::string_view text = TrimAscii(line.text);
    if (line.offset == 0) text = TrimAscii(SkipByteOrderMark(text));
    if (text.empty()) continue;
    if (file.layout == JsonLayout::kFlat) {
      if (flat.Observe(text, accumulator)) ++seen;
      continue;
    }
    Dynamic record = ParseJson(text);
    if (!record || (file.layout == JsonLayout::kEnvelope && !OfCategory(*record, file.category))) continue;
    ++seen;
    ObserveRecord(*record, file.layout == JsonLayout::kEnvelope, accumulator);
  }
  if (!lines.error().empty()) {
    if (error) *error = file.file.path + ": " + lines.error();
    return std::nullopt;
  }
  return accumulator.Result();
}

std::optional<Schema> InferCsvSchema(const SourceFile& file, std::string* error, char delimiter) {
  // Not memory-mapped: mapping populates the page tables of the whole file, and only its beginning is read.
  CsvRecordReader lines(file, 1 << 20, delimiter, false);
  TypeAccumulator accumulator;
  std::vector<std::string> names;
  std::vector<CsvField> fields;
  std::string scratch;
  CsvRecord record;
  size_t seen = 0;
  while (seen < kInferenceRecords + 1 && lines.Next(record)) {
    if (TrimAscii(record.text).empty()) continue;
    ++seen;
    SplitCsvRecord(record.text, fields, scratch, delimiter);
    if (names.empty()) {
      lines.set_expected_fields(fields.size());
      for (const CsvField& field : fields) {
        names.push_back(NormalizeCsvHeader(field.text));
        accumulator.Observe(names.back(), std::nullopt);
      }
      continue;
    }
    for (size_t index = 0; index < fields.size() && index < names.size(); ++index) {
      accumulator.Observe(names[index], TypeOfCsvText(fields[index].text));
    }
  }
  if (!lines.error().empty()) {
    if (error) *error = file.path + ": " + lines.error();
    return std::nullopt;
  }
  return accumulator.Result();
}

}  // namespace kql::io
