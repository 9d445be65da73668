#pragma once
// Internal: strict JSON for JOSE headers, JWT claims and JWKS documents.
// Parsing (simdjson) rejects invalid UTF-8, duplicate member names at any
// level, nesting deeper than a limit and objects with too many members, so
// two parsers can never disagree about what a signed token says.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "bulwark/auth/jwt.h"
#include "bulwark/core/result.h"

namespace bulwark::auth::internal {

struct JsonLimits {
  std::size_t max_bytes = 16 * 1024;
  std::size_t max_depth = 8;
  std::size_t max_members = 64;  // per object, and per array
};

// A parsed top-level JSON object: members in document order. Scalars and
// arrays of strings are kept typed; nested objects and other arrays as
// minified JSON text (ClaimJson).
using JsonObject = std::vector<std::pair<std::string, ClaimValue>>;

// Errors: kInvalidArgument for anything but one well-formed JSON object
// within the limits. Messages never echo the input.
Result<JsonObject> ParseJsonObject(std::string_view text, const JsonLimits& limits);

// The same parse, but gives back each member's value as a raw element
// callback-free view: for JWKS, where members are objects.
struct JsonArrayOfObjects {
  std::vector<JsonObject> items;
};
// Parses {"<member>": [ {..}, {..} ]} and returns the objects of that array
// (each parsed like ParseJsonObject). Other top-level members are ignored.
Result<JsonArrayOfObjects> ParseObjectArrayMember(std::string_view text, std::string_view member,
                                                  const JsonLimits& limits);

const ClaimValue* FindMember(const JsonObject& object, std::string_view name) noexcept;

// Writers.
void AppendJsonString(std::string& out, std::string_view value);
// Errors: kInvalidArgument for non-finite numbers, invalid UTF-8 or raw JSON
// values (which are never written).
Result<void> AppendJsonValue(std::string& out, const ClaimValue& value);
Result<std::string> WriteJsonObject(const JsonObject& object);

bool IsValidUtf8(std::string_view text) noexcept;

}  // namespace bulwark::auth::internal
