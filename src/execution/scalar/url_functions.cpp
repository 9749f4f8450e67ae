// URL functions: parse_url, parse_urlquery, and the URL encoding shared with url_encode/url_decode.
// Semantics (KQL docs):
//   - parse_url splits an absolute URL into a bag {"Scheme", "Host", "Port", "Path", "Username", "Password",
//     "Query Parameters", "Fragment"}: strings, "" when absent (Path keeps its leading '/'), and the query as a
//     bag of URL-decoded values. Text that is not an absolute URL (no "scheme://") gives a bag of empty parts.
//   - parse_urlquery parses "k1=v1&k2=v2" (an optional leading '?') into {"Query Parameters": {...}}; a later
//     duplicate key replaces an earlier one; a key without '=' has the value "".
#include <string>
#include <vector>

#include "execution/scalar/scalar_kernels.h"
#include "execution/scalar/url_encoding.h"
#include "execution/scalar/value_kernel.h"
#include "execution/layer.h"

namespace kql::exec {

namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Dynamic QueryBag(std::string_view query) {
  std::vector<DynamicValue::Member> members;
  size_t start = 0;
  while (start < query.size()) {
    size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    std::string_view pair = query.substr(start, end - start);
    start = end + 1;
    if (pair.empty()) continue;
    const size_t equals = pair.find('=');
    std::string key = UrlDecode(pair.substr(0, equals));
    std::string value = equals == std::string_view::npos ? std::string() : UrlDecode(pair.substr(equals + 1));
    bool replaced = false;
    for (auto& member : members) {
      if (member.first == key) {
        member.second = DynamicValue::MakeString(value);
        replaced = true;
      }
    }
    if (!replaced) members.emplace_back(std::move(key), DynamicValue::MakeString(std::move(value)));
  }
  return DynamicValue::MakeObject(std::move(members));
}

Value ParseUrl(std::span<const Value> args, KqlType) {
  std::string_view url = args[0].type == KqlType::kString ? std::string_view(args[0].string_value) : std::string_view();
  std::string text;
  if (args[0].type != KqlType::kString) {
    text = ValueText(args[0]);
    url = text;
  }
  std::string scheme, host, port, path, username, password, fragment;
  std::string_view query;
  const size_t scheme_end = url.find("://");
  bool valid = scheme_end != std::string_view::npos && scheme_end > 0;
  for (size_t index = 0; valid && index < scheme_end; ++index) {
    const char c = url[index];
    valid = std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
  }
  if (valid) {
    scheme = url.substr(0, scheme_end);
    std::string_view rest = url.substr(scheme_end + 3);
    if (size_t hash = rest.find('#'); hash != std::string_view::npos) {
      fragment = rest.substr(hash + 1);
      rest = rest.substr(0, hash);
    }
    if (size_t question = rest.find('?'); question != std::string_view::npos) {
      query = rest.substr(question + 1);
      rest = rest.substr(0, question);
    }
    const size_t slash = rest.find('/');
    std::string_view authority = rest.substr(0, slash);
    path = slash == std::string_view::npos ? std::string() : std::string(rest.substr(slash));
    if (size_t at = authority.rfind('@'); at != std::string_view::npos) {
      std::string_view user_info = authority.substr(0, at);
      authority = authority.substr(at + 1);
      const size_t colon = user_info.find(':');
      username = user_info.substr(0, colon);
      if (colon != std::string_view::npos) password = user_info.substr(colon + 1);
    }
    // A port follows the last ':' unless it is inside an IPv6 literal ([::1]:8080).
    const size_t bracket = authority.rfind(']');
    const size_t colon = authority.rfind(':');
    if (colon != std::string_view::npos && (bracket == std::string_view::npos || colon > bracket)) {
      port = authority.substr(colon + 1);
      authority = authority.substr(0, colon);
    }
    host = authority;
  }
  std::vector<DynamicValue::Member> members;
  members.emplace_back("Scheme", DynamicValue::MakeString(scheme));
  members.emplace_back("Host", DynamicValue::MakeString(host));
  members.emplace_back("Port", DynamicValue::MakeString(port));
  members.emplace_back("Path", DynamicValue::MakeString(path));
  members.emplace_back("Username", DynamicValue::MakeString(username));
  members.emplace_back("Password", DynamicValue::MakeString(password));
  members.emplace_back("Query Parameters", QueryBag(query));
  members.emplace_back("Fragment", DynamicValue::MakeString(fragment));
  return Value::FromDynamic(DynamicValue::MakeObject(std::move(members)));
}

Value ParseUrlQuery(std::span<const Value> args, KqlType) {
  std::string text = ValueText(args[0]);
  std::string_view query = text;
  if (query.starts_with('?')) query.remove_prefix(1);
  std::vector<DynamicValue::Member> members;
  members.emplace_back("Query Parameters", QueryBag(query));
  return Value::FromDynamic(DynamicValue::MakeObject(std::move(members)));
}

constexpr ValueFunctionEntry kUrlFunctions[] = {
    {"parse_url", ParseUrl},
    {"parse_urlquery", ParseUrlQuery},
};

}  // namespace

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
    } else if (c == '%' && index + 2 < text.size() + 0 && HexDigit(text[index + 1]) >= 0 &&
               HexDigit(text[index + 2]) >= 0) {
      out += static_cast<char>(HexDigit(text[index + 1]) * 16 + HexDigit(text[index + 2]));
      index += 2;
    } else {
      out += c;
    }
  }
  return out;
}

void UrlFunctionKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                       ColumnVector& out) {
  RunValueFunction(kUrlFunctions, call, args, rows, out);
}

}  // namespace kql::exec
