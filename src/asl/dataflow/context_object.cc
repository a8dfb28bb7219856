// ContextObject as JSON.
#include "asl/dataflow/context_object.h"

namespace unum::asl {

using nlohmann::json;

json ContextObject::ToJson() const {
  return json{
      {"Execution",
       {{"Id", execution_id},
        {"Input", execution_input},
        {"Name", execution_name},
        {"StartTime", execution_start_time}}},
      {"State",
       {{"Name", state_name},
        {"EnteredTime", state_entered_time},
        {"RetryCount", state_retry_count}}},
      {"StateMachine",
       {{"Id", state_machine_id}, {"Name", state_machine_name}}},
  };
}

json WithMapItem(const json& context, std::int64_t index, const json& value) {
  json out = context.is_object() ? context : json::object();
  out["Map"]["Item"] = {{"Index", index}, {"Value", value}};
  return out;
}

}  // namespace unum::asl
