// IPv4 functions: parse_ipv4, parse_ipv4_mask, ipv4_is_in_range, ipv4_is_in_any_range, ipv4_is_private,
// ipv4_compare, ipv4_is_match.
// Semantics (KQL docs and the goldens):
//   - An address is four dotted decimal octets, optionally followed by "/prefix" (0..32) which masks it;
//     anything else is invalid and makes the result null (parse_ipv4("not an ip") is null).
//   - A range is an address with an optional prefix; a plain address is a /32 range.
//   - ipv4_is_in_any_range takes ranges as separate arguments or as dynamic arrays; invalid ranges are skipped.
//   - ipv4_is_private is true for 10.0.0.0/8, 172.16.0.0/12 and 192.168.0.0/16.
//   - ipv4_compare/ipv4_is_match compare the addresses under the smaller of the two prefixes and the optional
//     prefix argument.
#include <algorithm>
#include <optional>
#include <string>

#include "execution/scalar/scalar_kernels.h"
#include "execution/scalar/text_conversion.h"

namespace kql {

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

}  // namespace kql
