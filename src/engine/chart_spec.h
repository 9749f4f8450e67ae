// ChartSpec: turns a query's result and its `render` request into a Vega-Lite specification (data inline), the
// one chart description that `kqlite query --chart` and `kqlite serve` both draw. KQL's chart model (an x column,
// y columns, series columns; docs: "render operator") maps to Vega-Lite marks, encodings and a fold transform.
#pragma once
#include <string>
#include <vector>

#include "kqlite/engine.h"
#include "engine/layer.h"

namespace kql::engine {

/// A chart to draw, or why it cannot be drawn.
struct ChartSpec {
  std::string json;                   ///< The Vega-Lite spec (one JSON object); empty when `error` is set.
  std::string error;                  ///< Why no chart: unsupported visualization, missing or non-numeric column.
  std::vector<std::string> warnings;  ///< Render properties that the chart does not draw, each named.
};

/// The visualizations BuildChartSpec draws: timechart, linechart, areachart, barchart, columnchart, piechart,
/// scatterchart.
bool IsDrawnVisualization(const std::string& visualization);

/// Builds the Vega-Lite spec of `table` as `request` asks. Roles: x = `xcolumn`, else the first datetime column
/// (timechart), the first string column (piechart), the first column (the others); y = `ycolumns`, else every
/// numeric column that is neither x nor a series column; series = `series`, else every other string column.
/// Several y columns are folded into one value field with the column name as the series.
ChartSpec BuildChartSpec(const Table& table, const RenderRequest& request);

}  // namespace kql::engine
