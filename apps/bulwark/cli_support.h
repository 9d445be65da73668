#pragma once
// Helpers shared by the CLI's commands: master-key loading, keyset files,
// reading passwords without echo.

#include <optional>
#include <string>

#include "bulwark/core/result.h"
#include "bulwark/core/secret.h"
#include "bulwark/crypto/keyset.h"

namespace bulwark::cli {

// The master key from `spec` (file:PATH | env:NAME | credential:NAME), or when
// empty from, in order: the systemd credential "bulwark-master-key", the
// environment variable BULWARK_MASTER_KEY, the file named by
// BULWARK_MASTER_KEY_FILE.
Result<SecretBytes> LoadMasterKey(const std::string& spec);

Result<crypto::Keyset> LoadKeysetFile(const std::string& path, const SecretBytes& master_key);
Result<void> SaveKeysetFile(const std::string& path, const crypto::Keyset& keyset,
                            const SecretBytes& master_key, bool replace);

// Reads one line from stdin. On a terminal, prompts on stderr with echo off.
// Errors: kInvalidArgument for empty input or a line over `max_bytes`.
Result<SecretString> ReadPasswordLine(const std::string& prompt, std::size_t max_bytes);
bool StdinIsTerminal();

// Prints "bulwark: <code>: <message>" and returns Exit{kExitUsage}.
[[noreturn]] void Fail(const Error& error);

}  // namespace bulwark::cli
