#include "keys.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <optional>

#include "bulwark/secrets/secrets.h"

namespace bulwark::service {
namespace {

bool Exists(const std::string& path) {
  struct stat st {};
  // bulwark-ignore: path-traversal the only caller passes systemd's CREDENTIALS_DIRECTORY, set by the operator
  return ::lstat(path.c_str(), &st) == 0;
}

Result<void> MakeDir(const std::string& dir) {
  if (::mkdir(dir.c_str(), 0700) == 0 || errno == EEXIST) return Ok();
  if (errno == ENOENT) {
    std::size_t slash = dir.find_last_of('/');
    if (slash != std::string::npos && slash > 0) {
      BULWARK_RETURN_IF_ERROR(MakeDir(dir.substr(0, slash)));
      if (::mkdir(dir.c_str(), 0700) == 0 || errno == EEXIST) return Ok();
    }
  }
  return Error(ErrorCode::kUnavailable,
               "cannot create directory " + dir + ": " + std::strerror(errno));
}

Result<SecretBytes> LoadMaster(const Config& config, bool create,
                               std::vector<std::string>* created) {
  std::optional<secrets::SecretSource> source;
  if (!config.master_key.empty()) {
    BULWARK_ASSIGN_OR_RETURN(source, secrets::SecretSource::Parse(config.master_key));
  } else if (const char* dir = std::getenv("CREDENTIALS_DIRECTORY");
             dir != nullptr && Exists(std::string(dir) + "/bulwark-master-key")) {
    source = secrets::SecretSource::Credential("bulwark-master-key");
  } else if (std::getenv("BULWARK_MASTER_KEY") != nullptr) {
    source = secrets::SecretSource::Env("BULWARK_MASTER_KEY");
  } else if (const char* file = std::getenv("BULWARK_MASTER_KEY_FILE"); file != nullptr) {
    source = secrets::SecretSource::File(file);
  } else {
    std::string path = config.data_dir + "/master.key";
    if (!Exists(path)) {
      if (!create) return Error(ErrorCode::kNotFound, "no master key at " + path);
      SecretBytes key = crypto::GenerateMasterKey();
      std::string text = secrets::EncodeMasterKey(key);
      Result<void> written = secrets::WriteSecretFile(path, AsBytes(text));
      SecureWipe(text.data(), text.size());
      BULWARK_RETURN_IF_ERROR(written);
      if (created) {
        created->push_back("created master key " + path +
                           " (0600): back it up offline; without it the keysets cannot be opened");
      }
    }
    source = secrets::SecretSource::File(path);
  }
  Result<SecretBytes> raw = source->Read();
  if (!raw.ok()) {
    return Error(raw.error().code(), "master key (" + source->ToString() + "): " +
                                         raw.error().message());
  }
  return secrets::DecodeMasterKey(*raw);
}

Result<crypto::Keyset> LoadKeyset(const std::string& dir, const std::string& name,
                                  crypto::KeyType type, const SecretBytes& master, bool create,
                                  std::vector<std::string>* created) {
  std::string path = dir + "/" + name + ".keyset";
  if (!Exists(path)) {
    if (!create) return Error(ErrorCode::kNotFound, "keyset missing: " + path);
    BULWARK_ASSIGN_OR_RETURN(crypto::Keyset ks, crypto::Keyset::Generate(type));
    BULWARK_ASSIGN_OR_RETURN(std::string sealed, ks.Seal(master));
    sealed += "\n";
    BULWARK_RETURN_IF_ERROR(secrets::WriteSecretFile(path, AsBytes(sealed)));
    if (created) created->push_back("created keyset " + path);
    return ks;
  }
  Result<SecretBytes> text = secrets::ReadSecretFile(path);
  if (!text.ok()) {
    return Error(text.error().code(), "keyset " + path + ": " + text.error().message());
  }
  std::string_view sealed = AsChars(text->RevealBytes(InsecureSecretAccess()));
  while (!sealed.empty() && (sealed.back() == '\n' || sealed.back() == '\r')) sealed.remove_suffix(1);
  Result<crypto::Keyset> ks = crypto::Keyset::Open(sealed, master);
  if (!ks.ok()) {
    return Error(ks.error().code(), "keyset " + path + ": " + ks.error().message());
  }
  crypto::KeyInfo primary = *ks->Info(ks->primary_id());
  if (primary.type != type) {
    return Error(ErrorCode::kFailedPrecondition,
                 "keyset " + path + ": primary key is " +
                     std::string(crypto::KeyTypeName(primary.type)) + ", expected " +
                     std::string(crypto::KeyTypeName(type)));
  }
  return std::move(ks).value();
}

}  // namespace

Result<void> PrepareDataDir(const std::string& dir, bool create) {
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) {
    if (!create) return Error(ErrorCode::kNotFound, "data directory not found: " + dir);
    BULWARK_RETURN_IF_ERROR(MakeDir(dir));
    if (::stat(dir.c_str(), &st) != 0) {
      return Error(ErrorCode::kUnavailable, "cannot stat data directory " + dir);
    }
  }
  if (!S_ISDIR(st.st_mode)) {
    return Error(ErrorCode::kFailedPrecondition, "data directory is not a directory: " + dir);
  }
  if ((st.st_mode & 077) != 0) {
    return Error(ErrorCode::kPermissionDenied,
                 "data directory " + dir +
                     " is accessible to group or others; it holds keys: chmod 700 it");
  }
  if (st.st_uid != ::geteuid()) {
    return Error(ErrorCode::kPermissionDenied,
                 "data directory " + dir + " belongs to another user");
  }
  return Ok();
}

Result<ServiceKeys> LoadKeys(const Config& config, bool create,
                             std::vector<std::string>* created) {
  BULWARK_RETURN_IF_ERROR(PrepareDataDir(config.data_dir, create));
  BULWARK_ASSIGN_OR_RETURN(SecretBytes master, LoadMaster(config, create, created));
  std::string dir = config.data_dir + "/keys";
  if (create) BULWARK_RETURN_IF_ERROR(MakeDir(dir));
  BULWARK_RETURN_IF_ERROR(PrepareDataDir(dir, false));
  using crypto::KeyType;
  BULWARK_ASSIGN_OR_RETURN(crypto::Keyset jwt,
                           LoadKeyset(dir, "jwt", KeyType::kEd25519, master, create, created));
  BULWARK_ASSIGN_OR_RETURN(crypto::Keyset csrf,
                           LoadKeyset(dir, "csrf", KeyType::kHmacSha256, master, create, created));
  BULWARK_ASSIGN_OR_RETURN(
      crypto::Keyset refresh, LoadKeyset(dir, "refresh", KeyType::kHmacSha256, master, create, created));
  BULWARK_ASSIGN_OR_RETURN(crypto::Keyset audit,
                           LoadKeyset(dir, "audit", KeyType::kHmacSha256, master, create, created));
  BULWARK_ASSIGN_OR_RETURN(crypto::Keyset mfa,
                           LoadKeyset(dir, "mfa", KeyType::kHmacSha256, master, create, created));
  BULWARK_ASSIGN_OR_RETURN(
      crypto::Keyset data,
      LoadKeyset(dir, "data", KeyType::kAeadXChaCha20Poly1305, master, create, created));
  return ServiceKeys{std::move(jwt), std::move(csrf), std::move(refresh),
                     std::move(audit), std::move(mfa), std::move(data)};
}

}  // namespace bulwark::service
