#include "io/literal_set.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <list>
#include <mutex>

#include "io/literal_prefilter.h"

#ifdef KQL_HAVE_HYPERSCAN
#include <hs/hs.h>
#include "io/layer.h"
#endif

namespace kql::io {

#ifdef KQL_HAVE_HYPERSCAN
struct LiteralSet::Shared {
  std::vector<std::string> literals;              // Sorted, unique, non-empty.
  std::vector<std::string> markers;               // Exact strings; Hyperscan ids literals.size() + index.
  std::atomic<uint64_t> hashed_bytes{0};          // Bytes searched by the hashed matcher so far.
  std::atomic<hs_database_t*> database{nullptr};  // Set once compiled; read without locking.
  std::atomic<bool> failed{false};                // Hyperscan refused the literals: stay hashed.
  uint64_t id = 0;                                // Unique per Shared, so a thread's scratch knows what it fits.
  std::mutex compiling;
  Shared() = default;
  Shared(const Shared&) = delete;
  Shared& operator=(const Shared&) = delete;
  ~Shared() {
    if (hs_database_t* compiled = database.load()) hs_free_database(compiled);
  }
};
#else
struct LiteralSet::Shared {};
#endif

namespace {

// OR-ing 0x20 into a byte maps an ASCII letter of either case to its lowercase form and leaves equal bytes equal,
// so a text window and a literal that match case-insensitively always have equal folded keys. Some punctuation
// folds onto other punctuation; those collisions only cost a verification.
constexpr uint32_t kFold = 0x20202020u;

uint32_t LoadKey(const char* bytes) {
  uint32_t key;
  std::memcpy(&key, bytes, sizeof(key));
  return key | kFold;
}

uint32_t Hash(uint32_t key, int bits) { return (key * 2654435761u) >> (32 - bits); }

bool EqualsIgnoringCase(const char* text, std::string_view literal_lower) {
  for (size_t index = 0; index < literal_lower.size(); ++index) {
    char c = text[index];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != literal_lower[index]) return false;
  }
  return true;
}

#ifdef KQL_HAVE_HYPERSCAN
// Literals are matched caseless (Hyperscan folds ASCII letters only, as the hashed matcher does). Each literal's id
// is its index in Shared::literals, so FindAll knows an occurrence's length; ContainedIn stops at the first report.
// (HS_FLAG_SINGLEMATCH would report each literal once per scan, wrong for FindAll's many records per scan, and made
// compiling the pack's literals five times slower: ~45 ms against ~9 ms of CPU.)
constexpr unsigned kLiteralFlags = HS_FLAG_CASELESS;

// Compiles the shared literals into a block-mode database unless another thread is doing it or it failed; the
// caller searches with the hashed matcher meanwhile.
hs_database_t* Compile(LiteralSet::Shared& shared) {
  std::unique_lock<std::mutex> lock(shared.compiling, std::try_to_lock);
  if (!lock.owns_lock() || shared.failed.load()) return nullptr;
  if (hs_database_t* compiled = shared.database.load(std::memory_order_acquire)) return compiled;
  std::vector<const char*> expressions;
  std::vector<size_t> lengths;
  for (const std::string& literal : shared.literals) {
    expressions.push_back(literal.data());
    lengths.push_back(literal.size());
  }
  for (const std::string& marker : shared.markers) {
    expressions.push_back(marker.data());
    lengths.push_back(marker.size());
  }
  std::vector<unsigned> flags(shared.literals.size(), kLiteralFlags);
  flags.resize(expressions.size(), 0);  // Markers are exact.
  std::vector<unsigned> ids(expressions.size());
  for (size_t index = 0; index < ids.size(); ++index) ids[index] = static_cast<unsigned>(index);
  hs_database_t* database = nullptr;
  hs_compile_error_t* error = nullptr;
  if (hs_compile_lit_multi(expressions.data(), flags.data(), ids.data(), lengths.data(),
                           static_cast<unsigned>(expressions.size()), HS_MODE_BLOCK, nullptr, &database,
                           &error) != HS_SUCCESS) {
    hs_free_compile_error(error);
    shared.failed.store(true);
    return nullptr;
  }
  shared.database.store(database, std::memory_order_release);
  return database;
}

// The shared state for these literals. Readers build their sets per morsel and drop them at its end, so the last
// few literal lists stay cached even while no set holds them: a hunt compiles its shared pass's literals once.
std::shared_ptr<LiteralSet::Shared> SharedFor(std::vector<std::string> literals,
                                              const std::vector<std::string>& markers) {
  constexpr size_t kCachedLists = 8;
  static std::atomic<uint64_t> next_id{1};
  std::sort(literals.begin(), literals.end());
  literals.erase(std::unique(literals.begin(), literals.end()), literals.end());
  static std::mutex mutex;
  static std::list<std::shared_ptr<LiteralSet::Shared>> cache;  // Most recently used first.
  std::lock_guard<std::mutex> lock(mutex);
  for (auto entry = cache.begin(); entry != cache.end(); ++entry) {
    if ((*entry)->literals == literals && (*entry)->markers == markers) {
      cache.splice(cache.begin(), cache, entry);
      return cache.front();
    }
  }
  auto shared = std::make_shared<LiteralSet::Shared>();
  shared->literals = std::move(literals);
  shared->markers = markers;
  shared->id = next_id.fetch_add(1);
  cache.push_front(shared);
  if (cache.size() > kCachedLists) cache.pop_back();
  return shared;
}

// Each thread's Hyperscan scratch space, grown to fit every database the thread has scanned with.
struct ThreadScratch {
  hs_scratch_t* scratch = nullptr;
  std::vector<uint64_t> fitted;  // Ids of the databases the scratch is large enough for.
  ThreadScratch() = default;
  ThreadScratch(const ThreadScratch&) = delete;
  ThreadScratch& operator=(const ThreadScratch&) = delete;
  ~ThreadScratch() {
    if (scratch) hs_free_scratch(scratch);
  }
  hs_scratch_t* For(const LiteralSet::Shared& shared, const hs_database_t* database) {
    if (std::find(fitted.begin(), fitted.end(), shared.id) != fitted.end()) return scratch;
    if (hs_alloc_scratch(database, &scratch) != HS_SUCCESS) return nullptr;
    fitted.push_back(shared.id);
    return scratch;
  }
};

// ContainedIn's match handler (context: the number of literals): stops at the first literal, not at a marker.
int StopAtFirstLiteral(unsigned id, unsigned long long, unsigned long long, unsigned, void* context) {
  return id < *static_cast<const size_t*>(context) ? 1 : 0;
}

// FindAll's match handler: records each occurrence, and stops the scan once there are too many.
struct Collector {
  const LiteralSet::Shared* shared;
  std::vector<LiteralSet::Occurrence>* out;
  std::vector<LiteralSet::Occurrence>* markers;  // Null: markers are not wanted.
  size_t max_occurrences;
  size_t found = 0;
};

int CollectMatch(unsigned id, unsigned long long, unsigned long long to, unsigned, void* context) {
  auto& collector = *static_cast<Collector*>(context);
  const size_t literal_count = collector.shared->literals.size();
  if (id >= literal_count && !collector.markers) return 0;
  if (++collector.found > collector.max_occurrences) return 1;
  const auto end = static_cast<uint32_t>(to);
  if (id < literal_count) {
    collector.out->push_back({end - static_cast<uint32_t>(collector.shared->literals[id].size()), end, 0});
  } else {
    const uint32_t marker = id - static_cast<uint32_t>(literal_count);
    collector.markers->push_back(
        {end - static_cast<uint32_t>(collector.shared->markers[marker].size()), end, marker});
  }
  return 0;
}

// The calling thread's scratch space, grown to fit every database it has scanned with.
hs_scratch_t* ScratchFor(const LiteralSet::Shared& shared, const hs_database_t* database) {
  thread_local ThreadScratch thread_scratch;
  return thread_scratch.For(shared, database);
}
#endif

}  // namespace

bool LiteralSet::HyperscanAvailable() {
#ifdef KQL_HAVE_HYPERSCAN
  static const bool available = hs_valid_platform() == HS_SUCCESS;
  return available;
#else
  return false;
#endif
}

bool LiteralSet::UsesHyperscan() const {
#ifdef KQL_HAVE_HYPERSCAN
  return shared_ && shared_->database.load(std::memory_order_acquire) != nullptr;
#else
  return false;
#endif
}

namespace {

// The hashed matcher's tables for `literals_lower`, built once per distinct list: the last few lists stay cached,
// as the Hyperscan databases do (SharedFor), since readers build their sets per morsel.
std::shared_ptr<const LiteralSet::Hashed> HashedFor(const std::vector<std::string>& literals_lower) {
  using Keyed = LiteralSet::Keyed;
  constexpr size_t kCachedLists = 8;
  static std::mutex mutex;
  static std::list<std::pair<std::vector<std::string>, std::shared_ptr<const LiteralSet::Hashed>>> cache;
  {
    std::lock_guard<std::mutex> lock(mutex);
    for (auto entry = cache.begin(); entry != cache.end(); ++entry) {
      if (entry->first == literals_lower) {
        cache.splice(cache.begin(), cache, entry);
        return cache.front().second;
      }
    }
  }
  auto hashed = std::make_shared<LiteralSet::Hashed>();
  for (const std::string& literal : literals_lower) {
    if (literal.empty()) continue;
    if (literal.size() < LiteralSet::kKeyBytes) {
      hashed->short_literals.push_back(literal);
    } else {
      hashed->long_literals.push_back(Keyed{literal, LoadKey(literal.data())});
    }
  }
  if (!hashed->long_literals.empty()) {
    constexpr int kBucketBits = LiteralSet::kBucketBits;
    constexpr int kFilterBits = LiteralSet::kFilterBits;
    // A literal that contains another is redundant for "contains any"; keeping it is harmless, so no pruning.
    std::sort(hashed->long_literals.begin(), hashed->long_literals.end(), [](const Keyed& a, const Keyed& b) {
      uint32_t bucket_a = Hash(a.key, kBucketBits), bucket_b = Hash(b.key, kBucketBits);
      return bucket_a != bucket_b ? bucket_a < bucket_b : a.literal < b.literal;
    });
    std::vector<uint32_t>& starts = hashed->bucket_start;
    starts.assign((size_t{1} << kBucketBits) + 1, 0);
    for (const Keyed& keyed : hashed->long_literals) ++starts[Hash(keyed.key, kBucketBits) + 1];
    for (size_t bucket = 1; bucket < starts.size(); ++bucket) starts[bucket] += starts[bucket - 1];
    hashed->filter.assign((size_t{1} << kFilterBits) / 64, 0);
    for (const Keyed& keyed : hashed->long_literals) {
      uint32_t bit = Hash(keyed.key, kFilterBits);
      hashed->filter[bit >> 6] |= uint64_t{1} << (bit & 63);
    }
  }
  std::lock_guard<std::mutex> lock(mutex);
  cache.emplace_front(literals_lower, hashed);
  if (cache.size() > kCachedLists) cache.pop_back();
  return hashed;
}

}  // namespace

LiteralSet::LiteralSet(const std::vector<std::string>& literals_lower, Matcher matcher,
                       const std::vector<std::string>& markers) {
#ifdef KQL_HAVE_HYPERSCAN
  if (matcher != Matcher::kHashed && HyperscanAvailable()) {
    std::vector<std::string> literals;
    for (const std::string& literal : literals_lower) {
      if (!literal.empty()) literals.push_back(literal);
    }
    if (!literals.empty()) {
      std::vector<std::string> exact;
      for (const std::string& marker : markers) {
        if (!marker.empty()) exact.push_back(marker);
      }
      shared_ = SharedFor(std::move(literals), exact);
      if (matcher == Matcher::kHyperscan) Compile(*shared_);
    }
  }
#else
  (void)matcher;
  (void)markers;
#endif
  hashed_ = HashedFor(literals_lower);
}

bool LiteralSet::ContainedIn(std::string_view text) const {
#ifdef KQL_HAVE_HYPERSCAN
  if (shared_ && !text.empty() && text.size() <= UINT32_MAX) {
    hs_database_t* database = shared_->database.load(std::memory_order_acquire);
    if (!database && shared_->hashed_bytes.fetch_add(text.size(), std::memory_order_relaxed) >=
                         kHashedBytesBeforeCompiling) {
      database = Compile(*shared_);
    }
    if (database) {
      // Without scratch space (out of memory) the hashed matcher answers.
      if (hs_scratch_t* scratch = ScratchFor(*shared_, database)) {
        size_t literal_count = shared_->literals.size();
        hs_error_t status = hs_scan(database, text.data(), static_cast<unsigned>(text.size()), 0, scratch,
                                    StopAtFirstLiteral, &literal_count);
        if (status == HS_SCAN_TERMINATED) return true;
        if (status == HS_SUCCESS) return false;
      }
    }
  }
#endif
  return ContainedInHashed(text);
}

bool LiteralSet::FindAll(std::string_view text, size_t max_occurrences, std::vector<Occurrence>& out,
                         std::vector<Occurrence>* markers) const {
#ifdef KQL_HAVE_HYPERSCAN
  if (!shared_ || text.size() > UINT32_MAX) return false;
  hs_database_t* database = shared_->database.load(std::memory_order_acquire);
  if (!database) return false;
  hs_scratch_t* scratch = ScratchFor(*shared_, database);
  if (!scratch) return false;
  out.clear();
  if (markers) markers->clear();
  Collector collector{shared_.get(), &out, markers, max_occurrences};
  if (hs_scan(database, text.data(), static_cast<unsigned>(text.size()), 0, scratch, CollectMatch, &collector) !=
      HS_SUCCESS) {
    return false;  // Too many occurrences (the handler stopped the scan), or a Hyperscan error.
  }
  // Hyperscan reports in order of end offset; callers rely on it, so make sure.
  auto by_end = [](const Occurrence& a, const Occurrence& b) { return a.end < b.end; };
  if (!std::is_sorted(out.begin(), out.end(), by_end)) std::stable_sort(out.begin(), out.end(), by_end);
  if (markers && !std::is_sorted(markers->begin(), markers->end(), by_end)) {
    std::stable_sort(markers->begin(), markers->end(), by_end);
  }
  return true;
#else
  (void)text;
  (void)max_occurrences;
  (void)out;
  (void)markers;
  return false;
#endif
}

bool LiteralSet::ContainedInHashed(std::string_view text) const {
  if (!hashed_) return false;
  const Hashed& hashed = *hashed_;
  for (const std::string& literal : hashed.short_literals) {
    if (ContainsCaseInsensitive(text, literal)) return true;
  }
  if (hashed.long_literals.empty() || text.size() < kKeyBytes) return false;
  const char* data = text.data();
  const size_t last_start = text.size() - kKeyBytes;
  const uint64_t* filter = hashed.filter.data();
  const uint32_t* bucket_start = hashed.bucket_start.data();
  const Keyed* long_literals = hashed.long_literals.data();
  for (size_t position = 0; position <= last_start; ++position) {
    const uint32_t key = LoadKey(data + position);
    const uint32_t bit = Hash(key, kFilterBits);
    if ((filter[bit >> 6] >> (bit & 63) & 1) == 0) continue;
    const uint32_t bucket = Hash(key, kBucketBits);
    const size_t remaining = text.size() - position;
    for (uint32_t index = bucket_start[bucket]; index < bucket_start[bucket + 1]; ++index) {
      const Keyed& keyed = long_literals[index];
      if (keyed.key != key || keyed.literal.size() > remaining) continue;
      if (EqualsIgnoringCase(data + position, keyed.literal)) return true;
    }
  }
  return false;
}

}  // namespace kql::io
