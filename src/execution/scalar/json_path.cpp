#include "execution/scalar/json_path.h"

#include <charconv>
#include "execution/layer.h"

namespace kql::exec {

std::optional<std::vector<JsonPathStep>> ParseJsonPath(std::string_view path) {
  std::vector<JsonPathStep> steps;
  if (!path.starts_with('$')) {
    steps.push_back(JsonPathStep{std::string(path)});
    return steps;
  }
  size_t index = 1;
  while (index < path.size()) {
    if (path[index] == '.') {
      size_t end = index + 1;
      while (end < path.size() && path[end] != '.' && path[end] != '[') ++end;
      if (end == index + 1) return std::nullopt;
      steps.push_back(JsonPathStep{std::string(path.substr(index + 1, end - index - 1))});
      index = end;
    } else if (path[index] == '[' && index + 1 < path.size() && (path[index + 1] == '\'' || path[index + 1] == '"')) {
      const char quote = path[index + 1];
      const size_t close = path.find(quote, index + 2);
      if (close == std::string_view::npos || close + 1 >= path.size() || path[close + 1] != ']') return std::nullopt;
      steps.push_back(JsonPathStep{std::string(path.substr(index + 2, close - index - 2))});
      index = close + 2;
    } else if (path[index] == '[') {
      const size_t close = path.find(']', index);
      if (close == std::string_view::npos) return std::nullopt;
      JsonPathStep step;
      step.is_index = true;
      const char* first = path.data() + index + 1;
      const char* last = path.data() + close;
      auto [end, error] = std::from_chars(first, last, step.index);
      if (error != std::errc() || end != last) return std::nullopt;
      steps.push_back(std::move(step));
      index = close + 1;
    } else {
      return std::nullopt;
    }
  }
  return steps;
}

std::vector<std::string> SplitBagPath(std::string_view path) {
  std::vector<std::string> keys;
  std::optional<std::vector<JsonPathStep>> steps = ParseJsonPath(path);
  if (!steps) return keys;
  for (JsonPathStep& step : *steps) {
    if (step.is_index) return {};
    keys.push_back(std::move(step.key));
  }
  return keys;
}

const DynamicValue* FollowJsonPath(const DynamicValue& root, const std::vector<JsonPathStep>& steps) {
  const DynamicValue* node = &root;
  for (const JsonPathStep& step : steps) {
    if (step.is_index) {
      if (node->kind() != DynamicValue::Kind::kArray) return nullptr;
      const auto& items = node->items();
      int64_t position = step.index < 0 ? static_cast<int64_t>(items.size()) + step.index : step.index;
      if (position < 0 || position >= static_cast<int64_t>(items.size()) || !items[position]) return nullptr;
      node = items[static_cast<size_t>(position)].get();
    } else {
      node = node->Find(step.key);
      if (node == nullptr) return nullptr;
    }
  }
  return node;
}

}  // namespace kql::exec
