#include "core/atomic_output.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <string_view>
#include <system_error>

#include "core/error.hpp"
#include "core/symlinks.hpp"

namespace quarry {

namespace fs = std::filesystem;

namespace {
// fsync of a file, or of a folder (its entries: a rename into it is durable once this returns).
void fsync_path(const fs::path& path, bool folder) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | (folder ? O_DIRECTORY : 0));
  if (fd < 0) throw Error("cannot open " + path.string() + " to flush it: " + std::strerror(errno));
  const int rc = ::fsync(fd);
  const int saved = errno;
  (void)::close(fd);  // read-only: the fsync above is what could fail
  // Some file systems refuse fsync on folders (EINVAL): the rename is still atomic there, and
  // how durable it is after a power cut is up to the file system.
  if (rc != 0 && saved != EINVAL)
    throw Error("cannot flush " + path.string() + " to disk: " + std::strerror(saved));
}

constexpr std::string_view kTempMarker = ".tmp-";
constexpr std::string_view kOldSuffix = ".old";

fs::path temp_name_for(const fs::path& final_path) {
  // Hidden, in the same folder (rename is only atomic within one file system), unique per process.
  return final_path.parent_path() / ("." + final_path.filename().string() +
                                     std::string(kTempMarker) + std::to_string(::getpid()));
}
}  // namespace

std::optional<fs::path> temporary_target(const fs::path& candidate) {
  std::string name = candidate.filename().string();
  if (name.ends_with(kOldSuffix)) name.resize(name.size() - kOldSuffix.size());
  const auto marker = name.rfind(kTempMarker);
  if (!name.starts_with('.') || marker == std::string::npos || marker < 2) return std::nullopt;
  const std::string pid = name.substr(marker + kTempMarker.size());
  if (pid.empty() || pid.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  return candidate.parent_path() / name.substr(1, marker - 1);
}

void sync_to_disk(const fs::path& path) {
  if (fs::is_directory(path)) {
    // One syncfs for a whole folder of outputs (an export holds thousands of files; an fsync per
    // file costs a disk flush each), then the folder entry itself.
    const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
      throw Error("cannot open " + path.string() + " to flush it: " + std::strerror(errno));
    const int rc = ::syncfs(fd);
    const int saved = errno;
    (void)::close(fd);
    if (rc != 0) throw Error("cannot flush " + path.string() + " to disk: " + std::strerror(saved));
    fsync_path(path, true);
    return;
  }
  fsync_path(path, false);
}

void check_publishable(const fs::path& final_path, Overwrite overwrite) {
  if (final_path.filename().empty())
    throw UsageError("output path '" + final_path.string() + "' names no file");
  const fs::path parent =
      final_path.parent_path().empty() ? fs::path(".") : final_path.parent_path();
  if (!fs::is_directory(parent))
    throw UsageError("output folder " + parent.string() + " does not exist",
                     "create it first (mkdir -p " + parent.string() + ")");
  if (fs::exists(final_path) && overwrite == Overwrite::refuse)
    throw UsageError("output " + final_path.string() + " already exists",
                     "choose another path, or pass --force to replace it");
}

AtomicOutput::AtomicOutput(fs::path final_path, Overwrite overwrite)
    : final_(std::move(final_path)), overwrite_(overwrite) {
  check_publishable(final_, overwrite_);
  final_ = resolve_symlinks(final_);
  final_ =
      (final_.parent_path().empty() ? fs::path(".") : final_.parent_path()) / final_.filename();
  temp_ = temp_name_for(final_);
  std::error_code ignored;
  fs::remove_all(temp_, ignored);  // a leftover of a crashed run with the same pid
}

AtomicOutput::~AtomicOutput() {
  if (committed_) return;
  std::error_code ignored;
  fs::remove_all(temp_, ignored);
}

void AtomicOutput::flush() {
  if (flushed_) return;
  if (!fs::exists(temp_)) throw Error("nothing was written to " + temp_.string());
  sync_to_disk(temp_);
  flushed_ = true;
}

void AtomicOutput::commit() {
  flush();
  std::error_code ec;
  if (fs::is_directory(temp_) && fs::exists(final_)) {
    // rename(2) cannot replace a non-empty folder: move the old one aside first, then drop it.
    fs::path old = temp_.string() + std::string(kOldSuffix);
    fs::rename(final_, old, ec);
    if (!ec) fs::rename(temp_, final_, ec);
    if (ec) throw Error("cannot publish " + final_.string() + ": " + ec.message());
    fs::remove_all(old, ec);
  } else {
    fs::rename(temp_, final_, ec);
    if (ec) throw Error("cannot publish " + final_.string() + ": " + ec.message());
  }
  fsync_path(final_.parent_path(), true);  // the rename itself
  committed_ = true;
}

}  // namespace quarry
