// Set operators: in, !in, in~, !in~, has_any, has_all.
// Semantics (kusto_engine_cases.jsonl and the KQL docs):
//   - Candidates are the constant arguments, with dynamic arrays expanded into their elements, or the first
//     column of a subquery, run once when the executor is prepared.
//   - `in` is case-sensitive for strings, `in~` case-insensitive; numbers compare numerically (1 in (1.0)).
//   - A null probe is not in any set: `in` is false and `!in` true, like the comparison operators.
//   - has_any / has_all apply `has` (whole-term, case-insensitive) with each candidate; an empty candidate
//     list makes has_any false and has_all true. Needles of only ASCII letters and digits are matched in one
//     pass that splits the row into terms and looks each up in a hash map, so the cost does not grow with the
//     number of needles; other needles ("comsvcs.dll") use the substring searcher.
#include <array>
#include <cmath>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <algorithm>
#include <vector>

#include "execution/scalar/scalar_kernels.h"
#include "execution/scalar/string_search.h"
#include "execution/scalar/text_conversion.h"
#include "execution/scalar/unicode_case.h"
#include "plan/logical_operator.h"
#include "execution/layer.h"

namespace kql::exec {

namespace {

// Candidate values, kept in the forms the probe types need.
struct CandidateSet {
  std::unordered_set<std::string> texts;
  std::unordered_set<int64_t> integers;
  std::unordered_set<double> numbers;
  std::vector<StringSearcher> terms;  // has_any / has_all needles that need a substring search.
  // has_any / has_all needles made only of ASCII letters and digits, lowercased, with their needle index:
  // a row matches one exactly when one of its terms equals it, so one tokenizing pass tests all of them.
  std::unordered_map<std::string, size_t> whole_terms;
  uint64_t whole_term_lengths = 0;        // Bit n set when some whole-term needle has n bytes (n < 64).
  std::array<bool, 256> whole_term_first{};  // Lowercase first bytes of whole-term needles.
  bool fold_case = false;

  void AddText(std::string text) {
    if (fold_case) {
      std::string lowered;
      AppendFoldUtf8(text, lowered);
      text = std::move(lowered);
    }
    texts.insert(std::move(text));
  }

  void AddDynamic(const DynamicValue& value) {
    switch (value.kind()) {
      case DynamicValue::Kind::kNull: return;
      case DynamicValue::Kind::kArray:
        for (const Dynamic& item : value.items()) {
          if (item) AddDynamic(*item);
        }
        return;
      case DynamicValue::Kind::kBool:
      case DynamicValue::Kind::kLong:
      case DynamicValue::Kind::kDateTime:
      case DynamicValue::Kind::kTimeSpan: {
        int64_t number = value.kind() == DynamicValue::Kind::kBool ? value.bool_value() : value.int_value();
        integers.insert(number);
        numbers.insert(static_cast<double>(number));
        break;
      }
      case DynamicValue::Kind::kReal:
        numbers.insert(value.real_value());
        if (value.real_value() == std::trunc(value.real_value())) {
          integers.insert(static_cast<int64_t>(value.real_value()));
        }
        break;
      default: break;
    }
    std::string text;
    AppendDynamicText(value, text);
    AddText(std::move(text));
  }

  // Adds row `row` of an evaluated argument.
  void AddArg(const KernelArg& arg, size_t row) {
    size_t arg_row = arg.Row(row);
    const ColumnVector& vector = *arg.vector;
    if (vector.IsNull(arg_row)) return;
    switch (vector.physical_type()) {
      case PhysicalType::kInt64:
        integers.insert(vector.ints()[arg_row]);
        numbers.insert(static_cast<double>(vector.ints()[arg_row]));
        return;
      case PhysicalType::kDouble: {
        double number = vector.reals()[arg_row];
        numbers.insert(number);
        if (number == std::trunc(number)) integers.insert(static_cast<int64_t>(number));
        return;
      }
      case PhysicalType::kString: AddText(std::string(vector.strings()[arg_row])); return;
      case PhysicalType::kDynamic:
        if (vector.dynamics()[arg_row]) AddDynamic(*vector.dynamics()[arg_row]);
        return;
    }
  }

  void BuildTerms() {
    terms.clear();
    whole_terms.clear();
    whole_term_lengths = 0;
    whole_term_first.fill(false);
    for (const std::string& text : texts) {
      bool is_whole_term = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0;
      });
      if (is_whole_term) {
        std::string lowered;
        for (char c : text) lowered += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (lowered.size() < 64) whole_term_lengths |= uint64_t{1} << lowered.size();
        whole_term_first[static_cast<unsigned char>(lowered[0])] = true;
        whole_terms.emplace(std::move(lowered), whole_terms.size());
      } else {
        terms.emplace_back(text, false, TermAnchor::kTerm);
      }
    }
  }

  // Calls visit(index) for each whole-term needle equal to a term of `text`; stops when visit returns true.
  template <typename Visit>
  void VisitWholeTerms(std::string_view text, std::string& token, Visit visit) const {
    if (whole_terms.empty()) return;
    size_t index = 0;
    while (index < text.size()) {
      while (index < text.size() && !IsTermByte(static_cast<unsigned char>(text[index]))) ++index;
      size_t start = index;
      while (index < text.size() && IsTermByte(static_cast<unsigned char>(text[index]))) ++index;
      size_t length = index - start;
      if (length == 0) continue;
      // Most terms are rejected by length and first byte before any copying or hashing.
      if (length >= 64 || !(whole_term_lengths >> length & 1)) continue;
      auto first = static_cast<unsigned char>(text[start]);
      if (!whole_term_first[first | (first >= 'A' && first <= 'Z' ? 0x20 : 0)]) continue;
      token.assign(text.substr(start, length));
      bool ascii = true;
      for (char& c : token) {
        auto byte = static_cast<unsigned char>(c);
        ascii = ascii && byte < 0x80;
        if (byte >= 'A' && byte <= 'Z') c = static_cast<char>(byte | 0x20);
      }
      if (!ascii) continue;
      if (auto found = whole_terms.find(token); found != whole_terms.end() && visit(found->second)) return;
    }
  }

  bool Contains(const KernelArg& probe, size_t row, std::string& scratch) const {
    size_t probe_row = probe.Row(row);
    const ColumnVector& vector = *probe.vector;
    if (vector.IsNull(probe_row)) return false;
    switch (vector.physical_type()) {
      case PhysicalType::kInt64: return integers.contains(vector.ints()[probe_row]);
      case PhysicalType::kDouble: return numbers.contains(vector.reals()[probe_row]);
      case PhysicalType::kString: {
        std::string_view text = vector.strings()[probe_row];
        if (!fold_case) {
          scratch.assign(text);
          return texts.contains(scratch);
        }
        scratch.clear();
        AppendFoldUtf8(text, scratch);
        return texts.contains(scratch);
      }
      case PhysicalType::kDynamic: {
        const Dynamic& dynamic = vector.dynamics()[probe_row];
        if (!dynamic) return false;
        if (dynamic->kind() == DynamicValue::Kind::kLong) return integers.contains(dynamic->int_value());
        if (dynamic->kind() == DynamicValue::Kind::kReal) return numbers.contains(dynamic->real_value());
        std::string text;
        AppendDynamicText(*dynamic, text);
        if (fold_case) {
          scratch.clear();
          AppendFoldUtf8(text, scratch);
          return texts.contains(scratch);
        }
        return texts.contains(text);
      }
    }
    return false;
  }
};

enum class SetOp { kIn, kHasAny, kHasAll };

struct SetState final : KernelState {
  SetOp op = SetOp::kIn;
  bool negated = false;
  bool fold_case = false;
  bool constant_candidates = true;
  CandidateSet candidates;
};

void AddValue(CandidateSet& set, const Value& value) {
  if (value.type == KqlType::kString || value.type == KqlType::kGuid) {
    set.AddText(value.string_value);
    return;
  }
  if (value.is_null) return;
  Dynamic dynamic = value.type == KqlType::kDynamic ? value.dynamic_value : ToDynamic(value);
  if (dynamic) set.AddDynamic(*dynamic);
}

}  // namespace

std::unique_ptr<KernelState> PrepareSetKernel(const BoundExpr& expr, std::span<const Value* const> constants,
                                              ExecutionContext& context) {
  auto state = std::make_unique<SetState>();
  std::string_view name = expr.function;
  if (name.starts_with('!')) {
    state->negated = true;
    name.remove_prefix(1);
  }
  state->op = name == "has_any" ? SetOp::kHasAny : name == "has_all" ? SetOp::kHasAll : SetOp::kIn;
  state->fold_case = name == "in~";
  state->candidates.fold_case = state->fold_case;
  if (expr.subquery) {
    Table table = ExecutePlan(*expr.subquery, context);
    for (const DataChunk& chunk : table.chunks) {
      if (chunk.columns.empty()) continue;
      KernelArg arg{&chunk.columns[0], false};
      for (size_t row = 0; row < chunk.size; ++row) state->candidates.AddArg(arg, row);
    }
  } else {
    for (size_t index = 1; index < constants.size(); ++index) {
      if (!constants[index]) {
        state->constant_candidates = false;
        continue;
      }
      AddValue(state->candidates, *constants[index]);
    }
  }
  if (state->op != SetOp::kIn) state->candidates.BuildTerms();
  return state;
}

void SetKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
               ColumnVector& out) {
  const auto& state = static_cast<const SetState&>(*call.state);
  const KernelArg& probe = args[0];
  std::string scratch;
  std::string text;
  std::string token;
  std::vector<bool> seen;
  auto evaluate = [&](const CandidateSet& candidates, size_t row) {
    if (state.op == SetOp::kIn) return candidates.Contains(probe, row, scratch) != state.negated;
    std::string_view view;
    if (probe.vector->physical_type() == PhysicalType::kString) {
      view = probe.String(row);
    } else {
      text.clear();
      AppendText(probe, row, text);
      view = text;
    }
    if (state.op == SetOp::kHasAny) {
      bool found = false;
      candidates.VisitWholeTerms(view, token, [&](size_t) { return found = true; });
      if (found) return true;
      for (const StringSearcher& term : candidates.terms) {
        if (term.Matches(view)) return true;
      }
      return false;
    }
    for (const StringSearcher& term : candidates.terms) {
      if (!term.Matches(view)) return false;
    }
    if (candidates.whole_terms.empty()) return true;
    seen.assign(candidates.whole_terms.size(), false);
    size_t seen_count = 0;
    candidates.VisitWholeTerms(view, token, [&](size_t index) {
      if (!seen[index]) {
        seen[index] = true;
        ++seen_count;
      }
      return seen_count == seen.size();
    });
    return seen_count == seen.size();
  };
  if (state.constant_candidates || call.expr.subquery) {
    for (uint32_t row : rows) SetBool(out, row, evaluate(state.candidates, row));
    return;
  }
  // Some candidates are columns: build the set per row.
  for (uint32_t row : rows) {
    CandidateSet candidates = state.candidates;
    for (size_t index = 1; index < args.size(); ++index) {
      if (!args[index].is_constant) candidates.AddArg(args[index], row);
    }
    if (state.op != SetOp::kIn) candidates.BuildTerms();
    SetBool(out, row, evaluate(candidates, row));
  }
}

}  // namespace kql::exec
