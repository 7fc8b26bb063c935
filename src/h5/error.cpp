#include "h5/error.hpp"

#include <atomic>
#include <cstdlib>
#include <vector>

namespace quarry::h5 {

namespace {
herr_t collect_message(unsigned, const H5E_error2_t* entry, void* data) {
  auto* messages = static_cast<std::vector<std::string>*>(data);
  if (entry->desc && *entry->desc) messages->emplace_back(entry->desc);
  return 0;
}
}  // namespace

namespace {
std::atomic<bool> close_failed{false};

void close_library_unless_a_close_failed() {
  // An exit handler has nobody to report to: a failed H5close is ignored on purpose.
  if (!close_failed) (void)H5close();
}
}  // namespace

void note_failed_close() {
  close_failed = true;
}

void install_error_handling() {
  static const bool once = [] {
    // HDF5 1.10 frees an object whose close fails (a flush that hits a full disk) but leaves its
    // id in its tables; the library's own exit handler then closes it again and dies of SIGSEGV.
    // Closing again from here crashes the same way, so the library is shut down at exit only
    // when every close succeeded; otherwise the process exits and the kernel closes the files.
    (void)H5dont_atexit();  // fails only when it was asked for before: nothing is lost then
    check(H5open(), "initialising HDF5");
    std::atexit(close_library_unless_a_close_failed);
    check(H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr), "switching off HDF5's error printing");
    return true;
  }();
  (void)once;
}

std::string error_stack_text() {
  std::vector<std::string> messages;
  // Reporting an error must not raise another: a failed walk gives the generic text below, and a
  // failed clear leaves a stack that the next HDF5 call clears on entry anyway.
  (void)H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, collect_message, &messages);
  (void)H5Eclear2(H5E_DEFAULT);
  std::string text;
  for (size_t i = 0; i < messages.size() && i < 3; ++i) text += (i ? "; " : "") + messages[i];
  return text.empty() ? "HDF5 call failed" : text;
}

hid_t check(hid_t status, const std::string& context) {
  if (status < 0) throw H5Error(context + ": " + error_stack_text());
  return status;
}

size_t check_size(size_t size, const std::string& context) {
  if (size == 0) check(-1, context);
  return size;
}

std::string file_name_of(hid_t object) {
  // Only for messages: a name that cannot be read gives a placeholder, never a second error.
  ssize_t length = H5Fget_name(object, nullptr, 0);
  std::string name(length > 0 ? static_cast<size_t>(length) + 1 : 0, '\0');
  if (length <= 0 || H5Fget_name(object, name.data(), name.size()) != length) {
    (void)H5Eclear2(H5E_DEFAULT);
    return "(unknown file)";
  }
  name.resize(static_cast<size_t>(length));
  return name;
}

hid_t check_in(hid_t object, hid_t status, const std::string& context) {
  if (status >= 0) return status;
  const std::string stack = error_stack_text();  // before file_name_of can touch the stack
  throw H5Error(file_name_of(object) + ": " + context + ": " + stack);
}

}  // namespace quarry::h5
