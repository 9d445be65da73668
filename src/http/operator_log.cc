#include "operator_log.h"

#include <spdlog/spdlog.h>

#include <string>

#include "util.h"

namespace bulwark::http::internal {
namespace {

std::string Line(std::string_view level, std::string_view message, std::string_view request_id,
                 std::string_view detail) {
  std::string line = R"({"level":")";
  line += level;
  line += R"(","component":"http","msg":")";
  AppendJsonEscaped(line, message);
  line += '"';
  if (!request_id.empty()) {
    line += R"(,"request_id":")";
    AppendJsonEscaped(line, request_id);
    line += '"';
  }
  if (!detail.empty()) {
    line += R"(,"detail":")";
    AppendJsonEscaped(line, detail.substr(0, 2048));
    line += '"';
  }
  line += '}';
  return line;
}

}  // namespace

void LogError(std::string_view message, std::string_view request_id, std::string_view detail) {
  spdlog::error("{}", Line("error", message, request_id, detail));
}
void LogWarning(std::string_view message, std::string_view detail) {
  spdlog::warn("{}", Line("warn", message, {}, detail));
}
void LogInfo(std::string_view message, std::string_view detail) {
  spdlog::info("{}", Line("info", message, {}, detail));
}

}  // namespace bulwark::http::internal
