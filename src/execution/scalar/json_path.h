// JsonPath: the subset of JSONPath KQL functions accept — "$", ".key", "['key']", "[\"key\"]" and "[n]" — split into
// steps and followed through a dynamic value (bag_has_key, bag_remove_keys, bag_set_key, extract_json).
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "types/dynamic.h"
#include "execution/layer.h"

namespace kql::exec {

/// One step of a path: a bag key, or an array index when `is_index`.
struct JsonPathStep {
  std::string key;
  int64_t index = 0;
  bool is_index = false;
};

/// Parses "$.a['b'][0]"; nullopt when malformed. A text without the leading '$' is one plain key.
std::optional<std::vector<JsonPathStep>> ParseJsonPath(std::string_view path);

/// The bag keys of a path without array steps ("a", "$.a.b"); empty when malformed or when it indexes arrays.
std::vector<std::string> SplitBagPath(std::string_view path);

/// Follows the steps from root; nullptr when a step is missing.
const DynamicValue* FollowJsonPath(const DynamicValue& root, const std::vector<JsonPathStep>& steps);

}  // namespace kql::exec
