#pragma once
// Secret sources: where key material comes from at run time, read straight
// into Secret<T>.
//   file:/etc/bulwark/master.key   a file only its owner can read (0600/0400)
//   env:BULWARK_MASTER_KEY         an environment variable (removed once read)
//   credential:bulwark-master-key  a systemd credential ($CREDENTIALS_DIRECTORY)
// Files readable by group or others are refused: a secret any local user can
// read is not a secret. Sizes are bounded and symlinks are not followed.
//
// Thread-safety: Read* functions are thread-safe, except ReadSecretEnv, which
// modifies the environment (call it during start-up).

#include <cstddef>
#include <string>
#include <string_view>

#include "bulwark/core/bytes.h"
#include "bulwark/core/result.h"
#include "bulwark/core/secret.h"

namespace bulwark::secrets {

inline constexpr std::size_t kMaxSecretSize = 64 * 1024;

class SecretSource {
 public:
  enum class Kind { kFile, kEnv, kCredential };

  // Parses "file:PATH", "env:NAME" or "credential:NAME".
  // Errors: kInvalidArgument with the accepted forms (never the input).
  static Result<SecretSource> Parse(std::string_view spec);
  static SecretSource File(std::string path) { return {Kind::kFile, std::move(path)}; }
  static SecretSource Env(std::string name) { return {Kind::kEnv, std::move(name)}; }
  static SecretSource Credential(std::string name) { return {Kind::kCredential, std::move(name)}; }

  Kind kind() const noexcept { return kind_; }
  const std::string& location() const noexcept { return location_; }
  // "file:/path" etc.: safe to log (it names where, not what).
  std::string ToString() const;

  // Reads the raw secret bytes.
  Result<SecretBytes> Read() const;

 private:
  SecretSource(Kind kind, std::string location) : kind_(kind), location_(std::move(location)) {}
  Kind kind_;
  std::string location_;
};

// Reads a whole file into a Secret. Errors: kNotFound; kPermissionDenied when
// it is readable by group or others, not a regular file, a symlink, or owned
// by another (non-root) user; kResourceExhausted past kMaxSecretSize.
Result<SecretBytes> ReadSecretFile(const std::string& path);

// Reads an environment variable and unsets it, so child processes and
// /proc/self/environ readers do not see it later. Errors: kNotFound.
Result<SecretBytes> ReadSecretEnv(const std::string& name);

// Reads $CREDENTIALS_DIRECTORY/<name> (systemd LoadCredential=). Errors:
// kNotFound when no credentials directory is set or the name is invalid.
Result<SecretBytes> ReadCredential(const std::string& name);

// Creates `path` with mode 0600 holding `data`, atomically (temporary file in
// the same directory, fsync, rename). Refuses to replace an existing file
// unless `replace` is true. The directory must exist and must not be
// writable by others.
Result<void> WriteSecretFile(const std::string& path, ByteView data, bool replace = false);

// Master keys are stored as text: base64url of 32 bytes, optionally followed
// by a newline. Decodes and checks the size.
Result<SecretBytes> DecodeMasterKey(const SecretBytes& text);
std::string EncodeMasterKey(const SecretBytes& key);

}  // namespace bulwark::secrets
