// File path and command line functions: parse_path, parse_command_line.
// Semantics (KQL docs, "parse_path()" and "parse_command_line()"):
//   - parse_path splits a path written with either slash into a bag {"Scheme", "RootPath", "DirectoryPath",
//     "DirectoryName", "Filename", "Extension", "AlternateDataStreamName"} of strings ("" when absent):
//     C:\temp\file.txt has RootPath "C:", DirectoryPath "C:\temp", DirectoryName "temp", Extension "txt";
//     file://C:/temp/file.txt:some.exe has Scheme "file" and AlternateDataStreamName "some.exe";
//     \\shared\users\temp\file.txt.gz has RootPath "" and Extension "gz". A long-path prefix \\?\ is skipped when
//     looking for the drive.
//   - parse_command_line(text, "windows") splits a command line into an array of strings the way Windows'
//     CommandLineToArgvW does: the program name runs to the first space or tab, or is everything inside its
//     leading quotes; later arguments are separated by spaces or tabs outside quotes; 2n backslashes before a
//     quote are n backslashes and the quote opens or closes quoting, 2n+1 are n backslashes and a literal quote;
//     "" inside quotes is a literal quote (and ends the quoted part, as CommandLineToArgvW does); other
//     backslashes are literal. An empty or all-blank command line gives an empty array; a parser other than
//     "windows" gives null.
#include <string>
#include <vector>

#include "execution/scalar/scalar_kernels.h"
#include "execution/scalar/value_kernel.h"
#include "execution/layer.h"

namespace kql::exec {

namespace {

bool IsSlash(char c) { return c == '/' || c == '\\'; }

size_t LastSlash(std::string_view text) {
  for (size_t index = text.size(); index > 0; --index) {
    if (IsSlash(text[index - 1])) return index - 1;
  }
  return std::string_view::npos;
}

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

Value ParsePath(std::span<const Value> args, KqlType) {
  const std::string text = ValueText(args[0]);
  std::string_view path = text;
  std::string scheme;
  if (const size_t scheme_end = path.find("://"); scheme_end != std::string_view::npos && scheme_end > 0) {
    bool valid = IsAsciiLetter(path[0]);
    for (size_t index = 1; valid && index < scheme_end; ++index) {
      const char c = path[index];
      valid = IsAsciiLetter(c) || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
    }
    if (valid) {
      scheme = path.substr(0, scheme_end);
      path.remove_prefix(scheme_end + 3);
    }
  }
  std::string_view drive_part = path;
  if (drive_part.starts_with("\\\\?\\") || drive_part.starts_with("//?/")) drive_part.remove_prefix(4);
  std::string root;
  if (drive_part.size() >= 2 && IsAsciiLetter(drive_part[0]) && drive_part[1] == ':') root = drive_part.substr(0, 2);
  const size_t slash = LastSlash(path);
  std::string_view directory = slash == std::string_view::npos ? std::string_view() : path.substr(0, slash);
  std::string_view file = slash == std::string_view::npos ? path : path.substr(slash + 1);
  if (slash == std::string_view::npos && !root.empty() && path.starts_with(root)) {
    directory = path.substr(0, 2);  // "C:file.txt": the drive is the directory.
    file = path.substr(2);
  }
  std::string_view stream;
  if (const size_t colon = file.find(':'); colon != std::string_view::npos) {
    stream = file.substr(colon + 1);
    file = file.substr(0, colon);
  }
  const size_t last_directory_slash = LastSlash(directory);
  std::string_view directory_name =
      last_directory_slash == std::string_view::npos ? directory : directory.substr(last_directory_slash + 1);
  if (directory_name == root) directory_name = std::string_view();  // The drive alone names no directory.
  const size_t dot = file.rfind('.');
  std::string_view extension = dot == std::string_view::npos ? std::string_view() : file.substr(dot + 1);
  std::vector<DynamicValue::Member> members;
  members.emplace_back("Scheme", DynamicValue::MakeString(scheme));
  members.emplace_back("RootPath", DynamicValue::MakeString(root));
  members.emplace_back("DirectoryPath", DynamicValue::MakeString(std::string(directory)));
  members.emplace_back("DirectoryName", DynamicValue::MakeString(std::string(directory_name)));
  members.emplace_back("Filename", DynamicValue::MakeString(std::string(file)));
  members.emplace_back("Extension", DynamicValue::MakeString(std::string(extension)));
  members.emplace_back("AlternateDataStreamName", DynamicValue::MakeString(std::string(stream)));
  return Value::FromDynamic(DynamicValue::MakeObject(std::move(members)));
}

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

std::vector<std::string> SplitWindowsCommandLine(std::string_view line) {
  std::vector<std::string> arguments;
  size_t pos = 0;
  while (pos < line.size() && IsBlank(line[pos])) ++pos;
  if (pos >= line.size()) return arguments;
  // The program name: no escapes at all.
  std::string program;
  if (line[pos] == '"') {
    ++pos;
    while (pos < line.size() && line[pos] != '"') program.push_back(line[pos++]);
    if (pos < line.size()) ++pos;
  } else {
    while (pos < line.size() && !IsBlank(line[pos])) program.push_back(line[pos++]);
  }
  arguments.push_back(std::move(program));
  while (true) {
    while (pos < line.size() && IsBlank(line[pos])) ++pos;
    if (pos >= line.size()) break;
    std::string argument;
    bool quoted = false;
    while (pos < line.size() && (quoted || !IsBlank(line[pos]))) {
      const char c = line[pos];
      if (c == '\\') {
        size_t backslashes = 0;
        while (pos < line.size() && line[pos] == '\\') {
          ++backslashes;
          ++pos;
        }
        if (pos < line.size() && line[pos] == '"') {
          argument.append(backslashes / 2, '\\');
          if (backslashes % 2 == 1) {
            argument.push_back('"');
            ++pos;
          }
        } else {
          argument.append(backslashes, '\\');
        }
        continue;
      }
      if (c == '"') {
        ++pos;
        if (quoted && pos < line.size() && line[pos] == '"') {
          argument.push_back('"');
          ++pos;
        }
        quoted = !quoted;
        continue;
      }
      argument.push_back(c);
      ++pos;
    }
    arguments.push_back(std::move(argument));
  }
  return arguments;
}

Value ParseCommandLine(std::span<const Value> args, KqlType) {
  if (args[1].is_null || ValueText(args[1]) != "windows") return Value::Null(KqlType::kDynamic);
  std::vector<Dynamic> items;
  for (std::string& argument : SplitWindowsCommandLine(ValueText(args[0]))) {
    items.push_back(DynamicValue::MakeString(std::move(argument)));
  }
  return Value::FromDynamic(DynamicValue::MakeArray(std::move(items)));
}

constexpr ValueFunctionEntry kPathFunctions[] = {
    {"parse_path", ParsePath},
    {"parse_command_line", ParseCommandLine},
};

}  // namespace

void PathFunctionKernel(const KernelCall& call, std::span<const KernelArg> args, std::span<const uint32_t> rows,
                        ColumnVector& out) {
  RunValueFunction(kPathFunctions, call, args, rows, out);
}

}  // namespace kql::exec
