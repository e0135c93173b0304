#pragma once
// An owned OpenSSL BIO: the one handle every OpenSSL user in the harness needs (PEM and DER in
// memory), kept once here rather than as a deleter in each source file.
#include <memory>

#include <openssl/bio.h>

namespace onshi::crypto {

struct BioDeleter {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;

}  // namespace onshi::crypto
