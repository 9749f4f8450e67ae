// kqlite command-line interface: a thin dispatcher over the subcommands in *_command.cpp.
#include <iostream>
#include <new>

#include "cli_common.h"
#include "kqlite_version.h"
#include "rules/layer.h"

using namespace kql;
using namespace kql::rules;

int main(int argc, char** argv) {
  CLI::App app{"kqlite: run KQL (Kusto Query Language) detections and hunting queries over local security telemetry"};
  app.require_subcommand(1);
  // The version and the git commit of the build (cmake/install_package.cmake; "unknown" outside git).
  app.set_version_flag("--version", "kqlite " KQLITE_VERSION " (commit " KQLITE_GIT_COMMIT ")");
  kql::cli::CommandAction action;
  kql::cli::AddQueryCommand(app, action);
  kql::cli::AddHuntCommand(app, action);
  kql::cli::AddLintCommand(app, action);
  kql::cli::AddTestCommand(app, action);
  kql::cli::AddSchemaCommand(app, action);
  kql::cli::AddConvertCommand(app, action);
  kql::cli::AddLoadCommand(app, action);
  kql::cli::AddServeCommand(app, action);
  kql::cli::AddShellCommand(app, action);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    // --help and --version exit 0; every other command-line error is a usage error (exit 2).
    int code = app.exit(error);
    return code == 0 ? 0 : kql::cli::kExitUsage;
  }
  try {
    return action ? action() : kql::cli::kExitUsage;
  } catch (const std::bad_alloc&) {
    // Allocation failures outside a query (loading data, writing results): a clean message, not a core dump.
    std::cerr << "kqlite: error: out of memory; narrow the query or the data, or lower --max-memory\n";
    return kql::cli::kExitLimit;
  } catch (const std::exception& error) {
    std::cerr << "kqlite: internal error: " << error.what() << "\n";
    return kql::cli::kExitUsage;
  }
}
