#pragma once
// Uploads: streamed to disk under a size cap, typed by their content (magic
// bytes), never by the client's Content-Type or file name, checked against an
// allowlist, and stored under a random name the client never chose.
//
//   auto writer = files::UploadWriter::Begin(root, {.max_bytes = 5 << 20});
//   while (chunk) BULWARK_RETURN_IF_ERROR(writer->Write(chunk));
//   BULWARK_ASSIGN_OR_RETURN(files::StoredFile stored, writer->Commit());
//   // keep stored.name, stored.type, the user's display name (sanitized)
//
// Plain text is accepted only if the whole file (not just the first
// kSniffBytes that decide the type) is valid UTF-8 without control
// characters other than tab, newline, carriage return and form feed, and it
// neither starts like markup a browser would render nor contains such a tag
// anywhere (<html, <script, <svg, <?xml, ...). Whatever is stored is served through DownloadPolicy as an
// attachment with nosniff, so it is never rendered inline as HTML; the stored
// files are mode 0600 and never executable.
//
// Thread-safety: an UploadWriter is used by one thread at a time; several
// writers may work on one Root concurrently.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bulwark/core/bytes.h"
#include "bulwark/core/result.h"
#include "bulwark/crypto/hash.h"
#include "bulwark/files/root.h"

namespace bulwark::files {

enum class FileType : std::uint8_t { kPng, kJpeg, kGif, kWebp, kPdf, kZip, kPlainText };

std::string_view FileTypeMediaType(FileType type) noexcept;  // "image/png"
std::string_view FileTypeExtension(FileType type) noexcept;  // "png"

// The type of a file from its first bytes (up to kSniffBytes), or nullopt.
inline constexpr std::size_t kSniffBytes = 4096;
std::optional<FileType> DetectFileType(ByteView head) noexcept;

struct UploadOptions {
  std::size_t max_bytes = std::size_t{10} << 20;  // 10 MiB
  // Begin() refuses (kResourceExhausted) unless the file system keeps at
  // least this much free space after an upload of max_bytes: uploads must
  // not take the space the database and the audit trail need (free
  // accounts times a per-account quota can be more than the disk). 0: no
  // check.
  std::uint64_t min_free_bytes = std::uint64_t{64} << 20;  // 64 MiB
  std::vector<FileType> allowed_types = {FileType::kPng, FileType::kJpeg, FileType::kGif,
                                         FileType::kPdf};
};

struct StoredFile {
  std::string name;  // random, "<22 base64url chars>.<ext>", relative to the root
  FileType type;
  std::uint64_t size = 0;
  crypto::Sha256Digest sha256{};
};

class UploadWriter {
 public:
  // Creates a hidden partial file with a random name in `root`. The writer
  // keeps its own descriptor of the directory; `root` need not outlive it.
  // Errors: kInvalidArgument (max_bytes 0 or empty allowlist),
  // kResourceExhausted (less than min_free_bytes + max_bytes free), file errors.
  static Result<UploadWriter> Begin(const Root& root, UploadOptions options = {});

  UploadWriter(UploadWriter&& other) noexcept;
  UploadWriter& operator=(UploadWriter&&) = delete;
  UploadWriter(const UploadWriter&) = delete;
  UploadWriter& operator=(const UploadWriter&) = delete;
  // Removes the partial file unless Commit() succeeded.
  ~UploadWriter();

  // Appends a chunk. Errors: kResourceExhausted past max_bytes (the upload
  // is then dead and removed), kFailedPrecondition after an error or Commit.
  Result<void> Write(ByteView chunk);
  // Checks the type, syncs and moves the file to its final random name.
  // Errors: kInvalidArgument (empty, unknown or disallowed type),
  // kFailedPrecondition, file errors. On error the partial file is removed.
  Result<StoredFile> Commit();

 private:
  UploadWriter(int dir_fd, int file_fd, std::string partial_name, UploadOptions options);
  void Abort() noexcept;

  int dir_fd_ = -1;
  int file_fd_ = -1;
  std::string partial_name_;
  UploadOptions options_;
  std::uint64_t size_ = 0;
  Bytes head_;
  bool has_nul_ = false;
  // The plain-text check over the whole stream: still text so far, the
  // bytes of a UTF-8 sequence cut by the chunk boundary, and the last bytes
  // (lower-cased) so a markup tag split across chunks is still seen.
  void ScanText(ByteView chunk);
  bool text_ok_ = true;
  std::string utf8_pending_;
  std::string markup_tail_;
  bool done_ = false;
  struct HashState;
  std::unique_ptr<HashState> hash_;
};

}  // namespace bulwark::files
