#pragma once
// RAII for any HDF5 identifier (file, group, dataset, dataspace, datatype, property list,
// attribute): H5Idec_ref closes each kind correctly, so one handle class serves them all.
#include <hdf5.h>

#include <utility>

namespace quarry::h5 {

// Records that HDF5 failed to close an object (see error.hpp: HDF5 1.10 then keeps a dangling
// entry for it, and its exit handler must not run).
void note_failed_close();

class Handle {
 public:
  Handle() = default;
  explicit Handle(hid_t id) : id_(id) {}
  ~Handle() { reset(); }
  Handle(Handle&& other) noexcept : id_(std::exchange(other.id_, H5I_INVALID_HID)) {}
  Handle& operator=(Handle&& other) noexcept {
    if (this != &other) {
      reset();
      id_ = std::exchange(other.id_, H5I_INVALID_HID);
    }
    return *this;
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;

  hid_t id() const { return id_; }
  hid_t release() { return std::exchange(id_, H5I_INVALID_HID); }
  bool valid() const { return id_ >= 0 && H5Iis_valid(id_) > 0; }
  // Runs in destructors, so it cannot throw: a failed close is recorded (note_failed_close), and
  // an id HDF5 no longer knows (H5Iis_valid not positive) is only forgotten.
  void reset() {
    if (id_ >= 0 && H5Iis_valid(id_) > 0 && H5Idec_ref(id_) < 0) note_failed_close();
    id_ = H5I_INVALID_HID;
  }

 private:
  hid_t id_ = H5I_INVALID_HID;
};

}  // namespace quarry::h5
