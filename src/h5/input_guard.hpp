#pragma once
// Inputs that quarry reads but may not have written, or that were damaged since (a flipped bit
// on shared storage, a truncated copy): HDF5 1.10 trusts what a file says, so some damage makes
// it crash (SIGSEGV in its global heap reader) or loop forever, deaf to signals, instead of
// returning an error. The manifest check (core/verify_input) catches damage to the files quarry
// wrote; these guards cover the rest.
#include <chrono>
#include <filesystem>
#include <functional>

#include "core/error.hpp"
#include "h5/error.hpp"

namespace quarry::h5 {

// Runs `read` in a child process first. When HDF5 crashes or does not finish within `limit`
// there, the file is bad input (InputError naming it) and this process never hands it to HDF5;
// whatever else the child met (an error, success) the caller's own read meets again. The child
// reads with serial HDF5 and calls no MPI.
void probe_in_child(const std::filesystem::path& path, const std::function<void()>& read,
                    std::chrono::seconds limit = std::chrono::seconds(60));

// Runs `read`; an HDF5 error (the library could not read what the file says) becomes bad input
// naming the file, since a file that HDF5 cannot read is a damaged input.
template <class Read>
auto read_as_input(const std::filesystem::path& path, Read&& read) -> decltype(read()) {
  try {
    return read();
  } catch (const H5Error& error) {
    throw InputError(path.string(), "", std::string("cannot be read: ") + error.what(),
                     "the file is damaged or was not written by quarry: write it again, or "
                     "restore it from a backup");
  }
}

}  // namespace quarry::h5
