#include "vector/column_vector.h"

#include "base/assert.h"
#include "vector/layer.h"

namespace kql::vector {

PhysicalType PhysicalTypeOf(KqlType type) {
  switch (type) {
    case KqlType::kReal:
    case KqlType::kDecimal: return PhysicalType::kDouble;
    case KqlType::kString:
    case KqlType::kGuid: return PhysicalType::kString;
    case KqlType::kDynamic: return PhysicalType::kDynamic;
    default: return PhysicalType::kInt64;
  }
}

ColumnVector::ColumnVector(KqlType type) : type_(type), physical_(PhysicalTypeOf(type)) {}

void ColumnVector::Resize(size_t rows) {
  bool is_string = type_ == KqlType::kString;
  validity_.resize(rows, is_string ? 1 : 0);
  switch (physical_) {
    case PhysicalType::kInt64: ints_.resize(rows, 0); break;
    case PhysicalType::kDouble: reals_.resize(rows, 0); break;
    case PhysicalType::kString: strings_.resize(rows); break;
    case PhysicalType::kDynamic: dynamics_.resize(rows); break;
  }
}

void ColumnVector::Reserve(size_t rows) {
  validity_.reserve(rows);
  switch (physical_) {
    case PhysicalType::kInt64: ints_.reserve(rows); break;
    case PhysicalType::kDouble: reals_.reserve(rows); break;
    case PhysicalType::kString: strings_.reserve(rows); break;
    case PhysicalType::kDynamic: dynamics_.reserve(rows); break;
  }
}

void ColumnVector::Clear() {
  validity_.clear();
  ints_.clear();
  reals_.clear();
  strings_.clear();
  dynamics_.clear();
}

void ColumnVector::AppendNull() {
  validity_.push_back(type_ == KqlType::kString ? 1 : 0);
  switch (physical_) {
    case PhysicalType::kInt64: ints_.push_back(0); break;
    case PhysicalType::kDouble: reals_.push_back(0); break;
    case PhysicalType::kString: strings_.emplace_back(); break;
    case PhysicalType::kDynamic: dynamics_.push_back(nullptr); break;
  }
}

void ColumnVector::AppendInt(int64_t value) {
  KQL_DEBUG_ASSERT(physical_ == PhysicalType::kInt64, "AppendInt on a non-integer vector");
  validity_.push_back(1);
  ints_.push_back(value);
}

void ColumnVector::AppendReal(double value) {
  KQL_DEBUG_ASSERT(physical_ == PhysicalType::kDouble, "AppendReal on a non-real vector");
  validity_.push_back(1);
  reals_.push_back(value);
}

void ColumnVector::AppendString(std::string_view text) {
  KQL_DEBUG_ASSERT(physical_ == PhysicalType::kString, "AppendString on a non-string vector");
  validity_.push_back(1);
  strings_.push_back(heap().Add(text));
}

void ColumnVector::AppendStringView(std::string_view text) {
  validity_.push_back(1);
  strings_.push_back(text);
}

void ColumnVector::AppendDynamic(Dynamic value) {
  KQL_DEBUG_ASSERT(physical_ == PhysicalType::kDynamic, "AppendDynamic on a non-dynamic vector");
  bool valid = value && !value->IsNull();
  validity_.push_back(valid ? 1 : 0);
  dynamics_.push_back(valid ? std::move(value) : nullptr);
}

void ColumnVector::AppendValue(const Value& value) {
  Resize(size() + 1);
  SetValue(size() - 1, value);
}

void ColumnVector::AppendFrom(const ColumnVector& source, size_t row) {
  KQL_DEBUG_ASSERT(source.physical_ == physical_, "AppendFrom across physical types");
  validity_.push_back(source.validity_[row]);
  switch (physical_) {
    case PhysicalType::kInt64: ints_.push_back(source.ints_[row]); break;
    case PhysicalType::kDouble: reals_.push_back(source.reals_[row]); break;
    case PhysicalType::kString:
      if (source.heap_ != heap_ || !source.keep_alive_.empty()) ShareStorageOf(source);
      strings_.push_back(source.strings_[row]);
      break;
    case PhysicalType::kDynamic: dynamics_.push_back(source.dynamics_[row]); break;
  }
}

void ColumnVector::SetString(size_t row, std::string_view text) {
  validity_[row] = 1;
  strings_[row] = heap().Add(text);
}

void ColumnVector::SetValue(size_t row, const Value& value) {
  if (value.is_null && type_ != KqlType::kString) {
    validity_[row] = 0;
    return;
  }
  validity_[row] = 1;
  switch (physical_) {
    case PhysicalType::kInt64:
      if (value.type == KqlType::kReal || value.type == KqlType::kDecimal) {
        ints_[row] = static_cast<int64_t>(value.real_value);
      } else {
        ints_[row] = value.int_value;
      }
      break;
    case PhysicalType::kDouble:
      if (value.type == KqlType::kReal || value.type == KqlType::kDecimal) {
        reals_[row] = value.real_value;
      } else {
        reals_[row] = static_cast<double>(value.int_value);
      }
      break;
    case PhysicalType::kString: strings_[row] = heap().Add(value.string_value); break;
    case PhysicalType::kDynamic: {
      Dynamic d = ToDynamic(value);
      if (!d || d->IsNull()) {
        validity_[row] = 0;
        dynamics_[row] = nullptr;
      } else {
        dynamics_[row] = std::move(d);
      }
      break;
    }
  }
}

Value ColumnVector::GetValue(size_t row) const {
  if (type_ == KqlType::kString) return Value::String(std::string(strings_[row]));
  if (!validity_[row]) return Value::Null(type_);
  switch (type_) {
    case KqlType::kBool: return Value::Bool(ints_[row] != 0);
    case KqlType::kInt: return Value::Int(ints_[row]);
    case KqlType::kLong: return Value::Long(ints_[row]);
    case KqlType::kDateTime: return Value::DateTime(ints_[row]);
    case KqlType::kTimeSpan: return Value::TimeSpan(ints_[row]);
    case KqlType::kReal: return Value::Real(reals_[row]);
    case KqlType::kDecimal: {
      Value v = Value::Real(reals_[row]);
      v.type = KqlType::kDecimal;
      return v;
    }
    case KqlType::kGuid: return Value::Guid(std::string(strings_[row]));
    case KqlType::kDynamic: return Value::FromDynamic(dynamics_[row]);
    default: return Value::Null(type_);
  }
}

StringHeap& ColumnVector::heap() {
  if (!heap_) heap_ = std::make_shared<StringHeap>();
  return *heap_;
}

void ColumnVector::KeepAlive(std::shared_ptr<const void> owner) {
  for (const auto& existing : keep_alive_) {
    if (existing == owner) return;
  }
  keep_alive_.push_back(std::move(owner));
}

void ColumnVector::ShareStorageOf(const ColumnVector& other) {
  if (other.heap_ && other.heap_ != heap_) KeepAlive(other.heap_);
  for (const auto& owner : other.keep_alive_) KeepAlive(owner);
}

}  // namespace kql::vector
