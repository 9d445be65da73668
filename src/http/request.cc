#include "bulwark/http/request.h"

#include <algorithm>
#include <array>
#include <cstring>

#include "bulwark/core/check.h"
#include "bulwark/core/utf8.h"
#include "util.h"

namespace bulwark::http {
namespace {

constexpr std::array<std::string_view, kMethodCount> kMethodNames = {
    "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};

char Lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

int HexValue(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

namespace internal {

namespace {
constexpr std::array<bool, 256> MakeNeedsEscapeTable() {
  std::array<bool, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[static_cast<std::size_t>(c)] = true;
  for (int c = 0x7F; c < 0x100; ++c) t[static_cast<std::size_t>(c)] = true;
  t['"'] = true;
  t['\\'] = true;
  return t;
}
// Bytes JsonEscapeTo does not copy as they are.
constexpr std::array<bool, 256> kNeedsEscape = MakeNeedsEscapeTable();
}  // namespace

char* JsonEscapeTo(char* out, std::string_view text) noexcept {
  static constexpr char kHex[] = "0123456789abcdef";
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
  // Is any byte of `w` zero? (exact as a yes/no answer)
  auto has_zero = [](std::uint64_t w) { return ((w - kOnes) & ~w & kHigh) != 0; };
  // Does any of eight bytes need escaping: >= 0x80, < 0x20, '"', '\\', DEL?
  auto special = [&has_zero](std::uint64_t w) {
    return (w & kHigh) != 0 || ((w - 0x20 * kOnes) & ~w & kHigh) != 0 ||
           has_zero(w ^ (0x22 * kOnes)) || has_zero(w ^ (0x5C * kOnes)) ||
           has_zero(w ^ (0x7F * kOnes));
  };
  const char* p = text.data();
  std::size_t i = 0;
  const std::size_t n = text.size();
  // Nearly every log value needs no escaping at all: check and copy it a
  // word at a time, the last word overlapping the one before it, so no byte
  // goes one at a time. At the first word that needs escaping, the general
  // loop below takes over from there (everything before it was copied as
  // it is, so `out + i` is where it continues).
  if (n >= 8) {
    const std::size_t last = n - 8;
    std::uint64_t w;
    for (; i < last; i += 8) {
      std::memcpy(&w, p + i, 8);
      if (special(w)) break;
      std::memcpy(out + i, &w, 8);
    }
    if (i >= last) {
      std::memcpy(&w, p + last, 8);
      if (!special(w)) {
        std::memcpy(out + last, &w, 8);
        return out + n;
      }
    }
    out += i;
  } else if (n >= 4) {
    std::uint32_t a;
    std::uint32_t b;
    std::memcpy(&a, p, 4);
    std::memcpy(&b, p + n - 4, 4);
    if (!special(a | (std::uint64_t{b} << 32))) {
      std::memcpy(out, &a, 4);
      std::memcpy(out + n - 4, &b, 4);
      return out + n;
    }
  }
  while (i < n) {
    // Eight bytes at a time while none needs escaping (most of every log
    // line): no byte >= 0x80, < 0x20, '"', '\\' or DEL.
    while (i + 8 <= n) {
      std::uint64_t w;
      std::memcpy(&w, p + i, 8);
      if (special(w)) break;
      std::memcpy(out, p + i, 8);
      out += 8;
      i += 8;
    }
    // Then byte by byte up to the next byte that needs escaping (this also
    // takes the last few bytes).
    while (i < n && !kNeedsEscape[static_cast<unsigned char>(p[i])]) *out++ = p[i++];
    if (i >= n) break;
    auto c = static_cast<unsigned char>(p[i]);
    if (c >= 0x80) {
      // Copy a valid UTF-8 sequence whole; replace an invalid byte.
      std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
      if (len > 1 && i + len <= n && IsValidUtf8(text.substr(i, len))) {
        std::memcpy(out, p + i, len);
        out += len;
        i += len;
      } else {
        std::memcpy(out, "\\ufffd", 6);
        out += 6;
        ++i;
      }
      continue;
    }
    switch (c) {
      case '"': *out++ = '\\'; *out++ = '"'; break;
      case '\\': *out++ = '\\'; *out++ = '\\'; break;
      case '\n': *out++ = '\\'; *out++ = 'n'; break;
      case '\r': *out++ = '\\'; *out++ = 'r'; break;
      case '\t': *out++ = '\\'; *out++ = 't'; break;
      default:
        if (c < 0x20 || c == 0x7F) {
          std::memcpy(out, "\\u00", 4);
          out[4] = kHex[c >> 4];
          out[5] = kHex[c & 0xF];
          out += 6;
        } else {
          *out++ = static_cast<char>(c);
        }
    }
    ++i;
  }
  return out;
}

void AppendJsonEscaped(std::string& out, std::string_view text) {
  const std::size_t at = out.size();
  out.resize(at + kJsonEscapeMaxGrowth * text.size());
  char* end = JsonEscapeTo(out.data() + at, text);
  out.resize(static_cast<std::size_t>(end - out.data()));
}

std::string ToLowerAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = Lower(c);
  return out;
}

std::string MediaType(std::string_view value) {
  std::string_view v = value.substr(0, value.find(';'));
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  return ToLowerAscii(v);
}

bool CharsetIsUtf8(std::string_view content_type) {
  std::size_t semi = content_type.find(';');
  while (semi != std::string_view::npos) {
    std::string_view param = content_type.substr(semi + 1);
    semi = param.find(';');
    if (semi != std::string_view::npos) param = param.substr(0, semi);
    std::size_t eq = param.find('=');
    if (eq == std::string_view::npos) continue;
    std::string_view name = param.substr(0, eq), value = param.substr(eq + 1);
    auto trim = [](std::string_view& s) {
      while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
      while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    };
    trim(name);
    trim(value);
    if (ToLowerAscii(name) != "charset") continue;
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    const std::string cs = ToLowerAscii(value);
    if (cs != "utf-8" && cs != "utf8") return false;
  }
  return true;
}

}  // namespace internal

std::string_view MethodName(Method method) noexcept {
  return kMethodNames[static_cast<std::size_t>(method)];
}

std::optional<Method> ParseMethod(std::string_view name) noexcept {
  for (std::size_t i = 0; i < kMethodNames.size(); ++i) {
    if (kMethodNames[i] == name) return static_cast<Method>(i);
  }
  return std::nullopt;
}

bool IsSafeMethod(Method method) noexcept {
  return method == Method::kGet || method == Method::kHead || method == Method::kOptions;
}

namespace {
// RFC 9110 tchar as a table: every header name of every response is checked
// on the way out, so this is on the hot path.
constexpr std::array<bool, 256> MakeTokenTable() {
  std::array<bool, 256> t{};
  for (int c = 'a'; c <= 'z'; ++c) t[static_cast<std::size_t>(c)] = true;
  for (int c = 'A'; c <= 'Z'; ++c) t[static_cast<std::size_t>(c)] = true;
  for (int c = '0'; c <= '9'; ++c) t[static_cast<std::size_t>(c)] = true;
  for (char c : std::string_view("!#$%&'*+-.^_`|~")) t[static_cast<unsigned char>(c)] = true;
  return t;
}
constexpr std::array<bool, 256> kTokenChar = MakeTokenTable();
}  // namespace

bool IsTokenChar(char c) noexcept { return kTokenChar[static_cast<unsigned char>(c)]; }

bool IsToken(std::string_view text) noexcept {
  if (text.empty()) return false;
  for (char c : text) {
    if (!kTokenChar[static_cast<unsigned char>(c)]) return false;
  }
  return true;
}

namespace {
// Bytes a field value may not contain: controls other than HTAB, and DEL.
constexpr std::array<bool, 256> MakeBadFieldByteTable() {
  std::array<bool, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[static_cast<std::size_t>(c)] = c != '\t';
  t[0x7F] = true;
  return t;
}
constexpr std::array<bool, 256> kBadFieldByte = MakeBadFieldByteTable();

// 0x80 in every byte of `w` that is zero, 0 elsewhere (exact, carry-free).
inline std::uint64_t ZeroBytes(std::uint64_t w) noexcept {
  constexpr std::uint64_t kLow7 = 0x7F7F7F7F7F7F7F7FULL;
  return ~(((w & kLow7) + kLow7) | w | kLow7);
}
}  // namespace

bool IsValidFieldValue(std::string_view value) noexcept {
  // Every unchecked response header value and every request header value
  // goes through here: eight bytes per step, the last step overlapping the
  // one before it (bytes checked twice are checked the same way), so only
  // values under four bytes go one byte at a time.
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
  // Early exits on purpose: they keep the compiler from vectorizing these
  // loops, whose set-up costs more than the short values here.
  auto bad = [](std::uint64_t w) {
    // Any byte < 0x20 or DEL? (exact as a yes/no answer.) Usually not.
    if ((((w - 0x20 * kOnes) & ~w & kHigh) | ZeroBytes(w ^ (0x7F * kOnes))) == 0) return false;
    // HTAB is allowed: make tabs 0x29, then look again.
    w |= ZeroBytes(w ^ (0x09 * kOnes)) >> 2;
    return (((w - 0x20 * kOnes) & ~w & kHigh) | ZeroBytes(w ^ (0x7F * kOnes))) != 0;
  };
  const char* p = value.data();
  const std::size_t n = value.size();
  if (n >= 8) {
    const char* const last = p + n - 8;
    std::uint64_t w;
    for (; p < last; p += 8) {
      std::memcpy(&w, p, 8);
      if (bad(w)) return false;
    }
    std::memcpy(&w, last, 8);
    return !bad(w);
  }
  if (n >= 4) {
    // The first four and the last four bytes (they may overlap) as one word.
    std::uint32_t a;
    std::uint32_t b;
    std::memcpy(&a, p, 4);
    std::memcpy(&b, p + n - 4, 4);
    return !bad(a | (std::uint64_t{b} << 32));
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (kBadFieldByte[static_cast<unsigned char>(p[i])]) return false;
  }
  return true;
}

namespace {
// Header lookups compare lengths inline first: most fields differ in length.
inline bool SameName(std::string_view field, std::string_view name) noexcept {
  return field.size() == name.size() && EqualsIgnoreCase(field, name);
}

}  // namespace

bool IsServerOwnedField(std::string_view name) noexcept {
  // Dispatch on length first: every added field passes through here.
  switch (name.size()) {
    case 4: return EqualsIgnoreCase(name, "date");
    case 6: return EqualsIgnoreCase(name, "server");
    case 7: return EqualsIgnoreCase(name, "upgrade");
    case 10: return EqualsIgnoreCase(name, "connection") || EqualsIgnoreCase(name, "keep-alive");
    case 14: return EqualsIgnoreCase(name, "content-length");
    case 17: return EqualsIgnoreCase(name, "transfer-encoding");
    default: return false;
  }
}

namespace {

std::uint32_t Size32(std::size_t n) {
  // 4 GiB of header text is a bug, not a request.
  BULWARK_CHECK(n <= UINT32_MAX);
  return static_cast<std::uint32_t>(n);
}

constexpr std::size_t kFirstReserve = 960;

// Does `part` point into `buffer`'s storage?
bool Overlaps(const std::string& buffer, std::string_view part) noexcept {
  auto b = reinterpret_cast<std::uintptr_t>(buffer.data());
  auto p = reinterpret_cast<std::uintptr_t>(part.data());
  return !part.empty() && p >= b && p < b + buffer.capacity() + 1;
}
}  // namespace

std::optional<std::string_view> Headers::Get(std::string_view name) const noexcept {
  if ((name_bits_ & NameBit(name)) == 0) return std::nullopt;
  for (const Entry& e : entries_) {
    if (SameName(NameOf(e), name)) return ValueOf(e);
  }
  return std::nullopt;
}

std::vector<std::string_view> Headers::All(std::string_view name) const {
  std::vector<std::string_view> out;
  if ((name_bits_ & NameBit(name)) == 0) return out;
  for (const Entry& e : entries_) {
    if (SameName(NameOf(e), name)) out.push_back(ValueOf(e));
  }
  return out;
}

std::size_t Headers::Count(std::string_view name) const noexcept {
  std::size_t n = 0;
  if ((name_bits_ & NameBit(name)) == 0) return 0;
  for (const Entry& e : entries_) {
    if (SameName(NameOf(e), name)) ++n;
  }
  return n;
}

void Headers::Set(std::string_view name, std::string_view value) {
  if (Overlaps(data_, name) || Overlaps(data_, value)) {
    // A view of this very Headers (h.Set("X", *h.Get("Y"))): Remove() may
    // move the bytes it points at.
    std::string copy_name(name);
    std::string copy_value(value);
    Remove(copy_name);
    Add(copy_name, copy_value);
    return;
  }
  Remove(name);
  Add(name, value);
}

void Headers::Add(std::string_view name, std::string_view value) {
  // Only a reallocation can invalidate a view into this very Headers
  // (h.Add("X", *h.Get("Y"))).
  const bool grows = data_.capacity() < data_.size() + name.size() + value.size() + 4;
  if (grows && (Overlaps(data_, name) || Overlaps(data_, value))) {
    // A view of this very Headers (h.Add("X", *h.Get("Y"))): copy it before
    // the buffer may move.
    std::string copy_name(name);
    std::string copy_value(value);
    AddUnaliased(copy_name, copy_value);
    return;
  }
  AddUnaliased(name, value);
}

void Headers::AddUnaliased(std::string_view name, std::string_view value) {
  // A response collects a dozen fields on its way through SecureDefaults():
  // start with room for several instead of growing 1, 2, 4, 8, 16.
  const std::size_t line = name.size() + value.size() + 4;
  if (data_.capacity() < data_.size() + line) {
    // The first reserve is sized for a SecureDefaults() response (about
    // 900 bytes of fields) while staying within malloc's per-thread cache.
    data_.reserve(std::max<std::size_t>({2 * data_.capacity(), data_.size() + line + 256,
                                         kFirstReserve}));
  }
  // Room for a SecureDefaults() response's fields in one allocation.
  if (entries_.capacity() == 0) entries_.reserve(16);
  Entry e;
  e.offset = Size32(data_.size());
  e.name_size = Size32(name.size());
  e.value_size = Size32(value.size());
  Size32(data_.size() + line);
  // One append of the whole line (capacity is there, so no reallocation).
  const std::size_t at = data_.size();
  data_.resize(at + line);
  char* out = data_.data() + at;
  if (!name.empty()) std::memcpy(out, name.data(), name.size());
  out += name.size();
  *out++ = ':';
  *out++ = ' ';
  if (!value.empty()) std::memcpy(out, value.data(), value.size());
  out += value.size();
  out[0] = '\r';
  out[1] = '\n';
  entries_.push_back(e);
  name_bits_ |= NameBit(name);
  server_owned_ = server_owned_ || IsServerOwnedField(name);
}

void Headers::Append(const HeaderBlock& block, std::string_view slot) {
  if (block.entries_.empty()) return;
  if (Overlaps(data_, slot)) {
    std::string copy(slot);
    Append(block, copy);
    return;
  }
  name_bits_ |= block.name_bits_;
  if (!block.has_slot()) slot = {};
  const std::size_t base = data_.size();
  const std::size_t total = block.data_.size() + slot.size();
  Size32(base + total);
  if (data_.capacity() < base + total) {
    // Room for the few fields outer middleware adds after the block.
    data_.reserve(std::max<std::size_t>(2 * data_.capacity(), base + total + 256));
  }
  if (block.has_slot()) {
    std::string_view bytes = block.data_;
    data_.append(bytes.substr(0, block.slot_offset_));
    data_.append(slot);
    data_.append(bytes.substr(block.slot_offset_));
  } else {
    data_.append(block.data_);
  }
  if (entries_.capacity() < entries_.size() + block.entries_.size()) {
    entries_.reserve(std::max<std::size_t>(16, entries_.size() + block.entries_.size() + 8));
  }
  const std::size_t first = entries_.size();
  entries_.insert(entries_.end(), block.entries_.begin(), block.entries_.end());
  for (std::size_t i = first; i < entries_.size(); ++i) {
    entries_[i].offset = static_cast<std::uint32_t>(entries_[i].offset + base);
  }
  if (block.has_slot()) {
    Entry& slot_entry = entries_[first + block.slot_field_];
    slot_entry.value_size = static_cast<std::uint32_t>(slot_entry.value_size + slot.size());
    // The slot's text is the one part not checked when the block was built.
    slot_entry.checked = IsValidFieldValue(slot);
    for (std::size_t i = first + block.slot_field_ + 1; i < entries_.size(); ++i) {
      entries_[i].offset = static_cast<std::uint32_t>(entries_[i].offset + slot.size());
    }
  }
}

void Headers::Replace(const HeaderBlock& block, std::string_view slot) {
  if (Overlaps(data_, slot)) {
    std::string copy(slot);
    Replace(block, copy);
    return;
  }
  if ((name_bits_ & block.name_bits_) == 0) {  // none of the block's names is here
    Append(block, slot);
    return;
  }
  // One pass to find out whether any field has a name of the block's (the
  // usual answer is no); only then remove them name by name. The lengths of
  // the block's names as a bit set rule out most fields without a compare.
  const std::string_view block_data = block.data_;
  std::uint64_t lengths = 0;
  bool long_names = false;
  for (const Entry& b : block.entries_) {
    if (b.name_size < 64) {
      lengths |= std::uint64_t{1} << b.name_size;
    } else {
      long_names = true;
    }
  }
  bool clash = false;
  for (const Entry& e : entries_) {
    if (e.name_size < 64 ? ((lengths >> e.name_size) & 1U) == 0 : !long_names) continue;
    for (const Entry& b : block.entries_) {
      if (e.name_size == b.name_size &&
          EqualsIgnoreCase(NameOf(e), block_data.substr(b.offset, b.name_size))) {
        clash = true;
        break;
      }
    }
    if (clash) break;
  }
  if (clash) {
    for (const Entry& b : block.entries_) Remove(block_data.substr(b.offset, b.name_size));
  }
  Append(block, slot);
}

void Headers::Remove(std::string_view name) noexcept {
  if ((name_bits_ & NameBit(name)) == 0) return;
  // The common case (no such field) only compares lengths and names.
  std::size_t first = 0;
  while (first < entries_.size() && !SameName(NameOf(entries_[first]), name)) ++first;
  if (first == entries_.size()) return;
  // A name that points into data_ (h.Remove(field.name)) would change under
  // the compaction below: compare against a copy.
  char small[128];
  std::string large;
  if (Overlaps(data_, name)) {
    if (name.size() <= sizeof(small)) {
      std::memcpy(small, name.data(), name.size());
      name = std::string_view(small, name.size());
    } else {
      large.assign(name);  // noexcept: running out of memory here terminates
      name = large;
    }
  }
  // Compact data_ and entries_ from the first match on, in one pass.
  std::size_t out = first;
  std::size_t write = entries_[first].offset;  // where the next kept line goes in data_
  for (std::size_t i = first + 1; i < entries_.size(); ++i) {
    Entry e = entries_[i];
    if (SameName(NameOf(e), name)) continue;
    const std::size_t line = e.name_size + e.value_size + 4;
    std::memmove(data_.data() + write, data_.data() + e.offset, line);
    e.offset = static_cast<std::uint32_t>(write);
    write += line;
    entries_[out++] = e;
  }
  entries_.resize(out);
  data_.resize(write);
}

void Headers::Clear() noexcept {
  data_.clear();
  entries_.clear();
  name_bits_ = 0;
  server_owned_ = false;
}

bool Headers::AllFieldsValid() const noexcept {
  for (const Entry& e : entries_) {
    if (e.checked) continue;
    if (!IsToken(NameOf(e)) || !IsValidFieldValue(ValueOf(e))) return false;
  }
  return true;
}

HeaderBlock::Builder& HeaderBlock::Builder::Add(std::string_view name, std::string_view value) {
  fields_.push_back(Pending{std::string(name), std::string(value), std::string(), false});
  return *this;
}

HeaderBlock::Builder& HeaderBlock::Builder::AddWithSlot(std::string_view name,
                                                        std::string_view prefix,
                                                        std::string_view suffix) {
  fields_.push_back(Pending{std::string(name), std::string(prefix), std::string(suffix), true});
  return *this;
}

Result<HeaderBlock> HeaderBlock::Builder::Build() const {
  HeaderBlock block;
  for (const Pending& p : fields_) {
    if (!IsToken(p.name)) return Error(ErrorCode::kInvalidArgument, "header name is not a token");
    if (IsServerOwnedField(p.name)) {
      return Error(ErrorCode::kInvalidArgument, "header block field is set by the server");
    }
    if (!IsValidFieldValue(p.value) || !IsValidFieldValue(p.suffix)) {
      return Error(ErrorCode::kInvalidArgument, "invalid header field value");
    }
    if (p.slot && block.has_slot()) {
      return Error(ErrorCode::kInvalidArgument, "a header block has at most one slot");
    }
    Headers::Entry e;
    e.offset = Size32(block.data_.size());
    e.name_size = Size32(p.name.size());
    e.value_size = Size32(p.value.size() + p.suffix.size());
    e.checked = true;
    block.data_ += p.name;
    block.data_ += ": ";
    block.data_ += p.value;
    if (p.slot) {
      block.slot_field_ = block.entries_.size();
      block.slot_offset_ = block.data_.size();
      block.data_ += p.suffix;
    }
    block.data_ += "\r\n";
    Size32(block.data_.size());
    block.entries_.push_back(e);
    block.name_bits_ |= Headers::NameBit(p.name);
  }
  return block;
}

bool IsValidOriginForm(std::string_view target) noexcept {
  if (target.empty() || target.front() != '/') return false;
  // Visible ASCII except '#'; one branch per byte.
  for (char ch : target) {
    auto c = static_cast<unsigned char>(ch);
    if (static_cast<unsigned char>(c - 0x21) > 0x7E - 0x21 || c == '#') return false;
  }
  return true;
}

Result<std::string> PercentDecode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) {
        return Error(ErrorCode::kInvalidArgument, "truncated percent escape");
      }
      int hi = HexValue(text[i + 1]);
      int lo = HexValue(text[i + 2]);
      if (hi < 0 || lo < 0) return Error(ErrorCode::kInvalidArgument, "bad percent escape");
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  if (out.find('\0') != std::string::npos) {
    return Error(ErrorCode::kInvalidArgument, "NUL in decoded text");
  }
  if (!IsValidUtf8(out)) return Error(ErrorCode::kInvalidArgument, "invalid UTF-8");
  return out;
}

Result<Request> Request::Create(Method method, std::string_view target) {
  if (!IsValidOriginForm(target)) {
    return Error(ErrorCode::kInvalidArgument, "request target is not origin-form");
  }
  return Request(method, std::string(target));
}

std::string_view Request::path() const noexcept {
  return std::string_view(target_.data(), path_size_);
}

std::string_view Request::query() const noexcept {
  // After the '?', if there is one.
  return path_size_ < target_.size() ? std::string_view(target_).substr(path_size_ + 1)
                                     : std::string_view();
}

std::optional<Untrusted<std::string>> Request::QueryParam(std::string_view name) const {
  std::string_view q = query();
  while (!q.empty()) {
    std::size_t amp = q.find('&');
    std::string_view pair = q.substr(0, amp);
    std::size_t eq = pair.find('=');
    std::string_view raw_name = pair.substr(0, eq);
    Result<std::string> decoded_name = PercentDecode(raw_name, true);
    if (decoded_name.ok() && *decoded_name == name) {
      std::string_view raw_value = eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
      Result<std::string> value = PercentDecode(raw_value, true);
      if (!value.ok()) return std::nullopt;
      return Untrusted<std::string>(std::move(value).value());
    }
    if (amp == std::string_view::npos) break;
    q.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

std::int64_t Request::PathInt(std::string_view name) const {
  for (const auto& p : params_) {
    if (p.name == name) {
      BULWARK_CHECK(p.kind == PathParam::Kind::kInt);
      return p.number;
    }
  }
  BULWARK_CHECK(false && "no such path parameter");
  return 0;
}

std::string_view Request::PathText(std::string_view name) const {
  for (const auto& p : params_) {
    if (p.name == name) {
      BULWARK_CHECK(p.kind != PathParam::Kind::kInt);
      return p.text;
    }
  }
  BULWARK_CHECK(false && "no such path parameter");
  return {};
}

}  // namespace bulwark::http
