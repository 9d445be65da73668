#pragma once
// files::Root: opening user-named files under one directory with no way out.
//
// A name from outside is checked (CheckRelativeName) and then resolved
// relative to the root's directory descriptor by the kernel with
// openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS |
// RESOLVE_NO_XDEV); on kernels without openat2 the name is walked one
// component at a time with openat(O_NOFOLLOW). Either way a symlink anywhere
// on the path, a ".." or an absolute path cannot reach outside the root, and
// a file swapped for a symlink between check and use is refused too.
//
// Refused names: empty, absolute ("/etc/passwd"), "." / ".." / dots-only
// segments, empty segments ("a//b", "a/"), backslashes, percent signs (so no
// encoded or double-encoded form can be decoded into a traversal later),
// NUL and other control characters, invalid or overlong UTF-8 (C0 AE),
// Unicode look-alikes of '.', '/' and '\' (U+FF0E, U+2215, U+FF0F, ...),
// bidirectional and zero-width format characters, and names over the limits.
//
// Reads also refuse anything but a regular file (devices, FIFOs, sockets,
// directories) and, by default, files with more than one hard link (a hard
// link planted inside the root can point at a file outside it).
//
// Thread-safety: a Root is immutable after Open(); its methods may be called
// concurrently. Ownership: Root and File own their descriptors (move-only).

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "bulwark/core/bytes.h"
#include "bulwark/core/result.h"
#include "bulwark/core/untrusted.h"

namespace bulwark::files {

struct NameLimits {
  std::size_t max_length = 1024;  // bytes
  std::size_t max_segment = 255;  // bytes per path segment (NAME_MAX)
  std::size_t max_depth = 16;     // segments
};

// Checks a user-supplied relative name; returns it unchanged when it is safe.
// Errors: kInvalidArgument (the message names the rule, never the input).
Result<std::string> CheckRelativeName(std::string_view name, const NameLimits& limits = {});

// An open file. Move-only; closes on destruction.
class File {
 public:
  File(File&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  File& operator=(File&& other) noexcept;
  File(const File&) = delete;
  File& operator=(const File&) = delete;
  ~File();

  int fd() const noexcept { return fd_; }
  Result<std::uint64_t> Size() const;
  // Reads up to out.size() bytes; 0 at end of file.
  Result<std::size_t> Read(std::span<std::uint8_t> out) const;
  // Writes all of `data`.
  Result<void> Write(ByteView data) const;
  // The whole file. Errors: kResourceExhausted if it is larger than max_bytes.
  Result<Bytes> ReadAll(std::size_t max_bytes) const;

 private:
  friend class Root;
  friend class UploadWriter;
  explicit File(int fd) noexcept : fd_(fd) {}
  int fd_ = -1;
};

struct RootOptions {
  NameLimits name_limits;
  // Reads of files with st_nlink > 1 are refused unless this is set.
  bool allow_hard_links = false;
};

class Root {
 public:
  // `directory` is operator configuration (trusted), opened once.
  // Errors: kNotFound, kPermissionDenied, kInvalidArgument (not a directory).
  static Result<Root> Open(const std::string& directory, RootOptions options = {});

  Root(Root&& other) noexcept;
  Root& operator=(Root&& other) noexcept;
  Root(const Root&) = delete;
  Root& operator=(const Root&) = delete;
  ~Root();

  // Opens an existing regular file for reading.
  // Errors: kInvalidArgument (bad name), kNotFound, kPermissionDenied
  // (symlink, escape, not a regular file, hard-linked).
  Result<File> OpenForRead(const Untrusted<std::string>& name) const;
  // Creates a new file (never overwrites, never follows a symlink), mode 0600.
  // Errors: kInvalidArgument, kAlreadyExists, kNotFound (missing directory),
  // kPermissionDenied.
  Result<File> CreateNew(const Untrusted<std::string>& name) const;
  // Removes a file (not a directory). Errors: as OpenForRead.
  Result<void> Remove(const Untrusted<std::string>& name) const;

  // The root directory's descriptor (owned by the Root).
  int fd() const noexcept { return fd_; }
  const RootOptions& options() const noexcept { return options_; }

  // Test hook: resolve with the O_NOFOLLOW component walk instead of openat2.
  void DisableOpenat2ForTest() noexcept { use_openat2_ = false; }

 private:
  friend class UploadWriter;
  Root(int fd, RootOptions options) noexcept : fd_(fd), options_(std::move(options)) {}
  // `name` has passed CheckRelativeName. Returns an owned descriptor.
  Result<int> OpenBeneath(const std::string& name, int flags, unsigned mode) const;
  // The directory holding the last segment of `name`, and that segment.
  Result<int> OpenParent(const std::string& name, std::string& last) const;

  int fd_ = -1;
  RootOptions options_;
  bool use_openat2_ = true;
};

}  // namespace bulwark::files
