// InputStream: sequential bytes of one data file — read from disk with large positioned reads, from memory, or
// decompressed on the fly (gzip, zstd). It does not split records; line_reader.h does.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "io/file_format.h"
#include "io/layer.h"

namespace kql::io {

/// A forward-only byte stream.
class InputStream {
 public:
  virtual ~InputStream() = default;
  /// Reads up to `capacity` bytes into `out`. Returns the count; 0 at end of data or on error (see error()).
  virtual size_t Read(char* out, size_t capacity) = 0;
  /// Empty unless reading failed (I/O error, corrupt compressed data).
  const std::string& error() const { return error_; }

 protected:
  std::string error_;
};

/// Opens a file's (decompressed) bytes starting at `offset`. Compressed files can only start at 0.
/// Returns nullptr and sets *error when the file cannot be opened.
std::unique_ptr<InputStream> OpenInputStream(const SourceFile& file, uint64_t offset, std::string* error);

}  // namespace kql::io
