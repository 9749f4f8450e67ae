#include "vector/string_heap.h"

#include <cstring>

namespace kql {

std::string_view StringHeap::Add(std::string_view text) {
  if (text.empty()) return {};
  constexpr size_t kBlockSize = 64 * 1024;
  if (text.size() > kBlockSize / 4) {
    // Large strings get a block of their own so the current block keeps filling.
    auto block = std::make_unique<char[]>(text.size());
    std::memcpy(block.get(), text.data(), text.size());
    std::string_view view(block.get(), text.size());
    blocks_.insert(blocks_.begin(), std::move(block));
    total_ += text.size();
    return view;
  }
  if (blocks_.empty() || block_used_ + text.size() > block_size_) {
    blocks_.push_back(std::make_unique<char[]>(kBlockSize));
    block_used_ = 0;
    block_size_ = kBlockSize;
  }
  char* destination = blocks_.back().get() + block_used_;
  std::memcpy(destination, text.data(), text.size());
  block_used_ += text.size();
  total_ += text.size();
  return std::string_view(destination, text.size());
}

}  // namespace kql
