#include "bulwark/core/encoding.h"

#include <sodium.h>

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
