#include "core/manifest.hpp"

#include <fmt/format.h>

#include <fstream>

#include "core/atomic_output.hpp"
#include "core/error.hpp"
#include "core/sha256.hpp"
#include "core/version.hpp"

namespace quarry {

namespace fs = std::filesystem;

fs::path manifest_path_for(const fs::path& output) {
  return fs::path(output.string() + ".manifest.json");
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
nlohmann::json describe_file(const fs::path& path) {
  return {{"path", fs::absolute(path).lexically_normal().string()},
          {"sha256", sha256_file(path)},
          {"bytes", fs::file_size(path)}};
}
}  // namespace

void Manifest::add_input(const std::string& role, const fs::path& path) {
  doc_["inputs"][role] = describe_file(path);
}

void Manifest::add_output(const std::string& role, const fs::path& path) {
  doc_["outputs"][role] = describe_file(path);
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
  doc_["complete"] = true;
  doc_["timings_s"]["total"] =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  AtomicOutput out(manifest_path_for(output), Overwrite::replace);
  {
    std::ofstream stream(out.temp_path());
    stream << doc_.dump(2) << "\n";
    if (!stream) throw Error(fmt::format("cannot write {}", out.temp_path().string()));
  }
  out.commit();
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
