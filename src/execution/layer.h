// The execution layer's namespace, kql::exec, and the layers below it that it reads. Every file
// of the layer includes this header; see scripts/layer_namespaces.py.
#pragma once

namespace kql::catalog {}
namespace kql::vector {}
namespace kql::plan {}
namespace kql::exec {
using namespace kql::catalog;
using namespace kql::vector;
using namespace kql::plan;
}  // namespace kql::exec
