#pragma once
// Who a Label Studio user id is. Label Studio's standard JSON export writes `completed_by` as the
// user's integer id, which is unique on one server only: "2" from two servers, or a CSV
// annotator named "2", would be one person to quarry. quarry therefore names an id
// "label-studio:<id>", and names the person by email whenever the email is known, from the
// export itself (the expanded `completed_by` {"id", "email", ...}) or from a map of the users
// (`--annotator-map`: Label Studio's /api/users JSON as saved by the user). One rule for both,
// so a person whose later export carries the email stays one annotator when the map is given.
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

namespace quarry::ingest {

// Label Studio user id -> email.
using AnnotatorMap = std::map<std::uint64_t, std::string>;

// Reads /api/users (a JSON array of users, or an object whose `results` holds them; each with an
// integer `id` and a non-empty `email`). InputError naming the file and the entry otherwise, or
// when one id has two emails.
AnnotatorMap read_annotator_map(const std::filesystem::path& file);

// The name quarry gives Label Studio user `id`: its email from `map`, else "label-studio:<id>".
std::string label_studio_annotator(std::uint64_t id, const AnnotatorMap& map);

}  // namespace quarry::ingest
