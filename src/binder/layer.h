// The binder layer's namespace, kql::binder, and the layers below it that it reads. Every file
// of the layer includes this header; see scripts/layer_namespaces.py.
#pragma once

namespace kql::syntax {}
namespace kql::catalog {}
namespace kql::vector {}
namespace kql::plan {}
namespace kql::binder {
using namespace kql::syntax;
using namespace kql::catalog;
using namespace kql::vector;
using namespace kql::plan;
}  // namespace kql::binder
