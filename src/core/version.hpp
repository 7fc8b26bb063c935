#pragma once
// quarry's version, recorded in every file and manifest it writes.
#include <string_view>

namespace quarry {

std::string_view version();

}  // namespace quarry
