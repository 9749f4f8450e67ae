#include "types/datetime.h"

#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace kql {
namespace {

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

char Lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

/// A tiny cursor over text used by the datetime and timespan parsers.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}
  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return AtEnd() ? '\0' : text_[pos_]; }
  void Skip() { ++pos_; }
  void SkipSpaces() {
    while (!AtEnd() && std::isspace(static_cast<unsigned char>(Peek()))) ++pos_;
  }
  bool Accept(char c) {
    if (Peek() != c) return false;
    ++pos_;
    return true;
  }
  /// Reads between min_digits and max_digits decimal digits.
  std::optional<int64_t> Number(int min_digits, int max_digits, int* count = nullptr) {
    int64_t value = 0;
    int digits = 0;
    while (!AtEnd() && IsDigit(Peek()) && digits < max_digits) {
      value = value * 10 + (Peek() - '0');
      ++pos_;
      ++digits;
    }
    if (count) *count = digits;
    if (digits < min_digits) return std::nullopt;
    return value;
  }
  /// Reads a fraction after '.', returning ticks (7 digits of precision, extra digits ignored).
  int64_t FractionTicks() {
    int64_t value = 0;
    int digits = 0;
    while (!AtEnd() && IsDigit(Peek())) {
      if (digits < 7) {
        value = value * 10 + (Peek() - '0');
        ++digits;
      }
      ++pos_;
    }
    while (digits < 7) {
      value *= 10;
      ++digits;
    }
    return value;
  }
  std::string_view Rest() const { return text_.substr(pos_); }
  size_t pos() const { return pos_; }
  void set_pos(size_t pos) { pos_ = pos; }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

constexpr std::array<const char*, 12> kMonthNames = {"jan", "feb", "mar", "apr", "may", "jun",
                                                     "jul", "aug", "sep", "oct", "nov", "dec"};

std::optional<int> ParseMonthName(Cursor& cursor) {
  std::string word;
  while (!cursor.AtEnd() && std::isalpha(static_cast<unsigned char>(cursor.Peek()))) {
    word.push_back(Lower(cursor.Peek()));
    cursor.Skip();
  }
  if (word.size() < 3) return std::nullopt;
  for (size_t i = 0; i < kMonthNames.size(); ++i) {
    if (word.compare(0, 3, kMonthNames[i]) == 0) return static_cast<int>(i + 1);
  }
  return std::nullopt;
}

bool ValidCivil(const CivilTime& c) {
  static constexpr std::array<int, 12> kDays = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (c.year < 1 || c.year > 9999 || c.month < 1 || c.month > 12 || c.day < 1) return false;
  if (c.day > kDays[c.month - 1]) return false;
  bool leap = (c.year % 4 == 0 && c.year % 100 != 0) || c.year % 400 == 0;
  if (c.month == 2 && c.day == 29 && !leap) return false;
  return c.hour >= 0 && c.hour < 24 && c.minute >= 0 && c.minute < 60 && c.second >= 0 && c.second < 60;
}

/// Parses "hh:mm[:ss[.f]]" optionally followed by AM/PM into civil fields.
bool ParseClock(Cursor& cursor, CivilTime& civil) {
  auto hour = cursor.Number(1, 2);
  if (!hour || !cursor.Accept(':')) return false;
  auto minute = cursor.Number(2, 2);
  if (!minute) return false;
  civil.hour = static_cast<int>(*hour);
  civil.minute = static_cast<int>(*minute);
  if (cursor.Accept(':')) {
    auto second = cursor.Number(2, 2);
    if (!second) return false;
    civil.second = static_cast<int>(*second);
    if (cursor.Accept('.')) civil.fraction = cursor.FractionTicks();
  }
  size_t saved = cursor.pos();
  cursor.SkipSpaces();
  char first = Lower(cursor.Peek());
  if (first == 'a' || first == 'p') {
    cursor.Skip();
    if (Lower(cursor.Peek()) != 'm') {
      cursor.set_pos(saved);
      return true;
    }
    cursor.Skip();
    if (civil.hour < 1 || civil.hour > 12) return false;
    if (civil.hour == 12) civil.hour = 0;
    if (first == 'p') civil.hour += 12;
  } else {
    cursor.set_pos(saved);
  }
  return true;
}

/// Parses a trailing zone: Z, GMT, UTC or +hh[:mm]; returns the offset in ticks to subtract.
std::optional<int64_t> ParseZone(Cursor& cursor) {
  cursor.SkipSpaces();
  if (cursor.AtEnd()) return 0;
  if (cursor.Accept('Z') || cursor.Accept('z')) return 0;
  std::string_view rest = cursor.Rest();
  auto starts = [&](std::string_view word) {
    if (rest.size() < word.size()) return false;
    for (size_t i = 0; i < word.size(); ++i)
      if (Lower(rest[i]) != word[i]) return false;
    return true;
  };
  if (starts("gmt") || starts("utc")) {
    cursor.set_pos(cursor.pos() + 3);
    if (cursor.AtEnd()) return 0;
  }
  char sign = cursor.Peek();
  if (sign != '+' && sign != '-') return std::nullopt;
  cursor.Skip();
  auto hours = cursor.Number(2, 2);
  if (!hours) return std::nullopt;
  int64_t minutes = 0;
  cursor.Accept(':');
  if (!cursor.AtEnd()) {
    auto m = cursor.Number(2, 2);
    if (!m) return std::nullopt;
    minutes = *m;
  }
  int64_t offset = (*hours * 60 + minutes) * kTicksPerMinute;
  return sign == '+' ? offset : -offset;
}

std::optional<int64_t> Finish(Cursor& cursor, CivilTime& civil) {
  auto zone = ParseZone(cursor);
  if (!zone) return std::nullopt;
  cursor.SkipSpaces();
  if (!cursor.AtEnd() || !ValidCivil(civil)) return std::nullopt;
  return TicksFromCivil(civil) - *zone;
}

/// Completes a date whose year, month and day are read: an optional clock, then the zone and the end of text.
std::optional<int64_t> FinishDate(Cursor& cursor, int64_t year, int month, int day) {
  CivilTime civil;
  civil.year = year;
  civil.month = month;
  civil.day = day;
  cursor.SkipSpaces();
  if (!cursor.AtEnd() && IsDigit(cursor.Peek()) && !ParseClock(cursor, civil)) return std::nullopt;
  return Finish(cursor, civil);
}

std::optional<int64_t> ParseIso(std::string_view text) {
  Cursor cursor(text);
  CivilTime civil;
  auto year = cursor.Number(4, 4);
  if (!year || !cursor.Accept('-')) return std::nullopt;
  auto month = cursor.Number(1, 2);
  if (!month || !cursor.Accept('-')) return std::nullopt;
  auto day = cursor.Number(1, 2);
  if (!day) return std::nullopt;
  civil.year = *year;
  civil.month = static_cast<int>(*month);
  civil.day = static_cast<int>(*day);
  if (cursor.Accept('T') || cursor.Accept('t') || (cursor.Peek() == ' ' && (cursor.Skip(), true))) {
    cursor.SkipSpaces();
    if (!cursor.AtEnd() && IsDigit(cursor.Peek())) {
      if (!ParseClock(cursor, civil)) return std::nullopt;
    }
  }
  return Finish(cursor, civil);
}

/// The shape nearly every export writes, "2025-12-25T00:00:00.2879354Z" (fraction of 0 to 7 digits), read with
/// fixed offsets; false for anything else (ParseIso then reads it, with the same result for this shape).
bool ParseIsoFixed(std::string_view text, int64_t* ticks) {
  constexpr size_t kBase = 19;  // "yyyy-mm-ddThh:mm:ss"
  if (text.size() < kBase + 1 || text.size() > kBase + 9 || text.back() != 'Z' || text[4] != '-' ||
      text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':') [[unlikely]] {
    return false;
  }
  // Every digit is checked and added up branch-free; the fields are then range-checked together.
  unsigned bad = 0;
  auto digit = [&](size_t at) {
    const unsigned value = static_cast<unsigned char>(text[at]) - unsigned{'0'};
    bad |= value > 9 ? 1u : 0u;
    return value;
  };
  auto two = [&](size_t at) { return digit(at) * 10 + digit(at + 1); };
  const unsigned year = two(0) * 100 + two(2);
  const unsigned month = two(5);
  const unsigned day = two(8);
  const unsigned hour = two(11);
  const unsigned minute = two(14);
  const unsigned second = two(17);
  int64_t fraction = 0;
  const size_t fraction_end = text.size() - 1;
  if (fraction_end > kBase) {
    // ".f" through ".fffffff": one to seven digits, scaled to 100 ns ticks.
    if (text[kBase] != '.' || fraction_end == kBase + 1) return false;
    for (size_t index = kBase + 1; index < fraction_end; ++index) fraction = fraction * 10 + digit(index);
    static constexpr int64_t kScale[8] = {0, 1000000, 100000, 10000, 1000, 100, 10, 1};
    fraction *= kScale[fraction_end - kBase - 1];
  }
  // (Marked unlikely: GCC otherwise takes the arithmetic after them for cold code and divides with `div`.)
  if (bad != 0 || year < 1 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59)
      [[unlikely]] {
    return false;
  }
  static constexpr unsigned kDays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (day > kDays[month - 1]) [[unlikely]] {
    return false;
  }
  if (month == 2 && day == 29 && !((year % 4 == 0 && year % 100 != 0) || year % 400 == 0)) [[unlikely]] {
    return false;
  }
  // Days since 1970-01-01 (DaysFromCivil, for a positive year).
  const unsigned shifted_year = year - (month <= 2 ? 1 : 0);
  const unsigned era = shifted_year / 400;
  const unsigned year_of_era = shifted_year - era * 400;
  const unsigned day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
  const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  const int64_t days = static_cast<int64_t>(era) * 146097 + static_cast<int64_t>(day_of_era) - 719468;
  *ticks = days * kTicksPerDay + hour * kTicksPerHour + minute * kTicksPerMinute + second * kTicksPerSecond + fraction;
  return true;
}

/// "Oct 9, 2024 2:41:10 PM" (Defender portal export).
std::optional<int64_t> ParseMonthNameFirst(std::string_view text) {
  Cursor cursor(text);
  auto month = ParseMonthName(cursor);
  if (!month) return std::nullopt;
  cursor.SkipSpaces();
  auto day = cursor.Number(1, 2);
  if (!day) return std::nullopt;
  cursor.Accept(',');
  cursor.SkipSpaces();
  auto year = cursor.Number(4, 4);
  if (!year) return std::nullopt;
  return FinishDate(cursor, *year, *month, static_cast<int>(*day));
}

/// "Sat, 08 Nov 2014 15:05:02 GMT" (RFC 1123) and "8 Nov 2014 ...".
std::optional<int64_t> ParseRfc1123(std::string_view text) {
  Cursor cursor(text);
  while (!cursor.AtEnd() && std::isalpha(static_cast<unsigned char>(cursor.Peek()))) cursor.Skip();
  cursor.Accept(',');
  cursor.SkipSpaces();
  auto day = cursor.Number(1, 2);
  if (!day) return std::nullopt;
  cursor.SkipSpaces();
  auto month = ParseMonthName(cursor);
  if (!month) return std::nullopt;
  cursor.SkipSpaces();
  auto year = cursor.Number(4, 4);
  if (!year) return std::nullopt;
  return FinishDate(cursor, *year, *month, static_cast<int>(*day));
}

/// "4/4/2025, 9:18:26.637 PM" (Log Analytics export, month first).
std::optional<int64_t> ParseSlashed(std::string_view text) {
  Cursor cursor(text);
  auto month = cursor.Number(1, 2);
  if (!month || !cursor.Accept('/')) return std::nullopt;
  auto day = cursor.Number(1, 2);
  if (!day || !cursor.Accept('/')) return std::nullopt;
  auto year = cursor.Number(4, 4);
  if (!year) return std::nullopt;
  cursor.Accept(',');
  return FinishDate(cursor, *year, static_cast<int>(*month), static_cast<int>(*day));
}

void AppendTwo(std::string& out, int64_t value) {
  out.push_back(static_cast<char>('0' + value / 10));
  out.push_back(static_cast<char>('0' + value % 10));
}

std::string FormatDateTimeImpl(int64_t ticks, bool trim) {
  CivilTime c = CivilFromTicks(ticks);
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%04lld-%02d-%02dT%02d:%02d:%02d", static_cast<long long>(c.year), c.month,
                c.day, c.hour, c.minute, c.second);
  std::string out(buffer);
  if (c.fraction != 0 || !trim) {
    char fraction[16];
    std::snprintf(fraction, sizeof(fraction), "%07lld", static_cast<long long>(c.fraction));
    std::string digits(fraction);
    if (trim) {
      while (!digits.empty() && digits.back() == '0') digits.pop_back();
    }
    out += "." + digits;
  }
  out += "Z";
  return out;
}

}  // namespace

int64_t DaysFromCivil(int64_t year, int month, int day) {
  year -= month <= 2;
  const int64_t era = FloorDiv(year, 400);
  const int64_t yoe = year - era * 400;
  const int64_t mp = (month + 9) % 12;
  const int64_t doy = (153 * mp + 2) / 5 + day - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

CivilTime CivilFromTicks(int64_t ticks) {
  CivilTime civil;
  int64_t days = FloorDiv(ticks, kTicksPerDay);
  int64_t rest = ticks - days * kTicksPerDay;
  civil.hour = static_cast<int>(rest / kTicksPerHour);
  rest %= kTicksPerHour;
  civil.minute = static_cast<int>(rest / kTicksPerMinute);
  rest %= kTicksPerMinute;
  civil.second = static_cast<int>(rest / kTicksPerSecond);
  civil.fraction = rest % kTicksPerSecond;
  int64_t z = days + 719468;
  const int64_t era = FloorDiv(z, 146097);
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  civil.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  civil.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  civil.year = yoe + era * 400 + (civil.month <= 2);
  return civil;
}

int64_t TicksFromCivil(const CivilTime& civil) {
  return DaysFromCivil(civil.year, civil.month, civil.day) * kTicksPerDay + civil.hour * kTicksPerHour +
         civil.minute * kTicksPerMinute + civil.second * kTicksPerSecond + civil.fraction;
}

std::optional<int64_t> ParseDateTime(std::string_view text) {
  // The shape exports write ("2025-12-25T00:00:00.2879354Z") is read at once.
  int64_t ticks = 0;
  if (ParseIsoFixed(text, &ticks)) return ticks;
  const size_t untrimmed = text.size();
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  if (text.empty()) return std::nullopt;
  if (text.size() >= 5 && IsDigit(text[0]) && IsDigit(text[1]) && IsDigit(text[2]) && IsDigit(text[3]) &&
      text[4] == '-') {
    // The fixed shape was tried above, unless spaces around it were just trimmed.
    if (text.size() != untrimmed && ParseIsoFixed(text, &ticks)) return ticks;
    return ParseIso(text);
  }
  if (IsDigit(text[0])) {
    if (auto slashed = ParseSlashed(text)) return slashed;
    return ParseRfc1123(text);
  }
  if (auto named = ParseMonthNameFirst(text)) return named;
  return ParseRfc1123(text);
}

std::string FormatDateTime(int64_t ticks) { return FormatDateTimeImpl(ticks, true); }

std::string FormatDateTimeFull(int64_t ticks) { return FormatDateTimeImpl(ticks, false); }

std::optional<int64_t> ParseTimeSpan(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  if (text.empty()) return std::nullopt;
  bool negative = false;
  std::string_view body = text;
  if (body.front() == '-' || body.front() == '+') {
    negative = body.front() == '-';
    body.remove_prefix(1);
  }
  if (body.find(':') != std::string_view::npos) {
    // [d.]hh:mm[:ss[.fffffff]]
    Cursor cursor(body);
    int64_t days = 0;
    auto first = cursor.Number(1, 9);
    if (!first) return std::nullopt;
    int64_t hours = *first;
    if (cursor.Accept('.')) {
      days = *first;
      auto h = cursor.Number(1, 2);
      if (!h) return std::nullopt;
      hours = *h;
    }
    if (!cursor.Accept(':')) return std::nullopt;
    auto minutes = cursor.Number(1, 2);
    if (!minutes) return std::nullopt;
    int64_t seconds = 0;
    int64_t fraction = 0;
    if (cursor.Accept(':')) {
      auto s = cursor.Number(1, 2);
      if (!s) return std::nullopt;
      seconds = *s;
      if (cursor.Accept('.')) fraction = cursor.FractionTicks();
    }
    if (!cursor.AtEnd() || hours > 23 || *minutes > 59 || seconds > 59) return std::nullopt;
    int64_t ticks = days * kTicksPerDay + hours * kTicksPerHour + *minutes * kTicksPerMinute +
                    seconds * kTicksPerSecond + fraction;
    return negative ? -ticks : ticks;
  }
  // Number followed by a unit.
  size_t unit_start = 0;
  while (unit_start < body.size() && (IsDigit(body[unit_start]) || body[unit_start] == '.')) ++unit_start;
  if (unit_start == 0) return std::nullopt;
  std::string number(body.substr(0, unit_start));
  std::string unit;
  for (char c : body.substr(unit_start)) unit.push_back(Lower(c));
  char* end = nullptr;
  double value = std::strtod(number.c_str(), &end);
  if (end == number.c_str() || *end != '\0') return std::nullopt;
  double scale = 0;
  if (unit == "d" || unit == "day" || unit == "days") scale = static_cast<double>(kTicksPerDay);
  else if (unit == "h" || unit == "hr" || unit == "hrs" || unit == "hour" || unit == "hours") scale = static_cast<double>(kTicksPerHour);
  else if (unit == "m" || unit == "min" || unit == "minute" || unit == "minutes") scale = static_cast<double>(kTicksPerMinute);
  else if (unit == "s" || unit == "sec" || unit == "second" || unit == "seconds") scale = static_cast<double>(kTicksPerSecond);
  else if (unit == "ms" || unit == "milli" || unit == "millis" || unit == "millisecond" || unit == "milliseconds") scale = static_cast<double>(kTicksPerMillisecond);
  else if (unit == "microsecond" || unit == "microseconds") scale = static_cast<double>(kTicksPerMicrosecond);
  else if (unit == "nanosecond" || unit == "nanoseconds") scale = 0.01;
  else if (unit == "tick" || unit == "ticks") scale = 1;
  else return std::nullopt;
  double ticks = std::round(value * scale);
  if (!(std::fabs(ticks) < 9.2e18)) return std::nullopt;
  int64_t result = static_cast<int64_t>(ticks);
  return negative ? -result : result;
}

std::string FormatTimeSpan(int64_t ticks) {
  std::string out;
  uint64_t magnitude;
  if (ticks < 0) {
    out.push_back('-');
    magnitude = static_cast<uint64_t>(-(ticks + 1)) + 1;
  } else {
    magnitude = static_cast<uint64_t>(ticks);
  }
  uint64_t days = magnitude / kTicksPerDay;
  uint64_t rest = magnitude % kTicksPerDay;
  if (days > 0) out += std::to_string(days) + ".";
  AppendTwo(out, static_cast<int64_t>(rest / kTicksPerHour));
  rest %= kTicksPerHour;
  out.push_back(':');
  AppendTwo(out, static_cast<int64_t>(rest / kTicksPerMinute));
  rest %= kTicksPerMinute;
  out.push_back(':');
  AppendTwo(out, static_cast<int64_t>(rest / kTicksPerSecond));
  rest %= kTicksPerSecond;
  if (rest != 0) {
    char fraction[16];
    std::snprintf(fraction, sizeof(fraction), ".%07llu", static_cast<unsigned long long>(rest));
    out += fraction;
  }
  return out;
}

}  // namespace kql
