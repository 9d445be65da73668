#include "bulwark/secrets/secrets.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "bulwark/core/encoding.h"

namespace bulwark::secrets {
namespace {

// Closes a file descriptor on scope exit.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_;
};

bool ValidName(std::string_view name) {
  if (name.empty() || name.size() > 255 || name == "." || name == "..") return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

Result<SecretSource> SecretSource::Parse(std::string_view spec) {
  const Error bad(ErrorCode::kInvalidArgument,
                  "secret source must be file:PATH, env:NAME or credential:NAME");
  const std::size_t colon = spec.find(':');
  if (colon == std::string_view::npos || colon + 1 >= spec.size()) return bad;
  const std::string_view kind = spec.substr(0, colon);
  std::string location(spec.substr(colon + 1));
  if (location.find('\0') != std::string::npos) return bad;
  if (kind == "file") {
    if (location.front() != '/') {
      return Error(ErrorCode::kInvalidArgument, "secret file paths must be absolute");
    }
    return File(std::move(location));
  }
  if (kind == "env") {
    if (!ValidName(location)) return bad;
    return Env(std::move(location));
  }
  if (kind == "credential") {
    if (!ValidName(location)) return bad;
    return Credential(std::move(location));
  }
  return bad;
}

std::string SecretSource::ToString() const {
  switch (kind_) {
    case Kind::kFile: return "file:" + location_;
    case Kind::kEnv: return "env:" + location_;
    case Kind::kCredential: return "credential:" + location_;
  }
  return "unknown";
}

Result<SecretBytes> SecretSource::Read() const {
  switch (kind_) {
    case Kind::kFile: return ReadSecretFile(location_);
    case Kind::kEnv: return ReadSecretEnv(location_);
    case Kind::kCredential: return ReadCredential(location_);
  }
  return Error(ErrorCode::kInternal, "unknown secret source");
}

Result<SecretBytes> ReadSecretFile(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK));
  if (fd.get() < 0) {
    if (errno == ENOENT) return Error(ErrorCode::kNotFound, "secret file does not exist");
    if (errno == ELOOP) {
      return Error(ErrorCode::kPermissionDenied, "secret file is a symlink; refusing to follow it");
    }
    return Error(ErrorCode::kPermissionDenied, "secret file cannot be opened");
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) {
    return Error(ErrorCode::kPermissionDenied, "secret file cannot be inspected");
  }
  if (!S_ISREG(st.st_mode)) {
    return Error(ErrorCode::kPermissionDenied, "secret file is not a regular file");
  }
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return Error(ErrorCode::kPermissionDenied,
                 "secret file is accessible to group or others; chmod 600 it");
  }
  if (st.st_uid != ::geteuid() && st.st_uid != 0) {
    return Error(ErrorCode::kPermissionDenied, "secret file is owned by another user");
  }
  if (static_cast<std::size_t>(st.st_size) > kMaxSecretSize) {
    return Error(ErrorCode::kResourceExhausted, "secret file is too large");
  }
  SecretBytes out = SecretBytes::Adopt(Bytes(static_cast<std::size_t>(st.st_size)));
  Bytes& buf = out.RevealMutable(InsecureSecretAccess());
  std::size_t total = 0;
  while (total < buf.size()) {
    const ssize_t n = ::read(fd.get(), buf.data() + total, buf.size() - total);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Error(ErrorCode::kDataLoss, "secret file changed while being read");
    total += static_cast<std::size_t>(n);
  }
  return out;
}

Result<SecretBytes> ReadSecretEnv(const std::string& name) {
  if (!ValidName(name)) return Error(ErrorCode::kInvalidArgument, "invalid environment name");
  char* value = std::getenv(name.c_str());
  if (value == nullptr) return Error(ErrorCode::kNotFound, "environment variable is not set");
  const std::size_t size = std::strlen(value);
  if (size > kMaxSecretSize) {
    return Error(ErrorCode::kResourceExhausted, "environment secret is too large");
  }
  SecretBytes out = SecretBytes::CopyFrom(AsBytes(std::string_view(value, size)));
  SecureWipe(value, size);
  ::unsetenv(name.c_str());
  return out;
}

Result<SecretBytes> ReadCredential(const std::string& name) {
  if (!ValidName(name)) return Error(ErrorCode::kInvalidArgument, "invalid credential name");
  const char* dir = std::getenv("CREDENTIALS_DIRECTORY");
  if (dir == nullptr || dir[0] != '/') {
    return Error(ErrorCode::kNotFound, "no systemd credentials directory ($CREDENTIALS_DIRECTORY)");
  }
  return ReadSecretFile(std::string(dir) + "/" + name);
}

Result<void> WriteSecretFile(const std::string& path, ByteView data, bool replace) {
  const std::size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
  struct stat dst {};
  if (::stat(dir.c_str(), &dst) != 0 || !S_ISDIR(dst.st_mode)) {
    return Error(ErrorCode::kNotFound, "directory for the secret file does not exist");
  }
  if ((dst.st_mode & S_IWOTH) != 0 && (dst.st_mode & S_ISVTX) == 0) {
    return Error(ErrorCode::kPermissionDenied, "directory for the secret file is world-writable");
  }
  if (!replace && ::access(path.c_str(), F_OK) == 0) {
    return Error(ErrorCode::kAlreadyExists, "secret file already exists; refusing to overwrite");
  }
  std::string tmp = path + ".tmp-XXXXXX";
  Fd fd(::mkostemp(tmp.data(), O_CLOEXEC));
  if (fd.get() < 0) return Error(ErrorCode::kPermissionDenied, "cannot create the secret file");
  auto fail = [&](const char* message) {
    ::unlink(tmp.c_str());
    return Error(ErrorCode::kUnavailable, message);
  };
  if (::fchmod(fd.get(), 0600) != 0) return fail("cannot set secret file permissions");
  std::size_t written = 0;
  while (written < data.size()) {
    const ssize_t n = ::write(fd.get(), data.data() + written, data.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return fail("cannot write the secret file");
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd.get()) != 0) return fail("cannot flush the secret file");
  ::close(fd.release());
  if (!replace) {
    // link() fails if the target appeared meanwhile: no silent overwrite.
    if (::link(tmp.c_str(), path.c_str()) != 0) {
      ::unlink(tmp.c_str());
      return Error(ErrorCode::kAlreadyExists, "secret file already exists; refusing to overwrite");
    }
    ::unlink(tmp.c_str());
  } else if (::rename(tmp.c_str(), path.c_str()) != 0) {
    return fail("cannot move the secret file into place");
  }
  return Ok();
}

Result<SecretBytes> DecodeMasterKey(const SecretBytes& text) {
  std::string_view view = AsChars(text.RevealBytes(InsecureSecretAccess()));
  if (view.ends_with("\r\n")) {
    view.remove_suffix(2);
  } else if (view.ends_with('\n')) {
    view.remove_suffix(1);
  }
  Result<SecretBytes> key = Base64UrlDecodeSecret(view);
  if (!key.ok() || key->size() != 32) {
    return Error(ErrorCode::kInvalidArgument,
                 "master key must be base64url of 32 bytes (bulwark keys generate-master)");
  }
  return key;
}

std::string EncodeMasterKey(const SecretBytes& key) {
  return Base64UrlEncode(key.RevealBytes(InsecureSecretAccess())) + "\n";
}

}  // namespace bulwark::secrets
