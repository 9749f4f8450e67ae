#include "execution/operator/pattern_mining_operator.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>

#include "execution/query_limits.h"
#include "execution/table_builder.h"
#include "execution/layer.h"

namespace kql::exec {
namespace {

constexpr int32_t kNoItem = -1;
/// basket stops with an error beyond this many frequent itemsets (a tiny Threshold over many columns).
constexpr size_t kMaxFrequentItemsets = 1000000;

/// The input encoded as items: per row and dimension the item id of its value, or kNoItem.
struct ItemRows {
  size_t dimensions = 0;
  std::vector<int32_t> cells;              ///< rows x dimensions.
  std::vector<double> weights;             ///< Per row.
  std::vector<size_t> item_dimension;      ///< Per item id.
  std::vector<Value> item_value;           ///< Per item id.
  std::vector<std::vector<uint32_t>> tids; ///< Per item id: the rows holding it, ascending.
  double total = 0;
  size_t rows() const { return weights.size(); }
  int32_t At(size_t row, size_t dimension) const { return cells[row * dimensions + dimension]; }
};

double RowWeight(const Value& value) {
  if (value.is_null) return 0;
  switch (value.type) {
    case KqlType::kReal:
    case KqlType::kDecimal: return std::isfinite(value.real_value) ? value.real_value : 0;
    default: return static_cast<double>(value.int_value);
  }
}

ItemRows Encode(const LogicalPatternMining& op, const Table& input) {
  ItemRows data;
  data.dimensions = op.dimensions.size();
  std::vector<std::unordered_map<std::string, int32_t>> ids(data.dimensions);
  for (const std::vector<Value>& row : input.Rows()) {
    const size_t row_index = data.weights.size();
    const double weight = op.weight_column ? RowWeight(row[*op.weight_column]) : 1.0;
    data.weights.push_back(weight);
    data.total += weight;
    for (size_t d = 0; d < data.dimensions; ++d) {
      const Value& value = row[op.dimensions[d]];
      const bool usable = op.minable[d] && !value.is_null && !(value.type == KqlType::kString && value.string_value.empty());
      if (!usable) {
        data.cells.push_back(kNoItem);
        continue;
      }
      auto [found, inserted] = ids[d].try_emplace(FormatGolden(value), static_cast<int32_t>(data.item_value.size()));
      if (inserted) {
        data.item_dimension.push_back(d);
        data.item_value.push_back(value);
        data.tids.emplace_back();
      }
      data.cells.push_back(found->second);
      data.tids[static_cast<size_t>(found->second)].push_back(static_cast<uint32_t>(row_index));
    }
  }
  return data;
}

std::vector<uint32_t> Intersect(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b) {
  std::vector<uint32_t> out;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

double WeightOf(const ItemRows& data, const std::vector<uint32_t>& rows) {
  double sum = 0;
  for (uint32_t row : rows) sum += data.weights[row];
  return sum;
}

/// A pattern: the item fixed per dimension (kNoItem: any), its rows and their weight.
struct Pattern {
  std::vector<int32_t> items;
  std::vector<uint32_t> rows;
  double weight = 0;
  size_t Fixed() const {
    return static_cast<size_t>(std::count_if(items.begin(), items.end(), [](int32_t item) { return item != kNoItem; }));
  }
};

/// Fixes every dimension in which all the pattern's rows hold the same item.
void Close(const ItemRows& data, Pattern& pattern) {
  if (pattern.rows.empty()) return;
  for (size_t d = 0; d < data.dimensions; ++d) {
    if (pattern.items[d] != kNoItem) continue;
    const int32_t first = data.At(pattern.rows[0], d);
    if (first == kNoItem) continue;
    bool shared = true;
    for (uint32_t row : pattern.rows) {
      if (data.At(row, d) != first) {
        shared = false;
        break;
      }
    }
    if (shared) pattern.items[d] = first;
  }
}

/// The rows holding every fixed item of `items` (all rows when none is fixed).
std::vector<uint32_t> RowsOf(const ItemRows& data, const std::vector<int32_t>& items) {
  std::vector<uint32_t> rows;
  bool first = true;
  for (int32_t item : items) {
    if (item == kNoItem) continue;
    rows = first ? data.tids[static_cast<size_t>(item)] : Intersect(rows, data.tids[static_cast<size_t>(item)]);
    first = false;
  }
  if (first) {
    rows.resize(data.rows());
    for (size_t row = 0; row < rows.size(); ++row) rows[row] = static_cast<uint32_t>(row);
  }
  return rows;
}

std::vector<Pattern> Basket(const LogicalPatternMining& op, const ItemRows& data, ExecutionContext& context) {
  const double min_support = op.threshold * data.total - 1e-9 * std::max(1.0, data.total);
  // Frequent itemsets as sorted item id lists, level by level (Apriori with row lists).
  struct Itemset {
    std::vector<int32_t> items;
    std::vector<uint32_t> rows;
    double weight = 0;
  };
  std::vector<Itemset> level;
  for (size_t item = 0; item < data.tids.size(); ++item) {
    Itemset itemset{{static_cast<int32_t>(item)}, data.tids[item], 0};
    itemset.weight = WeightOf(data, itemset.rows);
    if (itemset.weight >= min_support && itemset.weight > 0) level.push_back(std::move(itemset));
  }
  std::set<std::vector<int32_t>> seen;
  std::vector<Pattern> patterns;
  auto emit = [&](const Itemset& itemset) {
    Pattern pattern;
    pattern.items.assign(data.dimensions, kNoItem);
    for (int32_t item : itemset.items) pattern.items[data.item_dimension[static_cast<size_t>(item)]] = item;
    pattern.rows = itemset.rows;
    pattern.weight = itemset.weight;
    Close(data, pattern);
    if (seen.insert(pattern.items).second) patterns.push_back(std::move(pattern));
  };
  for (int size = 1; !level.empty(); ++size) {
    for (const Itemset& itemset : level) emit(itemset);
    if (size >= op.max_dimensions) break;
    if (context.limits != nullptr) context.limits->CheckInterrupt();
    std::set<std::vector<int32_t>> frequent;
    for (const Itemset& itemset : level) frequent.insert(itemset.items);
    std::vector<Itemset> next;
    for (size_t a = 0; a < level.size(); ++a) {
      for (size_t b = a + 1; b < level.size(); ++b) {
        const auto& left = level[a].items;
        const auto& right = level[b].items;
        if (!std::equal(left.begin(), left.end() - 1, right.begin())) break;  // Sorted: the prefix group ended.
        if (data.item_dimension[static_cast<size_t>(left.back())] ==
            data.item_dimension[static_cast<size_t>(right.back())]) {
          continue;  // Two values of one column never occur together.
        }
        std::vector<int32_t> items = left;
        items.push_back(right.back());
        bool subsets_frequent = true;
        for (size_t skip = 0; skip + 2 < items.size() && subsets_frequent; ++skip) {
          std::vector<int32_t> subset;
          for (size_t i = 0; i < items.size(); ++i) {
            if (i != skip) subset.push_back(items[i]);
          }
          subsets_frequent = frequent.contains(subset);
        }
        if (!subsets_frequent) continue;
        Itemset candidate{std::move(items), Intersect(level[a].rows, level[b].rows), 0};
        candidate.weight = WeightOf(data, candidate.rows);
        if (candidate.weight >= min_support && candidate.weight > 0) next.push_back(std::move(candidate));
      }
    }
    if (patterns.size() + next.size() > kMaxFrequentItemsets) {
      throw QueryError("basket: more than " + std::to_string(kMaxFrequentItemsets) +
                       " frequent patterns; raise the Threshold, lower MaxDimensions or project fewer columns");
    }
    std::sort(next.begin(), next.end(), [](const Itemset& x, const Itemset& y) { return x.items < y.items; });
    level = std::move(next);
  }
  return patterns;
}

std::vector<Pattern> Autocluster(const LogicalPatternMining& op, const ItemRows& data, ExecutionContext& context) {
  std::vector<Pattern> patterns;
  size_t minable = 0;
  for (bool flag : op.minable) minable += flag ? 1 : 0;
  if (minable == 0 || data.total <= 0) return patterns;
  std::vector<bool> covered(data.rows(), false);
  const double w = op.size_weight;
  auto remaining_weight = [&](const std::vector<uint32_t>& rows) {
    double sum = 0;
    for (uint32_t row : rows) sum += covered[row] ? 0 : data.weights[row];
    return sum;
  };
  auto score = [&](double weight, size_t fixed) {
    if (fixed == 0 || weight <= 0) return 0.0;
    return std::pow(weight / data.total, w) * std::pow(static_cast<double>(fixed) / static_cast<double>(minable), 1 - w);
  };
  while (true) {
    if (context.limits != nullptr) context.limits->CheckInterrupt();
    // Seeds: the heaviest distinct rows (all their values) among the uncovered ones, first seen first on ties.
    std::map<std::vector<int32_t>, std::pair<double, size_t>> groups;
    for (size_t row = 0; row < data.rows(); ++row) {
      if (covered[row]) continue;
      std::vector<int32_t> key(data.cells.begin() + static_cast<std::ptrdiff_t>(row * data.dimensions),
                               data.cells.begin() + static_cast<std::ptrdiff_t>((row + 1) * data.dimensions));
      auto [found, inserted] = groups.try_emplace(std::move(key), 0.0, row);
      found->second.first += data.weights[row];
    }
    std::vector<const std::pair<const std::vector<int32_t>, std::pair<double, size_t>>*> seeds;
    for (const auto& group : groups) seeds.push_back(&group);
    std::sort(seeds.begin(), seeds.end(), [](const auto* x, const auto* y) {
      if (x->second.first != y->second.first) return x->second.first > y->second.first;
      return x->second.second < y->second.second;
    });
    if (seeds.size() > static_cast<size_t>(op.num_seeds)) seeds.resize(static_cast<size_t>(op.num_seeds));
    // Local search: from each seed, drop the fixed column whose removal raises the score most, while it rises.
    Pattern best;
    double best_score = 0;
    double best_remaining = 0;
    for (const auto* seed : seeds) {
      std::vector<int32_t> items = seed->first;
      std::vector<uint32_t> rows = RowsOf(data, items);
      double current_weight = remaining_weight(rows);
      size_t fixed = Pattern{items, {}, 0}.Fixed();
      double current = score(current_weight, fixed);
      while (fixed > 1) {
        double step_best = current;
        size_t step_dimension = data.dimensions;
        std::vector<uint32_t> step_rows;
        double step_weight = 0;
        for (size_t d = 0; d < data.dimensions; ++d) {
          if (items[d] == kNoItem) continue;
          std::vector<int32_t> wider = items;
          wider[d] = kNoItem;
          std::vector<uint32_t> wider_rows = RowsOf(data, wider);
          const double wider_weight = remaining_weight(wider_rows);
          const double wider_score = score(wider_weight, fixed - 1);
          if (wider_score > step_best) {
            step_best = wider_score;
            step_dimension = d;
            step_rows = std::move(wider_rows);
            step_weight = wider_weight;
          }
        }
        if (step_dimension == data.dimensions) break;
        items[step_dimension] = kNoItem;
        rows = std::move(step_rows);
        current_weight = step_weight;
        current = step_best;
        --fixed;
      }
      if (current > best_score) {
        best_score = current;
        best_remaining = current_weight;
        best.items = items;
        best.rows = std::move(rows);
      }
    }
    if (best_score <= 0 || best_remaining < 0.05 * data.total) break;
    for (uint32_t row : best.rows) covered[row] = true;
    best.weight = WeightOf(data, best.rows);
    Close(data, best);
    patterns.push_back(std::move(best));
  }
  return patterns;
}

}  // namespace

Table ExecutePatternMining(const LogicalPatternMining& op, const Table& input, ExecutionContext& context) {
  const ItemRows data = Encode(op, input);
  std::vector<Pattern> patterns;
  if (data.total > 0) {
    patterns = op.algorithm == PatternMiningAlgorithm::kBasket ? Basket(op, data, context) : Autocluster(op, data, context);
  }
  if (op.algorithm == PatternMiningAlgorithm::kBasket) {
    // Count descending, then fewer fixed columns, then the values in column order (Kusto's order is its own).
    std::stable_sort(patterns.begin(), patterns.end(), [&](const Pattern& x, const Pattern& y) {
      if (x.weight != y.weight) return x.weight > y.weight;
      if (x.Fixed() != y.Fixed()) return x.Fixed() < y.Fixed();
      for (size_t d = 0; d < data.dimensions; ++d) {
        const int32_t a = x.items[d];
        const int32_t b = y.items[d];
        if (a == b) continue;
        if (a == kNoItem || b == kNoItem) return a == kNoItem;
        return FormatGolden(data.item_value[static_cast<size_t>(a)]) < FormatGolden(data.item_value[static_cast<size_t>(b)]);
      }
      return false;
    });
  }
  std::vector<ColumnVector> columns;
  for (const ColumnDef& column : op.schema) columns.emplace_back(column.type);
  for (size_t index = 0; index < patterns.size(); ++index) {
    const Pattern& pattern = patterns[index];
    columns[0].AppendValue(Value::Long(static_cast<int64_t>(index)));
    columns[1].AppendValue(Value::Long(static_cast<int64_t>(std::llround(pattern.weight))));
    columns[2].AppendValue(Value::Real(100.0 * pattern.weight / data.total));
    for (size_t d = 0; d < data.dimensions; ++d) {
      const int32_t item = pattern.items[d];
      columns[3 + d].AppendValue(item == kNoItem ? op.wildcards[d] : data.item_value[static_cast<size_t>(item)]);
    }
  }
  return TableFromColumns(op.schema, std::move(columns), context.chunk_size);
}

}  // namespace kql::exec
