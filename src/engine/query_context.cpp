#include "engine/query_context.h"

#include <thread>

#include "engine/layer.h"

namespace kql::engine {

ExecutionContext QueryContext(const QueryOptions& options) {
  ExecutionContext context;
  if (options.threads > 0) {
    context.threads = options.threads;
  } else {
    unsigned hardware = std::thread::hardware_concurrency();
    context.threads = hardware == 0 ? 1 : static_cast<int>(hardware);
  }
  context.chunk_size = options.chunk_size == 0 ? kDefaultChunkSize : options.chunk_size;
  context.strict = options.strict;
  return context;
}

}  // namespace kql::engine
