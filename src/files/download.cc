#include "bulwark/files/download.h"

#include <algorithm>

#include "src/files/utf8.h"

namespace bulwark::files {
namespace {

char Lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string MediaTypeOnly(std::string_view content_type) {
  auto semi = content_type.find(';');
  std::string_view t = content_type.substr(0, semi);
  while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
  std::string out(t);
  for (char& c : out) c = Lower(c);
  return out;
}

bool IsTokenChar(char c) noexcept {
  if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$&^_.+-").find(c) != std::string_view::npos;
}

bool IsMediaType(std::string_view t) noexcept {
  auto slash = t.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == t.size()) return false;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (i != slash && !IsTokenChar(t[i])) return false;
  }
  return t.find('/', slash + 1) == std::string_view::npos;
}

bool IsWindowsDeviceName(std::string_view name) {
  auto dot = name.find('.');
  std::string stem(name.substr(0, dot));
  for (char& c : stem) c = Lower(c);
  while (!stem.empty() && stem.back() == ' ') stem.pop_back();
  static constexpr std::string_view kDevices[] = {"con", "prn", "aux", "nul", "conin$", "conout$"};
  for (auto d : kDevices) {
    if (stem == d) return true;
  }
  if (stem.size() == 4 && (stem.starts_with("com") || stem.starts_with("lpt")) &&
      stem[3] >= '0' && stem[3] <= '9') {
    return true;
  }
  return false;
}

void AppendUtf8(std::string& out, std::int32_t cp) {
  auto u = static_cast<std::uint32_t>(cp);
  if (u < 0x80) {
    out.push_back(static_cast<char>(u));
  } else if (u < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (u >> 6)));
    out.push_back(static_cast<char>(0x80 | (u & 0x3F)));
  } else if (u < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (u >> 12)));
    out.push_back(static_cast<char>(0x80 | ((u >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (u & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (u >> 18)));
    out.push_back(static_cast<char>(0x80 | ((u >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((u >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (u & 0x3F)));
  }
}

// Cuts `s` to at most `max` bytes on a code point boundary.
std::string CutUtf8(std::string_view s, std::size_t max) {
  if (s.size() <= max) return std::string(s);
  std::size_t end = max;
  while (end > 0 && (static_cast<std::uint8_t>(s[end]) & 0xC0) == 0x80) --end;
  return std::string(s.substr(0, end));
}

}  // namespace

std::string SanitizeFilename(std::string_view untrusted, std::string_view fallback,
                             std::size_t max_bytes) {
  // Decode; drop what cannot be shown; cut at path separators.
  std::string name;
  for (std::size_t i = 0; i < untrusted.size();) {
    std::int32_t cp = internal::DecodeUtf8(untrusted, i);
    if (cp < 0) {
      ++i;  // invalid byte: dropped
      continue;
    }
    if (cp == '/' || cp == '\\' || internal::IsPathLookalike(cp)) {
      // A look-alike dot is not a separator, but it is no dot either.
      if (cp == 0x2024 || cp == 0xFE52 || cp == 0xFF0E || cp == 0x2025 || cp == 0x2026) {
        name.push_back('_');
      } else {
        name.clear();  // the last path component wins
      }
      continue;
    }
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || internal::IsInvisibleFormat(cp)) {
      continue;
    }
    if (cp < 0x80 && std::string_view("\"';,*?<>|:`$&=%{}[]#!~^@+").find(static_cast<char>(cp)) !=
                         std::string_view::npos) {
      name.push_back('_');
      continue;
    }
    AppendUtf8(name, static_cast<char32_t>(cp));
  }
  // No leading dots or spaces (hidden files, "..") and no trailing ones.
  std::size_t b = 0;
  while (b < name.size() && (name[b] == '.' || name[b] == ' ')) ++b;
  std::size_t e = name.size();
  while (e > b && (name[e - 1] == '.' || name[e - 1] == ' ')) --e;
  name = name.substr(b, e - b);
  if (name.empty()) return std::string(fallback);
  if (IsWindowsDeviceName(name)) name.insert(0, "_");

  if (name.size() > max_bytes) {
    auto dot = name.rfind('.');
    std::string ext = dot != std::string::npos && name.size() - dot <= 16 ? name.substr(dot) : "";
    if (ext.size() >= max_bytes) ext.clear();
    name = CutUtf8(name.substr(0, name.size() - ext.size()), max_bytes - ext.size()) + ext;
    while (!name.empty() && (name.back() == '.' || name.back() == ' ')) name.pop_back();
    if (name.empty()) return std::string(fallback);
  }
  return name;
}

std::string ContentDispositionAttachment(std::string_view untrusted_filename) {
  std::string name = SanitizeFilename(untrusted_filename);
  std::string ascii;
  std::string encoded;
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (std::size_t i = 0; i < name.size();) {
    std::size_t start = i;
    std::int32_t cp = internal::DecodeUtf8(name, i);
    ascii.push_back(cp >= 0x20 && cp < 0x7F ? static_cast<char>(cp) : '_');
    for (std::size_t k = start; k < i; ++k) {
      auto c = static_cast<unsigned char>(name[k]);
      // RFC 5987 attr-char: ALPHA / DIGIT / "!#$&+-.^_`|~"
      bool attr = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  std::string_view("!#$&+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
      if (attr) {
        encoded.push_back(static_cast<char>(c));
      } else {
        encoded.push_back('%');
        encoded.push_back(kHex[c >> 4]);
        encoded.push_back(kHex[c & 0xF]);
      }
    }
  }
  return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
}

bool IsScriptableContentType(std::string_view media_type) noexcept {
  std::string t = MediaTypeOnly(media_type);
  if (t.ends_with("+xml") || t.ends_with("/xml")) return true;
  static constexpr std::string_view kScriptable[] = {
      "text/html", "application/xhtml+xml", "image/svg+xml", "text/javascript",
      "application/javascript", "application/ecmascript", "text/ecmascript", "text/css",
      "application/x-shockwave-flash", "text/xsl", "text/vtt", "application/pdf+html",
      "multipart/x-mixed-replace", "text/x-component", "application/hta"};
  for (auto s : kScriptable) {
    if (t == s) return true;
  }
  return t.starts_with("multipart/") || t.ends_with("+html");
}

Result<DownloadPolicy> DownloadPolicy::Create(DownloadOptions options) {
  std::vector<std::string> types;
  for (const auto& type : options.allowed_content_types) {
    std::string t = MediaTypeOnly(type);
    if (!IsMediaType(t) || t != type) {
      return Error(ErrorCode::kInvalidArgument, "allowed content type must be a bare lower-case media type");
    }
    if (IsScriptableContentType(t)) {
      return Error(ErrorCode::kInvalidArgument, "scriptable content types cannot be allowed");
    }
    types.push_back(std::move(t));
  }
  return DownloadPolicy(std::move(types));
}

DownloadHeaders DownloadPolicy::HeadersFor(std::string_view content_type,
                                           std::string_view filename) const {
  DownloadHeaders h;
  std::string t = MediaTypeOnly(content_type);
  if (std::find(types_.begin(), types_.end(), t) == types_.end() || IsScriptableContentType(t)) {
    t = "application/octet-stream";
  }
  if (t.starts_with("text/")) t += "; charset=utf-8";
  h.content_type = std::move(t);
  h.content_disposition = ContentDispositionAttachment(filename);
  return h;
}

std::vector<std::pair<std::string, std::string>> DownloadHeaders::List() const {
  return {{"Content-Type", content_type},
          {"Content-Disposition", content_disposition},
          {"X-Content-Type-Options", x_content_type_options},
          {"Content-Security-Policy", content_security_policy},
          {"Cross-Origin-Resource-Policy", cross_origin_resource_policy},
          {"Cache-Control", cache_control}};
}

}  // namespace bulwark::files
