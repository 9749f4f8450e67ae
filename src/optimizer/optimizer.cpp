#include "optimizer/optimizer.h"
#include "optimizer/layer.h"

namespace kql::optimizer {

LogicalOperatorPtr Optimize(LogicalOperatorPtr plan) {
  if (!plan) return plan;
  PruneColumns(*plan);
  ExtractPrefilters(*plan);
  return plan;
}

}  // namespace kql::optimizer
