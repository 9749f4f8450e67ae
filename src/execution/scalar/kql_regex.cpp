#include "execution/scalar/kql_regex.h"
#include "execution/layer.h"

namespace kql::exec {

namespace {

constexpr std::string_view kDigit = "\\p{Nd}";
constexpr std::string_view kSpace = "\\s\\x{85}\\p{Z}";
constexpr std::string_view kWord = "\\p{L}\\p{Mn}\\p{Nd}\\p{Pc}";

}  // namespace

std::string TranslateRegex(std::string_view pattern) {
  std::string out;
  out.reserve(pattern.size() + 16);
  bool in_class = false;
  for (size_t index = 0; index < pattern.size(); ++index) {
    const char c = pattern[index];
    if (c == '\\' && index + 1 < pattern.size()) {
      const char escaped = pattern[++index];
      std::string_view members;
      bool negated = false;
      switch (escaped) {
        case 'd': members = kDigit; break;
        case 'D': members = kDigit; negated = true; break;
        case 's': members = kSpace; break;
        case 'S': members = kSpace; negated = true; break;
        case 'w': members = kWord; break;
        case 'W': members = kWord; negated = true; break;
        default: break;
      }
      if (members.empty() || (in_class && negated)) {
        out += '\\';
        out += escaped;
      } else if (in_class) {
        out += members;
      } else {
        out += negated ? "[^" : "[";
        out += members;
        out += ']';
      }
      continue;
    }
    if (!in_class && c == '[') {
      in_class = true;
      out += c;
      // A ']' right after '[' or '[^' is a literal member.
      if (index + 1 < pattern.size() && pattern[index + 1] == '^') out += pattern[++index];
      if (index + 1 < pattern.size() && pattern[index + 1] == ']') out += pattern[++index];
      continue;
    }
    if (in_class && c == '[' && index + 1 < pattern.size() && pattern[index + 1] == ':') {
      // A POSIX class such as [:alpha:] is copied whole.
      const size_t close = pattern.find(":]", index + 2);
      if (close != std::string_view::npos) {
        out.append(pattern.substr(index, close + 2 - index));
        index = close + 1;
        continue;
      }
    }
    if (in_class && c == ']') in_class = false;
    out += c;
  }
  return out;
}

std::unique_ptr<RE2> CompileKqlRegex(std::string_view pattern) {
  RE2::Options options;
  options.set_log_errors(false);
  return std::make_unique<RE2>(TranslateRegex(pattern), options);
}

}  // namespace kql::exec
