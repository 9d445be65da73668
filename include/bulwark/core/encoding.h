#pragma once
// Strict binary-to-text codecs. Decoders accept only the canonical form:
// base64url without padding, base64 with exact padding, hex of even length.
// Whitespace, padding in the wrong variant, non-zero trailing bits and any
// character outside the alphabet are rejected with kInvalidArgument. This
// matters for tokens and signatures: two spellings of one value would let an
// attacker mint distinct strings that compare unequal but verify equally.
//
// Thread-safety: all functions are thread-safe.

#include <cstddef>
#include <string>
#include <string_view>

#include "bulwark/core/bytes.h"
#include "bulwark/core/result.h"
#include "bulwark/core/secret.h"

namespace bulwark {

// Largest input the decoders accept (64 MiB of text); beyond it: kResourceExhausted.
inline constexpr std::size_t kMaxDecodeInput = std::size_t{64} << 20;

std::string Base64UrlEncode(ByteView data);
Result<Bytes> Base64UrlDecode(std::string_view text);

// The same strict base64url decoder for data that is not secret: the header,
// payload and signature of a token, public keys. It is several times faster
// than Base64UrlDecode because it uses a lookup table, which makes its timing
// depend on the input; never use it for keys, passwords or other secrets.
// Accepts and rejects exactly what Base64UrlDecode does (fuzzed against it).
Result<Bytes> Base64UrlDecodePublic(std::string_view text);

std::string Base64Encode(ByteView data);
Result<Bytes> Base64Decode(std::string_view text);

// Lower-case hex. The decoder accepts either case.
std::string HexEncode(ByteView data);
Result<Bytes> HexDecode(std::string_view text);

// Decoders straight into a Secret, for key material read from text.
Result<SecretBytes> Base64UrlDecodeSecret(std::string_view text);
Result<SecretBytes> HexDecodeSecret(std::string_view text);

}  // namespace bulwark
