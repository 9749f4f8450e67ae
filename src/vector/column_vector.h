// ColumnVector: one column of a chunk — a typed payload array plus a validity byte per row.
// Physical storage by KQL type: bool/int/long/datetime/timespan -> int64_t; real/decimal -> double;
// string/guid -> std::string_view (bytes owned by a shared StringHeap or a kept-alive buffer);
// dynamic -> Dynamic. Strings are never null in KQL: a null string is stored as "" and valid.
#pragma once
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "types/dynamic.h"
#include "types/kql_type.h"
#include "types/value.h"
#include "vector/string_heap.h"
#include "vector/layer.h"

namespace kql::vector {

/// How a KQL type is stored in a ColumnVector.
enum class PhysicalType { kInt64, kDouble, kString, kDynamic };

/// The physical storage class of a KQL type.
PhysicalType PhysicalTypeOf(KqlType type);

/// A typed column of values with a validity mask (1 = not null).
class ColumnVector {
 public:
  ColumnVector() = default;
  explicit ColumnVector(KqlType type);

  KqlType type() const { return type_; }
  PhysicalType physical_type() const { return physical_; }
  size_t size() const { return validity_.size(); }

  /// Sets the row count; new rows are null (or "" for strings).
  void Resize(size_t rows);
  /// Reserves capacity for rows.
  void Reserve(size_t rows);
  /// Removes all rows (keeps the type and the heap).
  void Clear();

  bool IsValid(size_t row) const { return validity_[row] != 0; }
  bool IsNull(size_t row) const { return validity_[row] == 0; }
  void SetValid(size_t row, bool valid) { validity_[row] = valid ? 1 : 0; }
  uint8_t* validity() { return validity_.data(); }
  const uint8_t* validity() const { return validity_.data(); }

  /// Payload arrays; only the one matching physical_type() is sized.
  int64_t* ints() { return ints_.data(); }
  const int64_t* ints() const { return ints_.data(); }
  double* reals() { return reals_.data(); }
  const double* reals() const { return reals_.data(); }
  std::string_view* strings() { return strings_.data(); }
  const std::string_view* strings() const { return strings_.data(); }
  Dynamic* dynamics() { return dynamics_.data(); }
  const Dynamic* dynamics() const { return dynamics_.data(); }

  void AppendNull();
  void AppendInt(int64_t value);
  void AppendReal(double value);
  /// Copies text into this vector's heap.
  void AppendString(std::string_view text);
  /// Stores a view without copying; the caller keeps the bytes alive (see KeepAlive) or owns the heap.
  void AppendStringView(std::string_view text);
  void AppendDynamic(Dynamic value);
  /// Appends a Value of a compatible type (converting int/long/real as needed).
  void AppendValue(const Value& value);
  /// Appends row `row` of `source` (same physical type); string bytes are shared, not copied.
  void AppendFrom(const ColumnVector& source, size_t row);

  /// Sets a string at an existing row, copying bytes into the heap.
  void SetString(size_t row, std::string_view text);
  /// Writes a Value into an existing row.
  void SetValue(size_t row, const Value& value);
  /// Reads a row as a Value.
  Value GetValue(size_t row) const;

  /// The heap that owns string bytes appended by copy.
  StringHeap& heap();
  /// Keeps a foreign buffer (or another vector's heap) alive as long as this vector.
  void KeepAlive(std::shared_ptr<const void> owner);
  /// Shares the string storage of another vector (heap and kept-alive buffers).
  void ShareStorageOf(const ColumnVector& other);

 private:
  KqlType type_ = KqlType::kUnknown;
  PhysicalType physical_ = PhysicalType::kInt64;
  std::vector<uint8_t> validity_;
  std::vector<int64_t> ints_;
  std::vector<double> reals_;
  std::vector<std::string_view> strings_;
  std::vector<Dynamic> dynamics_;
  std::shared_ptr<StringHeap> heap_;
  std::vector<std::shared_ptr<const void>> keep_alive_;
};

}  // namespace kql::vector
