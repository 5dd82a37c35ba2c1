#include "migrate/import_cli.h"

#include <unistd.h>

#include <iostream>

#include "migrate/import_verifier.h"
#include "migrate/importer.h"

namespace hearth::migrate {

int run_import(const ImportCliOptions& o, std::ostream& out, std::ostream& err) {
  if (o.verify) {
    auto v = verify_import(o.from, o.to, out);
    if (!v) {
      err << "hearth import --verify: " << v.error().message << "\n";
      return 2;
    }
    return v->differences == 0 ? 0 : 1;
  }
  ImportOptions io;
  io.from = o.from;
  io.storage = o.storage;
  io.to = o.to;
  io.progress = &err;
  io.progress_tty = &err == &std::cerr && ::isatty(STDERR_FILENO);
  auto report = import_campfire(io);
  if (!report) {
    err << "hearth import: " << report.error().message << "\n";
    switch (report.error().code) {
      case ErrorCode::kConflict:
      case ErrorCode::kNotFound:
      case ErrorCode::kInvalid:
      case ErrorCode::kCorruption: return 2;
      default: return 3;
    }
  }
  report->print(out);
  out << "imported into " << o.to << "\n";
  return 0;
}

}  // namespace hearth::migrate
