#pragma once
// How a pool file stores its task attributes, objects and sources (see objects.hpp): read and
// shape-checked when a pool opens, written when a writer publishes. Internal to files/pool.
#include "files/pool/objects.hpp"
#include "files/pool/schema.hpp"
#include "h5/file.hpp"

namespace quarry::pool {

// Reads the task attributes and checks the shapes of /objects and /source against `meta`
// (count, item shape, classes already read): InputError naming the file and the dataset or
// attribute. A pool/1 file, without a task attribute, is a classification pool.
void read_task_info(const h5::File& file, PoolMeta& meta);

// Checks keypoint names, flip pairs, skeleton and sigmas agree (K, indices in range, sigmas
// positive); `file` names the pool in messages.
void check_task_info(const std::string& file, const TaskInfo& task, const ItemShape& shape);

void write_task_info(const h5::File& file, const TaskInfo& task);
void write_objects(h5::File& file, const ObjectTable& objects, std::size_t keypoint_count);
void write_sources(h5::File& file, const SourceTable& sources);

}  // namespace quarry::pool
