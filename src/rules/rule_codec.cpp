// Format: a sequence of fields, each either an integer written as decimal digits and ';' or a string written as
// its byte length, ':' and its bytes (a netstring without the trailing comma). Lists are a count then items.
#include "rules/rule_codec.h"

#include <charconv>
#include <cstdint>
#include "rules/layer.h"

namespace kql::rules {
namespace {

class RuleEncoder {
 public:
  std::string Take() { return std::move(out_); }

  void Int(int64_t value) {
    out_ += std::to_string(value);
    out_ += ';';
  }
  void Str(std::string_view text) {
    out_ += std::to_string(text.size());
    out_ += ':';
    out_ += text;
  }
  void Strings(const std::vector<std::string>& items) {
    Int(static_cast<int64_t>(items.size()));
    for (const auto& item : items) Str(item);
  }
  void Pairs(const std::vector<std::pair<std::string, std::string>>& items) {
    Int(static_cast<int64_t>(items.size()));
    for (const auto& [first, second] : items) {
      Str(first);
      Str(second);
    }
  }
  void Problem(const RuleProblem& problem) {
    Int(problem.is_error ? 1 : 0);
    Str(problem.path);
    Int(problem.line);
    Int(problem.col);
    Str(problem.code);
    Str(problem.message);
  }
  void Rule(const SentinelRule& rule) {
    for (const std::string* text : {&rule.path, &rule.id, &rule.name, &rule.description, &rule.severity, &rule.kind,
                                    &rule.version, &rule.status, &rule.query_frequency, &rule.query_period}) {
      Str(*text);
    }
    Int(rule.query_frequency_ticks);
    Int(rule.query_period_ticks);
    Str(rule.trigger_operator);
    Int(rule.trigger_threshold);
    Strings(rule.tactics);
    Strings(rule.techniques);
    Strings(rule.connectors);
    Strings(rule.data_types);
    Int(static_cast<int64_t>(rule.entity_mappings.size()));
    for (const auto& mapping : rule.entity_mappings) {
      Str(mapping.entity_type);
      Pairs(mapping.field_mappings);
    }
    Pairs(rule.custom_details);
    const AlertDetailsOverride& details = rule.alert_details_override;
    for (const std::string* text : {&details.display_name_format, &details.description_format,
                                    &details.severity_column, &details.tactics_column, &details.techniques_column}) {
      Str(*text);
    }
    Pairs(details.dynamic_properties);
    Str(rule.aggregation_kind);
    Str(rule.incident_configuration_json);
    Str(rule.query);
    Int(rule.query_line);
    Int(rule.query_column);
    Int(rule.query_in_json_string ? 1 : 0);
    Int(static_cast<int64_t>(rule.positions.size()));
    for (const auto& [key, position] : rule.positions) {
      Str(key);
      Int(position.line);
      Int(position.col);
    }
    Strings(rule.top_level_keys);
  }

 private:
  std::string out_;
};

class RuleDecoder {
 public:
  explicit RuleDecoder(std::string_view text) : text_(text) {}

  bool ok() const { return ok_; }
  bool AtEnd() const { return pos_ >= text_.size(); }

  int64_t Int() {
    int64_t value = 0;
    auto [end, error] = std::from_chars(text_.data() + pos_, text_.data() + text_.size(), value);
    if (error != std::errc() || end == text_.data() + text_.size() || *end != ';') return Fail();
    pos_ = static_cast<size_t>(end - text_.data()) + 1;
    return value;
  }
  int IntField() { return static_cast<int>(Int()); }
  // A list count: bounded by the bytes left, so a corrupt count cannot reserve huge vectors.
  size_t Count() {
    int64_t count = Int();
    if (count < 0 || static_cast<uint64_t>(count) > text_.size() - pos_) {
      Fail();
      return 0;
    }
    return static_cast<size_t>(count);
  }
  std::string Str() {
    uint64_t size = 0;
    auto [end, error] = std::from_chars(text_.data() + pos_, text_.data() + text_.size(), size);
    if (error != std::errc() || end == text_.data() + text_.size() || *end != ':') {
      Fail();
      return {};
    }
    size_t start = static_cast<size_t>(end - text_.data()) + 1;
    if (size > text_.size() - start) {
      Fail();
      return {};
    }
    pos_ = start + size;
    return std::string(text_.substr(start, size));
  }
  std::vector<std::string> Strings() {
    std::vector<std::string> items(Count());
    for (auto& item : items) item = Str();
    return items;
  }
  std::vector<std::pair<std::string, std::string>> Pairs() {
    std::vector<std::pair<std::string, std::string>> items(Count());
    for (auto& [first, second] : items) {
      first = Str();
      second = Str();
    }
    return items;
  }
  RuleProblem Problem() {
    RuleProblem problem;
    problem.is_error = Int() != 0;
    problem.path = Str();
    problem.line = IntField();
    problem.col = IntField();
    problem.code = Str();
    problem.message = Str();
    return problem;
  }
  SentinelRule Rule() {
    SentinelRule rule;
    for (std::string* text : {&rule.path, &rule.id, &rule.name, &rule.description, &rule.severity, &rule.kind,
                              &rule.version, &rule.status, &rule.query_frequency, &rule.query_period}) {
      *text = Str();
    }
    rule.query_frequency_ticks = Int();
    rule.query_period_ticks = Int();
    rule.trigger_operator = Str();
    rule.trigger_threshold = Int();
    rule.tactics = Strings();
    rule.techniques = Strings();
    rule.connectors = Strings();
    rule.data_types = Strings();
    rule.entity_mappings.resize(Count());
    for (auto& mapping : rule.entity_mappings) {
      mapping.entity_type = Str();
      mapping.field_mappings = Pairs();
    }
    rule.custom_details = Pairs();
    AlertDetailsOverride& details = rule.alert_details_override;
    for (std::string* text : {&details.display_name_format, &details.description_format, &details.severity_column,
                              &details.tactics_column, &details.techniques_column}) {
      *text = Str();
    }
    details.dynamic_properties = Pairs();
    rule.aggregation_kind = Str();
    rule.incident_configuration_json = Str();
    rule.query = Str();
    rule.query_line = IntField();
    rule.query_column = IntField();
    rule.query_in_json_string = Int() != 0;
    for (size_t count = Count(); count > 0 && ok_; --count) {
      std::string key = Str();
      SourcePosition position;
      position.line = IntField();
      position.col = IntField();
      rule.positions.emplace(std::move(key), position);
    }
    rule.top_level_keys = Strings();
    return rule;
  }

 private:
  // Marks the decoding failed and moves to the end, so every later read fails fast; returns 0.
  int64_t Fail() {
    ok_ = false;
    pos_ = text_.size();
    return 0;
  }

  std::string_view text_;
  size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace

std::string EncodeRules(const std::vector<RuleLoadResult>& results) {
  RuleEncoder encoder;
  encoder.Int(static_cast<int64_t>(results.size()));
  for (const auto& result : results) {
    encoder.Int(result.rule ? 1 : 0);
    if (result.rule) encoder.Rule(*result.rule);
    encoder.Int(static_cast<int64_t>(result.problems.size()));
    for (const auto& problem : result.problems) encoder.Problem(problem);
  }
  return encoder.Take();
}

std::optional<std::vector<RuleLoadResult>> DecodeRules(std::string_view text) {
  RuleDecoder decoder(text);
  std::vector<RuleLoadResult> results(decoder.Count());
  for (auto& result : results) {
    if (decoder.Int() != 0) result.rule = decoder.Rule();
    result.problems.resize(decoder.Count());
    for (auto& problem : result.problems) problem = decoder.Problem();
    if (!decoder.ok()) break;
  }
  if (!decoder.ok() || !decoder.AtEnd()) return std::nullopt;
  return results;
}

}  // namespace kql::rules
