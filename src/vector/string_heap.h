// StringHeap: an append-only arena that owns the bytes of strings stored in column vectors.
// Views handed out stay valid for the heap's lifetime; vectors share heaps by shared_ptr.
#pragma once
#include <memory>
#include <string_view>
#include <vector>
#include "vector/layer.h"

namespace kql::vector {

/// Append-only byte arena for string payloads.
class StringHeap {
 public:
  /// Copies text into the arena and returns a stable view of the copy.
  std::string_view Add(std::string_view text);
  /// Bytes held by the arena.
  size_t bytes() const { return total_; }

 private:
  std::vector<std::unique_ptr<char[]>> blocks_;
  size_t block_used_ = 0;
  size_t block_size_ = 0;
  size_t total_ = 0;
};

}  // namespace kql::vector
