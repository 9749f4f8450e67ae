#include "execution/operator/sequence_scan_operator.h"

#include <optional>

#include "execution/expression_executor.h"
#include "execution/table_builder.h"
#include "execution/layer.h"

namespace kql::exec {
namespace {

/// One active match: its id and, per step, the extended row that step last matched (empty when none).
struct Match {
  int64_t id = 0;
  std::vector<std::vector<Value>> rows;
};

class SequenceScanRunner {
 public:
  SequenceScanRunner(const LogicalSequenceScan& scan, ExecutionContext& context)
      : scan_(scan),
        row_width_(scan.eval_schema.size() / (scan.steps.size() + 1)),
        builder_(scan.schema, context.chunk_size) {
    for (const SequenceStep& step : scan.steps) {
      conditions_.emplace_back(*step.condition, context);
      std::vector<ExpressionExecutor> values;
      for (const auto& assignment : step.assignments) values.emplace_back(*assignment.second, context);
      assignments_.push_back(std::move(values));
    }
    for (size_t index = 0; index < row_width_; ++index) {
      defaults_row_.push_back(Value::Null(scan.eval_schema[index].type));
    }
    const size_t inputs = row_width_ - scan.declared.size();
    for (size_t index = 0; index < scan.declared.size(); ++index) defaults_row_[inputs + index] = scan.defaults[index];
    states_.resize(scan.steps.size());
  }

  void Row(std::vector<Value> current) {
    // The declared variables start at their defaults on every row.
    for (size_t index = current.size(); index < row_width_; ++index) current.push_back(defaults_row_[index]);
    for (size_t k = scan_.steps.size(); k-- > 0;) {
      if (k > 0 && states_[k - 1]) {
        if (Holds(k, current, *states_[k - 1])) {
          Match match = std::move(*states_[k - 1]);
          states_[k - 1].reset();
          match.rows[k] = Extend(k, current, match);
          Emit(k, match);
          states_[k] = std::move(match);
          continue;
        }
      }
      if (states_[k]) {
        if (Holds(k, current, *states_[k])) {
          states_[k]->rows[k] = Extend(k, current, *states_[k]);
          Emit(k, *states_[k]);
        }
        continue;
      }
      if (k == 0) {
        Match fresh;
        fresh.id = next_id_;
        fresh.rows.assign(scan_.steps.size(), {});
        if (Holds(0, current, fresh)) {
          ++next_id_;
          fresh.rows[0] = Extend(0, current, fresh);
          Emit(0, fresh);
          states_[0] = std::move(fresh);
        }
      }
    }
  }

  Table Finish() { return builder_.Finish(); }

 private:
  // A one-row chunk of the evaluation schema: the current row, then each step's row in `match`.
  DataChunk Context(const std::vector<Value>& current, const Match& match) const {
    DataChunk chunk;
    chunk.size = 1;
    for (size_t index = 0; index < scan_.eval_schema.size(); ++index) {
      ColumnVector column(scan_.eval_schema[index].type);
      column.Resize(1);
      const size_t step = index / row_width_;
      const size_t offset = index % row_width_;
      const Value* value = nullptr;
      if (step == 0) {
        value = &current[offset];
      } else if (!match.rows[step - 1].empty()) {
        value = &match.rows[step - 1][offset];
      } else {
        value = &defaults_row_[offset];
      }
      column.SetValue(0, *value);
      chunk.columns.push_back(std::move(column));
    }
    return chunk;
  }

  bool Holds(size_t step, const std::vector<Value>& current, const Match& match) {
    const DataChunk chunk = Context(current, match);
    const ColumnVector result = conditions_[step].Evaluate(chunk);
    return result.IsValid(0) && result.ints()[0] != 0;
  }

  std::vector<Value> Extend(size_t step, const std::vector<Value>& current, const Match& match) {
    std::vector<Value> extended = current;
    if (scan_.steps[step].assignments.empty()) return extended;
    const DataChunk chunk = Context(current, match);
    const size_t inputs = row_width_ - scan_.declared.size();
    for (size_t index = 0; index < assignments_[step].size(); ++index) {
      const size_t variable = scan_.steps[step].assignments[index].first;
      ColumnVector value(scan_.declared[variable].type);
      value.Resize(1);
      value.SetValue(0, assignments_[step][index].Evaluate(chunk).GetValue(0));
      extended[inputs + variable] = value.GetValue(0);
    }
    return extended;
  }

  void Emit(size_t step, const Match& match) {
    if (!scan_.steps[step].output) return;
    DataChunk row;
    row.size = 1;
    for (size_t index = 0; index < scan_.schema.size(); ++index) {
      ColumnVector column(scan_.schema[index].type);
      column.Resize(1);
      column.SetValue(0, index < row_width_ ? match.rows[step][index] : Value::Long(match.id));
      row.columns.push_back(std::move(column));
    }
    builder_.AppendRow(row, 0);
  }

  const LogicalSequenceScan& scan_;
  size_t row_width_;
  TableBuilder builder_;
  std::vector<ExpressionExecutor> conditions_;
  std::vector<std::vector<ExpressionExecutor>> assignments_;
  std::vector<Value> defaults_row_;
  std::vector<std::optional<Match>> states_;
  int64_t next_id_ = 0;
};

}  // namespace

Table ExecuteSequenceScan(const LogicalSequenceScan& scan, const Table& input, ExecutionContext& context) {
  SequenceScanRunner runner(scan, context);
  for (const DataChunk& chunk : input.chunks) {
    for (size_t row = 0; row < chunk.size; ++row) {
      std::vector<Value> values;
      values.reserve(chunk.columns.size());
      for (const ColumnVector& column : chunk.columns) values.push_back(column.GetValue(row));
      runner.Row(std::move(values));
    }
  }
  return runner.Finish();
}

}  // namespace kql::exec
