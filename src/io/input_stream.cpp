#include "io/input_stream.h"

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "base/assert.h"
#include "io/layer.h"

namespace kql::io {

namespace {

/// Reads a plain file with pread so several morsels of one file can be read by different threads.
class PlainFileStream : public InputStream {
 public:
  PlainFileStream(int descriptor, uint64_t offset) : descriptor_(descriptor), offset_(offset) {}
  ~PlainFileStream() override { ::close(descriptor_); }

  size_t Read(char* out, size_t capacity) override {
    while (true) {
      ssize_t count = ::pread(descriptor_, out, capacity, static_cast<off_t>(offset_));
      if (count < 0) {
        if (errno == EINTR) continue;
        error_ = std::string("read failed: ") + std::strerror(errno);
        return 0;
      }
      offset_ += static_cast<uint64_t>(count);
      return static_cast<size_t>(count);
    }
  }

 private:
  int descriptor_;
  uint64_t offset_;
};

/// Serves in-memory text.
class MemoryStream : public InputStream {
 public:
  MemoryStream(std::shared_ptr<const std::string> text, uint64_t offset)
      : text_(std::move(text)), position_(std::min<uint64_t>(offset, text_->size())) {}

  size_t Read(char* out, size_t capacity) override {
    size_t count = std::min<size_t>(capacity, text_->size() - position_);
    std::memcpy(out, text_->data() + position_, count);
    position_ += count;
    return count;
  }

 private:
  std::shared_ptr<const std::string> text_;
  size_t position_;
};

constexpr size_t kCompressedBufferSize = 1 << 20;

/// Inflates gzip (and concatenated gzip members) from an underlying stream.
class GzipStream : public InputStream {
 public:
  explicit GzipStream(std::unique_ptr<InputStream> source) : source_(std::move(source)), input_(kCompressedBufferSize) {
    std::memset(&zstream_, 0, sizeof(zstream_));
    // 32 + MAX_WBITS accepts both gzip and zlib headers.
    initialised_ = inflateInit2(&zstream_, 32 + MAX_WBITS) == Z_OK;
    if (!initialised_) error_ = "gzip: cannot initialise";
  }
  ~GzipStream() override {
    if (initialised_) inflateEnd(&zstream_);
  }

  size_t Read(char* out, size_t capacity) override {
    if (!initialised_ || finished_) return 0;
    zstream_.next_out = reinterpret_cast<Bytef*>(out);
    zstream_.avail_out = static_cast<uInt>(std::min<size_t>(capacity, 1u << 30));
    while (zstream_.avail_out > 0) {
      if (zstream_.avail_in == 0) {
        size_t count = source_->Read(input_.data(), input_.size());
        if (count == 0) {
          if (!source_->error().empty()) error_ = source_->error();
          else if (!member_ended_) error_ = "gzip: unexpected end of compressed data";
          finished_ = true;
          break;
        }
        zstream_.next_in = reinterpret_cast<Bytef*>(input_.data());
        zstream_.avail_in = static_cast<uInt>(count);
      }
      member_ended_ = false;
      int status = inflate(&zstream_, Z_NO_FLUSH);
      if (status == Z_STREAM_END) {
        member_ended_ = true;
        // Another gzip member may follow (concatenated .gz files are valid).
        if (inflateReset(&zstream_) != Z_OK) {
          error_ = "gzip: reset failed";
          finished_ = true;
          break;
        }
        continue;
      }
      if (status != Z_OK && status != Z_BUF_ERROR) {
        error_ = std::string("gzip: corrupt data") + (zstream_.msg ? std::string(" (") + zstream_.msg + ")" : "");
        finished_ = true;
        break;
      }
    }
    return capacity - zstream_.avail_out;
  }

 private:
  std::unique_ptr<InputStream> source_;
  std::vector<char> input_;
  z_stream zstream_;
  bool initialised_ = false;
  bool finished_ = false;
  bool member_ended_ = true;
};

/// Decompresses zstd frames from an underlying stream.
class ZstdStream : public InputStream {
 public:
  explicit ZstdStream(std::unique_ptr<InputStream> source)
      : source_(std::move(source)), input_(ZSTD_DStreamInSize()), context_(ZSTD_createDCtx()) {
    if (!context_) error_ = "zstd: cannot initialise";
  }
  ~ZstdStream() override { ZSTD_freeDCtx(context_); }

  size_t Read(char* out, size_t capacity) override {
    if (!context_ || finished_) return 0;
    ZSTD_outBuffer output{out, capacity, 0};
    while (output.pos < output.size) {
      if (in_.pos == in_.size) {
        size_t count = source_->Read(input_.data(), input_.size());
        if (count == 0) {
          if (!source_->error().empty()) error_ = source_->error();
          else if (frame_open_) error_ = "zstd: unexpected end of compressed data";
          finished_ = true;
          break;
        }
        in_ = ZSTD_inBuffer{input_.data(), count, 0};
      }
      size_t status = ZSTD_decompressStream(context_, &output, &in_);
      if (ZSTD_isError(status)) {
        error_ = std::string("zstd: ") + ZSTD_getErrorName(status);
        finished_ = true;
        break;
      }
      frame_open_ = status != 0;
    }
    return output.pos;
  }

 private:
  std::unique_ptr<InputStream> source_;
  std::vector<char> input_;
  ZSTD_DCtx* context_;
  ZSTD_inBuffer in_{nullptr, 0, 0};
  bool finished_ = false;
  bool frame_open_ = false;
};

}  // namespace

std::unique_ptr<InputStream> OpenInputStream(const SourceFile& file, uint64_t offset, std::string* error) {
  KQL_ASSERT(offset == 0 || file.compression == Compression::kNone, "compressed files are read from the start");
  std::unique_ptr<InputStream> raw;
  if (file.text) {
    raw = std::make_unique<MemoryStream>(file.text, file.compression == Compression::kNone ? offset : 0);
  } else {
    int descriptor = ::open(file.path.c_str(), O_RDONLY | O_CLOEXEC);
    if (descriptor < 0) {
      if (error) *error = "Cannot open file: " + file.path + " (" + std::strerror(errno) + ")";
      return nullptr;
    }
    raw = std::make_unique<PlainFileStream>(descriptor, file.compression == Compression::kNone ? offset : 0);
  }
  switch (file.compression) {
    case Compression::kNone: return raw;
    case Compression::kGzip: return std::make_unique<GzipStream>(std::move(raw));
    case Compression::kZstd: return std::make_unique<ZstdStream>(std::move(raw));
  }
  return raw;
}

}  // namespace kql::io
