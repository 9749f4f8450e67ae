// IPv4 functions: parse_ipv4, parse_ipv4_mask, ipv4_is_in_range, ipv4_is_in_any_range, ipv4_is_private,
// ipv4_compare, ipv4_is_match, has_ipv4, has_ipv4_prefix, has_any_ipv4, has_any_ipv4_prefix, format_ipv4,
// format_ipv4_mask, ipv4_netmask_suffix, ipv4_range_to_cidr_list.
// Semantics (KQL docs and the goldens):
//   - An address is four dotted decimal octets, optionally followed by "/prefix" (0..32) which masks it;
//     anything else is invalid and makes the result null (parse_ipv4("not an ip") is null).
//   - A range is an address with an optional prefix; a plain address is a /32 range.
//   - ipv4_is_in_any_range takes ranges as separate arguments or as dynamic arrays; invalid ranges are skipped.
//   - ipv4_is_private is true for 10.0.0.0/8, 172.16.0.0/12 and 192.168.0.0/16.
//   - ipv4_compare/ipv4_is_match compare the addresses under the smaller of the two prefixes and the optional
//     prefix argument.
//   - has_ipv4* look for addresses written in text: runs of digits and dots that form a valid address and are not
//     glued to letters ("54127.0.0.1" is not 127.0.0.1); a prefix is a full address or 1-3 octets ending in '.'.
//   - format_ipv4 of an invalid address is ""; ipv4_range_to_cidr_list lists the smallest set of CIDR blocks.
#include <algorithm>
#include <optional>
#include <string>

#include "execution/scalar/scalar_kernels.h"
#include "execution/scalar/text_conversion.h"
#include "execution/scalar/value_kernel.h"
#include "execution/layer.h"

namespace kql::exec {

namespace {

struct Ipv4Address {
  uint32_t address = 0;
  int prefix = 32;

  uint32_t Mask(int bits) const { return bits <= 0 ? 0 : bits >= 32 ? 0xFFFFFFFFu : ~((1u << (32 - bits)) - 1); }
  uint32_t Masked() const { return address & Mask(prefix); }
};

std::optional<uint32_t> ParseOctets(std::string_view text) {
  uint32_t address = 0;
  int octets = 0;
  size_t index = 0;
  while (octets < 4) {
    if (index >= text.size() || !std::isdigit(static_cast<unsigned char>(text[index]))) return std::nullopt;
    uint32_t value = 0;
    int digits = 0;
    while (index < text.size() && std::isdigit(static_cast<unsigned char>(text[index]))) {
      value = value * 10 + static_cast<uint32_t>(text[index] - '0');
      if (++digits > 3 || value > 255) return std::nullopt;
      ++index;
    }
    address = (address << 8) | value;
    if (++octets < 4) {
      if (index >= text.size() || text[index] != '.') return std::nullopt;
      ++index;
    }
  }
  if (index != text.size()) return std::nullopt;
  return address;
}

std::optional<Ipv4Address> ParseIpv4Text(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  Ipv4Address result;
  size_t slash = text.find('/');
  if (slash != std::string_view::npos) {
    std::string_view prefix = text.substr(slash + 1);
    if (prefix.empty() || prefix.size() > 2) return std::nullopt;
    int bits = 0;
    for (char c : prefix) {
      if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
      bits = bits * 10 + (c - '0');
    }
    if (bits > 32) return std::nullopt;
    result.prefix = bits;
    text = text.substr(0, slash);
  }
  std::optional<uint32_t> address = ParseOctets(text);
  if (!address) return std::nullopt;
  result.address = *address;
  return result;
}

std::optional<Ipv4Address> Ipv4At(const KernelArg& arg, size_t row, std::string& scratch) {
  if (arg.vector->physical_type() == PhysicalType::kString) return ParseIpv4Text(arg.String(row));
  if (arg.IsNull(row)) return std::nullopt;
  scratch.clear();
  AppendText(arg, row, scratch);
  return ParseIpv4Text(scratch);
}

bool InRange(const Ipv4Address& address, const Ipv4Address& range) {
  uint32_t mask = range.Mask(range.prefix);
  return (address.address & mask) == (range.address & mask);
}

// Calls visit(range) for each valid range in a dynamic value (a string or an array of them).
template <typename Visit>
void VisitDynamicRanges(const DynamicValue& value, Visit visit, int depth) {
  if (depth > 8) return;
  if (value.kind() == DynamicValue::Kind::kString) {
    if (auto range = ParseIpv4Text(value.string_value())) visit(*range);
  } else if (value.kind() == DynamicValue::Kind::kArray) {
    for (const Dynamic& item : value.items()) {
      if (item) VisitDynamicRanges(*item, visit, depth + 1);
    }
  }
}

// The prefix to compare two addresses under: the smaller of theirs and of the optional third argument.
std::optional<int> ComparePrefix(std::span<const KernelArg> args, size_t row, const Ipv4Address& left,
                                 const Ipv4Address& right) {
  int prefix = std::min(left.prefix, right.prefix);
  if (args.size() > 2) {
    if (args[2].IsNull(row)) return std::nullopt;
    int64_t requested = args[2].vector->physical_type() == PhysicalType::kDouble
                            ? static_cast<int64_t>(args[2].Real(row))
                            : args[2].Int(row);
    if (requested < 0 || requested > 32) return std::nullopt;
    prefix = std::min<int>(prefix, static_cast<int>(requested));
  }
  return prefix;
}

std::string FormatIpv4(uint32_t address) {
  return std::to_string(address >> 24) + "." + std::to_string((address >> 16) & 0xFF) + "." +
         std::to_string((address >> 8) & 0xFF) + "." + std::to_string(address & 0xFF);
}

// An address from a string ("10.0.0.1/8") or a long; nullopt when invalid.
std::optional<Ipv4Address> Ipv4Of(const Value& value) {
  if (value.is_null && value.type != KqlType::kString) return std::nullopt;
  if (IsInteger(value.type)) {
    if (value.int_value < 0 || value.int_value > 0xFFFFFFFFLL) return std::nullopt;
    return Ipv4Address{static_cast<uint32_t>(value.int_value), 32};
  }
  return ParseIpv4Text(ValueText(value));
}

// The IPv4 addresses written in free text: maximal runs of digits and dots not glued to letters or digits.
std::vector<std::string_view> Ipv4Tokens(std::string_view text) {
  std::vector<std::string_view> tokens;
  size_t index = 0;
  auto is_part = [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == '.'; };
  while (index < text.size()) {
    if (!is_part(text[index])) {
      ++index;
      continue;
    }
    const size_t start = index;
    while (index < text.size() && is_part(text[index])) ++index;
    const bool glued = (start > 0 && std::isalpha(static_cast<unsigned char>(text[start - 1]))) ||
                       (index < text.size() && std::isalpha(static_cast<unsigned char>(text[index])));
    std::string_view token = text.substr(start, index - start);
    if (!glued && ParseOctets(token)) tokens.push_back(token);
  }
  return tokens;
}

// A has_ipv4_prefix prefix: a full address, or one to three octets ending with a dot.
bool IsValidIpv4Prefix(std::string_view prefix) {
  if (ParseOctets(prefix)) return true;
  if (!prefix.ends_with('.')) return false;
  int octets = 0;
  size_t index = 0;
  while (index < prefix.size()) {
    size_t dot = prefix.find('.', index);
    std::string_view octet = prefix.substr(index, dot - index);
    if (octet.empty() || octet.size() > 3 || !std::all_of(octet.begin(), octet.end(), ::isdigit) ||
        std::stoi(std::string(octet)) > 255) {
      return false;
    }
    ++octets;
    index = dot + 1;
  }
  return octets >= 1 && octets <= 3;
}

// Every text argument from position `first` on, flattening dynamic arrays.
std::vector<std::string> TextArguments(std::span<const Value> args, size_t first) {
  std::vector<std::string> texts;
  for (size_t index = first; index < args.size(); ++index) {
    const Value& arg = args[index];
    if (arg.type == KqlType::kDynamic && arg.dynamic_value && arg.dynamic_value->kind() == DynamicValue::Kind::kArray) {
      for (const Dynamic& item : arg.dynamic_value->items()) {
        if (item && item->kind() == DynamicValue::Kind::kString) texts.push_back(item->string_value());
      }
    } else {
      texts.push_back(ValueText(arg));
    }
  }
  return texts;
}

Value HasIpv4Text(std::span<const Value> args, bool prefix_match) {
  std::vector<std::string> wanted = TextArguments(args, 1);
  std::vector<std::string_view> tokens = Ipv4Tokens(args[0].string_value);
  for (const std::string& needle : wanted) {
    if (prefix_match ? !IsValidIpv4Prefix(needle) : !ParseOctets(needle)) continue;
    for (std::string_view token : tokens) {
      if (prefix_match ? token.starts_with(needle) : token == needle) return Value::Bool(true);
    }
  }
  return Value::Bool(false);
}

Value HasIpv4(std::span<const Value> args, KqlType) { return HasIpv4Text(args, false); }
Value HasIpv4Prefix(std::span<const Value> args, KqlType) { return HasIpv4Text(args, true); }

Value FormatIpv4Value(std::span<const Value> args, bool with_mask) {
  std::optional<Ipv4Address> address = Ipv4Of(args[0]);
  if (!address) return Value::String("");
  if (args.size() > 1) {
    std::optional<double> bits = ValueNumber(args[1]);
    if (!bits || *bits < 0 || *bits > 32) return Value::String("");
    address->prefix = std::min(address->prefix, static_cast<int>(*bits));
  }
  std::string text = FormatIpv4(address->Masked());
  if (with_mask) text += "/" + std::to_string(address->prefix);
  return Value::String(std::move(text));
}

Value FormatIpv4Plain(std::span<const Value> args, KqlType) { return FormatIpv4Value(args, false); }
Value FormatIpv4Mask(std::span<const Value> args, KqlType) { return FormatIpv4Value(args, true); }

Value Ipv4NetmaskSuffix(std::span<const Value> args, KqlType) {
  std::optional<Ipv4Address> address = Ipv4Of(args[0]);
  return address ? Value::Long(address->prefix) : Value::Null(KqlType::kLong);
}

Value Ipv4RangeToCidrList(std::span<const Value> args, KqlType) {
  std::optional<Ipv4Address> start = Ipv4Of(args[0]);
  std::optional<Ipv4Address> end = Ipv4Of(args[1]);
  if (!start || !end || start->address > end->address) return Value::Null(KqlType::kDynamic);
  std::vector<Dynamic> blocks;
  uint64_t low = start->address;
  const uint64_t high = end->address;
  while (low <= high) {
    int bits = 32;
    // The largest aligned block starting at low that stays within high.
    while (bits > 0) {
      const uint64_t size = uint64_t{1} << (32 - (bits - 1));
      if ((low & (size - 1)) != 0 || low + size - 1 > high) break;
      --bits;
    }
    blocks.push_back(DynamicValue::MakeString(FormatIpv4(static_cast<uint32_t>(low)) + "/" + std::to_string(bits)));
    low += uint64_t{1} << (32 - bits);
  }
  return Value::FromDynamic(DynamicValue::MakeArray(std::move(blocks)));
}

constexpr ValueFunctionEntry kIpv4TextFunctions[] = {
    {"has_ipv4", HasIpv4},
    {"has_any_ipv4", HasIpv4},
    {"has_ipv4_prefix", HasIpv4Prefix},
    {"has_any_ipv4_prefix", HasIpv4Prefix},
    {"format_ipv4", FormatIpv4Plain},
    {"format_ipv4_mask", FormatIpv4Mask},
    {"ipv4_netmask_suffix", Ipv4NetmaskSuffix},
    {"ipv4_range_to_cidr_list", Ipv4RangeToCidrList},
};

}  // namespace

void ParseIpv4Kernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                     ColumnVector& out) {
  const bool with_mask = call.expr.function == "parse_ipv4_mask";
  std::string scratch;
  for (uint32_t row : rows) {
    std::optional<Ipv4Address> address = Ipv4At(args[0], row, scratch);
    if (!address) {
      out.SetValid(row, false);
      continue;
    }
    if (with_mask) {
      if (args[1].IsNull(row)) {
        out.SetValid(row, false);
        continue;
      }
      int64_t bits = args[1].vector->physical_type() == PhysicalType::kDouble ? static_cast<int64_t>(args[1].Real(row))
                                                                              : args[1].Int(row);
      if (bits < 0 || bits > 32) {
        out.SetValid(row, false);
        continue;
      }
      address->prefix = std::min(address->prefix, static_cast<int>(bits));
    }
    SetInt(out, row, address->Masked());
  }
}

void Ipv4RangeKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                     ColumnVector& out) {
  const bool any_range = call.expr.function == "ipv4_is_in_any_range";
  std::string scratch;
  for (uint32_t row : rows) {
    std::optional<Ipv4Address> address = Ipv4At(args[0], row, scratch);
    if (!address) {
      out.SetValid(row, false);
      continue;
    }
    if (!any_range) {
      std::optional<Ipv4Address> range = Ipv4At(args[1], row, scratch);
      if (range) {
        SetBool(out, row, InRange(*address, *range));
      } else {
        out.SetValid(row, false);
      }
      continue;
    }
    bool found = false;
    for (size_t index = 1; index < args.size() && !found; ++index) {
      const KernelArg& arg = args[index];
      if (arg.vector->physical_type() == PhysicalType::kDynamic) {
        const Dynamic& ranges = arg.DynamicAt(row);
        if (arg.IsNull(row) || !ranges) continue;
        VisitDynamicRanges(*ranges, [&](const Ipv4Address& range) { found = found || InRange(*address, range); }, 0);
      } else if (std::optional<Ipv4Address> range = Ipv4At(arg, row, scratch)) {
        found = InRange(*address, *range);
      }
    }
    SetBool(out, row, found);
  }
}

void Ipv4IsPrivateKernel(const KernelCall&, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                         ColumnVector& out) {
  static constexpr Ipv4Address kPrivate[] = {{0x0A000000u, 8}, {0xAC100000u, 12}, {0xC0A80000u, 16}};
  std::string scratch;
  for (uint32_t row : rows) {
    std::optional<Ipv4Address> address = Ipv4At(args[0], row, scratch);
    if (!address) {
      out.SetValid(row, false);
      continue;
    }
    bool is_private = false;
    for (const Ipv4Address& range : kPrivate) is_private = is_private || InRange(*address, range);
    SetBool(out, row, is_private);
  }
}

void Ipv4CompareKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                       ColumnVector& out) {
  const bool is_match = call.expr.function == "ipv4_is_match";
  std::string scratch;
  for (uint32_t row : rows) {
    std::optional<Ipv4Address> left = Ipv4At(args[0], row, scratch);
    std::optional<Ipv4Address> right = left ? Ipv4At(args[1], row, scratch) : std::nullopt;
    std::optional<int> prefix = right ? ComparePrefix(args, row, *left, *right) : std::nullopt;
    if (!prefix) {
      out.SetValid(row, false);
      continue;
    }
    uint32_t mask = left->Mask(*prefix);
    uint32_t a = left->address & mask;
    uint32_t b = right->address & mask;
    if (is_match) {
      SetBool(out, row, a == b);
    } else {
      SetInt(out, row, a < b ? -1 : a > b ? 1 : 0);
    }
  }
}

void Ipv4TextKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                    ColumnVector& out) {
  RunValueFunction(kIpv4TextFunctions, call, args, rows, out);
}

}  // namespace kql::exec
