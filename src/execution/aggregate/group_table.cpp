#include "execution/aggregate/group_table.h"

#include <algorithm>

#include "execution/cell_comparison.h"
#include "execution/layer.h"

namespace kql::exec {

namespace {
constexpr size_t kInitialSlots = 64;
}  // namespace

GroupTable::GroupTable(const std::vector<KqlType>& key_types) {
  for (KqlType type : key_types) keys_.emplace_back(type);
  slots_.assign(kInitialSlots, 0);
  mask_ = kInitialSlots - 1;
}

void GroupTable::EnsureSingleGroup() {
  if (keys_.empty() && group_count_ == 0) group_count_ = 1;
}

void GroupTable::FindOrInsert(const std::vector<const ColumnVector*>& keys, const std::vector<uint32_t>& rows,
                              std::vector<uint32_t>& group_ids) {
  Probe<true>(keys, rows, group_ids);
}

void GroupTable::Find(const std::vector<const ColumnVector*>& keys, const std::vector<uint32_t>& rows,
                      std::vector<uint32_t>& group_ids) const {
  // Probe<false> never mutates the table.
  const_cast<GroupTable*>(this)->Probe<false>(keys, rows, group_ids);
}

template <bool kInsert>
void GroupTable::Probe(const std::vector<const ColumnVector*>& keys, const std::vector<uint32_t>& rows,
                       std::vector<uint32_t>& group_ids) {
  group_ids.resize(rows.size());
  if (keys_.empty()) {
    if (kInsert) EnsureSingleGroup();
    std::fill(group_ids.begin(), group_ids.end(), group_count_ > 0 ? 0 : kNoGroup);
    return;
  }
  std::vector<uint64_t> row_hashes(rows.size(), 0x2545F4914F6CDD1DULL);
  for (const ColumnVector* key : keys) {
    for (size_t i = 0; i < rows.size(); ++i) row_hashes[i] = CombineHash(row_hashes[i], HashCell(*key, rows[i]));
  }
  for (size_t i = 0; i < rows.size(); ++i) {
    uint64_t hash = row_hashes[i];
    size_t slot = hash & mask_;
    while (true) {
      uint32_t entry = slots_[slot];
      if (entry == 0) {
        group_ids[i] = kInsert ? Insert(keys, rows[i], hash) : kNoGroup;
        break;
      }
      uint32_t group = entry - 1;
      if (hashes_[group] == hash) {
        bool equal = true;
        for (size_t k = 0; k < keys.size() && equal; ++k) equal = CellsEqual(*keys[k], rows[i], keys_[k], group);
        if (equal) {
          group_ids[i] = group;
          break;
        }
      }
      slot = (slot + 1) & mask_;
    }
  }
}

uint32_t GroupTable::Insert(const std::vector<const ColumnVector*>& keys, uint32_t row, uint64_t hash) {
  auto group = static_cast<uint32_t>(group_count_++);
  for (size_t k = 0; k < keys.size(); ++k) {
    const ColumnVector& source = *keys[k];
    // Copies string bytes so that the table does not keep whole input chunks alive.
    if (source.physical_type() == PhysicalType::kString) {
      keys_[k].AppendString(source.strings()[row]);
    } else {
      keys_[k].AppendFrom(source, row);
    }
  }
  hashes_.push_back(hash);
  size_t slot = hash & mask_;
  while (slots_[slot] != 0) slot = (slot + 1) & mask_;
  slots_[slot] = group + 1;
  if (group_count_ * 2 > slots_.size()) Grow();
  return group;
}

void GroupTable::Grow() {
  slots_.assign(slots_.size() * 2, 0);
  mask_ = slots_.size() - 1;
  for (size_t group = 0; group < group_count_; ++group) {
    size_t slot = hashes_[group] & mask_;
    while (slots_[slot] != 0) slot = (slot + 1) & mask_;
    slots_[slot] = static_cast<uint32_t>(group + 1);
  }
}

}  // namespace kql::exec
