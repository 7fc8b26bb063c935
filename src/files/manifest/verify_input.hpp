#pragma once
// Inputs quarry wrote itself are checked against their manifest before a reader opens them:
// HDF5 1.10 crashes or spins on some damaged files instead of reporting them, so a file whose
// sha256 is no longer the one its manifest recorded is refused before HDF5 sees it.
#include <filesystem>

namespace quarry {

// When `PATH.manifest.json` (or, for a symlink, the manifest next to the file it points to) is
// complete and records PATH among its outputs with a sha256, hashes PATH and throws InputError
// (exit 2) naming the file and both digests on a mismatch. No manifest, an incomplete one or one
// that does not name PATH: nothing to check (files made by other tools). QUARRY_TRUST_INPUTS=1
// skips the check. A file already verified unchanged (same size and mtime) is not hashed again.
void verify_against_manifest(const std::filesystem::path& path);

}  // namespace quarry
