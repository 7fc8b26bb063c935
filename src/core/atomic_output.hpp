#pragma once
// Atomic publish: an output is written under a temporary name next to its final path, flushed
// to disk (fsync of the data and of the folder) and renamed into place. Readers see either the
// old output or the whole new one; a crash or an error leaves no partial file behind.
#include <filesystem>

namespace quarry {

enum class Overwrite { refuse, replace };

class AtomicOutput {
 public:
  // Refuses (UsageError, exit 2) when `final_path` exists and `overwrite` is refuse, so nothing
  // the user had is silently lost. The parent folder must exist.
  AtomicOutput(std::filesystem::path final_path, Overwrite overwrite);
  ~AtomicOutput();  // removes the temporary unless committed
  AtomicOutput(const AtomicOutput&) = delete;
  AtomicOutput& operator=(const AtomicOutput&) = delete;

  // Where to write: a file path, or a folder path the caller creates and fills.
  const std::filesystem::path& temp_path() const { return temp_; }
  const std::filesystem::path& final_path() const { return final_; }

  // fsync everything under the temporary path, then rename it over the final path.
  void commit();

 private:
  std::filesystem::path final_;
  std::filesystem::path temp_;
  Overwrite overwrite_;
  bool committed_ = false;
};

// The checks the constructor makes, for stages that must refuse bad output paths on every rank
// before they start work: UsageError when the folder is missing or the output exists (refuse).
void check_publishable(const std::filesystem::path& final_path, Overwrite overwrite);

// fsync a file, or a folder and everything below it.
void sync_to_disk(const std::filesystem::path& path);

}  // namespace quarry
