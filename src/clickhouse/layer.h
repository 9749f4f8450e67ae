// The clickhouse layer's namespace, kql::clickhouse, and the layers below it that it reads. Every file
// of the layer includes this header; see scripts/layer_namespaces.py.
#pragma once

namespace kql::catalog {}
namespace kql::vector {}
namespace kql::plan {}
namespace kql::clickhouse {
using namespace kql::catalog;
using namespace kql::vector;
using namespace kql::plan;
}  // namespace kql::clickhouse
