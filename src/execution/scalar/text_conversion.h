// TextConversion: how KQL renders scalars as strings for tostring, strcat and string comparisons with dynamic
// values. It is not the golden/JSON output encoding (types/value.h), which differs for bools and datetimes.
#pragma once
#include <string>

#include "execution/scalar/scalar_kernel.h"
#include "execution/layer.h"

namespace kql::exec {

/// Appends tostring(value at row): "" for null, "True"/"False", shortest round-trip reals ("1.5", "1500.0",
/// "1e+20"), datetimes with seven fraction digits, timespans "[-][d.]hh:mm:ss[.fffffff]", dynamic as JSON
/// (a dynamic string is its raw text).
void AppendText(const KernelArg& arg, size_t row, std::string& out);
/// Appends tostring of a dynamic node.
void AppendDynamicText(const DynamicValue& value, std::string& out);
/// Appends tostring of a real.
void AppendRealText(double value, std::string& out);
/// Appends a decimal (held as a real) as Kusto prints decimals: fixed notation, no ".0" on integral values.
void AppendDecimalText(double value, std::string& out);

}  // namespace kql::exec
