#pragma once
// sha256 of a file, hex encoded: manifests and scores files record which inputs they came from.
#include <filesystem>
#include <string>

namespace quarry {

std::string sha256_file(const std::filesystem::path& path);

}  // namespace quarry
