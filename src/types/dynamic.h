// Dynamic: KQL's `dynamic` value — an immutable JSON-like tree (null, bool, long, real, string, datetime,
// timespan, guid, array, property bag), shared by pointer. Parsing is depth-limited; it never throws.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kql {

class DynamicValue;
/// Dynamic values are immutable and shared: copying a column of them copies pointers only.
using Dynamic = std::shared_ptr<const DynamicValue>;

/// One node of a dynamic value.
class DynamicValue {
 public:
  /// The kind of JSON-like node.
  enum class Kind { kNull, kBool, kLong, kReal, kString, kDateTime, kTimeSpan, kGuid, kArray, kObject };
  using Member = std::pair<std::string, Dynamic>;

  static Dynamic MakeNull();
  static Dynamic MakeBool(bool value);
  static Dynamic MakeLong(int64_t value);
  static Dynamic MakeReal(double value);
  static Dynamic MakeString(std::string value);
  static Dynamic MakeDateTime(int64_t ticks);
  static Dynamic MakeTimeSpan(int64_t ticks);
  static Dynamic MakeGuid(std::string value);
  static Dynamic MakeArray(std::vector<Dynamic> items);
  static Dynamic MakeObject(std::vector<Member> members);

  Kind kind() const { return kind_; }
  bool IsNull() const { return kind_ == Kind::kNull; }
  bool bool_value() const { return int_value_ != 0; }
  /// The long, datetime or timespan payload.
  int64_t int_value() const { return int_value_; }
  double real_value() const { return real_value_; }
  /// The string or guid payload.
  const std::string& string_value() const { return string_value_; }
  const std::vector<Dynamic>& items() const { return items_; }
  const std::vector<Member>& members() const { return members_; }
  /// Looks up a property by exact name; nullptr when absent or not a bag.
  const DynamicValue* Find(std::string_view key) const;

  /// Deep equality (kinds and values; bag member order ignored).
  bool Equals(const DynamicValue& other) const;

 private:
  Kind kind_ = Kind::kNull;
  int64_t int_value_ = 0;
  double real_value_ = 0;
  std::string string_value_;
  std::vector<Dynamic> items_;
  std::vector<Member> members_;
};

/// Parses JSON text into a dynamic value. Returns nullptr and sets *error on malformed JSON or nesting deeper
/// than kMaxJsonDepth.
Dynamic ParseJson(std::string_view text, std::string* error = nullptr);

/// ParseJson that also rejects raw control characters (tab, newline...) inside strings, as RFC 8259 and Kusto's
/// parse_json do (kusto_engine_cases k959); the data readers keep the tolerant ParseJson.
Dynamic ParseStrictJson(std::string_view text, std::string* error = nullptr);

/// Parses the JSON of a KQL `dynamic(...)` literal, which also accepts single-quoted strings and keys and nested
/// dynamic(...) wrappers.
Dynamic ParseDynamicLiteral(std::string_view text, std::string* error = nullptr);

/// The maximum nesting depth ParseJson accepts.
inline constexpr int kMaxJsonDepth = 256;

/// Serializes compactly: {"a":1,"b":[true,null]}; datetimes and timespans as strings, NaN as "NaN".
std::string ToJson(const DynamicValue& value);

/// Appends the JSON string literal form of text (with quotes and escapes) to out.
void AppendJsonString(std::string& out, std::string_view text);

/// Formats a real the way kqlite prints reals: shortest round-trip, "NaN", "Infinity", "-Infinity".
std::string FormatReal(double value);

}  // namespace kql
