#pragma once
// `hearth import` as library code: the CLI only parses flags (cli/main.cc).
#include <ostream>
#include <string>

namespace hearth::migrate {

struct ImportCliOptions {
  std::string from, storage, to;
  bool verify = false;
};

// Imports (progress on `err`, a bar when it is a terminal; the report on `out`) or, with
// `verify`, compares. Exit codes: 0 ok, 1 verify found differences, 2 bad usage or input
// (missing/invalid source, existing destination), 3 the import itself failed (I/O).
int run_import(const ImportCliOptions& options, std::ostream& out, std::ostream& err);

}  // namespace hearth::migrate
