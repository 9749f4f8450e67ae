// The shell's dot-commands: .tables, .schema, .load, .format, .now, .timing, .help, .quit (docs/shell.md).
#include <iostream>
#include <map>

#include "catalog/catalog.h"
#include "cli_common.h"
#include "rules/hunt.h"
#include "shell_completion.h"
#include "shell_session.h"
#include "types/datetime.h"

namespace kql::cli {

namespace {

std::string_view Trim(std::string_view text) {
  size_t start = text.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return {};
  size_t end = text.find_last_not_of(" \t\r\n");
  return text.substr(start, end - start + 1);
}

}  // namespace

bool ShellSession::RunDotCommand(std::string_view line) {
  line = Trim(line);
  size_t space = line.find_first_of(" \t");
  std::string_view name = line.substr(0, space);
  std::string_view argument = space == std::string_view::npos ? std::string_view{} : Trim(line.substr(space));
  if (name == ".tables") return Tables(argument);
  if (name == ".schema") return ShowSchema(argument);
  if (name == ".load") return Load(argument);
  if (name == ".format") return SetFormat(argument);
  if (name == ".now") return SetNow(argument);
  if (name == ".timing") return SetTiming(argument);
  if (name == ".help") {
    Help();
    return true;
  }
  if (name == ".quit" || name == ".exit") {
    quit_ = true;
    return true;
  }
  std::cerr << "kqlite: unknown command " << name << " (.help lists the commands)\n";
  return false;
}

bool ShellSession::Tables(std::string_view argument) {
  if (argument == "all") {
    for (const auto& name : engine_.catalog().TableNames()) std::cout << name << "\n";
    return true;
  }
  if (!argument.empty()) {
    std::cerr << "kqlite: .tables takes no argument but 'all'\n";
    return false;
  }
  std::map<std::string, size_t> files;
  for (const auto& file : engine_.DataFiles()) ++files[file.table];
  for (const auto& name : engine_.TableNames()) {
    std::cout << name;
    if (auto count = files.find(name); count != files.end())
      std::cout << "  (" << count->second << (count->second == 1 ? " file)" : " files)");
    std::cout << "\n";
  }
  if (engine_.TableNames().empty()) std::cout << "(no data loaded: .load PATH; .tables all lists the built-in schemas)\n";
  return true;
}

bool ShellSession::ShowSchema(std::string_view table) {
  auto print = [](const std::string& name, const Schema& schema) {
    std::cout << name << "\n";
    for (const auto& column : schema) std::cout << "  " << column.name << ": " << TypeName(column.type) << "\n";
  };
  if (table.empty()) {
    for (const auto& name : engine_.TableNames()) {
      if (auto source = engine_.Source(name)) print(name, source->schema());
    }
    return true;
  }
  std::string name(table);
  if (auto source = engine_.Source(name)) {
    print(name, source->schema());
    return true;
  }
  if (const Schema* schema = engine_.catalog().FindTable(name)) {
    print(name, *schema);
    return true;
  }
  std::cerr << "kqlite: unknown table " << name;
  if (auto suggestion = engine_.catalog().SuggestTable(name)) std::cerr << " (did you mean '" << *suggestion << "'?)";
  std::cerr << "\n";
  return false;
}

bool ShellSession::Load(std::string_view argument) {
  if (argument.empty()) {
    std::cerr << "kqlite: .load PATH or .load TABLE=PATH\n";
    return false;
  }
  std::string path(argument), table;
  // TABLE=PATH when the part before '=' is a plain name (a path may contain '=' too).
  if (size_t equals = path.find('='); equals != std::string::npos && equals > 0 &&
                                      path.find_first_of("/\\.") > equals) {
    table = path.substr(0, equals);
    path = path.substr(equals + 1);
  }
  size_t notices_before = engine_.DataNotices().size();
  size_t files_before = engine_.DataFiles().size();
  bool ok = true;
  for (const auto& problem : engine_.AddData(path, table)) {
    std::cerr << "kqlite: " << problem << "\n";
    ok = false;
  }
  const auto& notices = engine_.DataNotices();
  for (size_t i = notices_before; i < notices.size(); ++i) std::cerr << "kqlite: note: " << notices[i] << "\n";
  const auto& files = engine_.DataFiles();
  for (size_t i = files_before; i < files.size(); ++i)
    std::cout << "loaded " << files[i].path << " -> " << files[i].table << "\n";
  return ok;
}

bool ShellSession::SetFormat(std::string_view argument) {
  if (argument.empty()) {
    static const char* kNames[] = {"table", "csv", "jsonl", "json"};
    std::cout << kNames[static_cast<int>(settings_.format)] << "\n";
    return true;
  }
  auto format = io::ParseResultFormat(argument);
  if (!format) {
    std::cerr << "kqlite: unknown format " << argument << " (table, csv, json, jsonl)\n";
    return false;
  }
  settings_.format = *format;
  return true;
}

bool ShellSession::SetNow(std::string_view argument) {
  if (argument.empty()) {
    std::cout << (settings_.now_ticks ? FormatDateTime(*settings_.now_ticks) : std::string("clock")) << "\n";
    return true;
  }
  if (argument == "clock") {
    settings_.now_ticks.reset();
  } else if (argument == "latest") {
    std::optional<int64_t> latest = rules::LatestEventTicks(engine_, settings_.threads);
    if (!latest) {
      std::cerr << "kqlite: .now latest: the loaded data has no timestamps\n";
      return false;
    }
    settings_.now_ticks = latest;
  } else {
    std::optional<int64_t> ticks = ParseNow(std::string(argument));
    if (!ticks) {
      std::cerr << "kqlite: .now: not a datetime (or 'latest', 'clock'): " << argument << "\n";
      return false;
    }
    settings_.now_ticks = ticks;
  }
  std::cout << "now: " << (settings_.now_ticks ? FormatDateTime(*settings_.now_ticks) : std::string("the clock"))
            << "\n";
  return true;
}

bool ShellSession::SetTiming(std::string_view argument) {
  if (argument == "on" || argument == "off") {
    settings_.timing = argument == "on";
    return true;
  }
  std::cerr << "kqlite: .timing on|off\n";
  return false;
}

void ShellSession::Help() {
  std::cout << "A query runs at an empty line, or at a line ending in ';' that ends a query statement\n"
               "(the ';' after 'let x = ...' only separates statements). Ctrl-C cancels the running query\n"
               "or the query being typed; Ctrl-D leaves. Tab completes tables, columns, functions, operators.\n";
  for (const auto& command : DotCommands()) {
    std::string usage(command.name);
    if (!command.arguments.empty()) usage += " " + std::string(command.arguments);
    std::cout << "  " << usage << std::string(usage.size() < 30 ? 30 - usage.size() : 1, ' ') << command.help
              << "\n";
  }
}

}  // namespace kql::cli
