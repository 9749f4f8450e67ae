// ChartSpec: KQL `render` -> Vega-Lite. See chart_spec.h for the column roles.
#include "engine/chart_spec.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <set>

#include "types/dynamic.h"
#include "types/value.h"

namespace kql::engine {
namespace {

/// Names of the fields the fold transform and the series calculation create (never a KQL column name: KQL
/// identifiers cannot start with "kqlite:" unquoted, and a clash only renames the series).
constexpr const char* kSeriesField = "kqlite:series";
constexpr const char* kValueField = "kqlite:value";

/// The render properties BuildChartSpec draws; any other is named in a warning.
const std::set<std::string>& DrawnProperties() {
  static const std::set<std::string> kDrawn = {"title", "xcolumn", "ycolumns", "series", "kind", "xtitle",
                                               "ytitle", "legend", "xaxis", "yaxis", "ymin", "ymax"};
  return kDrawn;
}

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

std::string Trim(const std::string& text) {
  size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "";
  size_t end = text.find_last_not_of(" \t\r\n");
  return text.substr(begin, end - begin + 1);
}

/// "a, b" -> {"a", "b"} (the binder joins a repeated property's values with ", ").
std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> items;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    std::string item = Trim(text.substr(start, comma - start));
    if (!item.empty()) items.push_back(item);
    start = comma + 1;
  }
  return items;
}

std::string Json(std::string_view text) {
  std::string out;
  AppendJsonString(out, text);
  return out;
}

/// A Vega-Lite field reference: dots and brackets in a column name are escaped so they are not read as paths.
std::string FieldRef(const std::string& name) {
  std::string escaped;
  for (char c : name) {
    if (c == '.' || c == '[' || c == ']' || c == '\\') escaped.push_back('\\');
    escaped.push_back(c);
  }
  return Json(escaped);
}

/// The Vega-Lite measurement type of a column on a positional axis.
std::string AxisType(KqlType type) {
  if (type == KqlType::kDateTime) return "temporal";
  if (IsNumeric(type)) return "quantitative";
  return "nominal";
}

/// The properties of a render request, by lower-case name (the last one wins).
struct RenderProperties {
  std::vector<std::pair<std::string, std::string>> items;

  std::optional<std::string> Get(const std::string& name) const {
    std::optional<std::string> value;
    for (const auto& [key, text] : items) {
      if (Lower(key) == name) value = text;
    }
    return value;
  }
};

/// One channel's encoding: {"field":..., "type":..., extra members}.
std::string Encoding(const std::string& field, const std::string& type, const std::string& extra = "") {
  std::string out = "{\"field\":" + FieldRef(field) + ",\"type\":" + Json(type);
  if (type == "temporal") out += ",\"scale\":{\"type\":\"utc\"}";
  if (!extra.empty()) out += "," + extra;
  out += "}";
  return out;
}

/// Appends `member` to a JSON object body under construction ("a":1,"b":2).
void AddMember(std::string& body, const std::string& member) {
  if (!body.empty()) body += ",";
  body += member;
}

}  // namespace

bool IsDrawnVisualization(const std::string& visualization) {
  static const std::set<std::string> kDrawn = {"timechart",   "linechart", "areachart",   "barchart",
                                               "columnchart", "piechart",  "scatterchart"};
  return kDrawn.count(visualization) > 0;
}

ChartSpec BuildChartSpec(const Table& table, const RenderRequest& request) {
  ChartSpec spec;
  const std::string visualization = Lower(request.visualization);
  if (!IsDrawnVisualization(visualization)) {
    spec.error = "render " + request.visualization +
                 " is not drawn by kqlite (it draws timechart, linechart, areachart, barchart, columnchart, "
                 "piechart and scatterchart)";
    return spec;
  }
  RenderProperties properties{request.properties};
  for (const auto& [key, value] : request.properties) {
    if (!DrawnProperties().count(Lower(key))) {
      spec.warnings.push_back("render property '" + key + "' is not drawn (the chart ignores it)");
    }
  }
  const Schema& schema = table.schema;
  auto find = [&](const std::string& name) -> std::optional<size_t> {
    for (size_t index = 0; index < schema.size(); ++index) {
      if (schema[index].name == name) return index;
    }
    return std::nullopt;
  };
  if (schema.empty()) {
    spec.error = "render " + visualization + ": the result has no columns";
    return spec;
  }

  // The x column.
  std::optional<size_t> x;
  if (auto name = properties.Get("xcolumn")) {
    x = find(*name);
    if (!x) {
      spec.error = "render " + visualization + ": xcolumn '" + *name + "' is not a column of the result";
      return spec;
    }
  } else if (visualization == "timechart") {
    for (size_t index = 0; index < schema.size() && !x; ++index) {
      if (schema[index].type == KqlType::kDateTime) x = index;
    }
    if (!x) {
      spec.error = "render timechart: the result has no datetime column for the x axis";
      return spec;
    }
  } else if (visualization == "piechart") {
    for (size_t index = 0; index < schema.size() && !x; ++index) {
      if (schema[index].type == KqlType::kString) x = index;
    }
    if (!x) x = 0;
  } else {
    x = 0;
  }

  // The series columns.
  std::vector<size_t> series;
  if (auto names = properties.Get("series")) {
    for (const std::string& name : SplitList(*names)) {
      std::optional<size_t> column = find(name);
      if (!column) {
        spec.error = "render " + visualization + ": series column '" + name + "' is not a column of the result";
        return spec;
      }
      series.push_back(*column);
    }
  }

  // The y columns.
  std::vector<size_t> ys;
  if (auto names = properties.Get("ycolumns")) {
    for (const std::string& name : SplitList(*names)) {
      std::optional<size_t> column = find(name);
      if (!column) {
        spec.error = "render " + visualization + ": ycolumns column '" + name + "' is not a column of the result";
        return spec;
      }
      if (!IsNumeric(schema[*column].type)) {
        spec.error = "render " + visualization + ": ycolumns column '" + name + "' is " +
                     std::string(TypeName(schema[*column].type)) + ", not numeric";
        return spec;
      }
      ys.push_back(*column);
    }
  } else {
    for (size_t index = 0; index < schema.size(); ++index) {
      if (index == *x || std::count(series.begin(), series.end(), index)) continue;
      if (IsNumeric(schema[index].type)) ys.push_back(index);
    }
    if (visualization == "piechart" && ys.size() > 1) ys.resize(1);
  }
  if (ys.empty()) {
    spec.error = "render " + visualization + ": the result has no numeric column for the values";
    return spec;
  }
  if (!properties.Get("series") && visualization != "piechart") {
    for (size_t index = 0; index < schema.size(); ++index) {
      if (index == *x || std::count(ys.begin(), ys.end(), index)) continue;
      if (schema[index].type == KqlType::kString) series.push_back(index);
    }
  }

  // The data: the columns the chart uses, one object per row.
  std::vector<size_t> used{*x};
  for (size_t column : series) used.push_back(column);
  for (size_t column : ys) used.push_back(column);
  std::sort(used.begin(), used.end());
  used.erase(std::unique(used.begin(), used.end()), used.end());
  std::string values = "[";
  bool first_row = true;
  for (const auto& row : table.Rows()) {
    if (!first_row) values += ",";
    first_row = false;
    values += "{";
    for (size_t position = 0; position < used.size(); ++position) {
      if (position > 0) values += ",";
      values += Json(schema[used[position]].name) + ":" + FormatJson(row[used[position]]);
    }
    values += "}";
  }
  values += "]";

  // Transforms: several y columns fold into (series, value); series columns combine into one series label.
  const bool fold = ys.size() > 1;
  std::vector<std::string> transforms;
  std::string value_field = schema[ys[0]].name;
  if (fold) {
    std::string fields;
    for (size_t column : ys) AddMember(fields, Json(schema[column].name));
    transforms.push_back("{\"fold\":[" + fields + "],\"as\":[\"kqlite:column\"," + Json(kValueField) + "]}");
    value_field = kValueField;
  }
  std::string series_field;
  std::string legend_title;
  if (!series.empty()) {
    std::string expression;
    for (size_t column : series) {
      if (!expression.empty()) expression += " + ', ' + ";
      expression += "datum[" + Json(schema[column].name) + "]";
      if (!legend_title.empty()) legend_title += ", ";
      legend_title += schema[column].name;
    }
    if (fold) expression += " + ': ' + datum['kqlite:column']";
    transforms.push_back("{\"calculate\":" + Json(expression) + ",\"as\":" + Json(kSeriesField) + "}");
    series_field = kSeriesField;
  } else if (fold) {
    series_field = "kqlite:column";
  }

  // Stacking (kind) for bar, column and area charts.
  std::string stack = "null";
  std::optional<std::string> kind = properties.Get("kind");
  if (kind) {
    std::string kind_name = Lower(*kind);
    bool stackable = visualization == "barchart" || visualization == "columnchart" || visualization == "areachart";
    if (kind_name == "stacked" && stackable) {
      stack = "\"zero\"";
    } else if (kind_name == "stacked100" && stackable) {
      stack = "\"normalize\"";
    } else if (kind_name != "default" && kind_name != "unstacked") {
      spec.warnings.push_back("render " + visualization + ": kind=" + *kind + " is not drawn (drawn as default)");
    }
  }

  // Axis titles and scales.
  std::optional<std::string> xtitle = properties.Get("xtitle");
  std::optional<std::string> ytitle = properties.Get("ytitle");
  std::string x_extra, y_extra;
  if (xtitle) x_extra = "\"title\":" + Json(*xtitle);
  if (ytitle) {
    y_extra = "\"title\":" + Json(*ytitle);
  } else if (fold) {
    y_extra = "\"title\":\"value\"";
  }
  // The y scale: yaxis=log, ymin, ymax.
  std::string y_scale;
  if (auto axis = properties.Get("yaxis"); axis && Lower(*axis) == "log") AddMember(y_scale, "\"type\":\"log\"");
  for (const char* bound : {"ymin", "ymax"}) {
    std::optional<std::string> text = properties.Get(bound);
    if (!text) continue;
    char* end = nullptr;
    std::string number = Trim(*text);
    double parsed = std::strtod(number.c_str(), &end);
    if (number.empty() || *end != '\0' || !std::isfinite(parsed)) {
      spec.warnings.push_back("render " + visualization + ": " + bound + "=" + *text + " is not a number (not drawn)");
      continue;
    }
    AddMember(y_scale, std::string(bound == std::string("ymin") ? "\"domainMin\":" : "\"domainMax\":") + FormatReal(parsed));
  }
  if (!y_scale.empty()) AddMember(y_extra, "\"scale\":{" + y_scale + "}");
  std::string x_scale_log;
  if (auto axis = properties.Get("xaxis"); axis && Lower(*axis) == "log") x_scale_log = "\"scale\":{\"type\":\"log\"}";

  const bool hide_legend = [&] {
    auto legend = properties.Get("legend");
    return legend && Lower(*legend) == "hidden";
  }();
  std::string color;
  if (!series_field.empty()) {
    std::string legend = hide_legend ? "\"legend\":null"
                                     : "\"legend\":{\"title\":" + (legend_title.empty() ? "null" : Json(legend_title)) + "}";
    color = "{\"field\":" + FieldRef(series_field) + ",\"type\":\"nominal\"," + legend + "}";
  }

  const ColumnDef& x_column = schema[*x];
  std::string x_type = AxisType(x_column.type);
  std::string mark, encoding;
  if (visualization == "piechart") {
    mark = "{\"type\":\"arc\",\"tooltip\":true}";
    std::string legend = hide_legend ? ",\"legend\":null" : "";
    encoding = "\"theta\":" + Encoding(value_field, "quantitative", "\"stack\":true") +
               ",\"color\":" + Encoding(x_column.name, "nominal", "\"sort\":null" + legend);
  } else if (visualization == "barchart") {
    // Horizontal bars: the first column on the y axis, values along x.
    mark = "{\"type\":\"bar\",\"tooltip\":true}";
    std::string category_extra = x_type == "nominal" ? "\"sort\":null" : "";
    if (xtitle) AddMember(category_extra, "\"title\":" + Json(*xtitle));
    std::string value_extra = "\"stack\":" + stack;
    if (!y_extra.empty()) value_extra += "," + y_extra;
    encoding = "\"y\":" + Encoding(x_column.name, x_type == "quantitative" ? "ordinal" : x_type, category_extra) +
               ",\"x\":" + Encoding(value_field, "quantitative", value_extra);
    if (!series_field.empty() && stack == "null") encoding += ",\"yOffset\":{\"field\":" + FieldRef(series_field) + "}";
  } else {
    std::string x_extra_all = x_extra;
    if (!x_scale_log.empty()) AddMember(x_extra_all, x_scale_log);
    std::string y_extra_all = y_extra;
    if (visualization == "columnchart") {
      mark = "{\"type\":\"bar\",\"tooltip\":true}";
      if (x_type == "nominal") AddMember(x_extra_all, "\"sort\":null");
      if (x_type == "quantitative") x_type = "ordinal";
      AddMember(y_extra_all, "\"stack\":" + stack);
      if (!series_field.empty() && stack == "null") {
        x_extra_all += std::string(x_extra_all.empty() ? "" : ",") + "\"title\":" + Json(xtitle ? *xtitle : x_column.name);
      }
    } else if (visualization == "areachart") {
      mark = "{\"type\":\"area\",\"tooltip\":true,\"opacity\":0.7}";
      AddMember(y_extra_all, "\"stack\":" + stack);
    } else if (visualization == "scatterchart") {
      mark = "{\"type\":\"point\",\"tooltip\":true,\"filled\":true}";
    } else {
      mark = "{\"type\":\"line\",\"tooltip\":true,\"point\":" + std::string(table.RowCount() <= 60 ? "true" : "false") + "}";
    }
    encoding = "\"x\":" + Encoding(x_column.name, x_type, x_extra_all) +
               ",\"y\":" + Encoding(value_field, "quantitative", y_extra_all);
    if (visualization == "columnchart" && !series_field.empty() && stack == "null") {
      encoding += ",\"xOffset\":{\"field\":" + FieldRef(series_field) + "}";
    }
  }
  if (!color.empty() && visualization != "piechart") encoding += ",\"color\":" + color;

  std::string body = "\"width\":\"container\",\"height\":320";
  if (auto title = properties.Get("title")) AddMember(body, "\"title\":" + Json(*title));
  AddMember(body, "\"data\":{\"values\":" + values + "}");
  if (!transforms.empty()) {
    std::string list;
    for (const std::string& transform : transforms) AddMember(list, transform);
    AddMember(body, "\"transform\":[" + list + "]");
  }
  AddMember(body, "\"mark\":" + mark);
  AddMember(body, "\"encoding\":{" + encoding + "}");
  spec.json = "{" + body + "}";
  return spec;
}

}  // namespace kql::engine
