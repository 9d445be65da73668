#pragma once
// Response metadata for serving stored files safely.
//
// A file the user uploaded must never be rendered by the browser in the
// application's origin (stored XSS through HTML, SVG or a polyglot "image"),
// and its name must not be able to break the Content-Disposition header
// (header injection, path components, spoofed extensions). DownloadPolicy
// produces:
//   Content-Type            from an allowlist; anything else becomes
//                           application/octet-stream. Scriptable types (HTML,
//                           XHTML, SVG, XML, JavaScript, CSS) cannot be
//                           allowlisted at all.
//   Content-Disposition     always `attachment`, with an ASCII `filename`
//                           fallback and an RFC 5987 `filename*` (RFC 6266).
//   X-Content-Type-Options  nosniff
//   Content-Security-Policy default-src 'none'; sandbox  (in case it is opened)
//   Cross-Origin-Resource-Policy same-origin
//   Cache-Control           private, no-store (override if needed)
//
// Thread-safety: immutable values and pure functions; thread-safe.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bulwark/core/result.h"

namespace bulwark::files {

// The last path component of an untrusted file name, made safe to store and
// show: invalid UTF-8 and control, bidi and zero-width characters removed,
// '/', '\' and look-alikes cut (the last component wins), characters that
// matter in headers or shells (" ; , * ? < > | : etc.) replaced by '_',
// leading dots and spaces and trailing dots and spaces dropped, Windows
// device names (CON, NUL, COM1, ...) prefixed with '_', and the result cut to
// `max_bytes` keeping the extension. Empty results become `fallback`.
// REQUIRES: fallback is itself a safe name.
std::string SanitizeFilename(std::string_view untrusted, std::string_view fallback = "download",
                             std::size_t max_bytes = 200);

// `attachment; filename="<ascii>"; filename*=UTF-8''<pct-encoded>` for an
// untrusted name (sanitized first). Non-ASCII characters become '_' in the
// ASCII fallback.
std::string ContentDispositionAttachment(std::string_view untrusted_filename);

struct DownloadOptions {
  // Media types served as themselves (lower case, no parameters).
  std::vector<std::string> allowed_content_types = {
      "application/octet-stream", "application/pdf", "application/zip",
      "image/png", "image/jpeg", "image/gif", "image/webp",
      "text/plain", "text/csv", "application/json"};
};

struct DownloadHeaders {
  std::string content_type;
  std::string content_disposition;
  std::string x_content_type_options = "nosniff";
  std::string content_security_policy = "default-src 'none'; sandbox";
  std::string cross_origin_resource_policy = "same-origin";
  std::string cache_control = "private, no-store";

  // As (name, value) pairs, ready to add to a response.
  std::vector<std::pair<std::string, std::string>> List() const;
};

class DownloadPolicy {
 public:
  // Errors: kInvalidArgument when an allowed type is malformed or scriptable
  // (text/html, image/svg+xml, anything +xml, JavaScript, CSS, ...).
  static Result<DownloadPolicy> Create(DownloadOptions options = {});

  // Headers for a file of `content_type` (as stored, e.g. from the upload
  // type check; parameters are ignored) named `filename` (untrusted).
  DownloadHeaders HeadersFor(std::string_view content_type, std::string_view filename) const;

 private:
  explicit DownloadPolicy(std::vector<std::string> types) : types_(std::move(types)) {}
  std::vector<std::string> types_;
};

// True for media types a browser may execute or render as a document.
bool IsScriptableContentType(std::string_view media_type) noexcept;

}  // namespace bulwark::files
