// JSON-lines morsel readers: the per-morsel parsing loop of JsonLinesSource (line splitting, raw-bytes prefilter,
// simdjson On-Demand parsing into chunks), in one copy per simdjson implementation, chosen at run time by
// MakeBestJsonMorselReader. It does not plan morsels or detect layouts (jsonl_source.h does).
#pragma once
#include <cstdint>
#include <memory>

#include "io/jsonl_source.h"
#include "vector/table_source.h"
#include "io/layer.h"

#ifndef KQL_JSON_VARIANT
#define KQL_JSON_VARIANT json_fallback
#endif

namespace kql::io {

#define KQL_JSON_READER_DECLARATIONS                                                                       \
  std::unique_ptr<MorselReader> MakeJsonMorselReader(const JsonFile& file, uint64_t begin, uint64_t end,  \
                                                     const ScanRequest& request, ScanStats& stats,        \
                                                     const ReaderOptions& options, size_t morsel);        \
  const char* JsonKernelName();

/// Portable copy (simdjson's fallback On-Demand kernel, built with the project's baseline flags).
namespace json_fallback {
KQL_JSON_READER_DECLARATIONS
}  // namespace json_fallback

/// AVX2 copy (simdjson's haswell kernel); only linked when cmake/simd_dispatch.cmake builds it
/// (KQL_HAVE_JSON_HASWELL), and only called on CPUs that support it.
namespace json_haswell {
KQL_JSON_READER_DECLARATIONS
}  // namespace json_haswell

#undef KQL_JSON_READER_DECLARATIONS

/// Opens a morsel reader with the fastest copy this CPU runs. KQLITE_JSON_KERNEL=fallback forces the portable one.
/// `morsel` is the morsel's index in its source (side scans hand their rows over under it).
std::unique_ptr<MorselReader> MakeBestJsonMorselReader(const JsonFile& file, uint64_t begin, uint64_t end,
                                                       const ScanRequest& request, ScanStats& stats,
                                                       const ReaderOptions& options, size_t morsel);

/// The name of the simdjson kernel MakeBestJsonMorselReader uses ("haswell" or "fallback").
const char* ActiveJsonKernelName();

}  // namespace kql::io
