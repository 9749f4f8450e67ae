// IPv6 functions: parse_ipv6, parse_ipv6_mask, ipv6_compare, ipv6_is_match, ipv6_is_in_range,
// ipv6_is_in_any_range.
// Semantics (KQL docs, doc_cases.jsonl):
//   - An address is IPv6 text ("fe80::85d:e82c:9446:7994", "::ffff:1.2.3.4") or IPv4 text, which maps to
//     ::ffff:a.b.c.d with its /prefix shifted by 96 bits (so does "::a.b.c.d"); an optional "/prefix" masks it.
//   - parse_ipv6 gives the full canonical form (eight groups of four lowercase hex digits) after masking, "" for
//     invalid input; parse_ipv6_mask masks with the smaller of the address's prefix and the argument.
//   - ipv6_compare/ipv6_is_match compare under the smallest of both prefixes and the optional prefix argument,
//     which counts IPv4 bits when both addresses are IPv4; invalid input gives null.
//   - ipv6_is_in_any_range takes ranges as arguments or dynamic arrays.
#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "execution/scalar/scalar_kernels.h"
#include "execution/scalar/value_kernel.h"
#include "execution/layer.h"

namespace kql::exec {

namespace {

struct Ipv6Address {
  std::array<uint16_t, 8> groups{};
  int prefix = 128;
  bool from_ipv4 = false;

  Ipv6Address Masked(int bits) const {
    Ipv6Address result = *this;
    for (int group = 0; group < 8; ++group) {
      const int keep = std::clamp(bits - 16 * group, 0, 16);
      const uint16_t mask = keep == 0 ? 0 : static_cast<uint16_t>(0xFFFF << (16 - keep));
      result.groups[group] = groups[group] & mask;
    }
    return result;
  }
};

std::optional<int> ParseDecimal(std::string_view text, int max) {
  if (text.empty() || text.size() > 3) return std::nullopt;
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  if (value > max) return std::nullopt;
  return value;
}

std::optional<std::array<uint16_t, 2>> ParseIpv4Groups(std::string_view text) {
  uint32_t address = 0;
  int octets = 0;
  size_t index = 0;
  while (index <= text.size() && octets < 4) {
    size_t dot = text.find('.', index);
    if (dot == std::string_view::npos) dot = text.size();
    std::optional<int> octet = ParseDecimal(text.substr(index, dot - index), 255);
    if (!octet) return std::nullopt;
    address = (address << 8) | static_cast<uint32_t>(*octet);
    ++octets;
    index = dot + 1;
  }
  if (octets != 4 || index <= text.size()) return std::nullopt;
  return std::array<uint16_t, 2>{static_cast<uint16_t>(address >> 16), static_cast<uint16_t>(address & 0xFFFF)};
}

std::optional<uint16_t> ParseHexGroup(std::string_view text) {
  if (text.empty() || text.size() > 4) return std::nullopt;
  uint16_t value = 0;
  for (char c : text) {
    int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    if (digit < 0) return std::nullopt;
    value = static_cast<uint16_t>(value * 16 + digit);
  }
  return value;
}

// Parses the groups of one side of "::" into `out`; false when malformed.
bool ParseGroupList(std::string_view text, std::vector<uint16_t>& out, bool allow_ipv4_tail) {
  if (text.empty()) return true;
  size_t index = 0;
  while (true) {
    size_t colon = text.find(':', index);
    std::string_view part = text.substr(index, colon == std::string_view::npos ? std::string_view::npos : colon - index);
    if (colon == std::string_view::npos && allow_ipv4_tail && part.find('.') != std::string_view::npos) {
      std::optional<std::array<uint16_t, 2>> tail = ParseIpv4Groups(part);
      if (!tail) return false;
      out.push_back((*tail)[0]);
      out.push_back((*tail)[1]);
      return true;
    }
    std::optional<uint16_t> group = ParseHexGroup(part);
    if (!group) return false;
    out.push_back(*group);
    if (colon == std::string_view::npos) return true;
    index = colon + 1;
  }
}

std::optional<Ipv6Address> ParseIpv6Text(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  Ipv6Address result;
  std::optional<int> prefix;
  if (size_t slash = text.find('/'); slash != std::string_view::npos) {
    prefix = ParseDecimal(text.substr(slash + 1), 128);
    if (!prefix) return std::nullopt;
    text = text.substr(0, slash);
  }
  // "::a.b.c.d" (the deprecated IPv4-compatible form) reads as the IPv4 address, prefix included.
  if (text.starts_with("::") && text.find(':', 2) == std::string_view::npos && text.find('.') != std::string_view::npos) {
    text.remove_prefix(2);
  }
  if (text.find(':') == std::string_view::npos) {
    std::optional<std::array<uint16_t, 2>> ipv4 = ParseIpv4Groups(text);
    if (!ipv4 || (prefix && *prefix > 32)) return std::nullopt;
    result.groups = {0, 0, 0, 0, 0, 0xFFFF, (*ipv4)[0], (*ipv4)[1]};
    result.from_ipv4 = true;
    result.prefix = prefix ? 96 + *prefix : 128;
    return result;
  }
  std::vector<uint16_t> head;
  std::vector<uint16_t> tail;
  const size_t gap = text.find("::");
  if (gap != std::string_view::npos) {
    if (text.find("::", gap + 1) != std::string_view::npos) return std::nullopt;
    if (!ParseGroupList(text.substr(0, gap), head, false) || !ParseGroupList(text.substr(gap + 2), tail, true)) {
      return std::nullopt;
    }
    if (head.size() + tail.size() > 7) return std::nullopt;
  } else {
    if (!ParseGroupList(text, head, true) || head.size() != 8) return std::nullopt;
  }
  for (size_t index = 0; index < head.size(); ++index) result.groups[index] = head[index];
  for (size_t index = 0; index < tail.size(); ++index) result.groups[8 - tail.size() + index] = tail[index];
  result.prefix = prefix.value_or(128);
  return result;
}

std::optional<Ipv6Address> Ipv6Of(const Value& value) {
  if (value.is_null && value.type != KqlType::kString) return std::nullopt;
  return ParseIpv6Text(ValueText(value));
}

std::string FormatIpv6Full(const Ipv6Address& address) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text;
  for (int group = 0; group < 8; ++group) {
    if (group > 0) text += ':';
    for (int shift = 12; shift >= 0; shift -= 4) text += kDigits[(address.groups[group] >> shift) & 0xF];
  }
  return text;
}

Value ParseIpv6(std::span<const Value> args, KqlType) {
  std::optional<Ipv6Address> address = Ipv6Of(args[0]);
  if (!address) return Value::String("");
  return Value::String(FormatIpv6Full(address->Masked(address->prefix)));
}

Value ParseIpv6Mask(std::span<const Value> args, KqlType) {
  std::optional<Ipv6Address> address = Ipv6Of(args[0]);
  std::optional<double> bits = ValueNumber(args[1]);
  if (!address || !bits || *bits < 0 || *bits > 128) return Value::String("");
  return Value::String(FormatIpv6Full(address->Masked(std::min(address->prefix, static_cast<int>(*bits)))));
}

// Compares under the common prefix; nullopt when either address (or the prefix argument) is invalid.
std::optional<int> CompareIpv6(std::span<const Value> args) {
  std::optional<Ipv6Address> left = Ipv6Of(args[0]);
  std::optional<Ipv6Address> right = Ipv6Of(args[1]);
  if (!left || !right) return std::nullopt;
  int bits = std::min(left->prefix, right->prefix);
  if (args.size() > 2) {
    std::optional<double> prefix = ValueNumber(args[2]);
    if (!prefix) return std::nullopt;
    const int extra = left->from_ipv4 && right->from_ipv4 ? 96 : 0;
    bits = std::min(bits, static_cast<int>(*prefix) + extra);
  }
  const Ipv6Address a = left->Masked(bits);
  const Ipv6Address b = right->Masked(bits);
  return a.groups < b.groups ? -1 : a.groups > b.groups ? 1 : 0;
}

Value Ipv6Compare(std::span<const Value> args, KqlType) {
  std::optional<int> order = CompareIpv6(args);
  return order ? Value::Long(*order) : Value::Null(KqlType::kLong);
}

Value Ipv6IsMatch(std::span<const Value> args, KqlType) {
  std::optional<int> order = CompareIpv6(args);
  return order ? Value::Bool(*order == 0) : Value::Null(KqlType::kBool);
}

bool InRange(const Ipv6Address& address, const Ipv6Address& range) {
  return address.Masked(range.prefix).groups == range.Masked(range.prefix).groups;
}

Value Ipv6IsInAnyRange(std::span<const Value> args, KqlType) {
  std::optional<Ipv6Address> address = Ipv6Of(args[0]);
  if (!address) return Value::Null(KqlType::kBool);
  for (size_t index = 1; index < args.size(); ++index) {
    const Value& arg = args[index];
    std::vector<std::string> ranges;
    if (arg.type == KqlType::kDynamic && arg.dynamic_value && arg.dynamic_value->kind() == DynamicValue::Kind::kArray) {
      for (const Dynamic& item : arg.dynamic_value->items()) {
        if (item && item->kind() == DynamicValue::Kind::kString) ranges.push_back(item->string_value());
      }
    } else {
      ranges.push_back(ValueText(arg));
    }
    for (const std::string& text : ranges) {
      std::optional<Ipv6Address> range = ParseIpv6Text(text);
      if (range && InRange(*address, *range)) return Value::Bool(true);
    }
  }
  return Value::Bool(false);
}

Value Ipv6IsInRange(std::span<const Value> args, KqlType type) {
  if (!Ipv6Of(args[1])) return Value::Null(KqlType::kBool);
  return Ipv6IsInAnyRange(args, type);
}

constexpr ValueFunctionEntry kIpv6Functions[] = {
    {"parse_ipv6", ParseIpv6},
    {"parse_ipv6_mask", ParseIpv6Mask},
    {"ipv6_compare", Ipv6Compare},
    {"ipv6_is_match", Ipv6IsMatch},
    {"ipv6_is_in_range", Ipv6IsInRange},
    {"ipv6_is_in_any_range", Ipv6IsInAnyRange},
};

}  // namespace

void Ipv6FunctionKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                        ColumnVector& out) {
  RunValueFunction(kIpv6Functions, call, args, rows, out);
}

}  // namespace kql::exec
