// ResultCollector: the sink that materialises a pipeline's rows as a Table, in morsel order, optionally keeping
// only the first N rows (take/limit) and dropping trailing helper columns.
#pragma once
#include <cstdint>
#include <optional>

#include "execution/physical_operator.h"
#include "execution/layer.h"

namespace kql::exec {

/// Cuts a dense chunk to its first `rows` rows.
void KeepFirstRows(DataChunk& chunk, size_t rows);

/// Collects rows in morsel order.
class ResultCollector : public Sink {
 public:
  /// `schema` is the output; input chunks may carry extra trailing columns, which are dropped.
  explicit ResultCollector(Schema schema, std::optional<int64_t> limit = std::nullopt);

  std::unique_ptr<SinkPartial> NewPartial() override;
  void Consume(SinkPartial& partial, const DataChunk& chunk) override;
  void Combine(std::unique_ptr<SinkPartial> partial) override;
  bool Satisfied() const override;
  Table Finalize() override;
  /// Without a limit every row is kept (a materialised table); with one, at most `limit` rows per morsel.
  const char* RetainedInputName() const override { return limit_ ? nullptr : "a materialised table"; }

 private:
  Table table_;
  std::optional<size_t> limit_;
  size_t rows_ = 0;
};

}  // namespace kql::exec
