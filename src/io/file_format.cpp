#include "io/file_format.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "io/file_map.h"
#include "io/layer.h"

namespace kql::io {

namespace {

bool EndsWithCaseInsensitive(std::string_view text, std::string_view suffix) {
  if (text.size() < suffix.size()) return false;
  std::string_view tail = text.substr(text.size() - suffix.size());
  for (size_t index = 0; index < suffix.size(); ++index) {
    char c = tail[index];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != suffix[index]) return false;
  }
  return true;
}

// Splits off a compression suffix and returns the remaining name.
std::string_view StripCompression(std::string_view name, Compression* compression) {
  *compression = Compression::kNone;
  if (EndsWithCaseInsensitive(name, ".gz")) {
    *compression = Compression::kGzip;
    return name.substr(0, name.size() - 3);
  }
  if (EndsWithCaseInsensitive(name, ".zst")) {
    *compression = Compression::kZstd;
    return name.substr(0, name.size() - 4);
  }
  return name;
}

constexpr std::string_view kJsonExtensions[] = {".jsonl", ".ndjson", ".json"};

}  // namespace

std::optional<FileKind> DetectFileKind(std::string_view path) {
  FileKind kind;
  std::string_view name = StripCompression(path, &kind.compression);
  for (std::string_view extension : kJsonExtensions) {
    if (EndsWithCaseInsensitive(name, extension)) {
      kind.format = FileFormat::kJsonLines;
      return kind;
    }
  }
  if (EndsWithCaseInsensitive(name, ".csv")) {
    kind.format = FileFormat::kCsv;
    return kind;
  }
  if (EndsWithCaseInsensitive(name, ".tsv")) {
    kind.format = FileFormat::kTsv;
    return kind;
  }
  return std::nullopt;
}

std::string FileStem(std::string_view path) {
  size_t slash = path.find_last_of('/');
  std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  Compression compression;
  name = StripCompression(name, &compression);
  for (std::string_view extension : kJsonExtensions) {
    if (EndsWithCaseInsensitive(name, extension)) return std::string(name.substr(0, name.size() - extension.size()));
  }
  if (EndsWithCaseInsensitive(name, ".csv") || EndsWithCaseInsensitive(name, ".tsv")) {
    return std::string(name.substr(0, name.size() - 4));
  }
  return std::string(name);
}

std::optional<SourceFile> StatSourceFile(const std::string& path, Compression compression, std::string* error) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    if (error) *error = "Cannot read file: " + path + " (" + std::strerror(errno) + ")";
    return std::nullopt;
  }
  if (!S_ISREG(info.st_mode)) {
    if (error) *error = "Not a regular file: " + path;
    return std::nullopt;
  }
  if (::access(path.c_str(), R_OK) != 0) {
    if (error) *error = "Cannot read file: " + path + " (" + std::strerror(errno) + ")";
    return std::nullopt;
  }
  SourceFile file;
  file.path = path;
  file.compression = compression;
  file.size = static_cast<uint64_t>(info.st_size);
  if (compression == Compression::kNone) file.shared_map = std::make_shared<SharedFileMap>();
  return file;
}

}  // namespace kql::io
