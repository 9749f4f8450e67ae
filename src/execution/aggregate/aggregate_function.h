// Aggregate functions of summarize: per-group partial states that are updated chunk by chunk, merged across
// morsels (in morsel order, so order-sensitive results such as make_list are deterministic) and finalised
// into output columns. Arguments arrive as columns of the aggregate's input chunk; grouping is elsewhere.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "types/schema.h"
#include "types/value.h"
#include "vector/column_vector.h"
#include "vector/data_chunk.h"
#include "execution/layer.h"

namespace kql::exec {

/// One aggregate call resolved against the aggregate sink's input chunk.
struct AggregateSpec {
  std::string function;             ///< Canonical name ("count", "make_set", "arg_max"...).
  std::vector<size_t> arg_columns;  ///< Per argument, its column in the input chunk.
  std::vector<KqlType> arg_types;   ///< Per argument, its type.
  std::vector<Value> constants;     ///< Per argument, its value when constant (else a null Value of kUnknown).
  Schema outputs;                   ///< Output columns (one, or several for arg_max/arg_min/take_any).
};

/// The states of one aggregate for all groups of one partial.
class AggregateStates {
 public:
  virtual ~AggregateStates() = default;
  /// Makes room for `groups` groups; new groups start empty.
  virtual void Resize(size_t groups) = 0;
  /// Folds row rows[i] of chunk into group group_ids[i], for every i (rows are in input order).
  virtual void Update(const DataChunk& chunk, const std::vector<uint32_t>& rows,
                      const std::vector<uint32_t>& group_ids) = 0;
  /// Folds group g of `later` (same kind, from a later morsel) into group target[g] of this.
  virtual void Merge(AggregateStates& later, const std::vector<uint32_t>& target) = 0;
  /// Appends one value per group (groups 0..n-1) to each output column.
  virtual void Finalize(size_t groups, std::vector<ColumnVector*>& outputs) = 0;
  /// Bytes held by items that grow with the input (make_list / make_set elements); 0 for fixed-size states.
  /// Kept as a running count, so reading it costs nothing per row.
  virtual uint64_t GrowingBytes() const { return 0; }
};

/// Creates empty states for an aggregate. Throws QueryError for an unknown aggregate or bad arguments.
std::unique_ptr<AggregateStates> CreateAggregateStates(const AggregateSpec& spec);

/// True when `function` is an aggregate that CreateAggregateStates implements.
bool IsSupportedAggregate(const std::string& function);

}  // namespace kql::exec
