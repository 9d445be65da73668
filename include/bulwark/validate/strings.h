#pragma once
// String rules that stand alone (for query parameters, headers, form fields)
// and that the schema validator uses for JSON strings.
//
// Thread-safety: all functions are thread-safe.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bulwark/core/result.h"
#include "bulwark/core/untrusted.h"
#include "bulwark/validate/report.h"

namespace bulwark::validate {

// True if `text` is well-formed UTF-8: shortest form only (no overlong
// encodings), no surrogate code points (U+D800..U+DFFF), nothing above U+10FFFF.
bool IsValidUtf8(std::string_view text) noexcept;

// Number of code points. REQUIRES: IsValidUtf8(text).
std::size_t CountCodePoints(std::string_view text) noexcept;

enum class Normalization : std::uint8_t {
  kNone,
  kNfc,            // canonical composition: the default for free text
  kNfkc,           // compatibility composition: folds fullwidth forms, ligatures
  kNfkcCasefold,   // NFKC plus case folding: for identifiers compared for equality
};

// Normalizes valid UTF-8. kInvalidArgument if `text` is not valid UTF-8.
Result<std::string> Normalize(std::string_view text, Normalization form);

// Formats understood by StringRule (and by the schema's Rule::Format).
enum class Format : std::uint8_t {
  kNone,
  kEmail,       // practical RFC 5321 subset: dot-atom local part <= 64 octets,
                // LDH domain with >= 2 labels, <= 254 octets overall, ASCII only
  kUrl,         // absolute URL, scheme in the allowlist (https only by
                // default), a host, no user:password@, <= 2048 octets
  kUuid,        // 8-4-4-4-12 hex; normalized to lower case
  kTimestamp,   // RFC 3339 date-time (ISO 8601 profile) with Z or an offset
  kDate,        // RFC 3339 full-date YYYY-MM-DD
  kIpv4,        // dotted quad, no leading zeros
  kIpv6,        // RFC 4291 text form, no zone id
  kIp,          // either
  kIdentifier,  // ASCII letter then letters, digits, '_'; 1..64 octets
  kSlug,        // lower-case ASCII letters and digits in '-'-separated runs; 1..64
};

// The JSON Schema "format" name, or "" where JSON Schema has none.
std::string_view FormatName(Format format) noexcept;

struct UrlPolicy {
  std::vector<std::string> allowed_schemes = {"https"};  // lower case
  std::size_t max_length = 2048;
};

// Checks one format. REQUIRES: IsValidUtf8(text). Returns the normalized text
// (lower-cased UUID hex and email domain; otherwise unchanged) or
// kInvalidArgument with a message naming the format (never the input).
Result<std::string> CheckFormat(std::string_view text, Format format,
                                const UrlPolicy& url_policy = {});

// Character classes that free text rejects by default.
struct CharacterPolicy {
  bool allow_newlines = false;   // \n, \r and \t; other controls never pass
  bool allow_bidi = false;       // U+061C, U+200E/F, U+202A..E, U+2066..9
  bool allow_invisible = false;  // U+00AD, U+180E, U+200B, U+2060..4, U+FEFF
};
// True if every code point passes `policy`. Otherwise false, with `code` set
// to the class of the first rejected code point (kControlCharacter,
// kDisallowedCharacter for noncharacters, kBidiControl, kInvisibleCharacter).
// REQUIRES: IsValidUtf8(text).
bool CheckCharacters(std::string_view text, const CharacterPolicy& policy,
                     ViolationCode* code) noexcept;

// A complete rule for one string: what a schema string field checks, usable
// on its own. Create() compiles the pattern (RE2 syntax, full match).
//
// Thread-safety: immutable after Create; Check may be called concurrently.
struct StringRuleOptions {
  std::size_t min_length = 0;       // code points, after normalization
  std::size_t max_length = 1024;    // code points, after normalization
  Normalization normalization = Normalization::kNfc;
  CharacterPolicy characters;
  Format format = Format::kNone;
  UrlPolicy url;
  std::string pattern;              // RE2, matched against the whole string
  std::vector<std::string> allowed; // if non-empty: the value must be one of these
};

class StringRule {
 public:
  // kInvalidArgument if the options contradict each other or the pattern
  // does not compile.
  static Result<StringRule> Create(StringRuleOptions options);

  // Checks `input` and returns the normalized string. On failure the report
  // gets one violation at `path`.
  Checked<Valid<std::string>> Check(Untrusted<std::string> input,
                                    std::string_view path = "") const;

  const StringRuleOptions& options() const noexcept;

  StringRule(StringRule&&) noexcept;
  StringRule& operator=(StringRule&&) noexcept;
  StringRule(const StringRule&);
  StringRule& operator=(const StringRule&);
  ~StringRule();

  // For the schema validator: the check without the Untrusted/Valid wrapping.
  // Returns false and fills `code`/`message` on failure; `out` receives the
  // normalized value.
  bool CheckRaw(std::string_view in, std::string* out, ViolationCode* code,
                std::string* message) const;

 private:
  struct Impl;
  explicit StringRule(std::shared_ptr<const Impl> impl);
  std::shared_ptr<const Impl> impl_;
};

}  // namespace bulwark::validate
