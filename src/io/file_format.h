// FileFormat: how a data file is encoded (JSON lines or CSV) and compressed (none, gzip, zstd), as told by its
// name. This file only classifies names; reading is input_stream.h's job.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include "io/layer.h"

namespace kql::io {

class SharedFileMap;  // io/file_map.h

/// The record encoding of a data file (kJsonLines covers every JSON layout, see JsonLayout).
enum class FileFormat { kJsonLines, kCsv, kTsv };

/// The compression wrapped around a data file.
enum class Compression { kNone, kGzip, kZstd };

/// A file's format and compression.
struct FileKind {
  FileFormat format = FileFormat::kJsonLines;
  Compression compression = Compression::kNone;
};

/// Classifies a path by extension: .json .jsonl .ndjson .csv .tsv, optionally followed by .gz or .zst
/// (case-insensitive). Returns nullopt for other names.
std::optional<FileKind> DetectFileKind(std::string_view path);

/// The file name without directories and without the data extensions DetectFileKind recognises
/// ("/d/DeviceEvents_1.jsonl.gz" -> "DeviceEvents_1").
std::string FileStem(std::string_view path);

/// One input of a file-backed source: a path on disk, or in-memory text (for tests and inline data).
struct SourceFile {
  std::string path;  ///< The name used in reports; the disk path unless `text` is set.
  Compression compression = Compression::kNone;
  uint64_t size = 0;  ///< Bytes on disk (compressed size for compressed files).
  /// Contents when the file lives in memory; shared because morsels on several threads read it.
  std::shared_ptr<const std::string> text;
  /// For a plain file on disk: the memory map its readers share (copies of this SourceFile share it; null means
  /// each reader maps the file itself).
  std::shared_ptr<SharedFileMap> shared_map;
};

/// Describes a path on disk as a SourceFile (size from stat). Returns nullopt and sets *error when it is missing,
/// not a regular file or not readable.
std::optional<SourceFile> StatSourceFile(const std::string& path, Compression compression, std::string* error);

}  // namespace kql::io
