// The catalog layer's namespace, kql::catalog, and the layers below it that it reads. Every file
// of the layer includes this header; see scripts/layer_namespaces.py.
#pragma once

namespace kql::catalog {
}  // namespace kql::catalog
