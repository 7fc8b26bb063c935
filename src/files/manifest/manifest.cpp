#include "files/manifest/manifest.hpp"

#include <fmt/format.h>

#include <fstream>

#include "core/atomic_output.hpp"
#include "core/error.hpp"
#include "core/sha256.hpp"
#include "core/symlinks.hpp"
#include "core/text.hpp"
#include "core/version.hpp"

namespace quarry {

namespace fs = std::filesystem;

fs::path manifest_path_for(const fs::path& output) {
  return fs::path(resolve_symlinks(output).string() + ".manifest.json");
}

Manifest::Manifest(std::string stage) : started_(std::chrono::steady_clock::now()) {
  doc_["stage"] = std::move(stage);
  doc_["quarry_version"] = std::string(version());
  doc_["complete"] = false;
  doc_["inputs"] = nlohmann::json::object();
  doc_["outputs"] = nlohmann::json::object();
  doc_["settings"] = nlohmann::json::object();
  doc_["timings_s"] = nlohmann::json::object();
}

namespace {
// Paths are bytes on Linux; JSON holds UTF-8, so any other byte is escaped (\xNN).
nlohmann::json describe_file(const fs::path& path, const fs::path& content) {
  return {{"path", escape_for_display(fs::absolute(path).lexically_normal().string())},
          {"sha256", sha256_file(content)},
          {"bytes", fs::file_size(content)}};
}
}  // namespace

void Manifest::add_input(const std::string& role, const fs::path& path) {
  doc_["inputs"][role] = describe_file(path, path);
}

void Manifest::add_output(const std::string& role, const fs::path& path) {
  doc_["outputs"][role] = describe_file(path, path);
}

void Manifest::add_output(const std::string& role, const fs::path& path, const fs::path& content) {
  doc_["outputs"][role] = describe_file(path, content);
}

void Manifest::set_setting(const std::string& key, nlohmann::json value) {
  doc_["settings"][key] = std::move(value);
}

void Manifest::set_ranks(int ranks) {
  doc_["ranks"] = ranks;
}

void Manifest::set_timing(const std::string& phase, double seconds) {
  doc_["timings_s"][phase] = seconds;
}

void Manifest::publish_for(const fs::path& output) {
  prepare_for(output)->commit();
}

std::unique_ptr<AtomicOutput> Manifest::prepare_for(const fs::path& output) {
  doc_["complete"] = true;
  doc_["timings_s"]["total"] =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  auto out = std::make_unique<AtomicOutput>(manifest_path_for(output), Overwrite::replace);
  {
    std::ofstream stream(out->temp_path());
    // Strings from users' files are checked or escaped where they enter the manifest; replacing
    // a stray invalid byte here keeps a manifest write from ever failing on an encoding.
    stream << doc_.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    if (!stream) throw Error(fmt::format("cannot write {}", out->temp_path().string()));
  }
  out->flush();
  return out;
}

void retract_manifest(const fs::path& output) {
  std::error_code ignored;
  fs::remove(manifest_path_for(output), ignored);
}

nlohmann::json read_complete_manifest(const fs::path& output) {
  std::ifstream stream(manifest_path_for(output));
  if (!stream) return {};
  auto doc = nlohmann::json::parse(stream, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object() || !doc.value("complete", false)) return {};
  return doc;
}

}  // namespace quarry
