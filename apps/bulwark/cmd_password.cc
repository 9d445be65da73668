// bulwark hash-password: reads a password from stdin (without echo on a
// terminal) and prints its argon2id PHC string.

#include <cstdio>
#include <map>
#include <string>

#include "bulwark/crypto/password.h"
#include "cli_support.h"
#include "commands.h"

namespace bulwark::cli {
namespace {

struct HashOptions {
  std::string preset = "owasp";
  bool check_policy = false;
};

void Setup(CLI::App& app) {
  auto opts = std::make_shared<HashOptions>();
  CLI::App* cmd = app.add_subcommand(
      "hash-password", "Hash a password read from stdin with argon2id (PHC string on stdout)");
  cmd->add_option("--preset", opts->preset, "owasp (m=19 MiB,t=2) | moderate | sensitive")
      ->check(CLI::IsMember({"owasp", "moderate", "sensitive"}))
      ->capture_default_str();
  cmd->add_flag("--check-policy", opts->check_policy,
                "Refuse passwords that fail the NIST 800-63B policy (length, common passwords)");
  cmd->callback([opts] {
    const std::map<std::string, crypto::PasswordPreset> presets = {
        {"owasp", crypto::PasswordPreset::kOwaspMinimum},
        {"moderate", crypto::PasswordPreset::kModerate},
        {"sensitive", crypto::PasswordPreset::kSensitive}};
    crypto::PasswordHasherOptions hasher_options;
    hasher_options.params = crypto::PresetParams(presets.at(opts->preset));
    Result<crypto::PasswordHasher> hasher = crypto::PasswordHasher::Create(std::move(hasher_options));
    if (!hasher.ok()) Fail(hasher.error());

    Result<SecretString> password = ReadPasswordLine("Password: ", 4096);
    if (!password.ok()) Fail(password.error());
    if (StdinIsTerminal()) {
      Result<SecretString> again = ReadPasswordLine("Again: ", 4096);
      if (!again.ok()) Fail(again.error());
      if (!again->Equals(*password)) {
        Fail(Error(ErrorCode::kInvalidArgument, "the two passwords differ"));
      }
    }
    if (opts->check_policy) {
      crypto::PasswordPolicy policy = *crypto::PasswordPolicy::Create({});
      if (std::optional<crypto::PasswordProblem> problem = policy.Check(*password)) {
        Fail(Error(ErrorCode::kInvalidArgument,
                   "password rejected by policy: " +
                       std::string(crypto::PasswordProblemCode(*problem))));
      }
    }
    Result<std::string> phc = hasher->Hash(*password);
    if (!phc.ok()) Fail(phc.error());
    std::printf("%s\n", phc->c_str());
    throw Exit{kExitOk};
  });
}

const CommandRegistration kRegistration("hash-password", Setup);

}  // namespace
}  // namespace bulwark::cli
