// ContextObject: the data `$$` paths read (States Language spec, "The
// Context Object"), built as JSON for JsonPath to evaluate against.
//
// The runtime fills one per state entry; a Map state adds the item being
// processed with WithMapItem before evaluating its ItemSelector.
#ifndef UNUM_ASL_DATAFLOW_CONTEXT_OBJECT_H_
#define UNUM_ASL_DATAFLOW_CONTEXT_OBJECT_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace unum::asl {

struct ContextObject {
  std::string execution_id;            // Execution.Id
  nlohmann::json execution_input;      // Execution.Input
  std::string execution_name;          // Execution.Name
  std::string execution_start_time;    // Execution.StartTime (RFC 3339)
  std::string state_name;              // State.Name
  std::string state_entered_time;      // State.EnteredTime (RFC 3339)
  std::int64_t state_retry_count = 0;  // State.RetryCount
  std::string state_machine_id;        // StateMachine.Id
  std::string state_machine_name;      // StateMachine.Name

  // {"Execution": {...}, "State": {...}, "StateMachine": {...}}.
  nlohmann::json ToJson() const;
};

// A copy of `context` with Map.Item.Index and Map.Item.Value set.
nlohmann::json WithMapItem(const nlohmann::json& context, std::int64_t index,
                           const nlohmann::json& value);

}  // namespace unum::asl

#endif  // UNUM_ASL_DATAFLOW_CONTEXT_OBJECT_H_
