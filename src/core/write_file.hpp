#pragma once
// One file's bytes written with plain POSIX calls: the loop that survives short writes and
// EINTR, and an Error naming the file when the disk refuses. Exports write tens of thousands
// of small files this way (streams add buffering and locale work that costs more than the
// write); checkpoints add the fsync.
#include <cstdint>
#include <filesystem>
#include <span>

namespace quarry {

enum class Durability { page_cache, synced };

// Creates or truncates `path`; `synced` returns only after fsync.
void write_file(const std::filesystem::path& path, std::span<const std::uint8_t> bytes,
                Durability durability);

}  // namespace quarry
