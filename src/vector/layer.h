// The vector layer's namespace, kql::vector, and the layers below it that it reads. Every file
// of the layer includes this header; see scripts/layer_namespaces.py.
#pragma once

namespace kql::vector {
}  // namespace kql::vector
