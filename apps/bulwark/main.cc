// bulwark: one binary for the library's tools (keys, hash-password, review,
// serve, ...). Subcommands register themselves; see commands.h.

#include <algorithm>
#include <cstdio>
#include <iostream>

#include "commands.h"

namespace bulwark::cli {

std::vector<RegisteredCommand>& RegisteredCommands() {
  static std::vector<RegisteredCommand> commands;
  return commands;
}

CommandRegistration::CommandRegistration(std::string name, CommandSetup setup) {
  RegisteredCommands().push_back({std::move(name), std::move(setup)});
}

void PrintError(const std::string& message) {
  std::fprintf(stderr, "bulwark: %s\n", message.c_str());
}

}  // namespace bulwark::cli

int main(int argc, char** argv) {
  using namespace bulwark::cli;
  CLI::App app{"bulwark: security building blocks for C++ backend services"};
  app.name("bulwark");
  app.require_subcommand(1);
  app.set_version_flag("--version", "bulwark 0.1.0");

  auto& commands = RegisteredCommands();
  std::sort(commands.begin(), commands.end(),
            [](const RegisteredCommand& a, const RegisteredCommand& b) { return a.name < b.name; });
  for (const RegisteredCommand& command : commands) command.setup(app);

  // Name an unknown command plainly (CLI11 would only say one is required).
  if (argc > 1 && argv[1][0] != '-') {
    bool known = false;
    for (const CLI::App* sub : app.get_subcommands({})) known = known || sub->check_name(argv[1]);
    if (!known) {
      PrintError(std::string("unknown command '") + argv[1] + "'");
      std::fprintf(stderr, "Run 'bulwark --help' for the list of commands.\n");
      return kExitUsage;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const Exit& exit) {
    return exit.code;
  } catch (const CLI::CallForHelp&) {
    std::cout << app.help();
    return kExitOk;
  } catch (const CLI::CallForAllHelp&) {
    std::cout << app.help("", CLI::AppFormatMode::All);
    return kExitOk;
  } catch (const CLI::CallForVersion&) {
    std::cout << app.version() << "\n";
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) {
      return app.exit(e);
    }
    PrintError(e.what());
    std::fprintf(stderr, "Run 'bulwark --help' for usage.\n");
    return kExitUsage;
  } catch (const std::exception& e) {
    // Commands report expected failures with Exit; anything else is a bug.
    PrintError(std::string("internal error: ") + e.what());
    return kExitUsage;
  }
  return kExitOk;
}
