#include "core/error.hpp"

namespace quarry {

namespace {
std::string join_location(const std::string& file, const std::string& item,
                          const std::string& problem) {
  std::string text;
  for (const std::string* part : {&file, &item, &problem}) {
    if (part->empty()) continue;
    if (!text.empty()) text.append(": ");
    text.append(*part);
  }
  return text;
}
}  // namespace

InputError::InputError(const std::string& file, const std::string& item, const std::string& problem,
                       std::string hint)
    : Error(join_location(file, item, problem), std::move(hint)) {}

std::string describe(const Error& error) {
  std::string text = error.what();
  if (!error.hint().empty()) text += "\n  hint: " + error.hint();
  return text;
}

}  // namespace quarry
