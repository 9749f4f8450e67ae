// GroupTable: the hash table of a hash aggregate — maps rows' key tuples to dense group ids (in first-seen
// order) using open addressing over cached hashes, with the distinct key tuples stored column-wise.
// It holds no aggregate state (see aggregate_function.h).
#pragma once
#include <cstdint>
#include <vector>

#include "types/kql_type.h"
#include "vector/column_vector.h"
#include "execution/layer.h"

namespace kql::exec {

/// Key tuples -> group ids. With no key columns, every row belongs to group 0.
class GroupTable {
 public:
  /// Written by Find for a key tuple that has no group.
  static constexpr uint32_t kNoGroup = 0xFFFFFFFFu;

  explicit GroupTable(const std::vector<KqlType>& key_types);

  /// For each rows[i], finds or creates the group of the key tuple (keys[k] row rows[i]); writes group_ids[i].
  void FindOrInsert(const std::vector<const ColumnVector*>& keys, const std::vector<uint32_t>& rows,
                    std::vector<uint32_t>& group_ids);
  /// Like FindOrInsert but never inserts: writes kNoGroup for tuples that have no group.
  void Find(const std::vector<const ColumnVector*>& keys, const std::vector<uint32_t>& rows,
            std::vector<uint32_t>& group_ids) const;
  /// Ensures group 0 exists (ungrouped aggregates yield one row even over empty input).
  void EnsureSingleGroup();

  size_t size() const { return group_count_; }
  /// The key columns; row g holds group g's key.
  const std::vector<ColumnVector>& keys() const { return keys_; }
  std::vector<ColumnVector>& mutable_keys() { return keys_; }

 private:
  template <bool kInsert>
  void Probe(const std::vector<const ColumnVector*>& keys, const std::vector<uint32_t>& rows,
             std::vector<uint32_t>& group_ids);
  uint32_t Insert(const std::vector<const ColumnVector*>& keys, uint32_t row, uint64_t hash);
  void Grow();

  std::vector<ColumnVector> keys_;
  std::vector<uint64_t> hashes_;  ///< Per group.
  std::vector<uint32_t> slots_;   ///< Group id + 1; 0 marks an empty slot.
  size_t mask_ = 0;
  size_t group_count_ = 0;
};

}  // namespace kql::exec
