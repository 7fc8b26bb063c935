#include "core/symlinks.hpp"

#include "core/error.hpp"

namespace quarry {

namespace fs = std::filesystem;

namespace {
fs::path with_canonical_folder(const fs::path& path) {
  const fs::path folder = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  return fs::weakly_canonical(folder) / path.filename();
}
}  // namespace

fs::path resolve_symlinks(const fs::path& path) {
  constexpr int kMaxLinks = 40;  // Linux's own limit (ELOOP)
  if (!fs::is_symlink(path)) return path;
  fs::path current = with_canonical_folder(path);
  for (int followed = 0; fs::is_symlink(current); ++followed) {
    if (followed == kMaxLinks)
      throw InputError(path.string(), "", "symbolic links form a loop",
                       "point the link at a file, or pass the file's real path");
    const fs::path target = fs::read_symlink(current);
    current = with_canonical_folder(target.is_absolute() ? target : current.parent_path() / target);
  }
  return current;
}

}  // namespace quarry
