// unum-lambda-bootstrap: the `bootstrap` executable of every deployment
// zip that `unum build --platform aws` writes. See lambda/bootstrap.h.
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <string>

#include "lambda/bootstrap.h"

int main() {
  // Lambda sends stderr to CloudWatch Logs.
  auto logger = spdlog::stderr_logger_mt("unum");
  spdlog::set_default_logger(logger);
  const char* level = std::getenv("UNUM_LOG_LEVEL");
  spdlog::set_level(spdlog::level::from_str(level ? level : "info"));
  spdlog::set_pattern("[%l] %v");
  auto config = unum::lambda::BootstrapConfigFromEnvironment();
  if (!config.ok()) {
    spdlog::error("{}", config.status().message());
    return 1;
  }
  return unum::lambda::RunBootstrap(*config);
}
