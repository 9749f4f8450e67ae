#include "execution/operator/parse_operator.h"

#include <re2/re2.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>

#include "execution/expression_executor.h"
#include "types/datetime.h"
#include "execution/layer.h"

namespace kql::exec {
namespace {

bool EqualsIgnoreCase(std::string_view left, std::string_view right) {
  if (left.size() != right.size()) return false;
  for (size_t i = 0; i < left.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(left[i])) != std::tolower(static_cast<unsigned char>(right[i]))) {
      return false;
    }
  }
  return true;
}

bool IsGuidText(std::string_view text) {
  if (text.size() != 36) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : !std::isxdigit(static_cast<unsigned char>(text[i]))) return false;
  }
  return true;
}

std::unique_ptr<RE2> CompilePattern(const std::string& pattern) {
  RE2::Options options;
  options.set_log_errors(false);
  auto regex = std::make_unique<RE2>(pattern, options);
  if (!regex->ok()) throw QueryError("Invalid regular expression in parse pattern: " + regex->error());
  return regex;
}

class ParseOperator : public StreamOperator {
 public:
  ParseOperator(const LogicalParse& parse, ExecutionContext& context)
      : parse_(parse), source_(*parse.source, context), regex_(CompilePattern(parse.regex)) {
    const auto& groups = regex_->NamedCapturingGroups();
    for (size_t capture = 0; capture < parse.capture_positions.size(); ++capture) {
      auto found = groups.find("c" + std::to_string(capture));
      group_of_capture_.push_back(found == groups.end() ? 0 : found->second);
    }
    group_count_ = static_cast<size_t>(regex_->NumberOfCapturingGroups());
    is_capture_.assign(parse.schema.size(), -1);
    for (size_t capture = 0; capture < parse.capture_positions.size(); ++capture) {
      is_capture_[parse.capture_positions[capture]] = static_cast<int>(capture);
    }
  }

  void Execute(DataChunk& chunk) override {
    const ColumnVector text = source_.Evaluate(chunk);
    const size_t capture_count = parse_.capture_positions.size();
    std::vector<ColumnVector> captured;
    for (size_t capture = 0; capture < capture_count; ++capture) {
      captured.emplace_back(parse_.schema[parse_.capture_positions[capture]].type);
      captured.back().Resize(chunk.size);
    }
    std::vector<re2::StringPiece> groups(group_count_ + 1);
    std::vector<uint32_t> matched_rows;
    const RE2::Anchor anchor = parse_.mode == ParseMode::kRegex ? RE2::UNANCHORED : RE2::ANCHOR_BOTH;
    chunk.ForEachActive([&](size_t row) {
      if (text.IsNull(row)) return;
      const std::string_view input = text.strings()[row];
      if (!regex_->Match(re2::StringPiece(input.data(), input.size()), 0, input.size(), anchor, groups.data(),
                         static_cast<int>(groups.size()))) {
        return;
      }
      // Converts every capture first: in strict modes one failed conversion fails the whole row.
      std::vector<Value> values;
      values.reserve(capture_count);
      for (size_t capture = 0; capture < capture_count; ++capture) {
        const re2::StringPiece& piece = groups[static_cast<size_t>(group_of_capture_[capture])];
        const std::string_view piece_text(piece.data() == nullptr ? "" : piece.data(), piece.size());
        const KqlType type = captured[capture].type();
        std::optional<Value> value = ConvertParsedText(piece_text, type);
        if (!value) {
          if (parse_.mode != ParseMode::kRelaxed) return;
          value = Value::Null(type);
        }
        values.push_back(std::move(*value));
      }
      for (size_t capture = 0; capture < capture_count; ++capture) captured[capture].SetValue(row, values[capture]);
      matched_rows.push_back(static_cast<uint32_t>(row));
    });
    DataChunk out;
    out.size = chunk.size;
    out.columns.reserve(parse_.schema.size());
    for (size_t column = 0; column < parse_.schema.size(); ++column) {
      const int capture = is_capture_[column];
      if (capture >= 0) {
        out.columns.push_back(std::move(captured[static_cast<size_t>(capture)]));
      } else {
        out.columns.push_back(chunk.columns[column]);
      }
    }
    if (parse_.filter_unmatched) {
      out.selection = std::move(matched_rows);
    } else {
      out.selection = std::move(chunk.selection);
    }
    chunk = std::move(out);
  }

 private:
  const LogicalParse& parse_;
  ExpressionExecutor source_;
  std::unique_ptr<RE2> regex_;
  std::vector<int> group_of_capture_;
  size_t group_count_ = 0;
  std::vector<int> is_capture_;  ///< Per output column: the capture index, or -1 for an input column.
};

class ParseFactory : public StreamOperatorFactory {
 public:
  ParseFactory(const LogicalParse& parse, ExecutionContext& context) : parse_(parse), context_(context) {
    CompilePattern(parse.regex);  // Reports a bad pattern once, before any worker starts.
  }
  std::unique_ptr<StreamOperator> Create() const override { return std::make_unique<ParseOperator>(parse_, context_); }

 private:
  const LogicalParse& parse_;
  ExecutionContext& context_;
};

}  // namespace

std::optional<Value> ConvertParsedText(std::string_view text, KqlType type) {
  switch (type) {
    case KqlType::kString: return Value::String(std::string(text));
    case KqlType::kInt:
    case KqlType::kLong: {
      std::string_view digits = text;
      if (!digits.empty() && digits[0] == '+') digits.remove_prefix(1);
      int64_t value = 0;
      auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
      if (digits.empty() || error != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
      if (type == KqlType::kInt) {
        if (value < std::numeric_limits<int32_t>::min() || value > std::numeric_limits<int32_t>::max()) {
          return std::nullopt;
        }
        return Value::Int(value);
      }
      return Value::Long(value);
    }
    case KqlType::kReal:
    case KqlType::kDecimal: {
      if (text.empty()) return std::nullopt;
      if (EqualsIgnoreCase(text, "nan")) return Value::Real(std::nan(""));
      const std::string copy(text);
      char* end = nullptr;
      const double value = std::strtod(copy.c_str(), &end);
      if (end != copy.c_str() + copy.size()) return std::nullopt;
      Value result = Value::Real(value);
      result.type = type;
      return result;
    }
    case KqlType::kBool:
      if (EqualsIgnoreCase(text, "true") || text == "1") return Value::Bool(true);
      if (EqualsIgnoreCase(text, "false") || text == "0") return Value::Bool(false);
      return std::nullopt;
    case KqlType::kDateTime:
      if (std::optional<int64_t> ticks = ParseDateTime(text)) return Value::DateTime(*ticks);
      return std::nullopt;
    case KqlType::kTimeSpan:
      if (std::optional<int64_t> ticks = ParseTimeSpan(text)) return Value::TimeSpan(*ticks);
      return std::nullopt;
    case KqlType::kGuid: {
      if (!IsGuidText(text)) return std::nullopt;
      std::string lower(text);
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return Value::Guid(std::move(lower));
    }
    case KqlType::kDynamic: {
      Dynamic parsed = ParseJson(text);
      if (!parsed) parsed = DynamicValue::MakeString(std::string(text));
      return Value::FromDynamic(std::move(parsed));
    }
    default: return std::nullopt;
  }
}

std::unique_ptr<StreamOperatorFactory> MakeParseFactory(const LogicalParse& parse, ExecutionContext& context) {
  return std::make_unique<ParseFactory>(parse, context);
}

}  // namespace kql::exec
