#pragma once
// Subcommand registry for the bulwark CLI. Each cmd_*.cc file registers its
// subcommands with a static CommandRegistration, so adding a command is one
// new file: no central list to edit.
//
//   static bulwark::cli::CommandRegistration kReg("hash-password", [](CLI::App& app) {
//     auto* cmd = app.add_subcommand("hash-password", "...");
//     cmd->callback([] { ... ; throw bulwark::cli::Exit(0); });
//   });
//
// A command reports its outcome by throwing cli::Exit(code) from its callback
// (CLI11 runs callbacks inside parse); main() turns it into the exit status.

#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

namespace bulwark::cli {

// Exit codes shared by all subcommands.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFindings = 1;  // a check found problems (review, verify)
inline constexpr int kExitUsage = 2;     // bad arguments or input, or an internal error

struct Exit {
  int code;
};

using CommandSetup = std::function<void(CLI::App&)>;

struct CommandRegistration {
  CommandRegistration(std::string name, CommandSetup setup);
};

struct RegisteredCommand {
  std::string name;
  CommandSetup setup;
};
std::vector<RegisteredCommand>& RegisteredCommands();

// Prints "bulwark: <message>" to stderr.
void PrintError(const std::string& message);

}  // namespace bulwark::cli
