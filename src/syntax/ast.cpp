#include "syntax/ast.h"
#include "syntax/layer.h"

namespace kql::syntax {

std::string_view OperatorKindName(OperatorKind kind) {
  switch (kind) {
    case OperatorKind::kTableRef: return "table";
    case OperatorKind::kCallSource: return "call";
    case OperatorKind::kSubquery: return "subquery";
    case OperatorKind::kDatatable: return "datatable";
    case OperatorKind::kPrint: return "print";
    case OperatorKind::kRange: return "range";
    case OperatorKind::kExternalData: return "externaldata";
    case OperatorKind::kFind: return "find";
    case OperatorKind::kSearch: return "search";
    case OperatorKind::kWhere: return "where";
    case OperatorKind::kProject: return "project";
    case OperatorKind::kExtend: return "extend";
    case OperatorKind::kProjectAway: return "project-away";
    case OperatorKind::kProjectKeep: return "project-keep";
    case OperatorKind::kProjectReorder: return "project-reorder";
    case OperatorKind::kProjectRename: return "project-rename";
    case OperatorKind::kSummarize: return "summarize";
    case OperatorKind::kSort: return "sort";
    case OperatorKind::kTop: return "top";
    case OperatorKind::kTopNested: return "top-nested";
    case OperatorKind::kTopHitters: return "top-hitters";
    case OperatorKind::kTake: return "take";
    case OperatorKind::kSample: return "sample";
    case OperatorKind::kSampleDistinct: return "sample-distinct";
    case OperatorKind::kDistinct: return "distinct";
    case OperatorKind::kCount: return "count";
    case OperatorKind::kAs: return "as";
    case OperatorKind::kConsume: return "consume";
    case OperatorKind::kGetSchema: return "getschema";
    case OperatorKind::kSerialize: return "serialize";
    case OperatorKind::kInvoke: return "invoke";
    case OperatorKind::kJoin: return "join";
    case OperatorKind::kLookup: return "lookup";
    case OperatorKind::kUnion: return "union";
    case OperatorKind::kMvExpand: return "mv-expand";
    case OperatorKind::kMvApply: return "mv-apply";
    case OperatorKind::kParse: return "parse";
    case OperatorKind::kParseWhere: return "parse-where";
    case OperatorKind::kParseKv: return "parse-kv";
    case OperatorKind::kEvaluate: return "evaluate";
    case OperatorKind::kMakeSeries: return "make-series";
    case OperatorKind::kRender: return "render";
    case OperatorKind::kFork: return "fork";
    case OperatorKind::kFacet: return "facet";
    case OperatorKind::kPartition: return "partition";
    case OperatorKind::kScan: return "scan";
    case OperatorKind::kReduce: return "reduce";
    case OperatorKind::kMakeGraph: return "make-graph";
    case OperatorKind::kGraphMatch: return "graph-match";
    case OperatorKind::kGraphMarkComponents: return "graph-mark-components";
    case OperatorKind::kGraphToTable: return "graph-to-table";
    case OperatorKind::kGeneric: return "generic";
  }
  return "?";
}

std::string_view BinaryOpText(BinaryOp op) {
  switch (op) {
    case BinaryOp::kOr: return "or";
    case BinaryOp::kAnd: return "and";
    case BinaryOp::kEqual: return "==";
    case BinaryOp::kNotEqual: return "!=";
    case BinaryOp::kLess: return "<";
    case BinaryOp::kLessEqual: return "<=";
    case BinaryOp::kGreater: return ">";
    case BinaryOp::kGreaterEqual: return ">=";
    case BinaryOp::kEqualCi: return "=~";
    case BinaryOp::kNotEqualCi: return "!~";
    case BinaryOp::kHas: return "has";
    case BinaryOp::kNotHas: return "!has";
    case BinaryOp::kHasCs: return "has_cs";
    case BinaryOp::kNotHasCs: return "!has_cs";
    case BinaryOp::kHasPrefix: return "hasprefix";
    case BinaryOp::kNotHasPrefix: return "!hasprefix";
    case BinaryOp::kHasPrefixCs: return "hasprefix_cs";
    case BinaryOp::kNotHasPrefixCs: return "!hasprefix_cs";
    case BinaryOp::kHasSuffix: return "hassuffix";
    case BinaryOp::kNotHasSuffix: return "!hassuffix";
    case BinaryOp::kHasSuffixCs: return "hassuffix_cs";
    case BinaryOp::kNotHasSuffixCs: return "!hassuffix_cs";
    case BinaryOp::kContains: return "contains";
    case BinaryOp::kNotContains: return "!contains";
    case BinaryOp::kContainsCs: return "contains_cs";
    case BinaryOp::kNotContainsCs: return "!contains_cs";
    case BinaryOp::kStartsWith: return "startswith";
    case BinaryOp::kNotStartsWith: return "!startswith";
    case BinaryOp::kStartsWithCs: return "startswith_cs";
    case BinaryOp::kNotStartsWithCs: return "!startswith_cs";
    case BinaryOp::kEndsWith: return "endswith";
    case BinaryOp::kNotEndsWith: return "!endswith";
    case BinaryOp::kEndsWithCs: return "endswith_cs";
    case BinaryOp::kNotEndsWithCs: return "!endswith_cs";
    case BinaryOp::kMatchesRegex: return "matches regex";
    case BinaryOp::kAdd: return "+";
    case BinaryOp::kSubtract: return "-";
    case BinaryOp::kMultiply: return "*";
    case BinaryOp::kDivide: return "/";
    case BinaryOp::kModulo: return "%";
  }
  return "?";
}

std::string_view InOpText(InOp op) {
  switch (op) {
    case InOp::kIn: return "in";
    case InOp::kNotIn: return "!in";
    case InOp::kInCi: return "in~";
    case InOp::kNotInCi: return "!in~";
    case InOp::kHasAny: return "has_any";
    case InOp::kHasAll: return "has_all";
    case InOp::kHasAnyCs: return "has_any_cs";
    case InOp::kHasAllCs: return "has_all_cs";
  }
  return "?";
}

}  // namespace kql::syntax
