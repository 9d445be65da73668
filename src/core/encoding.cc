#include "bulwark/core/encoding.h"

#include <sodium.h>

#include <array>
#include <cstdint>

namespace bulwark {
namespace {

std::string EncodeBase64(ByteView data, int variant) {
  if (data.empty()) return {};
  std::string out(sodium_base64_encoded_len(data.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), data.data(), data.size(), variant);
  out.resize(out.size() - 1);  // drop the terminating NUL
  return out;
}

// libsodium stops at the first character outside the alphabet and rejects
// non-zero trailing bits and wrong padding; requiring that it consumed the
// whole input makes the decoder accept exactly the canonical encoding.
Result<Bytes> DecodeBase64(std::string_view text, int variant) {
  if (text.size() > kMaxDecodeInput) {
    return Error(ErrorCode::kResourceExhausted, "encoded input too large");
  }
  // libsodium 1.0.18 maps every byte >= 0x80 to the alphabet's last value
  // ('_' or '/'), which would give each value many spellings. Checked here
  // with an OR over all bytes so the time does not depend on where one is.
  unsigned high = 0;
  for (char ch : text) high |= static_cast<unsigned char>(ch);
  if ((high & 0x80u) != 0) return Error(ErrorCode::kInvalidArgument, "malformed base64");
  Bytes out(text.size() / 4 * 3 + 3);
  std::size_t written = 0;
  const char* end = nullptr;
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &written,
                        &end, variant) != 0 ||
      end != text.data() + text.size()) {
    SecureWipe(out.data(), out.size());
    return Error(ErrorCode::kInvalidArgument, "malformed base64");
  }
  out.resize(written);
  return out;
}

// Value of each base64url character, or 0xff for anything outside the
// alphabet (padding included: the url variant is unpadded).
constexpr std::array<std::uint8_t, 256> MakeUrlTable() {
  std::array<std::uint8_t, 256> t{};
  for (auto& v : t) v = 0xff;
  constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  for (std::size_t i = 0; i < kAlphabet.size(); ++i) {
    t[static_cast<unsigned char>(kAlphabet[i])] = static_cast<std::uint8_t>(i);
  }
  return t;
}
constexpr std::array<std::uint8_t, 256> kUrlTable = MakeUrlTable();

Result<SecretBytes> ToSecret(Result<Bytes> decoded) {
  if (!decoded.ok()) return std::move(decoded).error();
  Bytes bytes = std::move(decoded).value();
  return SecretBytes::Adopt(std::move(bytes));
}

}  // namespace

std::string Base64UrlEncode(ByteView data) {
  return EncodeBase64(data, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}
Result<Bytes> Base64UrlDecode(std::string_view text) {
  return DecodeBase64(text, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}
Result<Bytes> Base64UrlDecodePublic(std::string_view text) {
  if (text.size() > kMaxDecodeInput) {
    return Error(ErrorCode::kResourceExhausted, "encoded input too large");
  }
  const std::size_t tail = text.size() % 4;
  if (tail == 1) return Error(ErrorCode::kInvalidArgument, "malformed base64");
  const std::size_t full = text.size() - tail;
  Bytes out(full / 4 * 3 + (tail == 0 ? 0 : tail - 1));
  const auto* in = reinterpret_cast<const unsigned char*>(text.data());
  std::uint8_t bad = 0;  // OR of all looked-up values: 0xff marks a stray byte
  std::size_t o = 0;
  for (std::size_t i = 0; i < full; i += 4) {
    const std::uint8_t a = kUrlTable[in[i]], b = kUrlTable[in[i + 1]];
    const std::uint8_t c = kUrlTable[in[i + 2]], d = kUrlTable[in[i + 3]];
    bad |= static_cast<std::uint8_t>(a | b | c | d);
    const std::uint32_t v = (std::uint32_t{a} << 18) | (std::uint32_t{b} << 12) |
                            (std::uint32_t{c} << 6) | d;
    out[o++] = static_cast<std::uint8_t>(v >> 16);
    out[o++] = static_cast<std::uint8_t>(v >> 8);
    out[o++] = static_cast<std::uint8_t>(v);
  }
  if (tail != 0) {
    const std::uint8_t a = kUrlTable[in[full]], b = kUrlTable[in[full + 1]];
    const std::uint8_t c = tail == 3 ? kUrlTable[in[full + 2]] : 0;
    bad |= static_cast<std::uint8_t>(a | b | c);
    const std::uint32_t v = (std::uint32_t{a} << 18) | (std::uint32_t{b} << 12) |
                            (std::uint32_t{c} << 6);
    // Canonical form: the bits below the last output byte must be zero.
    const std::uint32_t spare = tail == 2 ? (v & 0xffffu) : (v & 0xffu);
    if (spare != 0) return Error(ErrorCode::kInvalidArgument, "malformed base64");
    out[o++] = static_cast<std::uint8_t>(v >> 16);
    if (tail == 3) out[o++] = static_cast<std::uint8_t>(v >> 8);
  }
  // Valid values are below 64, so bit 6 or 7 set means a byte outside the alphabet.
  if ((bad & 0xc0) != 0) return Error(ErrorCode::kInvalidArgument, "malformed base64");
  return out;
}

std::string Base64Encode(ByteView data) {
  return EncodeBase64(data, sodium_base64_VARIANT_ORIGINAL);
}
Result<Bytes> Base64Decode(std::string_view text) {
  return DecodeBase64(text, sodium_base64_VARIANT_ORIGINAL);
}

std::string HexEncode(ByteView data) {
  std::string out(data.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), data.data(), data.size());
  out.resize(data.size() * 2);
  return out;
}

Result<Bytes> HexDecode(std::string_view text) {
  if (text.size() > kMaxDecodeInput) {
    return Error(ErrorCode::kResourceExhausted, "encoded input too large");
  }
  if (text.size() % 2 != 0) return Error(ErrorCode::kInvalidArgument, "malformed hex");
  // An empty vector has no storage; libsodium declares its output non-null.
  if (text.empty()) return Bytes{};
  Bytes out(text.size() / 2);
  std::size_t written = 0;
  const char* end = nullptr;
  if (sodium_hex2bin(out.data(), out.size(), text.data(), text.size(), nullptr, &written,
                     &end) != 0 ||
      end != text.data() + text.size() || written != out.size()) {
    SecureWipe(out.data(), out.size());
    return Error(ErrorCode::kInvalidArgument, "malformed hex");
  }
  return out;
}

Result<SecretBytes> Base64UrlDecodeSecret(std::string_view text) {
  return ToSecret(Base64UrlDecode(text));
}
Result<SecretBytes> HexDecodeSecret(std::string_view text) { return ToSecret(HexDecode(text)); }

}  // namespace bulwark
