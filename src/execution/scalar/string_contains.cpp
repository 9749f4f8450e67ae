// Anchored string predicates: startswith, endswith and their _cs and negated forms. (contains is a
// substring search and lives with `has` in string_has.cpp, which shares its searcher.)
// Semantics: case-insensitive forms fold non-ASCII letters too; an empty needle always matches; strings are
// never null, so the result is never null.
#include "execution/scalar/scalar_kernels.h"
#include "execution/scalar/string_search.h"
#include "execution/layer.h"

namespace kql::exec {

void StartsEndsWithKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                          ColumnVector& out) {
  std::string_view name = call.expr.function;
  const bool negated = name.starts_with('!');
  if (negated) name.remove_prefix(1);
  const bool case_sensitive = name.ends_with("_cs");
  const bool starts = name.starts_with("startswith");
  const KernelArg& text = args[0];
  const KernelArg& needle = args[1];
  for (uint32_t row : rows) {
    std::string_view value = text.String(row);
    std::string_view affix = needle.String(row);
    bool match = false;
    if (case_sensitive) {
      match = starts ? value.starts_with(affix) : value.ends_with(affix);
    } else {
      match = starts ? StartsWithIgnoreCase(value, affix) : EndsWithIgnoreCase(value, affix);
    }
    SetBool(out, row, match != negated);
  }
}

}  // namespace kql::exec
