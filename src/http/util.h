#pragma once
// Internal helpers shared by the http sources.

#include <cstddef>
#include <string>
#include <string_view>

namespace bulwark::http::internal {

// Appends `text` as the inside of a JSON string: quotes, backslashes and
// every control character escaped; bytes that are not valid UTF-8 become
// U+FFFD, so the output is always valid JSON and one line.
void AppendJsonEscaped(std::string& out, std::string_view text);
// The same, written to `out`, which must have room for
// kJsonEscapeMaxGrowth * text.size() bytes; returns the end of what it wrote.
inline constexpr std::size_t kJsonEscapeMaxGrowth = 6;  // "\u00XX" for one byte
char* JsonEscapeTo(char* out, std::string_view text) noexcept;

// Lower-cases ASCII.
std::string ToLowerAscii(std::string_view text);

// The media type of a Content-Type/Accept item without parameters, trimmed
// and lower-cased ("application/json; charset=utf-8" -> "application/json").
std::string MediaType(std::string_view value);

// Whether a Content-Type names no charset or UTF-8 ("utf-8"/"utf8", any case,
// quoted or not). Bodies are read as UTF-8; a UTF-7 or Latin-1 label would
// mean different text to a client, a proxy or a logger than to the handler.
bool CharsetIsUtf8(std::string_view content_type);

}  // namespace bulwark::http::internal

namespace bulwark::http::internal {

// 128 random bits as base64url (22 chars), for request ids and CSP nonces.
// Draws from a small per-thread buffer filled by crypto::RandomFill (the
// system CSPRNG) 512 bytes at a time, so a request costs no getrandom(2)
// call; bytes handed out are wiped from the buffer.
inline constexpr std::size_t kToken128Chars = 22;
// Writes the kToken128Chars digits to `out` (no allocation).
void RandomToken128To(char* out);
std::string RandomToken128();

}  // namespace bulwark::http::internal
