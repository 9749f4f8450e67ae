// Binding of `evaluate geo_polygon_lookup` and `evaluate geo_line_lookup` as a LogicalApply like ipv4_lookup: per
// input row, the lookup rows whose shape holds the row's point (geo_point_in_polygon), or lies within `radius`
// meters of it (geo_distance_point_to_polygon / geo_distance_point_to_line). Arguments (KQL docs):
//   geo_polygon_lookup(LookupTable, PolygonColumn, Longitude, Latitude [, radius] [, return_unmatched]
//                      [, lookup_area_radius] [, return_lookup_key])
//   geo_line_lookup(LookupTable, LineColumn, Longitude, Latitude, radius [, return_unmatched]
//                   [, lookup_area_radius] [, return_lookup_key])
// positionally or by name. The output is the input columns, then the lookup table's without the shape column
// unless return_lookup_key=true; with return_unmatched=true a row without a match is kept with the lookup columns
// empty. lookup_area_radius is only a performance hint and changes no result.
#include <algorithm>
#include <optional>

#include "binder/binder_diagnostic.h"
#include "binder/lookup_join.h"
#include "binder/query_binder.h"
#include "plan/logical_apply.h"
#include "binder/layer.h"

namespace kql::binder {
namespace {

std::unique_ptr<LogicalScan> LookupRowScan(const std::string& name, const Schema& schema) {
  auto scan = std::make_unique<LogicalScan>();
  scan->table_name = name;
  scan->table_schema = schema;
  scan->schema = schema;
  return scan;
}

bool IsTrueConstant(const BoundExpr& flag) {
  return flag.kind == BoundExprKind::kConstant && flag.type == KqlType::kBool && !flag.constant.is_null &&
         flag.constant.int_value != 0;
}

}  // namespace

LogicalOperatorPtr QueryBinder::BindGeoLookup(const CallExpr& call, LogicalOperatorPtr input) {
  if (IsErrorSchema(input->schema)) return input;
  const bool lines = call.name == "geo_line_lookup";
  // Parameter slots after the four required ones, in positional order.
  const std::vector<std::string> optional_names{"radius", "return_unmatched", "lookup_area_radius",
                                                "return_lookup_key"};
  std::vector<const Expr*> positional;
  std::vector<const Expr*> optional(optional_names.size(), nullptr);
  for (size_t index = 0; index < call.args.size(); ++index) {
    const std::string& name = index < call.arg_names.size() ? call.arg_names[index] : std::string();
    if (name.empty()) {
      positional.push_back(call.args[index].get());
      continue;
    }
    auto slot = std::find(optional_names.begin(), optional_names.end(), name);
    if (slot == optional_names.end()) {
      Error(kBindInvalidOperatorParameter, call.args[index]->span, "Unknown " + call.name + " argument: " + name);
      continue;
    }
    optional[slot - optional_names.begin()] = call.args[index].get();
  }
  for (size_t index = 4; index < positional.size() && index - 4 < optional.size(); ++index) {
    optional[index - 4] = positional[index];
  }
  if (positional.size() < 4 || positional.size() > 4 + optional.size() || (lines && optional[0] == nullptr)) {
    Error(kBindWrongArity, call.name_span,
          call.name + (lines ? " expects (LookupTable, LineKey, Longitude, Latitude, radius, ...)"
                             : " expects (LookupTable, PolygonKey, Longitude, Latitude, ...)"));
    return input;
  }
  LetBinding lookup = BindValue(*positional[0], Schema{});
  if (lookup.kind != LetBinding::Kind::kTabular) {
    Error(kBindTabularScalarMismatch, positional[0]->span, call.name + " expects a lookup table first");
    return input;
  }
  auto column_of = [&](const Expr& expr, const Schema& schema) -> std::optional<size_t> {
    const Expr& stripped = StripParens(expr);
    if (stripped.kind != ExprKind::kName) {
      Error(kBindInvalidOperatorParameter, stripped.span, call.name + " expects a column name");
      return std::nullopt;
    }
    std::optional<size_t> index = FindColumn(schema, stripped.As<NameExpr>().name);
    if (!index) BindName(stripped.As<NameExpr>(), schema);
    return index;
  };
  std::optional<size_t> key = column_of(*positional[1], lookup.plan->schema);
  std::optional<size_t> longitude = column_of(*positional[2], input->schema);
  std::optional<size_t> latitude = column_of(*positional[3], input->schema);
  if (!key || !longitude || !latitude) return input;
  BoundExprPtr radius = optional[0] ? BindExpr(*optional[0], Schema{}) : nullptr;
  if (radius && !IsNumeric(radius->type)) {
    Error(kBindInvalidOperatorParameter, optional[0]->span, call.name + " expects a numeric radius");
    return input;
  }
  const bool keep_unmatched = optional[1] && IsTrueConstant(*BindExpr(*optional[1], Schema{}));
  const bool keep_key = optional[3] && IsTrueConstant(*BindExpr(*optional[3], Schema{}));

  auto apply = std::make_unique<LogicalApply>();
  apply->mode = ApplyMode::kPerRow;
  apply->keep_unmatched = keep_unmatched;
  apply->input_name = "\x01geolookup" + std::to_string(apply_count_++);
  const auto pick = ProjectWithConstantKey;
  const Schema lookup_schema = lookup.plan->schema;
  std::vector<size_t> lookup_columns;
  for (size_t column = 0; column < lookup_schema.size(); ++column) lookup_columns.push_back(column);
  // The lookup rows joined with the input row's point on a constant key.
  auto join = std::make_unique<LogicalJoin>();
  join->join_kind = JoinKind::kInner;
  join->left_keys = {lookup_schema.size()};
  join->right_keys = {2};
  for (size_t column = 0; column < lookup_schema.size(); ++column) {
    join->output_map.emplace_back(0, column);
    join->schema.push_back(lookup_schema[column]);
  }
  join->output_map.emplace_back(1, 0);
  join->schema.push_back({"\x01" "longitude", input->schema[*longitude].type});
  join->output_map.emplace_back(1, 1);
  join->schema.push_back({"\x01" "latitude", input->schema[*latitude].type});
  join->children.push_back(pick(std::move(lookup.plan), lookup_columns, true));
  join->children.push_back(pick(LookupRowScan(apply->input_name, input->schema), {*longitude, *latitude}, true));
  const size_t point = lookup_schema.size();
  std::vector<BoundExprPtr> args;
  args.push_back(BoundExpr::MakeColumn(point, join->schema[point].name, join->schema[point].type));
  args.push_back(BoundExpr::MakeColumn(point + 1, join->schema[point + 1].name, join->schema[point + 1].type));
  args.push_back(BoundExpr::MakeColumn(*key, lookup_schema[*key].name, lookup_schema[*key].type));
  BoundExprPtr predicate;
  if (radius == nullptr) {
    predicate = BoundExpr::MakeCall("geo_point_in_polygon", KqlType::kBool, std::move(args));
  } else {
    std::vector<BoundExprPtr> compare;
    compare.push_back(BoundExpr::MakeCall(lines ? "geo_distance_point_to_line" : "geo_distance_point_to_polygon",
                                          KqlType::kReal, std::move(args)));
    compare.push_back(std::move(radius));
    predicate = BoundExpr::MakeCall("<=", KqlType::kBool, std::move(compare));
  }
  auto filter = std::make_unique<LogicalFilter>();
  filter->predicate = std::move(predicate);
  filter->schema = join->schema;
  filter->children.push_back(std::move(join));
  std::vector<size_t> output_columns;
  for (size_t column : lookup_columns) {
    if (keep_key || column != *key) output_columns.push_back(column);
  }
  LogicalOperatorPtr sub = pick(std::move(filter), output_columns, false);
  for (size_t column = 0; column < input->schema.size(); ++column) {
    apply->output_map.emplace_back(0, column);
    apply->schema.push_back(input->schema[column]);
  }
  for (size_t index = 0; index < output_columns.size(); ++index) {
    apply->output_map.emplace_back(1, index);
    apply->schema.push_back(lookup_schema[output_columns[index]]);
  }
  apply->children.push_back(std::move(input));
  apply->children.push_back(std::move(sub));
  return apply;
}

}  // namespace kql::binder
