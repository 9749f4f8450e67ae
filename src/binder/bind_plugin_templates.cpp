// Plugins of `evaluate` that are ordinary KQL over their input: rolling_percentile, activity_counts_metrics and
// active_users_count are bound by writing the equivalent query (with the call's column names and argument
// expressions), parsing it as a tabular function of the input and inlining it like `invoke`. Semantics from the
// KQL reference and its examples:
//   rolling_percentile(Value, Pct, Index, BinSize, BinsCount [, dims...]): per bin of Index (and dims), the
//     percentile of Value over that bin and the BinsCount-1 bins before it; column rolling_<N>_percentile_<V>_<P>;
//     bins after the last bin of the data are not output.
//   activity_counts_metrics(Id, Time, Start, End, Step [, dims...]): per Step bin (aligned on Start, Start..End):
//     count, dcount, new_dcount (ids never seen in an earlier bin), aggregated_dcount (ids seen so far).
//   active_users_count(Id, Time, Start, End, Lookback, Period, ActivePeriods, Bin [, dims...]): per Bin (aligned on
//     Start), the ids that on some Period of the bin were active in at least ActivePeriods distinct Periods of the
//     Lookback window ending there; bins without such ids are not output.
#include <algorithm>

#include "binder/binder_diagnostic.h"
#include "binder/query_binder.h"
#include "syntax/ast_printer.h"
#include "binder/layer.h"

namespace kql::binder {
namespace {

/// A bracketed column reference: ['name'].
std::string Column(const std::string& name) {
  std::string out = "['";
  for (char c : name) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "']";
}

std::string Scalar(const Expr& expr) { return "(" + PrintExpr(expr) + ")"; }

/// ", ['d1'], ['d2']" for the dimension columns from argument `first` on.
std::string Dimensions(const std::vector<std::string>& columns, size_t first) {
  std::string out;
  for (size_t index = first; index < columns.size(); ++index) out += ", " + Column(columns[index]);
  return out;
}

/// Percentile text for the output column name: 50 -> "50", 99.5 -> "99_5".
std::string PercentileName(const Expr& expr) {
  std::string text = PrintExpr(expr);
  std::replace(text.begin(), text.end(), '.', '_');
  return text;
}

}  // namespace

LogicalOperatorPtr QueryBinder::BindPluginTemplate(const CallExpr& call, LogicalOperatorPtr& input) {
  struct Shape {
    std::string_view name;
    size_t min_args;
    std::vector<size_t> column_args;  ///< Arguments that must be column names (dimensions follow min_args).
  };
  static const Shape kShapes[] = {
      {"rolling_percentile", 5, {0, 2}},
      {"activity_counts_metrics", 5, {0, 1}},
      {"active_users_count", 8, {0, 1}},
  };
  const Shape* shape = nullptr;
  for (const Shape& candidate : kShapes) {
    if (candidate.name == call.name) shape = &candidate;
  }
  if (shape == nullptr) return nullptr;
  if (call.args.size() < shape->min_args) {
    Error(kBindWrongArity, call.name_span,
          "Wrong number of arguments: expected " + std::to_string(shape->min_args) + " or more, got " +
              std::to_string(call.args.size()) + " for " + call.name);
    return ErrorPlan();
  }
  // Column arguments (and the dimensions after the fixed ones) must name input columns.
  std::vector<std::string> columns(call.args.size());
  for (size_t index = 0; index < call.args.size(); ++index) {
    const bool is_column = index >= shape->min_args ||
                           std::find(shape->column_args.begin(), shape->column_args.end(), index) !=
                               shape->column_args.end();
    if (!is_column) continue;
    const Expr& arg = StripParens(*call.args[index]);
    if (arg.kind != ExprKind::kName || !FindColumn(input->schema, arg.As<NameExpr>().name)) {
      Error(kBindWrongArgumentType, call.args[index]->span,
            call.name + " expects the name of an input column as argument " + std::to_string(index + 1));
      return ErrorPlan();
    }
    columns[index] = arg.As<NameExpr>().name;
  }
  const auto& args = call.args;
  std::string body;
  if (call.name == "rolling_percentile") {
    const std::string value = Column(columns[0]), index = Column(columns[2]);
    const std::string step = Scalar(*args[3]), count = Scalar(*args[4]);
    const std::string output = "rolling_" + PrintExpr(*args[4]) + "_percentile_" + columns[0] + "_" +
                               PercentileName(*args[1]);
    body = "let __last = toscalar(T | summarize max(bin(" + index + ", " + step + ")));\n"
           "T | extend __bin = bin(" + index + ", " + step + ")\n"
           "| extend __shift = range(0, " + count + " - 1, 1) | mv-expand __shift to typeof(long)\n"
           "| extend __window = __bin + __shift * " + step + " | where __window <= __last\n"
           "| summarize " + Column(output) + " = percentile(" + value + ", " + Scalar(*args[1]) + ") by " + index +
           " = __window" + Dimensions(columns, 5);
  } else if (call.name == "activity_counts_metrics") {
    const std::string id = Column(columns[0]), time = Column(columns[1]);
    const std::string start = Scalar(*args[2]), end = Scalar(*args[3]), step = Scalar(*args[4]);
    const std::string dims = Dimensions(columns, 5);
    // With dimensions the running count restarts at each new combination (rows sorted by them first).
    std::string sort_keys, restart;
    for (size_t index = 5; index < columns.size(); ++index) {
      const std::string column = Column(columns[index]);
      sort_keys += column + " asc, ";
      restart += (restart.empty() ? "" : " or ") + ("prev(" + column + ") != " + column);
    }
    body = "let __d = T | extend __bin = bin_at(" + time + ", " + step + ", " + start + ") | where __bin >= " + start +
           " and __bin <= " + end + ";\n"
           "__d | join kind=inner (__d | summarize __first = min(__bin) by " + id + dims + ") on " + id + dims + "\n"
           "| summarize ['count'] = count(), ['dcount'] = dcount(" + id + "), ['new_dcount'] = dcountif(" + id +
           ", __first == __bin) by " + time + " = __bin" + dims + "\n"
           "| sort by " + sort_keys + time + " asc\n"
           "| extend ['aggregated_dcount'] = row_cumsum(['new_dcount']" + (restart.empty() ? "" : ", " + restart) + ")";
  } else {
    const std::string id = Column(columns[0]), time = Column(columns[1]);
    const std::string start = Scalar(*args[2]), end = Scalar(*args[3]), lookback = Scalar(*args[4]);
    const std::string period = Scalar(*args[5]), active = Scalar(*args[6]), bin = Scalar(*args[7]);
    const std::string dims = Dimensions(columns, 8);
    body = "T | extend __p = bin_at(" + time + ", " + period + ", " + start + ")\n"
           "| summarize by " + id + ", __p" + dims + "\n"
           "| extend __t = range(__p, __p + " + lookback + " - " + period + ", " + period + ")\n"
           "| mv-expand __t to typeof(datetime)\n"
           "| summarize __n = count() by " + id + ", __t" + dims + "\n"
           "| where __n >= " + active + "\n"
           "| extend __bin = bin_at(__t, " + bin + ", " + start + ")\n"
           "| where __bin >= " + start + " and __bin <= " + end + "\n"
           "| summarize ['dcount'] = dcount(" + id + ") by " + time + " = __bin" + dims;
  }
  auto parsed = std::make_unique<ParseResult>(Parse("let __plugin = (T:(*)) {\n" + body + "\n};"));
  if (!parsed->ok() || parsed->query.statements.size() != 1 || parsed->query.statements[0].value == nullptr ||
      parsed->query.statements[0].value->kind != ExprKind::kFunctionDecl) {
    Error(kBindUnsupportedOperator, call.name_span, "The operator is not supported yet: 'evaluate " + call.name + "'");
    return ErrorPlan();
  }
  const FunctionDeclExpr& function = parsed->query.statements[0].value->As<FunctionDeclExpr>();
  plugin_templates_.push_back(std::move(parsed));
  // Inline it like `invoke __plugin()`: the input is the function's table parameter, passed by a hidden let.
  const size_t saved_scope = scopes_.size();
  LetBinding table;
  table.kind = LetBinding::Kind::kTabular;
  table.plan = std::move(input);
  scopes_.emplace_back("\x01plugin_input", std::move(table));
  CallExpr forwarded;
  forwarded.name = call.name;
  forwarded.name_span = call.name_span;
  forwarded.span = call.span;
  auto name = std::make_unique<NameExpr>();
  name->name = "\x01plugin_input";
  name->span = call.span;
  forwarded.args.push_back(std::move(name));
  LetBinding result = InlineFunction(function, forwarded, Schema{});
  scopes_.resize(saved_scope);
  if (result.kind == LetBinding::Kind::kTabular) return std::move(result.plan);
  return ErrorPlan();
}

}  // namespace kql::binder
