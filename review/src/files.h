#pragma once
// Which files a scan reads: directory walking with .gitignore semantics,
// language detection, and the skip rules for binary and oversized files.

#include <string>
#include <vector>

#include "bulwark/review/review.h"
#include "language.h"

namespace bulwark::review {

struct SourceFile {
  std::string path;
  Language language;
};

// Expands `options.paths`. Explicitly named files are always taken (if their
// language is known); directory contents are filtered by .gitignore files
// and `options.exclude`. Returns an error only for a path that does not exist.
// `config`, if given, receives the Java `.properties` files found the same
// way (read as configuration, not scanned).
Result<std::vector<SourceFile>> CollectFiles(const ScanOptions& options, std::vector<Note>& notes,
                                             std::vector<std::string>* config = nullptr);

// Reads a file for scanning. Returns false with a note for binary,
// oversized or unreadable files.
bool ReadSource(const std::string& path, std::uint64_t max_bytes, std::string& out, std::string& why);

// A source line as shown to people: at most about `width` bytes around the
// 1-based byte column `col` ("..." marks a cut; cuts fall on UTF-8
// character boundaries), so a minified file's one long line stays readable.
// `caret` receives the column's byte offset within the result.
std::string ClipLine(const std::string& line, std::uint32_t col, std::size_t width, std::size_t* caret = nullptr);

}  // namespace bulwark::review
