#include "io/schema_inference.h"

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
  void Observe(const std::string& name, std::optional<KqlType> type) {
    auto [iterator, inserted] = index_.try_emplace(name, columns_.size());
    if (inserted) columns_.push_back({name, std::nullopt});
    if (!type) return;
    std::optional<KqlType>& current = columns_[iterator->second].type;
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
  std::vector<Column> columns_;
  std::unordered_map<std::string, size_t> index_;
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
  while (seen < kInferenceRecords && lines.Next(line)) {
    std::string_view text = TrimAscii(line.text);
    if (line.offset == 0) text = TrimAscii(SkipByteOrderMark(text));
    if (text.empty()) continue;
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
