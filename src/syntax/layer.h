// The syntax layer's namespace, kql::syntax, and the layers below it that it reads. Every file
// of the layer includes this header; see scripts/layer_namespaces.py.
#pragma once

namespace kql::syntax {
}  // namespace kql::syntax
