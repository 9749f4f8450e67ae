#include "types/dynamic.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "types/datetime.h"
#include "types/utf8.h"

namespace kql {
namespace {

Dynamic Make(DynamicValue value) { return std::make_shared<const DynamicValue>(std::move(value)); }

/// A recursive-descent JSON parser with a depth limit. It accepts standard JSON only.
class JsonParser {
 public:
  JsonParser(std::string_view text, bool lenient, bool strict_strings = false)
      : text_(text), lenient_(lenient), strict_strings_(strict_strings) {}

  Dynamic ParseDocument(std::string* error) {
    SkipSpaces();
    Dynamic value = ParseValue(0);
    if (value) {
      SkipSpaces();
      if (pos_ != text_.size()) Fail("unexpected text after JSON value");
    }
    if (!error_.empty()) {
      if (error) *error = error_ + " at offset " + std::to_string(pos_);
      return nullptr;
    }
    return value;
  }

 private:
  void Fail(const char* message) {
    if (error_.empty()) error_ = message;
  }
  void SkipSpaces() {
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
        ++pos_;
      } else if (lenient_ && c == '/' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '/') {
        while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;  // A KQL comment inside dynamic(...).
      } else {
        break;
      }
    }
  }
  bool Literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  Dynamic ParseValue(int depth) {
    if (depth > kMaxJsonDepth) {
      Fail("JSON nesting too deep");
      return nullptr;
    }
    if (pos_ >= text_.size()) {
      Fail("unexpected end of JSON");
      return nullptr;
    }
    char c = text_[pos_];
    if (c == '{') return ParseObject(depth);
    if (c == '[') return ParseArray(depth);
    if (c == '"' || (lenient_ && (c == '\'' || IsVerbatimStart()))) {
      std::string s;
      if (!ParseKqlString(s)) return nullptr;
      return DynamicValue::MakeString(std::move(s));
    }
    // A KQL dynamic literal may wrap nested values in dynamic(...) again: dynamic({'a': dynamic({})}).
    if (lenient_ && Literal("dynamic(")) {
      SkipSpaces();
      Dynamic inner = ParseValue(depth + 1);
      SkipSpaces();
      if (!inner || !Literal(")")) {
        Fail("expected ')' after a nested dynamic(...)");
        return nullptr;
      }
      return inner;
    }
    if (Literal("true")) return DynamicValue::MakeBool(true);
    if (Literal("false")) return DynamicValue::MakeBool(false);
    if (Literal("null")) return DynamicValue::MakeNull();
    if (c == '-' || (c >= '0' && c <= '9')) return ParseNumber();
    Fail("unexpected character in JSON");
    return nullptr;
  }

  Dynamic ParseNumber() {
    size_t start = pos_;
    bool is_real = false;
    if (text_[pos_] == '-') ++pos_;
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c >= '0' && c <= '9') {
        ++pos_;
      } else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
        is_real = true;
        ++pos_;
      } else {
        break;
      }
    }
    std::string_view number = text_.substr(start, pos_ - start);
    if (!is_real) {
      int64_t value = 0;
      auto result = std::from_chars(number.data(), number.data() + number.size(), value);
      if (result.ec == std::errc() && result.ptr == number.data() + number.size())
        return DynamicValue::MakeLong(value);
    }
    std::string copy(number);
    char* end = nullptr;
    double value = std::strtod(copy.c_str(), &end);
    if (end == copy.c_str() || *end != '\0') {
      Fail("malformed JSON number");
      return nullptr;
    }
    return DynamicValue::MakeReal(value);
  }

  bool ReadHex4(uint32_t& code) {
    if (pos_ + 4 > text_.size()) return false;
    code = 0;
    for (int i = 0; i < 4; ++i) {
      char c = text_[pos_++];
      code <<= 4;
      if (c >= '0' && c <= '9') code |= static_cast<uint32_t>(c - '0');
      else if (c >= 'a' && c <= 'f') code |= static_cast<uint32_t>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') code |= static_cast<uint32_t>(c - 'A' + 10);
      else return false;
    }
    return true;
  }

  // KQL dynamic literals also accept verbatim strings (@'...', @"...") and, as KQL does everywhere, adjacent string
  // literals that concatenate: dynamic(['a' 'b']) is ["ab"] (a missing comma in a list is such a concatenation).
  bool IsVerbatimStart() const {
    return text_[pos_] == '@' && pos_ + 1 < text_.size() && (text_[pos_ + 1] == '\'' || text_[pos_ + 1] == '"');
  }
  bool ParseKqlString(std::string& out) {
    if (!lenient_) return ParseString(out);
    while (true) {
      if (!(IsVerbatimStart() ? ParseVerbatim(out) : ParseString(out))) return false;
      const size_t after = pos_;
      SkipSpaces();
      if (pos_ < text_.size() && (text_[pos_] == '"' || text_[pos_] == '\'' || IsVerbatimStart())) continue;
      pos_ = after;
      return true;
    }
  }
  // @'...' or @"...": no escapes; a doubled quote stands for one.
  bool ParseVerbatim(std::string& out) {
    ++pos_;
    const char quote = text_[pos_++];
    while (pos_ < text_.size()) {
      char c = text_[pos_++];
      if (c != quote) {
        out.push_back(c);
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == quote) {
        out.push_back(quote);
        ++pos_;
        continue;
      }
      return true;
    }
    Fail("unterminated verbatim string");
    return false;
  }

  // Where the run of plain string characters starting at `from` may end: the first of the next 16-byte block
  // holding a quote, a backslash or (strict) a control character, or the last block that fits; the caller checks
  // the bytes from there one by one.
  size_t PlainRunEnd(size_t from, char quote) const {
#if defined(__SSE2__)
    const __m128i quotes = _mm_set1_epi8(quote);
    const __m128i backslashes = _mm_set1_epi8('\\');
    const __m128i controls = _mm_set1_epi8(0x1F);
    while (from + 16 <= text_.size()) {
      const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text_.data() + from));
      __m128i stop = _mm_or_si128(_mm_cmpeq_epi8(bytes, quotes), _mm_cmpeq_epi8(bytes, backslashes));
      // A byte <= 0x1F (unsigned) is its own maximum with 0x1F.
      if (strict_strings_) stop = _mm_or_si128(stop, _mm_cmpeq_epi8(_mm_max_epu8(bytes, controls), controls));
      const int mask = _mm_movemask_epi8(stop);
      if (mask != 0) return from + static_cast<size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
      from += 16;
    }
#else
    (void)quote;
#endif
    return from;
  }

  bool ParseString(std::string& out) {
    const char quote = text_[pos_++];  // '"', or '\'' in KQL dynamic literals
    while (pos_ < text_.size()) {
      // The run of plain characters up to the next quote, backslash or (strict) control character, copied at once.
      size_t run_end = PlainRunEnd(pos_, quote);
      while (run_end < text_.size()) {
        const char c = text_[run_end];
        if (c == quote || c == '\\' || (strict_strings_ && static_cast<unsigned char>(c) < 0x20)) break;
        ++run_end;
      }
      out.append(text_.data() + pos_, run_end - pos_);
      pos_ = run_end;
      if (pos_ >= text_.size()) break;
      char c = text_[pos_++];
      if (c == quote) return true;
      if (c != '\\') {
        Fail("control character in JSON string");
        return false;
      }
      if (pos_ >= text_.size()) break;
      char e = text_[pos_++];
      switch (e) {
        case '"': out.push_back('"'); break;
        case '\'': out.push_back('\''); break;
        case '\\': out.push_back('\\'); break;
        case '/': out.push_back('/'); break;
        case 'b': out.push_back('\b'); break;
        case 'f': out.push_back('\f'); break;
        case 'n': out.push_back('\n'); break;
        case 'r': out.push_back('\r'); break;
        case 't': out.push_back('\t'); break;
        case 'u': {
          uint32_t code = 0;
          if (!ReadHex4(code)) {
            Fail("bad \\u escape in JSON string");
            return false;
          }
          if (code >= 0xD800 && code < 0xDC00 && pos_ + 6 <= text_.size() && text_[pos_] == '\\' &&
              text_[pos_ + 1] == 'u') {
            pos_ += 2;
            uint32_t low = 0;
            if (ReadHex4(low) && low >= 0xDC00 && low < 0xE000) {
              code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
            }
          }
          AppendUtf8(out, code);
          break;
        }
        default: Fail("bad escape in JSON string"); return false;
      }
    }
    Fail("unterminated JSON string");
    return false;
  }

  Dynamic ParseArray(int depth) {
    ++pos_;
    std::vector<Dynamic> items;
    SkipSpaces();
    if (pos_ < text_.size() && text_[pos_] == ']') {
      ++pos_;
      return DynamicValue::MakeArray(std::move(items));
    }
    while (true) {
      SkipSpaces();
      Dynamic item = ParseValue(depth + 1);
      if (!item) return nullptr;
      items.push_back(std::move(item));
      SkipSpaces();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == ']') {
        ++pos_;
        return DynamicValue::MakeArray(std::move(items));
      }
      Fail("expected ',' or ']' in JSON array");
      return nullptr;
    }
  }

  Dynamic ParseObject(int depth) {
    ++pos_;
    std::vector<DynamicValue::Member> members;
    std::vector<size_t> key_hashes;  // Parallel to members: a repeated key is looked for among equal hashes only.
    SkipSpaces();
    if (pos_ < text_.size() && text_[pos_] == '}') {
      ++pos_;
      return DynamicValue::MakeObject(std::move(members));
    }
    while (true) {
      SkipSpaces();
      if (pos_ >= text_.size() || !(text_[pos_] == '"' || (lenient_ && (text_[pos_] == '\'' || IsVerbatimStart())))) {
        Fail("expected a property name in JSON object");
        return nullptr;
      }
      std::string key;
      if (!ParseKqlString(key)) return nullptr;
      SkipSpaces();
      if (pos_ >= text_.size() || text_[pos_] != ':') {
        Fail("expected ':' in JSON object");
        return nullptr;
      }
      ++pos_;
      SkipSpaces();
      Dynamic value = ParseValue(depth + 1);
      if (!value) return nullptr;
      // A repeated key keeps its first position and takes the last value.
      const size_t key_hash = std::hash<std::string_view>{}(key);
      bool replaced = false;
      for (size_t index = 0; index < members.size(); ++index) {
        if (key_hashes[index] == key_hash && members[index].first == key) {
          members[index].second = value;
          replaced = true;
        }
      }
      if (!replaced) {
        members.emplace_back(std::move(key), std::move(value));
        key_hashes.push_back(key_hash);
      }
      SkipSpaces();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == '}') {
        ++pos_;
        return DynamicValue::MakeObject(std::move(members));
      }
      Fail("expected ',' or '}' in JSON object");
      return nullptr;
    }
  }

  std::string_view text_;
  bool lenient_ = false;
  bool strict_strings_ = false;  ///< Raw control characters in strings are errors (RFC 8259).
  size_t pos_ = 0;
  std::string error_;
};

void AppendJson(std::string& out, const DynamicValue& value, int depth) {
  switch (value.kind()) {
    case DynamicValue::Kind::kNull: out += "null"; break;
    case DynamicValue::Kind::kBool: out += value.bool_value() ? "true" : "false"; break;
    case DynamicValue::Kind::kLong: out += std::to_string(value.int_value()); break;
    case DynamicValue::Kind::kReal: {
      double r = value.real_value();
      if (std::isfinite(r)) {
        out += FormatReal(r);
      } else {
        AppendJsonString(out, FormatReal(r));
      }
      break;
    }
    case DynamicValue::Kind::kString:
    case DynamicValue::Kind::kGuid: AppendJsonString(out, value.string_value()); break;
    case DynamicValue::Kind::kDateTime: AppendJsonString(out, FormatDateTimeFull(value.int_value())); break;
    case DynamicValue::Kind::kTimeSpan: AppendJsonString(out, FormatTimeSpan(value.int_value())); break;
    case DynamicValue::Kind::kArray: {
      out.push_back('[');
      bool first = true;
      for (const auto& item : value.items()) {
        if (!first) out.push_back(',');
        first = false;
        AppendJson(out, *item, depth + 1);
      }
      out.push_back(']');
      break;
    }
    case DynamicValue::Kind::kObject: {
      out.push_back('{');
      bool first = true;
      for (const auto& [key, item] : value.members()) {
        if (!first) out.push_back(',');
        first = false;
        AppendJsonString(out, key);
        out.push_back(':');
        AppendJson(out, *item, depth + 1);
      }
      out.push_back('}');
      break;
    }
  }
}

}  // namespace

Dynamic DynamicValue::MakeNull() {
  static const Dynamic kNull = Make(DynamicValue());
  return kNull;
}
Dynamic DynamicValue::MakeBool(bool value) {
  DynamicValue v;
  v.kind_ = Kind::kBool;
  v.int_value_ = value ? 1 : 0;
  return Make(std::move(v));
}
Dynamic DynamicValue::MakeLong(int64_t value) {
  DynamicValue v;
  v.kind_ = Kind::kLong;
  v.int_value_ = value;
  return Make(std::move(v));
}
Dynamic DynamicValue::MakeReal(double value) {
  DynamicValue v;
  v.kind_ = Kind::kReal;
  v.real_value_ = value;
  return Make(std::move(v));
}
Dynamic DynamicValue::MakeString(std::string value) {
  DynamicValue v;
  v.kind_ = Kind::kString;
  v.string_value_ = std::move(value);
  return Make(std::move(v));
}
Dynamic DynamicValue::MakeDateTime(int64_t ticks) {
  DynamicValue v;
  v.kind_ = Kind::kDateTime;
  v.int_value_ = ticks;
  return Make(std::move(v));
}
Dynamic DynamicValue::MakeTimeSpan(int64_t ticks) {
  DynamicValue v;
  v.kind_ = Kind::kTimeSpan;
  v.int_value_ = ticks;
  return Make(std::move(v));
}
Dynamic DynamicValue::MakeGuid(std::string value) {
  DynamicValue v;
  v.kind_ = Kind::kGuid;
  v.string_value_ = std::move(value);
  return Make(std::move(v));
}
Dynamic DynamicValue::MakeArray(std::vector<Dynamic> items) {
  DynamicValue v;
  v.kind_ = Kind::kArray;
  v.items_ = std::move(items);
  return Make(std::move(v));
}
Dynamic DynamicValue::MakeObject(std::vector<Member> members) {
  DynamicValue v;
  v.kind_ = Kind::kObject;
  v.members_ = std::move(members);
  return Make(std::move(v));
}

const DynamicValue* DynamicValue::Find(std::string_view key) const {
  if (kind_ != Kind::kObject) return nullptr;
  for (const auto& [name, value] : members_) {
    if (name == key) return value.get();
  }
  return nullptr;
}

bool DynamicValue::Equals(const DynamicValue& other) const {
  if (kind_ != other.kind_) {
    if ((kind_ == Kind::kLong && other.kind_ == Kind::kReal) || (kind_ == Kind::kReal && other.kind_ == Kind::kLong)) {
      double a = kind_ == Kind::kLong ? static_cast<double>(int_value_) : real_value_;
      double b = other.kind_ == Kind::kLong ? static_cast<double>(other.int_value_) : other.real_value_;
      return a == b;
    }
    return false;
  }
  switch (kind_) {
    case Kind::kNull: return true;
    case Kind::kBool:
    case Kind::kLong:
    case Kind::kDateTime:
    case Kind::kTimeSpan: return int_value_ == other.int_value_;
    case Kind::kReal: return real_value_ == other.real_value_;
    case Kind::kString:
    case Kind::kGuid: return string_value_ == other.string_value_;
    case Kind::kArray:
      if (items_.size() != other.items_.size()) return false;
      for (size_t i = 0; i < items_.size(); ++i)
        if (!items_[i]->Equals(*other.items_[i])) return false;
      return true;
    case Kind::kObject:
      if (members_.size() != other.members_.size()) return false;
      for (const auto& [key, value] : members_) {
        const DynamicValue* found = other.Find(key);
        if (!found || !value->Equals(*found)) return false;
      }
      return true;
  }
  return false;
}

Dynamic ParseJson(std::string_view text, std::string* error) { return JsonParser(text, false).ParseDocument(error); }

Dynamic ParseStrictJson(std::string_view text, std::string* error) {
  return JsonParser(text, false, true).ParseDocument(error);
}

Dynamic ParseDynamicLiteral(std::string_view text, std::string* error) {
  return JsonParser(text, true).ParseDocument(error);
}

std::string ToJson(const DynamicValue& value) {
  std::string out;
  AppendJson(out, value, 0);
  return out;
}

void AppendJsonString(std::string& out, std::string_view text) {
  out.push_back('"');
  for (char c : text) {
    unsigned char u = static_cast<unsigned char>(c);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (u < 0x20) {
          char buffer[8];
          std::snprintf(buffer, sizeof(buffer), "\\u%04x", u);
          out += buffer;
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

std::string FormatReal(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  char buffer[64];
  auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  return std::string(buffer, result.ptr);
}

}  // namespace kql
