// Fuzzes the SQL scanner that guards sql::Query / UnsafeDynamic / migration
// scripts, and the text check every text parameter passes. Invariants: no
// crash, every reported placeholder is a '?' and every slot a "{}" at the
// reported offset, statement ends are ';' or the end, and counts agree.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "bulwark/db/query.h"
#include "bulwark/db/value.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (bool single : {true, false}) {
    std::size_t placeholders = 0;
    std::size_t slots = 0;
    const auto r = bulwark::db::sql::ScanSql(
        text, single, [&](bulwark::db::sql::ScanEvent e, std::size_t at) {
          switch (e) {
            case bulwark::db::sql::ScanEvent::kPlaceholder:
              if (at >= text.size() || text[at] != '?') std::abort();
              ++placeholders;
              break;
            case bulwark::db::sql::ScanEvent::kSlot:
              if (at + 1 >= text.size() || text[at] != '{' || text[at + 1] != '}') std::abort();
              ++slots;
              break;
            case bulwark::db::sql::ScanEvent::kStatementEnd:
              if (at != text.size() && (at > text.size() || text[at] != ';')) std::abort();
              break;
          }
        });
    if (r.error == bulwark::db::sql::ScanError::kNone &&
        (r.placeholders != placeholders || r.slots != slots)) {
      std::abort();
    }
    if (r.error != bulwark::db::sql::ScanError::kNone && r.error_offset > text.size()) std::abort();
  }
  bulwark::db::sql::UnsafeDynamic dynamic{std::string(text)};
  (void)dynamic.param_count();
  (void)bulwark::db::CheckText(text);
  return 0;
}
