// Text encoding functions: hash_sha256, url_encode, url_decode, base64_encode_tostring, base64_decode_tostring,
// tohex, strrep, typeof (gettype).
// Semantics (KQL docs and doc_cases.jsonl):
//   - hash_sha256 hashes the value's tostring text (UTF-8) and returns lowercase hex; null hashes to "".
//   - url_encode escapes like .NET's HttpUtility.UrlEncode: lowercase %xx, space as '+', and letters, digits
//     and -_.!*() kept; url_decode reverses %xx and '+' and leaves malformed escapes alone.
//   - base64_decode_tostring returns "" for invalid base64.
//   - tohex of an int is its 32-bit two's complement and of a long its 64-bit one, lowercase, left-padded with
//     zeros to the optional minimum length.
//   - strrep(value, n[, delimiter]) repeats tostring(value) n times; n <= 0 gives "".
//   - typeof names the value's type; for dynamic values the JSON kind (array, dictionary, string, long, ...).
#include <string>

#include "execution/scalar/scalar_kernels.h"
#include "execution/scalar/sha256.h"
#include "execution/scalar/text_conversion.h"

namespace kql {

namespace {

/// Longer strrep results than this are refused (""), so one row cannot exhaust memory.
constexpr size_t kMaxRepeatedBytes = size_t{64} << 20;

constexpr char kBase64Alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int Base64Digit(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '-') return 62;
  if (c == '/' || c == '_') return 63;
  return -1;
}

std::string Base64Encode(std::string_view data) {
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  size_t index = 0;
  for (; index + 2 < data.size(); index += 3) {
    uint32_t chunk = (static_cast<uint8_t>(data[index]) << 16) | (static_cast<uint8_t>(data[index + 1]) << 8) |
                     static_cast<uint8_t>(data[index + 2]);
    for (int shift = 18; shift >= 0; shift -= 6) out += kBase64Alphabet[(chunk >> shift) & 0x3F];
  }
  size_t rest = data.size() - index;
  if (rest > 0) {
    uint32_t chunk = static_cast<uint8_t>(data[index]) << 16;
    if (rest == 2) chunk |= static_cast<uint8_t>(data[index + 1]) << 8;
    out += kBase64Alphabet[(chunk >> 18) & 0x3F];
    out += kBase64Alphabet[(chunk >> 12) & 0x3F];
    out += rest == 2 ? kBase64Alphabet[(chunk >> 6) & 0x3F] : '=';
    out += '=';
  }
  return out;
}

std::optional<std::string> Base64Decode(std::string_view text) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    int digit = Base64Digit(c);
    if (digit < 0) return std::nullopt;
    buffer = (buffer << 6) | static_cast<uint32_t>(digit);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  if (bits >= 6) return std::nullopt;  // One dangling character cannot encode a byte.
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string UrlEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || c == '-' || c == '_' || c == '.' || c == '!' || c == '*' || c == '(' || c == ')') {
      out += c;
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0xF];
    }
  }
  return out;
}

std::string UrlDecode(std::string_view text) {
  std::string out;
  for (size_t index = 0; index < text.size(); ++index) {
    char c = text[index];
    if (c == '+') {
      out += ' ';
    } else if (c == '%' && index + 2 < text.size() + 0 && HexValue(text[index + 1]) >= 0 &&
               HexValue(text[index + 2]) >= 0) {
      out += static_cast<char>(HexValue(text[index + 1]) * 16 + HexValue(text[index + 2]));
      index += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::string_view DynamicKindName(const DynamicValue& value) {
  switch (value.kind()) {
    case DynamicValue::Kind::kNull: return "null";
    case DynamicValue::Kind::kBool: return "bool";
    case DynamicValue::Kind::kLong: return "long";
    case DynamicValue::Kind::kReal: return "real";
    case DynamicValue::Kind::kString: return "string";
    case DynamicValue::Kind::kDateTime: return "datetime";
    case DynamicValue::Kind::kTimeSpan: return "timespan";
    case DynamicValue::Kind::kGuid: return "guid";
    case DynamicValue::Kind::kArray: return "array";
    case DynamicValue::Kind::kObject: return "dictionary";
  }
  return "null";
}

// The argument's text, viewed in place for strings and copied into `scratch` otherwise.
std::string_view TextAt(const KernelArg& arg, size_t row, std::string& scratch) {
  if (arg.vector->physical_type() == PhysicalType::kString) return arg.String(row);
  scratch.clear();
  AppendText(arg, row, scratch);
  return scratch;
}

}  // namespace

void TextEncodingKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                        ColumnVector& out) {
  const std::string_view name = call.expr.function;
  std::string scratch;
  for (uint32_t row : rows) {
    if (name == "hash_sha256") {
      if (args[0].IsNull(row)) {
        SetNull(out, row);
        continue;
      }
      out.SetString(row, Sha256Hex(TextAt(args[0], row, scratch)));
    } else if (name == "url_encode") {
      out.SetString(row, UrlEncode(TextAt(args[0], row, scratch)));
    } else if (name == "url_decode") {
      out.SetString(row, UrlDecode(TextAt(args[0], row, scratch)));
    } else if (name == "base64_encode_tostring") {
      out.SetString(row, Base64Encode(TextAt(args[0], row, scratch)));
    } else {
      std::optional<std::string> decoded = Base64Decode(TextAt(args[0], row, scratch));
      out.SetString(row, decoded ? *decoded : std::string());
    }
  }
}

void ToHexKernel(const KernelCall&, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                 ColumnVector& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  const bool is_int = args[0].type() == KqlType::kInt;
  std::string digits;
  for (uint32_t row : rows) {
    if (args[0].IsNull(row) || (args.size() > 1 && args[1].IsNull(row))) {
      SetNull(out, row);
      continue;
    }
    int64_t value = args[0].vector->physical_type() == PhysicalType::kDouble
                        ? static_cast<int64_t>(args[0].Real(row))
                        : args[0].Int(row);
    uint64_t bits = is_int ? static_cast<uint32_t>(value) : static_cast<uint64_t>(value);
    digits.clear();
    do {
      digits.insert(digits.begin(), kHex[bits & 0xF]);
      bits >>= 4;
    } while (bits != 0);
    int64_t min_length = args.size() > 1 ? static_cast<int64_t>(args[1].Real(row)) : 0;
    if (min_length > static_cast<int64_t>(digits.size()) && min_length <= 64) {
      digits.insert(0, static_cast<size_t>(min_length) - digits.size(), '0');
    }
    out.SetString(row, digits);
  }
}

void StrRepKernel(const KernelCall&, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                  ColumnVector& out) {
  std::string text_scratch;
  std::string delimiter_scratch;
  std::string result;
  for (uint32_t row : rows) {
    if (args[1].IsNull(row)) {
      SetNull(out, row);
      continue;
    }
    std::string_view text = TextAt(args[0], row, text_scratch);
    std::string_view delimiter = args.size() > 2 ? TextAt(args[2], row, delimiter_scratch) : std::string_view();
    int64_t count = static_cast<int64_t>(args[1].Real(row));
    result.clear();
    if (count > 0 && static_cast<uint64_t>(count) * (text.size() + delimiter.size()) <= kMaxRepeatedBytes) {
      for (int64_t index = 0; index < count; ++index) {
        if (index > 0) result += delimiter;
        result += text;
      }
    }
    out.SetString(row, result);
  }
}

void TypeOfKernel(const KernelCall&, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                  ColumnVector& out) {
  const KernelArg& arg = args[0];
  for (uint32_t row : rows) {
    if (arg.vector->physical_type() == PhysicalType::kDynamic) {
      const Dynamic& value = arg.DynamicAt(row);
      out.SetString(row, arg.IsNull(row) || !value ? std::string_view("null") : DynamicKindName(*value));
      continue;
    }
    out.SetString(row, TypeName(arg.type()));
  }
}

}  // namespace kql
