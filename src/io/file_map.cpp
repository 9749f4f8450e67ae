#include "io/file_map.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/layer.h"

namespace kql::io {

namespace {

int64_t ModifiedNanoseconds(const struct stat& status) {
  return static_cast<int64_t>(status.st_mtim.tv_sec) * 1'000'000'000 + status.st_mtim.tv_nsec;
}

// Opens `path` and fills *status; -1 when it is not a non-empty regular file.
int OpenRegular(const std::string& path, struct stat* status) {
  int descriptor = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (descriptor < 0) return -1;
  if (::fstat(descriptor, status) != 0 || !S_ISREG(status->st_mode) || status->st_size <= 0) {
    ::close(descriptor);
    return -1;
  }
  return descriptor;
}

}  // namespace

std::shared_ptr<const FileMap> FileMap::Open(const std::string& path) {
  struct stat status {};
  int descriptor = OpenRegular(path, &status);
  if (descriptor < 0) return nullptr;
  return Map(descriptor, status);
}

std::shared_ptr<const FileMap> FileMap::Map(int descriptor, const struct stat& status) {
  const auto size = static_cast<size_t>(status.st_size);
  void* address = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, descriptor, 0);
  ::close(descriptor);
  if (address == MAP_FAILED) return nullptr;
  std::shared_ptr<FileMap> map(new FileMap());
  map->data_ = static_cast<const char*>(address);
  map->size_ = size;
  map->device_ = status.st_dev;
  map->inode_ = status.st_ino;
  map->modified_ns_ = ModifiedNanoseconds(status);
  return map;
}

FileMap::~FileMap() { ::munmap(const_cast<char*>(data_), size_); }

std::shared_ptr<const FileMap> SharedFileMap::Get(const std::string& path) {
  struct stat status {};
  int descriptor = OpenRegular(path, &status);
  if (descriptor < 0) return nullptr;
  std::lock_guard<std::mutex> lock(mutex_);
  if (map_ && map_->device_ == status.st_dev && map_->inode_ == status.st_ino &&
      map_->size_ == static_cast<size_t>(status.st_size) && map_->modified_ns_ == ModifiedNanoseconds(status)) {
    ::close(descriptor);
    return map_;
  }
  map_ = FileMap::Map(descriptor, status);
  return map_;
}

}  // namespace kql::io
