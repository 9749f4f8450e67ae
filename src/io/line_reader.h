// LineReader: splits one byte range of a file into lines — straight out of a read-only memory map for plain files
// on disk (no copy, no buffer), else from large blocks read through an InputStream. A range owns the lines that
// START inside it, so adjacent ranges of one file together see every line exactly once. It does not parse.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "io/file_map.h"
#include "io/input_stream.h"
#include "vector/table_source.h"
#include "io/layer.h"

namespace kql::io {

/// Bytes readable after every line handed out, so SIMD parsers (simdjson) may read past the line's end.
inline constexpr size_t kLinePadding = 64;

/// The longest line read: a longer one (a decompression bomb, a binary file) fails the read with a clear error
/// instead of exhausting memory.
inline constexpr size_t kMaxLineBytes = 256u << 20;

/// One line without its terminator ("\n" or "\r\n").
struct Line {
  std::string_view text;     ///< Valid until the next call to Next(); followed by >= kLinePadding readable bytes.
  uint64_t offset = 0;       ///< Byte offset of the line's first byte in the (decompressed) file.
  uint64_t line_number = 0;  ///< 1-based line number when the range starts at offset 0, else 0 (unknown).
};

/// Reads the lines starting in [begin, end) of a file.
class LineReader {
 public:
  /// Opens the range; an open failure is reported by error() and Next() returns false. With `allow_map`, a plain
  /// file on disk is memory-mapped instead of read (the file must not be truncated while it is being read).
  LineReader(const SourceFile& file, uint64_t begin, uint64_t end, size_t block_size = 4 << 20,
             bool allow_map = true);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;
  /// Produces the next line (including empty ones). Returns false at the end of the range or on error.
  bool Next(Line& line);
  /// In memory-mapped mode, the file's bytes from `from` (inside a line handed out) on: at most `max_bytes`, and
  /// not past the end of the last line of the range. They stay readable and unchanged while the reader lives, so a
  /// caller may search many lines at once. Empty in buffered mode and for the copied last lines of the file.
  std::string_view MappedFrom(const char* from, size_t max_bytes) const;
  /// In memory-mapped mode: `newlines` are the offsets in `span` (bytes MappedFrom handed out) of every '\n' in
  /// it, in order; Next takes the ends of the lines inside the span from them instead of searching for them. The
  /// list must stay unchanged until the next call (or ClearNewlines).
  void UseNewlines(std::string_view span, const std::vector<size_t>* newlines);
  /// Empty unless the file could not be read.
  const std::string& error() const { return error_; }
  /// The map read from, or null when the file is read through a stream.
  const FileMap* file_map() const { return file_map_.get(); }
  /// Bytes consumed from the stream so far.
  uint64_t bytes_consumed() const { return consumed_; }

 private:
  bool Fill();
  bool OpenMapped(const SourceFile& file, uint64_t begin);
  bool NextMapped(Line& line);

  std::unique_ptr<InputStream> stream_;
  std::vector<char> buffer_;  // Capacity plus kLinePadding.
  size_t capacity_ = 0;
  size_t position_ = 0;  // Start of unconsumed bytes.
  size_t length_ = 0;    // End of valid bytes.
  uint64_t buffer_offset_ = 0;  // File offset of buffer_[0].
  uint64_t end_ = 0;
  uint64_t line_number_ = 0;
  uint64_t consumed_ = 0;
  bool count_lines_ = false;
  bool eof_ = false;
  std::string error_;
  // Memory-mapped mode: the whole file is mapped at map_ and read in place; lines ending within kLinePadding of
  // the file's end are copied to tail_ so they keep their readable padding.
  std::shared_ptr<const FileMap> file_map_;
  const char* map_ = nullptr;
  size_t map_size_ = 0;
  size_t cursor_ = 0;  // Offset of the next unread line in the mapped file.
  // UseNewlines: the span's offset and size in the mapped file, its line ends, and the next one not yet used.
  size_t newlines_begin_ = 0;
  size_t newlines_end_ = 0;
  const std::vector<size_t>* newlines_ = nullptr;
  size_t next_newline_ = 0;
  // Where the prefetch ahead of the line search has reached.
  size_t prefetched_ = 0;
  // In a shared map, the pages this range filled (released when the reader ends).
  size_t populated_begin_ = 0;
  size_t populated_end_ = 0;
  std::string tail_;
};

/// Fills in `line` (and `column` stays as recorded) for records whose line is 0, by counting newlines in
/// their files up to each byte_offset. Records of files not in `files` are left alone.
void ResolveLineNumbers(const std::vector<SourceFile>& files, std::vector<SkippedRecord>& records);

}  // namespace kql::io
