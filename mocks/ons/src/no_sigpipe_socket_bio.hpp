#pragma once
// An OpenSSL socket BIO whose writes use send(..., MSG_NOSIGNAL): a peer that has gone makes
// SSL_write fail with EPIPE instead of raising SIGPIPE, which would end the whole process.
//
// Why a BIO and not SIGPIPE blocked in the server's threads: the mock is a library that
// vendors embed (OnsMockServer), and a process's signal mask and disposition belong to its
// owner. Blocking SIGPIPE in our worker threads would still leave a pending signal for
// whoever unblocks it, and would need sigtimedwait draining after every write; MSG_NOSIGNAL
// keeps the signal from being raised at all, per write, whatever the process has set.
// Everything but the write is OpenSSL's own socket BIO (reads, EOF tracking, BIO_get_fd),
// so SSL error classification is unchanged.
#include <openssl/bio.h>

namespace onshi::mocks::ons::detail {

// A BIO on `fd` (not closed with the BIO) for SSL_set_bio; nullptr when OpenSSL cannot make one.
BIO* new_no_sigpipe_socket_bio(int fd);

}  // namespace onshi::mocks::ons::detail
