#include "execution/operator/hash_join.h"

#include "execution/aggregate/group_table.h"
#include "execution/execution_context.h"
#include "execution/query_limits.h"
#include "execution/table_builder.h"
#include "execution/layer.h"

namespace kql::exec {
namespace {

struct TableRow {
  uint32_t chunk = 0;
  uint32_t row = 0;
};

std::vector<const ColumnVector*> KeyColumns(const DataChunk& chunk, const std::vector<size_t>& keys) {
  std::vector<const ColumnVector*> columns;
  for (size_t key : keys) columns.push_back(&chunk.columns[key]);
  return columns;
}

/// Writes one output row from a left row and/or a right row (nullptr side = nulls).
class JoinOutput {
 public:
  JoinOutput(const LogicalJoin& join, size_t chunk_size, QueryLimits* limits)
      : join_(join), builder_(join.schema, chunk_size) {
    builder_.ChargeTo(limits, "join output");
    columns_.resize(join.output_map.size());
    rows_.resize(join.output_map.size());
  }

  void Emit(const DataChunk* left, size_t left_row, const DataChunk* right, size_t right_row) {
    for (size_t c = 0; c < join_.output_map.size(); ++c) {
      auto [side, index] = join_.output_map[c];
      const DataChunk* chunk = side == 0 ? left : right;
      columns_[c] = chunk == nullptr ? nullptr : &chunk->columns[index];
      rows_[c] = side == 0 ? left_row : right_row;
    }
    builder_.AppendCells(columns_, rows_);
  }

  Table Finish() { return builder_.Finish(); }

 private:
  const LogicalJoin& join_;
  TableBuilder builder_;
  std::vector<const ColumnVector*> columns_;
  std::vector<size_t> rows_;
};

}  // namespace

Table HashJoin(const LogicalJoin& join, const Table& left, const Table& right, size_t chunk_size,
               QueryLimits* limits) {
  if (join.left_keys.size() != join.right_keys.size()) throw QueryError("join: left and right key counts differ");
  std::vector<KqlType> key_types;
  for (size_t k = 0; k < join.right_keys.size(); ++k) {
    KqlType left_type = left.schema[join.left_keys[k]].type;
    KqlType right_type = right.schema[join.right_keys[k]].type;
    if (PhysicalTypeOf(left_type) != PhysicalTypeOf(right_type)) {
      throw QueryError("join: key types differ: " + std::string(TypeName(left_type)) + " and " +
                       std::string(TypeName(right_type)));
    }
    key_types.push_back(right_type);
  }

  // Build: group right rows by key. Null keys match each other, as in Microsoft's engine (conformance: `join
  // kind=inner` on long keys pairs every null-key left row with every null-key right row).
  GroupTable table(key_types);
  std::vector<std::vector<TableRow>> right_rows_by_group;
  std::vector<uint32_t> rows;
  std::vector<uint32_t> groups;
  for (size_t c = 0; c < right.chunks.size(); ++c) {
    const DataChunk& chunk = right.chunks[c];
    rows.clear();
    chunk.ForEachActive([&](size_t row) {
      rows.push_back(static_cast<uint32_t>(row));
    });
    const size_t groups_before = table.size();
    table.FindOrInsert(KeyColumns(chunk, join.right_keys), rows, groups);
    right_rows_by_group.resize(table.size());
    // Per build chunk: a row reference per row, a hash entry, key copy and row list per new key.
    if (limits != nullptr) limits->Charge(rows.size() * 8 + (table.size() - groups_before) * 64, "join build");
    for (size_t i = 0; i < rows.size(); ++i) right_rows_by_group[groups[i]].push_back({static_cast<uint32_t>(c), rows[i]});
  }
  std::vector<uint8_t> group_matched(table.size(), 0);

  // innerunique keeps only the first left row of each key.
  GroupTable seen_left(key_types);
  std::vector<uint32_t> seen_before;

  JoinOutput output(join, chunk_size, limits);
  JoinKind kind = join.join_kind;
  for (const DataChunk& chunk : left.chunks) {
    rows.clear();
    std::vector<uint32_t> all_rows;
    chunk.ForEachActive([&](size_t row) {
      all_rows.push_back(static_cast<uint32_t>(row));
      rows.push_back(static_cast<uint32_t>(row));
    });
    auto left_keys = KeyColumns(chunk, join.left_keys);
    table.Find(left_keys, rows, groups);
    std::vector<uint32_t> match_of(chunk.size, GroupTable::kNoGroup);
    for (size_t i = 0; i < rows.size(); ++i) match_of[rows[i]] = groups[i];
    std::vector<uint8_t> unique_first(chunk.size, 1);
    if (kind == JoinKind::kInnerUnique) {
      size_t before = seen_left.size();
      std::vector<uint32_t> left_groups;
      seen_left.FindOrInsert(left_keys, rows, left_groups);
      // A row is the first of its key when it created its group, i.e. its id is the next new one.
      size_t next_new = before;
      for (size_t i = 0; i < rows.size(); ++i) {
        if (left_groups[i] == next_new) {
          ++next_new;
        } else {
          unique_first[rows[i]] = 0;
        }
      }
    }
    for (uint32_t row : all_rows) {
      uint32_t group = match_of[row];
      bool matched = group != GroupTable::kNoGroup;
      if (matched) group_matched[group] = 1;
      switch (kind) {
        case JoinKind::kInnerUnique:
          if (!matched || !unique_first[row]) break;
          [[fallthrough]];
        case JoinKind::kInner:
          if (!matched) break;
          for (const auto& right_row : right_rows_by_group[group]) {
            output.Emit(&chunk, row, &right.chunks[right_row.chunk], right_row.row);
          }
          break;
        case JoinKind::kLeftOuter:
        case JoinKind::kFullOuter:
          if (!matched) {
            output.Emit(&chunk, row, nullptr, 0);
            break;
          }
          for (const auto& right_row : right_rows_by_group[group]) {
            output.Emit(&chunk, row, &right.chunks[right_row.chunk], right_row.row);
          }
          break;
        case JoinKind::kRightOuter:
          if (!matched) break;
          for (const auto& right_row : right_rows_by_group[group]) {
            output.Emit(&chunk, row, &right.chunks[right_row.chunk], right_row.row);
          }
          break;
        case JoinKind::kLeftSemi:
          if (matched) output.Emit(&chunk, row, nullptr, 0);
          break;
        case JoinKind::kLeftAnti:
          if (!matched) output.Emit(&chunk, row, nullptr, 0);
          break;
        case JoinKind::kRightSemi:
        case JoinKind::kRightAnti: break;
      }
    }
  }

  // Right-side outputs: unmatched (outer, anti) or matched (semi) right rows in right input order.
  if (kind == JoinKind::kRightOuter || kind == JoinKind::kFullOuter || kind == JoinKind::kRightAnti ||
      kind == JoinKind::kRightSemi) {
    bool want_matched = kind == JoinKind::kRightSemi;
    for (size_t c = 0; c < right.chunks.size(); ++c) {
      const DataChunk& chunk = right.chunks[c];
      rows.clear();
      std::vector<uint32_t> all_rows;
      chunk.ForEachActive([&](size_t row) {
        all_rows.push_back(static_cast<uint32_t>(row));
        rows.push_back(static_cast<uint32_t>(row));
      });
      table.Find(KeyColumns(chunk, join.right_keys), rows, groups);
      std::vector<uint8_t> matched(chunk.size, 0);
      for (size_t i = 0; i < rows.size(); ++i) matched[rows[i]] = group_matched[groups[i]];
      for (uint32_t row : all_rows) {
        if (static_cast<bool>(matched[row]) == want_matched) output.Emit(nullptr, 0, &chunk, row);
      }
    }
  }
  return output.Finish();
}

}  // namespace kql::exec
