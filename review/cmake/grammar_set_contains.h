/* Included by the generated grammar units (see review/CMakeLists.txt) after
 * the grammar's tree_sitter/parser.h and before its parser.c, which are
 * compiled unchanged.
 *
 * The generated lexers test every identifier character with set_contains, a
 * binary search over the ~700 Unicode ranges of an identifier character
 * (a twentieth of a C/C++ scan). Source text is mostly ASCII, which the
 * first few ranges cover: below 128 the sorted, disjoint ranges are scanned
 * from the start instead. Same answer for every code point; parser.h's
 * search serves the rest. */
static inline bool bulwark_set_contains(const TSCharacterRange *ranges, uint32_t len, int32_t lookahead) {
  if (lookahead < 128) {
    for (uint32_t i = 0; i < len && ranges[i].start <= lookahead; ++i) {
      if (lookahead <= ranges[i].end) return true;
    }
    return false;
  }
  return set_contains(ranges, len, lookahead);
}
#define set_contains bulwark_set_contains
