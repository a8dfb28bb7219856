// Value: what a JSONata expression computes with.
//
// JSON's six kinds plus jsonata's `undefined` (no value) and functions.
// Strings, arrays, objects and functions are shared (reference counted)
// and treated as immutable once shared; only freshly built containers and
// the clone the transform operator works on are modified in place.
//
// Arrays carry jsonata's flags: a *sequence* is a result list that
// collapses to its only item, or to undefined when empty; a tuple stream
// holds the binding tuples of a path with `@`, `#` or `%`.
#ifndef UNUM_JSONATA_VALUE_H_
#define UNUM_JSONATA_VALUE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace unum::jsonata {

struct Array;
class Object;
class Function;
using ArrayPtr = std::shared_ptr<Array>;
using ObjectPtr = std::shared_ptr<Object>;
using FunctionPtr = std::shared_ptr<const Function>;

class Value {
 public:
  enum class Type : std::uint8_t {
    kUndefined,
    kNull,
    kBool,
    kNumber,
    kString,
    kArray,
    kObject,
    kFunction
  };

  Value() : number_(0) {}
  static Value Null() { return Value(Type::kNull); }
  static Value Bool(bool b) {
    Value v(Type::kBool);
    v.bool_ = b;
    return v;
  }
  static Value Number(double n) {
    Value v(Type::kNumber);
    v.number_ = n;
    return v;
  }
  static Value String(std::string s);
  static Value String(std::shared_ptr<const std::string> s);
  static Value Of(ArrayPtr a);
  static Value Of(ObjectPtr o);
  static Value Of(FunctionPtr f);

  Type type() const { return type_; }
  bool undefined() const { return type_ == Type::kUndefined; }
  bool is_null() const { return type_ == Type::kNull; }
  bool is_bool() const { return type_ == Type::kBool; }
  bool is_number() const { return type_ == Type::kNumber; }
  bool is_string() const { return type_ == Type::kString; }
  bool is_array() const { return type_ == Type::kArray; }
  bool is_object() const { return type_ == Type::kObject; }
  bool is_function() const { return type_ == Type::kFunction; }
  // A finite number (jsonata's isNumeric).
  bool is_numeric() const;
  // An array flagged as a sequence.
  bool is_sequence() const;

  // The accessors read the value as the given type; on another type they
  // give false, 0, "" or an empty container instead of failing.
  bool boolean() const { return type_ == Type::kBool && bool_; }
  double number() const { return type_ == Type::kNumber ? number_ : 0; }
  const std::string& string() const;
  Array& array() const;
  Object& object() const;
  const Function& function() const {
    return *static_cast<const Function*>(ptr_.get());
  }
  ArrayPtr array_ptr() const { return std::static_pointer_cast<Array>(ptr_); }
  ObjectPtr object_ptr() const {
    return std::static_pointer_cast<Object>(ptr_);
  }
  FunctionPtr function_ptr() const {
    return std::static_pointer_cast<const Function>(ptr_);
  }
  // The identity of a shared value (strict equality for containers).
  const void* identity() const { return ptr_.get(); }

 private:
  explicit Value(Type t) : type_(t), number_(0) {}
  Type type_ = Type::kUndefined;
  union {
    bool bool_;
    double number_;
  };
  std::shared_ptr<void> ptr_;
};

// Containers release their members iteratively (not recursively), so
// that dropping a deeply nested value cannot exhaust the stack.
struct Array {
  Array() = default;
  ~Array();
  Array(const Array&) = delete;
  Array& operator=(const Array&) = delete;
  std::vector<Value> items;
  bool sequence = false;        // collapses to its single item
  bool keep_singleton = false;  // a sequence that stays an array (`[]`)
  bool outer_wrapper = false;   // wraps an array input at the top level
  bool tuple_stream = false;    // items are binding tuples (objects)
  bool cons = false;            // built by an array constructor in a path
};

// An object with JavaScript's property order: integer-like keys first in
// ascending order, then the others in insertion order.
class Object {
 public:
  using Entry = std::pair<std::string, Value>;
  Object() = default;
  ~Object();
  Object(const Object&) = delete;
  Object& operator=(const Object&) = delete;
  const std::vector<Entry>& entries() const { return entries_; }
  std::size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  const Value* Find(std::string_view key) const;
  // Replaces the value of `key` or adds the key in JavaScript order.
  void Set(std::string key, Value value);
  bool Erase(std::string_view key);

 private:
  std::ptrdiff_t IndexOf(std::string_view key) const;
  void Reindex();
  std::vector<Entry> entries_;
  // Built for large objects only (never lazily: readers may share it).
  std::unique_ptr<std::unordered_map<std::string, std::size_t>> index_;
};

ArrayPtr NewArray();
ArrayPtr NewSequence();
ObjectPtr NewObject();
// A sequence holding `v` (none when `v` is undefined).
Value SequenceOf(const Value& v);
// jsonata's deep equality (`=`): numbers, strings, booleans and null by
// value, arrays and objects member by member, functions by identity.
bool DeepEqual(const Value& a, const Value& b);
// jsonata's boolean cast ($boolean): undefined when `v` is undefined.
bool Truthy(const Value& v);
// JavaScript's truthiness (what a callback's result means to $sort):
// containers and functions are true, unlike jsonata's boolean cast.
bool JsTruthy(const Value& v);
// The name $type reports: "null", "number", "string", "boolean", "array",
// "object", "function".
std::string_view TypeName(const Value& v);
// Whether `v` is an array whose items are all strings (or all numbers).
bool IsArrayOfStrings(const Value& v);
bool IsArrayOfNumbers(const Value& v);
// A deep copy of arrays and objects (functions are shared).
Value DeepCopy(const Value& v);

// Values nested deeper than this are refused (U1001) by the recursive
// walks (copy, equality, conversion, serialisation).
inline constexpr int kMaxValueNesting = 1000;
// Throws U1001 when `depth` exceeds kMaxValueNesting.
void CheckNesting(int depth);

}  // namespace unum::jsonata

#endif  // UNUM_JSONATA_VALUE_H_
