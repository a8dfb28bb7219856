#include "app/exec_function.h"

#include <cstring>
#include <filesystem>

#include "common/child_process.h"
#include "common/command_words.h"
#include "common/json_text.h"

extern char** environ;

namespace unum::app {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string Trim(const std::string& s, size_t max) {
  std::string t = s;
  while (!t.empty() && (t.back() == '\n' || t.back() == '\r')) t.pop_back();
  if (t.size() > max) t = t.substr(0, max) + "...";
  return t;
}

}  // namespace

Result<ExecFunction> ExecFunction::Create(const std::string& command,
                                          const std::string& working_dir) {
  ExecFunction f;
  auto words = SplitCommandWords(command);
  if (!words.ok()) {
    return words.status().WithContext("exec function: Handler");
  }
  f.argv_ = std::move(words).value();
  if (f.argv_.empty()) {
    return Status::InvalidArgument("exec function: empty command");
  }
  f.working_dir_ = fs::absolute(working_dir).string();
  std::string& program = f.argv_[0];
  if (program.find('/') != std::string::npos) {
    fs::path p = fs::path(program).is_absolute()
                     ? fs::path(program)
                     : fs::path(f.working_dir_) / program;
    if (!fs::exists(p)) {
      return Status::NotFound("exec function: program " + p.string() +
                              " does not exist");
    }
    program = p.lexically_normal().string();
  }
  return f;
}

Result<json> ExecFunction::Run(const json& input, const Context& ctx) const {
  ChildSpec spec{.argv = argv_, .working_dir = working_dir_};
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    if (strncmp(*e, "UNUM_", 5) != 0) env.emplace_back(*e);
  }
  env.push_back("UNUM_SESSION=" + ctx.session);
  env.push_back("UNUM_FUNCTION=" + ctx.function);
  env.push_back("UNUM_INSTANCE=" + ctx.instance);
  env.push_back("UNUM_ATTEMPT=" + std::to_string(ctx.attempt));
  spec.env = std::move(env);
  ChildRun io;
  io.input = ToJsonText(input);
  auto run = RunChild(std::move(spec), io);
  if (!run.ok()) {
    return Status::FailedPrecondition(run.status().message());
  }
  const std::string& stdout_text = run->out;
  const std::string& stderr_text = run->err;
  if (run->exit.signal != 0) {
    return Status::Unknown(
        argv_[0] + " killed by signal " + std::to_string(run->exit.signal) +
        (stderr_text.empty() ? "" : ": " + Trim(stderr_text, 4000)));
  }
  if (run->exit.code != 0) {
    std::string msg = stderr_text.empty() ? argv_[0] + " exited with status " +
                                                std::to_string(run->exit.code)
                                          : Trim(stderr_text, 4000);
    // Like a Lambda function's error: the last stderr line may be
    // {"errorType": name, "errorMessage": cause}.
    const size_t last = stderr_text.find_last_not_of("\n");
    if (last != std::string::npos) {
      const size_t begin = stderr_text.rfind('\n', last);
      const std::string line = stderr_text.substr(
          begin == std::string::npos ? 0 : begin + 1,
          last + 1 - (begin == std::string::npos ? 0 : begin + 1));
      auto doc = ParseJsonText(line, "stderr");
      if (doc.ok() && doc->is_object() && doc->contains("errorType") &&
          (*doc)["errorType"].is_string()) {
        const nlohmann::json& message =
            doc->value("errorMessage", nlohmann::json(""));
        return Status::Unknown(message.is_string() ? message.get<std::string>()
                                                   : ToJsonText(message))
            .WithErrorType((*doc)["errorType"].get<std::string>());
      }
    }
    return Status::Unknown(msg);
  }
  auto output = ParseJsonText(stdout_text, "stdout");
  if (!output.ok()) {
    return Status::Unknown(argv_[0] + " printed no valid JSON on " +
                           output.status().message() + " (output began \"" +
                           Trim(stdout_text, 200) + "\")");
  }
  return output;
}

}  // namespace unum::app
