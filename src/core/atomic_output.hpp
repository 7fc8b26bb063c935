#pragma once
// Atomic publish: an output is written under a temporary name next to its final path, flushed
// to disk (fsync of the data and of the folder) and renamed into place. Readers see either the
// old output or the whole new one; a crash or an error leaves no partial file behind.
#include <filesystem>
#include <optional>

namespace quarry {

enum class Overwrite { refuse, replace };

class AtomicOutput {
 public:
  // Refuses (UsageError, exit 2) when `final_path` exists and `overwrite` is refuse, so nothing
  // the user had is silently lost. The parent folder must exist. A `final_path` that is a
  // symbolic link publishes to the file the link names, and the link stays.
  AtomicOutput(std::filesystem::path final_path, Overwrite overwrite);
  ~AtomicOutput();  // removes the temporary unless committed
  AtomicOutput(const AtomicOutput&) = delete;
  AtomicOutput& operator=(const AtomicOutput&) = delete;

  // Where to write: a file path, or a folder path the caller creates and fills.
  const std::filesystem::path& temp_path() const { return temp_; }
  const std::filesystem::path& final_path() const { return final_; }

  // fsync everything under the temporary path. Outputs published together flush each one first,
  // so that the renames that follow are all that is left to fail.
  void flush();

  // flush() unless done, then rename the temporary over the final path.
  void commit();

 private:
  std::filesystem::path final_;
  std::filesystem::path temp_;
  Overwrite overwrite_;
  bool flushed_ = false;
  bool committed_ = false;
};

// The checks the constructor makes, for stages that must refuse bad output paths on every rank
// before they start work: UsageError when the folder is missing or the output exists (refuse).
void check_publishable(const std::filesystem::path& final_path, Overwrite overwrite);

// The final path whose temporary `candidate` is (".NAME.tmp-PID", or a replaced folder's
// ".NAME.tmp-PID.old"), or nullopt when it is no AtomicOutput temporary. Lets a writer that holds
// the lock on an output clean temporaries that a killed run left beside it.
std::optional<std::filesystem::path> temporary_target(const std::filesystem::path& candidate);

// fsync a file, or a folder and everything below it.
void sync_to_disk(const std::filesystem::path& path);

}  // namespace quarry
