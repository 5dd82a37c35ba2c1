// The `hearth` executable: one binary, subcommands per tool.
#include <CLI/CLI.hpp>

int main(int argc, char** argv) {
  CLI::App app{"Hearth: a Campfire-compatible, event-sourced group chat server"};
  app.require_subcommand(1);
  app.add_subcommand("replay", "Debug the log: verify, dump, rebuild, diff, explain");
  CLI11_PARSE(app, argc, argv);
  return 0;
}
