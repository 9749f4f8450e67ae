// Regular-expression functions: "matches regex", extract, extract_all, replace_regex, trim, trim_start,
// trim_end, all on RE2. A constant pattern is compiled once per executor; an invalid one throws QueryError.
// Semantics (KQL docs):
//   - `matches regex` is an unanchored search, case-sensitive unless the pattern says (?i).
//   - extract(regex, group, text) returns the group of the first match, or "" when there is none.
//   - extract_all(regex, [groups,] text) returns one element per match, null when there is none: the whole match
//     without groups, the group's text with one group, and an array of every group's text with several (or of
//     the groups listed in the optional dynamic array of group numbers and names).
//   - replace_regex(text, regex, rewrite) replaces every match; \1 in the rewrite is a group.
//   - trim(regex, text) removes one leading and one trailing match of the regex (trim("x", "xxabcxx") is
//     "xabcx", from Microsoft's engine); a repeated pattern such as @"\s+" trims whole runs.
#include <re2/re2.h>

#include <map>
#include <string>

#include "execution/scalar/kql_regex.h"
#include "execution/scalar/scalar_kernels.h"
#include "execution/scalar/text_conversion.h"
#include "execution/layer.h"

namespace kql::exec {

namespace {

enum class RegexFunction { kMatches, kExtract, kExtractAll, kReplace, kTrim, kTrimStart, kTrimEnd };

// The argument position of the pattern for each function.
size_t PatternIndex(RegexFunction function) {
  switch (function) {
    case RegexFunction::kMatches:
    case RegexFunction::kReplace: return 1;
    default: return 0;
  }
}

RegexFunction ParseFunction(std::string_view name) {
  if (name == "matches regex") return RegexFunction::kMatches;
  if (name == "extract") return RegexFunction::kExtract;
  if (name == "extract_all") return RegexFunction::kExtractAll;
  if (name == "replace_regex") return RegexFunction::kReplace;
  if (name == "trim") return RegexFunction::kTrim;
  if (name == "trim_start") return RegexFunction::kTrimStart;
  return RegexFunction::kTrimEnd;
}

std::string PatternFor(RegexFunction function, std::string_view pattern) {
  switch (function) {
    case RegexFunction::kTrim:
    case RegexFunction::kTrimStart: return "^(?:" + std::string(pattern) + ")";
    case RegexFunction::kTrimEnd: return "(?:" + std::string(pattern) + ")$";
    default: return std::string(pattern);
  }
}

std::unique_ptr<RE2> Compile(const std::string& pattern) {
  auto regex = CompileKqlRegex(pattern);
  if (!regex->ok()) throw QueryError("Invalid regular expression: " + regex->error() + ": " + pattern);
  return regex;
}

struct RegexState final : KernelState {
  RegexFunction function = RegexFunction::kMatches;
  std::unique_ptr<RE2> regex;
  std::unique_ptr<RE2> end_regex;  // trim: the trailing form.
};

bool ReplaceAll(std::string& text, const RE2& regex, std::string_view rewrite) {
  // KQL writes groups as \1 (and $1); RE2 wants \1.
  std::string converted;
  for (size_t index = 0; index < rewrite.size(); ++index) {
    if (rewrite[index] == '$' && index + 1 < rewrite.size() && std::isdigit(static_cast<unsigned char>(rewrite[index + 1]))) {
      converted += '\\';
    } else {
      converted += rewrite[index];
    }
  }
  return RE2::GlobalReplace(&text, regex, converted) > 0;
}

}  // namespace

std::unique_ptr<KernelState> PrepareRegexKernel(const BoundExpr& expr, std::span<const Value* const> constants,
                                                ExecutionContext&) {
  auto state = std::make_unique<RegexState>();
  state->function = ParseFunction(expr.function);
  size_t index = PatternIndex(state->function);
  if (index < constants.size() && constants[index]) {
    state->regex = Compile(PatternFor(state->function, constants[index]->string_value));
    if (state->function == RegexFunction::kTrim) {
      state->end_regex = Compile(PatternFor(RegexFunction::kTrimEnd, constants[index]->string_value));
    }
  }
  return state;
}

void RegexKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                 ColumnVector& out) {
  const auto& state = static_cast<const RegexState&>(*call.state);
  const RegexFunction function = state.function;
  const size_t pattern_index = PatternIndex(function);
  std::string text;
  for (uint32_t row : rows) {
    std::unique_ptr<RE2> row_regex;
    std::unique_ptr<RE2> row_end_regex;
    const RE2* regex = state.regex.get();
    const RE2* end_regex = state.end_regex.get();
    if (!regex) {
      std::string pattern(args[pattern_index].String(row));
      row_regex = Compile(PatternFor(function, pattern));
      regex = row_regex.get();
      if (function == RegexFunction::kTrim) {
        row_end_regex = Compile(PatternFor(RegexFunction::kTrimEnd, pattern));
        end_regex = row_end_regex.get();
      }
    }
    switch (function) {
      case RegexFunction::kMatches:
        SetBool(out, row, RE2::PartialMatch(args[0].String(row), *regex));
        break;
      case RegexFunction::kExtract: {
        text.clear();
        AppendText(args[2], row, text);
        int64_t group = args[1].IsNull(row) ? 0 : args[1].Int(row);
        if (group < 0 || group > regex->NumberOfCapturingGroups()) {
          SetNull(out, row);
          break;
        }
        std::vector<re2::StringPiece> groups(static_cast<size_t>(group) + 1);
        if (regex->Match(text, 0, text.size(), RE2::UNANCHORED, groups.data(), static_cast<int>(groups.size()))) {
          out.SetString(row, std::string_view(groups[static_cast<size_t>(group)].data(), groups[static_cast<size_t>(group)].size()));
        } else {
          SetNull(out, row);
        }
        break;
      }
      case RegexFunction::kExtractAll: {
        text.clear();
        AppendText(args[args.size() - 1], row, text);
        int groups_count = regex->NumberOfCapturingGroups();
        // The groups each match contributes: all of them, or the ones the optional array selects.
        std::vector<size_t> selected;
        if (args.size() == 3) {
          const Dynamic& wanted = args[1].DynamicAt(row);
          if (wanted && wanted->kind() == DynamicValue::Kind::kArray) {
            for (const Dynamic& item : wanted->items()) {
              if (item && item->kind() == DynamicValue::Kind::kLong && item->int_value() >= 0 &&
                  item->int_value() <= groups_count) {
                selected.push_back(static_cast<size_t>(item->int_value()));
              } else if (item && item->kind() == DynamicValue::Kind::kString) {
                // A named group: (?P<first>...) selected as 'first'.
                const std::map<std::string, int>& named = regex->NamedCapturingGroups();
                if (auto found = named.find(item->string_value()); found != named.end()) {
                  selected.push_back(static_cast<size_t>(found->second));
                }
              }
            }
          }
        } else {
          for (int group = 1; group <= groups_count; ++group) selected.push_back(static_cast<size_t>(group));
          if (selected.empty()) selected.push_back(0);
        }
        std::vector<re2::StringPiece> groups(static_cast<size_t>(groups_count) + 1);
        std::vector<Dynamic> matches;
        size_t pos = 0;
        while (!selected.empty() && pos <= text.size() &&
               regex->Match(text, pos, text.size(), RE2::UNANCHORED, groups.data(), static_cast<int>(groups.size()))) {
          re2::StringPiece whole = groups[0];
          if (selected.size() == 1) {
            matches.push_back(DynamicValue::MakeString(std::string(groups[selected[0]])));
          } else {
            std::vector<Dynamic> parts;
            for (size_t group : selected) parts.push_back(DynamicValue::MakeString(std::string(groups[group])));
            matches.push_back(DynamicValue::MakeArray(std::move(parts)));
          }
          size_t end = static_cast<size_t>(whole.data() - text.data()) + whole.size();
          pos = whole.empty() ? end + 1 : end;
        }
        if (matches.empty()) {
          out.SetValid(row, false);
        } else {
          out.SetValid(row, true);
          out.dynamics()[row] = DynamicValue::MakeArray(std::move(matches));
        }
        break;
      }
      case RegexFunction::kReplace: {
        text.assign(args[0].String(row));
        ReplaceAll(text, *regex, args[2].String(row));
        out.SetString(row, text);
        break;
      }
      case RegexFunction::kTrim:
      case RegexFunction::kTrimStart:
      case RegexFunction::kTrimEnd: {
        text.assign(args[1].String(row));
        RE2::Replace(&text, *regex, "");
        if (end_regex) RE2::Replace(&text, *end_regex, "");
        out.SetString(row, text);
        break;
      }
    }
  }
}

}  // namespace kql::exec
