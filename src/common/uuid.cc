#include "common/uuid.h"

#include <uuid/uuid.h>

namespace unum {

std::string NewUuid() {
  uuid_t id;
  uuid_generate_random(id);
  char text[37];
  uuid_unparse_lower(id, text);
  return text;
}

}  // namespace unum
