#include "execution/operator/apply_operator.h"

#include <map>

#include "execution/table_builder.h"
#include "vector/table_source.h"
#include "execution/layer.h"

namespace kql::exec {
namespace {

// Runs the sub-plan over `group` and appends its rows (composed with `row` for per-row output columns).
void RunGroup(const LogicalApply& apply, Table group, const DataChunk* row_chunk, size_t row,
              ExecutionContext& context, const std::function<Table(const LogicalOperator&)>& run,
              TableBuilder& builder) {
  context.sources[apply.input_name] = std::make_shared<MemoryTableSource>(
      apply.input_name, std::make_shared<const Table>(std::move(group)));
  const Table result = run(*apply.children[1]);
  if (apply.keep_unmatched && row_chunk != nullptr && result.RowCount() == 0) {
    std::vector<const ColumnVector*> columns;
    std::vector<size_t> rows;
    for (const auto& [side, index] : apply.output_map) {
      columns.push_back(side == 0 ? &row_chunk->columns[index] : nullptr);
      rows.push_back(side == 0 ? row : 0);
    }
    builder.AppendCells(columns, rows);
    return;
  }
  for (const DataChunk& chunk : result.chunks) {
    for (size_t result_row = 0; result_row < chunk.size; ++result_row) {
      std::vector<const ColumnVector*> columns;
      std::vector<size_t> rows;
      for (const auto& [side, index] : apply.output_map) {
        if (side == 0) {
          columns.push_back(&row_chunk->columns[index]);
          rows.push_back(row);
        } else {
          columns.push_back(&chunk.columns[index]);
          rows.push_back(result_row);
        }
      }
      builder.AppendCells(columns, rows);
    }
  }
}

}  // namespace

Table ExecuteApply(const LogicalApply& apply, const Table& input, ExecutionContext& context,
                   const std::function<Table(const LogicalOperator&)>& run) {
  TableBuilder builder(apply.schema, context.chunk_size);
  const Schema& schema = apply.children[0]->schema;
  if (apply.mode == ApplyMode::kPerRow) {
    for (const DataChunk& chunk : input.chunks) {
      for (size_t row = 0; row < chunk.size; ++row) {
        TableBuilder single(schema, 1);
        single.AppendRow(chunk, row);
        RunGroup(apply, single.Finish(), &chunk, row, context, run, builder);
      }
    }
  } else {
    // Groups in order of first appearance, keyed by the partition value's text and type.
    std::map<std::string, size_t> group_of_key;
    std::vector<TableBuilder> groups;
    for (const DataChunk& chunk : input.chunks) {
      for (size_t row = 0; row < chunk.size; ++row) {
        std::string key;
        for (size_t column : apply.partition_columns) {
          const Value value = chunk.columns[column].GetValue(row);
          key += value.is_null ? std::string("\x01null") : FormatJson(value);
          key += '\x02';
        }
        auto [found, inserted] = group_of_key.emplace(key, groups.size());
        if (inserted) groups.emplace_back(schema, context.chunk_size);
        groups[found->second].AppendRow(chunk, row);
      }
    }
    for (TableBuilder& group : groups) RunGroup(apply, group.Finish(), nullptr, 0, context, run, builder);
  }
  context.sources.erase(apply.input_name);
  return builder.Finish();
}

}  // namespace kql::exec
