#include "files/manifest/partial_run.hpp"

#include <fmt/format.h>

#include <fstream>

#include "core/atomic_output.hpp"
#include "core/error.hpp"
#include "core/write_file.hpp"

namespace quarry {

namespace fs = std::filesystem;

fs::path partial_folder_for(const fs::path& output) {
  return fs::path(output.string() + ".partial");
}

void write_file_atomically(const fs::path& path, const std::string& bytes) {
  // AtomicOutput is the one write-temporary, fsync, rename, fsync-the-folder implementation.
  AtomicOutput output(path, Overwrite::replace);
  write_file(output.temp_path(),
             std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()),
             Durability::page_cache);  // commit() fsyncs it
  output.commit();
}

void check_same_settings(const fs::path& settings_file, const nlohmann::json& settings) {
  std::ifstream in(settings_file);
  const auto recorded = nlohmann::json::parse(in, nullptr, false);
  if (!in.is_open() || recorded.is_discarded() || !recorded.is_object())
    throw InputError(settings_file.string(), "", "is missing or unreadable",
                     "pass --force to discard the earlier run and start over");
  for (const auto& [key, value] : settings.items()) {
    if (!recorded.contains(key) || recorded[key] != value)
      throw InputError(
          settings_file.string(), key,
          fmt::format("the earlier run used {}, this run {}",
                      recorded.contains(key) ? recorded[key].dump() : "nothing", value.dump()),
          "resume with the same settings, or pass --force to start over");
  }
}

void prepare_partial_folder(const fs::path& folder, const nlohmann::json& settings, bool resume,
                            bool discard) {
  if (fs::exists(folder) && discard) fs::remove_all(folder);
  if (fs::exists(folder)) {
    if (!resume)
      throw UsageError(fmt::format("{} holds a partial run of this output", folder.string()),
                       "pass --resume to continue it, or --force to discard it and start over");
    check_same_settings(folder / "settings.json", settings);
    return;
  }
  fs::create_directory(folder);
  write_file_atomically(folder / "settings.json", settings.dump(2) + "\n");
}

}  // namespace quarry
