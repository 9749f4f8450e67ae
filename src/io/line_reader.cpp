#include "io/line_reader.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include "io/layer.h"

namespace kql::io {

namespace {

// Linux >= 5.14 fills page tables for a range in one call; older kernels reject it, which is harmless.
#ifndef MADV_POPULATE_READ
constexpr int kMadvisePopulateRead = 22;
#else
constexpr int kMadvisePopulateRead = MADV_POPULATE_READ;
#endif

constexpr uint64_t kPageSize = 4096;
// The smallest read buffer (before kLinePadding).
constexpr size_t kMinBufferBytes = 4096;

}  // namespace

LineReader::LineReader(const SourceFile& file, uint64_t begin, uint64_t end, size_t block_size, bool allow_map)
    : capacity_(block_size), end_(end), count_lines_(begin == 0) {
  // Mapping avoids copying every byte from the page cache (a third of the time of a selective scan) and the
  // zero-filling of a fresh read buffer per morsel.
  if (allow_map && !file.text && file.compression == Compression::kNone && OpenMapped(file, begin)) return;
  // A small in-memory input needs no block-sized buffer (zero-filled per morsel: a fuzzer's or a web query's few
  // bytes would pay for megabytes); the buffer still grows when a line needs it.
  if (file.text && file.compression == Compression::kNone) {
    const uint64_t size = file.text->size();
    const uint64_t remaining = std::min<uint64_t>(size, end) - std::min<uint64_t>(size, begin == 0 ? 0 : begin - 1);
    capacity_ = static_cast<size_t>(std::min<uint64_t>(capacity_, std::max<uint64_t>(remaining + 1, kMinBufferBytes)));
  }
  buffer_.resize(capacity_ + kLinePadding);
  // Start one byte early so a range that begins exactly at a line start keeps that line.
  uint64_t start = begin == 0 ? 0 : begin - 1;
  stream_ = OpenInputStream(file, start, &error_);
  if (!stream_) {
    eof_ = true;
    return;
  }
  buffer_offset_ = start;
  if (begin > 0) {
    // Skip the tail of the line that started in the previous range.
    while (true) {
      const char* newline = static_cast<const char*>(std::memchr(buffer_.data() + position_, '\n', length_ - position_));
      if (newline) {
        position_ = static_cast<size_t>(newline - buffer_.data()) + 1;
        break;
      }
      position_ = length_;
      if (!Fill()) break;
    }
  }
}

LineReader::~LineReader() {
  // The pages this range filled stay in the page cache; dropping their page-table entries now, on this thread,
  // spares the final unmap of a shared map (one thread, after the scan) that work. A neighbour still reading
  // across the boundary only faults a page back in.
  if (populated_end_ > populated_begin_) {
    ::madvise(const_cast<char*>(map_) + populated_begin_, populated_end_ - populated_begin_, MADV_DONTNEED);
  }
}

bool LineReader::OpenMapped(const SourceFile& file, uint64_t begin) {
  // A failure here is reported by the stream path.
  file_map_ = file.shared_map ? file.shared_map->Get(file.path) : FileMap::Open(file.path);
  if (!file_map_) return false;
  map_ = file_map_->data();
  map_size_ = file_map_->size();
  const size_t size = map_size_;
  eof_ = true;
  uint64_t range_end = std::min<uint64_t>(end_, size);
  if (begin < range_end) {
    uint64_t first_page = begin / kPageSize * kPageSize;
    ::madvise(const_cast<char*>(map_) + first_page, range_end - first_page, kMadvisePopulateRead);
    if (file.shared_map) {
      // Whole pages of this range only (the next range starts on a page boundary or at the end of the file).
      populated_begin_ = first_page;
      populated_end_ = range_end == size ? size : range_end / kPageSize * kPageSize;
    }
  }
  cursor_ = std::min<uint64_t>(begin, size);
  if (begin > 0 && cursor_ < size && map_[cursor_ - 1] != '\n') {
    // Skip the tail of the line that started in the previous range.
    const void* newline = std::memchr(map_ + cursor_, '\n', size - cursor_);
    cursor_ = newline ? static_cast<size_t>(static_cast<const char*>(newline) - map_) + 1 : size;
  }
  consumed_ = 0;
  buffer_offset_ = cursor_;  // Where consumption started, for bytes_consumed().
  return true;
}

bool LineReader::NextMapped(Line& line) {
  if (cursor_ >= end_ || cursor_ >= map_size_) {
    if (file_map_->truncated() && error_.empty()) {
      error_ = "the file shrank while it was read (another program truncated it?): its rows past the new end are "
               "missing and the rest may hold zero bytes";
    }
    return false;
  }
  const void* newline = nullptr;
  if (newlines_ && cursor_ >= newlines_begin_ && cursor_ < newlines_end_) {
    const std::vector<size_t>& known = *newlines_;
    while (next_newline_ < known.size() && newlines_begin_ + known[next_newline_] < cursor_) ++next_newline_;
    if (next_newline_ < known.size()) newline = map_ + newlines_begin_ + known[next_newline_];
  }
  // Past the span, or its last line runs on beyond it.
  if (!newline) {
    // The search is the first read of the line's bytes: the next few KiB are asked for ahead of it (alone, the
    // hardware prefetcher left it waiting for memory for most of its time).
    constexpr size_t kPrefetchBytes = 4096;
    const size_t ahead = std::min(map_size_, cursor_ + kPrefetchBytes);
    for (size_t at = std::max(prefetched_, cursor_); at < ahead; at += 64) __builtin_prefetch(map_ + at);
    prefetched_ = std::max(prefetched_, ahead);
    newline = std::memchr(map_ + cursor_, '\n', map_size_ - cursor_);
  }
  size_t stop = newline ? static_cast<size_t>(static_cast<const char*>(newline) - map_) : map_size_;
  size_t text_end = stop;
  if (text_end > cursor_ && map_[text_end - 1] == '\r') --text_end;
  size_t length = text_end - cursor_;
  if (text_end + kLinePadding <= map_size_) {
    line.text = std::string_view(map_ + cursor_, length);
  } else {
    // Too close to the end of the mapping to read past it: copy with zeroed padding.
    tail_.assign(map_ + cursor_, length);
    tail_.resize(length + kLinePadding, '\0');
    line.text = std::string_view(tail_.data(), length);
  }
  line.offset = cursor_;
  line.line_number = count_lines_ ? ++line_number_ : 0;
  cursor_ = newline ? stop + 1 : map_size_;
  consumed_ = cursor_ - buffer_offset_;
  return true;
}

void LineReader::UseNewlines(std::string_view span, const std::vector<size_t>* newlines) {
  newlines_ = nullptr;
  if (!map_ || !newlines || span.empty() || span.data() < map_ || span.data() + span.size() > map_ + map_size_) {
    return;
  }
  newlines_ = newlines;
  newlines_begin_ = static_cast<size_t>(span.data() - map_);
  newlines_end_ = newlines_begin_ + span.size();
  next_newline_ = 0;
}

std::string_view LineReader::MappedFrom(const char* from, size_t max_bytes) const {
  if (!map_ || from < map_ || from >= map_ + map_size_) return {};
  const auto start = static_cast<size_t>(from - map_);
  size_t limit = map_size_ - start > max_bytes ? start + max_bytes : map_size_;
  if (limit > end_) {
    // The range's last line runs to the first newline at or after its end.
    const size_t last_line_end = std::max<uint64_t>(end_, start + 1) - 1;
    const void* newline = std::memchr(map_ + last_line_end, '\n', map_size_ - last_line_end);
    limit = std::min(limit, newline ? static_cast<size_t>(static_cast<const char*>(newline) - map_) + 1 : map_size_);
  }
  return std::string_view(from, limit - start);
}

bool LineReader::Fill() {
  if (eof_) return false;
  // Move the unconsumed tail to the front, growing the buffer when one line fills it.
  size_t tail = length_ - position_;
  if (position_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + position_, tail);
    buffer_offset_ += position_;
    position_ = 0;
    length_ = tail;
  }
  if (length_ == capacity_) {
    if (capacity_ >= kMaxLineBytes) {
      eof_ = true;
      error_ = "line " + std::to_string(line_number_ + 1) + " is longer than " + std::to_string(kMaxLineBytes >> 20) +
               " MiB (decompressed); not line-oriented text?";
      return false;
    }
    capacity_ = std::min(capacity_ * 2, std::max(capacity_, kMaxLineBytes));
    buffer_.resize(capacity_ + kLinePadding);
  }
  size_t count = stream_->Read(buffer_.data() + length_, capacity_ - length_);
  if (count == 0) {
    eof_ = true;
    if (!stream_->error().empty()) error_ = stream_->error();
    return false;
  }
  consumed_ += count;
  length_ += count;
  std::memset(buffer_.data() + length_, 0, kLinePadding);
  return true;
}

bool LineReader::Next(Line& line) {
  if (map_) return NextMapped(line);
  if (!error_.empty()) return false;
  if (buffer_offset_ + position_ >= end_) return false;
  size_t search_from = position_;
  while (true) {
    const char* newline =
        static_cast<const char*>(std::memchr(buffer_.data() + search_from, '\n', length_ - search_from));
    if (newline) {
      size_t stop = static_cast<size_t>(newline - buffer_.data());
      size_t text_end = stop;
      if (text_end > position_ && buffer_[text_end - 1] == '\r') --text_end;
      line.text = std::string_view(buffer_.data() + position_, text_end - position_);
      line.offset = buffer_offset_ + position_;
      line.line_number = count_lines_ ? ++line_number_ : 0;
      position_ = stop + 1;
      return true;
    }
    size_t scanned = length_ - position_;
    if (!Fill()) {
      if (!error_.empty() || position_ == length_) return false;
      // The last line has no terminator.
      size_t text_end = length_;
      if (text_end > position_ && buffer_[text_end - 1] == '\r') --text_end;
      line.text = std::string_view(buffer_.data() + position_, text_end - position_);
      line.offset = buffer_offset_ + position_;
      line.line_number = count_lines_ ? ++line_number_ : 0;
      position_ = length_;
      return true;
    }
    search_from = position_ + scanned;
  }
}

void ResolveLineNumbers(const std::vector<SourceFile>& files, std::vector<SkippedRecord>& records) {
  for (const SourceFile& file : files) {
    // Offsets to resolve in this file, ascending, each mapped to the records that need it.
    std::map<uint64_t, std::vector<SkippedRecord*>> wanted;
    for (SkippedRecord& record : records) {
      if (record.line == 0 && record.file == file.path) wanted[record.byte_offset].push_back(&record);
    }
    if (wanted.empty()) continue;
    std::string error;
    auto stream = OpenInputStream(file, 0, &error);
    if (!stream) continue;
    std::vector<char> block(1 << 20);
    uint64_t block_start = 0;
    uint64_t newlines = 0;
    auto next = wanted.begin();
    while (next != wanted.end()) {
      size_t count = stream->Read(block.data(), block.size());
      if (count == 0) break;
      uint64_t block_end = block_start + count;
      size_t scan_from = 0;
      while (next != wanted.end() && next->first < block_end) {
        size_t stop = static_cast<size_t>(next->first - block_start);
        newlines += static_cast<uint64_t>(std::count(block.data() + scan_from, block.data() + stop, '\n'));
        scan_from = stop;
        for (SkippedRecord* record : next->second) record->line = newlines + 1;
        ++next;
      }
      newlines += static_cast<uint64_t>(std::count(block.data() + scan_from, block.data() + count, '\n'));
      block_start = block_end;
    }
  }
}

}  // namespace kql::io
