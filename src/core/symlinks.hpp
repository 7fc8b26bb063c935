#pragma once
// Outputs reached through a symbolic link (a workspace's labels.h5 -> ../shared/labels.h5, a
// common way to share one ledger) must be written to the file the link points at: renaming a new
// file over the link would replace the link with a private copy, and a lock taken on the link's
// name would not exclude a writer that came through another link.
#include <filesystem>

namespace quarry {

// The path of the file that `path` finally names when `path` is a symbolic link: links in the
// last component are followed (also a dangling link, whose target does not exist yet), with the
// folder made canonical as far as it exists. A path that is no link comes back unchanged.
// InputError when the links form a loop.
std::filesystem::path resolve_symlinks(const std::filesystem::path& path);

}  // namespace quarry
