#include "h5/error.hpp"

#include <vector>

namespace quarry::h5 {

namespace {
herr_t collect_message(unsigned, const H5E_error2_t* entry, void* data) {
  auto* messages = static_cast<std::vector<std::string>*>(data);
  if (entry->desc && *entry->desc) messages->emplace_back(entry->desc);
  return 0;
}
}  // namespace

void install_error_handling() {
  static const bool once = [] {
    H5open();
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    return true;
  }();
  (void)once;
}

std::string error_stack_text() {
  std::vector<std::string> messages;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, collect_message, &messages);
  H5Eclear2(H5E_DEFAULT);
  std::string text;
  for (size_t i = 0; i < messages.size() && i < 3; ++i) text += (i ? "; " : "") + messages[i];
  return text.empty() ? "HDF5 call failed" : text;
}

hid_t check(hid_t status, const std::string& context) {
  if (status < 0) throw H5Error(context + ": " + error_stack_text());
  return status;
}

}  // namespace quarry::h5
