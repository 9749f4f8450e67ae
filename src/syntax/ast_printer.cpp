#include "syntax/ast_printer.h"

#include <string_view>
#include "syntax/layer.h"

// GCC 12 reports a false -Wrestrict on `"literal" + std::string` at -O3 (GCC bug 105329).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wrestrict"
#endif

namespace kql::syntax {
namespace {

bool IsPlainIdentifier(std::string_view name) {
  if (name.empty()) return false;
  const char first = name[0];
  const bool start_ok = (first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z') || first == '_' ||
                        (first == '$' && name.size() > 1);
  if (!start_ok) return false;
  for (char c : name.substr(1)) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  // Words that would change the meaning of the text if printed bare.
  static constexpr std::string_view kReserved[] = {
      "and", "or", "by", "on", "with", "asc", "desc", "nulls", "true", "false", "null", "in", "has", "has_cs",
      "contains", "contains_cs", "startswith", "startswith_cs", "endswith", "endswith_cs", "hasprefix",
      "hasprefix_cs", "hassuffix", "hassuffix_cs", "matches", "between", "has_any", "has_all", "let", "set",
      "declare", "alias", "restrict", "of", "to", "from", "step", "limit", "default", "typeof", "datatable",
      "print", "range", "union", "find", "search", "evaluate", "externaldata", "external_data", "where", "project",
      "view", "containscs", "notcontains", "notcontainscs", "nothas", "nothascs", "hascs", "notstartswith",
      "notendswith", "datetime", "date", "time", "timespan", "guid", "dynamic", "uuid", "uniqueid"};
  for (std::string_view word : kReserved) {
    if (word == name) return false;
  }
  return true;
}

std::string QuoteString(std::string_view value) {
  std::string out = "\"";
  for (char c : value) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\0': out += "\\0"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          static constexpr char kHex[] = "0123456789abcdef";
          out += "\\u00";
          out += kHex[(c >> 4) & 0xF];
          out += kHex[c & 0xF];
        } else {
          out += c;
        }
    }
  }
  out += "\"";
  return out;
}

// Renders ["name"].
std::string BracketedName(std::string_view name) {
  std::string out = "[";
  out += QuoteString(name);
  out += "]";
  return out;
}

std::string Name(std::string_view name) {
  if (IsPlainIdentifier(name)) return std::string(name);
  return BracketedName(name);
}

// Precedence levels, higher binds tighter: or, and, equality, relational, string operators, +, *, unary, primary.
int Precedence(const Expr& expr) {
  switch (expr.kind) {
    case ExprKind::kBinary: {
      const BinaryOp op = expr.As<BinaryExpr>().op;
      if (op == BinaryOp::kOr) return 1;
      if (op == BinaryOp::kAnd) return 2;
      if (op == BinaryOp::kEqual || op == BinaryOp::kNotEqual) return 3;
      if (op == BinaryOp::kLess || op == BinaryOp::kLessEqual || op == BinaryOp::kGreater ||
          op == BinaryOp::kGreaterEqual) {
        return 4;
      }
      if (op == BinaryOp::kAdd || op == BinaryOp::kSubtract) return 6;
      if (op == BinaryOp::kMultiply || op == BinaryOp::kDivide || op == BinaryOp::kModulo) return 7;
      return 5;
    }
    case ExprKind::kIn:
    case ExprKind::kBetween: return 3;
    case ExprKind::kUnary: return 8;
    case ExprKind::kTabular: return 0;
    default: return 9;
  }
}

// Comparison levels do not associate: an operand at the same level needs parentheses on either side.
bool IsComparisonLevel(int precedence) { return precedence >= 3 && precedence <= 5; }

class Printer {
 public:
  std::string out;

  void Query(const Query& query) {
    for (const Statement& statement : query.statements) {
      PrintStatement(statement);
      out += ";\n";
    }
    if (query.body) PrintPipelineInto(*query.body);
  }

  void PrintStatement(const Statement& statement) {
    switch (statement.kind) {
      case StatementKind::kLet:
        out += "let " + Name(statement.name) + " = ";
        Optional(statement.value.get());
        break;
      case StatementKind::kSet:
        out += "set " + statement.name;
        if (statement.value) {
          out += " = ";
          Expression(*statement.value);
        }
        break;
      case StatementKind::kDeclareQueryParameters:
        out += "declare query_parameters";
        Params(statement.parameters);
        break;
      case StatementKind::kAlias:
        out += "alias database " + Name(statement.name) + " = ";
        Optional(statement.value.get());
        break;
      case StatementKind::kRestrict:
        out += "restrict access to (";
        ExprList(statement.names);
        out += ")";
        break;
      case StatementKind::kPattern: out += statement.raw; break;
      case StatementKind::kQuery: Optional(statement.value.get()); break;
    }
  }

  void Optional(const Expr* expr) {
    if (expr) {
      Expression(*expr);
    } else {
      out += "<missing>";
    }
  }

  void ExprList(const std::vector<ExprPtr>& items) {
    for (size_t i = 0; i < items.size(); ++i) {
      if (i > 0) out += ", ";
      Optional(items[i].get());
    }
  }

  void Child(const Expr* child, int parent_precedence, bool right_side) {
    if (!child) {
      out += "<missing>";
      return;
    }
    const int precedence = Precedence(*child);
    const bool wrap = precedence < parent_precedence ||
                      (precedence == parent_precedence && (right_side || IsComparisonLevel(precedence)));
    if (wrap) out += "(";
    Expression(*child);
    if (wrap) out += ")";
  }

  void Expression(const Expr& expr) {
    switch (expr.kind) {
      case ExprKind::kError: out += "<error>"; break;
      case ExprKind::kLiteral: {
        const auto& literal = expr.As<LiteralExpr>();
        if (literal.literal_kind == LiteralKind::kString) {
          out += QuoteString(literal.text);
        } else {
          out += literal.raw;
        }
        break;
      }
      case ExprKind::kName: {
        const auto& name = expr.As<NameExpr>();
        out += name.bracketed ? BracketedName(name.name) : Name(name.name);
        break;
      }
      case ExprKind::kStar: out += "*"; break;
      case ExprKind::kUnary: {
        const auto& unary = expr.As<UnaryExpr>();
        out += unary.op == UnaryOp::kNegate ? "-" : "+";
        Child(unary.operand.get(), 9, false);
        break;
      }
      case ExprKind::kBinary: {
        const auto& binary = expr.As<BinaryExpr>();
        const int precedence = Precedence(expr);
        Child(binary.left.get(), precedence, false);
        out += " ";
        out += BinaryOpText(binary.op);
        out += " ";
        Child(binary.right.get(), precedence, true);
        break;
      }
      case ExprKind::kIn: {
        const auto& in = expr.As<InExpr>();
        Child(in.left.get(), 3, false);
        out += " ";
        out += InOpText(in.op);
        out += " (";
        ExprList(in.items);
        out += ")";
        break;
      }
      case ExprKind::kBetween: {
        const auto& between = expr.As<BetweenExpr>();
        Child(between.operand.get(), 3, false);
        out += between.negated ? " !between (" : " between (";
        Optional(between.low.get());
        out += " .. ";
        Optional(between.high.get());
        out += ")";
        break;
      }
      case ExprKind::kCall: Call(expr.As<CallExpr>()); break;
      case ExprKind::kMember: {
        const auto& member = expr.As<MemberExpr>();
        Child(member.target.get(), 9, false);
        if (IsPlainIdentifier(member.member)) {
          out += ".";
          out += member.member;
        } else {
          out += BracketedName(member.member);
        }
        break;
      }
      case ExprKind::kIndex: {
        const auto& index = expr.As<IndexExpr>();
        Child(index.target.get(), 9, false);
        out += "[";
        Optional(index.index.get());
        out += "]";
        break;
      }
      case ExprKind::kTypeOf: {
        const auto& type_of = expr.As<TypeOfExpr>();
        out += "typeof(";
        if (type_of.columns.empty()) {
          out += type_of.type_name;
        } else {
          Columns(type_of.columns);
        }
        out += ")";
        break;
      }
      case ExprKind::kTabular: {
        const auto& tabular = expr.As<TabularExpr>();
        if (tabular.pipeline) {
          PrintPipelineInto(*tabular.pipeline);
        } else {
          out += "<missing>";
        }
        break;
      }
      case ExprKind::kFunctionDecl: {
        const auto& decl = expr.As<FunctionDeclExpr>();
        if (decl.is_view) out += "view ";
        Params(decl.params);
        out += " {\n";
        if (decl.body) {
          for (const Statement& statement : decl.body->statements) {
            PrintStatement(statement);
            out += ";\n";
          }
          if (decl.body->result) Expression(*decl.body->result);
        }
        out += "\n}";
        break;
      }
      case ExprKind::kParen: {
        out += "(";
        Optional(expr.As<ParenExpr>().inner.get());
        out += ")";
        break;
      }
    }
  }

  void Call(const CallExpr& call) {
    if (call.target) {
      Child(call.target.get(), 9, false);
      out += ".";
    }
    out += call.name + "(";
    for (size_t i = 0; i < call.args.size(); ++i) {
      if (i > 0) out += ", ";
      if (i < call.arg_names.size() && !call.arg_names[i].empty()) out += call.arg_names[i] + "=";
      Optional(call.args[i].get());
    }
    out += ")";
  }

  void Columns(const std::vector<ColumnDecl>& columns) {
    for (size_t i = 0; i < columns.size(); ++i) {
      if (i > 0) out += ", ";
      if (columns[i].name == "*") {
        out += "*";
      } else {
        out += Name(columns[i].name) + ":" + columns[i].type;
      }
    }
  }

  void Params(const std::vector<FunctionParam>& params) {
    out += "(";
    for (size_t i = 0; i < params.size(); ++i) {
      if (i > 0) out += ", ";
      out += Name(params[i].decl.name) + ":" + params[i].decl.type;
      if (params[i].default_value) {
        out += " = ";
        Expression(*params[i].default_value);
      }
    }
    out += ")";
  }

  void NamedList(const std::vector<NamedExpr>& items) {
    for (size_t i = 0; i < items.size(); ++i) {
      if (i > 0) out += ", ";
      Named(items[i]);
    }
  }

  void Named(const NamedExpr& item) {
    if (item.names.size() == 1) {
      out += Name(item.names[0]) + " = ";
    } else if (item.names.size() > 1) {
      out += "(";
      for (size_t i = 0; i < item.names.size(); ++i) {
        if (i > 0) out += ", ";
        out += Name(item.names[i]);
      }
      out += ") = ";
    }
    Optional(item.expr.get());
  }

  void OpParams(const std::vector<OperatorParam>& params) {
    for (const OperatorParam& param : params) {
      out += " " + param.name + "=";
      Optional(param.value.get());
    }
  }

  void PropertyList(const std::vector<OperatorParam>& properties) {
    out += "(";
    for (size_t i = 0; i < properties.size(); ++i) {
      if (i > 0) out += ", ";
      out += properties[i].name + "=";
      Optional(properties[i].value.get());
    }
    out += ")";
  }

  void SortKeys(const std::vector<SortTerm>& keys) {
    for (size_t i = 0; i < keys.size(); ++i) {
      if (i > 0) out += ", ";
      Optional(keys[i].expr.get());
      if (keys[i].direction == SortDirection::kAscending) out += " asc";
      if (keys[i].direction == SortDirection::kDescending) out += " desc";
      if (keys[i].nulls == NullsOrder::kFirst) out += " nulls first";
      if (keys[i].nulls == NullsOrder::kLast) out += " nulls last";
    }
  }

  void Patterns(const std::vector<ColumnPattern>& patterns) {
    for (size_t i = 0; i < patterns.size(); ++i) {
      if (i > 0) out += ", ";
      out += patterns[i].has_wildcard ? patterns[i].pattern : Name(patterns[i].pattern);
      if (!patterns[i].order_text.empty()) out += " " + patterns[i].order_text;
    }
  }

  void TableList(const std::vector<PipelinePtr>& tables) {
    for (size_t i = 0; i < tables.size(); ++i) {
      if (i > 0) out += ", ";
      const Pipeline& table = *tables[i];
      const bool simple = table.operators.empty() && table.source &&
                          (table.source->kind == OperatorKind::kTableRef ||
                           table.source->kind == OperatorKind::kCallSource);
      if (!simple) out += "(";
      PrintPipelineInto(table);
      if (!simple) out += ")";
    }
  }

  void ParenPipeline(const Pipeline* pipeline) {
    out += "(";
    if (pipeline) PrintPipelineInto(*pipeline);
    out += ")";
  }

  void PrintPipelineInto(const Pipeline& pipeline) {
    bool first = true;
    if (pipeline.source) {
      Operator(*pipeline.source);
      first = false;
    }
    for (const OperatorPtr& op : pipeline.operators) {
      if (!first) out += "\n| ";
      first = false;
      if (op) Operator(*op);
    }
  }

  void Operator(const syntax::Operator& op) {
    switch (op.kind) {
      case OperatorKind::kTableRef: {
        const auto& ref = op.As<TableRefOp>();
        if (!ref.cluster.empty()) out += "cluster(" + QuoteString(ref.cluster) + ").";
        if (!ref.database.empty()) out += "database(" + QuoteString(ref.database) + ").";
        out += ref.has_wildcard ? ref.table : Name(ref.table);
        return;
      }
      case OperatorKind::kCallSource: {
        const auto& source = op.As<CallSourceOp>();
        if (source.qualifier) {
          Child(source.qualifier.get(), 9, false);
          out += ".";
        }
        if (source.call) Call(*source.call);
        return;
      }
      case OperatorKind::kSubquery: ParenPipeline(op.As<SubqueryOp>().pipeline.get()); return;
      case OperatorKind::kDatatable: {
        const auto& table = op.As<DatatableOp>();
        out += "datatable";
        OpParams(table.params);
        out += "(";
        Columns(table.columns);
        out += ") [";
        ExprList(table.values);
        out += "]";
        return;
      }
      case OperatorKind::kPrint:
        out += "print ";
        NamedList(op.As<PrintOp>().columns);
        return;
      case OperatorKind::kRange: {
        const auto& range = op.As<RangeOp>();
        out += "range " + Name(range.column) + " from ";
        Optional(range.from.get());
        out += " to ";
        Optional(range.to.get());
        out += " step ";
        Optional(range.step.get());
        return;
      }
      case OperatorKind::kExternalData: {
        const auto& external = op.As<ExternalDataOp>();
        out += "externaldata";
        OpParams(external.params);
        out += "(";
        Columns(external.columns);
        out += ") [";
        ExprList(external.uris);
        out += "]";
        if (!external.properties.empty()) {
          out += " with ";
          PropertyList(external.properties);
        }
        return;
      }
      case OperatorKind::kFind: {
        const auto& find = op.As<FindOp>();
        out += "find";
        OpParams(find.params);
        if (!find.tables.empty()) {
          out += " in (";
          TableList(find.tables);
          out += ")";
        }
        out += " where ";
        Optional(find.predicate.get());
        if (find.project_smart) out += " project-smart";
        if (!find.project.empty()) {
          out += " project ";
          NamedList(find.project);
        }
        return;
      }
      case OperatorKind::kSearch: {
        const auto& search = op.As<SearchOp>();
        out += "search";
        OpParams(search.params);
        if (!search.tables.empty()) {
          out += " in (";
          TableList(search.tables);
          out += ")";
        }
        out += " ";
        Optional(search.predicate.get());
        return;
      }
      case OperatorKind::kWhere:
        out += "where ";
        Optional(op.As<WhereOp>().predicate.get());
        return;
      case OperatorKind::kProject:
      case OperatorKind::kExtend:
      case OperatorKind::kSerialize:
      case OperatorKind::kProjectRename: {
        out += OperatorKindName(op.kind);
        OpParams(op.params);
        const auto& project = op.As<ProjectOp>();
        if (!project.columns.empty()) out += " ";
        NamedList(project.columns);
        return;
      }
      case OperatorKind::kProjectAway:
      case OperatorKind::kProjectKeep:
      case OperatorKind::kProjectReorder:
        out += OperatorKindName(op.kind);
        out += " ";
        Patterns(op.As<ColumnListOp>().columns);
        return;
      case OperatorKind::kSummarize: {
        const auto& summarize = op.As<SummarizeOp>();
        out += "summarize";
        OpParams(summarize.params);
        if (!summarize.aggregates.empty()) out += " ";
        NamedList(summarize.aggregates);
        if (!summarize.by.empty()) {
          out += " by ";
          NamedList(summarize.by);
        }
        return;
      }
      case OperatorKind::kSort:
        out += "sort";
        OpParams(op.params);
        out += " by ";
        SortKeys(op.As<SortOp>().keys);
        return;
      case OperatorKind::kTop: {
        const auto& top = op.As<TopOp>();
        out += "top";
        OpParams(top.params);
        out += " ";
        Optional(top.count.get());
        out += " by ";
        SortKeys(top.keys);
        return;
      }
      case OperatorKind::kTopNested: {
        out += "top-nested";
        const auto& nested = op.As<TopNestedOp>();
        for (size_t i = 0; i < nested.levels.size(); ++i) {
          const TopNestedLevel& level = nested.levels[i];
          out += i > 0 ? ", " : " ";
          if (level.count) {
            Expression(*level.count);
            out += " ";
          }
          out += "of ";
          Named(level.of);
          if (level.others) {
            out += " with others = ";
            Expression(*level.others);
          }
          out += " by ";
          Named(level.by);
          if (level.direction == SortDirection::kAscending) out += " asc";
          if (level.direction == SortDirection::kDescending) out += " desc";
        }
        return;
      }
      case OperatorKind::kTopHitters: {
        const auto& hitters = op.As<TopHittersOp>();
        out += "top-hitters";
        OpParams(hitters.params);
        out += " ";
        Optional(hitters.count.get());
        out += " of ";
        Optional(hitters.of.get());
        if (hitters.by) {
          out += " by ";
          Expression(*hitters.by);
        }
        return;
      }
      case OperatorKind::kTake:
      case OperatorKind::kSample:
        out += op.kind == OperatorKind::kTake ? "take" : "sample";
        OpParams(op.params);
        out += " ";
        Optional(op.As<TakeOp>().count.get());
        return;
      case OperatorKind::kSampleDistinct: {
        const auto& sample = op.As<SampleDistinctOp>();
        out += "sample-distinct";
        OpParams(sample.params);
        out += " ";
        Optional(sample.count.get());
        out += " of ";
        Optional(sample.of.get());
        return;
      }
      case OperatorKind::kDistinct:
        out += "distinct";
        OpParams(op.params);
        out += " ";
        NamedList(op.As<DistinctOp>().columns);
        return;
      case OperatorKind::kCount:
      case OperatorKind::kConsume:
      case OperatorKind::kGetSchema:
        out += OperatorKindName(op.kind);
        OpParams(op.params);
        return;
      case OperatorKind::kAs:
        out += "as";
        OpParams(op.params);
        out += " " + Name(op.As<AsOp>().alias);
        return;
      case OperatorKind::kInvoke:
        out += "invoke ";
        if (op.As<InvokeOp>().call) Call(*op.As<InvokeOp>().call);
        return;
      case OperatorKind::kJoin:
      case OperatorKind::kLookup: {
        const auto& join = op.As<JoinOp>();
        out += OperatorKindName(op.kind);
        OpParams(join.params);
        out += " ";
        ParenPipeline(join.right.get());
        if (!join.conditions.empty()) {
          out += " on ";
          ExprList(join.conditions);
        }
        if (join.where) {
          out += " where ";
          Expression(*join.where);
        }
        return;
      }
      case OperatorKind::kUnion: {
        const auto& union_op = op.As<UnionOp>();
        out += "union";
        OpParams(union_op.params);
        out += " ";
        TableList(union_op.tables);
        return;
      }
      case OperatorKind::kMvExpand:
      case OperatorKind::kMvApply: {
        const auto& expand = op.As<MvExpandOp>();
        out += OperatorKindName(op.kind);
        OpParams(expand.params);
        for (size_t i = 0; i < expand.items.size(); ++i) {
          out += i > 0 ? ", " : " ";
          Named(expand.items[i].column);
          if (!expand.items[i].to_type.empty()) out += " to typeof(" + expand.items[i].to_type + ")";
        }
        if (expand.limit) {
          out += " limit ";
          Expression(*expand.limit);
        }
        if (op.kind == OperatorKind::kMvApply) {
          out += " on ";
          ParenPipeline(expand.subquery.get());
        }
        return;
      }
      case OperatorKind::kParse:
      case OperatorKind::kParseWhere:
      case OperatorKind::kParseKv: {
        const auto& parse = op.As<ParseOp>();
        out += OperatorKindName(op.kind);
        OpParams(parse.params);
        out += " ";
        Optional(parse.source.get());
        if (op.kind == OperatorKind::kParseKv) {
          out += " as (";
          for (size_t i = 0; i < parse.columns.size(); ++i) {
            if (i > 0) out += ", ";
            out += Name(parse.columns[i].name);
            if (!parse.columns[i].type.empty()) out += ":" + parse.columns[i].type;
          }
          out += ")";
          if (!parse.properties.empty()) {
            out += " with ";
            PropertyList(parse.properties);
          }
          return;
        }
        out += " with";
        for (const ParsePatternItem& item : parse.pattern) {
          out += " ";
          switch (item.kind) {
            case ParsePatternItem::Kind::kStar: out += "*"; break;
            case ParsePatternItem::Kind::kString: Optional(item.literal.get()); break;
            case ParsePatternItem::Kind::kColumn:
              out += Name(item.column.name);
              if (!item.column.type.empty()) out += ":" + item.column.type;
              break;
          }
        }
        return;
      }
      case OperatorKind::kEvaluate: {
        const auto& evaluate = op.As<EvaluateOp>();
        out += "evaluate";
        OpParams(evaluate.params);
        out += " ";
        if (evaluate.call) Call(*evaluate.call);
        if (!evaluate.output_schema.empty()) {
          out += " : (";
          Columns(evaluate.output_schema);
          out += ")";
        }
        return;
      }
      case OperatorKind::kMakeSeries: {
        const auto& series = op.As<MakeSeriesOp>();
        out += "make-series";
        OpParams(series.params);
        for (size_t i = 0; i < series.aggregates.size(); ++i) {
          out += i > 0 ? ", " : " ";
          Named(series.aggregates[i].aggregate);
          if (series.aggregates[i].default_value) {
            out += " default = ";
            Expression(*series.aggregates[i].default_value);
          }
        }
        out += " on ";
        Child(series.on.get(), 6, false);
        if (series.in_range) {
          out += " in range(";
          Optional(series.from.get());
          out += ", ";
          Optional(series.to.get());
          out += ", ";
          Optional(series.step.get());
          out += ")";
        } else {
          if (series.from) {
            out += " from ";
            Expression(*series.from);
          }
          if (series.to) {
            out += " to ";
            Expression(*series.to);
          }
          out += " step ";
          Optional(series.step.get());
        }
        if (!series.by.empty()) {
          out += " by ";
          NamedList(series.by);
        }
        return;
      }
      case OperatorKind::kRender: {
        const auto& render = op.As<RenderOp>();
        out += "render " + Name(render.chart);
        OpParams(render.params);
        if (!render.properties.empty()) {
          out += " with ";
          PropertyList(render.properties);
        }
        return;
      }
      case OperatorKind::kFork: {
        const auto& fork = op.As<ForkOp>();
        out += "fork";
        for (size_t i = 0; i < fork.branches.size(); ++i) {
          out += " ";
          if (i < fork.branch_names.size() && !fork.branch_names[i].empty()) out += fork.branch_names[i] + "=";
          ParenPipeline(fork.branches[i].get());
        }
        return;
      }
      case OperatorKind::kFacet: {
        const auto& facet = op.As<FacetOp>();
        out += "facet by ";
        Patterns(facet.columns);
        if (facet.with) {
          out += " with ";
          ParenPipeline(facet.with.get());
        }
        return;
      }
      case OperatorKind::kPartition: {
        const auto& partition = op.As<PartitionOp>();
        out += "partition";
        OpParams(partition.params);
        out += " by ";
        Optional(partition.by.get());
        out += " ";
        if (partition.legacy_braces) {
          out += "{";
          if (partition.subquery) PrintPipelineInto(*partition.subquery);
          out += "}";
        } else {
          ParenPipeline(partition.subquery.get());
        }
        return;
      }
      case OperatorKind::kScan: {
        const auto& scan = op.As<ScanOp>();
        out += "scan";
        OpParams(scan.params);
        if (!scan.order_by.empty()) {
          out += " order by ";
          SortKeys(scan.order_by);
        }
        if (!scan.partition_by.empty()) {
          out += " partition by ";
          ExprList(scan.partition_by);
        }
        if (!scan.declarations.empty()) {
          out += " declare ";
          Params(scan.declarations);
        }
        out += " with (";
        for (const ScanStep& step : scan.steps) {
          out += " step " + Name(step.name);
          if (step.optional) out += " optional";
          OpParams(step.params);
          out += ": ";
          Optional(step.condition.get());
          if (!step.assignments.empty()) {
            out += " => ";
            NamedList(step.assignments);
          }
          out += ";";
        }
        out += " )";
        return;
      }
      case OperatorKind::kReduce: {
        const auto& reduce = op.As<ReduceOp>();
        out += "reduce";
        OpParams(reduce.params);
        out += " by ";
        Optional(reduce.by.get());
        if (!reduce.with.empty()) {
          out += " with";
          for (size_t i = 0; i < reduce.with.size(); ++i) {
            out += i > 0 ? ", " : " ";
            out += reduce.with[i].name + "=";
            Optional(reduce.with[i].value.get());
          }
        }
        return;
      }
      case OperatorKind::kMakeGraph: {
        const auto& graph = op.As<MakeGraphOp>();
        out += "make-graph " + Name(graph.source) + " --> " + Name(graph.target);
        for (size_t i = 0; i < graph.nodes.size(); ++i) {
          out += i == 0 ? " with " : ", ";
          ParenPipeline(graph.nodes[i].table.get());
          out += " on " + Name(graph.nodes[i].id_column);
        }
        OpParams(graph.params);
        if (!graph.partition_column.empty()) {
          out += " partitioned-by " + Name(graph.partition_column) + " ";
          ParenPipeline(graph.partition_body.get());
        }
        return;
      }
      case OperatorKind::kGraphMatch: {
        const auto& match = op.As<GraphMatchOp>();
        out += match.name.empty() ? std::string("graph-match") : match.name;
        OpParams(match.params);
        for (size_t i = 0; i < match.sequences.size(); ++i) {
          out += i == 0 ? " " : ", ";
          for (const GraphPatternElement& element : match.sequences[i]) {
            if (!element.is_edge) {
              out += "(" + (element.name.empty() ? std::string() : Name(element.name)) + ")";
              continue;
            }
            out += element.direction == GraphEdgeDirection::kLeft ? "<-[" : "-[";
            if (!element.name.empty()) out += Name(element.name);
            if (element.variable_length) {
              out += "*";
              Optional(element.min_hops.get());
              out += "..";
              Optional(element.max_hops.get());
            }
            out += element.direction == GraphEdgeDirection::kRight ? "]->" : "]-";
          }
        }
        if (match.where) {
          out += " where ";
          Expression(*match.where);
        }
        if (match.has_project) {
          out += " project ";
          NamedList(match.project);
        }
        return;
      }
      case OperatorKind::kGraphMarkComponents:
        out += "graph-mark-components";
        OpParams(op.params);
        return;
      case OperatorKind::kGraphToTable: {
        const auto& to_table = op.As<GraphToTableOp>();
        out += "graph-to-table";
        for (size_t i = 0; i < to_table.parts.size(); ++i) {
          out += i == 0 ? " " : ", ";
          out += to_table.parts[i].edges ? "edges" : "nodes";
          if (!to_table.parts[i].alias.empty()) out += " as " + Name(to_table.parts[i].alias);
          OpParams(to_table.parts[i].params);
        }
        return;
      }
      case OperatorKind::kGeneric: {
        const auto& generic = op.As<GenericOp>();
        if (generic.name == "pattern-reference") {
          out += generic.raw_arguments;
        } else {
          out += generic.name + " " + generic.raw_arguments;
        }
        return;
      }
    }
  }
};

}  // namespace

std::string PrintAst(const Query& query) {
  Printer printer;
  printer.Query(query);
  return std::move(printer.out);
}

std::string PrintExpr(const Expr& expr) {
  Printer printer;
  printer.Expression(expr);
  return std::move(printer.out);
}

std::string PrintPipeline(const Pipeline& pipeline) {
  Printer printer;
  printer.PrintPipelineInto(pipeline);
  return std::move(printer.out);
}

}  // namespace kql::syntax
