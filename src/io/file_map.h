// FileMap: a read-only memory map of a whole file on disk, and SharedFileMap, the one map that all readers of one
// file's morsels share. Mapping once per file (rather than once per morsel) keeps mmap/munmap, which take the
// process's memory-map lock for writing, out of the readers' way: with one map per morsel the threads filling page
// tables for their morsels waited on each other's mmap and munmap.
#pragma once
#include <sys/stat.h>
#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include "io/layer.h"

namespace kql::io {

/// A read-only private map of a whole regular file, unmapped when destroyed.
class FileMap {
 public:
  /// Maps the file at `path`. Null when it cannot be opened, is not a regular file, is empty or cannot be mapped.
  static std::shared_ptr<const FileMap> Open(const std::string& path);
  ~FileMap();
  FileMap(const FileMap&) = delete;
  FileMap& operator=(const FileMap&) = delete;

  const char* data() const { return data_; }
  size_t size() const { return size_; }
  /// True once a read past the file's end faulted: the file shrank (was truncated) after it was mapped. Such reads
  /// see zero bytes instead of ending the process with SIGBUS; the readers report the file as not fully read.
  bool truncated() const;
  /// The file's version when mapped: its device, inode, size and modification time.
  std::string Version() const;

 private:
  FileMap() = default;
  /// Maps the open file `descriptor` described by `status` and closes the descriptor. Null when mmap fails.
  static std::shared_ptr<const FileMap> Map(int descriptor, const struct stat& status);
  friend class SharedFileMap;

  const char* data_ = nullptr;
  size_t size_ = 0;
  size_t guard_ = 0;  // The slot of the SIGBUS guard covering the map.
  // What the file was when mapped; a later SharedFileMap::Get() maps again when any of it changed.
  dev_t device_ = 0;
  ino_t inode_ = 0;
  int64_t modified_ns_ = 0;
};

/// The current map of one file, shared by every reader of it (copies of a SourceFile share one).
class SharedFileMap {
 public:
  /// A map of the file as it is now: the last one while the file's device, inode, size and modification time are
  /// unchanged, else a new one. Null when the file cannot be mapped (the caller reads it another way).
  std::shared_ptr<const FileMap> Get(const std::string& path);

 private:
  std::mutex mutex_;
  std::shared_ptr<const FileMap> map_;
};

}  // namespace kql::io
