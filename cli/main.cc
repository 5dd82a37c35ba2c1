// The `hearth` executable: one binary, one subcommand per tool. This file only parses flags and
// calls library functions; every behaviour lives (and is tested) in the libraries.
//
// Exit codes (docs/log_format.md): 0 ok; 1 the tool ran and found something (corruption,
// differences); 2 bad usage or input (missing directory, not a Hearth file). Never a crash: an
// unexpected exception is reported and exits 3.
#include <CLI/CLI.hpp>

#include <cstdint>
#include <cstdlib>
#include <exception>
#include <functional>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "migrate/import_cli.h"
#include "replay/common.h"
#include "replay/diff.h"
#include "replay/dump.h"
#include "replay/explain.h"
#include "replay/rebuild.h"
#include "replay/verify.h"
#include "server/config.h"
#include "server/serve.h"

namespace {

using Action = std::function<int()>;

// `hearth replay ...`: each subcommand stores what to run in `action`, run after parsing.
void add_replay(CLI::App& app, Action& action) {
  namespace r = hearth::replay;
  auto* replay = app.add_subcommand("replay", "Debug the log: verify, dump, rebuild, diff, explain");
  replay->require_subcommand(1);
  replay->footer(
      "Exit codes: 0 ok; 1 corruption or differences found; 2 bad usage or input.\n"
      "DATA_DIR holds log.sqlite3 (the log) and state.sqlite3 (the projections).");

  // Options outlive parsing: the lambdas below read them when `action` runs.
  static std::string data_dir, out_file, a, b;
  static hearth::replay::DumpFilter filter;
  static int64_t user = 0, cursor = 0, until = INT64_MAX;
  static size_t limit = 50;

  auto* verify = replay->add_subcommand("verify", "Check contiguity, checksums, chain and payloads; name the first bad seq");
  verify->add_option("DATA_DIR", data_dir, "Data directory")->required();
  verify->callback([&] { action = [] { return r::run_verify(data_dir, std::cout, std::cerr); }; });

  auto* dump = replay->add_subcommand("dump", "Print events as JSON lines, optionally filtered");
  dump->add_option("DATA_DIR", data_dir, "Data directory")->required();
  dump->add_option("--from", filter.from, "First seq (inclusive)");
  dump->add_option("--to", filter.to, "Last seq (inclusive)");
  dump->add_option("--room", filter.room, "Only events whose payload room_id is ID");
  dump->add_option("--user", filter.user, "Only events by, or naming (user_id, creator_id, booster_id), user ID");
  dump->add_option("--type", filter.types, "Only events of this type, e.g. MessagePosted (repeatable)");
  dump->callback([&] { action = [] { return r::run_dump(data_dir, filter, std::cout, std::cerr); }; });

  auto* rebuild = replay->add_subcommand("rebuild", "Fold the whole log into a fresh projection file");
  rebuild->add_option("DATA_DIR", data_dir, "Data directory")->required();
  rebuild->add_option("--out", out_file, "The new state file (must not exist)")->required();
  rebuild->callback([&] { action = [] { return r::run_rebuild(data_dir, out_file, std::cout, std::cerr); }; });

  auto* diff = replay->add_subcommand("diff", "Compare two state files (or data directories) row by row");
  diff->add_option("A", a, "State file or data directory")->required();
  diff->add_option("B", b, "State file or data directory")->required();
  diff->add_option("--limit", limit, "Differences to print in full")->capture_default_str();
  diff->callback([&] {
    action = [] { return r::run_diff(a, b, r::DiffOptions{.max_printed = limit}, std::cout, std::cerr); };
  });

  auto* explain = replay->add_subcommand("explain", "What a user resuming from a cursor should receive, and why");
  explain->add_option("DATA_DIR", data_dir, "Data directory")->required();
  explain->add_option("--user", user, "User id")->required();
  explain->add_option("--after,--cursor", cursor, "The seq the client resumes from")->capture_default_str();
  explain->add_option("--until", until, "Consider events up to this seq (default: the end of the log)");
  explain->callback([&] {
    action = [] {
      return r::run_explain(data_dir, hearth::UserId(user), hearth::Seq(cursor), std::cout, std::cerr,
                            hearth::Seq(until));
    };
  });
}

// `hearth import`: a Rails Campfire database into a new data directory, or --verify one.
void add_import(CLI::App& app, Action& action) {
  static hearth::migrate::ImportCliOptions o;
  auto* import = app.add_subcommand("import", "Migrate a Rails Campfire SQLite database into a new data directory");
  import->add_option("--from", o.from, "The Rails database (production.sqlite3); opened read-only")->required();
  import->add_option("--storage", o.storage, "The Rails storage directory, for attachment files");
  import->add_option("--to", o.to, "The new data directory (must not exist); with --verify, the imported one")->required();
  import->add_flag("--verify", o.verify, "Compare the source with an imported data directory instead of importing");
  import->footer("Exit codes: 0 ok; 1 --verify found differences; 2 bad usage or input; 3 the import failed.");
  import->callback([&] { action = [] { return hearth::migrate::run_import(o, std::cout, std::cerr); }; });
}

// `hearth serve`: configuration from defaults, a TOML file, HEARTH_* variables, then these flags
// (server/config.h). Each configuration key is a flag: --port, --data-dir (or --data), ...
void add_serve(CLI::App& app, Action& action) {
  namespace s = hearth::server;
  static std::string config_file;
  static std::vector<std::pair<std::string_view, std::string>> values;  // key, flag text
  static std::vector<std::pair<std::string_view, CLI::Option*>> given;
  static bool log_json = false;
  auto* serve = app.add_subcommand("serve", "Serve the chat over HTTP from a data directory");
  serve->add_option("--config", config_file, "TOML configuration file (default: $HEARTH_CONFIG if set)");
  values.reserve(s::config_keys().size());
  for (const auto& key : s::config_keys()) {
    std::string flag = "--" + std::string(key.name);
    for (auto& c : flag) c = c == '_' ? '-' : c;
    if (key.name == "log_json") {
      given.emplace_back(key.name, serve->add_flag(flag, log_json, std::string(key.help)));
      continue;
    }
    if (key.name == "data_dir") flag += ",--data";
    auto& [name, text] = values.emplace_back(key.name, std::string());
    given.emplace_back(key.name, serve->add_option(flag, text, std::string(key.help) +
                                                                   (key.list ? " (comma-separated)" : "")));
  }
  serve->footer("Every key can also be set in the TOML file (same name) or as HEARTH_<KEY> (e.g. HEARTH_PORT).\n"
                "Exit codes: 0 after SIGTERM/SIGINT; 2 bad configuration, or the data directory or port unusable.");
  serve->callback([&] {
    action = [] {
      s::Config config;
      auto fail = [](const hearth::Error& e) {
        std::cerr << "hearth serve: " << e.message << "\n";
        return hearth::replay::kExitBadInput;
      };
      std::string file = config_file;
      if (const char* env = std::getenv("HEARTH_CONFIG"); file.empty() && env != nullptr) file = env;
      if (!file.empty()) {
        if (auto st = s::apply_toml_file(config, file); !st.ok()) return fail(st.error());
      }
      if (auto st = s::apply_env(config, [](const char* n) { return std::getenv(n); }); !st.ok()) {
        return fail(st.error());
      }
      for (size_t i = 0; i < given.size(); ++i) {
        auto [key, option] = given[i];
        if (option->count() == 0) continue;
        if (key == "log_json") {
          config.log_json = log_json;
          continue;
        }
        for (const auto& [k, text] : values) {
          if (k != key) continue;
          if (auto st = s::set_config_key(config, key, text); !st.ok()) {
            return fail(hearth::invalid("--" + std::string(key) + ": " + st.error().message));
          }
        }
      }
      if (auto st = s::validate(config); !st.ok()) return fail(st.error());
      return s::run_serve(config);
    };
  });
}

}  // namespace

int main(int argc, char** argv) {
  try {
    CLI::App app{"Hearth: a Campfire-compatible, event-sourced group chat server"};
    app.require_subcommand(1);
    Action action;
    add_replay(app, action);
    add_import(app, action);
    add_serve(app, action);
    try {
      app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
      int rc = app.exit(e);  // prints help (rc 0) or the usage error
      return rc == 0 ? hearth::replay::kExitOk : hearth::replay::kExitBadInput;
    }
    return action ? action() : hearth::replay::kExitBadInput;
  } catch (const std::exception& e) {
    std::cerr << "hearth: internal error: " << e.what() << "\n";
    return 3;
  }
}
