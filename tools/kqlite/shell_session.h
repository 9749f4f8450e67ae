// One `kqlite shell` session: the engine with the loaded data, the settings the dot-commands change, and running
// a query or a dot-command. The read loop (shell_command.cpp) feeds it complete queries and dot-command lines.
#pragma once
#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "io/result_writer.h"
#include "kqlite/engine.h"

namespace kql::cli {

/// What the dot-commands change.
struct ShellSettings {
  io::ResultFormat format = io::ResultFormat::kTable;
  std::optional<int64_t> now_ticks;  ///< .now; nullopt = the clock.
  bool timing = false;               ///< .timing on: print each query's run time.
  int threads = 0;
  uint64_t max_memory_bytes = 0;
};

class ShellSession {
 public:
  /// `cancel` is the flag Ctrl-C sets; it is cleared before each query.
  ShellSession(Engine& engine, ShellSettings settings, std::atomic<bool>& cancel)
      : engine_(engine), settings_(settings), cancel_(cancel) {}

  /// Runs one query and prints its result (stdout) or its diagnostics (stderr); false when it failed.
  bool RunQuery(std::string_view text);
  /// Runs one dot-command line (shell_dot_commands.cpp); false when it failed.
  bool RunDotCommand(std::string_view line);
  /// True after .quit / .exit.
  bool quit() const { return quit_; }
  const Engine& engine() const { return engine_; }

 private:
  bool Tables(std::string_view argument);
  bool ShowSchema(std::string_view table);
  bool Load(std::string_view argument);
  bool SetFormat(std::string_view argument);
  bool SetNow(std::string_view argument);
  bool SetTiming(std::string_view argument);
  void Help();

  Engine& engine_;
  ShellSettings settings_;
  std::atomic<bool>& cancel_;
  bool quit_ = false;
};

}  // namespace kql::cli
