#include "bench/fanout/scenarios.h"
namespace hearth::bench {
void memory_scenario(const Flags&) {}
int serve_child(const Flags&) { return 0; }
}  // namespace hearth::bench
