#pragma once
// A stage's manifest: `OUTPUT.manifest.json` next to its output records the inputs (path and
// sha256), outputs, resolved settings, rank count, timings and quarry's version. It is written
// last and atomically, after the output is in place, so its presence means the output is whole:
// a later stage trusts an input only if its manifest says it is complete.
//
// Inputs are recorded as they were when the stage started to read them: add_input fingerprints a
// file before the work (its sha256 computed then, or for a large file on a thread beside the
// work), and verify_inputs, just before the stage publishes, fails the stage when a file is no
// longer the one fingerprinted, so a manifest never vouches for a file the stage did not read.
#include <chrono>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace quarry {

class AtomicOutput;

// OUTPUT.manifest.json, beside the file a symbolic link OUTPUT names (the manifest describes
// that file, and every path to it must find the same manifest).
std::filesystem::path manifest_path_for(const std::filesystem::path& output);

class Manifest {
 public:
  explicit Manifest(std::string stage);
  ~Manifest();  // stops hashing that is still running
  Manifest(Manifest&&) noexcept;
  Manifest& operator=(Manifest&&) noexcept;

  enum class Hashing {
    now,              // small files: the sha256 is read before add_input returns
    beside_the_work,  // large files: read on a thread of this process while the stage works
  };
  // Fingerprints an input as the stage starts: call it before any rank reads the file (and let a
  // collective follow, so that none starts reading before). The file is opened and stat'ed now
  // (size, mtime, ctime, inode); its sha256 is read from that descriptor with plain POSIX reads.
  // A file that cannot be opened is left for its reader to report; verify_inputs refuses it.
  void add_input(const std::string& role, const std::filesystem::path& path,
                 Hashing hashing = Hashing::now);
  // The sha256 of the input recorded as `role` (waits for its hashing); InputError when it could
  // not be read.
  std::string input_sha256(const std::string& role);
  // Just before the stage publishes, on the rank that added the inputs (inside
  // comm::on_root_for_all, so every rank fails together): waits for the hashing, then throws
  // InputError (exit 2), "PATH changed while quarry STAGE was reading it: WHAT; rerun", when an
  // input is no longer the file that add_input fingerprinted.
  void verify_inputs();
  void add_output(const std::string& role, const std::filesystem::path& path);
  // Records `path` with the digest and size of `content`: for an output that is still under its
  // temporary name (AtomicOutput::temp_path) when the manifest is prepared.
  void add_output(const std::string& role, const std::filesystem::path& path,
                  const std::filesystem::path& content);
  // Records `path`, a second name (hard link or copy) of the output recorded as `same_as`, with
  // that output's digest and size, rather than reading the same bytes twice.
  void add_output_link(const std::string& role, const std::filesystem::path& path,
                       const std::string& same_as);
  void set_setting(const std::string& key, nlohmann::json value);
  void set_ranks(int ranks);
  // Where the ranks ran (comm::placement_record); null leaves the manifest without it.
  void set_placement(nlohmann::json placement);
  void set_timing(const std::string& phase, double seconds);

  const nlohmann::json& json() const { return doc_; }

  // Writes the manifest for `output` (atomically, replacing an older one) with "complete": true,
  // the inputs' start fingerprints (waiting for hashing still running), and the wall time since
  // construction. Timings "hashing_inputs" (the inputs' sha256, beside the work where asked) and
  // "verifying_inputs" (waiting for it, and verify_inputs) are kept apart from the stage's own.
  void publish_for(const std::filesystem::path& output);

  // The same, written and flushed under a temporary name; the caller commits it. For stages that
  // publish several files together and must finish everything that can fail before the first
  // rename.
  std::unique_ptr<AtomicOutput> prepare_for(const std::filesystem::path& output);

 private:
  struct Input;
  Input& input(const std::string& role);
  void finish_hashing();

  nlohmann::json doc_;
  std::chrono::steady_clock::time_point started_;
  std::vector<std::unique_ptr<Input>> inputs_;
  double verify_seconds_ = 0;
};

// Removes an output's manifest before the output is replaced, so a crash in between never
// leaves an old manifest vouching for a new file.
void retract_manifest(const std::filesystem::path& output);

// Reads a manifest; nullopt-like empty json when it is missing or not complete.
nlohmann::json read_complete_manifest(const std::filesystem::path& output);

}  // namespace quarry
