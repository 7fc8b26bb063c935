#include "core/version.hpp"

namespace quarry {

std::string_view version() {
  return QUARRY_VERSION;
}

}  // namespace quarry
