// The plan layer's namespace, kql::plan, and the layers below it that it reads. Every file
// of the layer includes this header; see scripts/layer_namespaces.py.
#pragma once

namespace kql::catalog {}
namespace kql::vector {}
namespace kql::plan {
using namespace kql::catalog;
using namespace kql::vector;
}  // namespace kql::plan
