// Binding of `search`: a filter per searched table followed by a union whose first column, `$table`, names each
// row's table. Search terms are rewritten to ordinary string predicates: a bare string term matches a row when
// any column `has` it (non-string columns are compared as text); `*` at the end of a term means hasprefix, at the
// start hassuffix, at both ends contains, and in the middle a regular expression. `Col:"term"` limits a term to
// one column and `* has "x"` applies the operator to every column. kind=case_sensitive uses the _cs operators.
// The piped form names its input `search_arg0`; without `in (...)` and without input, search covers every table
// that has data.
#include <algorithm>
#include <cctype>

#include "binder/binder_diagnostic.h"
#include "binder/query_binder.h"
#include "binder/layer.h"

namespace kql::binder {
namespace {

// The has-family function for a term with `*` wildcards at its ends, and the term without them; a `*` inside
// the term yields "matches regex" with the term as a regular expression.
std::pair<std::string, std::string> TermFunction(const std::string& term, bool case_sensitive) {
  const bool leading = !term.empty() && term.front() == '*';
  const bool trailing = term.size() > 1 && term.back() == '*';
  std::string core = term.substr(leading ? 1 : 0);
  if (trailing) core.pop_back();
  const std::string suffix = case_sensitive ? "_cs" : "";
  if (core.find('*') != std::string::npos) {
    std::string regex = case_sensitive ? "" : "(?i)";
    for (char ch : core) {
      if (ch == '*') {
        regex += ".*";
      } else if (std::isalnum(static_cast<unsigned char>(ch)) || static_cast<unsigned char>(ch) >= 0x80) {
        regex += ch;
      } else {
        regex += '\\';
        regex += ch;
      }
    }
    return {"matches regex", regex};
  }
  if (leading && trailing) return {"contains" + suffix, core};
  if (leading) return {"hassuffix" + suffix, core};
  if (trailing) return {"hasprefix" + suffix, core};
  return {"has" + suffix, core};
}

// `column function text`, converting a non-string column to its text first.
BoundExprPtr ColumnMatches(size_t index, const ColumnDef& column, const std::string& function,
                           const BoundExpr& text, SourceSpan span) {
  BoundExprPtr value = BoundExpr::MakeColumn(index, column.name, column.type, span);
  if (column.type != KqlType::kString) {
    std::vector<BoundExprPtr> args;
    args.push_back(std::move(value));
    value = BoundExpr::MakeCall("tostring", KqlType::kString, std::move(args), span);
  }
  std::vector<BoundExprPtr> args;
  args.push_back(std::move(value));
  args.push_back(text.Clone());
  return BoundExpr::MakeCall(function, KqlType::kBool, std::move(args), span);
}

BoundExprPtr Combine(const std::string& function, BoundExprPtr left, BoundExprPtr right, SourceSpan span) {
  if (!left) return right;
  std::vector<BoundExprPtr> args;
  args.push_back(std::move(left));
  args.push_back(std::move(right));
  return BoundExpr::MakeCall(function, KqlType::kBool, std::move(args), span);
}

// Binds a search predicate against one table's schema.
class SearchPredicateBinder {
 public:
  SearchPredicateBinder(QueryBinder& binder, const Schema& schema, bool case_sensitive)
      : binder_(binder), schema_(schema), case_sensitive_(case_sensitive) {}

  BoundExprPtr Bind(const Expr& expr) {
    const Expr& stripped = StripParens(expr);
    switch (stripped.kind) {
      case ExprKind::kStar: return BoundExpr::MakeConstant(Value::Bool(true), stripped.span);
      case ExprKind::kLiteral: {
        const LiteralExpr& literal = stripped.As<LiteralExpr>();
        // A string term searches every column; another literal is searched as text in the string columns.
        const bool is_string = literal.literal_kind == LiteralKind::kString;
        std::string text = is_string ? literal.text : literal.raw;
        return AnyColumn(text, stripped.span, !is_string);
      }
      case ExprKind::kBinary: {
        const BinaryExpr& binary = stripped.As<BinaryExpr>();
        if (binary.op == BinaryOp::kAnd || binary.op == BinaryOp::kOr) {
          return Combine(binary.op == BinaryOp::kAnd ? "and" : "or", Bind(*binary.left), Bind(*binary.right),
                         stripped.span);
        }
        const Expr& left = StripParens(*binary.left);
        const Expr& right = StripParens(*binary.right);
        const LiteralExpr* term = right.TryAs<LiteralExpr>();
        if (left.kind == ExprKind::kStar) return binder_.BindStarPredicate(binary, schema_, case_sensitive_);
        if (binary.op == BinaryOp::kHas && left.kind == ExprKind::kName && term != nullptr &&
            term->literal_kind == LiteralKind::kString) {
          // Col:"term" (also with wildcards) limits the term to one column.
          std::optional<size_t> index = FindColumn(schema_, left.As<NameExpr>().name);
          if (index) {
            auto [function, core] = TermFunction(term->text, case_sensitive_);
            BoundExprPtr text = BoundExpr::MakeConstant(Value::String(core), right.span);
            return ColumnMatches(*index, schema_[*index], function, *text, stripped.span);
          }
        }
        break;
      }
      case ExprKind::kCall: {
        const CallExpr& call = stripped.As<CallExpr>();
        if (call.name == "not" && call.args.size() == 1 && call.target == nullptr) {
          std::vector<BoundExprPtr> args;
          args.push_back(Bind(*call.args[0]));
          return BoundExpr::MakeCall("not", KqlType::kBool, std::move(args), stripped.span);
        }
        break;
      }
      default: break;
    }
    return binder_.BindPredicate(stripped, schema_);
  }

 private:
  // A term matched against every column (only the string columns when `strings_only`).
  BoundExprPtr AnyColumn(const std::string& term, SourceSpan span, bool strings_only) {
    auto [function, core] = TermFunction(term, case_sensitive_);
    BoundExprPtr text = BoundExpr::MakeConstant(Value::String(core), span);
    BoundExprPtr result;
    for (size_t index = 0; index < schema_.size(); ++index) {
      if (strings_only && schema_[index].type != KqlType::kString) continue;
      result = Combine("or", std::move(result), ColumnMatches(index, schema_[index], function, *text, span), span);
    }
    return result ? std::move(result) : BoundExpr::MakeConstant(Value::Bool(false), span);
  }

  QueryBinder& binder_;
  const Schema& schema_;
  bool case_sensitive_;
};

}  // namespace

BoundExprPtr QueryBinder::BindStarPredicate(const BinaryExpr& binary, const Schema& input, bool case_sensitive) {
  std::string function(BinaryFunction(binary.op));
  // search kind=case_sensitive makes `* has "x"` case-sensitive too.
  if (case_sensitive && function.find("_cs") == std::string::npos &&
      (function.ends_with("has") || function.ends_with("contains") || function.ends_with("prefix") ||
       function.ends_with("suffix") || function.ends_with("startswith") || function.ends_with("endswith"))) {
    function += "_cs";
  }
  const bool negated = function.starts_with("!");
  BoundExprPtr value = BindExpr(*binary.right, input);
  if (value->type != KqlType::kString && value->type != KqlType::kUnknown) {
    std::vector<BoundExprPtr> args;
    args.push_back(std::move(value));
    value = BoundExpr::MakeCall("tostring", KqlType::kString, std::move(args), binary.span);
  }
  BoundExprPtr result;
  for (size_t index = 0; index < input.size(); ++index) {
    if (input[index].name == kErrorColumnName) continue;
    result = Combine(negated ? "and" : "or", std::move(result),
                     ColumnMatches(index, input[index], function, *value, binary.span), binary.span);
  }
  return result ? std::move(result) : BoundExpr::MakeConstant(Value::Bool(negated), binary.span);
}

bool QueryBinder::BindDataTables(SourceSpan span, std::vector<LogicalOperatorPtr>& sources,
                                 std::vector<std::string>& names) {
  if (!options_.data_tables) return false;
  std::vector<std::string> tables = *options_.data_tables;
  std::sort(tables.begin(), tables.end());
  for (const std::string& name : tables) {
    // Watchlists are lookup data registered by hunts, not searchable tables.
    if (catalog_.FindTable(name) == nullptr || name.starts_with(WatchlistTableName(""))) continue;
    names.push_back(name);
    sources.push_back(BindTableName(name, span));
  }
  return true;
}

LogicalOperatorPtr QueryBinder::BindSearch(const SearchOp& op, LogicalOperatorPtr input) {
  bool case_sensitive = false;
  for (const OperatorParam& param : op.params) {
    const std::string text = ParamText(param);
    if (param.name == "kind") {
      if (text == "case_sensitive") {
        case_sensitive = true;
      } else if (text != "case_insensitive" && text != "default") {
        Error(kBindInvalidOperatorParameter, param.span, "Unknown search kind: " + text);
      }
    } else {
      Error(kBindUnsupportedOperator, param.span, "The search parameter is not supported yet: '" + param.name + "'");
    }
  }
  std::vector<LogicalOperatorPtr> sources;
  std::vector<std::string> names;
  if (input != nullptr) {
    sources.push_back(std::move(input));
    names.emplace_back("search_arg0");
  }
  BindTableList(op.tables, "search_arg", false, sources, names);
  if (sources.empty() && op.tables.empty()) {
    // No input and no `in`: the views the query defines (let V = view () {...}) and every table that has data.
    // Without data (explain, lint) and without views the schema is unknown.
    for (size_t index = scope_floor_; index < scopes_.size(); ++index) {
      const auto& [name, binding] = scopes_[index];
      if (binding.kind != LetBinding::Kind::kFunction || !binding.function->is_view) continue;
      if (std::find(names.begin(), names.end(), name) != names.end()) continue;
      names.push_back(name);
      sources.push_back(BindTableName(name, op.span));
    }
    if (!BindDataTables(op.span, sources, names) && sources.empty()) return ErrorPlan();
  }
  return MakeUnion(SearchFilters(op, sources, case_sensitive), names, false, "$table");
}

std::vector<LogicalOperatorPtr> QueryBinder::SearchFilters(const SearchOp& op, std::vector<LogicalOperatorPtr>& sources,
                                                           bool case_sensitive) {
  std::vector<LogicalOperatorPtr> filtered;
  for (LogicalOperatorPtr& source : sources) {
    auto filter = std::make_unique<LogicalFilter>();
    if (op.predicate != nullptr) {
      SearchPredicateBinder predicate(*this, source->schema, case_sensitive);
      filter->predicate = predicate.Bind(*op.predicate);
    } else {
      filter->predicate = BoundExpr::MakeConstant(Value::Bool(true), op.span);
    }
    filter->schema = source->schema;
    filter->children.push_back(std::move(source));
    filtered.push_back(std::move(filter));
  }
  return filtered;
}

}  // namespace kql::binder

namespace kql::binder {
namespace {

/// The columns a bound predicate reads, by index.
void CollectColumns(const BoundExpr& expr, std::vector<size_t>& columns) {
  if (expr.kind == BoundExprKind::kColumnRef &&
      std::find(columns.begin(), columns.end(), expr.column_index) == columns.end()) {
    columns.push_back(expr.column_index);
  }
  for (const BoundExprPtr& arg : expr.args) {
    if (arg) CollectColumns(*arg, columns);
  }
}

/// One table `find` searches: its filtered plan and the columns its predicate reads.
struct FindLeg {
  std::string name;
  LogicalOperatorPtr plan;
  std::vector<size_t> predicate_columns;
};

}  // namespace

LogicalOperatorPtr QueryBinder::BindFind(const FindOp& op) {
  std::string source_column = "source_";
  for (const OperatorParam& param : op.params) {
    if (param.name == "withsource") {
      source_column = ParamText(param);
    } else {
      Error(kBindUnsupportedOperator, param.span, "The find parameter is not supported yet: '" + param.name + "'");
    }
  }
  std::vector<LogicalOperatorPtr> sources;
  std::vector<std::string> names;
  BindTableList(op.tables, "find_arg", false, sources, names);
  // Without `in`: every table that has data (unknown without data: explain, lint).
  if (op.tables.empty() && !BindDataTables(op.span, sources, names)) return ErrorPlan();
  // Tables the predicate does not bind over (it names a column they lack) are left out, as documented; when no
  // table is left, the first table's errors are reported.
  std::vector<FindLeg> legs;
  std::vector<Diagnostic> first_errors;
  for (size_t index = 0; index < sources.size(); ++index) {
    if (IsErrorSchema(sources[index]->schema)) continue;
    const size_t first = diagnostics_.items().size();
    SearchPredicateBinder predicate_binder(*this, sources[index]->schema, false);
    BoundExprPtr predicate = op.predicate ? predicate_binder.Bind(*op.predicate)
                                          : BoundExpr::MakeConstant(Value::Bool(true), op.span);
    std::vector<Diagnostic>& items = diagnostics_.mutable_items();
    if (std::any_of(items.begin() + static_cast<std::ptrdiff_t>(first), items.end(),
                    [](const Diagnostic& item) { return item.severity == Severity::kError; })) {
      if (first_errors.empty()) first_errors.assign(items.begin() + static_cast<std::ptrdiff_t>(first), items.end());
      items.resize(first);
      continue;
    }
    FindLeg leg;
    leg.name = names[index];
    CollectColumns(*predicate, leg.predicate_columns);
    auto filter = std::make_unique<LogicalFilter>();
    filter->predicate = std::move(predicate);
    filter->schema = sources[index]->schema;
    filter->children.push_back(std::move(sources[index]));
    leg.plan = std::move(filter);
    legs.push_back(std::move(leg));
  }
  if (legs.empty()) {
    for (const Diagnostic& diagnostic : first_errors) diagnostics_.mutable_items().push_back(diagnostic);
    if (first_errors.empty()) Error(kBindUnknownTable, op.span, "find has no table to search");
    return ErrorPlan();
  }
  // Output columns: `project` names them (pack_all() adds pack_); project-smart (the default) takes the columns
  // the predicate reads, then the columns every table has with the same type, then pack_ for the rest.
  Schema output;
  bool pack = false;
  auto add_column = [&](const ColumnDef& column) {
    auto existing = std::find_if(output.begin(), output.end(),
                                 [&](const ColumnDef& known) { return known.name == column.name; });
    if (existing == output.end()) {
      output.push_back(column);
    } else if (existing->type != column.type) {
      std::optional<KqlType> common = CommonType(existing->type, column.type);
      existing->type = common ? *common : KqlType::kDynamic;
    }
  };
  if (!op.project.empty()) {
    for (const NamedExpr& item : op.project) {
      const Expr& expr = StripParens(*item.expr);
      if (expr.kind == ExprKind::kCall && expr.As<CallExpr>().name == "pack_all" && expr.As<CallExpr>().args.empty()) {
        pack = true;
        continue;
      }
      if (expr.kind != ExprKind::kName || !item.names.empty()) {
        Error(kBindUnsupportedOperator, expr.span, "find ... project expects column names (and pack_all())");
        return ErrorPlan();
      }
      const std::string& name = expr.As<NameExpr>().name;
      std::optional<KqlType> type;
      for (const FindLeg& leg : legs) {
        if (std::optional<size_t> index = FindColumn(leg.plan->schema, name)) {
          const KqlType found = leg.plan->schema[*index].type;
          std::optional<KqlType> common = type ? CommonType(*type, found) : found;
          type = common ? *common : KqlType::kDynamic;
        }
      }
      if (!type) {
        Error(kBindUnknownName, expr.span, "find ... project: no searched table has the column " + name);
        return ErrorPlan();
      }
      output.push_back({name, *type});
    }
  } else {
    pack = true;
    for (const FindLeg& leg : legs) {
      for (size_t index : leg.predicate_columns) add_column(leg.plan->schema[index]);
    }
    for (const ColumnDef& column : legs[0].plan->schema) {
      const bool everywhere = std::all_of(legs.begin(), legs.end(), [&](const FindLeg& leg) {
        std::optional<size_t> index = FindColumn(leg.plan->schema, column.name);
        return index && leg.plan->schema[*index].type == column.type;
      });
      if (everywhere && column.name != kErrorColumnName) add_column(column);
    }
  }
  std::vector<LogicalOperatorPtr> children;
  std::vector<std::string> leg_names;
  for (FindLeg& leg : legs) {
    const Schema& schema = leg.plan->schema;
    auto project = std::make_unique<LogicalProject>();
    project->exprs.push_back(BoundExpr::MakeConstant(Value::String(leg.name), op.span));
    project->schema.push_back({source_column, KqlType::kString});
    for (const ColumnDef& column : output) {
      std::optional<size_t> index = FindColumn(schema, column.name);
      BoundExprPtr expr = index ? BoundExpr::MakeColumn(*index, column.name, schema[*index].type, op.span)
                                : BoundExpr::MakeConstant(Value::Null(column.type), op.span);
      if (index && schema[*index].type != column.type) {
        std::vector<BoundExprPtr> args;
        args.push_back(std::move(expr));
        const std::string function(ConversionFunctionName(column.type));
        expr = function.empty() ? BoundExpr::MakeCall("todynamic", KqlType::kDynamic, std::move(args), op.span)
                                : BoundExpr::MakeCall(function, column.type, std::move(args), op.span);
      }
      project->exprs.push_back(std::move(expr));
      project->schema.push_back(column);
    }
    if (pack) {
      std::vector<BoundExprPtr> args;
      for (size_t index = 0; index < schema.size(); ++index) {
        if (FindColumn(output, schema[index].name) || schema[index].name == kErrorColumnName) continue;
        args.push_back(BoundExpr::MakeConstant(Value::String(schema[index].name), op.span));
        args.push_back(BoundExpr::MakeColumn(index, schema[index].name, schema[index].type, op.span));
      }
      project->exprs.push_back(BoundExpr::MakeCall("bag_pack", KqlType::kDynamic, std::move(args), op.span));
      project->schema.push_back({"pack_", KqlType::kDynamic});
    }
    project->children.push_back(std::move(leg.plan));
    leg_names.push_back(leg.name);
    children.push_back(std::move(project));
  }
  return MakeUnion(std::move(children), leg_names, false, "");
}

}  // namespace kql::binder
