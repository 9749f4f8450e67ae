// Hash functions: hash and hash_xxhash64 (XXH64, seed 0), hash_md5, hash_sha1.
// Semantics (KQL docs, doc_cases.jsonl):
//   - hash(value[, mod]) is the XXH64 of the value as a signed long: strings hash their UTF-8 bytes, datetimes
//     and timespans their .NET ticks (since 0001-01-01) as 8 little-endian bytes, longs and reals their 8 bytes.
//     hash("World") == 1846988464401551951; with mod the result is the non-negative remainder.
//   - hash_md5 and hash_sha1 hash the value's tostring text and return lowercase hex; null gives "".
// The algorithms are written from their specifications (RFC 1321, FIPS 180-4, the XXH64 spec).
#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#include <string>

#include "execution/scalar/scalar_kernels.h"
#include "execution/scalar/value_kernel.h"
#include "execution/layer.h"

namespace kql::exec {

namespace {

constexpr uint64_t kPrime1 = 11400714785074694791ULL;
constexpr uint64_t kPrime2 = 14029467366897019727ULL;
constexpr uint64_t kPrime3 = 1609587929392839161ULL;
constexpr uint64_t kPrime4 = 9650029242287828579ULL;
constexpr uint64_t kPrime5 = 2870177450012600261ULL;

uint64_t Read64(const unsigned char* data) {
  uint64_t value = 0;
  for (int index = 7; index >= 0; --index) value = (value << 8) | data[index];
  return value;
}

uint32_t Read32(const unsigned char* data) {
  return static_cast<uint32_t>(data[0]) | (static_cast<uint32_t>(data[1]) << 8) |
         (static_cast<uint32_t>(data[2]) << 16) | (static_cast<uint32_t>(data[3]) << 24);
}

uint64_t XxRound(uint64_t accumulator, uint64_t input) {
  accumulator += input * kPrime2;
  return std::rotl(accumulator, 31) * kPrime1;
}

uint64_t XxMerge(uint64_t accumulator, uint64_t value) {
  accumulator ^= XxRound(0, value);
  return accumulator * kPrime1 + kPrime4;
}

uint64_t XxHash64(std::string_view text) {
  const auto* data = reinterpret_cast<const unsigned char*>(text.data());
  const size_t size = text.size();
  size_t pos = 0;
  uint64_t hash = 0;
  if (size >= 32) {
    uint64_t lanes[4] = {kPrime1 + kPrime2, kPrime2, 0, 0 - kPrime1};
    for (; pos + 32 <= size; pos += 32) {
      for (int lane = 0; lane < 4; ++lane) lanes[lane] = XxRound(lanes[lane], Read64(data + pos + 8 * lane));
    }
    hash = std::rotl(lanes[0], 1) + std::rotl(lanes[1], 7) + std::rotl(lanes[2], 12) + std::rotl(lanes[3], 18);
    for (uint64_t lane : lanes) hash = XxMerge(hash, lane);
  } else {
    hash = kPrime5;
  }
  hash += size;
  for (; pos + 8 <= size; pos += 8) {
    hash ^= XxRound(0, Read64(data + pos));
    hash = std::rotl(hash, 27) * kPrime1 + kPrime4;
  }
  if (pos + 4 <= size) {
    hash ^= static_cast<uint64_t>(Read32(data + pos)) * kPrime1;
    hash = std::rotl(hash, 23) * kPrime2 + kPrime3;
    pos += 4;
  }
  for (; pos < size; ++pos) {
    hash ^= data[pos] * kPrime5;
    hash = std::rotl(hash, 11) * kPrime1;
  }
  hash ^= hash >> 33;
  hash *= kPrime2;
  hash ^= hash >> 29;
  hash *= kPrime3;
  hash ^= hash >> 32;
  return hash;
}

std::string Hex(const unsigned char* bytes, size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (size_t index = 0; index < size; ++index) {
    out += kDigits[bytes[index] >> 4];
    out += kDigits[bytes[index] & 0xF];
  }
  return out;
}

// Pads a message the MD5/SHA-1 way: 0x80, zeros, then the bit length (little- or big-endian) in 8 bytes.
std::string PadMessage(std::string_view text, bool big_endian) {
  std::string message(text);
  const uint64_t bits = static_cast<uint64_t>(text.size()) * 8;
  message += static_cast<char>(0x80);
  while (message.size() % 64 != 56) message += '\0';
  for (int index = 0; index < 8; ++index) {
    const int shift = big_endian ? 8 * (7 - index) : 8 * index;
    message += static_cast<char>((bits >> shift) & 0xFF);
  }
  return message;
}

std::string Md5Hex(std::string_view text) {
  static constexpr int kShifts[4][4] = {{7, 12, 17, 22}, {5, 9, 14, 20}, {4, 11, 16, 23}, {6, 10, 15, 21}};
  static const std::array<uint32_t, 64> kSines = [] {
    std::array<uint32_t, 64> sines{};
    for (int index = 0; index < 64; ++index) {
      sines[index] = static_cast<uint32_t>(std::floor(std::fabs(std::sin(index + 1.0)) * 4294967296.0));
    }
    return sines;
  }();
  uint32_t state[4] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
  const std::string message = PadMessage(text, false);
  const auto* data = reinterpret_cast<const unsigned char*>(message.data());
  for (size_t block = 0; block < message.size(); block += 64) {
    uint32_t words[16];
    for (int index = 0; index < 16; ++index) words[index] = Read32(data + block + 4 * index);
    uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
    for (int step = 0; step < 64; ++step) {
      uint32_t mixed = 0;
      int word = 0;
      const int round = step / 16;
      if (round == 0) {
        mixed = (b & c) | (~b & d);
        word = step;
      } else if (round == 1) {
        mixed = (d & b) | (~d & c);
        word = (5 * step + 1) % 16;
      } else if (round == 2) {
        mixed = b ^ c ^ d;
        word = (3 * step + 5) % 16;
      } else {
        mixed = c ^ (b | ~d);
        word = (7 * step) % 16;
      }
      const uint32_t rotated = std::rotl(a + mixed + kSines[step] + words[word], kShifts[round][step % 4]);
      a = d;
      d = c;
      c = b;
      b += rotated;
    }
    state[0] += a;
    state[1] += b;
    state[2] += c;
    state[3] += d;
  }
  unsigned char digest[16];
  for (int index = 0; index < 16; ++index) digest[index] = (state[index / 4] >> (8 * (index % 4))) & 0xFF;
  return Hex(digest, 16);
}

std::string Sha1Hex(std::string_view text) {
  uint32_t state[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
  const std::string message = PadMessage(text, true);
  const auto* data = reinterpret_cast<const unsigned char*>(message.data());
  for (size_t block = 0; block < message.size(); block += 64) {
    uint32_t words[80];
    for (int index = 0; index < 16; ++index) {
      const unsigned char* bytes = data + block + 4 * index;
      words[index] = (static_cast<uint32_t>(bytes[0]) << 24) | (static_cast<uint32_t>(bytes[1]) << 16) |
                     (static_cast<uint32_t>(bytes[2]) << 8) | bytes[3];
    }
    for (int index = 16; index < 80; ++index) {
      words[index] = std::rotl(words[index - 3] ^ words[index - 8] ^ words[index - 14] ^ words[index - 16], 1);
    }
    uint32_t a = state[0], b = state[1], c = state[2], d = state[3], e = state[4];
    for (int step = 0; step < 80; ++step) {
      uint32_t mixed = 0;
      uint32_t constant = 0;
      if (step < 20) {
        mixed = (b & c) | (~b & d);
        constant = 0x5A827999;
      } else if (step < 40) {
        mixed = b ^ c ^ d;
        constant = 0x6ED9EBA1;
      } else if (step < 60) {
        mixed = (b & c) | (b & d) | (c & d);
        constant = 0x8F1BBCDC;
      } else {
        mixed = b ^ c ^ d;
        constant = 0xCA62C1D6;
      }
      const uint32_t next = std::rotl(a, 5) + mixed + e + constant + words[step];
      e = d;
      d = c;
      c = std::rotl(b, 30);
      b = a;
      a = next;
    }
    state[0] += a;
    state[1] += b;
    state[2] += c;
    state[3] += d;
    state[4] += e;
  }
  unsigned char digest[20];
  for (int index = 0; index < 20; ++index) digest[index] = (state[index / 4] >> (8 * (3 - index % 4))) & 0xFF;
  return Hex(digest, 20);
}

// The bytes hash() reads for a value.
std::string HashBytes(const Value& value) {
  auto little_endian = [](uint64_t bits) {
    std::string bytes(8, '\0');
    for (int index = 0; index < 8; ++index) bytes[index] = static_cast<char>((bits >> (8 * index)) & 0xFF);
    return bytes;
  };
  switch (value.type) {
    case KqlType::kDateTime:
      return little_endian(static_cast<uint64_t>(value.int_value - kMinDateTimeTicks));
    case KqlType::kTimeSpan:
    case KqlType::kInt:
    case KqlType::kLong:
    case KqlType::kBool:
      return little_endian(static_cast<uint64_t>(value.int_value));
    case KqlType::kReal:
    case KqlType::kDecimal:
      return little_endian(std::bit_cast<uint64_t>(value.real_value));
    default:
      return ValueText(value);
  }
}

Value Hash(std::span<const Value> args, KqlType) {
  if (args[0].is_null && args[0].type != KqlType::kString) return Value::Null(KqlType::kLong);
  const auto hash = static_cast<int64_t>(XxHash64(HashBytes(args[0])));
  if (args.size() < 2) return Value::Long(hash);
  std::optional<double> modulo = ValueNumber(args[1]);
  if (!modulo || static_cast<int64_t>(*modulo) <= 0) return Value::Null(KqlType::kLong);
  const auto divisor = static_cast<int64_t>(*modulo);
  return Value::Long(((hash % divisor) + divisor) % divisor);
}

Value HashMd5(std::span<const Value> args, KqlType) {
  if (args[0].is_null && args[0].type != KqlType::kString) return Value::String("");
  return Value::String(Md5Hex(ValueText(args[0])));
}

Value HashSha1(std::span<const Value> args, KqlType) {
  if (args[0].is_null && args[0].type != KqlType::kString) return Value::String("");
  return Value::String(Sha1Hex(ValueText(args[0])));
}

constexpr ValueFunctionEntry kHashFunctions[] = {
    {"hash", Hash},
    {"hash_xxhash64", Hash},
    {"hash_md5", HashMd5},
    {"hash_sha1", HashSha1},
};

}  // namespace

void HashFunctionKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                        ColumnVector& out) {
  RunValueFunction(kHashFunctions, call, args, rows, out);
}

}  // namespace kql::exec
