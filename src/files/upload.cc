#include "bulwark/files/upload.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <utility>

#include "bulwark/crypto/random.h"
#include "src/files/utf8.h"

namespace bulwark::files {
namespace {

bool StartsWith(ByteView data, std::string_view magic, std::size_t at = 0) noexcept {
  if (data.size() < at + magic.size()) return false;
  return std::memcmp(data.data() + at, magic.data(), magic.size()) == 0;
}

char Lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// Tags that make a browser (or a sniffing client) treat text as markup.
constexpr std::string_view kMarkupTags[] = {"<script", "<html",  "<svg",  "<iframe", "<body",
                                            "<!doctype", "<?xml", "<head", "<object", "<embed",
                                            "<img",    "<a ",    "<style", "<meta",  "<link"};
constexpr std::size_t kLongestTag = 9;  // "<!doctype"

bool IsTextControl(std::int32_t cp) noexcept {
  return (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r' && cp != '\f') || cp == 0x7F;
}

// True if `rest` (shorter than its lead byte says) could still become a
// valid sequence: a multi-byte lead and only continuation bytes after it.
// The full sequence is decoded, strictly, once the next chunk completes it.
bool IsCutUtf8Sequence(std::string_view rest) noexcept {
  if (rest.empty() || rest.size() > 3) return false;
  const auto b0 = static_cast<std::uint8_t>(rest[0]);
  std::size_t len = (b0 >= 0xC2 && b0 <= 0xDF) ? 2 : (b0 >= 0xE0 && b0 <= 0xEF) ? 3
                    : (b0 >= 0xF0 && b0 <= 0xF4) ? 4 : 0;
  if (len == 0 || rest.size() >= len) return false;
  for (std::size_t k = 1; k < rest.size(); ++k) {
    if ((static_cast<std::uint8_t>(rest[k]) & 0xC0) != 0x80) return false;
  }
  return true;
}

bool LooksLikeMarkup(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = Lower(c);
  std::size_t i = 0;
  if (lower.starts_with("\xEF\xBB\xBF")) i = 3;
  while (i < lower.size() && (lower[i] == ' ' || lower[i] == '\t' || lower[i] == '\r' ||
                              lower[i] == '\n' || lower[i] == '\f')) {
    ++i;
  }
  if (i < lower.size() && lower[i] == '<') return true;
  for (auto tag : kMarkupTags) {
    if (lower.find(tag) != std::string::npos) return true;
  }
  return false;
}

bool IsPlainText(ByteView head) {
  std::string_view text = AsChars(head);
  for (std::size_t i = 0; i < text.size();) {
    std::size_t start = i;
    std::int32_t cp = internal::DecodeUtf8(text, i);
    if (cp < 0) {
      // A sequence cut by the sniff window is fine; anything else is binary.
      if (head.size() == kSniffBytes && text.size() - start < 4) break;
      return false;
    }
    if (IsTextControl(cp)) return false;
  }
  return !LooksLikeMarkup(text);
}

Error FromErrno(int err) {
  if (err == ENOSPC || err == EDQUOT) {
    return Error(ErrorCode::kResourceExhausted, "out of disk space");
  }
  return Error(ErrorCode::kInternal, "file system operation failed");
}

}  // namespace

struct UploadWriter::HashState {
  crypto_hash_sha256_state state;
};

std::string_view FileTypeMediaType(FileType type) noexcept {
  switch (type) {
    case FileType::kPng: return "image/png";
    case FileType::kJpeg: return "image/jpeg";
    case FileType::kGif: return "image/gif";
    case FileType::kWebp: return "image/webp";
    case FileType::kPdf: return "application/pdf";
    case FileType::kZip: return "application/zip";
    case FileType::kPlainText: return "text/plain";
  }
  return "application/octet-stream";
}

std::string_view FileTypeExtension(FileType type) noexcept {
  switch (type) {
    case FileType::kPng: return "png";
    case FileType::kJpeg: return "jpg";
    case FileType::kGif: return "gif";
    case FileType::kWebp: return "webp";
    case FileType::kPdf: return "pdf";
    case FileType::kZip: return "zip";
    case FileType::kPlainText: return "txt";
  }
  return "bin";
}

std::optional<FileType> DetectFileType(ByteView head) noexcept {
  if (head.size() > kSniffBytes) head = head.first(kSniffBytes);
  if (head.empty()) return std::nullopt;
  if (StartsWith(head, "\x89PNG\r\n\x1a\n")) return FileType::kPng;
  if (StartsWith(head, "\xFF\xD8\xFF")) return FileType::kJpeg;
  if (StartsWith(head, "GIF87a") || StartsWith(head, "GIF89a")) return FileType::kGif;
  if (StartsWith(head, "RIFF") && StartsWith(head, "WEBP", 8)) return FileType::kWebp;
  if (StartsWith(head, "%PDF-")) return FileType::kPdf;
  if (StartsWith(head, std::string_view("PK\x03\x04", 4)) ||
      StartsWith(head, std::string_view("PK\x05\x06", 4))) {
    return FileType::kZip;
  }
  try {
    if (IsPlainText(head)) return FileType::kPlainText;
  } catch (...) {  // allocation failure: unknown type
  }
  return std::nullopt;
}

Result<UploadWriter> UploadWriter::Begin(const Root& root, UploadOptions options) {
  if (options.max_bytes == 0 || options.allowed_types.empty()) {
    return Error(ErrorCode::kInvalidArgument, "upload needs a size cap and allowed types");
  }
  int dir = openat(root.fd(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) return FromErrno(errno);
  if (options.min_free_bytes > 0) {
    struct statvfs fs {};
    if (fstatvfs(dir, &fs) != 0) {
      const int err = errno;
      close(dir);
      return FromErrno(err);
    }
    const std::uint64_t block = fs.f_frsize != 0 ? fs.f_frsize : fs.f_bsize;
    const std::uint64_t blocks = static_cast<std::uint64_t>(fs.f_bavail);
    const std::uint64_t needed = options.min_free_bytes > UINT64_MAX - options.max_bytes
                                     ? UINT64_MAX
                                     : options.min_free_bytes + options.max_bytes;
    // blocks * block < needed, without overflowing the product.
    if (block == 0 || blocks < needed / block + (needed % block != 0 ? 1 : 0)) {
      close(dir);
      return Error(ErrorCode::kResourceExhausted, "not enough free space on the file system for an upload");
    }
  }
  std::string partial = ".partial-" + crypto::RandomToken(16);
  Result<File> file = root.CreateNew(Untrusted<std::string>(partial));
  if (!file.ok()) {
    close(dir);
    return std::move(file).error();
  }
  int fd = std::exchange(file->fd_, -1);
  return UploadWriter(dir, fd, std::move(partial), std::move(options));
}

UploadWriter::UploadWriter(int dir_fd, int file_fd, std::string partial_name,
                           UploadOptions options)
    : dir_fd_(dir_fd),
      file_fd_(file_fd),
      partial_name_(std::move(partial_name)),
      options_(std::move(options)),
      hash_(std::make_unique<HashState>()) {
  crypto_hash_sha256_init(&hash_->state);
}

UploadWriter::UploadWriter(UploadWriter&& other) noexcept
    : dir_fd_(std::exchange(other.dir_fd_, -1)),
      file_fd_(std::exchange(other.file_fd_, -1)),
      partial_name_(std::move(other.partial_name_)),
      options_(std::move(other.options_)),
      size_(other.size_),
      head_(std::move(other.head_)),
      has_nul_(other.has_nul_),
      text_ok_(other.text_ok_),
      utf8_pending_(std::move(other.utf8_pending_)),
      markup_tail_(std::move(other.markup_tail_)),
      done_(std::exchange(other.done_, true)),
      hash_(std::move(other.hash_)) {}

UploadWriter::~UploadWriter() {
  Abort();
  if (dir_fd_ >= 0) close(dir_fd_);
}

void UploadWriter::Abort() noexcept {
  if (file_fd_ >= 0) {
    close(file_fd_);
    file_fd_ = -1;
  }
  if (!done_ && dir_fd_ >= 0) unlinkat(dir_fd_, partial_name_.c_str(), 0);
  done_ = true;
}

Result<void> UploadWriter::Write(ByteView chunk) {
  if (done_) return Error(ErrorCode::kFailedPrecondition, "upload is finished or failed");
  if (chunk.size() > options_.max_bytes - size_) {
    Abort();
    return Error(ErrorCode::kResourceExhausted, "upload exceeds the size limit");
  }
  if (head_.size() < kSniffBytes) {
    std::size_t take = std::min(kSniffBytes - head_.size(), chunk.size());
    head_.insert(head_.end(), chunk.begin(), chunk.begin() + static_cast<std::ptrdiff_t>(take));
  }
  if (!chunk.empty() && std::memchr(chunk.data(), 0, chunk.size()) != nullptr) has_nul_ = true;
  ScanText(chunk);
  crypto_hash_sha256_update(&hash_->state, chunk.data(), chunk.size());
  ByteView rest = chunk;
  while (!rest.empty()) {
    ssize_t n = write(file_fd_, rest.data(), rest.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      Abort();
      return FromErrno(err);
    }
    rest = rest.subspan(static_cast<std::size_t>(n));
  }
  size_ += chunk.size();
  return Ok();
}

void UploadWriter::ScanText(ByteView chunk) {
  if (!text_ok_ || chunk.empty()) return;
  // UTF-8 and control characters, continuing a sequence the last chunk cut.
  std::string text = utf8_pending_;
  text.append(AsChars(chunk));
  utf8_pending_.clear();
  for (std::size_t i = 0; i < text.size();) {
    std::size_t start = i;
    std::int32_t cp = internal::DecodeUtf8(text, i);
    if (cp < 0) {
      std::string_view rest = std::string_view(text).substr(start);
      if (IsCutUtf8Sequence(rest)) {
        utf8_pending_.assign(rest);
        break;
      }
      text_ok_ = false;
      return;
    }
    if (IsTextControl(cp)) {
      text_ok_ = false;
      return;
    }
  }
  // Markup tags anywhere, also across a chunk boundary.
  std::string lower = markup_tail_;
  lower.reserve(lower.size() + chunk.size());
  for (char c : AsChars(chunk)) lower += Lower(c);
  for (auto tag : kMarkupTags) {
    if (lower.find(tag) != std::string::npos) {
      text_ok_ = false;
      return;
    }
  }
  std::size_t keep = std::min(lower.size(), kLongestTag - 1);
  markup_tail_ = lower.substr(lower.size() - keep);
}

Result<StoredFile> UploadWriter::Commit() {
  if (done_) return Error(ErrorCode::kFailedPrecondition, "upload is finished or failed");
  std::optional<FileType> type = DetectFileType(head_);
  const auto& allowed = options_.allowed_types;
  if (size_ == 0 || !type || std::find(allowed.begin(), allowed.end(), *type) == allowed.end() ||
      (*type == FileType::kPlainText && (has_nul_ || !text_ok_ || !utf8_pending_.empty()))) {
    Abort();
    return Error(ErrorCode::kInvalidArgument, "upload content type is not allowed");
  }
  if (fsync(file_fd_) != 0) {
    int err = errno;
    Abort();
    return FromErrno(err);
  }
  StoredFile stored;
  for (int attempt = 0;; ++attempt) {
    stored.name = crypto::RandomToken(16) + "." + std::string(FileTypeExtension(*type));
    if (renameat2(dir_fd_, partial_name_.c_str(), dir_fd_, stored.name.c_str(),
                  RENAME_NOREPLACE) == 0) {
      break;
    }
    if (errno != EEXIST || attempt == 3) {
      int err = errno;
      Abort();
      return FromErrno(err);
    }
  }
  done_ = true;
  close(file_fd_);
  file_fd_ = -1;
  fsync(dir_fd_);
  stored.type = *type;
  stored.size = size_;
  crypto_hash_sha256_final(&hash_->state, stored.sha256.data());
  return stored;
}

}  // namespace bulwark::files
