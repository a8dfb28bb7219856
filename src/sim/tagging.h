// Output tags: how the simulator makes every user function
// non-deterministic and every value traceable to the execution that made
// it.
//
// The simulator wraps each (deterministic) user function: the wrapper
// strips the tags from the input (Untag), calls the function, and tags its
// output with the producing instance and a fresh random nonce drawn from
// the run's RNG (Tag). A second execution of the same instance therefore
// produces a visibly different output, and a consumer's input names the
// exact execution it came from.
//
// Tagging keeps the shape the IR relies on: Map edges still see an array
// of the same length, Conditionals on object fields ($out.average) still
// work.
//   object  {...}        -> {..., "_sim": {"by": inst, "n": nonce}}
//   array   [e0, e1]     -> [tag(e0, k=0), tag(e1, k=1)]   (per element)
//   element object       -> {..., "_sim": {"by", "n", "k"}}
//   scalar / element x   -> {"_sim_v": x, "_sim": {...}}
// Untag undoes this (outputs of real functions never contain the keys, as
// their inputs were untagged).
#ifndef UNUM_SIM_TAGGING_H_
#define UNUM_SIM_TAGGING_H_

#include <nlohmann/json.hpp>
#include <string>

namespace unum::sim {

inline constexpr char kTagKey[] = "_sim";
inline constexpr char kTaggedValueKey[] = "_sim_v";

nlohmann::json Tag(const nlohmann::json& output, const std::string& instance,
                   const std::string& nonce);

nlohmann::json Untag(const nlohmann::json& value);

// The nonce of the execution that produced `value` (a tagged output or one
// element of it); "" when it carries no tag (e.g. an empty array).
std::string NonceOf(const nlohmann::json& value);

// The instance that produced `value`; "" when it carries no tag.
std::string ProducerOf(const nlohmann::json& value);

}  // namespace unum::sim

#endif  // UNUM_SIM_TAGGING_H_
