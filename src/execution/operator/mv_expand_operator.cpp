#include "execution/operator/mv_expand_operator.h"

#include <charconv>
#include <cmath>

#include "types/datetime.h"
#include "execution/layer.h"

namespace kql::exec {
namespace {

std::optional<int64_t> ParseLong(std::string_view text) {
  int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

Value ConvertDynamic(const Dynamic& element, KqlType type) {
  if (type == KqlType::kDynamic) return Value::FromDynamic(element);
  if (!element || element->IsNull()) return Value::Null(type);
  using Kind = DynamicValue::Kind;
  Kind kind = element->kind();
  Value result = Value::Null(type);
  switch (type) {
    case KqlType::kString:
      if (kind == Kind::kString || kind == Kind::kGuid) return Value::String(element->string_value());
      return Value::String(ToJson(*element));
    case KqlType::kBool:
      if (kind == Kind::kBool) return Value::Bool(element->bool_value());
      if (kind == Kind::kLong) return Value::Bool(element->int_value() != 0);
      if (kind == Kind::kString) {
        if (element->string_value() == "true") return Value::Bool(true);
        if (element->string_value() == "false") return Value::Bool(false);
      }
      return result;
    case KqlType::kInt:
    case KqlType::kLong: {
      std::optional<int64_t> value;
      if (kind == Kind::kLong || kind == Kind::kBool) value = element->int_value();
      if (kind == Kind::kReal && std::isfinite(element->real_value())) {
        value = static_cast<int64_t>(element->real_value());
      }
      if (kind == Kind::kString) value = ParseLong(element->string_value());
      if (!value) return result;
      Value out = Value::Long(*value);
      out.type = type;
      return out;
    }
    case KqlType::kReal:
    case KqlType::kDecimal: {
      if (kind == Kind::kReal) result = Value::Real(element->real_value());
      if (kind == Kind::kLong) result = Value::Real(static_cast<double>(element->int_value()));
      if (kind == Kind::kString) {
        char* end = nullptr;
        const std::string& text = element->string_value();
        double value = std::strtod(text.c_str(), &end);
        if (!text.empty() && end == text.c_str() + text.size()) result = Value::Real(value);
      }
      if (!result.is_null) result.type = type;
      return result;
    }
    case KqlType::kDateTime:
      if (kind == Kind::kDateTime) return Value::DateTime(element->int_value());
      if (kind == Kind::kString) {
        if (auto ticks = ParseDateTime(element->string_value())) return Value::DateTime(*ticks);
      }
      return result;
    case KqlType::kTimeSpan:
      if (kind == Kind::kTimeSpan) return Value::TimeSpan(element->int_value());
      if (kind == Kind::kString) {
        if (auto ticks = ParseTimeSpan(element->string_value())) return Value::TimeSpan(*ticks);
      }
      return result;
    case KqlType::kGuid:
      if (kind == Kind::kGuid || kind == Kind::kString) return Value::Guid(element->string_value());
      return result;
    default: return result;
  }
}

namespace {

class MvExpandOperator : public StreamOperator {
 public:
  explicit MvExpandOperator(const LogicalMvExpand& expand) : expand_(expand) {
    const Schema& schema = expand.schema;
    if (!expand.item_index_column.empty()) {
      auto index = FindColumn(schema, expand.item_index_column);
      if (index) index_column_ = *index;
    }
    expanded_.assign(schema.size(), -1);
    for (size_t e = 0; e < expand.columns.size(); ++e) expanded_[expand.columns[e]] = static_cast<int>(e);
  }

  void Execute(DataChunk& chunk) override {
    const Schema& schema = expand_.schema;
    DataChunk out;
    out.columns.reserve(schema.size());
    for (const auto& column : schema) out.columns.emplace_back(column.type);
    size_t out_rows = 0;
    std::vector<const DynamicValue*> containers(expand_.columns.size());
    chunk.ForEachActive([&](size_t row) {
      size_t count = 0;
      for (size_t e = 0; e < expand_.columns.size(); ++e) {
        const ColumnVector& column = chunk.columns[expand_.columns[e]];
        const DynamicValue* value = nullptr;
        if (column.physical_type() == PhysicalType::kDynamic && column.IsValid(row)) {
          value = column.dynamics()[row].get();
        }
        containers[e] = value;
        count = std::max(count, ElementCount(value));
      }
      if (expand_.row_limit >= 0) count = std::min<size_t>(count, static_cast<size_t>(expand_.row_limit));
      for (size_t item = 0; item < count; ++item) {
        for (size_t c = 0; c < schema.size(); ++c) {
          ColumnVector& target = out.columns[c];
          if (index_column_ && c == *index_column_) {
            target.AppendValue(Value::Long(static_cast<int64_t>(item)));
          } else if (c < expanded_.size() && expanded_[c] >= 0) {
            auto e = static_cast<size_t>(expanded_[c]);
            target.AppendValue(ConvertDynamic(Element(containers[e], chunk.columns[c], row, item, expand_.bag_as_array), target.type()));
          } else if (c < chunk.columns.size()) {
            target.AppendFrom(chunk.columns[c], row);
          } else {
            target.AppendNull();
          }
        }
        ++out_rows;
      }
    });
    out.size = out_rows;
    chunk = std::move(out);
  }

 private:
  static size_t ElementCount(const DynamicValue* value) {
    if (value == nullptr) return 1;
    if (value->kind() == DynamicValue::Kind::kArray) return value->items().size();
    if (value->kind() == DynamicValue::Kind::kObject) return value->members().size();
    return 1;
  }

  // The item-th element of a container; a scalar is its own single element, and shorter arrays pad with null.
  // A bag's item-th element is a one-member bag, or [key, value] with kind=array.
  static Dynamic Element(const DynamicValue* container, const ColumnVector& column, size_t row, size_t item,
                         bool bag_as_array) {
    if (container == nullptr) return nullptr;
    if (container->kind() == DynamicValue::Kind::kArray) {
      return item < container->items().size() ? container->items()[item] : nullptr;
    }
    if (container->kind() == DynamicValue::Kind::kObject) {
      if (item >= container->members().size()) return nullptr;
      const auto& member = container->members()[item];
      if (bag_as_array) return DynamicValue::MakeArray({DynamicValue::MakeString(member.first), member.second});
      return DynamicValue::MakeObject({member});
    }
    return item == 0 ? column.dynamics()[row] : nullptr;
  }

  const LogicalMvExpand& expand_;
  std::optional<size_t> index_column_;
  std::vector<int> expanded_;
};

class MvExpandFactory : public StreamOperatorFactory {
 public:
  explicit MvExpandFactory(const LogicalMvExpand& expand) : expand_(expand) {}
  std::unique_ptr<StreamOperator> Create() const override { return std::make_unique<MvExpandOperator>(expand_); }

 private:
  const LogicalMvExpand& expand_;
};

}  // namespace

std::unique_ptr<StreamOperatorFactory> MakeMvExpandFactory(const LogicalMvExpand& expand) {
  return std::make_unique<MvExpandFactory>(expand);
}

}  // namespace kql::exec
