#include "plan/logical_pattern_mining.h"
#include "plan/layer.h"

namespace kql::plan {

LogicalOperatorPtr LogicalPatternMining::Clone() const {
  auto copy = std::make_unique<LogicalPatternMining>();
  copy->schema = schema;
  copy->algorithm = algorithm;
  copy->threshold = threshold;
  copy->max_dimensions = max_dimensions;
  copy->size_weight = size_weight;
  copy->num_seeds = num_seeds;
  copy->weight_column = weight_column;
  copy->dimensions = dimensions;
  copy->minable = minable;
  copy->wildcards = wildcards;
  for (const auto& child : children) copy->children.push_back(child->Clone());
  return copy;
}

std::string LogicalPatternMining::Describe() const {
  std::string out = algorithm == PatternMiningAlgorithm::kBasket ? "Basket threshold=" + std::to_string(threshold) +
                                                                       " max_dimensions=" + std::to_string(max_dimensions)
                                                                 : "Autocluster size_weight=" + std::to_string(size_weight) +
                                                                       " num_seeds=" + std::to_string(num_seeds);
  if (weight_column) out += " weight=" + children[0]->schema[*weight_column].name;
  return out;
}

}  // namespace kql::plan
