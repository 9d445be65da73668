#include "bulwark/db/value.h"

#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <string>
#include <utility>

#include "bulwark/db/rows.h"

namespace bulwark::db {

Value Value::SensitiveText(std::string v) {
  Value out = Text(std::move(v));
  out.sensitive_ = true;
  return out;
}
Value Value::SensitiveBlob(ByteView v) {
  Value out(Kind::kBlob);
  out.sensitive_ = true;
  out.bytes_.assign(AsChars(v));
  return out;
}
Value Value::SensitiveBlob(Bytes v) {
  Value out = SensitiveBlob(ByteView(v));
  if (!v.empty()) SecureWipe(v.data(), v.size());
  return out;
}

Value::Value(const Value& other)
    : kind_(other.kind_),
      sensitive_(other.sensitive_),
      borrowed_(other.borrowed_),
      view_(other.view_),
      integer_(other.integer_),
      real_(other.real_),
      bytes_(other.bytes_) {}

Value& Value::operator=(const Value& other) {
  if (this != &other) {
    Wipe();
    kind_ = other.kind_;
    sensitive_ = other.sensitive_;
    borrowed_ = other.borrowed_;
    view_ = other.view_;
    integer_ = other.integer_;
    real_ = other.real_;
    bytes_ = other.bytes_;
  }
  return *this;
}

void Value::Wipe() noexcept {
  if (!sensitive_) return;
  bytes_.resize(bytes_.capacity());
  if (!bytes_.empty()) SecureWipe(bytes_.data(), bytes_.size());
  bytes_.clear();
}

std::string_view KindName(Value::Kind kind) noexcept {
  switch (kind) {
    case Value::Kind::kNull: return "null";
    case Value::Kind::kInteger: return "integer";
    case Value::Kind::kReal: return "real";
    case Value::Kind::kBool: return "boolean";
    case Value::Kind::kText: return "text";
    case Value::Kind::kBlob: return "blob";
  }
  return "unknown";
}

namespace internal {

namespace {
constexpr const char* kNotUtf8 = "text is not valid UTF-8 (bind bytes as a blob)";
}  // namespace

const char* TextProblem(std::string_view text) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
#if defined(__SSE2__)
  // The common case, plain ASCII without NUL: every byte, as a signed
  // char, is greater than zero. 16 bytes at a time, 64 per round with one
  // test, then the rest 16 at a time and the last 16 (overlapping) with one
  // test for all. Anything else goes to the loop below, from the start of
  // the round (or of the rest) that is not plain.
  if (n >= 16) {
    const __m128i zeros = _mm_setzero_si128();
    auto good16 = [&](std::size_t at) {  // 0xff for each byte in 1..127
      return _mm_cmpgt_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + at)), zeros);
    };
    while (i + 64 <= n) {
      const __m128i round = _mm_and_si128(_mm_and_si128(good16(i), good16(i + 16)),
                                          _mm_and_si128(good16(i + 32), good16(i + 48)));
      if (_mm_movemask_epi8(round) != 0xffff) break;
      i += 64;
    }
    if (i + 64 > n) {
      __m128i rest = good16(n - 16);
      for (std::size_t at = i; at + 16 <= n; at += 16) rest = _mm_and_si128(rest, good16(at));
      if (_mm_movemask_epi8(rest) == 0xffff) return nullptr;
    }
  }
#endif
  while (i < n) {
    // Fast path: runs of ASCII bytes without NUL, 32 or 16 (SSE2) or 8 at
    // a time. A byte is a problem when its high bit is set (not ASCII) or
    // it is NUL (cmpeq with zero sets the high bit): one movemask tells.
#if defined(__SSE2__)
    const __m128i zeros = _mm_setzero_si128();
    auto bad16 = [&](const unsigned char* at) {
      const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(at));
      return _mm_or_si128(chunk, _mm_cmpeq_epi8(chunk, zeros));
    };
    if (i + 32 <= n) {
      if (_mm_movemask_epi8(_mm_or_si128(bad16(p + i), bad16(p + i + 16))) == 0) {
        i += 32;
        continue;
      }
    } else if (i + 16 <= n) {
      if (_mm_movemask_epi8(bad16(p + i)) == 0) {
        i += 16;
        continue;
      }
    }
    if (n >= 16 && i + 16 > n) {
      // The tail, as the last 16 bytes (overlapping checked ones): plain
      // ASCII without NUL ends the check without a byte-by-byte loop.
      if (_mm_movemask_epi8(bad16(p + n - 16)) == 0) return nullptr;
    }
#endif
    if (i + 8 <= n) {
      std::uint64_t w;
      std::memcpy(&w, p + i, 8);
      const std::uint64_t high = w & 0x8080808080808080ull;
      const std::uint64_t zero = (w - 0x0101010101010101ull) & ~w & 0x8080808080808080ull;
      if ((high | zero) == 0) {
        i += 8;
        continue;
      }
    }
    const unsigned char c = p[i];
    if (c == 0) return "text contains a NUL byte (bind it as a blob)";
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    std::uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      cp = c & 0x1Fu;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      cp = c & 0x0Fu;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      cp = c & 0x07u;
    } else {
      return kNotUtf8;
    }
    if (i + len > n) {
      return kNotUtf8;
    }
    for (std::size_t k = 1; k < len; ++k) {
      const unsigned char cc = p[i + k];
      if ((cc & 0xC0u) != 0x80u) {
        return kNotUtf8;
      }
      cp = (cp << 6) | (cc & 0x3Fu);
    }
    const bool overlong = (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
    const bool surrogate = cp >= 0xD800 && cp <= 0xDFFF;
    if (overlong || surrogate || cp > 0x10FFFF) {
      return kNotUtf8;
    }
    i += len;
  }
  return nullptr;
}

}  // namespace internal

Result<void> CheckText(std::string_view text) {
  if (const char* problem = internal::TextProblem(text)) {
    return Error(ErrorCode::kInvalidArgument, problem);
  }
  return Ok();
}

namespace internal {

Result<Value> UnsignedValue(std::uint64_t v) {
  if (v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    return Error(ErrorCode::kInvalidArgument, "unsigned value does not fit a signed 64-bit column");
  }
  return Value::Integer(static_cast<std::int64_t>(v));
}

Result<Value> TextValue(std::string_view text) {
  Result<void> ok = CheckText(text);
  if (!ok.ok()) return std::move(ok).error();
  return Value::BorrowedText(text);
}

Value BlobValue(ByteView bytes) { return Value::BorrowedBlob(bytes); }

Error TypeMismatch(std::size_t index, std::string_view column, std::string_view expected,
                   Value::Kind got) {
  return Error(ErrorCode::kInvalidArgument, "column " + std::to_string(index) + " (" +
                                                std::string(column) + "): expected " +
                                                std::string(expected) + ", got " +
                                                std::string(KindName(got)));
}

Error NullValue(std::size_t index, std::string_view column) {
  return Error(ErrorCode::kInvalidArgument, "column " + std::to_string(index) + " (" +
                                                std::string(column) +
                                                ") is NULL: read it as std::optional");
}

Error OutOfRange(std::size_t index, std::string_view column) {
  return Error(ErrorCode::kInvalidArgument, "column " + std::to_string(index) + " (" +
                                                std::string(column) +
                                                "): value out of range for the requested type");
}

}  // namespace internal

Error Row::NoColumn() { return Error(ErrorCode::kInvalidArgument, "no such column in the result"); }

}  // namespace bulwark::db
