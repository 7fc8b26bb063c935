#include "files/manifest/verify_input.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <mutex>
#include <set>
#include <string>
#include <tuple>

#include "core/error.hpp"
#include "core/sha256.hpp"
#include "files/manifest/manifest.hpp"

namespace quarry {

namespace fs = std::filesystem;

namespace {

bool trust_inputs() {
  const char* value = std::getenv("QUARRY_TRUST_INPUTS");
  return value && std::string(value) == "1";
}

bool same_file(const std::string& recorded, const fs::path& path) {
  std::error_code error;
  return fs::equivalent(recorded, path, error);
}

// The sha256 a manifest records for `path`: the output entry for the same file, or, when the
// folder has moved since, the one output with the same file name.
std::string recorded_sha256(const nlohmann::json& manifest, const fs::path& path) {
  const auto outputs = manifest.find("outputs");
  if (outputs == manifest.end() || !outputs->is_object()) return {};
  std::string by_name;
  for (const auto& [role, entry] : outputs->items()) {
    if (!entry.is_object() || !entry.contains("path") || !entry["path"].is_string() ||
        !entry.contains("sha256") || !entry["sha256"].is_string())
      continue;
    const std::string recorded = entry["path"].get<std::string>();
    if (same_file(recorded, path)) return entry["sha256"].get<std::string>();
    if (fs::path(recorded).filename() == path.filename())
      by_name = entry["sha256"].get<std::string>();
  }
  return by_name;
}

struct Checked {
  std::string path;
  std::uintmax_t bytes;
  fs::file_time_type modified;
  auto operator<=>(const Checked&) const = default;
};

}  // namespace

void verify_against_manifest(const fs::path& path) {
  if (trust_inputs()) return;
  std::error_code error;
  const fs::path real = fs::canonical(path, error);
  if (error) return;  // a missing file: the reader reports it
  nlohmann::json manifest = read_complete_manifest(path);
  fs::path manifest_file = manifest_path_for(path);
  if (manifest.is_null() && real != fs::absolute(path).lexically_normal()) {
    manifest = read_complete_manifest(real);
    manifest_file = manifest_path_for(real);
  }
  if (manifest.is_null()) return;
  const std::string expected = recorded_sha256(manifest, path);
  if (expected.empty()) return;

  static std::mutex mutex;
  static std::set<Checked> verified;
  const Checked key{real.string(), fs::file_size(real), fs::last_write_time(real)};
  {
    std::lock_guard lock(mutex);
    if (verified.count(key)) return;
  }
  const std::string actual = sha256_file(path);
  if (actual != expected)
    throw InputError(path.string(), "",
                     fmt::format("its sha256 is {}, but {} records {}: the file was changed or "
                                 "damaged after quarry wrote it",
                                 actual, manifest_file.string(), expected),
                     fmt::format("restore it, or write it again with quarry; to read it anyway, "
                                 "set QUARRY_TRUST_INPUTS=1 or remove {}",
                                 manifest_file.string()));
  std::lock_guard lock(mutex);
  verified.insert(key);
}

}  // namespace quarry
