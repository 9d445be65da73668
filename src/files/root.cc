#include "bulwark/files/root.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <utility>

#include "src/files/utf8.h"

namespace bulwark::files {
namespace {

Error Invalid(std::string message) { return Error(ErrorCode::kInvalidArgument, std::move(message)); }

Error FromErrno(int err) {
  switch (err) {
    case ENOENT:
      return Error(ErrorCode::kNotFound, "file does not exist");
    case EEXIST:
      return Error(ErrorCode::kAlreadyExists, "file already exists");
    case ELOOP:
    case EXDEV:
    case EACCES:
    case EPERM:
    case ENOTDIR:
    case EISDIR:
    case ENXIO:
      return Error(ErrorCode::kPermissionDenied, "path is not a file inside the root");
    case ENOSPC:
    case EDQUOT:
    case EMFILE:
    case ENFILE:
      return Error(ErrorCode::kResourceExhausted, "out of space or descriptors");
    default:
      return Error(ErrorCode::kInternal, "file system operation failed");
  }
}

// openat2 missing in this kernel (or blocked by a seccomp filter): remember.
std::atomic<bool> g_openat2_unavailable{false};

long Openat2(int dirfd, const char* path, int flags, unsigned mode) {
  open_how how{};
  how.flags = static_cast<std::uint64_t>(flags);
  how.mode = mode;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV;
  long rc;
  do {
    rc = syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
  } while (rc < 0 && errno == EAGAIN);
  return rc;
}

}  // namespace

Result<std::string> CheckRelativeName(std::string_view name, const NameLimits& limits) {
  if (name.empty()) return Invalid("file name is empty");
  if (name.size() > limits.max_length) return Invalid("file name is too long");
  if (name.front() == '/') return Invalid("file name must be relative");
  std::size_t depth = 0;
  std::size_t segment_start = 0;
  bool dots_only = true;
  for (std::size_t i = 0; i <= name.size();) {
    if (i == name.size() || name[i] == '/') {
      std::size_t len = i - segment_start;
      if (len == 0) return Invalid("file name has an empty segment");
      if (dots_only) return Invalid("file name has a '.' or '..' segment");
      if (len > limits.max_segment) return Invalid("file name segment is too long");
      if (++depth > limits.max_depth) return Invalid("file name is too deep");
      if (i == name.size()) break;
      ++i;
      segment_start = i;
      dots_only = true;
      continue;
    }
    char c = name[i];
    if (c == '\\') return Invalid("file name must not contain a backslash");
    if (c == '%') return Invalid("file name must not contain percent-encoding");
    std::int32_t cp = internal::DecodeUtf8(name, i);
    if (cp < 0) return Invalid("file name is not valid UTF-8");
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)) {
      return Invalid("file name must not contain control characters");
    }
    if (internal::IsPathLookalike(cp)) {
      return Invalid("file name contains a look-alike of '.', '/' or '\\'");
    }
    if (internal::IsInvisibleFormat(cp)) {
      return Invalid("file name contains an invisible formatting character");
    }
    if (cp != '.') dots_only = false;
  }
  return std::string(name);
}

File& File::operator=(File&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

File::~File() {
  if (fd_ >= 0) close(fd_);
}

Result<std::uint64_t> File::Size() const {
  struct stat st{};
  if (fstat(fd_, &st) != 0) return FromErrno(errno);
  return static_cast<std::uint64_t>(st.st_size);
}

Result<std::size_t> File::Read(std::span<std::uint8_t> out) const {
  while (true) {
    ssize_t n = read(fd_, out.data(), out.size());
    if (n >= 0) return static_cast<std::size_t>(n);
    if (errno != EINTR) return FromErrno(errno);
  }
}

Result<void> File::Write(ByteView data) const {
  while (!data.empty()) {
    ssize_t n = write(fd_, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return FromErrno(errno);
    }
    data = data.subspan(static_cast<std::size_t>(n));
  }
  return Ok();
}

Result<Bytes> File::ReadAll(std::size_t max_bytes) const {
  Bytes out;
  std::uint8_t buf[16384];
  while (true) {
    BULWARK_ASSIGN_OR_RETURN(std::size_t n, Read(buf));
    if (n == 0) return out;
    if (out.size() + n > max_bytes) {
      return Error(ErrorCode::kResourceExhausted, "file is larger than the limit");
    }
    out.insert(out.end(), buf, buf + n);
  }
}

Result<Root> Root::Open(const std::string& directory, RootOptions options) {
  int fd = open(directory.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOTDIR) return Invalid("root is not a directory");
    return FromErrno(errno);
  }
  return Root(fd, std::move(options));
}

Root::Root(Root&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      options_(std::move(other.options_)),
      use_openat2_(other.use_openat2_) {}

Root& Root::operator=(Root&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    options_ = std::move(other.options_);
    use_openat2_ = other.use_openat2_;
  }
  return *this;
}

Root::~Root() {
  if (fd_ >= 0) close(fd_);
}

Result<int> Root::OpenBeneath(const std::string& name, int flags, unsigned mode) const {
  flags |= O_CLOEXEC | O_NOFOLLOW;
  if (use_openat2_ && !g_openat2_unavailable.load(std::memory_order_relaxed)) {
    long rc = Openat2(fd_, name.c_str(), flags, mode);
    if (rc >= 0) return static_cast<int>(rc);
    if (errno != ENOSYS) return FromErrno(errno);
    g_openat2_unavailable.store(true, std::memory_order_relaxed);
  }
  // Fallback: walk the components, refusing symlinks at every step.
  std::string last;
  BULWARK_ASSIGN_OR_RETURN(int dir, OpenParent(name, last));
  int fd = openat(dir, last.c_str(), flags, mode);
  int err = errno;
  close(dir);
  if (fd < 0) return FromErrno(err);
  return fd;
}

Result<int> Root::OpenParent(const std::string& name, std::string& last) const {
  int dir = fcntl(fd_, F_DUPFD_CLOEXEC, 0);
  if (dir < 0) return FromErrno(errno);
  std::size_t start = 0;
  while (true) {
    std::size_t slash = name.find('/', start);
    if (slash == std::string::npos) break;
    std::string segment = name.substr(start, slash - start);
    int next = openat(dir, segment.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    int err = errno;
    struct stat st{};
    if (next >= 0 && (fstat(next, &st) != 0 || !S_ISDIR(st.st_mode))) {
      close(next);
      next = -1;
      err = ENOTDIR;
    }
    close(dir);
    if (next < 0) return FromErrno(err);
    dir = next;
    start = slash + 1;
  }
  last = name.substr(start);
  return dir;
}

Result<File> Root::OpenForRead(const Untrusted<std::string>& untrusted) const {
  BULWARK_ASSIGN_OR_RETURN(std::string name,
                           CheckRelativeName(untrusted.UnvalidatedValue(), options_.name_limits));
  // O_NONBLOCK: opening a FIFO must not hang; it is refused below anyway.
  BULWARK_ASSIGN_OR_RETURN(int fd, OpenBeneath(name, O_RDONLY | O_NONBLOCK | O_NOCTTY, 0));
  File file(fd);
  struct stat st{};
  if (fstat(fd, &st) != 0) return FromErrno(errno);
  if (!S_ISREG(st.st_mode)) {
    return Error(ErrorCode::kPermissionDenied, "path is not a regular file");
  }
  if (st.st_nlink > 1 && !options_.allow_hard_links) {
    return Error(ErrorCode::kPermissionDenied, "file has more than one hard link");
  }
  int fl = fcntl(fd, F_GETFL);
  if (fl >= 0) fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
  return file;
}

Result<File> Root::CreateNew(const Untrusted<std::string>& untrusted) const {
  BULWARK_ASSIGN_OR_RETURN(std::string name,
                           CheckRelativeName(untrusted.UnvalidatedValue(), options_.name_limits));
  BULWARK_ASSIGN_OR_RETURN(int fd, OpenBeneath(name, O_WRONLY | O_CREAT | O_EXCL, 0600));
  return File(fd);
}

Result<void> Root::Remove(const Untrusted<std::string>& untrusted) const {
  BULWARK_ASSIGN_OR_RETURN(std::string name,
                           CheckRelativeName(untrusted.UnvalidatedValue(), options_.name_limits));
  std::string last;
  BULWARK_ASSIGN_OR_RETURN(int dir, OpenParent(name, last));
  int rc = unlinkat(dir, last.c_str(), 0);
  int err = errno;
  close(dir);
  if (rc != 0) return FromErrno(err);
  return Ok();
}

}  // namespace bulwark::files
