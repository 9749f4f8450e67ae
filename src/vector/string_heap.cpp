#include "vector/string_heap.h"

#include <algorithm>
#include <cstring>
#include <utility>
#include "vector/layer.h"

namespace kql::vector {

std::string_view StringHeap::Add(std::string_view text) {
  if (text.empty()) return {};
  constexpr size_t kBlockSize = 64 * 1024;
  // Blocks start small and double: many heaps hold a single short constant, and a full block each (zeroed by
  // make_unique) made queries with thousands of string literals take seconds and gigabytes.
  constexpr size_t kFirstBlockSize = 256;
  if (text.size() > kBlockSize / 4) {
    // Large strings get a block of their own so the current block (kept last) keeps filling.
    auto block = std::make_unique_for_overwrite<char[]>(text.size());
    std::memcpy(block.get(), text.data(), text.size());
    std::string_view view(block.get(), text.size());
    blocks_.push_back(std::move(block));
    if (blocks_.size() >= 2) std::swap(blocks_[blocks_.size() - 1], blocks_[blocks_.size() - 2]);
    total_ += text.size();
    return view;
  }
  if (block_size_ == 0 || block_used_ + text.size() > block_size_) {
    size_t size = std::min(kBlockSize, std::max({kFirstBlockSize, block_size_ * 2, text.size()}));
    blocks_.push_back(std::make_unique_for_overwrite<char[]>(size));
    block_used_ = 0;
    block_size_ = size;
  }
  char* destination = blocks_.back().get() + block_used_;
  std::memcpy(destination, text.data(), text.size());
  block_used_ += text.size();
  total_ += text.size();
  return std::string_view(destination, text.size());
}

}  // namespace kql::vector
