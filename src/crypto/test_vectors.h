#pragma once
// Test-only: loads ../shared/vectors/rfc-vectors.json (published RFC vectors).
#include <boost/json.hpp>

#include <fstream>
#include <sstream>
#include <string>

#include "bulwark/core/bytes.h"
#include "bulwark/core/encoding.h"

namespace bulwark::testing {

inline const boost::json::object& Vectors() {
  static const boost::json::value root = [] {
    std::ifstream in(BULWARK_VECTORS_FILE);
    if (!in) {
      throw std::runtime_error(std::string("cannot read test vectors: ") + BULWARK_VECTORS_FILE);
    }
    std::stringstream text;
    text << in.rdbuf();
    return boost::json::parse(text.str());
  }();
  return root.as_object();
}

inline std::string Str(const boost::json::value& v) { return std::string(v.as_string()); }
inline Bytes Hex(const boost::json::value& v) { return *HexDecode(Str(v)); }

}  // namespace bulwark::testing
