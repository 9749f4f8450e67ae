#include "plan/logical_operator.h"
#include "plan/layer.h"

namespace kql::plan {
namespace {

template <typename T>
std::unique_ptr<T> CloneBase(const T& source) {
  auto copy = std::make_unique<T>();
  copy->schema = source.schema;
  for (const auto& child : source.children) copy->children.push_back(child->Clone());
  return copy;
}

std::string JoinNames(const Schema& schema) {
  std::string out;
  for (size_t i = 0; i < schema.size(); ++i) {
    if (i) out += ", ";
    out += schema[i].name;
  }
  return out;
}

std::string DescribeKeys(const std::vector<SortKey>& keys) {
  std::string out;
  for (size_t i = 0; i < keys.size(); ++i) {
    if (i) out += ", ";
    out += keys[i].expr->ToString();
    out += keys[i].ascending ? " asc" : " desc";
    if (keys[i].nulls_first != keys[i].ascending) out += keys[i].nulls_first ? " nulls first" : " nulls last";
  }
  return out;
}

void PrintInto(const LogicalOperator& op, int depth, std::string& out) {
  out += std::string(static_cast<size_t>(depth) * 2, ' ');
  out += op.Describe();
  out += "\n";
  for (const auto& child : op.children) PrintInto(*child, depth + 1, out);
}

}  // namespace

SortKey SortKey::Clone() const {
  SortKey copy;
  copy.expr = expr->Clone();
  copy.ascending = ascending;
  copy.nulls_first = nulls_first;
  return copy;
}

LogicalOperatorPtr LogicalScan::Clone() const {
  auto copy = CloneBase(*this);
  copy->table_name = table_name;
  copy->table_schema = table_schema;
  copy->prefilter = prefilter;
  copy->prefilter_columns = prefilter_columns;
  return copy;
}
std::string LogicalScan::Describe() const {
  std::string out = "Scan " + table_name + " columns=[" + JoinNames(schema) + "]";
  if (!prefilter.empty()) {
    out += " prefilter=[";
    for (size_t i = 0; i < prefilter.size(); ++i) {
      if (i) out += " and ";
      if (prefilter[i].size() > 1) out += "(";
      for (size_t j = 0; j < prefilter[i].size(); ++j) {
        if (j) out += " or ";
        out += "\"" + prefilter[i][j] + "\"";
      }
      if (prefilter[i].size() > 1) out += ")";
    }
    out += "]";
  }
  return out;
}

LogicalOperatorPtr LogicalValues::Clone() const {
  auto copy = CloneBase(*this);
  copy->rows = rows;
  return copy;
}
std::string LogicalValues::Describe() const {
  return "Values columns=[" + JoinNames(schema) + "] rows=" + std::to_string(rows.size());
}

LogicalOperatorPtr LogicalRange::Clone() const {
  auto copy = CloneBase(*this);
  copy->start = start->Clone();
  copy->stop = stop->Clone();
  copy->step = step->Clone();
  return copy;
}
std::string LogicalRange::Describe() const {
  return "Range " + (schema.empty() ? std::string() : schema[0].name) + " from " + start->ToString() + " to " +
         stop->ToString() + " step " + step->ToString();
}

LogicalOperatorPtr LogicalFilter::Clone() const {
  auto copy = CloneBase(*this);
  copy->predicate = predicate->Clone();
  return copy;
}
std::string LogicalFilter::Describe() const { return "Filter " + predicate->ToString(); }

LogicalOperatorPtr LogicalProject::Clone() const {
  auto copy = CloneBase(*this);
  for (const auto& expr : exprs) copy->exprs.push_back(expr->Clone());
  return copy;
}
std::string LogicalProject::Describe() const {
  std::string out = "Project [";
  for (size_t i = 0; i < exprs.size(); ++i) {
    if (i) out += ", ";
    std::string text = exprs[i]->ToString();
    out += text == schema[i].name ? text : schema[i].name + "=" + text;
  }
  return out + "]";
}

LogicalOperatorPtr LogicalAggregate::Clone() const {
  auto copy = CloneBase(*this);
  for (const auto& key : keys) copy->keys.push_back(key->Clone());
  for (const auto& aggregate : aggregates) copy->aggregates.push_back(aggregate.Clone());
  return copy;
}
std::string LogicalAggregate::Describe() const {
  std::string out = "Aggregate keys=[";
  for (size_t i = 0; i < keys.size(); ++i) {
    if (i) out += ", ";
    std::string text = keys[i]->ToString();
    out += text == schema[i].name ? text : schema[i].name + "=" + text;
  }
  out += "] aggregates=[";
  for (size_t i = 0; i < aggregates.size(); ++i) {
    if (i) out += ", ";
    out += aggregates[i].ToString();
  }
  return out + "]";
}

LogicalOperatorPtr LogicalSort::Clone() const {
  auto copy = CloneBase(*this);
  for (const auto& key : keys) copy->keys.push_back(key.Clone());
  return copy;
}
std::string LogicalSort::Describe() const { return "Sort " + DescribeKeys(keys); }

LogicalOperatorPtr LogicalTop::Clone() const {
  auto copy = CloneBase(*this);
  for (const auto& key : keys) copy->keys.push_back(key.Clone());
  copy->limit = limit;
  return copy;
}
std::string LogicalTop::Describe() const { return "Top " + std::to_string(limit) + " by " + DescribeKeys(keys); }

LogicalOperatorPtr LogicalLimit::Clone() const {
  auto copy = CloneBase(*this);
  copy->limit = limit;
  return copy;
}
std::string LogicalLimit::Describe() const { return "Limit " + std::to_string(limit); }

LogicalOperatorPtr LogicalDistinct::Clone() const { return CloneBase(*this); }
std::string LogicalDistinct::Describe() const { return "Distinct [" + JoinNames(schema) + "]"; }

LogicalOperatorPtr LogicalJoin::Clone() const {
  auto copy = CloneBase(*this);
  copy->join_kind = join_kind;
  copy->left_keys = left_keys;
  copy->right_keys = right_keys;
  copy->output_map = output_map;
  copy->is_lookup = is_lookup;
  return copy;
}
std::string LogicalJoin::Describe() const {
  std::string out = std::string(is_lookup ? "Lookup" : "Join") + " kind=" + JoinKindName(join_kind) + " on [";
  for (size_t i = 0; i < left_keys.size(); ++i) {
    if (i) out += ", ";
    const auto& left = children[0]->schema;
    const auto& right = children[1]->schema;
    out += (left_keys[i] < left.size() ? left[left_keys[i]].name : "?") + "==" +
           (right_keys[i] < right.size() ? right[right_keys[i]].name : "?");
  }
  return out + "]";
}

LogicalOperatorPtr LogicalUnion::Clone() const {
  auto copy = CloneBase(*this);
  copy->child_maps = child_maps;
  copy->source_column = source_column;
  copy->source_names = source_names;
  return copy;
}
std::string LogicalUnion::Describe() const { return "Union columns=[" + JoinNames(schema) + "]"; }

LogicalOperatorPtr LogicalMvExpand::Clone() const {
  auto copy = CloneBase(*this);
  copy->columns = columns;
  copy->target_types = target_types;
  copy->item_index_column = item_index_column;
  copy->row_limit = row_limit;
  copy->bag_as_array = bag_as_array;
  return copy;
}
std::string LogicalMvExpand::Describe() const {
  std::string out = "MvExpand [";
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i) out += ", ";
    out += children.empty() || columns[i] >= children[0]->schema.size() ? "?" : children[0]->schema[columns[i]].name;
  }
  return out + "]";
}

std::string PrintPlan(const LogicalOperator& root) {
  std::string out;
  PrintInto(root, 0, out);
  return out;
}

std::string JoinKindName(JoinKind kind) {
  switch (kind) {
    case JoinKind::kInnerUnique: return "innerunique";
    case JoinKind::kInner: return "inner";
    case JoinKind::kLeftOuter: return "leftouter";
    case JoinKind::kRightOuter: return "rightouter";
    case JoinKind::kFullOuter: return "fullouter";
    case JoinKind::kLeftAnti: return "leftanti";
    case JoinKind::kRightAnti: return "rightanti";
    case JoinKind::kLeftSemi: return "leftsemi";
    case JoinKind::kRightSemi: return "rightsemi";
  }
  return "?";
}

}  // namespace kql::plan
