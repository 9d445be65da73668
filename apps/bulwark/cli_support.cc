#include "cli_support.h"

#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "bulwark/secrets/secrets.h"
#include "commands.h"

namespace bulwark::cli {

Result<SecretBytes> LoadMasterKey(const std::string& spec) {
  std::optional<secrets::SecretSource> source;
  if (!spec.empty()) {
    BULWARK_ASSIGN_OR_RETURN(source, secrets::SecretSource::Parse(spec));
  } else if (const char* dir = std::getenv("CREDENTIALS_DIRECTORY");
             dir != nullptr && ::access((std::string(dir) + "/bulwark-master-key").c_str(), F_OK) == 0) {
    source = secrets::SecretSource::Credential("bulwark-master-key");
  } else if (std::getenv("BULWARK_MASTER_KEY") != nullptr) {
    source = secrets::SecretSource::Env("BULWARK_MASTER_KEY");
  } else if (const char* file = std::getenv("BULWARK_MASTER_KEY_FILE"); file != nullptr) {
    BULWARK_ASSIGN_OR_RETURN(source, secrets::SecretSource::Parse(std::string("file:") + file));
  } else {
    return Error(ErrorCode::kNotFound,
                 "no master key: pass --master file:PATH|env:NAME|credential:NAME, or set "
                 "BULWARK_MASTER_KEY_FILE (create one with 'bulwark keys generate-master')");
  }
  Result<SecretBytes> raw = source->Read();
  if (!raw.ok()) {
    return Error(raw.error().code(),
                 "master key (" + source->ToString() + "): " + raw.error().message());
  }
  return secrets::DecodeMasterKey(*raw);
}

Result<crypto::Keyset> LoadKeysetFile(const std::string& path, const SecretBytes& master_key) {
  // Sealed keysets are encrypted, but they are still kept private.
  Result<SecretBytes> text = secrets::ReadSecretFile(path);
  if (!text.ok()) return Error(text.error().code(), "keyset file: " + text.error().message());
  return crypto::Keyset::Open(AsChars(text->RevealBytes(InsecureSecretAccess())), master_key);
}

Result<void> SaveKeysetFile(const std::string& path, const crypto::Keyset& keyset,
                            const SecretBytes& master_key, bool replace) {
  BULWARK_ASSIGN_OR_RETURN(std::string sealed, keyset.Seal(master_key));
  sealed += "\n";
  return secrets::WriteSecretFile(path, AsBytes(sealed), replace);
}

bool StdinIsTerminal() { return ::isatty(STDIN_FILENO) == 1; }

Result<SecretString> ReadPasswordLine(const std::string& prompt, std::size_t max_bytes) {
  const bool tty = StdinIsTerminal();
  termios saved{};
  if (tty) {
    std::fprintf(stderr, "%s", prompt.c_str());
    std::fflush(stderr);
    ::tcgetattr(STDIN_FILENO, &saved);
    termios silent = saved;
    silent.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent);
  }
  SecretString line = SecretString::Adopt(std::string());
  std::string& buf = line.RevealMutable(InsecureSecretAccess());
  buf.reserve(max_bytes + 2);  // no reallocation: no stray copies of the password
  bool too_long = false;
  int c = 0;
  while ((c = std::fgetc(stdin)) != EOF && c != '\n') {
    if (buf.size() > max_bytes) {
      too_long = true;
      continue;  // drain the line
    }
    buf.push_back(static_cast<char>(c));
  }
  if (tty) {
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    std::fprintf(stderr, "\n");
  }
  if (!buf.empty() && buf.back() == '\r') buf.pop_back();
  if (too_long || buf.size() > max_bytes) {
    return Error(ErrorCode::kInvalidArgument, "password is too long");
  }
  if (buf.empty()) return Error(ErrorCode::kInvalidArgument, "empty password");
  return line;
}

void Fail(const Error& error) {
  PrintError(error.ToString());
  throw Exit{kExitUsage};
}

}  // namespace bulwark::cli
