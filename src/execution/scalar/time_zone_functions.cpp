// datetime_local_to_utc(local, tz) and datetime_utc_to_local(utc, tz): conversions between UTC and a time zone's
// wall clock, with the IANA time-zone database of the system (Debian's tzdata in /usr/share/zoneinfo, read by
// Howard Hinnant's date-tz). A wall-clock time that does not exist (skipped by a daylight-saving jump) or exists
// twice (repeated when the clock goes back) uses the offset in force after the transition: 02:00 on the day
// Europe/Brussels jumps from 02:00 to 03:00 is 00:00 UTC, as Microsoft's documentation shows. An unknown zone or a
// null argument gives null.
#include <date/tz.h>

#include <chrono>
#include <string>

#include "execution/scalar/scalar_kernels.h"
#include "execution/scalar/value_kernel.h"
#include "execution/layer.h"

namespace kql::exec {
namespace {

using Ticks = std::chrono::duration<int64_t, std::ratio<1, kTicksPerSecond>>;

const date::time_zone* FindZone(const std::string& name) {
  try {
    return date::locate_zone(name);
  } catch (const std::exception&) {
    return nullptr;
  }
}

Value LocalToUtc(std::span<const Value> args, KqlType) {
  if (args[0].is_null || args[1].is_null) return Value::Null(KqlType::kDateTime);
  const date::time_zone* zone = FindZone(args[1].string_value);
  if (zone == nullptr) return Value::Null(KqlType::kDateTime);
  const date::local_time<Ticks> local{Ticks{args[0].int_value}};
  const date::local_info info = zone->get_info(date::floor<std::chrono::seconds>(local));
  const std::chrono::seconds offset = info.result == date::local_info::unique ? info.first.offset : info.second.offset;
  int64_t ticks = args[0].int_value - std::chrono::duration_cast<Ticks>(offset).count();
  if (ticks < kMinDateTimeTicks || ticks > kMaxDateTimeTicks) return Value::Null(KqlType::kDateTime);
  return Value::DateTime(ticks);
}

Value UtcToLocal(std::span<const Value> args, KqlType) {
  if (args[0].is_null || args[1].is_null) return Value::Null(KqlType::kDateTime);
  const date::time_zone* zone = FindZone(args[1].string_value);
  if (zone == nullptr) return Value::Null(KqlType::kDateTime);
  const date::sys_time<Ticks> utc{Ticks{args[0].int_value}};
  const date::sys_info info = zone->get_info(date::floor<std::chrono::seconds>(utc));
  int64_t ticks = args[0].int_value + std::chrono::duration_cast<Ticks>(info.offset).count();
  if (ticks < kMinDateTimeTicks || ticks > kMaxDateTimeTicks) return Value::Null(KqlType::kDateTime);
  return Value::DateTime(ticks);
}

constexpr ValueFunctionEntry kTimeZoneFunctions[] = {
    {"datetime_local_to_utc", LocalToUtc},
    {"datetime_utc_to_local", UtcToLocal},
};

}  // namespace

void TimeZoneFunctionKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                            ColumnVector& out) {
  RunValueFunction(kTimeZoneFunctions, call, args, rows, out);
}

}  // namespace kql::exec
