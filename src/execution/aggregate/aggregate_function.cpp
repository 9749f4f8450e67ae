#include "execution/aggregate/aggregate_function.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <unordered_set>

#include "execution/cell_comparison.h"
#include "execution/execution_context.h"
#include "execution/layer.h"

namespace kql::exec {
namespace {

constexpr int64_t kDefaultMaxSize = 1048576;

// ---- Cell <-> Value helpers used by the value-keeping aggregates (min, max, arg_max, take_any). ----

/// Copies a cell into a Value, reusing the Value's string capacity.
void AssignCell(Value& value, const ColumnVector& column, size_t row) {
  value.type = column.type();
  value.is_null = column.IsNull(row);
  if (value.is_null) return;
  switch (column.physical_type()) {
    case PhysicalType::kInt64: value.int_value = column.ints()[row]; break;
    case PhysicalType::kDouble: value.real_value = column.reals()[row]; break;
    case PhysicalType::kString: value.string_value.assign(column.strings()[row]); break;
    case PhysicalType::kDynamic: value.dynamic_value = column.dynamics()[row]; break;
  }
}

/// Orders a valid cell against a valid Value of the same physical type.
int CompareCellToValue(const ColumnVector& column, size_t row, const Value& value) {
  switch (column.physical_type()) {
    case PhysicalType::kInt64: {
      int64_t cell = column.ints()[row];
      return cell < value.int_value ? -1 : (cell > value.int_value ? 1 : 0);
    }
    case PhysicalType::kDouble: {
      double cell = column.reals()[row];
      return cell < value.real_value ? -1 : (cell > value.real_value ? 1 : 0);
    }
    case PhysicalType::kString: {
      int result = column.strings()[row].compare(value.string_value);
      return result < 0 ? -1 : (result > 0 ? 1 : 0);
    }
    case PhysicalType::kDynamic: {
      int result = ToJson(*column.dynamics()[row]).compare(ToJson(*value.dynamic_value));
      return result < 0 ? -1 : (result > 0 ? 1 : 0);
    }
  }
  return 0;
}

int CompareValues(const Value& left, const Value& right) {
  if (left.type == KqlType::kReal || left.type == KqlType::kDecimal) {
    return left.real_value < right.real_value ? -1 : (left.real_value > right.real_value ? 1 : 0);
  }
  if (left.type == KqlType::kString || left.type == KqlType::kGuid) {
    int result = left.string_value.compare(right.string_value);
    return result < 0 ? -1 : (result > 0 ? 1 : 0);
  }
  if (left.type == KqlType::kDynamic) {
    int result = ToJson(*left.dynamic_value).compare(ToJson(*right.dynamic_value));
    return result < 0 ? -1 : (result > 0 ? 1 : 0);
  }
  return left.int_value < right.int_value ? -1 : (left.int_value > right.int_value ? 1 : 0);
}

bool IsNaNCell(const ColumnVector& column, size_t row) {
  return column.physical_type() == PhysicalType::kDouble && std::isnan(column.reals()[row]);
}

bool IsNaNValue(const Value& value) {
  return !value.is_null && (value.type == KqlType::kReal || value.type == KqlType::kDecimal) &&
         std::isnan(value.real_value);
}

/// Whether a bool predicate column is true at a row (null counts as false).
bool IsTrue(const ColumnVector& column, size_t row) { return column.IsValid(row) && column.ints()[row] != 0; }

/// A cell as a dynamic value (nullptr for null).
Dynamic CellToDynamic(const ColumnVector& column, size_t row) {
  if (column.physical_type() == PhysicalType::kDynamic) return column.dynamics()[row];
  if (column.IsNull(row)) return nullptr;
  return ToDynamic(column.GetValue(row));
}

int64_t ConstantInt(const AggregateSpec& spec, size_t arg, int64_t fallback) {
  if (arg >= spec.constants.size()) return fallback;
  const Value& value = spec.constants[arg];
  if (value.is_null) return fallback;
  if (value.type == KqlType::kReal || value.type == KqlType::kDecimal) return static_cast<int64_t>(value.real_value);
  return value.int_value;
}

double ConstantReal(const AggregateSpec& spec, size_t arg, double fallback) {
  if (arg >= spec.constants.size()) return fallback;
  const Value& value = spec.constants[arg];
  if (value.is_null) return fallback;
  if (value.type == KqlType::kReal || value.type == KqlType::kDecimal) return value.real_value;
  return static_cast<double>(value.int_value);
}

/// Base for aggregates with an optional predicate column (the *if forms).
class PredicatedStates : public AggregateStates {
 public:
  explicit PredicatedStates(std::optional<size_t> predicate) : predicate_(predicate) {}

 protected:
  bool Accepts(const DataChunk& chunk, size_t row) const {
    return !predicate_ || IsTrue(chunk.columns[*predicate_], row);
  }

 private:
  std::optional<size_t> predicate_;
};

// ---- count, countif ----

class CountStates : public PredicatedStates {
 public:
  using PredicatedStates::PredicatedStates;
  void Resize(size_t groups) override { counts_.resize(groups, 0); }
  void Update(const DataChunk& chunk, const std::vector<uint32_t>& rows,
              const std::vector<uint32_t>& group_ids) override {
    for (size_t i = 0; i < rows.size(); ++i) {
      if (Accepts(chunk, rows[i])) ++counts_[group_ids[i]];
    }
  }
  void Merge(AggregateStates& later, const std::vector<uint32_t>& target) override {
    auto& other = static_cast<CountStates&>(later);
    for (size_t g = 0; g < other.counts_.size(); ++g) counts_[target[g]] += other.counts_[g];
  }
  void Finalize(size_t groups, std::vector<ColumnVector*>& outputs) override {
    for (size_t g = 0; g < groups; ++g) outputs[0]->AppendValue(Value::Long(counts_[g]));
  }

 private:
  std::vector<int64_t> counts_;
};

// ---- sum, sumif, avg, avgif ----

class SumStates : public PredicatedStates {
 public:
  SumStates(size_t value_column, std::optional<size_t> predicate, bool average, KqlType output)
      : PredicatedStates(predicate), value_column_(value_column), average_(average), output_(output) {}
  void Resize(size_t groups) override {
    int_sums_.resize(groups, 0);
    real_sums_.resize(groups, 0);
    counts_.resize(groups, 0);
  }
  void Update(const DataChunk& chunk, const std::vector<uint32_t>& rows,
              const std::vector<uint32_t>& group_ids) override {
    const ColumnVector& column = chunk.columns[value_column_];
    bool is_real = column.physical_type() == PhysicalType::kDouble;
    for (size_t i = 0; i < rows.size(); ++i) {
      size_t row = rows[i];
      if (column.IsNull(row) || !Accepts(chunk, row)) continue;
      uint32_t group = group_ids[i];
      if (is_real) {
        real_sums_[group] += column.reals()[row];
      } else {
        int64_t value = column.ints()[row];
        // Wraps on overflow like Kusto's long arithmetic.
        int_sums_[group] = static_cast<int64_t>(static_cast<uint64_t>(int_sums_[group]) + static_cast<uint64_t>(value));
        real_sums_[group] += static_cast<double>(value);
      }
      ++counts_[group];
    }
  }
  void Merge(AggregateStates& later, const std::vector<uint32_t>& target) override {
    auto& other = static_cast<SumStates&>(later);
    for (size_t g = 0; g < other.counts_.size(); ++g) {
      uint32_t t = target[g];
      int_sums_[t] = static_cast<int64_t>(static_cast<uint64_t>(int_sums_[t]) + static_cast<uint64_t>(other.int_sums_[g]));
      real_sums_[t] += other.real_sums_[g];
      counts_[t] += other.counts_[g];
    }
  }
  void Finalize(size_t groups, std::vector<ColumnVector*>& outputs) override {
    for (size_t g = 0; g < groups; ++g) {
      if (average_) {
        outputs[0]->AppendValue(Value::Real(counts_[g] == 0 ? std::nan("") : real_sums_[g] / counts_[g]));
      } else if (PhysicalTypeOf(output_) == PhysicalType::kDouble) {
        outputs[0]->AppendValue(Value::Real(real_sums_[g]));
      } else {
        Value value = Value::Long(int_sums_[g]);
        value.type = output_;
        outputs[0]->AppendValue(value);
      }
    }
  }

 private:
  size_t value_column_;
  bool average_;
  KqlType output_;
  std::vector<int64_t> int_sums_;
  std::vector<double> real_sums_;
  std::vector<int64_t> counts_;
};

// ---- min, max, minif, maxif ----

class MinMaxStates : public PredicatedStates {
 public:
  MinMaxStates(size_t value_column, std::optional<size_t> predicate, bool is_max)
      : PredicatedStates(predicate), value_column_(value_column), is_max_(is_max) {}
  void Resize(size_t groups) override { values_.resize(groups); }
  void Update(const DataChunk& chunk, const std::vector<uint32_t>& rows,
              const std::vector<uint32_t>& group_ids) override {
    const ColumnVector& column = chunk.columns[value_column_];
    if (column.physical_type() == PhysicalType::kInt64) return UpdateInts(chunk, column, rows, group_ids);
    for (size_t i = 0; i < rows.size(); ++i) {
      size_t row = rows[i];
      if (column.IsNull(row) || !Accepts(chunk, row)) continue;
      Value& current = values_[group_ids[i]];
      if (current.is_null) {
        AssignCell(current, column, row);
        continue;
      }
      // NaN absorbs: Kusto's min and max over reals containing NaN are NaN.
      if (IsNaNValue(current)) continue;
      if (IsNaNCell(column, row)) {
        AssignCell(current, column, row);
        continue;
      }
      int order = CompareCellToValue(column, row, current);
      if (is_max_ ? order > 0 : order < 0) AssignCell(current, column, row);
    }
  }
  void Merge(AggregateStates& later, const std::vector<uint32_t>& target) override {
    auto& other = static_cast<MinMaxStates&>(later);
    for (size_t g = 0; g < other.values_.size(); ++g) {
      Value& incoming = other.values_[g];
      if (incoming.is_null) continue;
      Value& current = values_[target[g]];
      if (current.is_null || (!IsNaNValue(current) && IsNaNValue(incoming))) {
        current = std::move(incoming);
        continue;
      }
      if (IsNaNValue(current)) continue;
      int order = CompareValues(incoming, current);
      if (is_max_ ? order > 0 : order < 0) current = std::move(incoming);
    }
  }
  void Finalize(size_t groups, std::vector<ColumnVector*>& outputs) override {
    for (size_t g = 0; g < groups; ++g) outputs[0]->AppendValue(values_[g]);
  }

 private:
  // Update for integer-backed cells (long, int, bool, datetime, timespan): no NaN, plain comparisons.
  void UpdateInts(const DataChunk& chunk, const ColumnVector& column, const std::vector<uint32_t>& rows,
                  const std::vector<uint32_t>& group_ids) {
    const int64_t* ints = column.ints();
    for (size_t i = 0; i < rows.size(); ++i) {
      const size_t row = rows[i];
      if (column.IsNull(row) || !Accepts(chunk, row)) continue;
      Value& current = values_[group_ids[i]];
      if (current.is_null) {
        AssignCell(current, column, row);
      } else if (is_max_ ? ints[row] > current.int_value : ints[row] < current.int_value) {
        current.int_value = ints[row];
      }
    }
  }

  size_t value_column_;
  bool is_max_;
  std::vector<Value> values_;
};

// ---- arg_max, arg_min ----

class ArgExtremeStates : public AggregateStates {
 public:
  ArgExtremeStates(std::vector<size_t> columns, bool is_max) : columns_(std::move(columns)), is_max_(is_max) {}
  void Resize(size_t groups) override {
    rows_.resize(groups);
    has_row_.resize(groups, 0);
  }
  void Update(const DataChunk& chunk, const std::vector<uint32_t>& rows,
              const std::vector<uint32_t>& group_ids) override {
    const ColumnVector& key = chunk.columns[columns_[0]];
    for (size_t i = 0; i < rows.size(); ++i) {
      size_t row = rows[i];
      uint32_t group = group_ids[i];
      if (Better(key, row, group)) Take(chunk, row, group);
    }
  }
  void Merge(AggregateStates& later, const std::vector<uint32_t>& target) override {
    auto& other = static_cast<ArgExtremeStates&>(later);
    for (size_t g = 0; g < other.rows_.size(); ++g) {
      if (!other.has_row_[g]) continue;
      uint32_t t = target[g];
      if (!has_row_[t] || BetterValue(other.rows_[g][0], rows_[t][0])) {
        rows_[t] = std::move(other.rows_[g]);
        has_row_[t] = 1;
      }
    }
  }
  void Finalize(size_t groups, std::vector<ColumnVector*>& outputs) override {
    for (size_t g = 0; g < groups; ++g) {
      for (size_t c = 0; c < outputs.size(); ++c) {
        if (has_row_[g] && c < rows_[g].size()) {
          outputs[c]->AppendValue(rows_[g][c]);
        } else {
          outputs[c]->AppendNull();
        }
      }
    }
  }

 private:
  // Ties keep the earlier row; a group whose keys are all null keeps its first row.
  bool Better(const ColumnVector& key, size_t row, uint32_t group) const {
    if (!has_row_[group]) return true;
    const Value& current = rows_[group][0];
    if (key.IsNull(row)) return false;
    if (current.is_null) return true;
    if (IsNaNValue(current)) return false;
    if (IsNaNCell(key, row)) return true;
    int order = CompareCellToValue(key, row, current);
    return is_max_ ? order > 0 : order < 0;
  }
  bool BetterValue(const Value& incoming, const Value& current) const {
    if (incoming.is_null) return false;
    if (current.is_null) return true;
    if (IsNaNValue(current)) return false;
    if (IsNaNValue(incoming)) return true;
    int order = CompareValues(incoming, current);
    return is_max_ ? order > 0 : order < 0;
  }
  void Take(const DataChunk& chunk, size_t row, uint32_t group) {
    auto& values = rows_[group];
    values.resize(columns_.size());
    for (size_t c = 0; c < columns_.size(); ++c) AssignCell(values[c], chunk.columns[columns_[c]], row);
    has_row_[group] = 1;
  }

  std::vector<size_t> columns_;
  bool is_max_;
  std::vector<std::vector<Value>> rows_;
  std::vector<uint8_t> has_row_;
};

// ---- take_any, take_anyif ----

class TakeAnyStates : public PredicatedStates {
 public:
  TakeAnyStates(std::vector<size_t> columns, std::optional<size_t> predicate)
      : PredicatedStates(predicate), columns_(std::move(columns)) {}
  void Resize(size_t groups) override {
    rows_.resize(groups);
    quality_.resize(groups, 0);
  }
  void Update(const DataChunk& chunk, const std::vector<uint32_t>& rows,
              const std::vector<uint32_t>& group_ids) override {
    const ColumnVector& first = chunk.columns[columns_[0]];
    for (size_t i = 0; i < rows.size(); ++i) {
      size_t row = rows[i];
      uint32_t group = group_ids[i];
      if (quality_[group] == 2 || !Accepts(chunk, row)) continue;
      // Prefers the first row whose value is not null, else the first row.
      uint8_t quality = first.IsNull(row) ? 1 : 2;
      if (quality <= quality_[group]) continue;
      auto& values = rows_[group];
      values.resize(columns_.size());
      for (size_t c = 0; c < columns_.size(); ++c) AssignCell(values[c], chunk.columns[columns_[c]], row);
      quality_[group] = quality;
    }
  }
  void Merge(AggregateStates& later, const std::vector<uint32_t>& target) override {
    auto& other = static_cast<TakeAnyStates&>(later);
    for (size_t g = 0; g < other.rows_.size(); ++g) {
      uint32_t t = target[g];
      if (other.quality_[g] > quality_[t]) {
        rows_[t] = std::move(other.rows_[g]);
        quality_[t] = other.quality_[g];
      }
    }
  }
  void Finalize(size_t groups, std::vector<ColumnVector*>& outputs) override {
    for (size_t g = 0; g < groups; ++g) {
      for (size_t c = 0; c < outputs.size(); ++c) {
        if (quality_[g] != 0 && c < rows_[g].size()) {
          outputs[c]->AppendValue(rows_[g][c]);
        } else {
          outputs[c]->AppendNull();
        }
      }
    }
  }

 private:
  std::vector<size_t> columns_;
  std::vector<std::vector<Value>> rows_;
  std::vector<uint8_t> quality_;  ///< 0 = no row, 1 = a row with a null value, 2 = a row with a value.
};

// ---- dcount, dcountif (exact over 64-bit cell hashes) ----

class DistinctCountStates : public PredicatedStates {
 public:
  DistinctCountStates(size_t value_column, std::optional<size_t> predicate)
      : PredicatedStates(predicate), value_column_(value_column) {}
  void Resize(size_t groups) override { sets_.resize(groups); }
  void Update(const DataChunk& chunk, const std::vector<uint32_t>& rows,
              const std::vector<uint32_t>& group_ids) override {
    const ColumnVector& column = chunk.columns[value_column_];
    for (size_t i = 0; i < rows.size(); ++i) {
      size_t row = rows[i];
      if (column.IsNull(row) || !Accepts(chunk, row)) continue;
      sets_[group_ids[i]].insert(HashCell(column, row));
    }
  }
  void Merge(AggregateStates& later, const std::vector<uint32_t>& target) override {
    auto& other = static_cast<DistinctCountStates&>(later);
    for (size_t g = 0; g < other.sets_.size(); ++g) sets_[target[g]].insert(other.sets_[g].begin(), other.sets_[g].end());
  }
  void Finalize(size_t groups, std::vector<ColumnVector*>& outputs) override {
    for (size_t g = 0; g < groups; ++g) outputs[0]->AppendValue(Value::Long(static_cast<int64_t>(sets_[g].size())));
  }

 private:
  size_t value_column_;
  std::vector<std::unordered_set<uint64_t>> sets_;
};

// ---- make_list, make_list_if, make_list_with_nulls, make_set, make_set_if ----

class MakeListStates : public PredicatedStates {
 public:
  MakeListStates(size_t value_column, std::optional<size_t> predicate, int64_t max_size, bool distinct,
                 bool keep_nulls)
      : PredicatedStates(predicate),
        value_column_(value_column),
        max_size_(max_size),
        distinct_(distinct),
        keep_nulls_(keep_nulls) {}
  void Resize(size_t groups) override {
    items_.resize(groups);
    if (distinct_) {
      seen_.resize(groups);
      hashes_.resize(groups);
    }
  }
  void Update(const DataChunk& chunk, const std::vector<uint32_t>& rows,
              const std::vector<uint32_t>& group_ids) override {
    const ColumnVector& column = chunk.columns[value_column_];
    // A dynamic null is a JSON null element that make_list keeps; nulls of scalar columns are skipped.
    bool keep_nulls = keep_nulls_ || (!distinct_ && column.physical_type() == PhysicalType::kDynamic);
    for (size_t i = 0; i < rows.size(); ++i) {
      size_t row = rows[i];
      if ((column.IsNull(row) && !keep_nulls) || !Accepts(chunk, row)) continue;
      uint32_t group = group_ids[i];
      if (column.physical_type() == PhysicalType::kDynamic && column.IsValid(row) && column.dynamics()[row] &&
          column.dynamics()[row]->kind() == DynamicValue::Kind::kArray) {
        // Microsoft's engine: an array cell contributes its elements (make_list of arrays concatenates them).
        for (const Dynamic& element : column.dynamics()[row]->items()) AddItem(group, element);
        continue;
      }
      if (static_cast<int64_t>(items_[group].size()) >= max_size_) continue;
      if (distinct_) {
        uint64_t hash = HashCell(column, row);
        if (!seen_[group].insert(hash).second) continue;
        hashes_[group].push_back(hash);
      }
      Dynamic item = CellToDynamic(column, row);
      if (!item) item = DynamicValue::MakeNull();
      items_[group].push_back(std::move(item));
      ++kept_items_;
    }
  }
  // A shared pointer in the list and the value it points to (string payloads are counted as a small string).
  uint64_t GrowingBytes() const override { return kept_items_ * (distinct_ ? 112 : 80); }
  void Merge(AggregateStates& later, const std::vector<uint32_t>& target) override {
    auto& other = static_cast<MakeListStates&>(later);
    for (size_t g = 0; g < other.items_.size(); ++g) {
      uint32_t t = target[g];
      auto& destination = items_[t];
      for (size_t i = 0; i < other.items_[g].size(); ++i) {
        if (static_cast<int64_t>(destination.size()) >= max_size_) break;
        if (distinct_) {
          uint64_t hash = other.hashes_[g][i];
          if (!seen_[t].insert(hash).second) continue;
          hashes_[t].push_back(hash);
        }
        destination.push_back(std::move(other.items_[g][i]));
      }
    }
  }
  void Finalize(size_t groups, std::vector<ColumnVector*>& outputs) override {
    for (size_t g = 0; g < groups; ++g) outputs[0]->AppendDynamic(DynamicValue::MakeArray(std::move(items_[g])));
  }

 private:
  void AddItem(uint32_t group, const Dynamic& element) {
    if (static_cast<int64_t>(items_[group].size()) >= max_size_) return;
    if (!keep_nulls_ && distinct_ && element->IsNull()) return;
    if (distinct_) {
      const uint64_t hash = std::hash<std::string>{}(ToJson(*element));
      if (!seen_[group].insert(hash).second) return;
      hashes_[group].push_back(hash);
    }
    items_[group].push_back(element);
  }

  size_t value_column_;
  int64_t max_size_;
  bool distinct_;
  bool keep_nulls_;
  std::vector<std::vector<Dynamic>> items_;
  std::vector<std::unordered_set<uint64_t>> seen_;  ///< make_set: hashes of the kept items (cell hashes).
  std::vector<std::vector<uint64_t>> hashes_;       ///< make_set: per kept item, its hash, for merging.
  uint64_t kept_items_ = 0;                         ///< Items added by Update (for the memory budget).
};

// ---- make_bag, make_bag_if ----

class MakeBagStates : public PredicatedStates {
 public:
  MakeBagStates(size_t value_column, std::optional<size_t> predicate, int64_t max_size)
      : PredicatedStates(predicate), value_column_(value_column), max_size_(max_size) {}
  void Resize(size_t groups) override {
    members_.resize(groups);
    keys_.resize(groups);
  }
  void Update(const DataChunk& chunk, const std::vector<uint32_t>& rows,
              const std::vector<uint32_t>& group_ids) override {
    const ColumnVector& column = chunk.columns[value_column_];
    if (column.physical_type() != PhysicalType::kDynamic) return;
    for (size_t i = 0; i < rows.size(); ++i) {
      size_t row = rows[i];
      if (column.IsNull(row) || !Accepts(chunk, row)) continue;
      const Dynamic& bag = column.dynamics()[row];
      if (bag->kind() != DynamicValue::Kind::kObject) continue;
      for (const auto& member : bag->members()) Add(group_ids[i], member);
    }
  }
  void Merge(AggregateStates& later, const std::vector<uint32_t>& target) override {
    auto& other = static_cast<MakeBagStates&>(later);
    for (size_t g = 0; g < other.members_.size(); ++g) {
      for (auto& member : other.members_[g]) Add(target[g], member);
    }
  }
  void Finalize(size_t groups, std::vector<ColumnVector*>& outputs) override {
    for (size_t g = 0; g < groups; ++g) outputs[0]->AppendDynamic(DynamicValue::MakeObject(std::move(members_[g])));
  }

 private:
  // The first value seen for a key wins.
  void Add(uint32_t group, const DynamicValue::Member& member) {
    if (static_cast<int64_t>(members_[group].size()) >= max_size_) return;
    if (!keys_[group].insert(member.first).second) return;
    members_[group].push_back(member);
  }

  size_t value_column_;
  int64_t max_size_;
  std::vector<std::vector<DynamicValue::Member>> members_;
  std::vector<std::unordered_set<std::string>> keys_;
};

// ---- stdev, variance (sample and population), with *if forms ----

class VarianceStates : public PredicatedStates {
 public:
  VarianceStates(size_t value_column, std::optional<size_t> predicate, bool sample, bool root)
      : PredicatedStates(predicate), value_column_(value_column), sample_(sample), root_(root) {}
  void Resize(size_t groups) override {
    counts_.resize(groups, 0);
    means_.resize(groups, 0);
    m2_.resize(groups, 0);
  }
  void Update(const DataChunk& chunk, const std::vector<uint32_t>& rows,
              const std::vector<uint32_t>& group_ids) override {
    const ColumnVector& column = chunk.columns[value_column_];
    bool is_real = column.physical_type() == PhysicalType::kDouble;
    for (size_t i = 0; i < rows.size(); ++i) {
      size_t row = rows[i];
      if (column.IsNull(row) || !Accepts(chunk, row)) continue;
      double value = is_real ? column.reals()[row] : static_cast<double>(column.ints()[row]);
      uint32_t g = group_ids[i];
      // Welford's update keeps the computation stable for large values.
      double n = static_cast<double>(++counts_[g]);
      double delta = value - means_[g];
      means_[g] += delta / n;
      m2_[g] += delta * (value - means_[g]);
    }
  }
  void Merge(AggregateStates& later, const std::vector<uint32_t>& target) override {
    auto& other = static_cast<VarianceStates&>(later);
    for (size_t g = 0; g < other.counts_.size(); ++g) {
      if (other.counts_[g] == 0) continue;
      uint32_t t = target[g];
      double n_a = static_cast<double>(counts_[t]);
      double n_b = static_cast<double>(other.counts_[g]);
      double n = n_a + n_b;
      double delta = other.means_[g] - means_[t];
      means_[t] += delta * n_b / n;
      m2_[t] += other.m2_[g] + delta * delta * n_a * n_b / n;
      counts_[t] += other.counts_[g];
    }
  }
  void Finalize(size_t groups, std::vector<ColumnVector*>& outputs) override {
    for (size_t g = 0; g < groups; ++g) {
      int64_t n = counts_[g];
      double variance;
      if (n == 0) {
        variance = 0.0;  // Microsoft's engine: stdev/variance of no values is 0.
      } else if (sample_) {
        variance = n == 1 ? 0.0 : m2_[g] / static_cast<double>(n - 1);
      } else {
        variance = m2_[g] / static_cast<double>(n);
      }
      outputs[0]->AppendValue(Value::Real(root_ ? std::sqrt(variance) : variance));
    }
  }

 private:
  size_t value_column_;
  bool sample_;
  bool root_;
  std::vector<int64_t> counts_;
  std::vector<double> means_;
  std::vector<double> m2_;
};

// ---- percentilew, percentilesw, percentiles_array, percentilesw_array (weighted nearest rank, exact) ----

class WeightedPercentileStates : public AggregateStates {
 public:
  WeightedPercentileStates(size_t value_column, std::optional<size_t> weight_column, std::vector<double> percents,
                           bool as_array, KqlType value_type)
      : value_column_(value_column),
        weight_column_(weight_column),
        percents_(std::move(percents)),
        as_array_(as_array),
        value_type_(value_type),
        integers_(PhysicalTypeOf(value_type) == PhysicalType::kInt64) {}
  void Resize(size_t groups) override { entries_.resize(groups); }
  void Update(const DataChunk& chunk, const std::vector<uint32_t>& rows,
              const std::vector<uint32_t>& group_ids) override {
    const ColumnVector& column = chunk.columns[value_column_];
    for (size_t i = 0; i < rows.size(); ++i) {
      const size_t row = rows[i];
      if (column.IsNull(row)) continue;
      Entry entry;
      if (weight_column_) {
        const ColumnVector& weights = chunk.columns[*weight_column_];
        if (weights.IsNull(row)) continue;
        entry.weight = weights.physical_type() == PhysicalType::kDouble ? weights.reals()[row]
                                                                        : static_cast<double>(weights.ints()[row]);
        if (!(entry.weight > 0)) continue;
      }
      // Integer-backed values (long, datetime, timespan) are kept exactly; NaN reals are skipped.
      if (column.physical_type() == PhysicalType::kInt64) {
        entry.whole = column.ints()[row];
      } else if (column.physical_type() == PhysicalType::kDouble) {
        entry.real = column.reals()[row];
        if (std::isnan(entry.real)) continue;
      } else {
        continue;
      }
      entries_[group_ids[i]].push_back(entry);
    }
  }
  void Merge(AggregateStates& later, const std::vector<uint32_t>& target) override {
    auto& other = static_cast<WeightedPercentileStates&>(later);
    for (size_t g = 0; g < other.entries_.size(); ++g) {
      auto& destination = entries_[target[g]];
      destination.insert(destination.end(), other.entries_[g].begin(), other.entries_[g].end());
    }
  }
  void Finalize(size_t groups, std::vector<ColumnVector*>& outputs) override {
    for (size_t g = 0; g < groups; ++g) {
      auto& entries = entries_[g];
      std::stable_sort(entries.begin(), entries.end(), [&](const Entry& a, const Entry& b) {
        return integers_ ? a.whole < b.whole : a.real < b.real;
      });
      double total = 0;
      for (const Entry& entry : entries) total += entry.weight;
      std::vector<Dynamic> items;
      for (size_t p = 0; p < percents_.size(); ++p) {
        // The smallest value whose cumulative weight reaches p% of the total: the nearest rank ceil(p/100 * n)
        // when every weight is 1.
        const Entry* result = nullptr;
        const double needed = std::max(percents_[p] / 100.0 * total, 0.0);
        double cumulative = 0;
        for (const Entry& entry : entries) {
          cumulative += entry.weight;
          result = &entry;
          if (cumulative >= needed) break;
        }
        Value value = Value::Null(value_type_);
        if (result != nullptr) {
          value = integers_ ? Value::Long(result->whole) : Value::Real(result->real);
          value.type = value_type_;
        }
        if (as_array_) {
          items.push_back(ToDynamic(value));
        } else {
          outputs[std::min(p, outputs.size() - 1)]->AppendValue(value);
        }
      }
      if (as_array_) outputs[0]->AppendDynamic(DynamicValue::MakeArray(std::move(items)));
    }
  }

 private:
  struct Entry {
    int64_t whole = 0;
    double real = 0;
    double weight = 1;
  };
  size_t value_column_;
  std::optional<size_t> weight_column_;
  std::vector<double> percents_;
  bool as_array_;
  KqlType value_type_;
  bool integers_;
  std::vector<std::vector<Entry>> entries_;
};

// ---- hll_merge, tdigest_merge: union (distinct) or concatenation of the states' arrays ----

class ArrayMergeStates : public AggregateStates {
 public:
  ArrayMergeStates(size_t value_column, bool distinct) : value_column_(value_column), distinct_(distinct) {}
  void Resize(size_t groups) override {
    items_.resize(groups);
    seen_.resize(groups);
  }
  void Update(const DataChunk& chunk, const std::vector<uint32_t>& rows,
              const std::vector<uint32_t>& group_ids) override {
    const ColumnVector& column = chunk.columns[value_column_];
    if (column.physical_type() != PhysicalType::kDynamic) return;
    for (size_t i = 0; i < rows.size(); ++i) {
      const size_t row = rows[i];
      if (column.IsNull(row)) continue;
      const Dynamic& value = column.dynamics()[row];
      if (!value || value->kind() != DynamicValue::Kind::kArray) continue;
      for (const Dynamic& item : value->items()) Add(group_ids[i], item);
    }
  }
  void Merge(AggregateStates& later, const std::vector<uint32_t>& target) override {
    auto& other = static_cast<ArrayMergeStates&>(later);
    for (size_t g = 0; g < other.items_.size(); ++g) {
      for (const Dynamic& item : other.items_[g]) Add(target[g], item);
    }
  }
  void Finalize(size_t groups, std::vector<ColumnVector*>& outputs) override {
    for (size_t g = 0; g < groups; ++g) outputs[0]->AppendDynamic(DynamicValue::MakeArray(std::move(items_[g])));
  }

 private:
  void Add(uint32_t group, const Dynamic& item) {
    if (distinct_ && !seen_[group].insert(ToJson(*item)).second) return;
    items_[group].push_back(item);
  }

  size_t value_column_;
  bool distinct_;
  std::vector<std::vector<Dynamic>> items_;
  std::vector<std::unordered_set<std::string>> seen_;
};

// ---- binary_all_and, binary_all_or, binary_all_xor ----

class BitwiseStates : public AggregateStates {
 public:
  BitwiseStates(size_t value_column, char operation) : value_column_(value_column), operation_(operation) {}
  void Resize(size_t groups) override {
    values_.resize(groups, 0);
    has_value_.resize(groups, 0);
  }
  void Update(const DataChunk& chunk, const std::vector<uint32_t>& rows,
              const std::vector<uint32_t>& group_ids) override {
    const ColumnVector& column = chunk.columns[value_column_];
    for (size_t i = 0; i < rows.size(); ++i) {
      const size_t row = rows[i];
      if (column.IsNull(row)) continue;
      const int64_t value = column.physical_type() == PhysicalType::kDouble
                                ? static_cast<int64_t>(column.reals()[row])
                                : column.ints()[row];
      Fold(group_ids[i], value);
    }
  }
  void Merge(AggregateStates& later, const std::vector<uint32_t>& target) override {
    auto& other = static_cast<BitwiseStates&>(later);
    for (size_t g = 0; g < other.values_.size(); ++g) {
      if (other.has_value_[g]) Fold(target[g], other.values_[g]);
    }
  }
  void Finalize(size_t groups, std::vector<ColumnVector*>& outputs) override {
    for (size_t g = 0; g < groups; ++g) {
      outputs[0]->AppendValue(has_value_[g] ? Value::Long(values_[g]) : Value::Null(KqlType::kLong));
    }
  }

 private:
  void Fold(uint32_t group, int64_t value) {
    if (!has_value_[group]) {
      values_[group] = value;
      has_value_[group] = 1;
      return;
    }
    if (operation_ == '&') values_[group] &= value;
    else if (operation_ == '|') values_[group] |= value;
    else values_[group] ^= value;
  }

  size_t value_column_;
  char operation_;
  std::vector<int64_t> values_;
  std::vector<uint8_t> has_value_;
};

// ---- covariance, covariancep, covarianceif ----

class CovarianceStates : public PredicatedStates {
 public:
  CovarianceStates(size_t x_column, size_t y_column, std::optional<size_t> predicate, bool sample)
      : PredicatedStates(predicate), x_column_(x_column), y_column_(y_column), sample_(sample) {}
  void Resize(size_t groups) override { sums_.resize(groups); }
  void Update(const DataChunk& chunk, const std::vector<uint32_t>& rows,
              const std::vector<uint32_t>& group_ids) override {
    const ColumnVector& xs = chunk.columns[x_column_];
    const ColumnVector& ys = chunk.columns[y_column_];
    for (size_t i = 0; i < rows.size(); ++i) {
      const size_t row = rows[i];
      if (xs.IsNull(row) || ys.IsNull(row) || !Accepts(chunk, row)) continue;
      const double x = xs.physical_type() == PhysicalType::kDouble ? xs.reals()[row] : static_cast<double>(xs.ints()[row]);
      const double y = ys.physical_type() == PhysicalType::kDouble ? ys.reals()[row] : static_cast<double>(ys.ints()[row]);
      Sums& sums = sums_[group_ids[i]];
      sums.n += 1;
      sums.x += x;
      sums.y += y;
      sums.xy += x * y;
    }
  }
  void Merge(AggregateStates& later, const std::vector<uint32_t>& target) override {
    auto& other = static_cast<CovarianceStates&>(later);
    for (size_t g = 0; g < other.sums_.size(); ++g) {
      Sums& sums = sums_[target[g]];
      sums.n += other.sums_[g].n;
      sums.x += other.sums_[g].x;
      sums.y += other.sums_[g].y;
      sums.xy += other.sums_[g].xy;
    }
  }
  void Finalize(size_t groups, std::vector<ColumnVector*>& outputs) override {
    for (size_t g = 0; g < groups; ++g) {
      const Sums& sums = sums_[g];
      const double divisor = sample_ ? sums.n - 1 : sums.n;
      const double covariance = divisor <= 0 ? 0.0 : (sums.xy - sums.x * sums.y / sums.n) / divisor;
      outputs[0]->AppendValue(Value::Real(covariance));
    }
  }

 private:
  struct Sums {
    double n = 0, x = 0, y = 0, xy = 0;
  };
  size_t x_column_;
  size_t y_column_;
  bool sample_;
  std::vector<Sums> sums_;
};

// ---- tdigest with a weight: each value repeated `weight` times (the exact state percentile_tdigest reads) ----

class WeightedListStates : public AggregateStates {
 public:
  WeightedListStates(size_t value_column, size_t weight_column) : value_column_(value_column), weight_column_(weight_column) {}
  void Resize(size_t groups) override { items_.resize(groups); }
  void Update(const DataChunk& chunk, const std::vector<uint32_t>& rows,
              const std::vector<uint32_t>& group_ids) override {
    const ColumnVector& values = chunk.columns[value_column_];
    const ColumnVector& weights = chunk.columns[weight_column_];
    for (size_t i = 0; i < rows.size(); ++i) {
      const size_t row = rows[i];
      if (values.IsNull(row) || weights.IsNull(row)) continue;
      const int64_t weight = weights.physical_type() == PhysicalType::kDouble
                                 ? static_cast<int64_t>(weights.reals()[row])
                                 : weights.ints()[row];
      const Dynamic item = CellToDynamic(values, row);
      for (int64_t copy = 0; copy < std::min<int64_t>(weight, kMaxWeight); ++copy) items_[group_ids[i]].push_back(item);
    }
  }
  void Merge(AggregateStates& later, const std::vector<uint32_t>& target) override {
    auto& other = static_cast<WeightedListStates&>(later);
    for (size_t g = 0; g < other.items_.size(); ++g) {
      auto& destination = items_[target[g]];
      destination.insert(destination.end(), other.items_[g].begin(), other.items_[g].end());
    }
  }
  void Finalize(size_t groups, std::vector<ColumnVector*>& outputs) override {
    for (size_t g = 0; g < groups; ++g) outputs[0]->AppendDynamic(DynamicValue::MakeArray(std::move(items_[g])));
  }

 private:
  static constexpr int64_t kMaxWeight = 100000;
  size_t value_column_;
  size_t weight_column_;
  std::vector<std::vector<Dynamic>> items_;
};

// ---- buildschema: the union schema of dynamic values ----

/// One schema node: the scalar type names seen, and at most one property-bag schema (arrays are bags with the
/// key "`indexer`"), in order of first appearance.
struct SchemaNode {
  std::vector<std::string> types;
  std::vector<std::pair<std::string, std::unique_ptr<SchemaNode>>> properties;
  bool has_object = false;
  size_t object_position = 0;  ///< Where the bag goes among `types` when rendered.

  void AddType(const std::string& type) {
    if (std::find(types.begin(), types.end(), type) == types.end()) types.push_back(type);
  }
  SchemaNode& Property(const std::string& key) {
    if (!has_object) {
      has_object = true;
      object_position = types.size();
    }
    for (auto& [name, node] : properties) {
      if (name == key) return *node;
    }
    properties.emplace_back(key, std::make_unique<SchemaNode>());
    return *properties.back().second;
  }
  void Add(const DynamicValue& value) {
    switch (value.kind()) {
      case DynamicValue::Kind::kNull: return;
      case DynamicValue::Kind::kBool: AddType("bool"); return;
      case DynamicValue::Kind::kLong: AddType("long"); return;
      case DynamicValue::Kind::kReal: AddType("double"); return;
      case DynamicValue::Kind::kString: AddType("string"); return;
      case DynamicValue::Kind::kDateTime: AddType("datetime"); return;
      case DynamicValue::Kind::kTimeSpan: AddType("timespan"); return;
      case DynamicValue::Kind::kGuid: AddType("guid"); return;
      case DynamicValue::Kind::kArray: {
        SchemaNode& indexer = Property("`indexer`");
        for (const Dynamic& item : value.items()) indexer.Add(*item);
        return;
      }
      case DynamicValue::Kind::kObject:
        Property("");  // Marks the bag even when it has no members.
        properties.erase(std::remove_if(properties.begin(), properties.end(),
                                        [](const auto& entry) { return entry.first.empty(); }),
                         properties.end());
        for (const auto& [key, member] : value.members()) Property(key).Add(*member);
        return;
    }
  }
  void MergeFrom(const SchemaNode& other) {
    for (const std::string& type : other.types) AddType(type);
    if (other.has_object && !has_object) {
      has_object = true;
      object_position = types.size();
    }
    for (const auto& [key, node] : other.properties) Property(key).MergeFrom(*node);
  }
  Dynamic Render() const {
    std::vector<Dynamic> entries;
    for (size_t i = 0; i <= types.size(); ++i) {
      if (has_object && i == std::min(object_position, types.size())) {
        std::vector<DynamicValue::Member> members;
        for (const auto& [key, node] : properties) members.emplace_back(key, node->Render());
        entries.push_back(DynamicValue::MakeObject(std::move(members)));
      }
      if (i < types.size()) entries.push_back(DynamicValue::MakeString(types[i]));
    }
    if (entries.empty()) return DynamicValue::MakeNull();
    if (entries.size() == 1) return entries[0];
    return DynamicValue::MakeArray(std::move(entries));
  }
};

class BuildSchemaStates : public AggregateStates {
 public:
  explicit BuildSchemaStates(size_t value_column) : value_column_(value_column) {}
  void Resize(size_t groups) override { nodes_.resize(groups); }
  void Update(const DataChunk& chunk, const std::vector<uint32_t>& rows,
              const std::vector<uint32_t>& group_ids) override {
    const ColumnVector& column = chunk.columns[value_column_];
    for (size_t i = 0; i < rows.size(); ++i) {
      const size_t row = rows[i];
      if (column.IsNull(row)) continue;
      const Dynamic value = CellToDynamic(column, row);
      if (value) nodes_[group_ids[i]].Add(*value);
    }
  }
  void Merge(AggregateStates& later, const std::vector<uint32_t>& target) override {
    auto& other = static_cast<BuildSchemaStates&>(later);
    for (size_t g = 0; g < other.nodes_.size(); ++g) nodes_[target[g]].MergeFrom(other.nodes_[g]);
  }
  void Finalize(size_t groups, std::vector<ColumnVector*>& outputs) override {
    for (size_t g = 0; g < groups; ++g) {
      const Dynamic schema = nodes_[g].Render();
      if (schema->IsNull()) {
        outputs[0]->AppendNull();
      } else {
        outputs[0]->AppendDynamic(schema);
      }
    }
  }

 private:
  size_t value_column_;
  std::vector<SchemaNode> nodes_;
};

void RequireArgs(const AggregateSpec& spec, size_t minimum) {
  if (spec.arg_columns.size() < minimum) {
    throw QueryError("Aggregate " + spec.function + " expects at least " + std::to_string(minimum) + " argument(s)");
  }
}

}  // namespace

bool IsSupportedAggregate(const std::string& function) {
  static const std::unordered_set<std::string> kSupported = {
      "count",     "countif",     "dcount",      "dcountif",  "count_distinct", "sum",        "sumif",
      "avg",       "avgif",       "min",         "max",       "minif",          "maxif",      "make_set",
      "make_set_if", "make_list", "make_list_if", "make_list_with_nulls", "make_bag", "make_bag_if", "arg_max",
      "arg_min",   "take_any",    "take_anyif",  "stdev",     "stdevif",        "stdevp",     "variance",
      "varianceif", "variancep",  "percentile",  "percentiles", "count_distinctif", "percentilew", "percentilesw",
      "percentiles_array", "percentilesw_array", "hll", "hll_if", "hll_merge", "tdigest", "tdigest_merge",
      "binary_all_and", "binary_all_or", "binary_all_xor", "covariance", "covariancep", "covarianceif", "buildschema", "argmax", "argmin"};
  return kSupported.count(function) != 0;
}

std::unique_ptr<AggregateStates> CreateAggregateStates(const AggregateSpec& spec) {
  const std::string& name = spec.function;
  const auto& args = spec.arg_columns;
  if (name == "count") return std::make_unique<CountStates>(std::nullopt);
  if (name == "countif") {
    RequireArgs(spec, 1);
    return std::make_unique<CountStates>(args[0]);
  }
  if (name == "sum" || name == "avg") {
    RequireArgs(spec, 1);
    return std::make_unique<SumStates>(args[0], std::nullopt, name == "avg", spec.outputs[0].type);
  }
  if (name == "sumif" || name == "avgif") {
    RequireArgs(spec, 2);
    return std::make_unique<SumStates>(args[0], args[1], name == "avgif", spec.outputs[0].type);
  }
  if (name == "min" || name == "max") {
    RequireArgs(spec, 1);
    return std::make_unique<MinMaxStates>(args[0], std::nullopt, name == "max");
  }
  if (name == "minif" || name == "maxif") {
    RequireArgs(spec, 2);
    return std::make_unique<MinMaxStates>(args[0], args[1], name == "maxif");
  }
  if (name == "arg_max" || name == "arg_min" || name == "argmax" || name == "argmin") {
    RequireArgs(spec, 1);
    return std::make_unique<ArgExtremeStates>(args, name == "arg_max" || name == "argmax");
  }
  if (name == "take_any") {
    RequireArgs(spec, 1);
    return std::make_unique<TakeAnyStates>(args, std::nullopt);
  }
  if (name == "take_anyif") {
    RequireArgs(spec, 2);
    return std::make_unique<TakeAnyStates>(std::vector<size_t>{args[0]}, args[1]);
  }
  if (name == "dcount" || name == "count_distinct") {
    RequireArgs(spec, 1);
    return std::make_unique<DistinctCountStates>(args[0], std::nullopt);
  }
  if (name == "dcountif" || name == "count_distinctif") {
    RequireArgs(spec, 2);
    return std::make_unique<DistinctCountStates>(args[0], args[1]);
  }
  if (name == "make_list" || name == "make_set" || name == "make_list_with_nulls") {
    RequireArgs(spec, 1);
    int64_t max_size = ConstantInt(spec, 1, kDefaultMaxSize);
    return std::make_unique<MakeListStates>(args[0], std::nullopt, max_size, name == "make_set",
                                            name == "make_list_with_nulls");
  }
  if (name == "make_list_if" || name == "make_set_if") {
    RequireArgs(spec, 2);
    int64_t max_size = ConstantInt(spec, 2, kDefaultMaxSize);
    return std::make_unique<MakeListStates>(args[0], args[1], max_size, name == "make_set_if", false);
  }
  if (name == "make_bag") {
    RequireArgs(spec, 1);
    return std::make_unique<MakeBagStates>(args[0], std::nullopt, ConstantInt(spec, 1, kDefaultMaxSize));
  }
  if (name == "make_bag_if") {
    RequireArgs(spec, 2);
    return std::make_unique<MakeBagStates>(args[0], args[1], ConstantInt(spec, 2, kDefaultMaxSize));
  }
  if (name == "stdev" || name == "variance" || name == "stdevp" || name == "variancep") {
    RequireArgs(spec, 1);
    bool sample = name == "stdev" || name == "variance";
    bool root = name == "stdev" || name == "stdevp";
    return std::make_unique<VarianceStates>(args[0], std::nullopt, sample, root);
  }
  if (name == "stdevif" || name == "varianceif") {
    RequireArgs(spec, 2);
    return std::make_unique<VarianceStates>(args[0], args[1], true, name == "stdevif");
  }
  if (name == "percentile" || name == "percentiles" || name == "percentilew" || name == "percentilesw" ||
      name == "percentiles_array" || name == "percentilesw_array") {
    const bool weighted = name == "percentilew" || name == "percentilesw" || name == "percentilesw_array";
    RequireArgs(spec, weighted ? 3 : 2);
    std::vector<double> percents;
    for (size_t i = weighted ? 2 : 1; i < args.size(); ++i) {
      const Value& constant = i < spec.constants.size() ? spec.constants[i] : Value();
      if (!constant.is_null && constant.type == KqlType::kDynamic && constant.dynamic_value &&
          constant.dynamic_value->kind() == DynamicValue::Kind::kArray) {
        for (const Dynamic& item : constant.dynamic_value->items()) {
          if (item->kind() == DynamicValue::Kind::kLong) percents.push_back(static_cast<double>(item->int_value()));
          if (item->kind() == DynamicValue::Kind::kReal) percents.push_back(item->real_value());
        }
        continue;
      }
      percents.push_back(ConstantReal(spec, i, 50.0));
    }
    if (percents.empty()) percents.push_back(50.0);
    const KqlType value_type = spec.arg_types.empty() ? KqlType::kReal : spec.arg_types[0];
    return std::make_unique<WeightedPercentileStates>(args[0], weighted ? std::optional<size_t>(args[1]) : std::nullopt,
                                                      std::move(percents), name.ends_with("_array"), value_type);
  }
  if (name == "covariance" || name == "covariancep" || name == "covarianceif") {
    RequireArgs(spec, name == "covarianceif" ? 3 : 2);
    return std::make_unique<CovarianceStates>(args[0], args[1],
                                              name == "covarianceif" ? std::optional<size_t>(args[2]) : std::nullopt,
                                              name != "covariancep");
  }
  if (name == "buildschema") {
    RequireArgs(spec, 1);
    return std::make_unique<BuildSchemaStates>(args[0]);
  }
  if (name == "tdigest" && args.size() > 1) return std::make_unique<WeightedListStates>(args[0], args[1]);
  if (name == "hll" || name == "tdigest") {
    RequireArgs(spec, 1);
    return std::make_unique<MakeListStates>(args[0], std::nullopt, std::numeric_limits<int64_t>::max(), name == "hll",
                                            false);
  }
  if (name == "hll_if") {
    RequireArgs(spec, 2);
    return std::make_unique<MakeListStates>(args[0], args[1], std::numeric_limits<int64_t>::max(), true, false);
  }
  if (name == "hll_merge" || name == "tdigest_merge") {
    RequireArgs(spec, 1);
    return std::make_unique<ArrayMergeStates>(args[0], name == "hll_merge");
  }
  if (name == "binary_all_and" || name == "binary_all_or" || name == "binary_all_xor") {
    RequireArgs(spec, 1);
    const char operation = name == "binary_all_and" ? '&' : (name == "binary_all_or" ? '|' : '^');
    return std::make_unique<BitwiseStates>(args[0], operation);
  }
  throw QueryError("Unsupported aggregate function: " + name);
}

}  // namespace kql::exec
