#include "execution/aggregate/hash_aggregate_sink.h"

#include "execution/aggregate/group_table.h"
#include "execution/query_limits.h"
#include "execution/table_builder.h"
#include "execution/layer.h"

namespace kql::exec {

struct HashAggregateSink::Partial : SinkPartial {
  explicit Partial(const std::vector<KqlType>& key_types) : groups(key_types) {}
  GroupTable groups;
  std::vector<std::unique_ptr<AggregateStates>> states;
  std::vector<uint32_t> rows;       ///< Scratch: active rows of the current chunk.
  std::vector<uint32_t> group_ids;  ///< Scratch: group of each active row.
  uint64_t charged_bytes = 0;       ///< What this partial has charged to the query's memory budget.
};

HashAggregateSink::HashAggregateSink(Schema schema, std::vector<KqlType> key_types,
                                     std::vector<AggregateSpec> aggregates, size_t chunk_size)
    : schema_(std::move(schema)),
      key_types_(std::move(key_types)),
      aggregates_(std::move(aggregates)),
      chunk_size_(chunk_size) {
  // Fails fast on unknown aggregates, before any worker starts.
  for (const auto& spec : aggregates_) CreateAggregateStates(spec);
}

std::unique_ptr<SinkPartial> HashAggregateSink::NewPartial() {
  auto partial = std::make_unique<Partial>(key_types_);
  for (const auto& spec : aggregates_) partial->states.push_back(CreateAggregateStates(spec));
  return partial;
}

void HashAggregateSink::Consume(SinkPartial& base, const DataChunk& chunk) {
  auto& partial = static_cast<Partial&>(base);
  partial.rows.clear();
  chunk.ForEachActive([&](size_t row) { partial.rows.push_back(static_cast<uint32_t>(row)); });
  std::vector<const ColumnVector*> keys;
  keys.reserve(key_types_.size());
  for (size_t k = 0; k < key_types_.size(); ++k) keys.push_back(&chunk.columns[k]);
  partial.groups.FindOrInsert(keys, partial.rows, partial.group_ids);
  for (auto& states : partial.states) {
    states->Resize(partial.groups.size());
    states->Update(chunk, partial.rows, partial.group_ids);
  }
  if (limits_ != nullptr) {
    // Per chunk: a hash entry and key copies per group, a state per aggregate, and growing lists.
    uint64_t bytes = partial.groups.size() * (32 + 24 * key_types_.size() + 32 * aggregates_.size());
    for (const auto& states : partial.states) bytes += states->GrowingBytes();
    if (bytes > partial.charged_bytes) {
      limits_->Charge(bytes - partial.charged_bytes, "summarize");
      partial.charged_bytes = bytes;
    }
  }
}

void HashAggregateSink::Combine(std::unique_ptr<SinkPartial> base) {
  if (!global_) {
    global_ = std::move(base);
    return;
  }
  auto& global = static_cast<Partial&>(*global_);
  auto& partial = static_cast<Partial&>(*base);
  size_t later_groups = partial.groups.size();
  if (later_groups == 0) return;
  std::vector<uint32_t> rows(later_groups);
  for (size_t g = 0; g < later_groups; ++g) rows[g] = static_cast<uint32_t>(g);
  std::vector<const ColumnVector*> keys;
  for (const auto& column : partial.groups.keys()) keys.push_back(&column);
  std::vector<uint32_t> target;
  global.groups.FindOrInsert(keys, rows, target);
  for (size_t a = 0; a < global.states.size(); ++a) {
    global.states[a]->Resize(global.groups.size());
    partial.states[a]->Resize(later_groups);
    global.states[a]->Merge(*partial.states[a], target);
  }
}

Table HashAggregateSink::Finalize() {
  if (!global_) global_ = NewPartial();
  auto& global = static_cast<Partial&>(*global_);
  if (key_types_.empty()) global.groups.EnsureSingleGroup();
  size_t groups = global.groups.size();
  std::vector<ColumnVector> columns;
  for (auto& key : global.groups.mutable_keys()) columns.push_back(std::move(key));
  size_t first_output = columns.size();
  for (size_t c = first_output; c < schema_.size(); ++c) {
    columns.emplace_back(schema_[c].type);
    columns.back().Reserve(groups);
  }
  size_t next = first_output;
  for (size_t a = 0; a < aggregates_.size(); ++a) {
    std::vector<ColumnVector*> outputs;
    for (size_t o = 0; o < aggregates_[a].outputs.size(); ++o) outputs.push_back(&columns[next++]);
    global.states[a]->Resize(groups);
    global.states[a]->Finalize(groups, outputs);
  }
  return TableFromColumns(schema_, std::move(columns), chunk_size_);
}

}  // namespace kql::exec
