// Datetime functions: datetime_add, datetime_diff, startof*/endof* (day, week, month, year, with an optional
// offset), the part extractors (dayofweek, dayofmonth, dayofyear, hourofday, getyear, getmonth, monthofyear,
// weekofyear), format_datetime, format_timespan, make_datetime and make_timespan.
// Semantics (kusto_engine_cases.jsonl and doc_cases.jsonl):
//   - Weeks start on Sunday; dayofweek is the timespan since the preceding Sunday.
//   - weekofyear is the ISO 8601 week number (2016-01-01 is week 53, 2018-12-31 week 1).
//   - datetime_add with month/quarter/year clamps the day to the target month's length (2020-03-31 minus a
//     month is 2020-02-29); a result outside 0001..9999 is null.
//   - datetime_diff counts boundaries crossed, not elapsed whole units: second/millisecond/... compare floored
//     unit numbers, week compares start-of-week days, month/quarter/year compare calendar numbers.
//   - format_datetime patterns are greedy runs of d, M, y, h, H, m, s, f, F, t (runs longer than a specifier's
//     maximum repeat it: 'dddd' prints the day twice); other characters are copied.
//   - make_timespan(h, m[, s]) and make_timespan(d, h, m, s) are null for a negative or out-of-range part.
#include <cmath>
#include <string>

#include "execution/scalar/scalar_kernels.h"
#include "types/datetime.h"
#include "execution/layer.h"

namespace kql::exec {

namespace {

int64_t FloorDivide(int64_t value, int64_t divisor) {
  int64_t quotient = value / divisor;
  if ((value % divisor != 0) && ((value < 0) != (divisor < 0))) --quotient;
  return quotient;
}

bool InDateTimeRange(int64_t ticks) { return ticks >= kMinDateTimeTicks && ticks <= kMaxDateTimeTicks; }

void SetDateTime(ColumnVector& out, size_t row, int64_t ticks) {
  if (InDateTimeRange(ticks)) {
    SetInt(out, row, ticks);
  } else {
    out.SetValid(row, false);
  }
}

// Reads a numeric argument as a whole number (reals truncate).
int64_t WholeAt(const KernelArg& arg, size_t row) {
  size_t arg_row = arg.Row(row);
  if (arg.vector->physical_type() == PhysicalType::kDouble) {
    return static_cast<int64_t>(arg.vector->reals()[arg_row]);
  }
  return arg.vector->ints()[arg_row];
}

bool AnyNull(std::span<const KernelArg> args, size_t row) {
  for (const KernelArg& arg : args) {
    if (arg.vector->physical_type() != PhysicalType::kString && arg.IsNull(row)) return true;
  }
  return false;
}

int DaysInMonth(int64_t year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2) {
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return leap ? 29 : 28;
  }
  return kDays[month - 1];
}

// Days since the epoch of the Sunday starting the week of `days`; 1970-01-01 was a Thursday.
int64_t WeekStartDay(int64_t days) { return days - (((days + 4) % 7) + 7) % 7; }

int64_t DayNumber(int64_t ticks) { return FloorDivide(ticks, kTicksPerDay); }

// Adds whole months keeping the time of day and clamping the day to the target month.
int64_t AddMonths(int64_t ticks, int64_t months) {
  CivilTime civil = CivilFromTicks(ticks);
  int64_t month_index = civil.year * 12 + (civil.month - 1) + months;
  civil.year = FloorDivide(month_index, 12);
  civil.month = static_cast<int>(month_index - civil.year * 12) + 1;
  civil.day = std::min(civil.day, DaysInMonth(civil.year, civil.month));
  return TicksFromCivil(civil);
}

std::string LowerAscii(std::string_view text) {
  std::string lowered(text);
  for (char& c : lowered) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lowered;
}

enum class DatePart { kYear, kQuarter, kMonth, kWeek, kDay, kHour, kMinute, kSecond, kMillisecond, kMicrosecond,
                      kNanosecond, kInvalid };

DatePart ParsePart(std::string_view text) {
  std::string part = LowerAscii(text);
  if (part == "year") return DatePart::kYear;
  if (part == "quarter") return DatePart::kQuarter;
  if (part == "month") return DatePart::kMonth;
  if (part == "week") return DatePart::kWeek;
  if (part == "day") return DatePart::kDay;
  if (part == "hour") return DatePart::kHour;
  if (part == "minute") return DatePart::kMinute;
  if (part == "second") return DatePart::kSecond;
  if (part == "millisecond") return DatePart::kMillisecond;
  if (part == "microsecond") return DatePart::kMicrosecond;
  if (part == "nanosecond") return DatePart::kNanosecond;
  return DatePart::kInvalid;
}

// Ticks in one fixed-length unit, or 0 for calendar units.
int64_t FixedUnitTicks(DatePart part) {
  switch (part) {
    case DatePart::kWeek: return 7 * kTicksPerDay;
    case DatePart::kDay: return kTicksPerDay;
    case DatePart::kHour: return kTicksPerHour;
    case DatePart::kMinute: return kTicksPerMinute;
    case DatePart::kSecond: return kTicksPerSecond;
    case DatePart::kMillisecond: return kTicksPerMillisecond;
    case DatePart::kMicrosecond: return kTicksPerMicrosecond;
    default: return 0;
  }
}

std::optional<int64_t> AddPart(DatePart part, int64_t amount, int64_t ticks) {
  switch (part) {
    case DatePart::kYear: return AddMonths(ticks, amount * 12);
    case DatePart::kQuarter: return AddMonths(ticks, amount * 3);
    case DatePart::kMonth: return AddMonths(ticks, amount);
    case DatePart::kNanosecond: return ticks + amount / 100;
    case DatePart::kInvalid: return std::nullopt;
    default: {
      int64_t result = 0;
      if (__builtin_mul_overflow(amount, FixedUnitTicks(part), &result)) return std::nullopt;
      if (__builtin_add_overflow(ticks, result, &result)) return std::nullopt;
      return result;
    }
  }
}

std::optional<int64_t> DiffPart(DatePart part, int64_t left, int64_t right) {
  switch (part) {
    case DatePart::kYear: return CivilFromTicks(left).year - CivilFromTicks(right).year;
    case DatePart::kQuarter:
    case DatePart::kMonth: {
      CivilTime a = CivilFromTicks(left);
      CivilTime b = CivilFromTicks(right);
      if (part == DatePart::kMonth) return (a.year * 12 + a.month) - (b.year * 12 + b.month);
      return (a.year * 4 + (a.month - 1) / 3) - (b.year * 4 + (b.month - 1) / 3);
    }
    case DatePart::kWeek: return (WeekStartDay(DayNumber(left)) - WeekStartDay(DayNumber(right))) / 7;
    case DatePart::kNanosecond: return (left - right) * 100;
    case DatePart::kInvalid: return std::nullopt;
    default: {
      int64_t unit = FixedUnitTicks(part);
      return FloorDivide(left, unit) - FloorDivide(right, unit);
    }
  }
}

enum class Boundary { kDay, kWeek, kMonth, kYear };

// The first tick of the period containing `ticks`, moved by `offset` periods.
int64_t StartOfPeriod(Boundary boundary, int64_t ticks, int64_t offset) {
  switch (boundary) {
    case Boundary::kDay: return (DayNumber(ticks) + offset) * kTicksPerDay;
    case Boundary::kWeek: return (WeekStartDay(DayNumber(ticks)) + offset * 7) * kTicksPerDay;
    case Boundary::kMonth: {
      CivilTime civil = CivilFromTicks(ticks);
      int64_t month_index = civil.year * 12 + (civil.month - 1) + offset;
      int64_t year = FloorDivide(month_index, 12);
      return DaysFromCivil(year, static_cast<int>(month_index - year * 12) + 1, 1) * kTicksPerDay;
    }
    case Boundary::kYear: return DaysFromCivil(CivilFromTicks(ticks).year + offset, 1, 1) * kTicksPerDay;
  }
  return ticks;
}

// ISO 8601 week number: weeks start on Monday and week 1 holds the year's first Thursday.
int64_t IsoWeekOfYear(int64_t ticks) {
  int64_t days = DayNumber(ticks);
  int64_t iso_weekday = ((days + 3) % 7 + 7) % 7;  // Monday = 0; 1970-01-01 was a Thursday.
  int64_t thursday = days - iso_weekday + 3;
  int64_t year = CivilFromTicks(thursday * kTicksPerDay).year;
  return (thursday - DaysFromCivil(year, 1, 1)) / 7 + 1;
}

void AppendNumber(std::string& out, int64_t value, int width) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  if (value < 0) out += '-';
  for (int pad = static_cast<int>(digits.size()); pad < width; ++pad) out += '0';
  out += digits;
}

// Appends the fraction-of-second specifier ("f" or "F" repeated `count` times) for `fraction` ticks.
void AppendFraction(std::string& out, int64_t fraction, size_t count, bool trim) {
  std::string digits;
  AppendNumber(digits, fraction, 7);
  digits.resize(count);
  if (trim) {
    while (!digits.empty() && digits.back() == '0') digits.pop_back();
  }
  out += digits;
}

// Splits `pattern` into runs of one letter capped at `max_run`, calling emit(letter, count) for runs of the
// specifier letters and copying any other character.
template <typename Emit>
void WalkPattern(std::string_view pattern, std::string_view letters, std::string& out, Emit emit) {
  size_t index = 0;
  while (index < pattern.size()) {
    char letter = pattern[index];
    if (letters.find(letter) == std::string_view::npos) {
      out += letter;
      ++index;
      continue;
    }
    size_t run = 1;
    while (index + run < pattern.size() && pattern[index + run] == letter) ++run;
    size_t max_run = letter == 'f' || letter == 'F' ? 7 : letter == 'y' ? 4 : 2;
    size_t taken = std::min(run, max_run);
    if (letter == 'y' && taken == 3) taken = 2;
    emit(letter, taken);
    index += taken;
  }
}

std::string FormatDateTimePattern(int64_t ticks, std::string_view pattern) {
  CivilTime civil = CivilFromTicks(ticks);
  std::string out;
  WalkPattern(pattern, "dMyhHmsfFt", out, [&](char letter, size_t count) {
    const int width = static_cast<int>(count);
    switch (letter) {
      case 'd': AppendNumber(out, civil.day, width); break;
      case 'M': AppendNumber(out, civil.month, width); break;
      case 'y':
        if (count >= 4) {
          AppendNumber(out, civil.year, 4);
        } else {
          AppendNumber(out, civil.year % 100, width);
        }
        break;
      case 'h': AppendNumber(out, civil.hour % 12 == 0 ? 12 : civil.hour % 12, width); break;
      case 'H': AppendNumber(out, civil.hour, width); break;
      case 'm': AppendNumber(out, civil.minute, width); break;
      case 's': AppendNumber(out, civil.second, width); break;
      case 'f': AppendFraction(out, civil.fraction, count, false); break;
      case 'F': AppendFraction(out, civil.fraction, count, true); break;
      case 't': out += count == 1 ? (civil.hour < 12 ? "A" : "P") : (civil.hour < 12 ? "AM" : "PM"); break;
    }
  });
  return out;
}

std::string FormatTimeSpanPattern(int64_t ticks, std::string_view pattern) {
  std::string out;
  // Only the first specifier carries the sign; the parts are formatted from the absolute value.
  const bool negative = ticks < 0;
  const uint64_t magnitude = negative ? static_cast<uint64_t>(-(ticks + 1)) + 1 : static_cast<uint64_t>(ticks);
  const int64_t days = static_cast<int64_t>(magnitude / kTicksPerDay);
  const int64_t hours = static_cast<int64_t>(magnitude / kTicksPerHour % 24);
  const int64_t minutes = static_cast<int64_t>(magnitude / kTicksPerMinute % 60);
  const int64_t seconds = static_cast<int64_t>(magnitude / kTicksPerSecond % 60);
  const int64_t fraction = static_cast<int64_t>(magnitude % kTicksPerSecond);
  bool sign_written = !negative;
  WalkPattern(pattern, "dhHmsfF", out, [&](char letter, size_t count) {
    if (!sign_written) {
      out += '-';
      sign_written = true;
    }
    const int width = static_cast<int>(count);
    switch (letter) {
      case 'd': AppendNumber(out, days, width); break;
      case 'h':
      case 'H': AppendNumber(out, hours, width); break;
      case 'm': AppendNumber(out, minutes, width); break;
      case 's': AppendNumber(out, seconds, width); break;
      case 'f': AppendFraction(out, fraction, count, false); break;
      case 'F': AppendFraction(out, fraction, count, true); break;
    }
  });
  return out;
}

}  // namespace

void DateTimeAddKernel(const KernelCall&, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                       ColumnVector& out) {
  for (uint32_t row : rows) {
    if (AnyNull(args, row)) {
      out.SetValid(row, false);
      continue;
    }
    std::optional<int64_t> result = AddPart(ParsePart(args[0].String(row)), WholeAt(args[1], row), args[2].Int(row));
    if (result) {
      SetDateTime(out, row, *result);
    } else {
      out.SetValid(row, false);
    }
  }
}

void DateTimeDiffKernel(const KernelCall&, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                        ColumnVector& out) {
  for (uint32_t row : rows) {
    if (AnyNull(args, row)) {
      out.SetValid(row, false);
      continue;
    }
    std::optional<int64_t> result = DiffPart(ParsePart(args[0].String(row)), args[1].Int(row), args[2].Int(row));
    if (result) {
      SetInt(out, row, *result);
    } else {
      out.SetValid(row, false);
    }
  }
}

void StartEndOfKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                      ColumnVector& out) {
  std::string_view name = call.expr.function;
  const bool is_end = name.starts_with("end");
  name.remove_prefix(is_end ? 5 : 7);  // "endof" / "startof"
  const Boundary boundary = name == "day"     ? Boundary::kDay
                            : name == "week"  ? Boundary::kWeek
                            : name == "month" ? Boundary::kMonth
                                              : Boundary::kYear;
  for (uint32_t row : rows) {
    if (AnyNull(args, row)) {
      out.SetValid(row, false);
      continue;
    }
    int64_t offset = args.size() > 1 ? WholeAt(args[1], row) : 0;
    int64_t ticks = args[0].Int(row);
    int64_t result = is_end ? StartOfPeriod(boundary, ticks, offset + 1) - 1 : StartOfPeriod(boundary, ticks, offset);
    SetDateTime(out, row, result);
  }
}

void DateTimePartKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                        ColumnVector& out) {
  std::string_view name = call.expr.function;
  for (uint32_t row : rows) {
    if (args[0].IsNull(row)) {
      out.SetValid(row, false);
      continue;
    }
    const int64_t ticks = args[0].Int(row);
    int64_t result = 0;
    if (name == "dayofweek") {
      int64_t days = DayNumber(ticks);
      result = (days - WeekStartDay(days)) * kTicksPerDay;
    } else if (name == "hourofday") {
      result = CivilFromTicks(ticks).hour;
    } else if (name == "getyear") {
      result = CivilFromTicks(ticks).year;
    } else if (name == "getmonth" || name == "monthofyear") {
      result = CivilFromTicks(ticks).month;
    } else if (name == "dayofmonth") {
      result = CivilFromTicks(ticks).day;
    } else if (name == "dayofyear") {
      CivilTime civil = CivilFromTicks(ticks);
      result = DayNumber(ticks) - DaysFromCivil(civil.year, 1, 1) + 1;
    } else {
      result = IsoWeekOfYear(ticks);
    }
    SetInt(out, row, result);
  }
}

void FormatDateTimeKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                          ColumnVector& out) {
  const bool is_timespan = call.expr.function == "format_timespan";
  for (uint32_t row : rows) {
    if (args[0].IsNull(row)) {
      SetNull(out, row);
      continue;
    }
    std::string_view pattern = args[1].String(row);
    out.SetString(row, is_timespan ? FormatTimeSpanPattern(args[0].Int(row), pattern)
                                   : FormatDateTimePattern(args[0].Int(row), pattern));
  }
}

// ingestion_time(): local files carry no ingestion time, so it is null, as in a Kusto table without the
// IngestionTime policy.
void IngestionTimeKernel(const KernelCall&, std::span<const KernelArg>, std::span<const uint32_t> rows,
                         ColumnVector& out) {
  for (uint32_t row : rows) out.SetValid(row, false);
}

void MakeDateTimeKernel(const KernelCall&, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                        ColumnVector& out) {
  for (uint32_t row : rows) {
    if (AnyNull(args, row)) {
      out.SetValid(row, false);
      continue;
    }
    const int64_t year = WholeAt(args[0], row);
    const int64_t month = WholeAt(args[1], row);
    const int64_t day = WholeAt(args[2], row);
    const int64_t hour = args.size() > 3 ? WholeAt(args[3], row) : 0;
    const int64_t minute = args.size() > 4 ? WholeAt(args[4], row) : 0;
    const double second = args.size() > 5 ? args[5].Real(row) : 0.0;
    if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, static_cast<int>(month)) ||
        hour < 0 || hour > 23 || minute < 0 || minute > 59 || !(second >= 0 && second < 60)) {
      out.SetValid(row, false);
      continue;
    }
    int64_t ticks = DaysFromCivil(year, static_cast<int>(month), static_cast<int>(day)) * kTicksPerDay +
                    hour * kTicksPerHour + minute * kTicksPerMinute +
                    static_cast<int64_t>(std::llround(second * kTicksPerSecond));
    SetDateTime(out, row, ticks);
  }
}

void MakeTimeSpanKernel(const KernelCall&, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                        ColumnVector& out) {
  for (uint32_t row : rows) {
    if (AnyNull(args, row)) {
      out.SetValid(row, false);
      continue;
    }
    // (hours, minutes[, seconds]) or (days, hours, minutes, seconds).
    const size_t first = args.size() == 4 ? 1 : 0;
    const int64_t days = args.size() == 4 ? WholeAt(args[0], row) : 0;
    const int64_t hours = WholeAt(args[first], row);
    const int64_t minutes = WholeAt(args[first + 1], row);
    const double seconds = args.size() > first + 2 ? args[first + 2].Real(row) : 0.0;
    if (days < 0 || hours < 0 || hours > 23 || minutes < 0 || minutes > 59 || !(seconds >= 0 && seconds < 60)) {
      out.SetValid(row, false);
      continue;
    }
    SetInt(out, row,
           days * kTicksPerDay + hours * kTicksPerHour + minutes * kTicksPerMinute +
               static_cast<int64_t>(std::llround(seconds * kTicksPerSecond)));
  }
}

void DateTimePartByNameKernel(const KernelCall&, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                              ColumnVector& out) {
  for (uint32_t row : rows) {
    if (args[0].IsNull(row) || args[1].IsNull(row)) {
      out.SetValid(row, false);
      continue;
    }
    const std::string part = LowerAscii(args[0].String(row));
    const int64_t ticks = args[1].Int(row);
    const CivilTime civil = CivilFromTicks(ticks);
    int64_t result = 0;
    if (part == "year") {
      result = civil.year;
    } else if (part == "quarter") {
      result = (civil.month - 1) / 3 + 1;
    } else if (part == "month") {
      result = civil.month;
    } else if (part == "week_of_year" || part == "week") {
      result = IsoWeekOfYear(ticks);
    } else if (part == "day") {
      result = civil.day;
    } else if (part == "dayofyear") {
      result = DayNumber(ticks) - DaysFromCivil(civil.year, 1, 1) + 1;
    } else if (part == "hour") {
      result = civil.hour;
    } else if (part == "minute") {
      result = civil.minute;
    } else if (part == "second") {
      result = civil.second;
    } else if (part == "millisecond") {
      result = civil.fraction / kTicksPerMillisecond;
    } else if (part == "microsecond") {
      result = civil.fraction / kTicksPerMicrosecond;
    } else if (part == "nanosecond") {
      result = civil.fraction * 100;
    } else {
      throw QueryError("datetime_part: unknown part '" + std::string(args[0].String(row)) + "'");
    }
    SetInt(out, row, result);
  }
}

void UnixTimeToDateTimeKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                              ColumnVector& out) {
  const std::string_view name = call.expr.function;
  const double ticks_per_unit = name.starts_with("unixtime_seconds")        ? static_cast<double>(kTicksPerSecond)
                                : name.starts_with("unixtime_milliseconds") ? static_cast<double>(kTicksPerMillisecond)
                                : name.starts_with("unixtime_microseconds") ? static_cast<double>(kTicksPerMicrosecond)
                                                                            : 0.01;
  const bool is_real = args[0].vector->physical_type() == PhysicalType::kDouble;
  for (uint32_t row : rows) {
    if (args[0].IsNull(row)) {
      out.SetValid(row, false);
      continue;
    }
    // Integers convert exactly; reals are rounded to the tick.
    const double ticks = is_real ? std::round(args[0].Real(row) * ticks_per_unit)
                                 : static_cast<double>(args[0].Int(row)) * ticks_per_unit;
    if (!std::isfinite(ticks) || ticks < static_cast<double>(kMinDateTimeTicks) ||
        ticks > static_cast<double>(kMaxDateTimeTicks)) {
      out.SetValid(row, false);
      continue;
    }
    int64_t exact = is_real ? static_cast<int64_t>(ticks) : 0;
    if (!is_real) {
      const int64_t value = args[0].Int(row);
      exact = name.starts_with("unixtime_nanoseconds") ? FloorDivide(value, 100)
                                                       : value * static_cast<int64_t>(ticks_per_unit);
    }
    SetInt(out, row, exact);
  }
}

}  // namespace kql::exec
