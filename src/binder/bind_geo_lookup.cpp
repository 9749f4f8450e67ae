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
#include "binder/per_row_apply.h"
#include "binder/query_binder.h"
#include "plan/logical_apply.h"
#include "binder/layer.h"

namespace kql::binder {

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
  std::optional<size_t> key = BindPluginColumn(*positional[1], lookup.plan->schema, call.name);
  std::optional<size_t> longitude = BindPluginColumn(*positional[2], input->schema, call.name);
  std::optional<size_t> latitude = BindPluginColumn(*positional[3], input->schema, call.name);
  if (!key || !longitude || !latitude) return input;
  BoundExprPtr radius = optional[0] ? BindExpr(*optional[0], Schema{}) : nullptr;
  if (radius && !IsNumeric(radius->type)) {
    Error(kBindInvalidOperatorParameter, optional[0]->span, call.name + " expects a numeric radius");
    return input;
  }
  const bool keep_unmatched = optional[1] && IsTrueConstant(*BindExpr(*optional[1], Schema{}));
  const bool keep_key = optional[3] && IsTrueConstant(*BindExpr(*optional[3], Schema{}));

  const Schema& lookup_schema = lookup.plan->schema;
  std::vector<size_t> output_columns;
  for (size_t column = 0; column < lookup_schema.size(); ++column) {
    if (keep_key || column != *key) output_columns.push_back(column);
  }
  const size_t point = lookup_schema.size();
  std::string input_name = "\x01geolookup" + std::to_string(apply_count_++);
  return BuildLookupApply(
      std::move(input), std::move(lookup.plan), std::move(input_name),
      {{*longitude, "\x01" "longitude"}, {*latitude, "\x01" "latitude"}}, output_columns, keep_unmatched,
      [&](const Schema& joined) {
        std::vector<BoundExprPtr> args;
        args.push_back(BoundExpr::MakeColumn(point, joined[point].name, joined[point].type));
        args.push_back(BoundExpr::MakeColumn(point + 1, joined[point + 1].name, joined[point + 1].type));
        args.push_back(BoundExpr::MakeColumn(*key, joined[*key].name, joined[*key].type));
        if (radius == nullptr) return BoundExpr::MakeCall("geo_point_in_polygon", KqlType::kBool, std::move(args));
        std::vector<BoundExprPtr> compare;
        compare.push_back(BoundExpr::MakeCall(lines ? "geo_distance_point_to_line" : "geo_distance_point_to_polygon",
                                              KqlType::kReal, std::move(args)));
        compare.push_back(std::move(radius));
        return BoundExpr::MakeCall("<=", KqlType::kBool, std::move(compare));
      });
}

}  // namespace kql::binder
