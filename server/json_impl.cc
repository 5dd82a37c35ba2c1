// Boost.JSON, compiled once (header-only mode: its sources are included here and nowhere else).
#include <boost/json/src.hpp>
