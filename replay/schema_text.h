#pragma once
// The text of schema/events.fbs, embedded at build time (replay/CMakeLists.txt).
#include <string_view>

namespace hearth::replay {

extern const std::string_view kEventsSchemaText;

}  // namespace hearth::replay
