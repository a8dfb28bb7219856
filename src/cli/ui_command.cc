// `unum ui --store URL [--port N] [--host H] [--app APP_DIR]`: serves the
// read-only web view of the store's sessions (src/ui) on loopback by
// default, until stopped. Prints the URL on stdout once listening.
#include <iostream>
#include <memory>
#include <string>

#include "app/app.h"
#include "cli/commands.h"
#include "cli/run_output.h"
#include "ui/ui_server.h"
#include "unum/datastore.h"

namespace unum::cli {
namespace {

struct UiFlags {
  std::string store;
  std::string app_dir;
  std::string host = "127.0.0.1";
  int port = 8080;
};

int UiCommand(const UiFlags& flags) {
  ui::UiOptions options;
  options.host = flags.host;
  options.port = flags.port;
  if (!flags.app_dir.empty()) {
    auto app = app::LoadApp(flags.app_dir);
    if (!app.ok()) {
      PrintError(app.status().message());
      return kExitBadInput;
    }
    options.app = std::move(app).value();
  }
  auto store = OpenDatastore(flags.store);
  if (!store.ok()) {
    PrintError(store.status().message());
    return store.status().IsInvalidArgument() ? kExitBadInput
                                              : kExitInfrastructure;
  }
  Status s = ui::ServeUi(store->get(), options, [&](const std::string& url) {
    std::cout << "unum ui: serving " << url << " (store " << flags.store << ")"
              << std::endl;
  });
  if (!s.ok()) {
    PrintError(s.message());
    return kExitInfrastructure;
  }
  return kExitOk;
}

}  // namespace

std::vector<Command> AddUiCommands(CLI::App& cli) {
  auto flags = std::make_shared<UiFlags>();
  CLI::App* cmd = cli.add_subcommand(
      "ui", "Serve a read-only web view of a store's sessions");
  cmd->add_option("--store", flags->store, "The datastore URL")->required();
  cmd->add_option("--app", flags->app_dir,
                  "The app directory (to draw its graph)");
  cmd->add_option("--port", flags->port, "TCP port (default 8080; 0: any)")
      ->check(CLI::Range(0, 65535));
  cmd->add_option("--host", flags->host,
                  "Address to bind (default 127.0.0.1, loopback only)");
  return {Command{cmd, [flags] { return UiCommand(*flags); }}};
}

}  // namespace unum::cli
