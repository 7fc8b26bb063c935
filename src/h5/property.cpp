#include "h5/property.hpp"

#include "h5/error.hpp"

namespace quarry::h5 {

Handle FileAccess::make() const {
  Handle plist(check(H5Pcreate(H5P_FILE_ACCESS), "creating a file access property list"));
  // Latest-format is not used on purpose: files must stay readable by h5py and h5dump built
  // against HDF5 1.10 and 1.12 on clusters.
  if (parallel()) check(H5Pset_fapl_mpio(plist.id(), comm_, MPI_INFO_NULL), "enabling MPI-IO");
  return plist;
}

Handle make_transfer(Transfer mode) {
  Handle plist(check(H5Pcreate(H5P_DATASET_XFER), "creating a transfer property list"));
  check(H5Pset_dxpl_mpio(plist.id(), mode == Transfer::collective ? H5FD_MPIO_COLLECTIVE
                                                                  : H5FD_MPIO_INDEPENDENT),
        "setting the MPI-IO transfer mode");
  return plist;
}

}  // namespace quarry::h5
