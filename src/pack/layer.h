// The pack layer's namespace, kql::pack, and the layers below it that it reads. Every file
// of the layer includes this header; see scripts/layer_namespaces.py.
#pragma once

namespace kql::syntax {}
namespace kql::catalog {}
namespace kql::vector {}
namespace kql::plan {}
namespace kql::binder {}
namespace kql::optimizer {}
namespace kql::exec {}
namespace kql::io {}
namespace kql::engine {}
namespace kql::rules {}
namespace kql::pack {
using namespace kql::syntax;
using namespace kql::catalog;
using namespace kql::vector;
using namespace kql::plan;
using namespace kql::binder;
using namespace kql::optimizer;
using namespace kql::exec;
using namespace kql::io;
using namespace kql::engine;
using namespace kql::rules;
}  // namespace kql::pack
