#pragma once
// A file system call on a path failed: the error the user sees names the path, what could not be
// done and why. A read-only or foreign folder, a missing parent or a file where a folder should
// be is the user's to fix (UsageError, exit 2); a full disk or an I/O error is a failure of the
// run (Error, exit 1). Never "internal error": these are not bugs.
#include <filesystem>
#include <string>
#include <system_error>

namespace quarry {

// True for the errors a user fixes by choosing or repairing the path (permissions, read-only
// file systems, missing or wrong kinds of folders, names too long).
bool user_can_fix(const std::error_code& code);

// Throws "cannot ACTION PATH: REASON" as UsageError or Error, following user_can_fix.
[[noreturn]] void throw_path_error(const std::string& action, const std::filesystem::path& path,
                                   const std::error_code& code);

// The same for an exception of std::filesystem (its message names the operation and the paths).
[[noreturn]] void throw_path_error(const std::filesystem::filesystem_error& error);

// UsageError naming `folder` when it exists but this process cannot create files in it (a
// read-only file system, no write permission), before any work: HDF5 and LibTorch would fail
// later, deep inside, in their own words. A missing folder is left to the caller's own check.
void require_writable_folder(const std::filesystem::path& folder);
// The same for the folder an output file or folder is created in.
void require_writable_parent(const std::filesystem::path& output);

// Runs `body`; a std::filesystem error escaping it becomes throw_path_error's Error. Used where
// errors turn into exit codes (run_guarded, the collective wrappers), so that no command has to
// wrap each create_directories or rename itself.
template <class Body>
decltype(auto) with_path_errors(Body&& body) {
  try {
    return body();
  } catch (const std::filesystem::filesystem_error& error) {
    throw_path_error(error);
  }
}

}  // namespace quarry
