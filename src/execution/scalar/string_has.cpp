// Term and substring predicates: has, hasprefix, hassuffix, contains, with their _cs and negated forms.
// Semantics (checked against kusto_engine_cases.jsonl):
//   - `has` matches whole terms, case-insensitively: "alpha_beta" has "alpha" (underscore separates terms),
//     "helloworld" !has "hello"; a needle with inner punctuation ("tacticalrmm.io") needs boundaries only at
//     its alphanumeric ends.
//   - An empty needle matches every row, including the empty string (`s has ""`, `s hasprefix ""`).
//   - Case folding covers non-ASCII letters: "МИР" has "мир", "CAFÉ" =~ "café".
//   - Strings are never null, so these predicates never return null.
#include <string>

#include "execution/scalar/scalar_kernels.h"
#include "execution/scalar/string_search.h"
#include "execution/layer.h"

namespace kql::exec {

namespace {

struct StringMatchState final : KernelState {
  bool negated = false;
  bool case_sensitive = false;
  TermAnchor anchor = TermAnchor::kNone;
  bool constant_needle = false;
  StringSearcher searcher;
};

std::unique_ptr<KernelState> PrepareStringMatch(const BoundExpr& expr, std::span<const Value* const> constants) {
  auto state = std::make_unique<StringMatchState>();
  std::string_view name = expr.function;
  if (name.starts_with('!')) {
    state->negated = true;
    name.remove_prefix(1);
  }
  if (name.ends_with("_cs")) {
    state->case_sensitive = true;
    name.remove_suffix(3);
  }
  if (name == "has") {
    state->anchor = TermAnchor::kTerm;
  } else if (name == "hasprefix") {
    state->anchor = TermAnchor::kPrefix;
  } else if (name == "hassuffix") {
    state->anchor = TermAnchor::kSuffix;
  } else {
    state->anchor = TermAnchor::kNone;
  }
  if (constants.size() > 1 && constants[1]) {
    state->constant_needle = true;
    state->searcher = StringSearcher(constants[1]->string_value, state->case_sensitive, state->anchor);
  }
  return state;
}

}  // namespace

std::unique_ptr<KernelState> PrepareStringMatchKernel(const BoundExpr& expr, std::span<const Value* const> constants,
                                                      ExecutionContext&) {
  return PrepareStringMatch(expr, constants);
}

void StringMatchKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                       ColumnVector& out) {
  const auto& state = static_cast<const StringMatchState&>(*call.state);
  const KernelArg& text = args[0];
  const std::string_view* strings = text.vector->strings();
  int64_t* results = out.ints();
  uint8_t* validity = out.validity();
  const bool negated = state.negated;
  if (state.constant_needle) {
    // The hot path: one prepared needle, a tight loop over the active rows.
    const StringSearcher& searcher = state.searcher;
    if (text.is_constant) {
      bool match = searcher.Matches(strings[0]) != negated;
      for (uint32_t row : rows) {
        validity[row] = 1;
        results[row] = match;
      }
      return;
    }
    for (uint32_t row : rows) {
      validity[row] = 1;
      results[row] = searcher.Matches(strings[row]) != negated;
    }
    return;
  }
  const KernelArg& needle = args[1];
  for (uint32_t row : rows) {
    StringSearcher searcher(needle.String(row), state.case_sensitive, state.anchor);
    validity[row] = 1;
    results[row] = searcher.Matches(text.String(row)) != negated;
  }
}

}  // namespace kql::exec
