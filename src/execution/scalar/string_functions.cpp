// String functions: strcat, strcat_delim, strlen, tolower, toupper, substring, indexof, replace_string, split,
// countof, reverse.
// Semantics (kusto_engine_cases.jsonl and the KQL docs):
//   - strcat/strcat_delim convert every argument with tostring (null -> "", true -> "True").
//   - strlen, substring and indexof count Unicode characters, not bytes (strlen("aaa\u200bbbb") == 7).
//   - substring: a negative start counts from the end (substring("hello", -2, 2) is "lo") and one before the
//     beginning gives ""; a start past the end or a non-positive length gives ""; a long length is clamped.
//   - indexof returns -1 when absent and null for a negative start.
//   - split returns a dynamic array of strings; an empty delimiter yields the whole string; an index picks one
//     element (as a one-element array) or an empty array when out of range.
//   - countof counts possibly overlapping occurrences of plain text; an empty needle counts 0. With kind
//     "regex" it counts non-overlapping regex matches (countof("aaa", "a+", "regex") is 1).
#include <re2/re2.h>

#include <string>

#include "execution/scalar/kql_regex.h"
#include "execution/scalar/scalar_kernels.h"
#include "execution/scalar/text_conversion.h"
#include "execution/scalar/unicode_case.h"
#include "execution/layer.h"

namespace kql::exec {

namespace {

// Byte offset of the character at `char_index` (or text.size() when past the end).
size_t ByteOffsetOfChar(std::string_view text, int64_t char_index) {
  size_t offset = 0;
  for (int64_t seen = 0; offset < text.size() && seen < char_index; ++seen) {
    ++offset;
    while (offset < text.size() && (static_cast<unsigned char>(text[offset]) & 0xC0) == 0x80) ++offset;
  }
  return offset;
}

int64_t CharCount(std::string_view text) {
  int64_t count = 0;
  for (char c : text) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return count;
}

void WriteView(ColumnVector& out, size_t row, std::string_view view) {
  out.SetValid(row, true);
  out.strings()[row] = view;
}

struct CountOfState final : KernelState {
  std::unique_ptr<RE2> regex;  // Set when the kind is the constant "regex" and the pattern is constant.
};

std::unique_ptr<RE2> CompileCountOfRegex(std::string_view pattern) {
  auto regex = CompileKqlRegex(pattern);
  if (!regex->ok()) throw QueryError("Invalid regular expression: " + regex->error() + ": " + std::string(pattern));
  return regex;
}

// Counts non-overlapping matches left to right; an empty match advances by one byte so the loop ends.
int64_t CountRegexMatches(std::string_view text, const RE2& regex) {
  int64_t count = 0;
  size_t position = 0;
  re2::StringPiece match;
  while (position <= text.size() &&
         regex.Match(text, position, text.size(), RE2::UNANCHORED, &match, 1)) {
    ++count;
    size_t match_end = static_cast<size_t>(match.data() - text.data()) + match.size();
    position = match.empty() ? match_end + 1 : match_end;
  }
  return count;
}

}  // namespace

void StrcatKernel(const KernelCall&, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                  ColumnVector& out) {
  std::string text;
  for (uint32_t row : rows) {
    text.clear();
    for (const KernelArg& arg : args) AppendText(arg, row, text);
    out.SetString(row, text);
  }
}

void StrcatDelimKernel(const KernelCall&, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                       ColumnVector& out) {
  std::string text;
  std::string delimiter;
  for (uint32_t row : rows) {
    text.clear();
    delimiter.clear();
    AppendText(args[0], row, delimiter);
    for (size_t index = 1; index < args.size(); ++index) {
      if (index > 1) text += delimiter;
      AppendText(args[index], row, text);
    }
    out.SetString(row, text);
  }
}

void StrlenKernel(const KernelCall&, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                  ColumnVector& out) {
  std::string text;
  for (uint32_t row : rows) {
    text.clear();
    AppendText(args[0], row, text);
    SetInt(out, row, CharCount(text));
  }
}

void ChangeCaseKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                      ColumnVector& out) {
  const bool lower = call.expr.function == "tolower";
  std::string text;
  std::string mapped;
  for (uint32_t row : rows) {
    text.clear();
    mapped.clear();
    AppendText(args[0], row, text);
    if (lower) {
      AppendLowerUtf8(text, mapped);
    } else {
      AppendUpperUtf8(text, mapped);
    }
    out.SetString(row, mapped);
  }
}

void SubstringKernel(const KernelCall&, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                     ColumnVector& out) {
  std::string owned;
  for (uint32_t row : rows) {
    if (args[1].IsNull(row) || (args.size() > 2 && args[2].IsNull(row))) {
      SetNull(out, row);
      continue;
    }
    std::string_view text;
    if (args[0].type() == KqlType::kString) {
      text = args[0].String(row);
    } else {
      owned.clear();
      AppendText(args[0], row, owned);
      text = owned;
    }
    int64_t start = args[1].Int(row);
    int64_t length = args.size() > 2 ? args[2].Int(row) : INT64_MAX;
    // A negative start counts from the end; one still before the beginning yields "" (Kusto does not clamp).
    if (start < 0) start += CharCount(text);
    if (length <= 0 || start < 0) {
      WriteView(out, row, std::string_view());
      continue;
    }
    size_t begin = ByteOffsetOfChar(text, start);
    size_t end = length == INT64_MAX ? text.size() : begin + ByteOffsetOfChar(text.substr(begin), length);
    std::string_view piece = text.substr(begin, end - begin);
    if (args[0].type() == KqlType::kString) {
      WriteView(out, row, piece);
    } else {
      out.SetString(row, piece);
    }
  }
}

void IndexOfKernel(const KernelCall&, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                   ColumnVector& out) {
  std::string text;
  std::string lookup;
  for (uint32_t row : rows) {
    text.clear();
    lookup.clear();
    AppendText(args[0], row, text);
    AppendText(args[1], row, lookup);
    int64_t start = args.size() > 2 && !args[2].IsNull(row) ? args[2].Int(row) : 0;
    int64_t length = args.size() > 3 && !args[3].IsNull(row) ? args[3].Int(row) : -1;
    int64_t occurrence = args.size() > 4 && !args[4].IsNull(row) ? args[4].Int(row) : 1;
    if (start < 0 || occurrence <= 0) {
      out.SetValid(row, false);
      continue;
    }
    size_t begin = ByteOffsetOfChar(text, start);
    if (start > CharCount(text)) {
      out.SetValid(row, false);
      continue;
    }
    std::string_view window = std::string_view(text).substr(begin);
    if (length >= 0) window = window.substr(0, ByteOffsetOfChar(window, length));
    size_t found = std::string_view::npos;
    size_t from = 0;
    for (int64_t seen = 0; seen < occurrence; ++seen) {
      found = window.find(lookup, from);
      if (found == std::string_view::npos) break;
      from = found + 1;
    }
    SetInt(out, row, found == std::string_view::npos ? -1 : CharCount(std::string_view(text).substr(0, begin + found)));
  }
}

std::unique_ptr<KernelState> PrepareIndexOfRegexKernel(const BoundExpr&, std::span<const Value* const> constants,
                                                       ExecutionContext&) {
  auto state = std::make_unique<CountOfState>();
  if (constants.size() > 1 && constants[1] && !constants[1]->is_null) {
    state->regex = CompileCountOfRegex(constants[1]->string_value);
  }
  return state;
}

// indexof_regex(source, lookup[, start[, length[, occurrence]]]): like indexof with a regex; the occurrences do
// not overlap (indexof_regex("ababaa", "a.a", 0, -1, 2) is -1, from the KQL docs).
void IndexOfRegexKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                        ColumnVector& out) {
  const auto* state = static_cast<const CountOfState*>(call.state);
  std::string text;
  for (uint32_t row : rows) {
    std::unique_ptr<RE2> row_regex;
    const RE2* regex = state ? state->regex.get() : nullptr;
    if (!regex) {
      row_regex = CompileCountOfRegex(args[1].String(row));
      regex = row_regex.get();
    }
    text.clear();
    AppendText(args[0], row, text);
    const int64_t start = args.size() > 2 && !args[2].IsNull(row) ? args[2].Int(row) : 0;
    const int64_t length = args.size() > 3 && !args[3].IsNull(row) ? args[3].Int(row) : -1;
    const int64_t occurrence = args.size() > 4 && !args[4].IsNull(row) ? args[4].Int(row) : 1;
    if (start < 0 || occurrence <= 0 || length < -1 || start > CharCount(text)) {
      out.SetValid(row, false);
      continue;
    }
    const size_t begin = ByteOffsetOfChar(text, start);
    std::string_view window = std::string_view(text).substr(begin);
    if (length >= 0) window = window.substr(0, ByteOffsetOfChar(window, length));
    int64_t found = -1;
    size_t pos = 0;
    re2::StringPiece match;
    for (int64_t seen = 0; seen < occurrence; ++seen) {
      if (pos > window.size() || !regex->Match(window, pos, window.size(), RE2::UNANCHORED, &match, 1)) {
        found = -1;
        break;
      }
      const size_t match_start = static_cast<size_t>(match.data() - window.data());
      found = CharCount(std::string_view(text).substr(0, begin + match_start));
      pos = match_start + (match.empty() ? 1 : match.size());
    }
    SetInt(out, row, found);
  }
}

void ReplaceStringKernel(const KernelCall&, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                         ColumnVector& out) {
  std::string result;
  for (uint32_t row : rows) {
    std::string_view text = args[0].String(row);
    std::string_view lookup = args[1].String(row);
    std::string_view replacement = args[2].String(row);
    if (lookup.empty()) {
      WriteView(out, row, text);
      continue;
    }
    result.clear();
    size_t from = 0;
    while (true) {
      size_t found = text.find(lookup, from);
      if (found == std::string_view::npos) break;
      result.append(text.substr(from, found - from));
      result.append(replacement);
      from = found + lookup.size();
    }
    result.append(text.substr(from));
    out.SetString(row, result);
  }
}

void SplitKernel(const KernelCall&, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                 ColumnVector& out) {
  for (uint32_t row : rows) {
    std::string_view text = args[0].String(row);
    std::string_view delimiter = args[1].String(row);
    std::vector<Dynamic> parts;
    if (delimiter.empty()) {
      parts.push_back(DynamicValue::MakeString(std::string(text)));
    } else {
      size_t from = 0;
      while (true) {
        size_t found = text.find(delimiter, from);
        if (found == std::string_view::npos) break;
        parts.push_back(DynamicValue::MakeString(std::string(text.substr(from, found - from))));
        from = found + delimiter.size();
      }
      parts.push_back(DynamicValue::MakeString(std::string(text.substr(from))));
    }
    if (args.size() > 2) {
      if (args[2].IsNull(row)) {
        out.SetValid(row, false);
        continue;
      }
      int64_t index = args[2].Int(row);
      std::vector<Dynamic> picked;
      if (index >= 0 && static_cast<size_t>(index) < parts.size()) picked.push_back(parts[static_cast<size_t>(index)]);
      parts = std::move(picked);
    }
    out.SetValid(row, true);
    out.dynamics()[row] = DynamicValue::MakeArray(std::move(parts));
  }
}

std::unique_ptr<KernelState> PrepareCountOfKernel(const BoundExpr&, std::span<const Value* const> constants,
                                                  ExecutionContext&) {
  auto state = std::make_unique<CountOfState>();
  if (constants.size() > 2 && constants[2] && constants[2]->string_value == "regex" && constants[1]) {
    state->regex = CompileCountOfRegex(constants[1]->string_value);
  }
  return state;
}

void CountOfKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                   ColumnVector& out) {
  const auto* state = static_cast<const CountOfState*>(call.state);
  for (uint32_t row : rows) {
    std::string_view text = args[0].String(row);
    std::string_view lookup = args[1].String(row);
    int64_t count = 0;
    if (args.size() > 2 && args[2].String(row) == "regex") {
      std::unique_ptr<RE2> row_regex;
      const RE2* regex = state && state->regex ? state->regex.get() : nullptr;
      if (!regex) {
        row_regex = CompileCountOfRegex(lookup);
        regex = row_regex.get();
      }
      SetInt(out, row, CountRegexMatches(text, *regex));
      continue;
    }
    if (!lookup.empty()) {
      for (size_t found = text.find(lookup); found != std::string_view::npos; found = text.find(lookup, found + 1)) {
        ++count;
      }
    }
    SetInt(out, row, count);
  }
}

void ReverseKernel(const KernelCall&, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                   ColumnVector& out) {
  std::string text;
  std::string reversed;
  for (uint32_t row : rows) {
    text.clear();
    AppendText(args[0], row, text);
    reversed.clear();
    // Reverse by characters so multi-byte UTF-8 sequences stay intact.
    size_t end = text.size();
    while (end > 0) {
      size_t begin = end - 1;
      while (begin > 0 && (static_cast<unsigned char>(text[begin]) & 0xC0) == 0x80) --begin;
      reversed.append(text, begin, end - begin);
      end = begin;
    }
    out.SetString(row, reversed);
  }
}

}  // namespace kql::exec
