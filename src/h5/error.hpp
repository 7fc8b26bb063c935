#pragma once
// HDF5 reports failures as negative return values plus an error stack. We switch off the
// library's automatic printing and turn the stack into an exception message instead.
#include <hdf5.h>

#include <string>

#include "core/error.hpp"

namespace quarry::h5 {

class H5Error : public Error {
 public:
  using Error::Error;
};

// Call once per process before any other HDF5 call (idempotent).
void install_error_handling();

// Throws H5Error("<context>: <innermost HDF5 messages>") when `status` is negative. Every HDF5
// call whose result can signal failure goes through check() or check_in(); the few that cannot
// throw (closes in destructors, the exit handler, reporting an error) say so where they are.
hid_t check(hid_t status, const std::string& context);
// check() for the calls that return a size and signal failure with 0 (H5Tget_size).
size_t check_size(size_t size, const std::string& context);

// The path of the file that holds `object` (any file, group, dataset or attribute id), for
// error messages.
std::string file_name_of(hid_t object);
// check() whose message starts with the name of the file that holds `object`.
hid_t check_in(hid_t object, hid_t status, const std::string& context);

// The current error stack as text, innermost (most specific) message first; clears the stack.
std::string error_stack_text();

}  // namespace quarry::h5
