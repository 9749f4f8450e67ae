// Punycode (RFC 3492, by libidn): punycode_from_string encodes a label, punycode_to_string decodes one;
// punycode_domain_to_string encodes every non-ASCII label of a domain as "xn--" + punycode and
// punycode_domain_from_string decodes every "xn--" label (Kusto's names: "to string" is the encoded form of a
// domain). Labels are separated by '.', U+3002 and U+FF61 (written back as '.'); letter case is kept (no IDNA
// mapping). A failure gives the empty string, as the docs say.
#include <punycode.h>

#include <optional>
#include <string>
#include <vector>

#include "execution/scalar/scalar_kernels.h"
#include "execution/scalar/value_kernel.h"
#include "execution/layer.h"

namespace kql::exec {
namespace {

// Longest encoded or decoded label we produce (DNS labels are at most 63 bytes; the functions also take text).
constexpr size_t kMaxPunycodeOutput = 4096;

/// Decodes UTF-8 into code points; false on malformed input.
bool CodePoints(std::string_view text, std::vector<punycode_uint>& out) {
  for (size_t pos = 0; pos < text.size();) {
    unsigned char lead = static_cast<unsigned char>(text[pos]);
    int extra = lead < 0x80 ? 0 : (lead >> 5) == 6 ? 1 : (lead >> 4) == 14 ? 2 : (lead >> 3) == 30 ? 3 : -1;
    if (extra < 0 || pos + static_cast<size_t>(extra) + 1 > text.size()) return false;
    punycode_uint value = extra == 0 ? lead : lead & (0x3F >> extra);
    for (int index = 1; index <= extra; ++index) {
      unsigned char next = static_cast<unsigned char>(text[pos + static_cast<size_t>(index)]);
      if ((next & 0xC0) != 0x80) return false;
      value = (value << 6) | (next & 0x3F);
    }
    out.push_back(value);
    pos += static_cast<size_t>(extra) + 1;
  }
  return true;
}

void AppendUtf8(punycode_uint code, std::string& out) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

/// Punycode of a UTF-8 label; nullopt on failure.
std::optional<std::string> Encode(std::string_view label) {
  std::vector<punycode_uint> input;
  if (!CodePoints(label, input)) return std::nullopt;
  std::string output(kMaxPunycodeOutput, '\0');
  size_t length = output.size();
  if (punycode_encode(input.size(), input.data(), nullptr, &length, output.data()) != PUNYCODE_SUCCESS) {
    return std::nullopt;
  }
  output.resize(length);
  return output;
}

/// The UTF-8 text a punycode label stands for; nullopt on failure.
std::optional<std::string> Decode(std::string_view label) {
  std::vector<punycode_uint> output(kMaxPunycodeOutput);
  size_t length = output.size();
  if (punycode_decode(label.size(), label.data(), &length, output.data(), nullptr) != PUNYCODE_SUCCESS) {
    return std::nullopt;
  }
  std::string text;
  for (size_t index = 0; index < length; ++index) AppendUtf8(output[index], text);
  return text;
}

bool IsAscii(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

/// Splits a domain at '.', U+3002 (ideographic full stop) and U+FF61 (halfwidth ideographic full stop).
std::vector<std::string> DomainLabels(std::string_view domain) {
  std::vector<std::string> labels(1);
  for (size_t pos = 0; pos < domain.size(); ++pos) {
    if (domain[pos] == '.') {
      labels.emplace_back();
    } else if (domain.substr(pos, 3) == "\xE3\x80\x82" || domain.substr(pos, 3) == "\xEF\xBD\xA1") {
      labels.emplace_back();
      pos += 2;
    } else {
      labels.back() += domain[pos];
    }
  }
  return labels;
}

bool HasAcePrefix(std::string_view label) {
  return label.size() >= 4 && (label[0] == 'x' || label[0] == 'X') && (label[1] == 'n' || label[1] == 'N') &&
         label[2] == '-' && label[3] == '-';
}

Value FromString(std::span<const Value> args, KqlType) {
  auto encoded = Encode(ValueText(args[0]));
  return Value::String(encoded ? *encoded : "");
}

Value ToString(std::span<const Value> args, KqlType) {
  std::string text = ValueText(args[0]);
  if (!IsAscii(text)) return Value::String("");
  auto decoded = Decode(text);
  return Value::String(decoded ? *decoded : "");
}

Value DomainToString(std::span<const Value> args, KqlType) {
  std::string out;
  bool first = true;
  for (const std::string& label : DomainLabels(ValueText(args[0]))) {
    if (!first) out += '.';
    first = false;
    if (IsAscii(label)) {
      out += label;
      continue;
    }
    auto encoded = Encode(label);
    if (!encoded) return Value::String("");
    out += "xn--" + *encoded;
  }
  return Value::String(out);
}

Value DomainFromString(std::span<const Value> args, KqlType) {
  std::string out;
  bool first = true;
  for (const std::string& label : DomainLabels(ValueText(args[0]))) {
    if (!first) out += '.';
    first = false;
    if (!HasAcePrefix(label)) {
      out += label;
      continue;
    }
    auto decoded = IsAscii(label) ? Decode(std::string_view(label).substr(4)) : std::nullopt;
    if (!decoded) return Value::String("");
    out += *decoded;
  }
  return Value::String(out);
}

constexpr ValueFunctionEntry kPunycodeFunctions[] = {
    {"punycode_from_string", FromString},
    {"punycode_to_string", ToString},
    {"punycode_domain_to_string", DomainToString},
    {"punycode_domain_from_string", DomainFromString},
};

}  // namespace

void PunycodeFunctionKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                            ColumnVector& out) {
  RunValueFunction(kPunycodeFunctions, call, args, rows, out);
}

}  // namespace kql::exec
