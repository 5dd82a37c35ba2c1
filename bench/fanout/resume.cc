#include "bench/fanout/scenarios.h"
namespace hearth::bench {
void resume_scenario(const Flags&) {}
void storm_scenario(const Flags&) {}
}  // namespace hearth::bench
