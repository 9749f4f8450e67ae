#include "optimizer/optimizer.h"

namespace kql {

LogicalOperatorPtr Optimize(LogicalOperatorPtr plan) {
  if (!plan) return plan;
  PruneColumns(*plan);
  ExtractPrefilters(*plan);
  return plan;
}

}  // namespace kql
