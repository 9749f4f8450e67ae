// Binding of `parse` and `parse-where`: the pattern becomes one RE2 regular expression with a named group per
// extracted column; the operator's output schema is the input extended (or overwritten in place) by those columns.
// Translation (checked against Microsoft's engine through the conformance cases):
//   - simple/relaxed: delimiters are literal text and the match is anchored at both ends; `*` and string columns
//     are lazy `.*?`, so "a###b###c" with `l "###" r` gives l = "a", r = "b###c".
//   - simple: int/long columns only match `-?\d+` and real columns a decimal number, so `x:long *` stops after
//     the digits; other typed columns take `.*?` and the row fails when the text does not convert.
//   - relaxed: numeric columns prefer a number but accept any text; a typed column that does not convert is null
//     and the row still matches.
//   - regex: delimiters are regular expressions, the search is unanchored, string columns are greedy `.*`
//     ("the default mode is greedy" in the docs' example) and flags=U swaps greediness.
#include <algorithm>
#include <cctype>

#include "binder/binder_diagnostic.h"
#include "binder/query_binder.h"
#include "plan/logical_parse.h"
#include "binder/layer.h"

namespace kql::binder {
namespace {

std::string CaptureRegex(ParseMode mode, KqlType type) {
  std::string number;
  switch (type) {
    case KqlType::kInt:
    case KqlType::kLong: number = "-?\\d+"; break;
    case KqlType::kReal:
    case KqlType::kDecimal: number = "[-+]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?"; break;
    default: return mode == ParseMode::kRegex ? ".*" : ".*?";
  }
  // Relaxed: prefer a number, but let any text through so that the column is null and the row still matches.
  return mode == ParseMode::kRelaxed ? "(?:" + number + "|.*?)" : number;
}

// Escapes every regex metacharacter so that a simple-mode delimiter matches literally (bytes >= 0x80 pass through
// so UTF-8 sequences stay intact).
std::string QuoteRegex(std::string_view text) {
  std::string out;
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte == 0) {
      out += "\\x00";
      continue;
    }
    if (byte < 0x80 && !std::isalnum(byte) && c != '_') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

BoundExprPtr QueryBinder::BindParseSource(const ParseOp& op, const Schema& schema) {
  BoundExprPtr source = op.source ? BindExpr(*op.source, schema) : ErrorExpr(op.span);
  if (source->type != KqlType::kString && source->type != KqlType::kUnknown) {
    std::vector<BoundExprPtr> args;
    args.push_back(std::move(source));
    source = BoundExpr::MakeCall("tostring", KqlType::kString, std::move(args), op.span);
  }
  return source;
}

LogicalOperatorPtr QueryBinder::BindParse(const ParseOp& op, LogicalOperatorPtr input) {
  auto parse = std::make_unique<LogicalParse>();
  parse->filter_unmatched = op.kind == OperatorKind::kParseWhere;
  std::string flags;
  for (const OperatorParam& param : op.params) {
    std::string value;
    if (param.value && param.value->kind == ExprKind::kName) value = param.value->As<NameExpr>().name;
    if (param.value && param.value->kind == ExprKind::kLiteral) value = param.value->As<LiteralExpr>().text;
    if (param.name == "kind") {
      if (value == "simple") {
        parse->mode = ParseMode::kSimple;
      } else if (value == "regex") {
        parse->mode = ParseMode::kRegex;
      } else if (value == "relaxed") {
        parse->mode = ParseMode::kRelaxed;
      } else {
        Error(kBindInvalidOperatorParameter, param.span, "Unknown parse kind: " + value);
      }
    } else if (param.name == "flags") {
      flags = value;
    } else {
      Error(kBindInvalidOperatorParameter, param.span, "Unknown parse parameter: " + param.name);
    }
  }
  if (!flags.empty() && parse->mode != ParseMode::kRegex) {
    Error(kBindInvalidOperatorParameter, op.span, "parse flags= requires kind=regex");
    flags.clear();
  }
  for (char flag : flags) {
    if (flag != 'U' && flag != 'i' && flag != 'm' && flag != 's') {
      Error(kBindInvalidOperatorParameter, op.span, "Unknown parse regex flag: " + std::string(1, flag));
      flags.clear();
      break;
    }
  }

  const Schema& schema = input->schema;
  parse->source = BindParseSource(op, schema);

  std::string regex = flags.empty() ? "" : "(?" + flags + ")";
  if (parse->mode != ParseMode::kRegex) regex += "^";
  parse->schema = schema;
  std::vector<ColumnDef> captures;
  for (const ParsePatternItem& item : op.pattern) {
    switch (item.kind) {
      case ParsePatternItem::Kind::kStar: regex += ".*?"; break;
      case ParsePatternItem::Kind::kString: {
        BoundExprPtr literal = item.literal ? BindExpr(*item.literal, Schema{}) : ErrorExpr(item.span);
        if (literal->kind != BoundExprKind::kConstant || literal->type != KqlType::kString) {
          if (literal->type != KqlType::kUnknown) {
            Error(kBindExpectedConstant, item.span, "parse patterns expect constant strings");
          }
          break;
        }
        const std::string& text = literal->constant.string_value;
        regex += parse->mode == ParseMode::kRegex ? "(?:" + text + ")" : QuoteRegex(text);
        break;
      }
      case ParsePatternItem::Kind::kColumn: {
        KqlType type = KqlType::kString;
        if (!item.column.type.empty()) {
          std::optional<KqlType> parsed = ParseTypeName(item.column.type);
          if (!parsed) {
            Error(kBindInvalidLiteral, item.span, "Unknown type name: " + item.column.type);
          } else {
            type = *parsed;
          }
        }
        regex += "(?P<c" + std::to_string(captures.size()) + ">" + CaptureRegex(parse->mode, type) + ")";
        captures.push_back({item.column.name, type});
        break;
      }
    }
  }
  if (parse->mode != ParseMode::kRegex) regex += "$";
  if (captures.empty()) Error(kBindInvalidOperatorParameter, op.span, "parse needs at least one column");
  for (const ColumnDef& capture : captures) {
    auto existing = std::find_if(parse->schema.begin(), parse->schema.end(),
                                 [&](const ColumnDef& column) { return column.name == capture.name; });
    if (existing != parse->schema.end()) {
      existing->type = capture.type;
      parse->capture_positions.push_back(static_cast<size_t>(existing - parse->schema.begin()));
    } else {
      parse->capture_positions.push_back(parse->schema.size());
      parse->schema.push_back(capture);
    }
  }
  parse->regex = std::move(regex);
  parse->children.push_back(std::move(input));
  return parse;
}

}  // namespace kql::binder
