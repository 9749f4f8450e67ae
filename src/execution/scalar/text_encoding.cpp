// Text encoding functions: hash_sha256, url_encode, url_decode, base64_encode_tostring, base64_decode_tostring,
// tohex, strrep, typeof (gettype), base64_encode_fromguid, base64_decode_toguid, base64_decode_toarray,
// base64_encode_fromarray, zlib_/gzip_compress_to_base64_string, zlib_/gzip_decompress_from_base64_string.
// Semantics (KQL docs and doc_cases.jsonl):
//   - hash_sha256 hashes the value's tostring text (UTF-8) and returns lowercase hex; null hashes to "".
//   - url_encode escapes like .NET's HttpUtility.UrlEncode: lowercase %xx, space as '+', and letters, digits
//     and -_.!*() kept; url_decode reverses %xx and '+' and leaves malformed escapes alone.
//   - base64_decode_tostring returns "" for invalid base64.
//   - tohex of an int is its 32-bit two's complement and of a long its 64-bit one, lowercase, left-padded with
//     zeros to the optional minimum length.
//   - strrep(value, n[, delimiter]) repeats tostring(value) n times; n <= 0 gives "".
//   - The compress functions deflate with stored blocks (zlib level 0), which reproduces Kusto's output byte for
//     byte; invalid input to the decompress functions gives "". Guids travel in .NET's byte order.
//   - typeof names the value's type; for dynamic values the JSON kind (array, dictionary, string, long, double...).
#include <string>
#include <vector>

#include <zlib.h>

#include "execution/scalar/scalar_kernels.h"
#include "execution/scalar/sha256.h"
#include "execution/scalar/text_conversion.h"
#include "execution/scalar/url_encoding.h"
#include "execution/scalar/value_kernel.h"
#include "execution/layer.h"

namespace kql::exec {

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

std::string_view DynamicKindName(const DynamicValue& value) {
  switch (value.kind()) {
    case DynamicValue::Kind::kNull: return "null";
    case DynamicValue::Kind::kBool: return "bool";
    case DynamicValue::Kind::kLong: return "long";
    case DynamicValue::Kind::kReal: return "double";  // Kusto's name for a dynamic real (a .NET double).
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

// The 16 bytes of a guid in .NET's ToByteArray order (the first three fields little-endian); empty if invalid.
std::string GuidBytes(std::string_view text) {
  std::string hex;
  for (char c : text) {
    if (c != '-') hex += c;
  }
  if (hex.size() != 32) return "";
  std::string bytes;
  for (size_t index = 0; index < 32; index += 2) {
    const int high = HexValue(hex[index]);
    const int low = HexValue(hex[index + 1]);
    if (high < 0 || low < 0) return "";
    bytes += static_cast<char>(high * 16 + low);
  }
  std::swap(bytes[0], bytes[3]);
  std::swap(bytes[1], bytes[2]);
  std::swap(bytes[4], bytes[5]);
  std::swap(bytes[6], bytes[7]);
  return bytes;
}

Value Base64EncodeFromGuid(std::span<const Value> args, KqlType) {
  if (args[0].is_null) return Value::String("");
  std::string bytes = GuidBytes(ValueText(args[0]));
  return Value::String(bytes.empty() ? std::string() : Base64Encode(bytes));
}

Value Base64DecodeToGuid(std::span<const Value> args, KqlType) {
  std::optional<std::string> bytes = Base64Decode(ValueText(args[0]));
  if (!bytes || bytes->size() != 16) return Value::Null(KqlType::kGuid);
  std::string& b = *bytes;
  std::swap(b[0], b[3]);
  std::swap(b[1], b[2]);
  std::swap(b[4], b[5]);
  std::swap(b[6], b[7]);
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text;
  for (size_t index = 0; index < 16; ++index) {
    if (index == 4 || index == 6 || index == 8 || index == 10) text += '-';
    text += kDigits[static_cast<unsigned char>(b[index]) >> 4];
    text += kDigits[static_cast<unsigned char>(b[index]) & 0xF];
  }
  return Value::Guid(std::move(text));
}

Value Base64DecodeToArray(std::span<const Value> args, KqlType) {
  // Unlike base64_decode_tostring, the padding is required: "S3VzdG8" is invalid and gives an empty array.
  const std::string text = ValueText(args[0]);
  std::optional<std::string> bytes = text.size() % 4 == 0 ? Base64Decode(text) : std::nullopt;
  if (!bytes) return Value::FromDynamic(DynamicValue::MakeArray({}));
  std::vector<Dynamic> items;
  for (char c : *bytes) items.push_back(DynamicValue::MakeLong(static_cast<unsigned char>(c)));
  return Value::FromDynamic(DynamicValue::MakeArray(std::move(items)));
}

Value Base64EncodeFromArray(std::span<const Value> args, KqlType) {
  const Value& arg = args[0];
  if (arg.type != KqlType::kDynamic || !arg.dynamic_value || arg.dynamic_value->kind() != DynamicValue::Kind::kArray) {
    return Value::String("");
  }
  std::string bytes;
  for (const Dynamic& item : arg.dynamic_value->items()) {
    if (!item || item->kind() != DynamicValue::Kind::kLong || item->int_value() < 0 || item->int_value() > 255) {
      return Value::String("");
    }
    bytes += static_cast<char>(item->int_value());
  }
  return Value::String(Base64Encode(bytes));
}

// Deflates with zlib's stored (level 0) blocks, as Kusto's answers show; gzip gets a bare header (no name, no
// time, OS unknown) and the CRC-32/size trailer.
std::string Compress(std::string_view data, bool gzip) {
  z_stream stream{};
  if (deflateInit2(&stream, Z_NO_COMPRESSION, Z_DEFLATED, gzip ? -15 : 15, 8, Z_DEFAULT_STRATEGY) != Z_OK) return "";
  std::string out(deflateBound(&stream, data.size()) + 32, '\0');
  size_t offset = 0;
  if (gzip) {
    static constexpr unsigned char kHeader[] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff};
    out.replace(0, sizeof(kHeader), reinterpret_cast<const char*>(kHeader), sizeof(kHeader));
    offset = sizeof(kHeader);
  }
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data() + offset);
  stream.avail_out = static_cast<uInt>(out.size() - offset);
  const int status = deflate(&stream, Z_FINISH);
  const size_t written = offset + stream.total_out;
  deflateEnd(&stream);
  if (status != Z_STREAM_END) return "";
  out.resize(written);
  if (gzip) {
    uint32_t crc = static_cast<uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size())));
    uint32_t size = static_cast<uint32_t>(data.size());
    for (uint32_t word : {crc, size}) {
      for (int shift = 0; shift < 32; shift += 8) out += static_cast<char>((word >> shift) & 0xFF);
    }
  }
  return out;
}

std::optional<std::string> Decompress(std::string_view data, bool gzip) {
  z_stream stream{};
  if (inflateInit2(&stream, gzip ? 31 : 15) != Z_OK) return std::nullopt;
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  std::string out;
  char buffer[16384];
  int status = Z_OK;
  while (status == Z_OK) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof(buffer);
    status = inflate(&stream, Z_NO_FLUSH);
    out.append(buffer, sizeof(buffer) - stream.avail_out);
    if (out.size() > kMaxRepeatedBytes) status = Z_MEM_ERROR;
  }
  inflateEnd(&stream);
  if (status != Z_STREAM_END) return std::nullopt;
  return out;
}

Value CompressToBase64(std::span<const Value> args, bool gzip) {
  return Value::String(Base64Encode(Compress(ValueText(args[0]), gzip)));
}

Value DecompressFromBase64(std::span<const Value> args, bool gzip) {
  std::optional<std::string> bytes = Base64Decode(ValueText(args[0]));
  std::optional<std::string> text = bytes ? Decompress(*bytes, gzip) : std::nullopt;
  return Value::String(text ? *text : std::string());
}

Value ZlibCompress(std::span<const Value> args, KqlType) { return CompressToBase64(args, false); }
Value ZlibDecompress(std::span<const Value> args, KqlType) { return DecompressFromBase64(args, false); }
Value GzipCompress(std::span<const Value> args, KqlType) { return CompressToBase64(args, true); }
Value GzipDecompress(std::span<const Value> args, KqlType) { return DecompressFromBase64(args, true); }

constexpr ValueFunctionEntry kBinaryTextFunctions[] = {
    {"base64_encode_fromguid", Base64EncodeFromGuid},
    {"base64_decode_toguid", Base64DecodeToGuid},
    {"base64_decode_toarray", Base64DecodeToArray},
    {"base64_encode_fromarray", Base64EncodeFromArray},
    {"zlib_compress_to_base64_string", ZlibCompress},
    {"zlib_decompress_from_base64_string", ZlibDecompress},
    {"gzip_compress_to_base64_string", GzipCompress},
    {"gzip_decompress_from_base64_string", GzipDecompress},
};

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

void BinaryTextKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                      ColumnVector& out) {
  RunValueFunction(kBinaryTextFunctions, call, args, rows, out);
}

}  // namespace kql::exec
