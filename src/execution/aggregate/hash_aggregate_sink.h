// HashAggregateSink: the sink of summarize. Each morsel builds its own group table and aggregate states; partials
// are merged in morsel order, so groups come out in first-seen order whatever the thread count.
// Key and argument expressions are evaluated upstream (the input chunk already holds them as columns).
#pragma once
#include <memory>
#include <vector>

#include "execution/aggregate/aggregate_function.h"
#include "execution/physical_operator.h"
#include "execution/layer.h"

namespace kql::exec {

/// Groups rows by the first `key_count` input columns and computes aggregates over the other columns.
class HashAggregateSink : public Sink {
 public:
  /// `schema` is the output (keys, then every aggregate's outputs); `key_types` the key columns' types.
  HashAggregateSink(Schema schema, std::vector<KqlType> key_types, std::vector<AggregateSpec> aggregates,
                    size_t chunk_size);

  std::unique_ptr<SinkPartial> NewPartial() override;
  void Consume(SinkPartial& partial, const DataChunk& chunk) override;
  void Combine(std::unique_ptr<SinkPartial> partial) override;
  Table Finalize() override;

 private:
  struct Partial;

  Schema schema_;
  std::vector<KqlType> key_types_;
  std::vector<AggregateSpec> aggregates_;
  size_t chunk_size_;
  std::unique_ptr<SinkPartial> global_;
};

}  // namespace kql::exec
