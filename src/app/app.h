// An Unum app on disk: `unum-template.yaml` (Globals and Functions) plus one
// IR file per function (`<CodeUri>/unum_config.json`, or .yaml). LoadApp
// reads and validates all of it before anything runs.
//
//   Globals:
//     ApplicationName: wordcount   # also the module name (<name>.so)
//     Checkpoint: true             # default for IR files that omit it
//     DataStore: memory://         # optional default --store
//     GarbageCollection: delete    # delete (default) | expire
//   Functions:
//     Mapper:
//       Properties:
//         CodeUri: mapper/         # holds unum_config.json
//         Runtime: cpp             # cpp (module) | exec (any executable)
//         Handler: ./mapper.sh     # exec only: command, relative to CodeUri
#ifndef UNUM_APP_APP_H_
#define UNUM_APP_APP_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "asl/engine/workflow.h"
#include "runtime/runtime.h"
#include "unum/ir.h"
#include "unum/status.h"

namespace unum::app {

// kHelper: a function the Step Functions compiler added (no user code).
enum class FunctionRuntime { kCpp, kExec, kHelper };

struct FunctionSpec {
  std::string name;
  std::string code_dir;  // absolute or relative to cwd: app dir + CodeUri
  FunctionRuntime runtime = FunctionRuntime::kCpp;
  std::string handler;   // exec: the command (resolved against code_dir)
  ir::FunctionConfig config;
  // The template function whose code runs (a compiled state machine's
  // Task runs its Resource's function; else `name`).
  std::string code_function;
};

struct App {
  std::string dir;
  std::string template_file;
  std::string name;              // Globals.ApplicationName
  std::string datastore_url;     // Globals.DataStore, may be empty
  std::string module;            // Globals.Module, may be empty
  // Globals.GarbageCollection: how checkpoints are collected (every
  // function of an app must use the same policy).
  runtime::GcPolicy gc = runtime::GcPolicy::kDelete;
  std::map<std::string, FunctionSpec> functions;
  std::string start_function;
  // Set when the app runs a Step Functions state machine
  // (Globals.WorkflowDefinition, or LoadApp's `definition`).
  std::string definition_file;
  std::shared_ptr<const asl::Workflow> workflow;
};

// Reads `dir`/unum-template.yaml and every function's IR, then validates
// the whole app. Errors are kInvalidArgument / kNotFound naming the file,
// the function and the field.
// With a state machine (`definition`, else the template's
// Globals.WorkflowDefinition, relative to `dir`), the functions are
// compiled from it: the template's Functions are then only the code that
// Task states name, and need no IR files.
Result<App> LoadApp(const std::string& dir, const std::string& definition = "");

}  // namespace unum::app

#endif  // UNUM_APP_APP_H_
