// `unum table create URL`: creates the DynamoDB table a dynamodb:// store
// uses (keys p/s binary, PAY_PER_REQUEST), waits until it is ACTIVE and
// enables TTL on its expiry attribute. Idempotent: an existing table is
// fine. See docs/aws.md.
#include <fmt/core.h>

#include <iostream>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "datastore/dynamodb/dynamodb_datastore.h"

namespace unum::cli {
namespace {

int TableCreate(const std::string& url) {
  Result<DynamoDbDatastoreOptions> options = ParseDynamoDbUrl(url);
  if (!options.ok()) {
    std::cerr << "unum table create: " << options.status().message() << "\n";
    return kExitBadInput;
  }
  options->create = true;
  Result<std::unique_ptr<DynamoDbDatastore>> store =
      DynamoDbDatastore::Open(*options);
  if (!store.ok()) {
    std::cerr << "unum table create: " << store.status().ToString() << "\n";
    return store.status().IsInvalidArgument() ? kExitBadInput
                                              : kExitInfrastructure;
  }
  std::cout << fmt::format("table {} is ready (region {}, endpoint {})\n",
                           options->table, options->region, options->endpoint);
  return kExitOk;
}

}  // namespace

std::vector<Command> AddTableCommands(CLI::App& cli) {
  CLI::App* table = cli.add_subcommand(
      "table", "Manage the DynamoDB table of a dynamodb:// datastore");
  table->require_subcommand(1);
  auto url = std::make_shared<std::string>();
  CLI::App* create = table->add_subcommand(
      "create",
      "Create the table (if missing), wait until it is ACTIVE and enable "
      "TTL; credentials from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY");
  create
      ->add_option("url", *url,
                   "dynamodb://TABLE?region=R[&endpoint=http://host:port]")
      ->required();
  return {Command{table, [url] { return TableCreate(*url); }}};
}

}  // namespace unum::cli
