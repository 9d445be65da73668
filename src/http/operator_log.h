#pragma once
// Internal: the operator log (spdlog, stderr). Messages are program-owned
// text plus escaped values; never secrets, never raw input unescaped.

#include <string_view>

namespace bulwark::http::internal {

void LogError(std::string_view message, std::string_view request_id = {},
              std::string_view detail = {});
void LogWarning(std::string_view message, std::string_view detail = {});
void LogInfo(std::string_view message, std::string_view detail = {});

}  // namespace bulwark::http::internal
