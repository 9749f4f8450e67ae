#include "execution/operator/parse_kv_operator.h"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>

#include "execution/expression_executor.h"
#include "execution/operator/parse_operator.h"
#include "execution/layer.h"

namespace kql::exec {
namespace {

bool IsSpace(char ch) { return std::isspace(static_cast<unsigned char>(ch)) != 0; }

std::string_view Trim(std::string_view text) {
  while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
  return text;
}

bool AllSpace(std::string_view text) { return std::all_of(text.begin(), text.end(), IsSpace); }

size_t SkipSpace(std::string_view text, size_t pos) {
  while (pos < text.size() && IsSpace(text[pos])) ++pos;
  return pos;
}

// Reads a quoted value starting at the quote at `pos`; returns the unescaped text and moves `pos` past the closing
// quote (or to the end when it is missing).
std::string ReadQuoted(std::string_view text, size_t& pos, std::string_view escapes) {
  const char quote = text[pos++];
  std::string out;
  while (pos < text.size() && text[pos] != quote) {
    if (escapes.find(text[pos]) != std::string_view::npos && pos + 1 < text.size()) ++pos;
    out += text[pos++];
  }
  if (pos < text.size()) ++pos;
  return out;
}

bool IsQuote(const LogicalParseKv& parse, std::string_view text, size_t pos) {
  return pos < text.size() && parse.quotes.find(text[pos]) != std::string::npos;
}

void ExtractDelimited(const LogicalParseKv& parse, std::string_view text,
                      std::map<std::string, std::string, std::less<>>& found) {
  const std::string_view pair = parse.pair_delimiter;
  const std::string_view kv = parse.kv_delimiter;
  size_t pos = 0;
  while (pos < text.size()) {
    pos = SkipSpace(text, pos);
    if (pos >= text.size()) break;
    std::string key;
    if (IsQuote(parse, text, pos)) {
      key = ReadQuoted(text, pos, parse.escapes);
      pos = SkipSpace(text, pos);
      if (text.substr(pos, kv.size()) != kv) {
        const size_t next = text.find(pair, pos);
        if (next == std::string_view::npos) break;
        pos = next + pair.size();
        continue;
      }
    } else {
      const size_t kv_at = text.find(kv, pos);
      if (kv_at == std::string_view::npos) break;
      const size_t pair_at = text.find(pair, pos);
      // A pair delimiter before the kv delimiter ends a token without a value, unless only spaces separate the
      // key from the kv delimiter ("key  =  value" with a space pair delimiter).
      if (pair_at < kv_at && !AllSpace(text.substr(pair_at, kv_at - pair_at))) {
        pos = pair_at + pair.size();
        continue;
      }
      key = std::string(Trim(text.substr(pos, kv_at - pos)));
      pos = kv_at;
    }
    pos = SkipSpace(text, pos + kv.size());
    std::string value;
    if (IsQuote(parse, text, pos)) {
      value = ReadQuoted(text, pos, parse.escapes);
      const size_t next = text.find(pair, pos);
      pos = next == std::string_view::npos ? text.size() : next + pair.size();
    } else {
      size_t end = text.find(pair, pos);
      if (parse.greedy) {
        // The value runs to the last pair delimiter before the next kv delimiter (or to the end).
        const size_t next_kv = text.find(kv, pos);
        if (next_kv == std::string_view::npos) {
          end = std::string_view::npos;
        } else {
          const size_t last_pair = text.rfind(pair, next_kv);
          if (last_pair != std::string_view::npos && last_pair >= pos) end = last_pair;
        }
      }
      if (end == std::string_view::npos) end = text.size();
      value = std::string(Trim(text.substr(pos, end - pos)));
      pos = end == text.size() ? end : end + pair.size();
    }
    if (!key.empty()) found.emplace(std::move(key), std::move(value));
  }
}

bool IsWordChar(char ch) { return std::isalnum(static_cast<unsigned char>(ch)) != 0 || ch == '_'; }

// Without delimiters: each key is found as a whole word followed by ':' or '='; its value runs to the next ',' or
// ';' (or is quoted).
void ExtractByKeys(const LogicalParseKv& parse, std::string_view text,
                   std::map<std::string, std::string, std::less<>>& found) {
  for (const std::string& key : parse.keys) {
    if (key.empty() || found.contains(key)) continue;
    size_t at = text.find(key);
    while (at != std::string_view::npos) {
      const size_t after = at + key.size();
      const bool starts_word = at == 0 || !IsWordChar(text[at - 1]);
      size_t pos = SkipSpace(text, after);
      if (starts_word && pos < text.size() && (text[pos] == ':' || text[pos] == '=')) {
        pos = SkipSpace(text, pos + 1);
        std::string value;
        if (IsQuote(parse, text, pos)) {
          value = ReadQuoted(text, pos, parse.escapes);
        } else {
          size_t end = text.find_first_of(",;", pos);
          if (end == std::string_view::npos) end = text.size();
          value = std::string(Trim(text.substr(pos, end - pos)));
        }
        found.emplace(key, std::move(value));
        break;
      }
      at = text.find(key, at + 1);
    }
  }
}

std::unique_ptr<RE2> CompileKvRegex(const std::string& pattern) {
  RE2::Options options;
  options.set_log_errors(false);
  auto regex = std::make_unique<RE2>(pattern, options);
  if (!regex->ok()) throw QueryError("Invalid regular expression in parse-kv: " + regex->error());
  if (regex->NumberOfCapturingGroups() != 2) {
    throw QueryError("The parse-kv regex must have exactly two capturing groups (key and value)");
  }
  return regex;
}

class ParseKvOperator : public StreamOperator {
 public:
  ParseKvOperator(const LogicalParseKv& parse, ExecutionContext& context)
      : parse_(parse), source_(*parse.source, context) {
    if (parse.mode == ParseKvMode::kRegex) regex_ = CompileKvRegex(parse.regex);
    key_of_column_.assign(parse.schema.size(), -1);
    for (size_t key = 0; key < parse.key_positions.size(); ++key) {
      key_of_column_[parse.key_positions[key]] = static_cast<int>(key);
    }
  }

  void Execute(DataChunk& chunk) override {
    const ColumnVector text = source_.Evaluate(chunk);
    std::vector<ColumnVector> extracted;
    for (size_t key = 0; key < parse_.keys.size(); ++key) {
      extracted.emplace_back(parse_.schema[parse_.key_positions[key]].type);
      extracted.back().Resize(chunk.size);
    }
    chunk.ForEachActive([&](size_t row) {
      std::map<std::string, std::string, std::less<>> found;
      if (!text.IsNull(row)) found = Extract(text.strings()[row]);
      for (size_t key = 0; key < parse_.keys.size(); ++key) {
        const KqlType type = extracted[key].type();
        auto value = found.find(parse_.keys[key]);
        std::optional<Value> converted;
        if (value != found.end()) converted = ConvertParsedText(value->second, type);
        if (!converted) converted = type == KqlType::kString ? Value::String("") : Value::Null(type);
        extracted[key].SetValue(row, *converted);
      }
    });
    DataChunk out;
    out.size = chunk.size;
    for (size_t column = 0; column < parse_.schema.size(); ++column) {
      const int key = key_of_column_[column];
      out.columns.push_back(key >= 0 ? std::move(extracted[static_cast<size_t>(key)]) : chunk.columns[column]);
    }
    out.selection = std::move(chunk.selection);
    chunk = std::move(out);
  }

 private:
  std::map<std::string, std::string, std::less<>> Extract(std::string_view text) const {
    if (parse_.mode != ParseKvMode::kRegex) return ExtractKeyValues(parse_, text);
    std::map<std::string, std::string, std::less<>> found;
    re2::StringPiece input(text.data(), text.size());
    re2::StringPiece key;
    re2::StringPiece value;
    while (!input.empty() && RE2::FindAndConsume(&input, *regex_, &key, &value)) {
      found.emplace(std::string(Trim(std::string_view(key.data(), key.size()))),
                    std::string(Trim(std::string_view(value.data(), value.size()))));
      if (key.empty() && value.empty()) break;  // An empty match would not advance.
    }
    return found;
  }

  const LogicalParseKv& parse_;
  ExpressionExecutor source_;
  std::unique_ptr<RE2> regex_;
  std::vector<int> key_of_column_;  ///< Per output column: the key index, or -1 for an input column.
};

class ParseKvFactory : public StreamOperatorFactory {
 public:
  ParseKvFactory(const LogicalParseKv& parse, ExecutionContext& context) : parse_(parse), context_(context) {
    if (parse.mode == ParseKvMode::kRegex) CompileKvRegex(parse.regex);  // Reports a bad pattern once.
  }
  std::unique_ptr<StreamOperator> Create() const override {
    return std::make_unique<ParseKvOperator>(parse_, context_);
  }

 private:
  const LogicalParseKv& parse_;
  ExecutionContext& context_;
};

}  // namespace

std::map<std::string, std::string, std::less<>> ExtractKeyValues(const LogicalParseKv& parse, std::string_view text) {
  std::map<std::string, std::string, std::less<>> found;
  if (parse.mode == ParseKvMode::kKeyLookup) {
    ExtractByKeys(parse, text, found);
  } else {
    ExtractDelimited(parse, text, found);
  }
  return found;
}

std::unique_ptr<StreamOperatorFactory> MakeParseKvFactory(const LogicalParseKv& parse, ExecutionContext& context) {
  return std::make_unique<ParseKvFactory>(parse, context);
}

}  // namespace kql::exec
