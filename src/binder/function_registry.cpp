// The function table: one line per function. Return types and result names were checked against Kusto's own
// binder (kqlcheck --result): abs(int) is long, hourofday is int, dayofweek is timespan, strlen(s) is named
// strlen_s, tostring(s) keeps the name s, take_any(s) keeps s, any(s) is any_s.
#include "binder/function_registry.h"

#include <algorithm>
#include <array>
#include <unordered_map>
#include "binder/layer.h"

namespace kql::binder {
namespace {

using FC = FunctionClass;
using RR = ReturnRule;
using NR = NameRule;
using T = KqlType;

// clang-format off
constexpr FunctionSignature kFunctions[] = {
  // Predicates and conditionals.
  {"isempty", FC::kScalar, 1, 1, "a", RR::kFixed, T::kBool, NR::kNone, "", "True when the value is null or an empty string."},
  {"isnotempty", FC::kScalar, 1, 1, "a", RR::kFixed, T::kBool, NR::kNone, "", "True when the value is neither null nor empty."},
  {"isnull", FC::kScalar, 1, 1, "a", RR::kFixed, T::kBool, NR::kNone, "", "True when the value is null."},
  {"isnotnull", FC::kScalar, 1, 1, "a", RR::kFixed, T::kBool, NR::kNone, "", "True when the value is not null."},
  {"not", FC::kScalar, 1, 1, "b", RR::kFixed, T::kBool, NR::kNone, "", "Logical negation."},
  {"iff", FC::kScalar, 3, 3, "baa", RR::kIff, T::kUnknown, NR::kNone, "", "iff(p, a, b): a when p is true, else b."},
  {"case", FC::kScalar, 3, -1, "ba", RR::kCase, T::kUnknown, NR::kNone, "", "case(p1, v1, ..., else): the first value whose predicate is true."},
  {"coalesce", FC::kScalar, 1, -1, "a", RR::kCommonArgs, T::kUnknown, NR::kNone, "", "The first non-null (non-empty) argument."},
  // Strings.
  {"strcat", FC::kScalar, 1, 64, "a", RR::kFixed, T::kString, NR::kNone, "", "Concatenates 1 to 64 arguments converted to strings."},
  {"strcat_delim", FC::kScalar, 2, -1, "sa", RR::kFixed, T::kString, NR::kNone, "", "Concatenates the arguments with a delimiter."},
  {"strlen", FC::kScalar, 1, 1, "s", RR::kFixed, T::kLong, NR::kNameAndArgument, "", "Length of a string in characters."},
  {"tolower", FC::kScalar, 1, 1, "s", RR::kFixed, T::kString, NR::kNone, "", "Lowercase form of a string."},
  {"toupper", FC::kScalar, 1, 1, "s", RR::kFixed, T::kString, NR::kNone, "", "Uppercase form of a string."},
  {"substring", FC::kScalar, 2, 3, "snn", RR::kFixed, T::kString, NR::kNone, "", "substring(s, start[, length])."},
  {"indexof", FC::kScalar, 2, 5, "ssnnn", RR::kFixed, T::kLong, NR::kNone, "", "Zero-based index of a substring, or -1."},
  {"trim", FC::kScalar, 2, 2, "ss", RR::kFixed, T::kString, NR::kNone, "", "trim(regex, s): removes leading and trailing matches."},
  {"trim_start", FC::kScalar, 2, 2, "ss", RR::kFixed, T::kString, NR::kNone, "", "trim_start(regex, s): removes leading matches."},
  {"trim_end", FC::kScalar, 2, 2, "ss", RR::kFixed, T::kString, NR::kNone, "", "trim_end(regex, s): removes trailing matches."},
  {"replace_string", FC::kScalar, 3, 3, "sss", RR::kFixed, T::kString, NR::kNone, "", "Replaces every occurrence of a substring."},
  {"replace_regex", FC::kScalar, 3, 3, "sss", RR::kFixed, T::kString, NR::kNone, "", "Replaces every regex match (alias: replace)."},
  {"split", FC::kScalar, 2, 3, "ssn", RR::kFixed, T::kDynamic, NR::kFirstArgument, "", "Splits a string into a dynamic array."},
  {"extract", FC::kScalar, 3, 4, "snsa", RR::kFixed, T::kString, NR::kNone, "", "extract(regex, group, s): a captured group."},
  {"extract_all", FC::kScalar, 2, 3, "sas", RR::kFixed, T::kDynamic, NR::kNone, "", "All regex matches as a dynamic array."},
  {"countof", FC::kScalar, 2, 3, "sss", RR::kFixed, T::kLong, NR::kNone, "", "Counts occurrences of a substring or regex."},
  {"reverse", FC::kScalar, 1, 1, "a", RR::kFixed, T::kString, NR::kNone, "", "Reverses a string."},
  {"url_decode", FC::kScalar, 1, 1, "s", RR::kFixed, T::kString, NR::kNone, "", "Decodes a URL-encoded string."},
  {"base64_decode_tostring", FC::kScalar, 1, 1, "s", RR::kFixed, T::kString, NR::kNone, "", "Decodes base64 to a UTF-8 string."},
  {"hash_sha256", FC::kScalar, 1, 1, "a", RR::kFixed, T::kString, NR::kNone, "", "SHA-256 of the value as hex."},
  {"url_encode", FC::kScalar, 1, 1, "s", RR::kFixed, T::kString, NR::kNone, "", "URL-encodes a string."},
  {"base64_encode_tostring", FC::kScalar, 1, 1, "s", RR::kFixed, T::kString, NR::kNone, "", "Encodes a string as base64."},
  {"strrep", FC::kScalar, 2, 3, "ans", RR::kFixed, T::kString, NR::kNone, "", "strrep(value, n[, delimiter]): repeats a string."},
  {"translate", FC::kScalar, 3, 3, "sss", RR::kFixed, T::kString, NR::kNone, "", "translate(search, replacement, text): replaces characters one for one."},
  {"strcmp", FC::kScalar, 2, 2, "ss", RR::kFixed, T::kInt, NR::kNone, "", "Ordinal comparison of two strings: -1, 0 or 1."},
  {"isascii", FC::kScalar, 1, 1, "s", RR::kFixed, T::kBool, NR::kNone, "", "True when every character is ASCII."},
  {"isutf8", FC::kScalar, 1, 1, "s", RR::kFixed, T::kBool, NR::kNone, "", "True when the string is valid UTF-8."},
  {"replace_strings", FC::kScalar, 3, 3, "syy", RR::kFixed, T::kString, NR::kNone, "", "Replaces several lookups at once; earlier lookups win."},
  {"regex_quote", FC::kScalar, 1, 1, "s", RR::kFixed, T::kString, NR::kNone, "", "Escapes regular-expression metacharacters."},
  {"parse_url", FC::kScalar, 1, 1, "s", RR::kFixed, T::kDynamic, NR::kNone, "", "The parts of an absolute URL as a bag (Scheme, Host, Port, Path, ...)."},
  {"parse_urlquery", FC::kScalar, 1, 1, "s", RR::kFixed, T::kDynamic, NR::kNone, "", "A URL query string as {\"Query Parameters\": {...}}."},
  {"extract_json", FC::kScalar, 2, 3, "ssa", RR::kFixed, T::kString, NR::kNone, "", "extract_json(path, json[, typeof(T)]): the element at a JSONPath (alias: extractjson)."},
  {"new_guid", FC::kScalar, 0, 0, "", RR::kFixed, T::kGuid, NR::kNone, "", "A random guid."},
  {"base64_encode_fromguid", FC::kScalar, 1, 1, "a", RR::kFixed, T::kString, NR::kNone, "", "Base64 of a guid's 16 bytes."},
  {"base64_decode_toguid", FC::kScalar, 1, 1, "s", RR::kFixed, T::kGuid, NR::kNone, "", "A guid from base64 of its 16 bytes."},
  {"base64_decode_toarray", FC::kScalar, 1, 1, "s", RR::kFixed, T::kDynamic, NR::kNone, "", "Base64-decoded bytes as an array of longs."},
  {"base64_encode_fromarray", FC::kScalar, 1, 1, "y", RR::kFixed, T::kString, NR::kNone, "", "Base64 of an array of bytes."},
  {"zlib_compress_to_base64_string", FC::kScalar, 1, 1, "s", RR::kFixed, T::kString, NR::kNone, "", "zlib-compresses a string and encodes it as base64."},
  {"zlib_decompress_from_base64_string", FC::kScalar, 1, 1, "s", RR::kFixed, T::kString, NR::kNone, "", "Decodes base64 and zlib-decompresses it."},
  {"gzip_compress_to_base64_string", FC::kScalar, 1, 1, "s", RR::kFixed, T::kString, NR::kNone, "", "gzip-compresses a string and encodes it as base64."},
  {"gzip_decompress_from_base64_string", FC::kScalar, 1, 1, "s", RR::kFixed, T::kString, NR::kNone, "", "Decodes base64 and gzip-decompresses it."},
  {"hash", FC::kScalar, 1, 2, "an", RR::kFixed, T::kLong, NR::kNone, "", "XXH64 hash of a value as a long, optionally modulo n."},
  {"hash_xxhash64", FC::kScalar, 1, 2, "an", RR::kFixed, T::kLong, NR::kNone, "", "XXH64 hash of a value as a long, optionally modulo n."},
  {"hash_md5", FC::kScalar, 1, 1, "a", RR::kFixed, T::kString, NR::kNone, "", "MD5 of the value's text as hex."},
  {"hash_sha1", FC::kScalar, 1, 1, "a", RR::kFixed, T::kString, NR::kNone, "", "SHA-1 of the value's text as hex."},
  {"unicode_codepoints_from_string", FC::kScalar, 1, 1, "s", RR::kFixed, T::kDynamic, NR::kNone, "", "The string's Unicode code points as an array."},
  {"unicode_codepoints_to_string", FC::kScalar, 1, -1, "n", RR::kFixed, T::kString, NR::kNone, "", "A string from code points (numbers or arrays of numbers)."},
  {"to_utf8", FC::kScalar, 1, 1, "s", RR::kFixed, T::kDynamic, NR::kNone, "", "The UTF-8 bytes of a string as an array of longs."},
  {"indexof_regex", FC::kScalar, 2, 5, "ssnnn", RR::kFixed, T::kLong, NR::kNone, "", "Zero-based index of a regex match, or -1; the occurrences do not overlap."},
  {"parse_xml", FC::kScalar, 1, 1, "s", RR::kFixed, T::kDynamic, NR::kNone, "", "XML text as a dynamic value (attributes as @name, text as #text); null when invalid."},
  {"parse_path", FC::kScalar, 1, 1, "s", RR::kFixed, T::kDynamic, NR::kNone, "", "The parts of a file path as a bag (Scheme, RootPath, DirectoryPath, DirectoryName, Filename, Extension, AlternateDataStreamName)."},
  {"parse_command_line", FC::kScalar, 2, 2, "ss", RR::kFixed, T::kDynamic, NR::kNone, "", "parse_command_line(command_line, \"windows\"): the arguments as Windows splits them."},
  {"ingestion_time", FC::kScalar, 0, 0, "", RR::kFixed, T::kDateTime, NR::kNone, "", "When the record was ingested: always null for local files (they carry no ingestion time)."},
  // Conversions.
  {"tostring", FC::kScalar, 1, 1, "a", RR::kFixed, T::kString, NR::kFirstArgument, "", "Converts to string; null becomes empty."},
  {"toint", FC::kScalar, 1, 1, "a", RR::kFixed, T::kInt, NR::kFirstArgument, "", "Converts to int, null when impossible."},
  {"tolong", FC::kScalar, 1, 1, "a", RR::kFixed, T::kLong, NR::kFirstArgument, "", "Converts to long, null when impossible."},
  {"todouble", FC::kScalar, 1, 1, "a", RR::kFixed, T::kReal, NR::kFirstArgument, "", "Converts to real (alias: toreal)."},
  {"todecimal", FC::kScalar, 1, 1, "a", RR::kFixed, T::kReal, NR::kFirstArgument, "", "Converts to decimal (approximated as real)."},
  {"tobool", FC::kScalar, 1, 1, "a", RR::kFixed, T::kBool, NR::kFirstArgument, "", "Converts to bool (alias: toboolean)."},
  {"todatetime", FC::kScalar, 1, 1, "a", RR::kFixed, T::kDateTime, NR::kFirstArgument, "", "Converts to datetime."},
  {"totimespan", FC::kScalar, 1, 1, "a", RR::kFixed, T::kTimeSpan, NR::kFirstArgument, "", "Converts to timespan."},
  {"toguid", FC::kScalar, 1, 1, "a", RR::kFixed, T::kGuid, NR::kFirstArgument, "", "Converts to guid."},
  {"todynamic", FC::kScalar, 1, 1, "a", RR::kFixed, T::kDynamic, NR::kFirstArgument, "", "Parses JSON text to dynamic (alias: parse_json)."},
  {"tohex", FC::kScalar, 1, 2, "nn", RR::kFixed, T::kString, NR::kNone, "", "Hexadecimal text of an integer."},
  // Numbers.
  {"bin", FC::kScalar, 2, 2, "aa", RR::kFirstArg, T::kUnknown, NR::kFirstArgument, "", "Rounds down to a multiple of the bin size (alias: floor)."},
  {"abs", FC::kScalar, 1, 1, "a", RR::kFirstArgWidened, T::kUnknown, NR::kFirstArgument, "", "Absolute value."},
  {"round", FC::kScalar, 1, 2, "nn", RR::kFirstArgWidened, T::kUnknown, NR::kFirstArgument, "", "Rounds to a number of decimals."},
  {"ceiling", FC::kScalar, 1, 1, "n", RR::kFirstArgWidened, T::kUnknown, NR::kFirstArgument, "", "Smallest integer not less than the value."},
  {"sqrt", FC::kScalar, 1, 1, "n", RR::kFixed, T::kReal, NR::kFirstArgument, "", "Square root."},
  {"log", FC::kScalar, 1, 1, "n", RR::kFixed, T::kReal, NR::kFirstArgument, "", "Natural logarithm."},
  {"log10", FC::kScalar, 1, 1, "n", RR::kFixed, T::kReal, NR::kFirstArgument, "", "Base-10 logarithm."},
  {"exp", FC::kScalar, 1, 1, "n", RR::kFixed, T::kReal, NR::kFirstArgument, "", "e raised to the value."},
  {"pow", FC::kScalar, 2, 2, "nn", RR::kFixed, T::kReal, NR::kNone, "", "pow(base, exponent)."},
  {"isnan", FC::kScalar, 1, 1, "n", RR::kFixed, T::kBool, NR::kNone, "", "True for NaN."},
  {"isinf", FC::kScalar, 1, 1, "n", RR::kFixed, T::kBool, NR::kNone, "", "True for infinities."},
  {"min_of", FC::kScalar, 1, -1, "a", RR::kCommonArgs, T::kUnknown, NR::kNone, "", "The smallest argument."},
  {"max_of", FC::kScalar, 1, -1, "a", RR::kCommonArgs, T::kUnknown, NR::kNone, "", "The largest argument."},
  {"bin_at", FC::kScalar, 3, 3, "aaa", RR::kFirstArg, T::kUnknown, NR::kFirstArgument, "", "bin_at(value, size, fixed_point): bins aligned on a fixed point."},
  {"isfinite", FC::kScalar, 1, 1, "n", RR::kFixed, T::kBool, NR::kNone, "", "True for finite numbers."},
  {"sign", FC::kScalar, 1, 1, "n", RR::kFixed, T::kReal, NR::kNone, "", "-1, 0 or 1 by the sign of the value."},
  {"log2", FC::kScalar, 1, 1, "n", RR::kFixed, T::kReal, NR::kFirstArgument, "", "Base-2 logarithm."},
  {"exp2", FC::kScalar, 1, 1, "n", RR::kFixed, T::kReal, NR::kFirstArgument, "", "2 raised to the value."},
  {"exp10", FC::kScalar, 1, 1, "n", RR::kFixed, T::kReal, NR::kFirstArgument, "", "10 raised to the value."},
  {"sin", FC::kScalar, 1, 1, "n", RR::kFixed, T::kReal, NR::kNone, "", "Sine (radians)."},
  {"cos", FC::kScalar, 1, 1, "n", RR::kFixed, T::kReal, NR::kNone, "", "Cosine (radians)."},
  {"tan", FC::kScalar, 1, 1, "n", RR::kFixed, T::kReal, NR::kNone, "", "Tangent (radians)."},
  {"asin", FC::kScalar, 1, 1, "n", RR::kFixed, T::kReal, NR::kNone, "", "Arc sine in radians."},
  {"acos", FC::kScalar, 1, 1, "n", RR::kFixed, T::kReal, NR::kNone, "", "Arc cosine in radians."},
  {"atan", FC::kScalar, 1, 1, "n", RR::kFixed, T::kReal, NR::kNone, "", "Arc tangent in radians."},
  {"cot", FC::kScalar, 1, 1, "n", RR::kFixed, T::kReal, NR::kNone, "", "Cotangent (radians)."},
  {"degrees", FC::kScalar, 1, 1, "n", RR::kFixed, T::kReal, NR::kNone, "", "Radians to degrees."},
  {"radians", FC::kScalar, 1, 1, "n", RR::kFixed, T::kReal, NR::kNone, "", "Degrees to radians."},
  {"gamma", FC::kScalar, 1, 1, "n", RR::kFixed, T::kReal, NR::kNone, "", "The gamma function."},
  {"loggamma", FC::kScalar, 1, 1, "n", RR::kFixed, T::kReal, NR::kNone, "", "Natural log of the absolute gamma function."},
  {"atan2", FC::kScalar, 2, 2, "nn", RR::kFixed, T::kReal, NR::kNone, "", "atan2(y, x): the angle of the point (x, y) in radians."},
  {"pi", FC::kScalar, 0, 0, "", RR::kFixed, T::kReal, NR::kNone, "", "The constant pi."},
  {"erf", FC::kScalar, 1, 1, "n", RR::kFixed, T::kReal, NR::kNone, "", "The error function."},
  {"erfc", FC::kScalar, 1, 1, "n", RR::kFixed, T::kReal, NR::kNone, "", "The complementary error function."},
  {"binary_and", FC::kScalar, 2, 2, "nn", RR::kFixed, T::kLong, NR::kNone, "", "Bitwise AND of two integers."},
  {"binary_or", FC::kScalar, 2, 2, "nn", RR::kFixed, T::kLong, NR::kNone, "", "Bitwise OR of two integers."},
  {"binary_xor", FC::kScalar, 2, 2, "nn", RR::kFixed, T::kLong, NR::kNone, "", "Bitwise XOR of two integers."},
  {"binary_not", FC::kScalar, 1, 1, "n", RR::kFixed, T::kLong, NR::kNone, "", "Bitwise NOT of an integer."},
  {"binary_shift_left", FC::kScalar, 2, 2, "nn", RR::kFixed, T::kLong, NR::kNone, "", "Shifts an integer left by n bits."},
  {"binary_shift_right", FC::kScalar, 2, 2, "nn", RR::kFixed, T::kLong, NR::kNone, "", "Shifts an integer right by n bits (arithmetic)."},
  {"bitset_count_ones", FC::kScalar, 1, 1, "n", RR::kFixed, T::kLong, NR::kNone, "", "Number of set bits of an integer."},
  {"around", FC::kScalar, 3, 3, "aaa", RR::kFixed, T::kBool, NR::kNone, "", "around(value, center, delta): true when value is within delta of center."},
  {"format_bytes", FC::kScalar, 1, 3, "nns", RR::kFixed, T::kString, NR::kNone, "", "A byte count as text with a unit: format_bytes(20010332, 2) is \"19.08 MB\"."},
  // Date and time. now and ago are folded to constants by the binder.
  {"now", FC::kScalar, 0, 1, "t", RR::kFixed, T::kDateTime, NR::kNone, "", "The query's start time plus an optional offset."},
  {"ago", FC::kScalar, 1, 1, "t", RR::kFixed, T::kDateTime, NR::kNone, "", "The query's start time minus a timespan."},
  {"datetime_add", FC::kScalar, 3, 3, "snd", RR::kFixed, T::kDateTime, NR::kNone, "", "datetime_add(part, amount, datetime)."},
  {"datetime_diff", FC::kScalar, 3, 3, "sdd", RR::kFixed, T::kLong, NR::kNone, "", "datetime_diff(part, a, b): a - b in parts."},
  {"startofday", FC::kScalar, 1, 2, "dn", RR::kFixed, T::kDateTime, NR::kFirstArgument, "", "Start of the day."},
  {"startofweek", FC::kScalar, 1, 2, "dn", RR::kFixed, T::kDateTime, NR::kFirstArgument, "", "Start of the week (Sunday)."},
  {"startofmonth", FC::kScalar, 1, 2, "dn", RR::kFixed, T::kDateTime, NR::kFirstArgument, "", "Start of the month."},
  {"startofyear", FC::kScalar, 1, 2, "dn", RR::kFixed, T::kDateTime, NR::kFirstArgument, "", "Start of the year."},
  {"endofday", FC::kScalar, 1, 2, "dn", RR::kFixed, T::kDateTime, NR::kFirstArgument, "", "Last tick of the day."},
  {"dayofweek", FC::kScalar, 1, 1, "d", RR::kFixed, T::kTimeSpan, NR::kNone, "", "Days since the preceding Sunday, as a timespan."},
  {"hourofday", FC::kScalar, 1, 1, "d", RR::kFixed, T::kInt, NR::kNone, "", "Hour of the day, 0..23."},
  {"getyear", FC::kScalar, 1, 1, "d", RR::kFixed, T::kInt, NR::kNone, "", "Year of a datetime."},
  {"getmonth", FC::kScalar, 1, 1, "d", RR::kFixed, T::kInt, NR::kNone, "", "Month of a datetime, 1..12."},
  {"dayofmonth", FC::kScalar, 1, 1, "d", RR::kFixed, T::kInt, NR::kNone, "", "Day of the month, 1..31."},
  {"format_datetime", FC::kScalar, 2, 2, "ds", RR::kFixed, T::kString, NR::kFirstArgument, "", "Formats a datetime with a pattern."},
  {"format_timespan", FC::kScalar, 2, 2, "ts", RR::kFixed, T::kString, NR::kNone, "", "Formats a timespan with a pattern."},
  {"endofweek", FC::kScalar, 1, 2, "dn", RR::kFixed, T::kDateTime, NR::kNone, "", "Last tick of the week (Saturday)."},
  {"endofmonth", FC::kScalar, 1, 2, "dn", RR::kFixed, T::kDateTime, NR::kNone, "", "Last tick of the month."},
  {"endofyear", FC::kScalar, 1, 2, "dn", RR::kFixed, T::kDateTime, NR::kNone, "", "Last tick of the year."},
  {"dayofyear", FC::kScalar, 1, 1, "d", RR::kFixed, T::kInt, NR::kNone, "", "Day of the year, 1..366."},
  {"monthofyear", FC::kScalar, 1, 1, "d", RR::kFixed, T::kInt, NR::kNone, "", "Month of a datetime, 1..12."},
  {"week_of_year", FC::kScalar, 1, 1, "d", RR::kFixed, T::kInt, NR::kNone, "", "ISO 8601 week number (alias: weekofyear)."},
  {"make_datetime", FC::kScalar, 3, 6, "n", RR::kFixed, T::kDateTime, NR::kNone, "", "make_datetime(year, month, day[, hour, minute, second])."},
  {"make_timespan", FC::kScalar, 2, 4, "n", RR::kFixed, T::kTimeSpan, NR::kNone, "", "make_timespan([days,] hours, minutes[, seconds])."},
  {"datetime_part", FC::kScalar, 2, 2, "sd", RR::kFixed, T::kInt, NR::kNone, "", "datetime_part(part, datetime): one calendar part as an int."},
  {"unixtime_seconds_todatetime", FC::kScalar, 1, 1, "n", RR::kFixed, T::kDateTime, NR::kNone, "", "A datetime from seconds since 1970."},
  {"unixtime_milliseconds_todatetime", FC::kScalar, 1, 1, "n", RR::kFixed, T::kDateTime, NR::kNone, "", "A datetime from milliseconds since 1970."},
  {"unixtime_microseconds_todatetime", FC::kScalar, 1, 1, "n", RR::kFixed, T::kDateTime, NR::kNone, "", "A datetime from microseconds since 1970."},
  {"unixtime_nanoseconds_todatetime", FC::kScalar, 1, 1, "n", RR::kFixed, T::kDateTime, NR::kNone, "", "A datetime from nanoseconds since 1970."},
  // Dynamic.
  {"array_length", FC::kScalar, 1, 1, "y", RR::kFixed, T::kLong, NR::kNone, "", "Number of elements of a dynamic array."},
  {"string_size", FC::kScalar, 1, 1, "a", RR::kFixed, T::kLong, NR::kNone, "", "Size of a string in UTF-8 bytes."},
  {"strcat_array", FC::kScalar, 2, 2, "ya", RR::kFixed, T::kString, NR::kNone, "", "Joins an array's elements with a delimiter."},
  {"array_sum", FC::kScalar, 1, 1, "y", RR::kFixed, T::kReal, NR::kNone, "", "Sum of a numeric array as real, null when empty."},
  {"array_reverse", FC::kScalar, 1, 1, "y", RR::kFixed, T::kDynamic, NR::kNone, "", "The array's elements in reverse order."},
  {"array_sort_asc", FC::kScalar, 1, -1, "ya", RR::kFixed, T::kDynamic, NR::kNone, "", "Sorts an array ascending (nulls last unless nulls_last is false)."},
  {"array_sort_desc", FC::kScalar, 1, -1, "ya", RR::kFixed, T::kDynamic, NR::kNone, "", "Sorts an array descending (nulls last unless nulls_last is false)."},
  {"pack_array", FC::kScalar, 1, -1, "a", RR::kFixed, T::kDynamic, NR::kNone, "", "A dynamic array of the arguments."},
  {"bag_pack", FC::kScalar, 0, -1, "sa", RR::kFixed, T::kDynamic, NR::kNone, "", "A property bag from key/value pairs (alias: pack)."},
  {"bag_keys", FC::kScalar, 1, 1, "y", RR::kFixed, T::kDynamic, NR::kNone, "", "The keys of a property bag."},
  {"typeof", FC::kScalar, 1, 1, "a", RR::kFixed, T::kString, NR::kNone, "", "The type name of a value."},
  {"gettype", FC::kScalar, 1, 1, "a", RR::kFixed, T::kString, NR::kPrefixAndArgument, "type", "The type name of a value."},
  {"bag_has_key", FC::kScalar, 2, 2, "ys", RR::kFixed, T::kBool, NR::kNone, "", "True when a bag has a key or JSONPath."},
  {"array_concat", FC::kScalar, 1, -1, "y", RR::kFixed, T::kDynamic, NR::kNone, "", "Concatenates dynamic arrays."},
  {"array_slice", FC::kScalar, 3, 3, "ynn", RR::kFixed, T::kDynamic, NR::kNone, "", "array_slice(a, start, end), inclusive."},
  {"array_index_of", FC::kScalar, 2, 5, "yannn", RR::kFixed, T::kLong, NR::kNone, "", "Index of a value in an array, or -1."},
  {"set_has_element", FC::kScalar, 2, 2, "ya", RR::kFixed, T::kBool, NR::kNone, "", "True when an array holds a value."},
  {"set_union", FC::kScalar, 2, -1, "y", RR::kFixed, T::kDynamic, NR::kNone, "", "Distinct elements of all arrays."},
  {"set_intersect", FC::kScalar, 2, -1, "y", RR::kFixed, T::kDynamic, NR::kNone, "", "Distinct elements present in every array."},
  {"zip", FC::kScalar, 2, -1, "y", RR::kFixed, T::kDynamic, NR::kNone, "", "Pairs arrays element by element."},
  {"set_difference", FC::kScalar, 2, -1, "y", RR::kFixed, T::kDynamic, NR::kNone, "", "Distinct elements of the first array missing from every other one."},
  {"jaccard_index", FC::kScalar, 2, 2, "yy", RR::kFixed, T::kReal, NR::kNone, "", "Size of the intersection over size of the union of two sets."},
  {"bag_merge", FC::kScalar, 1, 64, "y", RR::kFixed, T::kDynamic, NR::kNone, "", "Merges bags; the first bag's value wins."},
  {"bag_remove_keys", FC::kScalar, 2, 2, "yy", RR::kFixed, T::kDynamic, NR::kNone, "", "The bag without the given keys or JSONPaths."},
  {"bag_set_key", FC::kScalar, 3, 3, "ysa", RR::kFixed, T::kDynamic, NR::kNone, "", "The bag with a key or JSONPath set to a value."},
  {"bag_zip", FC::kScalar, 2, 2, "yy", RR::kFixed, T::kDynamic, NR::kNone, "", "A bag from an array of keys and an array of values."},
  {"dynamic_to_json", FC::kScalar, 1, 1, "a", RR::kFixed, T::kString, NR::kNone, "", "Canonical JSON text (bag keys sorted)."},
  {"treepath", FC::kScalar, 1, 1, "y", RR::kFixed, T::kDynamic, NR::kNone, "", "Every path of a dynamic value."},
  {"array_iff", FC::kScalar, 3, 3, "yaa", RR::kFixed, T::kDynamic, NR::kNone, "", "Element-wise iff over an array of conditions."},
  {"array_rotate_left", FC::kScalar, 2, 2, "yn", RR::kFixed, T::kDynamic, NR::kNone, "", "Rotates an array left by n."},
  {"array_rotate_right", FC::kScalar, 2, 2, "yn", RR::kFixed, T::kDynamic, NR::kNone, "", "Rotates an array right by n."},
  {"array_shift_left", FC::kScalar, 2, 3, "yna", RR::kFixed, T::kDynamic, NR::kNone, "", "Shifts an array left by n, filling with a value (null)."},
  {"array_shift_right", FC::kScalar, 2, 3, "yna", RR::kFixed, T::kDynamic, NR::kNone, "", "Shifts an array right by n, filling with a value (null)."},
  {"array_split", FC::kScalar, 2, 2, "ya", RR::kFixed, T::kDynamic, NR::kNone, "", "Splits an array at indexes."},
  {"range", FC::kScalar, 2, 3, "aaa", RR::kFixed, T::kDynamic, NR::kNone, "", "range(start, stop[, step]): an array of values."},
  // IP addresses.
  {"ipv4_is_in_range", FC::kScalar, 2, 2, "ss", RR::kFixed, T::kBool, NR::kNone, "", "True when an IPv4 address is in a CIDR range."},
  {"ipv4_is_in_any_range", FC::kScalar, 2, -1, "sa", RR::kFixed, T::kBool, NR::kNone, "", "True when an IPv4 address is in any range."},
  {"ipv4_is_private", FC::kScalar, 1, 1, "s", RR::kFixed, T::kBool, NR::kNone, "", "True for RFC 1918 addresses."},
  {"parse_ipv4", FC::kScalar, 1, 1, "s", RR::kFixed, T::kLong, NR::kNone, "", "An IPv4 address as a long."},
  {"parse_ipv4_mask", FC::kScalar, 2, 2, "sn", RR::kFixed, T::kLong, NR::kNone, "", "An IPv4 address masked to a prefix, as a long."},
  {"ipv4_compare", FC::kScalar, 2, 3, "ssn", RR::kFixed, T::kLong, NR::kNone, "", "Compares two IPv4 addresses: -1, 0 or 1."},
  {"ipv4_is_match", FC::kScalar, 2, 3, "ssn", RR::kFixed, T::kBool, NR::kNone, "", "True when two IPv4 addresses match under a prefix."},
  {"has_ipv4", FC::kScalar, 2, 2, "ss", RR::kFixed, T::kBool, NR::kNone, "", "True when the text contains the IPv4 address, properly delimited."},
  {"has_ipv4_prefix", FC::kScalar, 2, 2, "ss", RR::kFixed, T::kBool, NR::kNone, "", "True when the text contains an IPv4 address with the prefix."},
  {"has_any_ipv4", FC::kScalar, 2, -1, "sa", RR::kFixed, T::kBool, NR::kNone, "", "True when the text contains any of the IPv4 addresses."},
  {"has_any_ipv4_prefix", FC::kScalar, 2, -1, "sa", RR::kFixed, T::kBool, NR::kNone, "", "True when the text contains an IPv4 address with any of the prefixes."},
  {"format_ipv4", FC::kScalar, 1, 2, "an", RR::kFixed, T::kString, NR::kNone, "", "An IPv4 address (text or long) as dotted text, masked to a prefix."},
  {"format_ipv4_mask", FC::kScalar, 1, 2, "an", RR::kFixed, T::kString, NR::kNone, "", "An IPv4 address as CIDR text a.b.c.d/prefix."},
  {"ipv4_netmask_suffix", FC::kScalar, 1, 1, "s", RR::kFixed, T::kLong, NR::kNone, "", "The prefix length of an IPv4 address (32 when absent)."},
  {"ipv4_range_to_cidr_list", FC::kScalar, 2, 2, "ss", RR::kFixed, T::kDynamic, NR::kNone, "", "The CIDR blocks covering an IPv4 range."},
  {"parse_ipv6", FC::kScalar, 1, 1, "s", RR::kFixed, T::kString, NR::kNone, "", "An IPv6 or IPv4 address in canonical IPv6 form."},
  {"parse_ipv6_mask", FC::kScalar, 2, 2, "sn", RR::kFixed, T::kString, NR::kNone, "", "An IPv6 address masked to a prefix, in canonical form."},
  {"ipv6_compare", FC::kScalar, 2, 3, "ssn", RR::kFixed, T::kLong, NR::kNone, "", "Compares two IPv6 addresses: -1, 0 or 1."},
  {"ipv6_is_match", FC::kScalar, 2, 3, "ssn", RR::kFixed, T::kBool, NR::kNone, "", "True when two IPv6 addresses match under a prefix."},
  {"ipv6_is_in_range", FC::kScalar, 2, 2, "ss", RR::kFixed, T::kBool, NR::kNone, "", "True when an IPv6 address is in a CIDR range."},
  {"ipv6_is_in_any_range", FC::kScalar, 2, -1, "sa", RR::kFixed, T::kBool, NR::kNone, "", "True when an IPv6 address is in any range."},
  // Aggregates.
  {"count", FC::kAggregate, 0, 1, "a", RR::kFixed, T::kLong, NR::kPrefixAndArgument, "count", "Number of rows (count(x) counts rows too, as Microsoft's engine does)."},
  {"countif", FC::kAggregate, 1, 1, "b", RR::kFixed, T::kLong, NR::kPrefixAndArgument, "countif", "Number of rows where the predicate is true."},
  {"dcount", FC::kAggregate, 1, 2, "an", RR::kFixed, T::kLong, NR::kPrefixAndArgument, "dcount", "Number of distinct values."},
  {"dcountif", FC::kAggregate, 2, 3, "abn", RR::kFixed, T::kLong, NR::kPrefixAndArgument, "dcountif", "Distinct values where the predicate is true."},
  {"count_distinct", FC::kAggregate, 1, 1, "a", RR::kFixed, T::kLong, NR::kPrefixAndArgument, "count_distinct", "Exact number of distinct values."},
  {"sum", FC::kAggregate, 1, 1, "a", RR::kFirstArgWidened, T::kUnknown, NR::kPrefixAndArgument, "sum", "Sum of the values."},
  {"sumif", FC::kAggregate, 2, 2, "ab", RR::kFirstArgWidened, T::kUnknown, NR::kPrefixAndArgument, "sumif", "Sum where the predicate is true."},
  {"avg", FC::kAggregate, 1, 1, "a", RR::kFixed, T::kReal, NR::kPrefixAndArgument, "avg", "Average of the values."},
  {"avgif", FC::kAggregate, 2, 2, "ab", RR::kFixed, T::kReal, NR::kPrefixAndArgument, "avgif", "Average where the predicate is true."},
  {"min", FC::kAggregate, 1, 1, "a", RR::kFirstArg, T::kUnknown, NR::kPrefixAndArgument, "min", "Smallest value."},
  {"max", FC::kAggregate, 1, 1, "a", RR::kFirstArg, T::kUnknown, NR::kPrefixAndArgument, "max", "Largest value."},
  {"minif", FC::kAggregate, 2, 2, "ab", RR::kFirstArg, T::kUnknown, NR::kPrefixAndArgument, "minif", "Smallest value where the predicate is true."},
  {"maxif", FC::kAggregate, 2, 2, "ab", RR::kFirstArg, T::kUnknown, NR::kPrefixAndArgument, "maxif", "Largest value where the predicate is true."},
  {"make_set", FC::kAggregate, 1, 2, "an", RR::kFixed, T::kDynamic, NR::kPrefixAndArgument, "set", "Array of distinct values (alias: makeset)."},
  {"make_set_if", FC::kAggregate, 2, 3, "abn", RR::kFixed, T::kDynamic, NR::kPrefixAndArgument, "set", "make_set where the predicate is true."},
  {"make_list", FC::kAggregate, 1, 2, "an", RR::kFixed, T::kDynamic, NR::kPrefixAndArgument, "list", "Array of all values (alias: makelist)."},
  {"make_list_if", FC::kAggregate, 2, 3, "abn", RR::kFixed, T::kDynamic, NR::kPrefixAndArgument, "list", "make_list where the predicate is true."},
  {"make_bag", FC::kAggregate, 1, 2, "yn", RR::kFixed, T::kDynamic, NR::kPrefixAndArgument, "bag", "Merges property bags."},
  {"make_bag_if", FC::kAggregate, 2, 3, "ybn", RR::kFixed, T::kDynamic, NR::kPrefixAndArgument, "bag", "make_bag where the predicate is true."},
  {"arg_max", FC::kAggregate, 1, -1, "aa", RR::kFirstArg, T::kUnknown, NR::kArgument, "", "Row values where the first argument is largest."},
  {"arg_min", FC::kAggregate, 1, -1, "aa", RR::kFirstArg, T::kUnknown, NR::kArgument, "", "Row values where the first argument is smallest."},
  {"take_any", FC::kAggregate, 1, -1, "a", RR::kFirstArg, T::kUnknown, NR::kArgument, "", "Any value of the group (alias: any)."},
  {"take_anyif", FC::kAggregate, 2, 2, "ab", RR::kFirstArg, T::kUnknown, NR::kArgument, "", "Any value where the predicate is true."},
  {"stdev", FC::kAggregate, 1, 1, "n", RR::kFixed, T::kReal, NR::kPrefixAndArgument, "stdev", "Sample standard deviation."},
  {"variance", FC::kAggregate, 1, 1, "n", RR::kFixed, T::kReal, NR::kPrefixAndArgument, "variance", "Sample variance."},
  {"percentile", FC::kAggregate, 2, 2, "an", RR::kFirstArg, T::kUnknown, NR::kPrefixAndArgument, "percentile", "Nearest-rank percentile."},
  {"count_distinctif", FC::kAggregate, 2, 2, "ab", RR::kFixed, T::kLong, NR::kPrefixAndArgument, "count_distinctif", "Exact number of distinct values where the predicate is true."},
  {"stdevif", FC::kAggregate, 2, 2, "nb", RR::kFixed, T::kReal, NR::kPrefixAndArgument, "stdevif", "Sample standard deviation where the predicate is true."},
  {"varianceif", FC::kAggregate, 2, 2, "nb", RR::kFixed, T::kReal, NR::kPrefixAndArgument, "varianceif", "Sample variance where the predicate is true."},
  {"stdevp", FC::kAggregate, 1, 1, "n", RR::kFixed, T::kReal, NR::kPrefixAndArgument, "stdevp", "Population standard deviation."},
  {"variancep", FC::kAggregate, 1, 1, "n", RR::kFixed, T::kReal, NR::kPrefixAndArgument, "variancep", "Population variance."},
  {"make_list_with_nulls", FC::kAggregate, 1, 2, "an", RR::kFixed, T::kDynamic, NR::kPrefixAndArgument, "list", "Array of all values, nulls included."},
  {"percentiles", FC::kAggregate, 2, -1, "an", RR::kFirstArg, T::kUnknown, NR::kPrefixAndArgument, "percentile", "Nearest-rank percentiles, one column each."},
  {"percentiles_array", FC::kAggregate, 2, -1, "aa", RR::kFixed, T::kDynamic, NR::kPrefixAndArgument, "percentiles", "Nearest-rank percentiles as one dynamic array."},
  {"percentilew", FC::kAggregate, 3, 3, "ann", RR::kFirstArg, T::kUnknown, NR::kPrefixAndArgument, "percentile", "Weighted nearest-rank percentile."},
  {"percentilesw", FC::kAggregate, 3, -1, "ann", RR::kFirstArg, T::kUnknown, NR::kPrefixAndArgument, "percentile", "Weighted nearest-rank percentiles, one column each."},
  {"percentilesw_array", FC::kAggregate, 3, -1, "ana", RR::kFixed, T::kDynamic, NR::kPrefixAndArgument, "percentiles", "Weighted nearest-rank percentiles as one dynamic array."},
  {"hll", FC::kAggregate, 1, 2, "an", RR::kFixed, T::kDynamic, NR::kPrefixAndArgument, "hll", "Distinct-count state (exact in kqlite) for hll_merge and dcount_hll."},
  {"hll_if", FC::kAggregate, 2, 3, "abn", RR::kFixed, T::kDynamic, NR::kPrefixAndArgument, "hll_if", "hll where the predicate is true."},
  {"hll_merge", FC::kAggregate, 1, 2, "yn", RR::kFixed, T::kDynamic, NR::kPrefixAndArgument, "hll_merge", "Merges hll states."},
  {"tdigest", FC::kAggregate, 1, 2, "an", RR::kFixed, T::kDynamic, NR::kPrefixAndArgument, "tdigest", "Percentile state (exact in kqlite) for percentile_tdigest."},
  {"tdigest_merge", FC::kAggregate, 1, 1, "y", RR::kFixed, T::kDynamic, NR::kPrefixAndArgument, "merge_tdigests", "Merges tdigest states (alias: merge_tdigest)."},
  {"binary_all_and", FC::kAggregate, 1, 1, "n", RR::kFixed, T::kLong, NR::kArgument, "", "Bitwise AND of all values."},
  {"binary_all_or", FC::kAggregate, 1, 1, "n", RR::kFixed, T::kLong, NR::kArgument, "", "Bitwise OR of all values."},
  {"binary_all_xor", FC::kAggregate, 1, 1, "n", RR::kFixed, T::kLong, NR::kArgument, "", "Bitwise XOR of all values."},
  {"covariance", FC::kAggregate, 2, 2, "nn", RR::kFixed, T::kReal, NR::kPrefixAndArgument, "covariance", "Sample covariance of two series of values."},
  {"covariancep", FC::kAggregate, 2, 2, "nn", RR::kFixed, T::kReal, NR::kPrefixAndArgument, "covariancep", "Population covariance."},
  {"covarianceif", FC::kAggregate, 3, 3, "nnb", RR::kFixed, T::kReal, NR::kPrefixAndArgument, "covarianceif", "Sample covariance where the predicate is true."},
  {"argmax", FC::kAggregate, 1, -1, "aa", RR::kFirstArg, T::kUnknown, NR::kArgument, "", "Deprecated arg_max: columns max_x, max_x_c."},
  {"argmin", FC::kAggregate, 1, -1, "aa", RR::kFirstArg, T::kUnknown, NR::kArgument, "", "Deprecated arg_min: columns min_x, min_x_c."},
  {"buildschema", FC::kAggregate, 1, 1, "y", RR::kFixed, T::kDynamic, NR::kPrefixAndArgument, "schema", "The union schema of dynamic values."},
  {"dcount_hll", FC::kScalar, 1, 1, "y", RR::kFixed, T::kLong, NR::kNameAndArgument, "", "Distinct count of an hll state."},
  {"percentile_tdigest", FC::kScalar, 2, 3, "yna", RR::kFixed, T::kDynamic, NR::kNameAndArgument, "", "A percentile of a tdigest state."},
  {"percentiles_array_tdigest", FC::kScalar, 2, -1, "ya", RR::kFixed, T::kDynamic, NR::kNone, "", "Percentiles of a tdigest state as an array."},
  // Series.
  {"series_add", FC::kScalar, 2, 2, "aa", RR::kFixed, T::kDynamic, NR::kNone, "", "Element-wise sum of two series (or a series and a number)."},
  {"series_subtract", FC::kScalar, 2, 2, "aa", RR::kFixed, T::kDynamic, NR::kNone, "", "Element-wise difference."},
  {"series_multiply", FC::kScalar, 2, 2, "aa", RR::kFixed, T::kDynamic, NR::kNone, "", "Element-wise product."},
  {"series_divide", FC::kScalar, 2, 2, "aa", RR::kFixed, T::kDynamic, NR::kNone, "", "Element-wise quotient (real)."},
  {"series_pow", FC::kScalar, 2, 2, "aa", RR::kFixed, T::kDynamic, NR::kNone, "", "Element-wise power (real)."},
  {"series_greater", FC::kScalar, 2, 2, "aa", RR::kFixed, T::kDynamic, NR::kNone, "", "Element-wise comparison as a bool array."},
  {"series_greater_equals", FC::kScalar, 2, 2, "aa", RR::kFixed, T::kDynamic, NR::kNone, "", "Element-wise comparison as a bool array."},
  {"series_less", FC::kScalar, 2, 2, "aa", RR::kFixed, T::kDynamic, NR::kNone, "", "Element-wise comparison as a bool array."},
  {"series_less_equals", FC::kScalar, 2, 2, "aa", RR::kFixed, T::kDynamic, NR::kNone, "", "Element-wise comparison as a bool array."},
  {"series_equals", FC::kScalar, 2, 2, "aa", RR::kFixed, T::kDynamic, NR::kNone, "", "Element-wise comparison as a bool array."},
  {"series_not_equals", FC::kScalar, 2, 2, "aa", RR::kFixed, T::kDynamic, NR::kNone, "", "Element-wise comparison as a bool array."},
  {"series_abs", FC::kScalar, 1, 1, "y", RR::kFixed, T::kDynamic, NR::kNone, "", "Element-wise abs of a series."},
  {"series_acos", FC::kScalar, 1, 1, "y", RR::kFixed, T::kDynamic, NR::kNone, "", "Element-wise acos of a series."},
  {"series_asin", FC::kScalar, 1, 1, "y", RR::kFixed, T::kDynamic, NR::kNone, "", "Element-wise asin of a series."},
  {"series_atan", FC::kScalar, 1, 1, "y", RR::kFixed, T::kDynamic, NR::kNone, "", "Element-wise atan of a series."},
  {"series_ceiling", FC::kScalar, 1, 1, "y", RR::kFixed, T::kDynamic, NR::kNone, "", "Element-wise ceiling of a series."},
  {"series_cos", FC::kScalar, 1, 1, "y", RR::kFixed, T::kDynamic, NR::kNone, "", "Element-wise cos of a series."},
  {"series_exp", FC::kScalar, 1, 1, "y", RR::kFixed, T::kDynamic, NR::kNone, "", "Element-wise exp of a series."},
  {"series_floor", FC::kScalar, 1, 1, "y", RR::kFixed, T::kDynamic, NR::kNone, "", "Element-wise floor of a series."},
  {"series_log", FC::kScalar, 1, 1, "y", RR::kFixed, T::kDynamic, NR::kNone, "", "Element-wise log of a series."},
  {"series_sign", FC::kScalar, 1, 1, "y", RR::kFixed, T::kDynamic, NR::kNone, "", "Element-wise sign of a series."},
  {"series_sin", FC::kScalar, 1, 1, "y", RR::kFixed, T::kDynamic, NR::kNone, "", "Element-wise sin of a series."},
  {"series_tan", FC::kScalar, 1, 1, "y", RR::kFixed, T::kDynamic, NR::kNone, "", "Element-wise tan of a series."},
  {"series_fill_forward", FC::kScalar, 1, 2, "ya", RR::kFixed, T::kDynamic, NR::kFirstArgument, "", "Replaces missing values with the previous valid value."},
  {"series_fill_backward", FC::kScalar, 1, 2, "ya", RR::kFixed, T::kDynamic, NR::kFirstArgument, "", "Replaces missing values with the next valid value."},
  {"series_fill_const", FC::kScalar, 2, 3, "yaa", RR::kFixed, T::kDynamic, NR::kFirstArgument, "", "Replaces missing values with a constant."},
  {"series_fill_linear", FC::kScalar, 1, 4, "yabn", RR::kFixed, T::kDynamic, NR::kFirstArgument, "", "Linear interpolation of missing values."},
  {"series_sum", FC::kScalar, 1, 1, "y", RR::kFixed, T::kReal, NR::kNone, "", "Sum of a series."},
  {"series_product", FC::kScalar, 1, 1, "y", RR::kFixed, T::kReal, NR::kNone, "", "Product of a series."},
  {"series_magnitude", FC::kScalar, 1, 1, "y", RR::kFixed, T::kReal, NR::kNone, "", "Euclidean norm of a series."},
  {"series_pearson_correlation", FC::kScalar, 2, 2, "yy", RR::kFixed, T::kReal, NR::kNone, "", "Pearson correlation coefficient of two series."},
  {"series_cosine_similarity", FC::kScalar, 2, 4, "yynn", RR::kFixed, T::kReal, NR::kNone, "", "Cosine similarity of two series."},
  {"series_dot_product", FC::kScalar, 2, 2, "aa", RR::kFixed, T::kReal, NR::kNone, "", "Dot product of two series."},
  {"series_stats", FC::kScalar, 1, 2, "yb", RR::kFixed, T::kDynamic, NR::kNone, "", "min, min_idx, max, max_idx, avg, stdev, variance of a series (several columns)."},
  {"series_stats_dynamic", FC::kScalar, 1, 2, "yb", RR::kFixed, T::kDynamic, NR::kNone, "", "Statistics of a series as a property bag."},
  {"series_fit_line", FC::kScalar, 1, 1, "y", RR::kFixed, T::kDynamic, NR::kNone, "", "Linear regression of a series (several columns)."},
  {"series_fit_line_dynamic", FC::kScalar, 1, 1, "y", RR::kFixed, T::kDynamic, NR::kNone, "", "Linear regression of a series as a property bag."},
  {"series_fit_2lines", FC::kScalar, 1, 1, "y", RR::kFixed, T::kDynamic, NR::kNone, "", "Two-segment linear regression of a series (several columns)."},
  {"series_fit_2lines_dynamic", FC::kScalar, 1, 1, "y", RR::kFixed, T::kDynamic, NR::kNone, "", "Two-segment linear regression as a property bag."},
  {"series_fir", FC::kScalar, 2, 4, "yybb", RR::kFixed, T::kDynamic, NR::kFirstArgument, "", "Finite impulse response filter."},
  {"series_iir", FC::kScalar, 3, 3, "yyy", RR::kFixed, T::kDynamic, NR::kFirstArgument, "", "Infinite impulse response filter."},
  {"series_outliers", FC::kScalar, 1, 5, "ysann", RR::kFixed, T::kDynamic, NR::kFirstArgument, "", "Tukey-fence anomaly scores of a series."},
  {"series_seasonal", FC::kScalar, 1, 2, "yn", RR::kFixed, T::kDynamic, NR::kNone, "", "The seasonal component of a series (per-phase medians)."},
  {"series_decompose", FC::kScalar, 1, 5, "ynsnn", RR::kFixed, T::kDynamic, NR::kNone, "", "baseline, seasonal, trend, residual of a series (several columns)."},
  {"series_decompose_anomalies", FC::kScalar, 1, 7, "ynnsnsn", RR::kFixed, T::kDynamic, NR::kNone, "", "ad_flag, ad_score, baseline of a series (several columns)."},
  {"series_decompose_forecast", FC::kScalar, 2, 5, "ynnsn", RR::kFixed, T::kDynamic, NR::kNone, "", "Forecast of a series by decomposition."},
  {"series_periods_detect", FC::kScalar, 4, 4, "ynnn", RR::kFixed, T::kDynamic, NR::kNone, "", "periods, scores of the strongest periods (several columns)."},
  {"series_periods_validate", FC::kScalar, 2, -1, "yn", RR::kFixed, T::kDynamic, NR::kNone, "", "periods, scores of given periods (several columns)."},
  // Geospatial functions (WGS-84 degrees, longitude first; invalid input gives null).
  {"geo_distance_2points", FC::kScalar, 4, 4, "nnnn", RR::kFixed, T::kReal, NR::kNone, "", "Great-circle distance in meters between two points."},
  {"geo_point_in_circle", FC::kScalar, 5, 5, "nnnnn", RR::kFixed, T::kBool, NR::kNone, "", "True when a point is inside a spherical cap (center, radius in meters)."},
  {"geo_azimuth", FC::kScalar, 4, 4, "nnnn", RR::kFixed, T::kReal, NR::kNone, "", "Clockwise angle from true north of the line between two points, in radians."},
  {"geo_angle", FC::kScalar, 6, 6, "nnnnnn", RR::kFixed, T::kReal, NR::kNone, "", "Clockwise angle in radians at the second point between three points."},
  {"geo_point_to_geohash", FC::kScalar, 2, 3, "nnn", RR::kFixed, T::kString, NR::kNone, "", "The geohash of a point (accuracy 1..18, default 5)."},
  {"geo_geohash_to_central_point", FC::kScalar, 1, 1, "s", RR::kFixed, T::kDynamic, NR::kNone, "", "The center of a geohash as a GeoJSON point."},
  {"geo_geohash_to_polygon", FC::kScalar, 1, 1, "s", RR::kFixed, T::kDynamic, NR::kNone, "", "A geohash rectangle as a GeoJSON polygon."},
  {"geo_geohash_neighbors", FC::kScalar, 1, 1, "s", RR::kFixed, T::kDynamic, NR::kNone, "", "The 8 geohashes around a geohash."},
  {"geo_point_to_s2cell", FC::kScalar, 2, 3, "nnn", RR::kFixed, T::kString, NR::kNone, "", "The S2 cell token of a point (level 0..30, default 11)."},
  {"geo_s2cell_to_central_point", FC::kScalar, 1, 1, "s", RR::kFixed, T::kDynamic, NR::kNone, "", "The center of an S2 cell as a GeoJSON point."},
  {"geo_s2cell_to_polygon", FC::kScalar, 1, 1, "s", RR::kFixed, T::kDynamic, NR::kNone, "", "An S2 cell as a GeoJSON polygon."},
  {"geo_s2cell_neighbors", FC::kScalar, 1, 1, "s", RR::kFixed, T::kDynamic, NR::kNone, "", "The edge and vertex neighbors of an S2 cell."},
  {"geo_point_in_polygon", FC::kScalar, 3, 3, "nny", RR::kFixed, T::kBool, NR::kNone, "", "True when a point is inside a GeoJSON polygon or multipolygon."},
  {"geo_distance_point_to_polygon", FC::kScalar, 3, 3, "nny", RR::kFixed, T::kReal, NR::kNone, "", "Shortest distance in meters from a point to a polygon (0 inside)."},
  {"geo_distance_point_to_line", FC::kScalar, 3, 3, "nny", RR::kFixed, T::kReal, NR::kNone, "", "Shortest distance in meters from a point to a line or multiline."},
  {"geo_polygon_area", FC::kScalar, 1, 1, "y", RR::kFixed, T::kReal, NR::kNone, "", "Area of a polygon or multipolygon in square meters."},
  {"geo_polygon_perimeter", FC::kScalar, 1, 1, "y", RR::kFixed, T::kReal, NR::kNone, "", "Perimeter of a polygon or multipolygon in meters."},
  {"geo_polygon_centroid", FC::kScalar, 1, 1, "y", RR::kFixed, T::kDynamic, NR::kNone, "", "Centroid of a polygon or multipolygon as a GeoJSON point."},
  {"geo_line_length", FC::kScalar, 1, 1, "y", RR::kFixed, T::kReal, NR::kNone, "", "Length of a line or multiline in meters."},
  {"geo_line_centroid", FC::kScalar, 1, 1, "y", RR::kFixed, T::kDynamic, NR::kNone, "", "Centroid of a line or multiline as a GeoJSON point."},
  {"geo_intersects_2polygons", FC::kScalar, 2, 2, "yy", RR::kFixed, T::kBool, NR::kNone, "", "True when two polygons or multipolygons intersect."},
  {"geo_intersects_line_with_polygon", FC::kScalar, 2, 2, "yy", RR::kFixed, T::kBool, NR::kNone, "", "True when a line or multiline intersects a polygon or multipolygon."},
  {"geo_intersects_2lines", FC::kScalar, 2, 2, "yy", RR::kFixed, T::kBool, NR::kNone, "", "True when two lines or multilines intersect."},
  {"geo_closest_point_on_line", FC::kScalar, 3, 3, "nny", RR::kFixed, T::kDynamic, NR::kNone, "", "The point of a line or multiline closest to a point, as a GeoJSON point."},
  {"geo_closest_point_on_polygon", FC::kScalar, 3, 3, "nny", RR::kFixed, T::kDynamic, NR::kNone, "", "The point of a polygon or multipolygon closest to a point (the point itself inside)."},
  {"geo_line_interpolate_point", FC::kScalar, 2, 2, "yn", RR::kFixed, T::kDynamic, NR::kNone, "", "The point at a fraction (0..1) of a line's length."},
  {"geo_line_locate_point", FC::kScalar, 3, 3, "ynn", RR::kFixed, T::kReal, NR::kNone, "", "The fraction (0..1) of a line's length at the point of the line closest to a point."},
  {"geo_polygon_to_s2cells", FC::kScalar, 1, 3, "ynn", RR::kFixed, T::kDynamic, NR::kNone, "", "The S2 cell tokens of one level (default 11) that cover a polygon."},
  {"geo_line_to_s2cells", FC::kScalar, 1, 3, "ynn", RR::kFixed, T::kDynamic, NR::kNone, "", "The S2 cell tokens of one level (default 11) that cover a line."},
  {"geo_intersection_2lines", FC::kScalar, 2, 2, "yy", RR::kFixed, T::kDynamic, NR::kNone, "", "The points where two lines or multilines cross, as GeoJSON."},
  {"geo_union_polygons_array", FC::kScalar, 1, 1, "y", RR::kFixed, T::kDynamic, NR::kNone, "", "The union of an array of polygons and multipolygons."},
  {"geo_line_densify", FC::kScalar, 1, 3, "ynb", RR::kFixed, T::kDynamic, NR::kNone, "", "Adds points to a planar line so its geodesic edges stay within a tolerance (meters, default 10)."},
  {"geo_polygon_densify", FC::kScalar, 1, 3, "ynb", RR::kFixed, T::kDynamic, NR::kNone, "", "Adds points to a planar polygon so its geodesic edges stay within a tolerance (meters, default 10)."},
  {"geo_polygon_simplify", FC::kScalar, 1, 2, "yn", RR::kFixed, T::kDynamic, NR::kNone, "", "Simplifies a polygon so no two vertices are closer than a tolerance (meters, default 10)."},
  {"geo_line_simplify", FC::kScalar, 1, 2, "yn", RR::kFixed, T::kDynamic, NR::kNone, "", "Simplifies a line so no two vertices are closer than a tolerance (meters, default 10)."},
  {"geo_union_lines_array", FC::kScalar, 1, 1, "y", RR::kFixed, T::kDynamic, NR::kNone, "", "The union of an array of lines and multilines."},
  {"geo_intersection_2polygons", FC::kScalar, 2, 2, "yy", RR::kFixed, T::kDynamic, NR::kNone, "", "The intersection of two polygons or multipolygons as GeoJSON."},
  {"geo_intersection_line_with_polygon", FC::kScalar, 2, 2, "yy", RR::kFixed, T::kDynamic, NR::kNone, "", "The part of a line or multiline inside a polygon or multipolygon, as GeoJSON."},
  {"geo_from_wkt", FC::kScalar, 1, 1, "s", RR::kFixed, T::kDynamic, NR::kNone, "", "A Well-Known Text geometry as GeoJSON."},
  // Documented-example functions (issue 6).
  {"beta_cdf", FC::kScalar, 3, 3, "nnn", RR::kFixed, T::kReal, NR::kNone, "", "beta_cdf(x, alpha, beta): the beta distribution's cumulative probability."},
  {"beta_inv", FC::kScalar, 3, 3, "nnn", RR::kFixed, T::kReal, NR::kNone, "", "beta_inv(p, alpha, beta): the inverse of beta_cdf."},
  {"beta_pdf", FC::kScalar, 3, 3, "nnn", RR::kFixed, T::kReal, NR::kNone, "", "beta_pdf(x, alpha, beta): the beta distribution's density."},
  {"punycode_from_string", FC::kScalar, 1, 1, "s", RR::kFixed, T::kString, NR::kNone, "", "Encodes a string to punycode."},
  {"punycode_to_string", FC::kScalar, 1, 1, "s", RR::kFixed, T::kString, NR::kNone, "", "Decodes a punycode string."},
  {"punycode_domain_to_string", FC::kScalar, 1, 1, "s", RR::kFixed, T::kString, NR::kNone, "", "Encodes a domain's non-ASCII labels as xn--punycode."},
  {"punycode_domain_from_string", FC::kScalar, 1, 1, "s", RR::kFixed, T::kString, NR::kNone, "", "Decodes a domain's xn-- labels."},
  {"convert_angle", FC::kScalar, 3, 3, "nss", RR::kFixed, T::kReal, NR::kNone, "", "convert_angle(value, from, to): an angle in another unit."},
  {"parse_version", FC::kScalar, 1, 1, "s", RR::kFixed, T::kReal, NR::kNone, "", "A 1-4 part dotted version as a comparable number (decimal, approximated as real)."},
  {"parse_csv", FC::kScalar, 1, 1, "s", RR::kFixed, T::kDynamic, NR::kNone, "", "The fields of one CSV record as a string array."},
  {"datetime_local_to_utc", FC::kScalar, 2, 2, "ds", RR::kFixed, T::kDateTime, NR::kNone, "", "datetime_local_to_utc(local, timezone): a wall-clock time as UTC."},
  {"datetime_utc_to_local", FC::kScalar, 2, 2, "ds", RR::kFixed, T::kDateTime, NR::kNone, "", "datetime_utc_to_local(utc, timezone): a UTC time on the zone's wall clock."},
};

// Deprecated or alternative spellings and their canonical names.
constexpr std::pair<std::string_view, std::string_view> kAliases[] = {
  {"iif", "iff"}, {"floor", "bin"}, {"toreal", "todouble"}, {"toboolean", "tobool"}, {"parse_json", "todynamic"},
  {"pack", "bag_pack"}, {"replace", "replace_regex"}, {"makeset", "make_set"}, {"makelist", "make_list"},
  {"any", "take_any"}, {"anyif", "take_anyif"}, {"dcount_distinct", "count_distinct"}, {"merge_tdigest", "tdigest_merge"},
  {"weekofyear", "week_of_year"},
  {"extractjson", "extract_json"},
  {"parsejson", "todynamic"}, {"toobject", "todynamic"}, {"base64_encodestring", "base64_encode_tostring"},
  {"base64_decodestring", "base64_decode_tostring"}, {"arraylength", "array_length"}, {"todate", "todatetime"},
  {"totime", "totimespan"}, {"notnull", "isnotnull"}, {"notempty", "isnotempty"},
  {"make_string", "unicode_codepoints_to_string"},
};

// Functions of KQL that are recognised but not implemented, so that the message says "not supported".
constexpr std::string_view kUnsupported[] = {
  "geo_info_from_ip_address", "parse_user_agent",
  "parse_csv", "toscalar", "row_number", "prev", "next", "row_cumsum", "mv_expand",
  "make_series", "cursor_after", "current_principal", "current_cluster_endpoint", "todatetime_utc",
  "datetime_local_to_utc", "datetime_utc_to_local", "getmonth_name", "bin_auto", "rand", "welch_test",
  "column_ifexists", "split_part", "hash_combine", "hash_many", "parse_version", "datetime_list_timezones",
  "punycode_from_string", "punycode_to_string", "punycode_domain_to_string", "punycode_domain_from_string",
  "convert_angle", "beta_cdf", "beta_inv", "beta_pdf", "unicode_normalize",
};
// clang-format on

const std::unordered_map<std::string_view, const FunctionSignature*>& FunctionIndex() {
  static const std::unordered_map<std::string_view, const FunctionSignature*> index = [] {
    std::unordered_map<std::string_view, const FunctionSignature*> map;
    for (const FunctionSignature& signature : kFunctions) map.emplace(signature.name, &signature);
    for (const auto& [alias, canonical] : kAliases) {
      if (auto found = map.find(canonical); found != map.end()) map.emplace(alias, found->second);
    }
    return map;
  }();
  return index;
}

}  // namespace

const FunctionSignature* FindFunction(std::string_view name) {
  const auto& index = FunctionIndex();
  auto found = index.find(name);
  return found == index.end() ? nullptr : found->second;
}

bool IsKnownUnsupportedFunction(std::string_view name) {
  if (name.starts_with("geo_")) return true;  // The geo_* functions not in kFunctions: H3, buffers, ... (docs).
  return std::find(std::begin(kUnsupported), std::end(kUnsupported), name) != std::end(kUnsupported);
}

std::vector<std::string> AllFunctionNames() {
  std::vector<std::string> names;
  for (const FunctionSignature& signature : kFunctions) names.emplace_back(signature.name);
  for (const auto& [alias, canonical] : kAliases) names.emplace_back(alias);
  return names;
}

bool ArgumentKindAccepts(char kind, KqlType type) {
  if (type == KqlType::kUnknown || type == KqlType::kDynamic) return true;
  switch (kind) {
    case 's': return type == KqlType::kString || type == KqlType::kGuid;
    case 'n': return IsNumeric(type);
    case 'd': return type == KqlType::kDateTime;
    case 't': return type == KqlType::kTimeSpan;
    case 'b': return type == KqlType::kBool;
    case 'y': return false;
    default: return true;
  }
}

std::string_view ArgumentKindName(char kind) {
  switch (kind) {
    case 's': return "string";
    case 'n': return "number";
    case 'd': return "datetime";
    case 't': return "timespan";
    case 'b': return "bool";
    case 'y': return "dynamic";
    default: return "scalar";
  }
}

std::optional<KqlType> CommonType(KqlType left, KqlType right) {
  if (left == right) return left;
  if (left == KqlType::kUnknown) return right;
  if (right == KqlType::kUnknown) return left;
  if (IsNumeric(left) && IsNumeric(right)) {
    if (left == KqlType::kReal || right == KqlType::kReal || left == KqlType::kDecimal || right == KqlType::kDecimal) {
      return KqlType::kReal;
    }
    return KqlType::kLong;
  }
  if (left == KqlType::kDynamic || right == KqlType::kDynamic) return KqlType::kDynamic;
  return std::nullopt;
}

}  // namespace kql::binder
