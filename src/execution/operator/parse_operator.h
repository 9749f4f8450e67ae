// ParseOperator: the streaming form of parse / parse-where — runs the pattern's regular expression over the
// source column of each row and writes one typed column per capture. Not parse-kv.
#pragma once
#include <memory>
#include <optional>
#include <string_view>

#include "execution/execution_context.h"
#include "execution/physical_operator.h"
#include "plan/logical_parse.h"
#include "execution/layer.h"

namespace kql::exec {

/// Creates per-thread parse operators (the operator must outlive the factory). Throws QueryError when the
/// pattern's regular expression does not compile.
std::unique_ptr<StreamOperatorFactory> MakeParseFactory(const LogicalParse& parse, ExecutionContext& context);

/// Converts captured text to a column type as parse does; nullopt when the text is not a value of that type.
std::optional<Value> ConvertParsedText(std::string_view text, KqlType type);

}  // namespace kql::exec
