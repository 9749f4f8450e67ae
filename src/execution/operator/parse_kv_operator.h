// ParseKvOperator: the streaming form of parse-kv — finds the key/value pairs in the source text of each row
// and writes one typed column per requested key.
#pragma once
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "execution/execution_context.h"
#include "execution/physical_operator.h"
#include "plan/logical_parse_kv.h"
#include "execution/layer.h"

namespace kql::exec {

/// Creates per-thread parse-kv operators (the operator must outlive the factory). Throws QueryError when the
/// regex= property does not compile or does not have two capturing groups.
std::unique_ptr<StreamOperatorFactory> MakeParseKvFactory(const LogicalParseKv& parse, ExecutionContext& context);

/// The requested keys' values found in `text` in delimited or key-lookup mode (the first occurrence of a key
/// wins). Exposed for unit tests.
std::map<std::string, std::string, std::less<>> ExtractKeyValues(const LogicalParseKv& parse, std::string_view text);

}  // namespace kql::exec
