#pragma once
// Java `.properties` files, read so that `props.getProperty("hashAlg", ...)`
// after `props.load(...getResourceAsStream("app.properties"))` is the value
// the project configured, not the in-source default (which may say the
// opposite). Format of java.util.Properties.load(InputStream).

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bulwark::review {

// Key/value pairs in file order (a later duplicate key overrides an earlier
// one, as in Java). Bytes are ISO-8859-1, as load(InputStream) reads them;
// both come back as UTF-8. Handles comments (# and ! lines), `=`, `:` or
// blank separators, backslash line continuations and escapes (\t \n \r \f
// \uXXXX, \x -> x). A malformed \u escape drops its entry (Java's load
// throws). At most `max_entries` pairs; never throws.
std::vector<std::pair<std::string, std::string>> ParseProperties(std::string_view text,
                                                                 std::size_t max_entries = 10000);

}  // namespace bulwark::review
