#pragma once
// Internal: libsodium must be initialized once before use.
namespace bulwark::crypto::internal {
void EnsureSodium() noexcept;
}
