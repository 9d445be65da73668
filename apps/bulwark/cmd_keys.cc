// bulwark keys ...: master keys and keysets (generate, rotate, promote,
// retire, destroy, list, rotate-master).

#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "bulwark/crypto/keyset.h"
#include "bulwark/secrets/secrets.h"
#include "cli_support.h"
#include "commands.h"

namespace bulwark::cli {
namespace {

template <class T>
T OrFail(Result<T> r) {
  if (!r.ok()) Fail(r.error());
  return std::move(r).value();
}
void OrFail(Result<void> r) {
  if (!r.ok()) Fail(r.error());
}

void PrintKeys(const crypto::Keyset& keyset, bool json) {
  std::vector<crypto::KeyInfo> keys = keyset.Keys();
  if (json) {
    std::cout << "{\"primary\":" << keyset.primary_id() << ",\"keys\":[";
    for (std::size_t i = 0; i < keys.size(); ++i) {
      const crypto::KeyInfo& k = keys[i];
      std::cout << (i ? "," : "") << "{\"id\":" << k.id << ",\"type\":\""
                << crypto::KeyTypeName(k.type) << "\",\"status\":\""
                << (k.status == crypto::KeyStatus::kEnabled ? "enabled" : "disabled")
                << "\",\"primary\":" << (k.primary ? "true" : "false")
                << ",\"created\":" << k.created_unix << "}";
    }
    std::cout << "]}\n";
    return;
  }
  std::printf("%-12s %-24s %-9s %-8s %s\n", "ID", "TYPE", "STATUS", "PRIMARY", "CREATED");
  for (const crypto::KeyInfo& k : keys) {
    std::printf("%-12u %-24s %-9s %-8s %lld\n", k.id,
                std::string(crypto::KeyTypeName(k.type)).c_str(),
                k.status == crypto::KeyStatus::kEnabled ? "enabled" : "disabled",
                k.primary ? "yes" : "", static_cast<long long>(k.created_unix));
  }
}

struct KeysOptions {
  std::string master;
  std::string file;
  std::string type = "aead-xchacha20poly1305";
  std::string out;
  std::uint32_t id = 0;
  bool stage = false;
  bool json = false;
  std::string new_master;
  std::vector<std::string> files;
};

void Setup(CLI::App& app) {
  auto opts = std::make_shared<KeysOptions>();
  CLI::App* keys = app.add_subcommand("keys", "Create and rotate master keys and keysets");
  keys->require_subcommand(1);
  const char* master_help =
      "Master key source: file:PATH, env:NAME or credential:NAME (default: systemd credential "
      "bulwark-master-key, then $BULWARK_MASTER_KEY, then $BULWARK_MASTER_KEY_FILE)";

  CLI::App* gen_master =
      keys->add_subcommand("generate-master", "Create a new master key file (mode 0600)");
  gen_master->add_option("--out", opts->out, "File to create (must not exist)")->required();
  gen_master->callback([opts] {
    SecretBytes key = crypto::GenerateMasterKey();
    std::string text = secrets::EncodeMasterKey(key);
    Result<void> written = secrets::WriteSecretFile(opts->out, AsBytes(text));
    SecureWipe(text.data(), text.size());
    OrFail(std::move(written));
    std::fprintf(stderr, "master key written to %s (mode 0600); keep a backup offline\n",
                 opts->out.c_str());
    throw Exit{kExitOk};
  });

  CLI::App* gen = keys->add_subcommand("generate", "Create a new sealed keyset file");
  gen->add_option("--type", opts->type,
                  "aead-xchacha20poly1305 | hmac-sha256 | hmac-sha512 | ed25519")
      ->capture_default_str();
  gen->add_option("--out", opts->out, "Keyset file to create (must not exist)")->required();
  gen->add_option("--master", opts->master, master_help);
  gen->callback([opts] {
    crypto::KeyType type = OrFail(crypto::ParseKeyType(opts->type));
    SecretBytes master = OrFail(LoadMasterKey(opts->master));
    crypto::Keyset keyset = OrFail(crypto::Keyset::Generate(type));
    OrFail(SaveKeysetFile(opts->out, keyset, master, /*replace=*/false));
    PrintKeys(keyset, false);
    throw Exit{kExitOk};
  });

  CLI::App* rotate = keys->add_subcommand(
      "rotate", "Add a new key of the primary's type and make it primary (--stage: add only)");
  rotate->add_option("--file", opts->file, "Keyset file")->required();
  rotate->add_option("--master", opts->master, master_help);
  rotate->add_flag("--stage", opts->stage,
                   "Add the key without promoting it (promote later, once every instance has it)");
  rotate->callback([opts] {
    SecretBytes master = OrFail(LoadMasterKey(opts->master));
    crypto::Keyset keyset = OrFail(LoadKeysetFile(opts->file, master));
    crypto::KeyInfo primary = OrFail(keyset.Info(keyset.primary_id()));
    std::uint32_t id = OrFail(keyset.AddKey(primary.type));
    if (!opts->stage) OrFail(keyset.Promote(id));
    OrFail(SaveKeysetFile(opts->file, keyset, master, /*replace=*/true));
    PrintKeys(keyset, false);
    throw Exit{kExitOk};
  });

  struct IdCommand {
    const char* name;
    const char* help;
    Result<void> (crypto::Keyset::*action)(std::uint32_t);
  };
  for (IdCommand c : {IdCommand{"promote", "Make an enabled key the primary", &crypto::Keyset::Promote},
                      IdCommand{"retire", "Disable a non-primary key (it no longer decrypts or verifies)",
                                &crypto::Keyset::Disable},
                      IdCommand{"enable", "Re-enable a retired key", &crypto::Keyset::Enable},
                      IdCommand{"destroy", "Delete a retired key for good", &crypto::Keyset::Destroy}}) {
    CLI::App* cmd = keys->add_subcommand(c.name, c.help);
    cmd->add_option("--file", opts->file, "Keyset file")->required();
    cmd->add_option("--id", opts->id, "Key id (see 'bulwark keys list')")->required();
    cmd->add_option("--master", opts->master, master_help);
    auto action = c.action;
    cmd->callback([opts, action] {
      SecretBytes master = OrFail(LoadMasterKey(opts->master));
      crypto::Keyset keyset = OrFail(LoadKeysetFile(opts->file, master));
      OrFail((keyset.*action)(opts->id));
      OrFail(SaveKeysetFile(opts->file, keyset, master, /*replace=*/true));
      PrintKeys(keyset, false);
      throw Exit{kExitOk};
    });
  }

  CLI::App* list = keys->add_subcommand("list", "Show the keys of a keyset (never the material)");
  list->add_option("--file", opts->file, "Keyset file")->required();
  list->add_option("--master", opts->master, master_help);
  list->add_flag("--json", opts->json, "JSON output");
  list->callback([opts] {
    SecretBytes master = OrFail(LoadMasterKey(opts->master));
    crypto::Keyset keyset = OrFail(LoadKeysetFile(opts->file, master));
    PrintKeys(keyset, opts->json);
    throw Exit{kExitOk};
  });

  CLI::App* rotate_master = keys->add_subcommand(
      "rotate-master", "Re-seal keyset files under a new master key");
  rotate_master->add_option("--master", opts->master, "Current master key source")->required();
  rotate_master->add_option("--new-master", opts->new_master, "New master key source")->required();
  rotate_master->add_option("files", opts->files, "Keyset files")->required();
  rotate_master->callback([opts] {
    SecretBytes old_master = OrFail(LoadMasterKey(opts->master));
    SecretBytes new_master = OrFail(LoadMasterKey(opts->new_master));
    // Open everything first: either every file is re-sealed or none is.
    std::vector<crypto::Keyset> keysets;
    for (const std::string& file : opts->files) {
      keysets.push_back(OrFail(LoadKeysetFile(file, old_master)));
    }
    for (std::size_t i = 0; i < keysets.size(); ++i) {
      OrFail(SaveKeysetFile(opts->files[i], keysets[i], new_master, /*replace=*/true));
      std::fprintf(stderr, "re-sealed %s\n", opts->files[i].c_str());
    }
    throw Exit{kExitOk};
  });
}

const CommandRegistration kRegistration("keys", Setup);

}  // namespace
}  // namespace bulwark::cli
