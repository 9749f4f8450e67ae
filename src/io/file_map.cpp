#include "io/file_map.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <mutex>

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

// A file that shrinks while it is mapped (another program truncates it) makes reads past its new end fault with
// SIGBUS, which would end the process. The maps in use are listed in slots that a SIGBUS handler consults: a fault
// in a listed map gets zero pages mapped over the rest of the map (so the read goes on) and marks the map truncated;
// any other SIGBUS goes to the handler that was there before.
struct GuardSlot {
  std::atomic<bool> used{false};
  std::atomic<uintptr_t> begin{0};  // 0: not covering a map (set last, cleared first).
  std::atomic<uintptr_t> end{0};
  std::atomic<bool> truncated{false};
};
constexpr size_t kGuardSlots = 1024;
GuardSlot guard_slots[kGuardSlots];
struct sigaction previous_bus_action;

void OnBusError(int, siginfo_t* info, void*) {
  const auto address = reinterpret_cast<uintptr_t>(info->si_addr);
  const auto page_size = static_cast<uintptr_t>(::sysconf(_SC_PAGESIZE));
  for (GuardSlot& slot : guard_slots) {
    const uintptr_t begin = slot.begin.load(std::memory_order_acquire);
    const uintptr_t end = slot.end.load(std::memory_order_relaxed);
    if (begin == 0 || address < begin || address >= end) continue;
    const uintptr_t page = address / page_size * page_size;
    void* zeros = ::mmap(reinterpret_cast<void*>(page), end - page, PROT_READ,
                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    if (zeros == MAP_FAILED) break;
    slot.truncated.store(true, std::memory_order_relaxed);
    return;  // The read runs again, over zeros.
  }
  // Not a map's: the fault recurs under the previous action (by default, the end of the process).
  ::sigaction(SIGBUS, &previous_bus_action, nullptr);
}

// Lists [data, data + size) with the guard (installed on first use); the slot, or kGuardSlots when none is free.
size_t Guard(const char* data, size_t size) {
  static std::once_flag installed;
  std::call_once(installed, [] {
    struct sigaction action {};
    action.sa_sigaction = OnBusError;
    action.sa_flags = SA_SIGINFO;
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGBUS, &action, &previous_bus_action);
  });
  for (size_t index = 0; index < kGuardSlots; ++index) {
    GuardSlot& slot = guard_slots[index];
    bool free = false;
    if (!slot.used.compare_exchange_strong(free, true)) continue;
    slot.truncated.store(false);
    slot.end.store(reinterpret_cast<uintptr_t>(data) + size);
    slot.begin.store(reinterpret_cast<uintptr_t>(data), std::memory_order_release);
    return index;
  }
  return kGuardSlots;
}

void Unguard(size_t index) {
  guard_slots[index].begin.store(0, std::memory_order_release);
  guard_slots[index].used.store(false);
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
  const size_t guard = Guard(static_cast<const char*>(address), size);
  if (guard == kGuardSlots) {
    // Unguarded, a truncation would end the process: the file is read another way.
    ::munmap(address, size);
    return nullptr;
  }
  std::shared_ptr<FileMap> map(new FileMap());
  map->data_ = static_cast<const char*>(address);
  map->size_ = size;
  map->guard_ = guard;
  map->device_ = status.st_dev;
  map->inode_ = status.st_ino;
  map->modified_ns_ = ModifiedNanoseconds(status);
  return map;
}

FileMap::~FileMap() {
  Unguard(guard_);
  ::munmap(const_cast<char*>(data_), size_);
}

std::string FileMap::Version() const {
  return std::to_string(device_) + ":" + std::to_string(inode_) + ":" + std::to_string(size_) + ":" +
         std::to_string(modified_ns_);
}

bool FileMap::truncated() const { return guard_slots[guard_].truncated.load(std::memory_order_relaxed); }

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
