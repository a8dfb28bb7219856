// The JSONata functions AWS Step Functions adds to the language
// ($partition, $range, $hash, $random, $uuid, $parse) and the one it
// takes away ($eval), as host bindings of the jsonata library
// (include/unum/jsonata.h).
//
// The array, hash and UUID functions share their behaviour (and limits)
// with the JSONPath intrinsics States.ArrayPartition, States.ArrayRange,
// States.Hash and States.UUID (src/asl/definition/intrinsics.h), which AWS
// documents them as replacing. A failure is an error whose code is
// kStatesQueryEvaluationError, so the field that called the function
// fails with States.QueryEvaluationError.
#ifndef UNUM_ASL_JSONATA_AWS_FUNCTIONS_H_
#define UNUM_ASL_JSONATA_AWS_FUNCTIONS_H_

#include "unum/jsonata.h"

namespace unum::asl {

// The bindings every JSONata field of a state machine evaluates with:
// the six added functions, and $eval hidden. Built once; immutable.
const jsonata::Bindings& StepFunctionsJsonataBindings();

}  // namespace unum::asl

#endif  // UNUM_ASL_JSONATA_AWS_FUNCTIONS_H_
